//! Profiles: create, rename, re-order, delete.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set, SqlErr,
};
use serde_json::json;

use crate::{
    domain::now,
    entity::profile,
    error::{AppError, AppResult},
    store::{activity, find_owned, position},
};

/// A user's profiles in their manual order.
pub async fn list(db: &impl ConnectionTrait, user_id: i64) -> AppResult<Vec<profile::Model>> {
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
) -> AppResult<profile::Model> {
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
pub async fn create(
    db: &DatabaseConnection,
    user_id: i64,
    name: &str,
) -> AppResult<profile::Model> {
    let created = insert(db, user_id, name).await?;
    activity::record(
        db,
        user_id,
        activity::Entry::record("profile", created.id, "create", json!({"name": name})),
    )
    .await?;
    Ok(created)
}

/// Renames and/or moves a profile to directly after `after_id` (`Some(None)`: to the front).
pub async fn update(
    db: &DatabaseConnection,
    user_id: i64,
    id: i64,
    name: Option<String>,
    after_id: Option<Option<i64>>,
) -> AppResult<profile::Model> {
    let current = find_owned::<profile::Entity>(db, user_id, id).await?;
    let mut active: profile::ActiveModel = current.into();
    if let Some(name) = name {
        active.name = Set(name);
    }
    if let Some(after_id) = after_id {
        let siblings = list(db, user_id).await?;
        let others: Vec<_> = siblings.iter().filter(|p| p.id != id).collect();
        let index = match after_id {
            None => 0,
            Some(a) => others
                .iter()
                .position(|p| p.id == a)
                .map(|i| i + 1)
                .ok_or_else(|| AppError::field("after_id", "no such profile"))?,
        };
        let before = index.checked_sub(1).map(|i| others[i].position.as_str());
        let after = others.get(index).map(|p| p.position.as_str());
        active.position = Set(position::between(before, after)?);
    }
    active.updated_at = Set(now());
    active.update(db).await.map_err(duplicate_name)
}

/// Deletes a profile with its folders and items; the last profile cannot go.
pub async fn delete(db: &DatabaseConnection, user_id: i64, id: i64) -> AppResult<()> {
    find_owned::<profile::Entity>(db, user_id, id).await?;
    let count = profile::Entity::find()
        .filter(profile::Column::UserId.eq(user_id))
        .count(db)
        .await?;
    if count <= 1 {
        return Err(AppError::Conflict(
            "the last profile cannot be deleted".into(),
        ));
    }
    profile::Entity::delete_by_id(id).exec(db).await?;
    activity::record(
        db,
        user_id,
        activity::Entry::record("profile", id, "delete", json!({})),
    )
    .await?;
    Ok(())
}

fn duplicate_name(e: DbErr) -> AppError {
    match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            AppError::Conflict("a profile with this name already exists".into())
        }
        _ => e.into(),
    }
}
