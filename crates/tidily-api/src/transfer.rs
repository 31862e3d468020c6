//! `/imports` and `/export`: a bookmark file in, the library out.

use axum::{
    body::Body,
    extract::State,
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    Json as JsonOut,
};
use serde::Deserialize;
use tidily_transfer::write::{self, ExportFormat};
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::{
        profiles,
        transfer::{self, ImportOptions, ImportReport},
        AppState,
    },
    domain::ids::{FolderId, ProfileId},
    error::CoreError,
    http::{
        error::{ApiResult, ErrorEnvelope, RequestError},
        extract::{FileBody, Query},
        principal::CurrentUser,
    },
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export))
}

/// `POST /imports`, apart: its bodies may be far larger than any other's (`IMPORT_LIMIT`).
pub fn import_route() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(import))
}

/// Where an import goes, and whether it only reports.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ImportQuery {
    /// Report what would be imported (items, new folders and tags, duplicates, skipped
    /// lines) and write nothing.
    dry_run: Option<bool>,
    /// The profile of entries that name none; default: the first profile.
    profile_id: Option<i64>,
    /// The folder the file's folders go under; default: the profile's top level.
    folder_id: Option<i64>,
}

/// Imports a bookmark file, sent as the body (at most 64 MiB, any content type: the format
/// is told from the content): a browser's bookmark HTML (Firefox, Chrome, Edge, Safari), the
/// HTML of linkding, Pinboard, Delicious, Karakeep, Raindrop or Pocket; a CSV of Pocket,
/// Instapaper, Raindrop or Readwise Reader; a JSON of TidilySpace, Pinboard, Karakeep or
/// Linkwarden. Links the library already holds are left out, links repeated in the file
/// merged, and lines that are not web links reported; 422 `unreadable_file` for a file in
/// no known format, 413 past the size.
#[utoipa::path(post, path = "/imports", tag = "items", params(ImportQuery),
    request_body(content_type = "application/octet-stream", description = "The file, as exported"),
    responses((status = 200, body = ImportReport), (status = 404, body = ErrorEnvelope),
        (status = 413, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn import(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ImportQuery>,
    FileBody(bytes): FileBody,
) -> ApiResult<JsonOut<ImportReport>> {
    // Reading 60 MB of HTML takes a core for a while: off the async threads.
    let parsed = tokio::task::spawn_blocking(move || tidily_transfer::read(&bytes))
        .await
        .map_err(|e| CoreError::Internal(e.into()))?
        .map_err(|e| RequestError::UnreadableFile(e.to_string()))?;
    let options = ImportOptions {
        profile: q.profile_id.map(ProfileId::from),
        folder: q.folder_id.map(FolderId::from),
        dry_run: q.dry_run.unwrap_or(false),
    };
    // Run to its end even if the client goes away or the request times out: an import cut
    // between two batches would leave the file half in (whole batches, but half the file).
    let owner = user.owner;
    let report =
        tokio::spawn(async move { transfer::import(&state, owner, parsed, options).await })
            .await
            .map_err(|e| CoreError::Internal(e.into()))??;
    Ok(JsonOut(report))
}

/// What to export.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ExportQuery {
    /// `json` (default: every field, re-importable without loss), `html` (bookmark HTML for
    /// browsers and other managers) or `csv`.
    format: Option<ExportFormat>,
    /// Only this profile; default: all.
    profile_id: Option<i64>,
}

/// The library as a file, streamed as it is read (a download of any size, never held in
/// memory): our JSON, bookmark HTML or CSV.
#[utoipa::path(get, path = "/export", tag = "items", params(ExportQuery),
    responses((status = 200, description = "The file, in the format asked for",
            content((Object = "application/json"), (String = "text/html"), (String = "text/csv"))),
        (status = 404, body = ErrorEnvelope)))]
async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ExportQuery>,
) -> ApiResult<Response> {
    let format = q.format.unwrap_or(ExportFormat::Json);
    let only = q.profile_id.map(ProfileId::from);
    if let Some(id) = only {
        profiles::get(&state, user.owner, id).await?;
    }
    let (tx, rx) = tokio::sync::mpsc::channel(8);
    let owner = user.owner;
    let task_state = state.clone();
    tokio::spawn(async move {
        if let Err(e) = write::export(&task_state, owner, format, only, tx).await {
            tracing::warn!(error = %e, "export ended early");
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    });
    let name = format!(
        "attachment; filename=\"tidilyspace-{}.{}\"",
        chrono::Utc::now().format("%Y-%m-%d"),
        format.extension()
    );
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if let Ok(v) = HeaderValue::from_str(&name) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}
