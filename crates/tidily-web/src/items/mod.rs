//! The item list (with its favourites, archive and trash presets), the item modal (read-only
//! and edit), the new-item form and the item actions.
//!
//! The modal has its own URL, `/items/{id}?<list query>`: the server renders the list with
//! the modal open over it, so reload, back/forward and JavaScript-off all work. htmx
//! fetches the same URL into `#modal-root` (`HX-Target: modal-root`) to open it without a
//! reload.

use askama::Template;
use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
    routing::{get, post},
    Router,
};
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::{
    app::{
        self,
        items::{
            ArchivedFilter, Direction, Due, ItemFields, ItemView, LinkFilter, ListQuery, NewTags,
            SortKey,
        },
        labels::LabelView,
        reads::Labels,
        AppState,
    },
    csrf::Form,
    domain::{CaptureState, ItemKind, Priority, Status},
    entity::folder,
    error::CoreError,
    fragment_kind,
    i18n::{self, wire, Catalog, KINDS, PRIORITIES, STATUSES},
    render, see_other,
    session::PageUser,
    validate::Check,
    wants_fragment, Chrome, Errors, Nav, Opt, PageError, PageId, PageQuery,
};

mod actions;
mod form;
mod modal;
mod reorder;

use actions::{act, bulk, empty_trash, stored_file};
use form::{create, update};
use modal::{edit, new_item, show, Modal};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/items", get(list_items).post(create))
        .route("/items/new", get(new_item))
        .route("/save", get(modal::save))
        .route("/items/{id}", get(show).post(update))
        .route("/items/{id}/edit", get(edit))
        .route("/items/{id}/move", post(reorder::move_item))
        .route("/items/{id}/capture", post(actions::refetch))
        .route("/items/{id}/files/{role}", get(stored_file))
        .route("/items/{id}/link/check", post(actions::check_link))
        .route("/items/{id}/link/adopt", post(actions::adopt_link))
        .route("/items/{id}/{action}", post(act))
        .route("/favorites", get(list_favorites))
        .route("/archive", get(list_archive))
        .route("/trash", get(list_trash))
        .route("/trash/empty", post(empty_trash))
        .route("/items/bulk", post(bulk))
}

/// Which list a page shows: all active items or one of the presets in the side menu.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    #[default]
    Items,
    Favorites,
    Archive,
    Trash,
}

impl View {
    pub fn path(self) -> &'static str {
        match self {
            View::Items => "/items",
            View::Favorites => "/favorites",
            View::Archive => "/archive",
            View::Trash => "/trash",
        }
    }

    pub fn is_trash(self) -> bool {
        self == View::Trash
    }

    pub fn is_archive(self) -> bool {
        self == View::Archive
    }

    pub fn is_favorites(self) -> bool {
        self == View::Favorites
    }

    fn nav(self) -> Nav {
        match self {
            View::Items => Nav::Items,
            View::Favorites => Nav::Favorites,
            View::Archive => Nav::Archive,
            View::Trash => Nav::Trash,
        }
    }

    fn title(self, t: &Catalog) -> &'static str {
        match self {
            View::Items => t.items,
            View::Favorites => t.favorites,
            View::Archive => t.archive,
            View::Trash => t.trash,
        }
    }
}

/// The list's filters, sort and page as they appear in the URL (shareable, bookmarkable).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ItemsQuery {
    pub profile: Option<i64>,
    pub view: Option<View>,
    pub q: Option<String>,
    #[serde(default)]
    pub status: Vec<Status>,
    #[serde(default)]
    pub priority: Vec<Priority>,
    pub kind: Option<ItemKind>,
    pub favorite: Option<bool>,
    #[serde(default)]
    pub tag_id: Vec<i64>,
    pub category_id: Option<i64>,
    pub folder_id: Option<i64>,
    pub no_folder: Option<bool>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub due: Option<Due>,
    pub link: Option<LinkFilter>,
    pub sort: Option<SortKey>,
    pub order: Option<Direction>,
    pub layout: Option<String>,
    pub cursor: Option<String>,
}

