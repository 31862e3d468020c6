//! Health checks for the load balancer: `GET /health` (web target group) and
//! `GET /api/health` (API target group). Both check the database — and only the database, so
//! an outage of anything optional (logging, APM) never takes the service out of rotation.

use axum::{extract::State, http::StatusCode, routing::get, Json, Router};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::AppState;

/// The answer of a health check.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok` or `unavailable`.
    pub status: &'static str,
    /// `ok` or `unavailable`.
    pub database: &'static str,
    pub version: &'static str,
}

/// `/health`, plus `/api/health` for the web role (the API router registers its own, so it
/// appears in the OpenAPI document).
pub fn routes(with_api_health: bool) -> Router<AppState> {
    let router = Router::new().route("/health", get(health));
    if with_api_health {
        router.route("/api/health", get(health))
    } else {
        router
    }
}

/// Reports whether this task can serve requests.
#[utoipa::path(
    get,
    path = "/api/health",
    tag = "health",
    security(()),
    responses(
        (status = 200, description = "Healthy", body = Health),
        (status = 503, description = "The database is unreachable", body = Health)
    )
)]
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let ok = state.db.ping().await;
    let (code, word) = if ok {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
    };
    (
        code,
        Json(Health {
            status: word,
            database: word,
            version: env!("CARGO_PKG_VERSION"),
        }),
    )
}
