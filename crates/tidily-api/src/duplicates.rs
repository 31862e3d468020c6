//! Duplicates: `/items/saved?url=` ("already saved?") and `/duplicates` (groups, merge).

use axum::{extract::State, Json as JsonOut};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::{duplicates, items::ItemView, AppState},
    http::{
        error::{ApiResult, ErrorEnvelope},
        extract::{Json, Query},
        principal::CurrentUser,
    },
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(saved))
        .routes(routes!(groups))
        .routes(routes!(merge))
}

/// A link to look up.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SavedQuery {
    /// The link (any form: `http`/`https`, `www.`, tracking parameters and a fragment do
    /// not matter).
    pub url: String,
}

/// Items.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemList {
    pub items: Vec<ItemView>,
}

/// Your items (out of the trash) that link to the same page as `url`, oldest first: empty if
/// it is not saved yet.
#[utoipa::path(get, path = "/items/saved", tag = "items", params(SavedQuery),
    responses((status = 200, body = ItemList), (status = 422, body = ErrorEnvelope)))]
async fn saved(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<SavedQuery>,
) -> ApiResult<JsonOut<ItemList>> {
    let items = duplicates::saved_as(&state, user.owner, &q.url, None).await?;
    Ok(JsonOut(ItemList { items }))
}

/// Groups of items that link to one page.
#[derive(Debug, Serialize, ToSchema)]
pub struct Groups {
    /// Each group oldest first; the oldest groups first (at most 200).
    pub groups: Vec<Vec<ItemView>>,
}

/// Your items that link to one page, in groups.
#[utoipa::path(get, path = "/duplicates", tag = "items",
    responses((status = 200, body = Groups)))]
async fn groups(State(state): State<AppState>, user: CurrentUser) -> ApiResult<JsonOut<Groups>> {
    Ok(JsonOut(Groups {
        groups: duplicates::groups(&state, user.owner).await?,
    }))
}

/// Items to merge.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// 2-50 of your items, all links to one page.
    #[schema(min_items = 2, max_items = 50)]
    pub ids: Vec<i64>,
}

/// Merges items that link to one page into the oldest: it gains the others' tags, memos,
/// favourite mark and highest priority, and the others are deleted. Returns the item kept.
#[utoipa::path(post, path = "/duplicates/merge", tag = "items", request_body = MergeRequest,
    responses((status = 200, body = ItemView), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn merge(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<MergeRequest>,
) -> ApiResult<JsonOut<ItemView>> {
    Ok(JsonOut(
        duplicates::merge(&state, user.owner, &req.ids).await?,
    ))
}
