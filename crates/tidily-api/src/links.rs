//! `/items/{id}/link`: the health of an item's link, a check on request, and adopting the
//! address a moved link leads to.

use axum::{extract::State, http::StatusCode, Json as JsonOut};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::{
        items::{self, ItemView},
        links::{self, LinkView},
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
    OpenApiRouter::new()
        .routes(routes!(get))
        .routes(routes!(check))
        .routes(routes!(adopt))
}

/// What the checks of the item's link found: its class (`ok`, `moved`, `gone`, `blocked`,
/// `server_error`, `soft_404`, `unreachable`), failures in a row, whether it is broken (failed
/// repeatedly over days), and for a failing link its Wayback Machine copy.
#[utoipa::path(get, path = "/items/{id}/link", tag = "items", params(("id" = i64, Path)),
    responses((status = 200, body = LinkView), (status = 404, body = ErrorEnvelope)))]
async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id<ItemId>,
) -> ApiResult<JsonOut<LinkView>> {
    Ok(JsonOut(links::view(&state, user.owner, id).await?))
}

/// Checks the item's link soon (a job). An item without a URL is 422.
#[utoipa::path(post, path = "/items/{id}/link/check", tag = "items", params(("id" = i64, Path)),
    responses((status = 202, body = ItemView), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn check(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id<ItemId>,
) -> ApiResult<(StatusCode, JsonOut<ItemView>)> {
    links::check_now(&state, user.owner, id).await?;
    let item = items::get(&state, user.owner, id).await?;
    Ok((StatusCode::ACCEPTED, JsonOut(item)))
}

/// Gives a moved link the address it now leads to (the page is captured and checked
/// afresh). 422 (`url`: `not_moved`) unless its last check found it moved.
#[utoipa::path(post, path = "/items/{id}/link/adopt", tag = "items", params(("id" = i64, Path)),
    responses((status = 200, body = ItemView), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn adopt(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id<ItemId>,
) -> ApiResult<JsonOut<ItemView>> {
    Ok(JsonOut(links::adopt(&state, user.owner, id).await?))
}
