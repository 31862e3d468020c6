//! The principal of an API request: its credentials resolved by `app::sessions`.
//!
//! A handler that takes [`CurrentUser`] is authenticated; one that takes [`RequireAdmin`] is
//! also authorised for admin work. Credentials are tried in this order: a Bearer JWT, a Bearer
//! personal API token (`tds_…`), the session cookie. Cookie-authenticated requests that change
//! state must carry the session's CSRF token in `X-CSRF-Token`; Bearer requests need none,
//! since browsers never attach them on their own.

use axum::{
    extract::FromRequestParts,
    http::{header, request::Parts, Method},
};
use axum_extra::extract::CookieJar;

use crate::{
    app::{
        owner::Owner,
        sessions::{self, Bearer},
        AppState,
    },
    auth::token,
    core_error::CoreError,
    domain::Role,
    error::{ApiError, RequestError},
    store::credentials,
};

/// Name of the browser session cookie.
pub const SESSION_COOKIE: &str = "tidily_session";
/// Header that carries the CSRF token on cookie-authenticated requests.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How the request proved who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthMethod {
    Bearer(Bearer),
    /// The session's token hash, so the session can be ended.
    Session {
        token_hash: String,
        csrf_token: String,
    },
}

/// The authenticated principal of an API request. The role is not part of it: only admin
/// routes need it, and [`RequireAdmin`] reads it fresh, so ordinary requests cost no lookup.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub owner: Owner,
    pub method: AuthMethod,
}

impl CurrentUser {
    /// The browser session that made the request, if a session did.
    pub fn session(&self) -> Option<&str> {
        match &self.method {
            AuthMethod::Session { token_hash, .. } => Some(token_hash),
            AuthMethod::Bearer(_) => None,
        }
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(cached) = parts.extensions.get::<CurrentUser>() {
            return Ok(cached.clone());
        }
        let user = authenticate(parts, state).await?;
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}

async fn authenticate(parts: &Parts, state: &AppState) -> Result<CurrentUser, ApiError> {
    if let Some(auth) = parts.headers.get(header::AUTHORIZATION) {
        let bearer = auth
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(CoreError::Unauthenticated)?;
        let (owner, kind) = sessions::by_bearer(state, bearer).await?;
        return Ok(CurrentUser {
            owner,
            method: AuthMethod::Bearer(kind),
        });
    }

    let jar = CookieJar::from_headers(&parts.headers);
    let cookie = jar.get(SESSION_COOKIE).ok_or(CoreError::Unauthenticated)?;
    let session = sessions::by_cookie(state, cookie.value())
        .await?
        .ok_or(CoreError::Unauthenticated)?;
    if !is_safe(&parts.method) {
        let presented = parts
            .headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if !token::equal(presented, &session.info.csrf_token) {
            return Err(RequestError::CsrfFailed.into());
        }
    }
    Ok(CurrentUser {
        owner: session.owner,
        method: AuthMethod::Session {
            token_hash: session.info.token_hash,
            csrf_token: session.info.csrf_token,
        },
    })
}

/// Methods that must not change state, and so need no CSRF token.
fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// An authenticated admin.
#[derive(Debug, Clone)]
pub struct RequireAdmin(pub CurrentUser);

impl FromRequestParts<AppState> for RequireAdmin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if credentials::role_of(&state.db, user.owner.id()).await? == Some(Role::Admin) {
            Ok(RequireAdmin(user))
        } else {
            Err(CoreError::Forbidden.into())
        }
    }
}
