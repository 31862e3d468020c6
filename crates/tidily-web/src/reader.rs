//! The reader view: an item's readable archive in a calm page (Japanese typography, light and
//! dark), its images from our own origin, and the reading position kept per item.
//!
//! The archive is HTML that the capture sanitised (no script, no handler, no style, no frame,
//! no remote image); it is shown inside this page under the site's CSP, which allows no inline
//! script either. `GET /items/{id}/files/archive` serves it alone with a sandboxing CSP.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};
use serde::Deserialize;

use crate::{
    app::{self, AppState},
    csrf::Form,
    domain::{file::FileRole, ids::ItemId},
    error::CoreError,
    http::files::{respond, Version},
    render,
    session::PageUser,
    Chrome, Nav, PageError, PageId,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/items/{id}/reader", get(page))
        .route("/items/{id}/images/{digest}", get(image))
        .route("/items/{id}/progress", post(progress))
}

#[derive(Template)]
#[template(path = "reader.html")]
struct ReaderPage {
    c: Chrome,
    id: i64,
    title: String,
    url: String,
    /// "Site · 5 min read".
    meta: String,
    lang: String,
    /// The sanitised article.
    article: String,
    /// How far it was read, 0-100.
    progress: i32,
}

async fn page(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId<ItemId>,
) -> Result<Response, PageError> {
    let item = app::items::get(&state, user.owner, id).await?;
    let archive = app::files::open(&state, user.owner, id, FileRole::Archive).await?;
    let article = String::from_utf8_lossy(&archive.bytes).into_owned();
    let capture = app::captures::view(&state, user.owner, id).await?;
    let c = Chrome::signed_in(&state, &user, Nav::Items, None, "/items", |_| {
        item.title.clone()
    })
    .await?;
    let meta = [
        item.site_name.clone(),
        capture.page.as_ref().and_then(|p| p.author.clone()),
        item.reading_minutes.map(|m| c.t.reading_time(m)),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let lang = capture
        .page
        .and_then(|p| p.lang)
        .filter(|l| l.len() <= 35 && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or_else(|| c.lang.code().to_owned());
    render(&ReaderPage {
        c,
        id: item.id,
        title: item.title,
        url: item.url.unwrap_or_default(),
        meta,
        lang,
        article,
        progress: item.reading_progress,
    })
}

/// An image of the item's archive.
async fn image(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, digest)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let id: ItemId = id.parse().map_err(|_| CoreError::NotFound)?;
    let served = app::files::archive_image(&state, user.owner, id, &digest).await?;
    // The URL names the content: it never changes.
    let version = Version {
        v: Some(served.digest.short().to_owned()),
    };
    Ok(respond(served, &version, &headers))
}

#[derive(Deserialize)]
struct ProgressPost {
    percent: i64,
}

/// Keeps the reading position (sent by the reader page as it is scrolled).
async fn progress(
    State(state): State<AppState>,
    PageId(id): PageId<ItemId>,
    form: Form<ProgressPost>,
) -> Result<Response, PageError> {
    app::items::set_reading_progress(&state, form.user.owner, id, form.data.percent).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
