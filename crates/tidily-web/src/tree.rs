//! The tree view: each profile's folders, nested, with their item counts and memos; create
//! folders with a plain form, and rename, give a memo to, move and delete one on its own edit
//! page (`/tree/folders/{id}`, linked from the folder), so the tree carries no per-folder
//! forms.
//!
//! The tree shows structure only: every folder, closed (`<details>`), with its count, its
//! "View all" link (the folder's list in manual order) and its edit link, but none of its
//! items, so the page stays small however many items there are. When a folder (or a
//! profile's "items in no folder") is opened, htmx loads its first items as a fragment
//! (`/tree/folders/{id}/items`, `/tree/profiles/{id}/unfiled`) and puts them in place.
//! Without JavaScript an opened folder shows its "View all" link, whose list has the same
//! moves (↑/↓ in manual order, the bulk bar's "move to folder").
//!
//! Folders and items move by drag and drop (`app.js`), each with a form alternative for the
//! keyboard and for browsers without JavaScript: up/down buttons for a folder and for an item
//! (`/items/{id}/move`, see `web::items`), all submitting the page's one shared form, and the
//! parent choice on the folder's edit page.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
    routing::{get, post},
    Router,
};
use serde::Deserialize;

use crate::{
    app::{
        self,
        folders::{FolderMove, FolderTree},
        items::{FolderScope, ItemFilter, Placement, SortKey, Step},
        AppState,
    },
    csrf::Form,
    domain::{
        ids::{FolderId, ProfileId},
        problem::Problem,
        text,
    },
    entity::{folder, profile},
    error::CoreError,
    i18n::Catalog,
    items::{folder_options, ItemsQuery},
    render, render_with, see_other,
    session::PageUser,
    validate::Check,
    wants_fragment, Chrome, Errors, Nav, Opt, PageError, PageId, PageQuery,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tree", get(tree))
        .route("/tree/folders", post(create_folder))
        .route("/tree/folders/{id}", get(edit_folder).post(update_folder))
        .route("/tree/folders/{id}/delete", post(delete_folder))
        .route("/tree/folders/{id}/move", post(move_folder))
        .route("/tree/folders/{id}/items", get(folder_items))
        .route("/tree/profiles/{id}/unfiled", get(unfiled_items))
}

#[derive(Default, Deserialize)]
struct TreeQuery {
    profile: Option<i64>,
}

/// A folder in pre-order, with what the template needs to nest the `<ul>`s.
struct Node {
    id: i64,
    name: String,
    memo: String,
    count: i64,
    href: String,
    has_children: bool,
    /// How many enclosing levels end after this node.
    closes: usize,
}

/// An item shown in an opened folder of the tree (draggable to another folder).
struct TreeItem {
    id: i64,
    title: String,
    href: String,
}

/// One profile's tree.
struct ProfileTree {
    id: i64,
    name: String,
    unfiled_href: String,
    nodes: Vec<Node>,
}

#[derive(Template)]
#[template(path = "tree.html")]
struct TreePage {
    c: Chrome,
    trees: Vec<ProfileTree>,
    profiles: Vec<Opt>,
    parents: Vec<Opt>,
    profile: String,
    /// This page's URL, where an item's up/down buttons come back to.
    back: String,
    /// The query of a folder's edit-page link (`?profile=ID`, or empty), to come back here.
    edit_query: String,
    errors: Errors,
}

async fn tree(
    State(state): State<AppState>,
    user: PageUser,
    PageQuery(q): PageQuery<TreeQuery>,
) -> Result<Response, PageError> {
    let page = tree_page(&state, &user, q.profile, Errors::default()).await?;
    render(&page)
}

async fn tree_page(
    state: &AppState,
    user: &PageUser,
    profile: Option<i64>,
    errors: Errors,
) -> Result<TreePage, PageError> {
    let c = Chrome::signed_in(state, user, Nav::Tree, profile, "/tree", |t| {
        t.tree.to_owned()
    })
    .await?;
    let data = user.data(state);
    let labels = data.labels().await?;
    let counts = data.folder_counts(profile).await?;
    // Structure only: the items of a folder are read when it is opened (`folder_items`).
    let trees = labels
        .profiles
        .iter()
        .filter(|p| profile.is_none_or(|id| id == p.id))
        .map(|p: &profile::Model| {
            let list: Vec<&folder::Model> = labels.folders_of(p.id).collect();
            ProfileTree {
                id: p.id,
                name: p.name.clone(),
                unfiled_href: list_url(p.id, None),
                nodes: nest(&list, &counts, p.id),
            }
        })
        .collect();
    Ok(TreePage {
        profiles: labels
            .profiles
            .iter()
            .map(|p| Opt::new(p.id, &p.name, Some(p.id) == profile))
            .collect(),
        parents: folder_options(&labels, profile, None),
        profile: profile.map(|p| p.to_string()).unwrap_or_default(),
        back: tree_url(profile),
        edit_query: profile.map(|p| format!("?profile={p}")).unwrap_or_default(),
        c,
        trees,
        errors,
    })
}