impl ItemsQuery {
    /// The list's sort: the one asked for, or else relevance, which is newest first until
    /// there is a search. (Not "creation unless searching", as the API's default: the
    /// filter form would then send `sort=created` with the first search typed into it.)
    fn effective_sort(&self) -> SortKey {
        self.sort.unwrap_or(SortKey::Relevance)
    }

    /// The canonical query string of this list, without the page cursor.
    pub fn to_qs(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        let mut put = |k: &str, v: String| {
            s.append_pair(k, &v);
        };
        if let Some(v) = self.profile {
            put("profile", v.to_string());
        }
        if let Some(v) = self.view.filter(|v| *v != View::Items) {
            put("view", wire(v));
        }
        if let Some(v) = self.q.as_ref().filter(|q| !q.trim().is_empty()) {
            put("q", v.clone());
        }
        for v in &self.status {
            put("status", wire(v));
        }
        for v in &self.priority {
            put("priority", wire(v));
        }
        if let Some(v) = self.kind {
            put("kind", wire(v));
        }
        if let Some(v) = self.favorite {
            put("favorite", v.to_string());
        }
        for v in &self.tag_id {
            put("tag_id", v.to_string());
        }
        if let Some(v) = self.category_id {
            put("category_id", v.to_string());
        }
        if let Some(v) = self.folder_id {
            put("folder_id", v.to_string());
        }
        if let Some(v) = self.no_folder {
            put("no_folder", v.to_string());
        }
        if let Some(v) = self.from {
            put("from", v.to_string());
        }
        if let Some(v) = self.to {
            put("to", v.to_string());
        }
        if let Some(v) = self.due {
            put("due", wire(v));
        }
        if let Some(v) = self.link {
            put("link", wire(v));
        }
        if let Some(v) = self.sort {
            put("sort", wire(v));
        }
        if let Some(v) = self.order {
            put("order", wire(v));
        }
        if let Some(v) = self.layout.as_ref().filter(|l| *l == "cards") {
            put("layout", v.clone());
        }
        s.finish()
    }

    fn view(&self) -> View {
        self.view.unwrap_or_default()
    }

    /// The list URL of this query (its view's path).
    pub fn list_url(&self) -> String {
        // The path names the view already.
        let without_view = ItemsQuery {
            view: None,
            ..self.clone()
        };
        join(self.view().path(), &without_view.to_qs())
    }

    /// The modal URL of an item over this list.
    pub fn item_url(&self, id: i64) -> String {
        join(&format!("/items/{id}"), &self.to_qs())
    }

    /// The list use case's parameters for this query.
    fn to_list_query(&self, tz: chrono_tz::Tz) -> ListQuery {
        let view = self.view();
        ListQuery {
            profile_id: self.profile,
            folder_id: self.folder_id,
            include_subfolders: self.folder_id.map(|_| true),
            no_folder: self.no_folder,
            tag_id: self.tag_id.clone(),
            category_id: self.category_id,
            status: self.status.clone(),
            priority: self.priority.clone(),
            kind: self.kind,
            favorite: if view == View::Favorites {
                Some(true)
            } else {
                self.favorite
            },
            archived: (view == View::Archive).then_some(ArchivedFilter::True),
            trashed: (view == View::Trash).then_some(true),
            scheduled_from: self.from.map(|d| i18n::start_of_day(d, tz)),
            scheduled_to: self
                .to
                .and_then(|d| d.succ_opt())
                .map(|d| i18n::start_of_day(d, tz) - Duration::milliseconds(1)),
            due: self.due,
            link: self.link,
            q: self.q.clone(),
            sort: self.sort,
            order: self.order,
            limit: Some(50),
            cursor: self.cursor.clone(),
        }
    }
}

