//! Settings → Duplicates: the items that link to one page, in groups, each merged into its
//! oldest item with one button (tags united, memos kept, the others deleted). A plain form
//! per group: no JavaScript needed.

use askama::Template;
use axum::{extract::State, response::Response, routing::get, Router};
use serde::Deserialize;

use crate::{
    app::{duplicates, AppState},
    csrf::Form,
    render, see_other,
    session::PageUser,
    Chrome, Nav, PageError, PageQuery,
};

pub fn routes() -> Router<AppState> {
    Router::new().route("/settings/duplicates", get(page).post(merge))
}

/// One item of a group, as the page lists it.
pub struct Entry {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub created: String,
    pub tags: String,
}

/// A group: its items, oldest (the one kept) first.
pub struct Group {
    pub ids: String,
    pub entries: Vec<Entry>,
}

#[derive(Template)]
#[template(path = "duplicates.html")]
struct DuplicatesPage {
    c: Chrome,
    section_key: &'static str,
    groups: Vec<Group>,
    notice: &'static str,
}

#[derive(Default, Deserialize)]
struct Merged {
    merged: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    user: PageUser,
    PageQuery(q): PageQuery<Merged>,
) -> Result<Response, PageError> {
    let t = user.lang.catalog();
    let groups = duplicates::groups(&state, user.owner)
        .await?
        .into_iter()
        .map(|items| Group {
            ids: items
                .iter()
                .map(|i| i.id.to_string())
                .collect::<Vec<_>>()
                .join(","),
            entries: items
                .into_iter()
                .map(|i| Entry {
                    id: i.id,
                    title: i.title,
                    url: i.url.unwrap_or_default(),
                    created: crate::i18n::show(i.created_at, user.tz),
                    tags: i
                        .tags
                        .iter()
                        .map(|t| t.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                })
                .collect(),
        })
        .collect();
    let c = Chrome::signed_in(
        &state,
        &user,
        Nav::Settings,
        None,
        "/settings/duplicates",
        |t| t.duplicates.to_owned(),
    )
    .await?;
    render(&DuplicatesPage {
        c,
        section_key: "duplicates",
        groups,
        notice: if q.merged.is_some() { t.merged } else { "" },
    })
}

/// The merge button of a group: its item IDs, comma-separated.
#[derive(Deserialize)]
struct MergePost {
    ids: String,
}

async fn merge(
    State(state): State<AppState>,
    form: Form<MergePost>,
) -> Result<Response, PageError> {
    let ids: Vec<i64> = form
        .data
        .ids
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    duplicates::merge(&state, form.user.owner, &ids).await?;
    Ok(see_other("/settings/duplicates?merged=1"))
}
