//! The web role's pages. The full interface is server-rendered from the same store as the
//! API; until it lands, `/` explains where things are so a fresh install is not a blank 404.

use axum::{
    http::header,
    response::{Html, IntoResponse},
    routing::get,
    Router,
};

use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/robots.txt", get(robots))
}

async fn home() -> Html<&'static str> {
    Html(include_str!("home.html"))
}

async fn robots() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "User-agent: *\nDisallow: /api/\n",
    )
}
