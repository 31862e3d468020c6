//! Stored files (favicons, previews) as HTTP answers, the same for the API and the pages.

use axum::{
    body::Body,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use crate::{app::files::Served, core_error::CoreError, domain::file::FileRole};

/// `?v=`: the version of the file the URL was made for (`ItemView::favicon`/`preview`).
#[derive(Debug, Deserialize)]
pub struct Version {
    pub v: Option<String>,
}

/// The `{id}` and `{role}` of `/items/{id}/files/{role}`; anything else is not found.
pub fn target<Id: std::str::FromStr>(id: &str, role: &str) -> Result<(Id, FileRole), CoreError> {
    let id = id.parse().map_err(|_| CoreError::NotFound)?;
    let role = FileRole::parse(role).ok_or(CoreError::NotFound)?;
    Ok((id, role))
}

/// Answers with the file: kept by the browser for a year when the URL names its current
/// version (a new capture changes the URL), revalidated by its ETag otherwise. It is private
/// (it is one user's), never sniffed as another type and never run as a document.
pub fn respond(served: Served, version: &Version, request: &HeaderMap) -> Response {
    let etag = format!("\"{}\"", served.digest);
    let cache = if version.v.as_deref() == Some(served.digest.short()) {
        "private, max-age=31536000, immutable"
    } else {
        "private, no-cache"
    };
    let fresh = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        Body::from(served.bytes).into_response()
    };
    let headers = response.headers_mut();
    if let Ok(ct) = HeaderValue::from_str(&served.content_type) {
        headers.insert(header::CONTENT_TYPE, ct);
    }
    if let Ok(tag) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, tag);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    // An archive (HTML) may show its images (our own) and nothing else, and runs nothing.
    let csp = if served.content_type.starts_with("text/html") {
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    } else {
        "default-src 'none'; sandbox"
    };
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    headers.insert(
        header::HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("same-origin"),
    );
    response
}
