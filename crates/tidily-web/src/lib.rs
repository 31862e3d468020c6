//! The web role's pages: server-rendered HTML over the same store the API uses.
//!
//! Every page is an askama template (checked at compile time, HTML-escaped by default) filled
//! from the store directly; there is no HTTP hop to the API. Every flow is a plain link or
//! form, so it works with JavaScript off; `assets/app.js` only makes it quicker (modal without
//! a reload, live search).
//!
//! Errors: handlers return [`PageError`], which becomes an HTML error page in the visitor's
//! language in [`render_errors`], the one place where that happens.

// What this surface may use, under its usual names: `app` and the layers beside it, and the
// shared HTTP plumbing. The store is not among them: a surface goes through `app`.
pub(crate) use tidily_core::{app, domain, entity, error, telemetry, validate};
pub(crate) use tidily_http as http;

pub mod assets;
pub mod auth;
pub mod calendar;
pub mod csrf;
pub mod dashboard;
pub mod duplicates;
pub mod groups;
pub mod i18n;
pub mod items;
pub mod organize;
pub mod pwa;
pub mod reader;
pub mod session;
pub mod tree;

use askama::Template;
use axum::{
    extract::{FromRequestParts, Request},
    http::{header, request::Parts, HeaderMap, StatusCode},
    middleware::{self, Next},
    response::{Html, IntoResponse, Redirect, Response},
    routing::get,
    Router,
};
use chrono_tz::Tz;
use serde::de::DeserializeOwned;

use crate::app::AppState;
use crate::domain::problem::Conflict;
use crate::{
    error::CoreError,
    http::error::{core_status, error_headers, log_unexpected, request_status, RequestError},
    i18n::{Catalog, Lang},
    session::PageUser,
};

/// Every page route. Merged into the application for the `all` and `web` roles.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/robots.txt", get(robots))
        .merge(assets::routes())
        .merge(pwa::routes())
        .merge(auth::routes())
        .merge(dashboard::routes())
        .merge(items::routes())
        .merge(groups::routes())
        .merge(tree::routes())
        .merge(calendar::routes())
        .merge(organize::routes())
        .merge(duplicates::routes())
        .merge(reader::routes())
        .layer(middleware::from_fn_with_state(
            crate::http::extract::BODY_LIMIT,
            crate::http::extract::refuse_oversized_bodies::<PageError>,
        ))
        .layer(middleware::from_fn(render_errors))
}

/// `/`: the dashboard when signed in, else the log-in page.
async fn home(user: Option<PageUser>) -> Redirect {
    match user {
        Some(_) => Redirect::to("/dashboard"),
        None => Redirect::to("/login"),
    }
}

async fn robots() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "User-agent: *\nDisallow: /api/\n",
    )
}

/// The side-menu entry a page belongs to (highlighted in the shell).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    None,
    Dashboard,
    Items,
    Groups,
    Tree,
    Calendar,
    Favorites,
    Archive,
    Trash,
    Settings,
}

impl Nav {
    pub fn name(self) -> &'static str {
        match self {
            Nav::None => "",
            Nav::Dashboard => "dashboard",
            Nav::Items => "items",
            Nav::Groups => "groups",
            Nav::Tree => "tree",
            Nav::Calendar => "calendar",
            Nav::Favorites => "favorites",
            Nav::Archive => "archive",
            Nav::Trash => "trash",
            Nav::Settings => "settings",
        }
    }
}

/// A profile in the header's drop-down.
pub struct ProfileChoice {
    pub id: i64,
    pub name: String,
    pub selected: bool,
}

/// The signed-in part of the page chrome: header, profile drop-down, side menu.
pub struct Shell {
    pub name: String,
    pub csrf: String,
    pub profiles: Vec<ProfileChoice>,
    /// The selected profile (`?profile=ID`), `None` for "All".
    pub profile: Option<i64>,
    pub nav: Nav,
    /// The current path, for the profile switcher's links.
    pub path: String,
}

impl Shell {
    /// `path` with the selected profile kept.
    pub fn href(&self, path: &str) -> String {
        match self.profile {
            Some(p) if path.contains('?') => format!("{path}&profile={p}"),
            Some(p) => format!("{path}?profile={p}"),
            None => path.to_owned(),
        }
    }

