//! Folders: a tree per profile, with memos and manual order.

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::json;

use crate::domain::problem::{Conflict, Problem, Record};
use crate::{
    db::{Db, WriteTx},
    domain::now,
    entity::{folder, item, profile},
    error::{CoreError, CoreResult, NotFoundAs},
    store::{
        activity, find_owned,
        folder_tree::FolderTree,
        items::Step,
        position::{self, Placement},
    },
};

/// All folders of a profile, parents before children is not guaranteed: ordered by position.
pub async fn list(
    db: &impl ConnectionTrait,
    user_id: i64,
    profile_id: i64,
) -> CoreResult<Vec<folder::Model>> {
    find_owned::<profile::Entity>(db, user_id, profile_id).await?;
    Ok(folder::Entity::find()
        .filter(folder::Column::UserId.eq(user_id))
        .filter(folder::Column::ProfileId.eq(profile_id))
        .order_by_asc(folder::Column::Position)
        .order_by_asc(folder::Column::Id)
        .all(db)
        .await?)
}

/// The IDs of `root` and its descendants, checking ownership.
pub async fn subtree_of(db: &Db, user_id: i64, root: i64) -> CoreResult<Vec<i64>> {
    let f = find_owned::<folder::Entity>(db.read(), user_id, root).await?;
    let all = list(db.read(), user_id, f.profile_id).await?;
    Ok(FolderTree::new(&all).subtree(root))
}

/// Number of active (not archived, not trashed) items per folder of the user (optionally of
/// one profile).
pub async fn item_counts(
    db: &Db,
    user_id: i64,
    profile_id: Option<i64>,
) -> CoreResult<HashMap<i64, i64>> {
    let mut query = item::Entity::find()
        .select_only()
        .column(item::Column::FolderId)
        .column_as(item::Column::Id.count(), "n")
        .filter(item::Column::UserId.eq(user_id));
    if let Some(p) = profile_id {
        query = query.filter(item::Column::ProfileId.eq(p));
    }
    let rows: Vec<(Option<i64>, i64)> = query
        .filter(item::Column::FolderId.is_not_null())
        .filter(item::Column::ArchivedAt.is_null())
        .filter(item::Column::TrashedAt.is_null())
        .group_by(item::Column::FolderId)
        .into_tuple()
        .all(db.read())
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(f, n)| f.map(|f| (f, n)))
        .collect())
}

/// The folders under `parent` in a profile, as a list [`position::rebalance`] can renumber.
fn siblings_list(profile_id: i64, parent: Option<i64>) -> position::List<'static> {
    match parent {
        Some(p) => position::List {
            table: "folders",
            scope: "profile_id = ? AND parent_id = ?",
            values: vec![profile_id.into(), p.into()],
        },
        None => position::List {
            table: "folders",
            scope: "profile_id = ? AND parent_id IS NULL",
            values: vec![profile_id.into()],
        },
    }
}

