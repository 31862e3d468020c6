//! `/stats`, `/activity` and `/trash/empty`.

use axum::{extract::State, Json as JsonOut};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::{
        self,
        stats::{self, Stats},
        AppState,
    },
    entity::activity,
    http::error::{ApiResult, ErrorEnvelope},
    http::extract::Query,
    http::principal::CurrentUser,
    items::Purged,
    schema,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_stats))
        .routes(routes!(list_activity))
        .routes(routes!(empty_trash))
}

/// Which profile to count (absent: all).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    pub profile_id: Option<i64>,
}

/// Which log entries.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ActivityQuery {
    /// 1-200, default 50.
    #[param(schema_with = schema::page_size)]
    pub limit: Option<u64>,
    pub item_id: Option<i64>,
}

/// One activity-log entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityView {
    pub id: i64,
    pub item_id: Option<i64>,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub action: String,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

impl From<activity::Model> for ActivityView {
    fn from(a: activity::Model) -> Self {
        ActivityView {
            id: a.id,
            item_id: a.item_id,
            entity: a.entity,
            entity_id: a.entity_id,
            action: a.action,
            // Always an object (older account entries stored `null`).
            detail: serde_json::from_str(&a.detail)
                .ok()
                .filter(serde_json::Value::is_object)
                .unwrap_or_else(|| serde_json::json!({})),
            created_at: a.created_at,
        }
    }
}

/// Counts for the dashboard and the group view.
#[utoipa::path(get, path = "/stats", tag = "stats", params(StatsQuery),
    responses((status = 200, body = Stats), (status = 404, body = ErrorEnvelope)))]
async fn get_stats(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<StatsQuery>,
) -> ApiResult<JsonOut<Stats>> {
    let profile = q.profile_id.map(Into::into);
    Ok(JsonOut(stats::counts(&state, user.owner, profile).await?))
}

/// The newest entries of the activity log.
#[utoipa::path(get, path = "/activity", tag = "stats", params(ActivityQuery),
    responses((status = 200, body = [ActivityView]), (status = 422, body = ErrorEnvelope)))]
async fn list_activity(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ActivityQuery>,
) -> ApiResult<JsonOut<Vec<ActivityView>>> {
    let item = q.item_id.map(Into::into);
    let rows = stats::activity(&state, user.owner, item, q.limit).await?;
    Ok(JsonOut(rows.into_iter().map(Into::into).collect()))
}

/// Deletes every item in the trash for good.
#[utoipa::path(post, path = "/trash/empty", tag = "items", responses((status = 200, body = Purged)))]
async fn empty_trash(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<JsonOut<Purged>> {
    Ok(JsonOut(Purged {
        purged: app::items::empty_trash(&state, user.owner).await?,
    }))
}