    /// Whether the page belongs to the side-menu entry `name` (`"items"`, `"trash"` …).
    pub fn current(&self, name: &str) -> bool {
        self.nav.name() == name
    }

    /// The selected profile's name, or "All".
    pub fn profile_name<'a>(&'a self, t: &'a Catalog) -> &'a str {
        self.profiles
            .iter()
            .find(|p| p.selected)
            .map_or(t.all_profiles, |p| p.name.as_str())
    }
}

/// What the base template needs on every page.
pub struct Chrome {
    pub lang: Lang,
    pub t: &'static Catalog,
    pub title: String,
    pub tz: Tz,
    /// `None` on the anonymous pages (log-in, sign-up, errors).
    pub shell: Option<Shell>,
}

impl Chrome {
    /// The chrome of a page nobody is signed in to.
    pub fn anonymous(lang: Lang, title: &str) -> Chrome {
        Chrome {
            lang,
            t: lang.catalog(),
            title: title.to_owned(),
            tz: Tz::UTC,
            shell: None,
        }
    }

    /// The chrome of a signed-in page, with the user's profiles in the drop-down. A selected
    /// profile that is not the user's is a 404.
    pub async fn signed_in(
        state: &AppState,
        user: &PageUser,
        nav: Nav,
        profile: Option<i64>,
        path: &str,
        title: impl FnOnce(&Catalog) -> String,
    ) -> Result<Chrome, PageError> {
        let labels = user.data(state).labels().await?;
        if let Some(p) = profile {
            labels.profile(p)?;
        }
        let choices = labels
            .profiles
            .iter()
            .map(|p| ProfileChoice {
                selected: Some(p.id) == profile,
                id: p.id,
                name: p.name.clone(),
            })
            .collect();
        let t = user.lang.catalog();
        Ok(Chrome {
            lang: user.lang,
            t,
            title: title(t),
            tz: user.tz,
            shell: Some(Shell {
                name: user.display_name.clone(),
                csrf: user.csrf.clone(),
                profiles: choices,
                profile,
                nav,
                path: path.to_owned(),
            }),
        })
    }

    /// The session's CSRF token for the page's forms.
    pub fn csrf(&self) -> &str {
        self.shell.as_ref().map_or("", |s| s.csrf.as_str())
    }

    pub fn css_url(&self) -> &'static str {
        assets::CSS.url()
    }

    pub fn js_url(&self) -> &'static str {
        assets::JS.url()
    }

    pub fn htmx_url(&self) -> &'static str {
        assets::HTMX.url()
    }

    pub fn sortable_url(&self) -> &'static str {
        assets::SORTABLE.url()
    }

    pub fn icon_url(&self) -> &'static str {
        assets::ICON.url()
    }

    /// The home-screen icon for iOS: the maskable PNG (opaque to the edges; iOS rounds it).
    pub fn touch_icon_url(&self) -> &'static str {
        assets::ICON_MASKABLE.url()
    }
}

/// Any failure of a page request: the use case's, or its transport's (a CSRF token
/// missing, a body too large). Rendered as an error page in the visitor's language by
/// [`render_errors`], with the status of `http::error`'s one mapping.
#[derive(Debug)]
pub enum PageError {
    Core(CoreError),
    Request(RequestError),
}

impl From<CoreError> for PageError {
    fn from(e: CoreError) -> Self {
        PageError::Core(e)
    }
}

impl From<RequestError> for PageError {
    fn from(e: RequestError) -> Self {
        PageError::Request(e)
    }
}

impl From<sea_orm::DbErr> for PageError {
    fn from(e: sea_orm::DbErr) -> Self {
        PageError::Core(e.into())
    }
}

/// Carries a page error from the handler to [`render_errors`], which knows the request.
#[derive(Clone)]
struct PendingError {
    status: StatusCode,
    /// A conflict says what it is, in the visitor's language.
    conflict: Option<Conflict>,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, _) = match &self {
            PageError::Core(e) => core_status(e),
            PageError::Request(e) => request_status(e),
        };
        log_unexpected(status, &self);
        let mut response = status.into_response();
        let conflict = match &self {
            PageError::Core(CoreError::Conflict(c)) => Some(c.clone()),
            _ => None,
        };
        response
            .extensions_mut()
            .insert(PendingError { status, conflict });
        let (retry_after, unread_body) = match &self {
            PageError::Core(e) => (e.retry_after(), false),
            PageError::Request(e) => (None, matches!(e, RequestError::PayloadTooLarge { .. })),
        };
        error_headers(&mut response, retry_after, unread_body);
        response
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    status: u16,
    message: String,
    request_id: Option<String>,
}