/// A list URL at the page that starts at `cursor`.
fn with_cursor(list_url: &str, cursor: &str) -> String {
    let sep = if list_url.contains('?') { '&' } else { '?' };
    let cursor: String = form_urlencoded::byte_serialize(cursor.as_bytes()).collect();
    format!("{list_url}{sep}cursor={cursor}")
}

fn join(path: &str, qs: &str) -> String {
    if qs.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{qs}")
    }
}

/// An item as a row or card of a list.
pub struct ItemCard {
    pub id: i64,
    pub href: String,
    pub title: String,
    pub url: String,
    /// The site's own name, else the link's host.
    pub host: String,
    /// The page's description, from its capture.
    pub description: String,
    /// "5 min read", from the capture.
    pub reading: String,
    /// The capture's state (`pending`, `failed`) and its label, while it is not simply done.
    pub capture: Option<(String, &'static str)>,
    /// The link failed its checks repeatedly over days.
    pub link_broken: bool,
    /// Where the stored icon and preview image are served, versioned (cached for a year).
    pub favicon: Option<String>,
    pub preview: Option<String>,
    /// The reader view, when the page's article was archived.
    pub reader: Option<String>,
    pub kind: String,
    pub kind_label: &'static str,
    pub status: String,
    pub status_label: &'static str,
    pub priority: String,
    pub priority_label: &'static str,
    pub favorite: bool,
    pub tags: Vec<LabelView>,
    pub schedule: String,
    /// The item's container (profile and folder): a drag re-orders only within it.
    pub container: String,
}

impl ItemCard {
    pub fn new(v: &ItemView, t: &Catalog, tz: chrono_tz::Tz, href: String) -> ItemCard {
        let url = v.url.clone().unwrap_or_default();
        let host = v.site_name.clone().unwrap_or_else(|| {
            url::Url::parse(&url)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned))
                .unwrap_or_default()
        });
        let schedule = match (v.schedule_start, v.schedule_end) {
            (Some(s), Some(e)) => format!("{} – {}", i18n::show(s, tz), i18n::show(e, tz)),
            (Some(s), None) => i18n::show(s, tz),
            _ => String::new(),
        };
        ItemCard {
            id: v.id,
            href,
            title: v.title.clone(),
            url,
            host,
            description: v.description.clone(),
            reading: v
                .reading_minutes
                .map(|m| t.reading_time(m))
                .unwrap_or_default(),
            capture: v
                .capture_state
                .filter(|s| *s != CaptureState::Done)
                .map(|s| (wire(s), t.capture_state(s))),
            link_broken: v.link_broken,
            favicon: file_url(v.id, "favicon", v.favicon.as_deref()),
            preview: file_url(v.id, "preview", v.preview.as_deref()),
            reader: v
                .archive
                .as_ref()
                .map(|_| format!("/items/{}/reader", v.id)),
            kind: wire(v.kind),
            kind_label: t.kind(v.kind),
            status: wire(v.status),
            status_label: t.status(v.status),
            priority: wire(v.priority),
            priority_label: t.priority(v.priority),
            favorite: v.favorite,
            tags: v.tags.clone(),
            schedule,
            container: format!("item-p{}-f{}", v.profile_id, v.folder_id.unwrap_or(0)),
        }
    }
}

/// The URL of an item's stored file of `role` at `version`.
fn file_url(id: i64, role: &str, version: Option<&str>) -> Option<String> {
    version.map(|v| format!("/items/{id}/files/{role}?v={v}"))
}

/// The list part of an items page (also the live-search fragment).
pub struct ListPart {
    pub cards: Vec<ItemCard>,
    pub next_url: String,
    pub first_url: String,
    pub layout_cards: bool,
    /// Set when the list is in manual order: its rows can be dragged and moved up and down.
    pub reorder: Option<Reorder>,
}

/// How the rows of a manually sorted list move, whichever way the list is ordered.
pub struct Reorder {
    /// The page to come back to after a move without JavaScript (this very page).
    pub back: String,
    /// The `step` sent by the "up" and "down" buttons (swapped in descending order).
    pub up: &'static str,
    pub down: &'static str,
    /// The field a drop on the upper / lower half of a row sends (`before` or `after`).
    pub upper: &'static str,
    pub lower: &'static str,
}