/// The folders of a profile in pre-order (siblings in manual order), ready to nest.
fn nest(list: &[&folder::Model], counts: &HashMap<i64, i64>, profile_id: i64) -> Vec<Node> {
    let order = FolderTree::new(list.iter().copied()).walk();
    let mut nodes = Vec::with_capacity(order.len());
    for (i, (f, depth)) in order.iter().enumerate() {
        let next_depth = order.get(i + 1).map_or(0, |(_, d)| *d);
        let has_children = next_depth > *depth;
        nodes.push(Node {
            id: f.id,
            name: f.name.clone(),
            memo: f.memo.clone(),
            count: counts.get(&f.id).copied().unwrap_or(0),
            href: list_url(profile_id, Some(f.id)),
            has_children,
            closes: if has_children {
                0
            } else {
                depth - next_depth.min(*depth)
            },
        });
    }
    nodes
}

/// The full list behind a folder's (or, with `None`, the profile's unfiled items') "View
/// all": in manual order, where the list has the ↑/↓ buttons and drag handles, and its bulk
/// bar moves items to another folder (the keyboard and no-JavaScript ways to arrange them).
fn list_url(profile_id: i64, folder: Option<i64>) -> String {
    ItemsQuery {
        profile: Some(profile_id),
        folder_id: folder,
        no_folder: folder.is_none().then_some(true),
        sort: Some(SortKey::Manual),
        ..Default::default()
    }
    .list_url()
}

/// Items shown when a folder of the tree opens, at most these many: its "View all" list has
/// the rest.
const FOLDER_ITEMS: u64 = 50;

/// The items of an opened folder (or of a profile's items in no folder): `app.js` puts them
/// in the folder's `<details>`.
#[derive(Template)]
#[template(path = "tree_items.html")]
struct TreeItems {
    t: &'static Catalog,
    /// The profile, which scopes where the items may be dropped.
    pid: i64,
    items: Vec<TreeItem>,
    /// There are more than shown: link to the full list.
    more: bool,
    all_href: String,
}

/// `GET /tree/folders/{id}/items`: the first active items filed directly in the user's folder
/// `id` (404 for anyone else's), in manual order.
async fn folder_items(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let labels = user.data(&state).labels().await?;
    let f = labels.folder(id)?;
    let scope = FolderScope::In(vec![id]);
    items_fragment(&state, &user, &headers, f.profile_id, Some(id), scope).await
}

/// `GET /tree/profiles/{id}/unfiled`: the first active items in no folder of the user's
/// profile `id` (404 for anyone else's), in manual order.
async fn unfiled_items(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    user.data(&state).labels().await?.profile(id)?;
    items_fragment(&state, &user, &headers, id, None, FolderScope::None).await
}

/// The fragment htmx asks for (`HX-Request`); a plain visit (a link followed by
/// hand, a log-in that returns here) goes to the full list instead, a page of its own.
async fn items_fragment(
    state: &AppState,
    user: &PageUser,
    headers: &HeaderMap,
    profile_id: i64,
    folder: Option<i64>,
    scope: FolderScope,
) -> Result<Response, PageError> {
    let all_href = list_url(profile_id, folder);
    if !wants_fragment(headers) {
        return Ok(see_other(&all_href));
    }
    let filter = ItemFilter {
        profile_id: Some(profile_id),
        folder: scope,
        sort: SortKey::Manual,
        direction: SortKey::Manual.default_direction(),
        limit: FOLDER_ITEMS,
        ..Default::default()
    };
    let page = user.data(state).rows(&filter).await?;
    let base = ItemsQuery {
        profile: Some(profile_id),
        ..Default::default()
    };
    render(&TreeItems {
        t: user.lang.catalog(),
        pid: profile_id,
        more: page.next_cursor.is_some(),
        items: page
            .items
            .into_iter()
            .map(|m| TreeItem {
                id: m.id,
                href: base.item_url(m.id),
                title: m.title,
            })
            .collect(),
        all_href,
    })
}