/// The language of the signed-in user, filled in by the session extractor when a request
/// has one, so that an error page speaks the account's language.
#[derive(Clone, Default)]
pub struct AccountLang(std::sync::Arc<std::sync::OnceLock<Lang>>);

impl AccountLang {
    pub fn set(&self, lang: Lang) {
        let _ = self.0.set(lang);
    }
}

/// Turns a [`PageError`] into an error page in the account's language, else the one the
/// browser asks for.
async fn render_errors(mut req: Request, next: Next) -> Response {
    let browser_lang = Lang::negotiate(
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let account_lang = AccountLang::default();
    req.extensions_mut().insert(account_lang.clone());
    let response = next.run(req).await;
    let Some(pending) = response.extensions().get::<PendingError>().cloned() else {
        return response;
    };
    let lang = account_lang.0.get().copied().unwrap_or(browser_lang);
    let t = lang.catalog();
    let message = match pending.status {
        _ if pending.conflict.is_some() => "",
        StatusCode::NOT_FOUND => t.error_not_found,
        StatusCode::FORBIDDEN => t.error_forbidden,
        StatusCode::TOO_MANY_REQUESTS => t.too_many_attempts,
        StatusCode::PAYLOAD_TOO_LARGE => t.error_too_large,
        StatusCode::SERVICE_UNAVAILABLE => t.error_unavailable,
        s if s.is_client_error() => t.error_invalid,
        _ => t.error_generic,
    };
    let message = match &pending.conflict {
        Some(c) => i18n::conflict(lang, c),
        None => message.to_owned(),
    };
    let page = ErrorPage {
        c: Chrome::anonymous(lang, t.error_title),
        status: pending.status.as_u16(),
        message: message.clone(),
        // Only a server error needs one: it is what finds the log line.
        request_id: pending
            .status
            .is_server_error()
            .then(crate::telemetry::current_request_id)
            .flatten(),
    };
    let body = page
        .render()
        .unwrap_or_else(|_| format!("{} {message}", pending.status.as_u16()));
    let mut out = (pending.status, html_headers(), Html(body)).into_response();
    for kept in [header::RETRY_AFTER, header::CONNECTION] {
        if let Some(value) = response.headers().get(&kept) {
            out.headers_mut().insert(kept, value.clone());
        }
    }
    out
}

/// Pages may hold private data: never stored by shared caches or the browser's back cache
/// of another user. A URL answers a page or a fragment of it by the htmx headers
/// ([`fragment_kind`]), so a cache must key on them.
fn html_headers() -> [(header::HeaderName, &'static str); 2] {
    [
        (header::CACHE_CONTROL, "no-store"),
        (
            header::VARY,
            "HX-Request, HX-Target, HX-History-Restore-Request",
        ),
    ]
}

/// Renders a template as a page answer.
pub fn render(template: &impl Template) -> Result<Response, PageError> {
    render_with(StatusCode::OK, template)
}

/// Renders a template with a status (422 for a form with errors).
pub fn render_with(status: StatusCode, template: &impl Template) -> Result<Response, PageError> {
    let body = template
        .render()
        .map_err(|e| CoreError::Internal(anyhow::anyhow!("template: {e}")))?;
    Ok((status, html_headers(), Html(body)).into_response())
}

/// Query-string parameters for pages. Empty values (an untouched `<select>` in a GET form)
/// count as absent, so plain HTML filter forms produce valid queries.
pub struct PageQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for PageQuery<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, PageError> {
        let query = crate::http::extract::query_string(parts)?;
        parse_form(query.as_bytes()).map(PageQuery)
    }
}

/// Parses URL-encoded pairs, dropping empty values; bad values are a 422 naming the field.
pub fn parse_form<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, PageError> {
    let mut kept = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(bytes) {
        if !v.trim().is_empty() {
            kept.append_pair(&k, &v);
        }
    }
    let kept = kept.finish();
    let de = serde_html_form::Deserializer::new(form_urlencoded::parse(kept.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        PageError::Core(CoreError::field(
            &path,
            crate::domain::problem::Problem::Unreadable(err.into_inner().to_string()),
        ))
    })
}

/// Whether the request asks for a fragment of a page, not a whole page: htmx marks its
/// requests with `HX-Request: true` (and so does `app.js` when it posts a drop). A history
/// restore (`HX-History-Restore-Request`) wants the whole page.
pub fn wants_fragment(headers: &HeaderMap) -> bool {
    headers.get("hx-request").is_some_and(|v| v == "true")
        && !headers.contains_key("hx-history-restore-request")
}

/// Which fragment is asked for, if any: the id of the element htmx puts the answer in
/// (`HX-Target`): `list` (live search), `rows` (the next page, infinite scroll),
/// `modal-root` (the item modal); `""` when it has none (a tree folder's items, a move).
/// The one place that reads these headers; every response says it depends on them (`Vary`).
pub fn fragment_kind(headers: &HeaderMap) -> Option<&str> {
    if !wants_fragment(headers) {
        return None;
    }
    Some(
        headers
            .get("hx-target")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default(),
    )
}

/// A 303 to `to`: the answer to a successful form post.
pub fn see_other(to: &str) -> Response {
    see_other_or(to, "/dashboard")
}

/// A 303 to `to` if it is a safe local path ([`safe_local_path`]), else to `fallback`.
pub fn see_other_or(to: &str, fallback: &'static str) -> Response {
    Redirect::to(safe_local_path(to, fallback)).into_response()
}

/// `path` if a browser can only read it as a path on this site, else `fallback`: the one
/// rule for every redirect whose target a request can influence (`?next=`, a form's `back`).
///
/// It must start with one `/` (`//host` and `/\host` name another site), and be printable
/// ASCII throughout: browsers drop tabs and newlines from URLs, so `/\t/evil.example` would
/// be read as `//evil.example`, and a control character is not a valid `Location` at all.
/// A path with other characters arrives percent-encoded, so nothing legitimate is refused.
pub fn safe_local_path<'a>(path: &'a str, fallback: &'a str) -> &'a str {
    let bytes = path.as_bytes();
    let local = bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/' | b'\\'))
        && bytes.iter().all(|&b| b.is_ascii_graphic() && b != b'\\');
    if local {
        path
    } else {
        fallback
    }
}

/// Field problems of a posted form, shown next to the fields.
#[derive(Debug, Default)]
pub struct Errors(pub std::collections::BTreeMap<String, Vec<String>>);

impl Errors {
    /// The problems, in `lang`.
    pub fn localized(fields: crate::domain::problem::FieldProblems, lang: Lang) -> Errors {
        Errors(
            fields
                .into_iter()
                .map(|(field, problems)| {
                    let problems = problems.iter().map(|p| i18n::problem(lang, p)).collect();
                    (field, problems)
                })
                .collect(),
        )
    }

    /// The problems with `field`, as one sentence (empty when none).
    pub fn of(&self, field: &str) -> String {
        self.0
            .get(field)
            .map(|problems| problems.join("; "))
            .unwrap_or_default()
    }

    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }
}

