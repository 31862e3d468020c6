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
        extract::Id,
        principal::CurrentUser,
    },
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get, refetch))
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