#[derive(Deserialize)]
struct NewFolderForm {
    profile_id: Option<i64>,
    parent_id: Option<FolderId>,
    #[serde(default)]
    name: String,
    /// The tree's selected profile, to return to it.
    back_profile: Option<i64>,
}

fn tree_url(profile: Option<i64>) -> String {
    profile.map_or_else(|| "/tree".to_owned(), |p| format!("/tree?profile={p}"))
}

/// Shows the tree again with the form's problems (422).
/// The answer to a folder form: back to the tree, or the tree with the form's errors (422).
async fn answer(
    state: &AppState,
    user: &PageUser,
    profile: Option<i64>,
    result: Result<(), CoreError>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(see_other(&tree_url(profile))),
        Err(CoreError::Invalid(fields)) => {
            let page =
                tree_page(state, user, profile, Errors::localized(fields, user.lang)).await?;
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e.into()),
    }
}

async fn create_folder(
    State(state): State<AppState>,
    form: Form<NewFolderForm>,
) -> Result<Response, PageError> {
    let Form { user, data } = form;
    // The parent decides the profile when one is chosen.
    let parent = match data.parent_id {
        Some(p) => Some(app::folders::get(&state, user.owner, p).await?),
        None => None,
    };
    let profile_id = parent.as_ref().map(|p| p.profile_id).or(data.profile_id);
    let result = match profile_id {
        Some(profile) => {
            let (profile, parent) = (ProfileId::from(profile), data.parent_id);
            app::folders::create(&state, user.owner, profile, parent, &data.name, "")
                .await
                .map(drop)
        }
        None => {
            // Reported with the name's problems, if it has any.
            let mut check = Check::new();
            check.text("name", &data.name, text::FOLDER_NAME);
            check.add("profile_id", Problem::NotChosen);
            check.finish()
        }
    };
    answer(&state, &user, data.back_profile, result).await
}

#[derive(Deserialize)]
struct FolderForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    memo: String,
    back_profile: Option<i64>,
}

/// A folder's edit page: its name and memo, its parent, and deleting it.
#[derive(Template)]
#[template(path = "tree_folder.html")]
struct FolderPage {
    c: Chrome,
    id: i64,
    /// The stored name, for the heading.
    title: String,
    /// The form's name and memo: the stored ones, or the ones posted with errors.
    name: String,
    memo: String,
    /// Where it can move: the folders of its profile but itself and its sub-folders.
    parents: Vec<Opt>,
    top_level: bool,
    /// The tree's selected profile (empty: all), to return to it.
    profile: String,
    back: String,
    errors: Errors,
}

/// `GET /tree/folders/{id}`: the folder's forms, on a page of their own so that the tree
/// carries only a link to them.
async fn edit_folder(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    PageQuery(q): PageQuery<TreeQuery>,
) -> Result<Response, PageError> {
    let page = folder_page(&state, &user, id, q.profile, None, Errors::default()).await?;
    render(&page)
}

/// The edit page of the user's folder `id` (404 for anyone else's), coming back to the tree
/// of `profile`; `typed` (name, memo) refills the form after an error.
async fn folder_page(
    state: &AppState,
    user: &PageUser,
    id: i64,
    profile: Option<i64>,
    typed: Option<(String, String)>,
    errors: Errors,
) -> Result<FolderPage, PageError> {
    let labels = user.data(state).labels().await?;
    let f = labels.folder(id)?;
    let c = Chrome::signed_in(state, user, Nav::Tree, profile, "/tree", |t| {
        format!("{}: {}", t.edit_folder, f.name)
    })
    .await?;
    // A folder cannot move into itself or below itself.
    let below = FolderTree::new(labels.folders_of(f.profile_id)).subtree(id);
    let parents = folder_options(&labels, Some(f.profile_id), f.parent_id)
        .into_iter()
        .filter(|o| o.value.parse().is_ok_and(|v: i64| !below.contains(&v)))
        .collect();
    let (name, memo) = typed.unwrap_or_else(|| (f.name.clone(), f.memo.clone()));
    Ok(FolderPage {
        c,
        id,
        title: f.name.clone(),
        name,
        memo,
        parents,
        top_level: f.parent_id.is_none(),
        profile: profile.map(|p| p.to_string()).unwrap_or_default(),
        back: tree_url(profile),
        errors,
    })
}

