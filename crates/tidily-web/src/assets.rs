//! CSS, JavaScript and icons (SVG, and PNGs for the PWA), compiled into the binary.
//!
//! Each file is served at a URL that contains a hash of its content (`/assets/app.3f2a….css`),
//! so it can be cached for a year: a new build with a changed file has a new URL. No build
//! step or Node toolchain: the files in `crates/tidily/assets/` are served as written,
//! including the two vendored libraries in `assets/vendor/` (htmx and SortableJS, minified
//! files as published on npm; versions and checksums in docs/web.md).

use std::sync::LazyLock;

use axum::{
    extract::Path,
    http::header,
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use sha2::{Digest, Sha256};

use crate::{app::AppState, error::CoreError, PageError};

/// One embedded file.
pub struct Asset {
    stem: &'static str,
    ext: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
    url: LazyLock<String>,
}

impl Asset {
    /// The cache-busting URL of the file.
    pub fn url(&'static self) -> &'static str {
        &self.url
    }

    fn file_name(&self) -> String {
        let hash = hex::encode(&Sha256::digest(self.bytes)[..6]);
        format!("{}.{hash}.{}", self.stem, self.ext)
    }
}

macro_rules! asset {
    ($name:ident, $stem:literal, $ext:literal, $ct:literal) => {
        asset!($name, "", $stem, $ext, $ct);
    };
    ($name:ident, $dir:literal, $stem:literal, $ext:literal, $ct:literal) => {
        pub static $name: Asset = Asset {
            stem: $stem,
            ext: $ext,
            content_type: $ct,
            bytes: include_bytes!(concat!("../assets/", $dir, $stem, ".", $ext)),
            url: LazyLock::new(|| format!("/assets/{}", $name.file_name())),
        };
    };
}

asset!(CSS, "app", "css", "text/css; charset=utf-8");
asset!(JS, "app", "js", "text/javascript; charset=utf-8");
asset!(
    HTMX,
    "vendor/",
    "htmx.min",
    "js",
    "text/javascript; charset=utf-8"
);
asset!(
    SORTABLE,
    "vendor/",
    "Sortable.min",
    "js",
    "text/javascript; charset=utf-8"
);
asset!(ICON, "icon", "svg", "image/svg+xml");
// The PWA's raster icons, made from icon.svg by scripts/icons.sh (launchers and iOS need PNG).
asset!(ICON_192, "icon-192", "png", "image/png");
asset!(ICON_512, "icon-512", "png", "image/png");
asset!(ICON_MASKABLE, "icon-maskable-512", "png", "image/png");

/// Every embedded file (the service worker caches them all).
pub static ALL: [&Asset; 8] = [
    &CSS,
    &JS,
    &HTMX,
    &SORTABLE,
    &ICON,
    &ICON_192,
    &ICON_512,
    &ICON_MASKABLE,
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/assets/{file}", get(serve))
        .route("/favicon.ico", get(favicon))
}

async fn serve(Path(file): Path<String>) -> Result<Response, PageError> {
    let asset = ALL
        .iter()
        .find(|a| a.url().strip_prefix("/assets/") == Some(file.as_str()))
        .ok_or(CoreError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        asset.bytes,
    )
        .into_response())
}

async fn favicon() -> Response {
    (
        [
            (header::CONTENT_TYPE, ICON.content_type),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        ICON.bytes,
    )
        .into_response()
}
