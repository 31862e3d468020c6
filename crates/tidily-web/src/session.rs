//! Who is looking at a page: the `tidily_session` cookie resolved to an account.
//!
//! [`PageUser`] is the pages' counterpart of the API's principal: it reads only the
//! session cookie (pages never see bearer tokens) and, instead of a 401, sends a visitor
//! without a session to the log-in page, remembering where they were going.

use axum::{
    extract::{FromRequestParts, OptionalFromRequestParts},
    http::{request::Parts, Method},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::CookieJar;
use chrono_tz::Tz;

use crate::{
    app::{
        owner::Owner,
        reads::{self, UserData},
        sessions::{self, Session},
        AppState,
    },
    domain::{Locale, Role},
    http::principal::SESSION_COOKIE,
    i18n::{zone_of, Lang},
    PageError,
};

/// The signed-in user of a page request.
#[derive(Debug, Clone)]
pub struct PageUser {
    pub owner: Owner,
    pub role: Role,
    pub display_name: String,
    pub email: String,
    pub locale: Locale,
    pub time_zone: String,
    /// The interface language (the account's setting).
    pub lang: Lang,
    /// The account's time zone as an offset.
    pub tz: Tz,
    /// The session's CSRF token; every form carries it as `_csrf`.
    pub csrf: String,
    /// Identifies the session, so log-out and password changes can end or keep it.
    pub token_hash: String,
    /// The account's data revision when the request started (see `store::memo`).
    pub revision: i64,
}

impl PageUser {
    /// Catches up with the account's revision after this request wrote, so that what it
    /// renders next (a form shown again with its errors) lists what the write created.
    pub async fn refresh(&mut self, state: &AppState) -> Result<(), PageError> {
        self.revision = reads::revision(state, self.owner).await?;
        Ok(())
    }

    /// The user's data as this request sees it, with the label lists and counts memoised.
    pub fn data<'a>(&self, state: &'a AppState) -> UserData<'a> {
        reads::as_of(state, self.owner, self.revision)
    }
}

/// A request without a valid session.
pub enum NotSignedIn {
    /// Send the browser to the log-in page.
    Redirect(String),
    Failed(PageError),
}

impl IntoResponse for NotSignedIn {
    fn into_response(self) -> Response {
        match self {
            NotSignedIn::Redirect(to) => Redirect::to(&to).into_response(),
            NotSignedIn::Failed(e) => e.into_response(),
        }
    }
}

async fn resolve(parts: &Parts, state: &AppState) -> Result<Option<PageUser>, PageError> {
    let jar = CookieJar::from_headers(&parts.headers);
    let Some(cookie) = jar.get(SESSION_COOKIE) else {
        return Ok(None);
    };
    let Some(Session { owner, info }) = sessions::by_cookie(state, cookie.value()).await? else {
        return Ok(None);
    };
    let user = info.user;
    Ok(Some(PageUser {
        owner,
        role: user.role,
        lang: Lang::of_locale(user.locale),
        tz: zone_of(&user.time_zone),
        display_name: user.display_name,
        email: user.email,
        locale: user.locale,
        time_zone: user.time_zone,
        csrf: info.csrf_token,
        token_hash: info.token_hash,
        revision: user.revision,
    }))
}

async fn cached(parts: &mut Parts, state: &AppState) -> Result<Option<PageUser>, PageError> {
    if let Some(user) = parts.extensions.get::<Option<PageUser>>() {
        return Ok(user.clone());
    }
    let user = resolve(parts, state).await?;
    if let (Some(u), Some(slot)) = (&user, parts.extensions.get::<crate::AccountLang>()) {
        slot.set(u.lang);
    }
    parts.extensions.insert(user.clone());
    Ok(user)
}

impl FromRequestParts<AppState> for PageUser {
    type Rejection = NotSignedIn;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, NotSignedIn> {
        match cached(parts, state).await {
            Ok(Some(user)) => Ok(user),
            Ok(None) => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str())
                    .filter(|_| parts.method == Method::GET)
                    .unwrap_or("/dashboard");
                let next: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
                Err(NotSignedIn::Redirect(format!("/login?next={next}")))
            }
            Err(e) => Err(NotSignedIn::Failed(e)),
        }
    }
}

impl OptionalFromRequestParts<AppState> for PageUser {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, PageError> {
        cached(parts, state).await
    }
}

/// Where to go after log-in: `next` if it is a safe local path, else the dashboard.
pub fn safe_next(next: Option<&str>) -> &str {
    crate::safe_local_path(next.unwrap_or_default(), "/dashboard")
}