/// The answer to a form of a folder's edit page: back to the tree, or the edit page with the
/// form's errors (422).
async fn edit_answer(
    state: &AppState,
    user: &PageUser,
    id: i64,
    profile: Option<i64>,
    typed: Option<(String, String)>,
    result: Result<(), CoreError>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(see_other(&tree_url(profile))),
        Err(CoreError::Invalid(fields)) => {
            let errors = Errors::localized(fields, user.lang);
            let page = folder_page(state, user, id, profile, typed, errors).await?;
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e.into()),
    }
}

async fn update_folder(
    State(state): State<AppState>,
    PageId(id): PageId,
    form: Form<FolderForm>,
) -> Result<Response, PageError> {
    let Form { user, data } = form;
    let (name, memo) = (Some(data.name.as_str()), Some(data.memo.as_str()));
    let result = app::folders::update(&state, user.owner, id.into(), name, memo)
        .await
        .map(drop);
    let typed = Some((data.name, data.memo));
    edit_answer(&state, &user, id, data.back_profile, typed, result).await
}

#[derive(Deserialize)]
struct BackForm {
    back_profile: Option<i64>,
}

async fn delete_folder(
    State(state): State<AppState>,
    PageId(id): PageId,
    form: Form<BackForm>,
) -> Result<Response, PageError> {
    app::folders::delete(&state, form.user.owner, id.into()).await?;
    Ok(see_other(&tree_url(form.data.back_profile)))
}

#[derive(Deserialize)]
struct MoveForm {
    /// `none` (top level) or a folder ID: the end of that folder's sub-folders.
    parent: Option<String>,
    /// `up` or `down`: one place among its siblings (the keyboard alternative to dragging).
    step: Option<String>,
    back_profile: Option<i64>,
}

/// Moves a folder under another parent, or one step up or down among its siblings.
async fn move_folder(
    State(state): State<AppState>,
    PageId(id): PageId,
    form: Form<MoveForm>,
) -> Result<Response, PageError> {
    let Form { user, data } = form;
    // A new parent (a drop, the edit page) puts the folder at its end; otherwise a step.
    let to = match (data.parent.as_deref(), data.step.as_deref()) {
        (Some(parent), _) => FolderMove::To {
            parent: match parent {
                "none" => None,
                p => Some(p.parse().map_err(|_| CoreError::NotFound)?),
            },
            placement: Placement::End,
        },
        (None, Some("up")) => FolderMove::Step(Step::Up),
        (None, Some("down")) => FolderMove::Step(Step::Down),
        (None, Some(_)) => return Err(CoreError::field("step", Problem::NotChosen).into()),
        (None, None) => return Err(CoreError::field("parent", Problem::Required).into()),
    };
    let result = app::folders::move_folder(&state, user.owner, id.into(), to).await;
    edit_answer(
        &state,
        &user,
        id,
        data.back_profile,
        None,
        result.map(|_| ()),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(id: i64, parent: Option<i64>, position: &str) -> folder::Model {
        let now = crate::domain::now();
        folder::Model {
            id,
            user_id: 1,
            profile_id: 1,
            parent_id: parent,
            name: format!("f{id}"),
            memo: String::new(),
            position: position.into(),
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn nests_in_pre_order_and_closes_every_level() {
        // 1 ─ 2 ─ 3
        //   └ 4
        // 5
        let list = [
            folder(1, None, "a"),
            folder(2, Some(1), "a"),
            folder(3, Some(2), "a"),
            folder(4, Some(1), "b"),
            folder(5, None, "b"),
        ];
        let refs: Vec<&folder::Model> = list.iter().collect();
        let nodes = nest(&refs, &HashMap::from([(3, 7)]), 1);
        let shape: Vec<(i64, bool, usize)> = nodes
            .iter()
            .map(|n| (n.id, n.has_children, n.closes))
            .collect();
        assert_eq!(
            shape,
            [
                (1, true, 0),
                (2, true, 0),
                (3, false, 1),
                (4, false, 1),
                (5, false, 0)
            ]
        );
        assert_eq!(nodes[2].count, 7);
        // Every opened level is closed once: the template's <ul>s balance.
        let opened = nodes.iter().filter(|n| n.has_children).count();
        let closed: usize = nodes.iter().map(|n| n.closes).sum();
        assert_eq!(opened, closed);
    }
}
