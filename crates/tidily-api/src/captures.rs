//! `/items/{id}/capture`: what the capture of an item's page found, and asking for a fresh one.

use axum::{extract::State, http::StatusCode, Json as JsonOut};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::{
        captures::{self, CaptureView},
        items::{self, ItemView},
        AppState,
    },
    domain::ids::ItemId,
    http::{
        error::{ApiResult, ErrorEnvelope},
        extract::{HtmlBody, Id},
        principal::CurrentUser,
    },
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get, refetch))
}

/// `POST /items/{id}/page`, apart: its bodies may be larger than any other's (`PAGE_LIMIT`).
pub fn page_route() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(send_page))
}

/// What the capture of an item's page found so far.
#[utoipa::path(get, path = "/items/{id}/capture", tag = "items", params(("id" = i64, Path)),
    responses((status = 200, body = CaptureView), (status = 404, body = ErrorEnvelope)))]
async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id<ItemId>,
) -> ApiResult<JsonOut<CaptureView>> {
    Ok(JsonOut(captures::view(&state, user.owner, id).await?))
}

/// Fetches the item's page again (its capture turns `pending`). An item without a URL is 422.
#[utoipa::path(post, path = "/items/{id}/capture", tag = "items", params(("id" = i64, Path)),
    responses((status = 202, body = ItemView), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn refetch(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id<ItemId>,
) -> ApiResult<(StatusCode, JsonOut<ItemView>)> {
    captures::refetch(&state, user.owner, id).await?;
    let item = items::get(&state, user.owner, id).await?;
    Ok((StatusCode::ACCEPTED, JsonOut(item)))
}

/// The page as the user's own browser has it (for a page behind a log-in, which the server
/// cannot fetch): `Content-Type: text/html` (with its charset, if not UTF-8), at most 5 MiB.
/// It is read like a fetched page (title, description, icon, preview, readable archive) in the
/// background: 202 with the item, its capture `pending`. 422 for an item without a URL or past
/// the storage quota, 413 past the size, 415 for another type.
#[utoipa::path(post, path = "/items/{id}/page", tag = "items", params(("id" = i64, Path)),
    request_body(content_type = "text/html", description = "The page's HTML as the browser has it, in any encoding its charset names"),
    responses((status = 202, body = ItemView), (status = 404, body = ErrorEnvelope),
        (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)))]
async fn send_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id<ItemId>,
    page: HtmlBody,
) -> ApiResult<(StatusCode, JsonOut<ItemView>)> {
    captures::send_page(&state, user.owner, id, page.bytes, page.content_type).await?;
    let item = items::get(&state, user.owner, id).await?;
    Ok((StatusCode::ACCEPTED, JsonOut(item)))
}
