//! Accounts: sign-up (with the default profiles), look-ups and admin changes.

use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, SqlErr,
};

use crate::domain::problem::Conflict;
use crate::{
    db::Db,
    domain::{now, Locale, Role},
    entity::user,
    error::{CoreError, CoreResult},
    store::{activity, credentials, profiles},
};

/// Profiles every new account starts with.
pub const DEFAULT_PROFILES: [&str; 3] = ["Private", "Business", "Learning"];

/// What is needed to open an account (already validated; the password already hashed).
pub struct NewUser {
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    pub locale: Locale,
    pub role: Role,
}

/// Creates an account and its default profiles in one transaction.
pub async fn create(db: &Db, new: NewUser) -> CoreResult<user::Model> {
    let tx = db.write().await?;
    let now = now();
    let created = user::ActiveModel {
        email: Set(new.email.to_lowercase()),
        password_hash: Set(new.password_hash),
        display_name: Set(new.display_name),
        role: Set(new.role),
        time_zone: Set(new.locale.default_time_zone().to_owned()),
        locale: Set(new.locale),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await
    .map_err(|e| match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => CoreError::Conflict(Conflict::EmailTaken),
        _ => e.into(),
    })?;
    for name in DEFAULT_PROFILES {
        profiles::insert(&*tx, created.id, name).await?;
    }
    activity::record(&*tx, created.id, activity::Entry::account("signup")).await?;
    tx.commit().await?;
    Ok(created)
}

pub async fn find_by_email(db: &Db, email: &str) -> CoreResult<Option<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email.trim().to_lowercase()))
        .one(db.read())
        .await?)
}

/// The account behind a credential. Credentials are only issued to existing accounts, so a
/// missing one means the credential is stale (a token signed before the database was reset):
/// 401, not 404.
pub async fn get(db: &Db, id: i64) -> CoreResult<user::Model> {
    user::Entity::find_by_id(id)
        .one(db.read())
        .await?
        .ok_or(CoreError::Unauthenticated)
}

/// Every account, oldest first (admin listing).
pub async fn list(db: &Db) -> CoreResult<Vec<user::Model>> {
    Ok(user::Entity::find()
        .order_by_asc(user::Column::Id)
        .all(db.read())
        .await?)
}

/// Changes the stored password hash.
/// Changes the stored password hash and ends every session but `keep_session` and every
/// refresh-token family, in one transaction.
pub async fn set_password_hash(
    db: &Db,
    id: i64,
    hash: String,
    keep_session: Option<&str>,
) -> CoreResult<()> {
    let tx = db.write_for(id).await?;
    update_column(&*tx, id, user::Column::PasswordHash, hash).await?;
    credentials::revoke_all_for_user(&*tx, id, keep_session).await?;
    tx.commit().await
}

/// Makes an account an admin (or back).
pub async fn set_role(db: &Db, id: i64, role: Role) -> CoreResult<()> {
    let tx = db.write_for(id).await?;
    update_column(&*tx, id, user::Column::Role, role).await?;
    tx.commit().await
}

async fn update_column(
    db: &impl ConnectionTrait,
    id: i64,
    column: user::Column,
    value: impl Into<sea_orm::Value>,
) -> CoreResult<()> {
    let done = user::Entity::update_many()
        .col_expr(column, Expr::value(value))
        .col_expr(user::Column::UpdatedAt, Expr::value(now()))
        .filter(user::Column::Id.eq(id))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(CoreError::NotFound);
    }
    Ok(())
}

/// The account's data revision as it is now (see `store::memo`).
pub async fn revision(db: &Db, id: i64) -> CoreResult<i64> {
    user::Entity::find_by_id(id)
        .select_only()
        .column(user::Column::Revision)
        .into_tuple()
        .one(db.read())
        .await?
        .ok_or(CoreError::Unauthenticated)
}

/// Settings a user may change about their own account.
#[derive(Default)]
pub struct AccountChanges {
    pub display_name: Option<String>,
    pub locale: Option<Locale>,
    pub time_zone: Option<String>,
}

pub async fn update_account(db: &Db, id: i64, changes: AccountChanges) -> CoreResult<user::Model> {
    let tx = db.write_for(id).await?;
    let current = user::Entity::find_by_id(id)
        .one(&*tx)
        .await?
        .ok_or(CoreError::Unauthenticated)?;
    let mut active: user::ActiveModel = current.into();
    if let Some(v) = changes.display_name {
        active.display_name = Set(v);
    }
    if let Some(v) = changes.locale {
        active.locale = Set(v);
    }
    if let Some(v) = changes.time_zone {
        active.time_zone = Set(v);
    }
    active.updated_at = Set(now());
    let updated = active.update(&*tx).await?;
    tx.commit().await?;
    Ok(updated)
}