impl Reorder {
    fn new(direction: Direction, back: String) -> Reorder {
        let asc = direction == Direction::Asc;
        Reorder {
            back,
            up: if asc { "up" } else { "down" },
            down: if asc { "down" } else { "up" },
            upper: if asc { "before" } else { "after" },
            lower: if asc { "after" } else { "before" },
        }
    }
}

/// The filter form's choices, marked with the current query.
pub struct FilterForm {
    /// The selected profile, kept in the form ("" for all).
    pub profile: String,
    /// Whether any filter beyond the search box is set (the filter panel starts open).
    pub active: bool,
    pub q: String,
    pub statuses: Vec<Opt>,
    pub priorities: Vec<Opt>,
    pub kinds: Vec<Opt>,
    pub tags: Vec<Opt>,
    pub categories: Vec<Opt>,
    pub folders: Vec<Opt>,
    pub sorts: Vec<Opt>,
    pub orders: Vec<Opt>,
    pub favorite: bool,
    pub broken_links: bool,
    pub from: String,
    pub to: String,
    pub cards: bool,
    pub clear_url: String,
}

/// The bulk-action bar above a list: the choices its selects offer.
pub struct BulkBar {
    pub statuses: Vec<Opt>,
    pub tags: Vec<Opt>,
    pub folders: Vec<Opt>,
    pub qs: String,
}

#[derive(Template)]
#[template(path = "items.html")]
struct ItemsPage {
    c: Chrome,
    view: View,
    heading: &'static str,
    filters: FilterForm,
    list: ListPart,
    modal: Modal,
    new_url: String,
    bulk: BulkBar,
}

/// The list alone: live search replaces the list with it.
#[derive(Template)]
#[template(path = "items_fragment.html")]
struct ListFragment {
    c: Chrome,
    list: ListPart,
}

/// A further page's rows and the pager after them: infinite scroll appends the rows to the
/// list and puts the new pager in place of the old one.
#[derive(Template)]
#[template(path = "items_rows.html")]
struct RowsFragment {
    c: Chrome,
    list: ListPart,
}

/// What a list page needs from its request.
struct ListRequest {
    user: PageUser,
    headers: HeaderMap,
    query: ItemsQuery,
}

/// Declares the handler of a list view: the same request, a different preset.
macro_rules! list_handler {
    ($name:ident, $view:expr) => {
        async fn $name(
            State(state): State<AppState>,
            user: PageUser,
            headers: HeaderMap,
            PageQuery(query): PageQuery<ItemsQuery>,
        ) -> Result<Response, PageError> {
            let req = ListRequest {
                user,
                headers,
                query,
            };
            list_view(&state, req, $view).await
        }
    };
}

list_handler!(list_items, View::Items);
list_handler!(list_favorites, View::Favorites);
list_handler!(list_archive, View::Archive);
list_handler!(list_trash, View::Trash);

async fn list_view(
    state: &AppState,
    mut req: ListRequest,
    view: View,
) -> Result<Response, PageError> {
    req.query.view = Some(view);
    page(state, req, Modal::default()).await
}

