//! The REST API under `/api/v1/`, one module per resource, and its OpenAPI 3.1 document.
//!
//! Routes are registered through `utoipa-axum`, so the document served at
//! `/api/openapi.json` is generated from the same list that builds the router and cannot
//! drift from it.

// What this surface may use, under its usual names: `app` and the layers beside it, and the
// shared HTTP plumbing. The store is not among them: a surface goes through `app`.
pub(crate) use tidily_core::{app, domain, entity, error, validate};
pub(crate) use tidily_http as http;

pub(crate) mod account;
pub(crate) mod auth;
mod captures;
mod duplicates;
mod files;
mod folders;
pub(crate) mod items;
mod labels;
mod linkding;
mod links;
mod profiles;
mod reader;
mod schema;
mod stats;
mod transfer;

use axum::{extract::DefaultBodyLimit, middleware::from_fn_with_state, routing::get, Json, Router};
use serde::{Deserialize, Deserializer};
use utoipa::{
    openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
    Modify, OpenApi,
};
use utoipa_axum::router::OpenApiRouter;

use axum::http::{header, HeaderValue};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::{
    app::items::{ArchivedFilter, Direction, Due, LinkFilter, SortKey},
    app::AppState,
    http::{
        error::{ApiError, ErrorEnvelope},
        extract::{refuse_oversized_bodies, BODY_LIMIT, IMPORT_LIMIT, PAGE_LIMIT},
    },
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "TidilySpace API",
        description = "Bookmarks and reading lists, tracked like tasks. Errors share one envelope: `{\"error\": {\"code\", \"message\", \"fields\"?}}`.",
        license(name = "MIT")
    ),
    components(schemas(
        ErrorEnvelope, ArchivedFilter, Direction, Due, LinkFilter, SortKey,
        tidily_transfer::write::ExportFormat
    )),
    modifiers(&Security),
    security(("bearer" = []), ("session" = [])),
    tags(
        (name = "auth", description = "Sign-up, log-in, tokens and sessions"),
        (name = "account", description = "The signed-in user's account"),
        (name = "profiles"), (name = "folders"), (name = "categories"), (name = "tags"),
        (name = "items"), (name = "stats"), (name = "health")
    )
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT access token or tds_ personal API token")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "tidily_session",
                "Browser session; state-changing requests also need the X-CSRF-Token header",
            ))),
        );
    }
}

/// The API routes and the generated OpenAPI document.
fn router_and_doc() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let v1 = OpenApiRouter::new()
        .merge(auth::routes())
        .merge(account::routes())
        .merge(profiles::routes())
        .merge(folders::routes())
        .merge(labels::routes())
        .merge(items::routes())
        .merge(captures::routes())
        .merge(duplicates::routes())
        .merge(files::routes())
        .merge(links::routes())
        .merge(reader::routes())
        .merge(stats::routes())
        .merge(transfer::routes())
        .route_layer(from_fn_with_state(
            BODY_LIMIT,
            refuse_oversized_bodies::<ApiError>,
        ))
        // The one route with a larger body: a page sent from the user's browser. Its limit
        // is both the streaming cut-off and the early refusal.
        .merge(
            captures::page_route()
                .layer(DefaultBodyLimit::max(PAGE_LIMIT))
                .route_layer(from_fn_with_state(
                    PAGE_LIMIT,
                    refuse_oversized_bodies::<ApiError>,
                )),
        )
        .merge(
            transfer::import_route()
                .layer(DefaultBodyLimit::max(IMPORT_LIMIT))
                .route_layer(from_fn_with_state(
                    IMPORT_LIMIT,
                    refuse_oversized_bodies::<ApiError>,
                )),
        );
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", v1)
        .routes(utoipa_axum::routes!(crate::http::health::health))
        .split_for_parts();
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    // Only now does the document hold every path.
    utoipa::Modify::modify(&schema::ErrorAnswers, &mut doc);
    (router, doc)
}

/// The OpenAPI document (also used by `tidily openapi`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    router_and_doc().1
}

/// `/api/v1/*` and `/api/openapi.json`. Every answer is `Cache-Control: no-store`: most
/// carry an account's data or a credential, and none is worth a stale copy in a cache.
pub fn routes() -> Router<AppState> {
    let (router, doc) = router_and_doc();
    let doc = std::sync::Arc::new(doc);
    router
        .route(
            "/api/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { Json(doc.as_ref().clone()) }
            }),
        )
        // The linkding-compatible API: its own shapes, outside the OpenAPI document.
        .merge(linkding::routes().route_layer(from_fn_with_state(
            BODY_LIMIT,
            refuse_oversized_bodies::<ApiError>,
        )))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

/// For PATCH bodies: distinguishes an absent field (`None`: leave as is) from an explicit
/// `null` (`Some(None)`: clear it).
pub fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}
