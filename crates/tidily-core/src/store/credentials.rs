//! Sessions, refresh tokens and personal API tokens. (Log-in throttling: `store::throttle`.)

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::{
    auth::token,
    db::Db,
    domain::{now, Role},
    entity::{api_token, refresh_token, session, user},
    error::{CoreError, CoreResult},
    store::throttle,
};

/// How long a browser session lives without use; each use within the last half extends it.
pub const SESSION_TTL: Duration = Duration::days(30);
/// How long a refresh token may wait to be used.
pub const REFRESH_TTL: Duration = Duration::days(30);

/// What a valid session cookie resolves to: the session and its account, read together.
pub struct SessionInfo {
    pub token_hash: String,
    pub csrf_token: String,
    pub user: user::Model,
}

/// The role of a user, or `None` if the account no longer exists.
pub async fn role_of(db: &Db, user_id: i64) -> CoreResult<Option<Role>> {
    Ok(user::Entity::find_by_id(user_id)
        .select_only()
        .column(user::Column::Role)
        .into_tuple()
        .one(db.read())
        .await?)
}

/// Starts a browser session; returns the cookie value and the CSRF token.
pub async fn create_session(db: &Db, user_id: i64) -> CoreResult<(String, String)> {
    let secret = token::random();
    let csrf = token::random();
    let now = now();
    let tx = db.write().await?;
    session::ActiveModel {
        token_hash: Set(token::digest(&secret)),
        user_id: Set(user_id),
        csrf_token: Set(csrf.clone()),
        created_at: Set(now),
        expires_at: Set(now + SESSION_TTL),
    }
    .insert(&*tx)
    .await?;
    tx.commit().await?;
    Ok((secret, csrf))
}

/// Resolves a session cookie, extending a session that is past half its life.
pub async fn find_session(db: &Db, cookie: &str) -> CoreResult<Option<SessionInfo>> {
    let hash = token::digest(cookie);
    let Some((s, Some(user))) = session::Entity::find_by_id(hash)
        .find_also_related(user::Entity)
        .one(db.read())
        .await?
    else {
        return Ok(None);
    };
    let now = now();
    if s.expires_at <= now {
        return Ok(None);
    }
    if s.expires_at - now < SESSION_TTL / 2 {
        let tx = db.write().await?;
        session::Entity::update_many()
            .col_expr(session::Column::ExpiresAt, Expr::value(now + SESSION_TTL))
            .filter(session::Column::TokenHash.eq(&s.token_hash))
            .exec(&*tx)
            .await?;
        tx.commit().await?;
    }
    Ok(Some(SessionInfo {
        token_hash: s.token_hash,
        csrf_token: s.csrf_token,
        user,
    }))
}

/// Ends one session.
pub async fn delete_session(db: &Db, token_hash: &str) -> CoreResult<()> {
    let tx = db.write().await?;
    session::Entity::delete_by_id(token_hash.to_owned())
        .exec(&*tx)
        .await?;
    tx.commit().await
}

/// Starts a refresh-token family for a fresh log-in; returns the token.
pub async fn start_refresh_family(db: &Db, user_id: i64) -> CoreResult<String> {
    let tx = db.write().await?;
    let secret = issue_refresh(&*tx, user_id, token::random()).await?;
    tx.commit().await?;
    Ok(secret)
}

async fn issue_refresh(
    db: &impl ConnectionTrait,
    user_id: i64,
    family: String,
) -> CoreResult<String> {
    let secret = token::random();
    let now = now();
    refresh_token::ActiveModel {
        user_id: Set(user_id),
        family: Set(family),
        token_hash: Set(token::digest(&secret)),
        created_at: Set(now),
        expires_at: Set(now + REFRESH_TTL),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(secret)
}

/// Spends `presented` and issues its successor: `(user_id, new_refresh_token)`.
///
/// A token that was already spent means it was copied: the whole family is revoked, so both
/// the thief and the victim must log in again.
pub async fn rotate_refresh(db: &Db, presented: &str) -> CoreResult<(i64, String)> {
    let tx = db.write().await?;
    let found = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(token::digest(presented)))
        .one(&*tx)
        .await?
        .ok_or(CoreError::Unauthenticated)?;
    let now = now();
    if found.revoked_at.is_some() || found.expires_at <= now {
        return Err(CoreError::Unauthenticated);
    }
    // Spend it atomically: of two concurrent refreshes with one token, exactly one wins.
    let spent = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::Id.eq(found.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(&*tx)
        .await?;
    if spent.rows_affected != 1 {
        revoke_family(&*tx, &found.family).await?;
        tx.commit().await?;
        tracing::warn!(
            user_id = found.user_id,
            "refresh token reuse detected; family revoked"
        );
        return Err(CoreError::RefreshTokenReused);
    }
    let next = issue_refresh(&*tx, found.user_id, found.family).await?;
    tx.commit().await?;
    Ok((found.user_id, next))
}

/// Revokes the family of `presented` (log-out). Unknown tokens are ignored.
pub async fn revoke_refresh(db: &Db, presented: &str) -> CoreResult<()> {
    let tx = db.write().await?;
    if let Some(found) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(token::digest(presented)))
        .one(&*tx)
        .await?
    {
        revoke_family(&*tx, &found.family).await?;
    }
    tx.commit().await
}

