//! Folders: a tree per profile, with memos and manual order.

use std::collections::HashMap;

use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::json;

use crate::{
    domain::now,
    entity::{folder, item, profile},
    error::{AppError, AppResult},
    store::{activity, find_owned, position},
};

/// All folders of a profile, parents before children is not guaranteed: ordered by position.
pub async fn list(
    db: &impl ConnectionTrait,
    user_id: i64,
    profile_id: i64,
) -> AppResult<Vec<folder::Model>> {
    find_owned::<profile::Entity>(db, user_id, profile_id).await?;
    Ok(folder::Entity::find()
        .filter(folder::Column::UserId.eq(user_id))
        .filter(folder::Column::ProfileId.eq(profile_id))
        .order_by_asc(folder::Column::Position)
        .order_by_asc(folder::Column::Id)
        .all(db)
        .await?)
}

/// `root` and every folder below it, from a profile's folder list.
pub fn subtree(folders: &[folder::Model], root: i64) -> Vec<i64> {
    let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
    for f in folders {
        if let Some(p) = f.parent_id {
            children.entry(p).or_default().push(f.id);
        }
    }
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        if let Some(kids) = children.get(&out[i]) {
            out.extend(kids);
        }
        i += 1;
    }
    out
}

/// The IDs of `root` and its descendants, checking ownership.
pub async fn subtree_of(db: &DatabaseConnection, user_id: i64, root: i64) -> AppResult<Vec<i64>> {
    let f = find_owned::<folder::Entity>(db, user_id, root).await?;
    let all = list(db, user_id, f.profile_id).await?;
    Ok(subtree(&all, root))
}

/// Number of active (not archived, not trashed) items per folder of the user (optionally of
/// one profile).
pub async fn item_counts(
    db: &DatabaseConnection,
    user_id: i64,
    profile_id: Option<i64>,
) -> AppResult<HashMap<i64, i64>> {
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
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(f, n)| f.map(|f| (f, n)))
        .collect())
}

/// The last position among the children of `parent` in a profile.
async fn last_position(
    db: &impl ConnectionTrait,
    profile_id: i64,
    parent: Option<i64>,
) -> AppResult<Option<String>> {
    let siblings = Condition::all()
        .add(folder::Column::ProfileId.eq(profile_id))
        .add(position::parent_is(folder::Column::ParentId, parent));
    position::last_in::<folder::Entity>(db, folder::Column::Position, siblings).await
}

/// A new folder, appended under `parent_id` (or at the top level).
pub async fn create(
    db: &DatabaseConnection,
    user_id: i64,
    profile_id: i64,
    parent_id: Option<i64>,
    name: String,
    memo: String,
) -> AppResult<folder::Model> {
    find_owned::<profile::Entity>(db, user_id, profile_id)
        .await
        .map_err(|_| AppError::field("profile_id", "no such profile"))?;
    if let Some(p) = parent_id {
        let parent = find_owned::<folder::Entity>(db, user_id, p)
            .await
            .map_err(|_| AppError::field("parent_id", "no such folder"))?;
        if parent.profile_id != profile_id {
            return Err(AppError::field(
                "parent_id",
                "the parent folder is in another profile",
            ));
        }
    }
    let pos = position::after(last_position(db, profile_id, parent_id).await?.as_deref())?;
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
    .insert(db)
    .await?;
    activity::record(
        db,
        user_id,
        activity::Entry::record(
            "folder",
            created.id,
            "create",
            json!({"name": created.name}),
        ),
    )
    .await?;
    Ok(created)
}

/// Renames a folder and/or changes its memo.
pub async fn update(
    db: &DatabaseConnection,
    user_id: i64,
    id: i64,
    name: Option<String>,
    memo: Option<String>,
) -> AppResult<folder::Model> {
    let mut active: folder::ActiveModel =
        find_owned::<folder::Entity>(db, user_id, id).await?.into();
    if let Some(name) = name {
        active.name = Set(name);
    }
    if let Some(memo) = memo {
        active.memo = Set(memo);
    }
    active.updated_at = Set(now());
    let updated = active.update(db).await?;
    activity::record(
        db,
        user_id,
        activity::Entry::record("folder", id, "update", json!({})),
    )
    .await?;
    Ok(updated)
}

/// Where to put a moved folder or item: a new container and a neighbour in it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Placement {
    pub before_id: Option<i64>,
    pub after_id: Option<i64>,
}

/// Moves a folder under `parent_id` (`None`: top level) at `placement`. Writes one row.
pub async fn move_folder(
    db: &DatabaseConnection,
    user_id: i64,
    id: i64,
    parent_id: Option<i64>,
    placement: Placement,
) -> AppResult<folder::Model> {
    let moving = find_owned::<folder::Entity>(db, user_id, id).await?;
    let all = list(db, user_id, moving.profile_id).await?;
    if let Some(p) = parent_id {
        let parent = all
            .iter()
            .find(|f| f.id == p)
            .ok_or_else(|| AppError::field("parent_id", "no such folder in this profile"))?;
        if subtree(&all, id).contains(&parent.id) {
            return Err(AppError::Conflict(
                "a folder cannot be moved into itself or one of its sub-folders".into(),
            ));
        }
    }
    let siblings: Vec<&folder::Model> = all
        .iter()
        .filter(|f| f.parent_id == parent_id && f.id != id)
        .collect();
    let pos = place(&siblings, placement, |f| (f.id, f.position.as_str()))?;
    let mut active: folder::ActiveModel = moving.into();
    active.parent_id = Set(parent_id);
    active.position = Set(pos);
    active.updated_at = Set(now());
    let moved = active.update(db).await?;
    activity::record(
        db,
        user_id,
        activity::Entry::record("folder", id, "move", json!({"parent_id": parent_id})),
    )
    .await?;
    Ok(moved)
}

/// The position for a row placed among `siblings` (sorted by position) before or after one of
/// them, or at the end when no neighbour is named.
pub fn place<T>(
    siblings: &[T],
    placement: Placement,
    key: impl Fn(&T) -> (i64, &str),
) -> AppResult<String> {
    let index_of = |id: i64, field: &str| {
        siblings
            .iter()
            .position(|s| key(s).0 == id)
            .ok_or_else(|| AppError::field(field, "not a neighbour in the destination"))
    };
    let insert_at = match (placement.before_id, placement.after_id) {
        (Some(b), _) => index_of(b, "before_id")?,
        (None, Some(a)) => index_of(a, "after_id")? + 1,
        (None, None) => siblings.len(),
    };
    let lower = insert_at.checked_sub(1).map(|i| key(&siblings[i]).1);
    let upper = siblings.get(insert_at).map(|s| key(s).1);
    position::between(lower, upper)
}

/// Deletes a folder and its sub-folders; their items move up to the folder's parent.
pub async fn delete(db: &DatabaseConnection, user_id: i64, id: i64) -> AppResult<()> {
    let doomed = find_owned::<folder::Entity>(db, user_id, id).await?;
    let all = list(db, user_id, doomed.profile_id).await?;
    let ids = subtree(&all, id);
    let tx = db.begin().await?;
    item::Entity::update_many()
        .col_expr(item::Column::FolderId, Expr::value(doomed.parent_id))
        .filter(item::Column::UserId.eq(user_id))
        .filter(item::Column::FolderId.is_in(ids))
        .exec(&tx)
        .await?;
    folder::Entity::delete_by_id(id).exec(&tx).await?;
    activity::record(
        &tx,
        user_id,
        activity::Entry::record("folder", id, "delete", json!({"name": doomed.name})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
