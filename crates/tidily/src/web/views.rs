//! The board (groups), the folder tree and the calendar.

use askama::Template;
use axum::{extract::State, response::Response, routing::get, Router};

use crate::{
    http::AppState,
    web::{render, session::PageUser, Chrome, Nav, PageError, PageQuery},
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/groups", get(groups))
        .route("/tree", get(tree))
        .route("/calendar", get(calendar))
}

#[derive(Default, serde::Deserialize)]
struct ProfileQuery {
    profile: Option<i64>,
}

#[derive(Template)]
#[template(path = "soon.html")]
struct SoonPage {
    c: Chrome,
}

async fn soon(
    state: &AppState,
    user: &PageUser,
    nav: Nav,
    path: &str,
    profile: Option<i64>,
) -> Result<Response, PageError> {
    let c = Chrome::signed_in(state, user, nav, profile, path, |t| match nav {
        Nav::Groups => t.groups.to_owned(),
        Nav::Tree => t.tree.to_owned(),
        _ => t.calendar.to_owned(),
    })
    .await?;
    render(&SoonPage { c })
}

async fn groups(
    State(state): State<AppState>,
    user: PageUser,
    PageQuery(q): PageQuery<ProfileQuery>,
) -> Result<Response, PageError> {
    soon(&state, &user, Nav::Groups, "/groups", q.profile).await
}

async fn tree(
    State(state): State<AppState>,
    user: PageUser,
    PageQuery(q): PageQuery<ProfileQuery>,
) -> Result<Response, PageError> {
    soon(&state, &user, Nav::Tree, "/tree", q.profile).await
}

async fn calendar(
    State(state): State<AppState>,
    user: PageUser,
    PageQuery(q): PageQuery<ProfileQuery>,
) -> Result<Response, PageError> {
    soon(&state, &user, Nav::Calendar, "/calendar", q.profile).await
}
