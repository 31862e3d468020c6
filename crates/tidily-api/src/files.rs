//! `/items/{id}/files/{role}`: an item's stored favicon or preview image, and
//! `/account/storage`: how much of their storage the user has used.

use axum::{
    extract::{Path, Query, State},
    http::HeaderMap,
    response::Response,
    Json as JsonOut,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::{
        files::{self, Usage},
        AppState,
    },
    domain::ids::ItemId,
    http::{
        error::{ApiResult, ErrorEnvelope},
        files::{respond, target, Version},
        principal::CurrentUser,
    },
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get))
        .routes(routes!(usage))
}

/// An item's stored favicon (PNG, at most 64 px), preview (JPEG or PNG, at most 800 px) or
/// readable archive (sanitised HTML, under a sandboxing CSP), made by the server from what the
/// page offered. `?v=` with the item's `favicon`, `preview` or `archive` makes the answer
/// cacheable for a year.
#[utoipa::path(get, path = "/items/{id}/files/{role}", tag = "items",
    params(("id" = i64, Path), ("role" = String, Path, description = "favicon, preview or archive"),
        ("v" = Option<String>, Query, description = "the version named by the item")),
    responses((status = 200, content_type = "image/png", description = "the image"),
        (status = 304, description = "unchanged since the ETag sent"),
        (status = 404, body = ErrorEnvelope)))]
async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, role)): Path<(String, String)>,
    Query(version): Query<Version>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (id, role) = target::<ItemId>(&id, &role)?;
    let served = files::open(&state, user.owner, id, role).await?;
    Ok(respond(served, &version, &headers))
}

/// How much of their storage the user's stored files take.
#[utoipa::path(get, path = "/account/storage", tag = "account",
    responses((status = 200, body = Usage), (status = 401, body = ErrorEnvelope)))]
async fn usage(State(state): State<AppState>, user: CurrentUser) -> ApiResult<JsonOut<Usage>> {
    Ok(JsonOut(files::usage(&state, user.owner).await?))
}