/// A new folder, appended under `parent_id` (or at the top level).
pub async fn create(
    db: &Db,
    user_id: i64,
    profile_id: i64,
    parent_id: Option<i64>,
    name: String,
    memo: String,
) -> CoreResult<folder::Model> {
    let tx = db.write_for(user_id).await?;
    find_owned::<profile::Entity>(&*tx, user_id, profile_id)
        .await
        .not_found_as("profile_id", Problem::NoSuch(Record::Profile))?;
    let siblings: Vec<folder::Model> = list(&*tx, user_id, profile_id)
        .await?
        .into_iter()
        .filter(|f| f.parent_id == parent_id)
        .collect();
    if let Some(p) = parent_id {
        let parent = find_owned::<folder::Entity>(&*tx, user_id, p)
            .await
            .not_found_as("parent_id", Problem::NoSuch(Record::Folder))?;
        if parent.profile_id != profile_id {
            return Err(CoreError::field("parent_id", Problem::InOtherProfile));
        }
    }
    let pos = place(&tx, profile_id, parent_id, &siblings, Placement::End).await?;
    let now = now();
    let created = folder::ActiveModel {
        user_id: Set(user_id),
        profile_id: Set(profile_id),
        parent_id: Set(parent_id),
        name: Set(name),
        memo: Set(memo),
        position: Set(pos),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    activity::record(
        &*tx,
        user_id,
        activity::Entry::record(
            "folder",
            created.id,
            "create",
            json!({"name": created.name}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

/// Renames a folder and/or changes its memo.
pub async fn update(
    db: &Db,
    user_id: i64,
    id: i64,
    name: Option<String>,
    memo: Option<String>,
) -> CoreResult<folder::Model> {
    let tx = db.write_for(user_id).await?;
    let mut active: folder::ActiveModel = find_owned::<folder::Entity>(&*tx, user_id, id)
        .await?
        .into();
    if let Some(name) = name {
        active.name = Set(name);
    }
    if let Some(memo) = memo {
        active.memo = Set(memo);
    }
    active.updated_at = Set(now());
    let updated = active.update(&*tx).await?;
    activity::record(
        &*tx,
        user_id,
        activity::Entry::record("folder", id, "update", json!({})),
    )
    .await?;
    tx.commit().await?;
    Ok(updated)
}

/// Where a folder is moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FolderMove {
    /// Under `parent` (`None`: the top level), at `placement` among its children.
    To {
        parent: Option<i64>,
        placement: Placement,
    },
    /// Under the parent it has, at `placement` among its siblings.
    Among(Placement),
    /// One place up or down among its siblings (the keyboard alternative to dragging).
    Step(Step),
}

/// Moves a folder. Writes one row (unless its new siblings need renumbering first).
pub async fn move_folder(
    db: &Db,
    user_id: i64,
    id: i64,
    to: FolderMove,
) -> CoreResult<folder::Model> {
    let tx = db.write_for(user_id).await?;
    let moving = find_owned::<folder::Entity>(&*tx, user_id, id).await?;
    let all = list(&*tx, user_id, moving.profile_id).await?;
    let (parent_id, placement) = match to {
        FolderMove::To { parent, placement } => (parent, placement),
        FolderMove::Among(placement) => (moving.parent_id, placement),
        FolderMove::Step(step) => {
            let siblings: Vec<&folder::Model> = all
                .iter()
                .filter(|f| f.parent_id == moving.parent_id)
                .collect();
            let at = siblings.iter().position(|f| f.id == id).unwrap_or(0);
            let placement = match step {
                Step::Up if at > 0 => Placement::Before(siblings[at - 1].id),
                Step::Down if at + 1 < siblings.len() => Placement::After(siblings[at + 1].id),
                // Already first or last: nothing to do.
                _ => return Ok(moving),
            };
            (moving.parent_id, placement)
        }
    };
    if let Some(p) = parent_id {
        let parent = all
            .iter()
            .find(|f| f.id == p)
            .ok_or_else(|| CoreError::field("parent_id", Problem::NoSuch(Record::Folder)))?;
        if FolderTree::new(&all).subtree(id).contains(&parent.id) {
            return Err(CoreError::Conflict(Conflict::FolderCycle));
        }
    }
    let siblings: Vec<folder::Model> = all
        .into_iter()
        .filter(|f| f.parent_id == parent_id && f.id != id)
        .collect();
    let pos = place(&tx, moving.profile_id, parent_id, &siblings, placement).await?;
    let mut active: folder::ActiveModel = moving.into();
    active.parent_id = Set(parent_id);
    active.position = Set(pos);
    active.updated_at = Set(now());
    let moved = active.update(&*tx).await?;
    activity::record(
        &*tx,
        user_id,
        activity::Entry::record("folder", id, "move", json!({"parent_id": parent_id})),
    )
    .await?;
    tx.commit().await?;
    Ok(moved)
}

/// The position for a folder placed among `siblings` (the other children of `parent`, sorted
/// by position) before or after one of them, or at the end.
async fn place(
    tx: &WriteTx,
    profile_id: i64,
    parent: Option<i64>,
    siblings: &[folder::Model],
    placement: Placement,
) -> CoreResult<String> {
    let index_of = |id: i64, field: &str| {
        siblings
            .iter()
            .position(|s| s.id == id)
            .ok_or_else(|| CoreError::field(field, Problem::NotANeighbour))
    };
    let insert_at = match placement {
        Placement::Before(b) => index_of(b, "before_id")?,
        Placement::After(a) => index_of(a, "after_id")? + 1,
        Placement::Between { after, before } => {
            let at = index_of(before, "before_id")?;
            if index_of(after, "after_id")? + 1 != at {
                return Err(position::not_adjacent());
            }
            at
        }
        Placement::End => siblings.len(),
    };
    let lower = insert_at.checked_sub(1).map(|i| siblings[i].id);
    let upper = siblings.get(insert_at).map(|s| s.id);
    let list = siblings_list(profile_id, parent);
    position::place(&**tx, tx.dialect(), &list, lower, upper).await
}

/// Deletes a folder and its sub-folders; their items move up to the folder's parent, to the
/// end of its list in their old order.
pub async fn delete(db: &Db, user_id: i64, id: i64) -> CoreResult<()> {
    let tx = db.write_for(user_id).await?;
    let doomed = find_owned::<folder::Entity>(&*tx, user_id, id).await?;
    let all = list(&*tx, user_id, doomed.profile_id).await?;
    let ids = FolderTree::new(&all).subtree(id);
    let orphans: Vec<i64> = item::Entity::find()
        .select_only()
        .column(item::Column::Id)
        .filter(item::Column::UserId.eq(user_id))
        .filter(item::Column::FolderId.is_in(ids))
        .order_by_asc(item::Column::Position)
        .order_by_asc(item::Column::Id)
        .into_tuple()
        .all(&*tx)
        .await?;
    crate::store::items::append_to(&tx, &orphans, doomed.profile_id, doomed.parent_id).await?;
    folder::Entity::delete_by_id(id).exec(&*tx).await?;
    activity::record(
        &*tx,
        user_id,
        activity::Entry::record("folder", id, "delete", json!({"name": doomed.name})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
