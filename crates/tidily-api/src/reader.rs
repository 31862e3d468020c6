//! `/items/{id}/progress`: how far the item's readable archive has been read, so every device
//! opens it where the reading stopped.

use axum::{extract::State, http::StatusCode};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::{items, AppState},
    domain::ids::ItemId,
    http::{
        error::{ApiResult, ErrorEnvelope},
        extract::{Id, Json},
        principal::CurrentUser,
    },
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(progress))
}

/// How far the reader view has been read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// 0-100.
    pub percent: i64,
}

/// Records how far the item has been read (the item's `reading_progress`).
#[utoipa::path(put, path = "/items/{id}/progress", tag = "items", params(("id" = i64, Path)),
    request_body = Progress,
    responses((status = 204), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn progress(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id<ItemId>,
    Json(req): Json<Progress>,
) -> ApiResult<StatusCode> {
    items::set_reading_progress(&state, user.owner, id, req.percent).await?;
    Ok(StatusCode::NO_CONTENT)
}