/// A choice in a `<select>` or a group of radio buttons.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Opt {
    pub fn new(value: impl ToString, label: impl ToString, selected: bool) -> Opt {
        Opt {
            value: value.to_string(),
            label: label.to_string(),
            selected,
        }
    }
}

/// A numeric ID in the path; anything else is a 404 page (such a record cannot exist).
pub struct PageId<T = i64>(pub T);

impl<S: Send + Sync, T: std::str::FromStr> FromRequestParts<S> for PageId<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        crate::http::extract::Id::<T>::from_request_parts(parts, state)
            .await
            .map(|id| PageId(id.0))
            .map_err(|_| PageError::Core(CoreError::NotFound))
    }
}

#[cfg(test)]
mod redirect_tests {
    use super::safe_local_path;

    #[test]
    fn only_local_paths_pass() {
        for good in [
            "/items?sort=manual",
            "/tree?profile=2",
            "/items/%E6%9D%B1",
            "/",
        ] {
            assert_eq!(safe_local_path(good, "/x"), good);
        }
        for bad in [
            "",
            "items",
            "https://evil.example/",
            "//evil.example/x",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/a\nb",
            "/a\rb",
            "/a b",
            "/東京",
            "/a\\b",
        ] {
            assert_eq!(safe_local_path(bad, "/x"), "/x", "{bad:?}");
        }
    }
}
