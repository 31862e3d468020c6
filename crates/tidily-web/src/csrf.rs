//! CSRF protection for forms.
//!
//! Signed-in forms carry a hidden `_csrf` field equal to the session's token (the
//! synchroniser-token pattern: a cross-site page cannot read it). The log-in and sign-up forms
//! come before any session, so they use a double-submit cookie instead: `tidily_csrf` is set
//! when the form is shown and the post must echo it. Either way a post without the right
//! token is refused with 403 before the handler runs.

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Request},
};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::de::DeserializeOwned;

use crate::{app::AppState, http::error::RequestError, parse_form, session::PageUser, PageError};

/// The pre-session CSRF cookie of the log-in and sign-up forms.
pub const PRE_SESSION_COOKIE: &str = "tidily_csrf";

/// A form posted by the signed-in user, its CSRF token checked.
pub struct Form<T> {
    pub user: PageUser,
    pub data: T,
}

/// A form posted before log-in, checked against the double-submit cookie.
pub struct AnonForm<T>(pub T);

/// No fields besides `_csrf` (the buttons that archive, trash, log out …).
#[derive(serde::Deserialize)]
pub struct NoFields {}

/// The urlencoded body of a form post and its `_csrf` field.
async fn read_body(req: Request, state: &AppState) -> Result<(Bytes, String), PageError> {
    let form = "application/x-www-form-urlencoded";
    let is_form = |mime: &str| mime == form;
    let (bytes, _) = crate::http::extract::body(req, state, is_form, form).await?;
    let csrf = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "_csrf")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    Ok((bytes, csrf))
}

impl<T: DeserializeOwned> FromRequest<AppState> for Form<T> {
    type Rejection = axum::response::Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        use axum::response::IntoResponse;
        let (mut parts, body) = req.into_parts();
        let user = PageUser::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let req = Request::from_parts(parts, body);
        let (bytes, csrf) = read_body(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        if csrf.is_empty() || !tidily_core::auth::token::equal(&csrf, &user.csrf) {
            return Err(PageError::Request(RequestError::CsrfFailed).into_response());
        }
        let data = parse_form(&bytes).map_err(IntoResponse::into_response)?;
        Ok(Form { user, data })
    }
}

impl<T: DeserializeOwned> FromRequest<AppState> for AnonForm<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, PageError> {
        let jar = CookieJar::from_headers(req.headers());
        let expected = jar
            .get(PRE_SESSION_COOKIE)
            .map(|c| c.value().to_owned())
            .unwrap_or_default();
        let (bytes, csrf) = read_body(req, state).await?;
        if csrf.is_empty()
            || expected.is_empty()
            || !tidily_core::auth::token::equal(&csrf, &expected)
        {
            return Err(RequestError::CsrfFailed.into());
        }
        Ok(AnonForm(parse_form(&bytes)?))
    }
}

/// The pre-session token for a log-in or sign-up form: the existing cookie's, or a new one
/// (returned with the jar that sets it).
pub fn pre_session_token(state: &AppState, jar: CookieJar) -> (CookieJar, String) {
    if let Some(c) = jar.get(PRE_SESSION_COOKIE) {
        let value = c.value().to_owned();
        return (jar, value);
    }
    let value = tidily_core::auth::token::random();
    let cookie = Cookie::build((PRE_SESSION_COOKIE, value.clone()))
        .http_only(true)
        .secure(state.config.secure_cookies())
        .same_site(SameSite::Lax)
        .path("/")
        .build();
    (jar.add(cookie), value)
}