/// Renders a list page (or just its list, for live search) with `modal` over it.
async fn page(state: &AppState, req: ListRequest, modal: Modal) -> Result<Response, PageError> {
    let ListRequest {
        user,
        headers,
        query,
    } = req;
    let view = query.view();
    let c = Chrome::signed_in(state, &user, view.nav(), query.profile, view.path(), |t| {
        view.title(t).to_owned()
    })
    .await?;
    let list = list_part(state, &user, &query, c.t).await?;
    match fragment_kind(&headers) {
        Some("rows") => return render(&RowsFragment { c, list }),
        Some(_) => return render(&ListFragment { c, list }),
        None => {}
    }
    let filters = filter_form(state, &user, &query, c.t).await?;
    let new_url = join("/items/new", &query.to_qs());
    let bulk = BulkBar {
        statuses: STATUSES
            .iter()
            .map(|s| Opt::new(wire(s), c.t.status(*s), false))
            .collect(),
        tags: filters
            .tags
            .iter()
            .map(|o| Opt::new(&o.value, &o.label, false))
            .collect(),
        folders: filters
            .folders
            .iter()
            .map(|o| Opt::new(&o.value, &o.label, false))
            .collect(),
        qs: query.to_qs(),
    };
    render(&ItemsPage {
        bulk,
        heading: view.title(c.t),
        c,
        view,
        filters,
        list,
        modal,
        new_url,
    })
}

async fn list_part(
    state: &AppState,
    user: &PageUser,
    query: &ItemsQuery,
    t: &'static Catalog,
) -> Result<ListPart, PageError> {
    let data = user.data(state);
    let mut filter = app::items::filter(state, user.owner, query.to_list_query(user.tz)).await?;
    if filter.scheduled_from.is_some() {
        filter.longest_schedule = data.longest_schedule().await?;
    }
    let page = data.items(&filter).await?;
    let views = page.items;
    let cards = views
        .iter()
        .map(|v| ItemCard::new(v, t, user.tz, query.item_url(v.id)))
        .collect();
    let list_url = query.list_url();
    let next_url = page
        .next_cursor
        .map_or_else(String::new, |cursor| with_cursor(&list_url, &cursor));
    let sort = query.effective_sort();
    let reorder = (sort == SortKey::Manual).then(|| {
        let here = query
            .cursor
            .as_ref()
            .map_or_else(|| list_url.clone(), |c| with_cursor(&list_url, c));
        Reorder::new(query.order.unwrap_or(sort.default_direction()), here)
    });
    Ok(ListPart {
        cards,
        next_url,
        first_url: query.cursor.as_ref().map_or_else(String::new, |_| list_url),
        layout_cards: query.layout.as_deref() == Some("cards"),
        reorder,
    })
}

/// Folder choices of the user (of one profile, or of all with the profile's name in front),
/// each labelled with its path, sorted by label.
pub fn folder_options(labels: &Labels, profile: Option<i64>, selected: Option<i64>) -> Vec<Opt> {
    let mut out = Vec::new();
    for p in &labels.profiles {
        if profile.is_some_and(|id| id != p.id) {
            continue;
        }
        let all: Vec<&folder::Model> = labels.folders_of(p.id).collect();
        for f in &all {
            let mut path = vec![f.name.as_str()];
            let mut parent = f.parent_id;
            while let Some(pid) = parent {
                let Some(up) = all.iter().find(|x| x.id == pid) else {
                    break;
                };
                path.push(up.name.as_str());
                parent = up.parent_id;
                if path.len() > 32 {
                    break;
                }
            }
            path.reverse();
            let label = if profile.is_some() {
                path.join(" / ")
            } else {
                format!("{}: {}", p.name, path.join(" / "))
            };
            out.push(Opt::new(f.id, label, selected == Some(f.id)));
        }
    }
    out.sort_by(|a, b| a.label.cmp(&b.label));
    out
}

