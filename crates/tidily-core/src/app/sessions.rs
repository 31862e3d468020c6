//! Who is asking: log-in with its throttles, and the resolvers that turn a session cookie or
//! a bearer token into the [`Owner`] every other use case takes.

use std::net::IpAddr;

use crate::{
    app::{owner::Owner, AppState},
    auth::token,
    entity::user,
    error::{CoreError, CoreResult},
    store::{
        credentials::{self, SessionInfo},
        throttle::{self, Bucket},
        users,
    },
};

/// A successful log-in.
pub struct LoggedIn {
    pub owner: Owner,
    pub user: user::Model,
    /// A fresh device token: this browser has now logged in to the account.
    pub device_token: String,
}

/// Verifies credentials, throttled. An attempt is counted before the password is checked
/// (so parallel guesses cannot overtake the limit) and given back when it succeeds. From a
/// browser that holds the account's device token, attempts count per device; from any other,
/// per account and per client address. A stranger guessing at an account therefore locks out
/// other strangers, never the owner's own browser.
pub async fn log_in(
    state: &AppState,
    ip: IpAddr,
    device_token: Option<&str>,
    email: &str,
    password: String,
) -> CoreResult<LoggedIn> {
    let email = email.trim().to_lowercase();
    let found = users::find_by_email(&state.db, &email).await?;
    let device = device_token.filter(|token| {
        let owner = state.tokens.verify_device(token);
        owner.is_some() && owner == found.as_ref().map(|u| u.id)
    });
    let buckets = match device {
        Some(token) => vec![Bucket::new(throttle::LOGIN_PER_DEVICE, token)],
        None => vec![
            Bucket::new(throttle::LOGIN_PER_ACCOUNT, &email),
            Bucket::new(throttle::LOGIN_PER_IP, &ip.to_string()),
        ],
    };
    let reservation = throttle::reserve(&state.db, &buckets).await?;
    let stored = found.as_ref().map(|u| u.password_hash.clone());
    match (state.hasher.verify(password, stored).await, found) {
        (Ok(true), Some(user)) => {
            throttle::refund(&state.db, reservation).await?;
            Ok(LoggedIn {
                owner: Owner::new(user.id),
                device_token: state.tokens.issue_device(user.id)?,
                user,
            })
        }
        (Ok(_), _) => {
            reservation.keep();
            Err(CoreError::InvalidCredentials)
        }
        // The password was never checked (the server is busy): the attempt does not count.
        (Err(e), _) => {
            throttle::refund(&state.db, reservation).await?;
            Err(e)
        }
    }
}

/// A browser session: its owner, and the session row with the account it belongs to.
pub struct Session {
    pub owner: Owner,
    pub info: SessionInfo,
}

/// The live session a cookie's secret names, if any.
pub async fn by_cookie(state: &AppState, secret: &str) -> CoreResult<Option<Session>> {
    Ok(credentials::find_session(&state.db, secret)
        .await?
        .map(|info| Session {
            owner: Owner::new(info.user.id),
            info,
        }))
}

/// How a bearer credential proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bearer {
    /// A short-lived JWT access token.
    AccessToken,
    /// A personal API token (`tds_…`).
    ApiToken,
}

/// The owner of a bearer credential: a personal API token or a JWT access token.
pub async fn by_bearer(state: &AppState, credential: &str) -> CoreResult<(Owner, Bearer)> {
    let (user_id, kind) = if credential.starts_with(token::API_TOKEN_PREFIX) {
        let id = credentials::user_for_api_token(&state.db, credential).await?;
        (id, Bearer::ApiToken)
    } else {
        (state.tokens.verify_access(credential), Bearer::AccessToken)
    };
    let user_id = user_id.ok_or(CoreError::Unauthenticated)?;
    Ok((Owner::new(user_id), kind))
}

/// The owner of a refresh token, which is used up and replaced by the returned one.
pub async fn by_refresh_token(state: &AppState, presented: &str) -> CoreResult<(Owner, String)> {
    let (user_id, next) = credentials::rotate_refresh(&state.db, presented).await?;
    Ok((Owner::new(user_id), next))
}

/// Starts a browser session for `owner`: the cookie's secret and the CSRF token.
pub async fn start(state: &AppState, owner: Owner) -> CoreResult<(String, String)> {
    credentials::create_session(&state.db, owner.id()).await
}

/// Ends a browser session.
pub async fn end(state: &AppState, token_hash: &str) -> CoreResult<()> {
    credentials::delete_session(&state.db, token_hash).await
}

/// Starts a family of refresh tokens for an API client of `owner`: its first token.
pub async fn start_refresh_family(state: &AppState, owner: Owner) -> CoreResult<String> {
    credentials::start_refresh_family(&state.db, owner.id()).await
}

/// Revokes the family of a refresh token (log-out for API clients).
pub async fn revoke_refresh_family(state: &AppState, presented: &str) -> CoreResult<()> {
    credentials::revoke_refresh(&state.db, presented).await
}
