//! The cookies a log-in sets, with the attributes the deployment calls for: HttpOnly, Secure
//! outside local development, SameSite=Lax, the whole site.

use axum_extra::extract::cookie::{Cookie, SameSite};

use crate::{app::AppState, auth::jwt, principal::SESSION_COOKIE, store::credentials};

/// Remembers a browser that has logged in to an account before: its log-in attempts are
/// counted apart from everyone else's (see `store::throttle`).
pub const DEVICE_COOKIE: &str = "tidily_device";

fn build(
    state: &AppState,
    name: &'static str,
    value: String,
    max_age_secs: i64,
) -> Cookie<'static> {
    Cookie::build((name, value))
        .http_only(true)
        .secure(state.config.secure_cookies())
        .same_site(SameSite::Lax)
        .path("/")
        .max_age(time::Duration::seconds(max_age_secs))
        .build()
}

/// The session cookie, carrying the session's secret.
pub fn session(state: &AppState, secret: String) -> Cookie<'static> {
    build(
        state,
        SESSION_COOKIE,
        secret,
        credentials::SESSION_TTL.num_seconds(),
    )
}

/// The device cookie: long-lived, and sent only to this site.
pub fn device(state: &AppState, token: String) -> Cookie<'static> {
    build(state, DEVICE_COOKIE, token, jwt::DEVICE_TOKEN_TTL_SECS)
}

/// The session cookie, expired.
pub fn session_removal() -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE).path("/").build()
}
