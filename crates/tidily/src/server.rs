//! The program's HTTP server: the surfaces composed into the router of each role.

use axum::Router;

use crate::{api, app::AppState, error::CoreError, http, web};

/// Which half of the product a process serves (one image, two ECS services).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Role {
    /// Web pages and the API together (laptop, small installs).
    All,
    /// The pages; `/api/*` is not served (the load balancer sends it to the API role).
    Web,
    /// The REST API under `/api/`.
    Api,
}

/// The complete application for `role`, with middleware.
pub fn app(state: AppState, role: Role) -> Router {
    let mut router = Router::new().merge(http::health::routes(role == Role::Web));
    if matches!(role, Role::All | Role::Api) {
        router = router.merge(api::routes());
    } else {
        router = router.route("/api/{*rest}", axum::routing::any(api_not_here));
    }
    if matches!(role, Role::All | Role::Web) {
        router = router.merge(web::routes());
    }
    http::with_middleware(router, state)
}

async fn api_not_here() -> http::error::ApiError {
    CoreError::NotFound.into()
}

/// The OpenAPI document of the REST API, as served at `/api/v1/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api::openapi()
}
