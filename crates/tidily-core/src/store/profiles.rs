//! Profiles: create, rename, re-order, delete.

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, SqlErr,
};
use serde_json::json;

use crate::domain::problem::{Conflict, Problem, Record};
use crate::{
    db::Db,
    domain::now,
    entity::{folder, item, profile},
    error::{CoreError, CoreResult},
    store::{activity, find_owned, position},
};

/// A user's profiles in their manual order.
pub async fn list(db: &impl ConnectionTrait, user_id: i64) -> CoreResult<Vec<profile::Model>> {
    Ok(profile::Entity::find()
        .filter(profile::Column::UserId.eq(user_id))
        .order_by_asc(profile::Column::Position)
        .order_by_asc(profile::Column::Id)
        .all(db)
        .await?)
}

/// Inserts a profile at the end of the user's list.
pub async fn insert(
    db: &impl ConnectionTrait,
    user_id: i64,
    name: &str,
) -> CoreResult<profile::Model> {
    let last = position::last_in::<profile::Entity>(
        db,
        profile::Column::Position,
        Condition::all().add(profile::Column::UserId.eq(user_id)),
    )
    .await?;
    let now = now();
    profile::ActiveModel {
        user_id: Set(user_id),
        name: Set(name.to_owned()),
        position: Set(position::after(last.as_deref())?),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(duplicate_name)
}

/// Creates a profile and logs it.
pub async fn create(db: &Db, user_id: i64, name: &str) -> CoreResult<profile::Model> {
    let tx = db.write_for(user_id).await?;
    let created = insert(&*tx, user_id, name).await?;
    activity::record(
        &*tx,
        user_id,
        activity::Entry::record("profile", created.id, "create", json!({"name": name})),
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

/// Renames and/or moves a profile to directly after `after_id` (`Some(None)`: to the front).
pub async fn update(
    db: &Db,
    user_id: i64,
    id: i64,
    name: Option<String>,
    after_id: Option<Option<i64>>,
) -> CoreResult<profile::Model> {
    let tx = db.write_for(user_id).await?;
    let current = find_owned::<profile::Entity>(&*tx, user_id, id).await?;
    let mut active: profile::ActiveModel = current.into();
    if let Some(name) = name {
        active.name = Set(name);
    }
    if let Some(after_id) = after_id {
        let siblings = list(&*tx, user_id).await?;
        let others: Vec<_> = siblings.iter().filter(|p| p.id != id).collect();
        let index = match after_id {
            None => 0,
            Some(a) => others
                .iter()
                .position(|p| p.id == a)
                .map(|i| i + 1)
                .ok_or_else(|| CoreError::field("after_id", Problem::NoSuch(Record::Profile)))?,
        };
        let lower = index.checked_sub(1).map(|i| others[i].id);
        let upper = others.get(index).map(|p| p.id);
        let list = position::List {
            table: "profiles",
            scope: "user_id = ?",
            values: vec![user_id.into()],
        };
        active.position = Set(position::place(&*tx, tx.dialect(), &list, lower, upper).await?);
    }
    active.updated_at = Set(now());
    let updated = active.update(&*tx).await.map_err(duplicate_name)?;
    tx.commit().await?;
    Ok(updated)
}

/// Deletes a profile with its folders and items; the last profile cannot go.
pub async fn delete(db: &Db, user_id: i64, id: i64) -> CoreResult<()> {
    let tx = db.write_for(user_id).await?;
    find_owned::<profile::Entity>(&*tx, user_id, id).await?;
    let count = profile::Entity::find()
        .filter(profile::Column::UserId.eq(user_id))
        .count(&*tx)
        .await?;
    if count <= 1 {
        return Err(CoreError::Conflict(Conflict::LastProfile));
    }
    profile::Entity::delete_by_id(id).exec(&*tx).await?;
    activity::record(
        &*tx,
        user_id,
        activity::Entry::record("profile", id, "delete", json!({})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn duplicate_name(e: DbErr) -> CoreError {
    match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            CoreError::Conflict(Conflict::NameTaken(Record::Profile))
        }
        _ => e.into(),
    }
}

/// What a profile holds: its folders and its items (in any state).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Contents {
    pub folders: u64,
    pub items: u64,
}

/// What each of the user's profiles holds: what deleting one would delete with it.
pub async fn contents(db: &Db, user_id: i64) -> CoreResult<HashMap<i64, Contents>> {
    let per_profile = |rows: Vec<(i64, i64)>| rows.into_iter().map(|(p, n)| (p, n as u64));
    let folders: Vec<(i64, i64)> = folder::Entity::find()
        .select_only()
        .column(folder::Column::ProfileId)
        .column_as(folder::Column::Id.count(), "n")
        .filter(folder::Column::UserId.eq(user_id))
        .group_by(folder::Column::ProfileId)
        .into_tuple()
        .all(db.read())
        .await?;
    let items: Vec<(i64, i64)> = item::Entity::find()
        .select_only()
        .column(item::Column::ProfileId)
        .column_as(item::Column::Id.count(), "n")
        .filter(item::Column::UserId.eq(user_id))
        .group_by(item::Column::ProfileId)
        .into_tuple()
        .all(db.read())
        .await?;
    let mut out: HashMap<i64, Contents> = HashMap::new();
    for (p, n) in per_profile(folders) {
        out.entry(p).or_default().folders = n;
    }
    for (p, n) in per_profile(items) {
        out.entry(p).or_default().items = n;
    }
    Ok(out)
}
