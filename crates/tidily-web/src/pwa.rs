//! What makes the site an installable PWA: the web app manifest, the service worker (served
//! from the root so its scope is the whole site) and the page it shows when offline.

use std::sync::LazyLock;

use askama::Template;
use axum::{
    http::{header, HeaderMap},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};

use crate::{app::AppState, assets, i18n::Lang, render, Chrome, PageError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/manifest.webmanifest", get(manifest))
        .route("/sw.js", get(service_worker))
        .route("/offline", get(offline))
}

/// The service worker with the current asset URLs filled in (a new build, a new worker).
static SERVICE_WORKER: LazyLock<String> = LazyLock::new(|| {
    let urls: Vec<&str> = assets::ALL.iter().map(|a| a.url()).collect();
    let version: String = urls
        .iter()
        .map(|u| u.rsplit('.').nth(1).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("-");
    include_str!("../assets/sw.js")
        .replace("__VERSION__", &version)
        .replace(
            "__ASSETS__",
            &serde_json::to_string(&urls).expect("URLs serialise"),
        )
});

async fn service_worker() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        SERVICE_WORKER.as_str(),
    )
        .into_response()
}

async fn manifest() -> Response {
    let body = serde_json::json!({
        "name": "TidilySpace",
        "short_name": "Tidily",
        "start_url": "/dashboard",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f7f7f8",
        "theme_color": "#2563eb",
        // Android's share sheet: the new-item form, filled in (apps put the link in `text`).
        "share_target": {
            "action": "/save",
            "method": "GET",
            "params": {"url": "url", "title": "title", "text": "text"},
        },
        "icons": [
            {"src": assets::ICON.url(), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
            {"src": assets::ICON_192.url(), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": assets::ICON_512.url(), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": assets::ICON_MASKABLE.url(), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        ],
    });
    (
        [
            (header::CONTENT_TYPE, "application/manifest+json"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body.to_string(),
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "offline.html")]
struct OfflinePage {
    c: Chrome,
}

/// Shown by the service worker when a page cannot be fetched. Bilingual: the worker caches
/// one copy for every visitor.
async fn offline(headers: HeaderMap) -> Result<Response, PageError> {
    let lang = Lang::negotiate(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    render(&OfflinePage {
        c: Chrome::anonymous(lang, lang.catalog().offline_title),
    })
}