async fn filter_form(
    state: &AppState,
    user: &PageUser,
    q: &ItemsQuery,
    t: &'static Catalog,
) -> Result<FilterForm, PageError> {
    let labels = user.data(state).labels().await?;
    let sort = q.effective_sort();
    let sort_label = |s: SortKey| match s {
        SortKey::Relevance => t.sort_relevance,
        SortKey::Created => t.sort_created,
        SortKey::Updated => t.sort_updated,
        SortKey::Title => t.sort_title,
        SortKey::Priority => t.sort_priority,
        SortKey::Schedule => t.sort_schedule,
        SortKey::Manual => t.sort_manual,
    };
    let sorts = [
        SortKey::Relevance,
        SortKey::Created,
        SortKey::Updated,
        SortKey::Title,
        SortKey::Priority,
        SortKey::Schedule,
        SortKey::Manual,
    ]
    .into_iter()
    .map(|s| Opt::new(wire(s), sort_label(s), s == sort))
    .collect();
    let order = q.order.unwrap_or(sort.default_direction());
    let active = !q.status.is_empty()
        || !q.priority.is_empty()
        || q.kind.is_some()
        || !q.tag_id.is_empty()
        || q.category_id.is_some()
        || q.folder_id.is_some()
        || q.favorite.is_some()
        || q.link.is_some()
        || q.from.is_some()
        || q.to.is_some();
    Ok(FilterForm {
        profile: q.profile.map(|p| p.to_string()).unwrap_or_default(),
        active,
        q: q.q.clone().unwrap_or_default(),
        statuses: STATUSES
            .iter()
            .map(|s| Opt::new(wire(s), t.status(*s), q.status.contains(s)))
            .collect(),
        priorities: PRIORITIES
            .iter()
            .map(|p| Opt::new(wire(p), t.priority(*p), q.priority.contains(p)))
            .collect(),
        kinds: KINDS
            .iter()
            .map(|k| Opt::new(wire(k), t.kind(*k), q.kind == Some(*k)))
            .collect(),
        tags: labels
            .tags
            .iter()
            .map(|l| Opt::new(l.id, &l.name, q.tag_id.contains(&l.id)))
            .collect(),
        categories: labels
            .categories
            .iter()
            .map(|l| Opt::new(l.id, &l.name, q.category_id == Some(l.id)))
            .collect(),
        folders: folder_options(&labels, q.profile, q.folder_id),
        sorts,
        orders: vec![
            Opt::new("asc", t.order_asc, order == Direction::Asc),
            Opt::new("desc", t.order_desc, order == Direction::Desc),
        ],
        favorite: q.favorite == Some(true),
        broken_links: q.link == Some(LinkFilter::Broken),
        from: q.from.map(|d| d.to_string()).unwrap_or_default(),
        to: q.to.map(|d| d.to_string()).unwrap_or_default(),
        cards: q.layout.as_deref() == Some("cards"),
        clear_url: join(
            q.view().path(),
            &q.profile
                .map(|p| format!("profile={p}"))
                .unwrap_or_default(),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_round_trip_and_drop_the_cursor() {
        let raw = "profile=2&view=trash&q=%E6%9D%B1%E4%BA%AC+map&status=done&status=on_hold\
                   &priority=high&kind=reading_list&favorite=true&tag_id=3&tag_id=4\
                   &category_id=5&folder_id=6&from=2026-11-01&to=2026-11-30&sort=title\
                   &order=asc&layout=cards&cursor=abc";
        let q: ItemsQuery = crate::parse_form(raw.as_bytes()).ok().unwrap();
        let again: ItemsQuery = crate::parse_form(q.to_qs().as_bytes()).ok().unwrap();
        assert_eq!(again.to_qs(), q.to_qs());
        assert!(!q.to_qs().contains("cursor"));
        assert_eq!(again.q.as_deref(), Some("東京 map"));
        assert_eq!(again.status, [Status::Done, Status::OnHold]);
        assert_eq!(again.tag_id, [3, 4]);
        // The list URL names the view by its path; item URLs carry it.
        assert!(q.list_url().starts_with("/trash?profile=2&q="));
        assert!(!q.list_url().contains("view="));
        assert!(q.item_url(9).starts_with("/items/9?profile=2&view=trash&"));
        assert_eq!(ItemsQuery::default().list_url(), "/items");
    }

    #[test]
    fn empty_values_count_as_absent() {
        let q: ItemsQuery = crate::parse_form(b"q=&status=&kind=&from=&profile=")
            .ok()
            .unwrap();
        assert_eq!(q.to_qs(), "");
        assert!(crate::parse_form::<ItemsQuery>(b"status=bogus").is_err());
    }
}