async fn revoke_family(db: &impl ConnectionTrait, family: &str) -> CoreResult<()> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now()))
        .filter(refresh_token::Column::Family.eq(family))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// After a password change: every refresh family and every session but `keep_session` ends.
pub async fn revoke_all_for_user(
    db: &impl ConnectionTrait,
    user_id: i64,
    keep_session: Option<&str>,
) -> CoreResult<()> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now()))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    let mut sessions = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
    if let Some(keep) = keep_session {
        sessions = sessions.filter(session::Column::TokenHash.ne(keep));
    }
    sessions.exec(db).await?;
    Ok(())
}

/// Creates a personal API token; returns the row and the secret (shown once).
pub async fn create_api_token(
    db: &Db,
    user_id: i64,
    name: String,
    expires_at: Option<DateTime<Utc>>,
) -> CoreResult<(api_token::Model, String)> {
    let secret = format!("{}{}", token::API_TOKEN_PREFIX, token::random());
    let tx = db.write().await?;
    let row = api_token::ActiveModel {
        user_id: Set(user_id),
        name: Set(name),
        token_hash: Set(token::digest(&secret)),
        prefix: Set(secret.chars().take(10).collect()),
        created_at: Set(now()),
        expires_at: Set(expires_at),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    tx.commit().await?;
    Ok((row, secret))
}

/// A user's live API tokens, newest first.
pub async fn list_api_tokens(db: &Db, user_id: i64) -> CoreResult<Vec<api_token::Model>> {
    Ok(api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(user_id))
        .filter(api_token::Column::RevokedAt.is_null())
        .order_by_desc(api_token::Column::Id)
        .all(db.read())
        .await?)
}

/// Revokes one of the user's API tokens.
pub async fn revoke_api_token(db: &Db, user_id: i64, id: i64) -> CoreResult<()> {
    let tx = db.write().await?;
    let done = api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(now()))
        .filter(api_token::Column::Id.eq(id))
        .filter(api_token::Column::UserId.eq(user_id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(&*tx)
        .await?;
    if done.rows_affected == 0 {
        return Err(CoreError::NotFound);
    }
    tx.commit().await
}

/// The owner of a live API token. `last_used_at` is written at most once a minute so a busy
/// client does not turn every read into a write.
pub async fn user_for_api_token(db: &Db, secret: &str) -> CoreResult<Option<i64>> {
    let Some(found) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(token::digest(secret)))
        .one(db.read())
        .await?
    else {
        return Ok(None);
    };
    let now = now();
    if found.revoked_at.is_some() || found.expires_at.is_some_and(|e| e <= now) {
        return Ok(None);
    }
    if found
        .last_used_at
        .is_none_or(|t| now - t > Duration::minutes(1))
    {
        let tx = db.write().await?;
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
            .filter(api_token::Column::Id.eq(found.id))
            .exec(&*tx)
            .await?;
        tx.commit().await?;
    }
    Ok(Some(found.user_id))
}

/// Deletes expired sessions and refresh tokens and spent throttle events (housekeeping).
pub async fn purge_expired(db: &Db) -> CoreResult<u64> {
    let now = now();
    let tx = db.write().await?;
    let mut n = session::Entity::delete_many()
        .filter(session::Column::ExpiresAt.lte(now))
        .exec(&*tx)
        .await?
        .rows_affected;
    n += refresh_token::Entity::delete_many()
        .filter(refresh_token::Column::ExpiresAt.lte(now))
        .exec(&*tx)
        .await?
        .rows_affected;
    n += throttle::purge_expired(&*tx).await?;
    tx.commit().await?;
    Ok(n)
}
