//! The item list (with its favourites, archive and trash presets), the item modal (read-only
//! and edit), the new-item form and the item actions.
//!
//! The modal has its own URL, `/items/{id}?<list query>`: the server renders the list with
//! the modal open over it, so reload, back/forward and JavaScript-off all work. `app.js`
//! fetches the same URL with `X-Tidily-Fragment: modal` to open it without a reload.

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
    domain::{ItemKind, Priority, Status},
    entity::{category, folder, tag},
    error::AppError,
    http::{
        api::items::{check_fields, item_filter, ListQuery},
        AppState,
    },
    store::{
        folders, item_query,
        item_query::{ArchivedFilter, Direction, SortKey},
        items::{self, Change, ItemFields, ItemView},
        labels::{self, LabelView},
        profiles,
    },
    validate::Check,
    web::{
        csrf::Form,
        i18n::{self, wire, Catalog, KINDS, PRIORITIES, STATUSES},
        render, see_other,
        session::PageUser,
        wants_fragment, Chrome, Errors, Nav, Opt, PageError, PageId, PageQuery,
    },
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/items", get(list_items).post(create))
        .route("/items/new", get(new_item))
        .route("/items/{id}", get(show).post(update))
        .route("/items/{id}/edit", get(edit))
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
    pub sort: Option<SortKey>,
    pub order: Option<Direction>,
    pub layout: Option<String>,
    pub cursor: Option<String>,
}

impl ItemsQuery {
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

    /// The API's list parameters for this query.
    fn to_list_query(&self, tz: chrono::FixedOffset) -> ListQuery {
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
            q: self.q.clone(),
            sort: self.sort,
            order: self.order,
            limit: Some(50),
            cursor: self.cursor.clone(),
        }
    }
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
    pub host: String,
    pub kind: String,
    pub kind_label: &'static str,
    pub status: String,
    pub status_label: &'static str,
    pub priority: String,
    pub priority_label: &'static str,
    pub favorite: bool,
    pub tags: Vec<LabelView>,
    pub schedule: String,
}

impl ItemCard {
    pub fn new(v: &ItemView, t: &Catalog, tz: chrono::FixedOffset, href: String) -> ItemCard {
        let url = v.url.clone().unwrap_or_default();
        let host = url::Url::parse(&url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default();
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
            kind: wire(v.kind),
            kind_label: t.kind(v.kind),
            status: wire(v.status),
            status_label: t.status(v.status),
            priority: wire(v.priority),
            priority_label: t.priority(v.priority),
            favorite: v.favorite,
            tags: v.tags.clone(),
            schedule,
        }
    }
}

/// The list part of an items page (also the live-search fragment).
pub struct ListPart {
    pub cards: Vec<ItemCard>,
    pub next_url: String,
    pub first_url: String,
    pub layout_cards: bool,
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
    pub from: String,
    pub to: String,
    pub cards: bool,
    pub clear_url: String,
}

/// An item shown read-only in the modal.
pub struct ItemDetail {
    pub card: ItemCard,
    pub memo: String,
    pub profile: String,
    pub folder: String,
    pub category: Option<LabelView>,
    pub schedule_start: String,
    pub schedule_end: String,
    pub reminder: String,
    pub created: String,
    pub updated: String,
    pub archived: bool,
    pub trashed: bool,
    pub edit_url: String,
}

/// The item form (edit, or new when `id` is `None`).
pub struct ItemForm {
    pub id: Option<i64>,
    /// A new item whose status has not been chosen: it follows the kind.
    pub status_auto: bool,
    pub action: String,
    pub title: String,
    pub url: String,
    pub memo: String,
    pub kinds: Vec<Opt>,
    pub profiles: Vec<Opt>,
    pub folders: Vec<Opt>,
    pub categories: Vec<Opt>,
    pub tags: Vec<TagChoice>,
    pub statuses: Vec<Opt>,
    pub priorities: Vec<Opt>,
    pub schedule_start: String,
    pub schedule_end: String,
    pub reminder_at: String,
    pub favorite: bool,
    pub new_tags: String,
    pub errors: Errors,
}

/// A tag checkbox in the item form.
pub struct TagChoice {
    pub id: i64,
    pub name: String,
    pub color: String,
    pub checked: bool,
}

/// The bulk-action bar above a list: the choices its selects offer.
pub struct BulkBar {
    pub statuses: Vec<Opt>,
    pub tags: Vec<Opt>,
    pub folders: Vec<Opt>,
    pub qs: String,
}

/// What the modal shows, if it is open.
#[derive(Default)]
pub struct Modal {
    pub detail: Option<ItemDetail>,
    pub form: Option<ItemForm>,
    pub close_url: String,
    /// The list's query string, carried through the forms so we return to the same list.
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

#[derive(Template)]
#[template(path = "items_fragment.html")]
struct ListFragment {
    c: Chrome,
    list: ListPart,
}

#[derive(Template)]
#[template(path = "modal_fragment.html")]
struct ModalFragment {
    c: Chrome,
    modal: Modal,
}

/// What a list page needs from its request.
struct ListRequest {
    user: PageUser,
    headers: HeaderMap,
    query: ItemsQuery,
}

async fn list_items(
    State(state): State<AppState>,
    user: PageUser,
    headers: HeaderMap,
    PageQuery(query): PageQuery<ItemsQuery>,
) -> Result<Response, PageError> {
    list_view(
        &state,
        ListRequest {
            user,
            headers,
            query,
        },
        View::Items,
    )
    .await
}

async fn list_favorites(
    State(state): State<AppState>,
    user: PageUser,
    headers: HeaderMap,
    PageQuery(query): PageQuery<ItemsQuery>,
) -> Result<Response, PageError> {
    list_view(
        &state,
        ListRequest {
            user,
            headers,
            query,
        },
        View::Favorites,
    )
    .await
}

async fn list_archive(
    State(state): State<AppState>,
    user: PageUser,
    headers: HeaderMap,
    PageQuery(query): PageQuery<ItemsQuery>,
) -> Result<Response, PageError> {
    list_view(
        &state,
        ListRequest {
            user,
            headers,
            query,
        },
        View::Archive,
    )
    .await
}

async fn list_trash(
    State(state): State<AppState>,
    user: PageUser,
    headers: HeaderMap,
    PageQuery(query): PageQuery<ItemsQuery>,
) -> Result<Response, PageError> {
    list_view(
        &state,
        ListRequest {
            user,
            headers,
            query,
        },
        View::Trash,
    )
    .await
}

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
    if wants_fragment(&headers) {
        return render(&ListFragment { c, list });
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
    let filter = item_filter(state, &user.as_current_user(), query.to_list_query(user.tz)).await?;
    let page = item_query::list(&state.db, user.id, &filter).await?;
    let views = items::with_tags(&state.db, page.items).await?;
    let cards = views
        .iter()
        .map(|v| ItemCard::new(v, t, user.tz, query.item_url(v.id)))
        .collect();
    let list_url = query.list_url();
    let next_url = page.next_cursor.map_or_else(String::new, |cursor| {
        let sep = if list_url.contains('?') { '&' } else { '?' };
        let cursor: String = form_urlencoded::byte_serialize(cursor.as_bytes()).collect();
        format!("{list_url}{sep}cursor={cursor}")
    });
    Ok(ListPart {
        cards,
        next_url,
        first_url: query.cursor.as_ref().map_or_else(String::new, |_| list_url),
        layout_cards: query.layout.as_deref() == Some("cards"),
    })
}

/// Folder choices of the user (of one profile, or of all with the profile's name in front).
pub async fn folder_options(
    state: &AppState,
    user_id: i64,
    profile: Option<i64>,
    selected: Option<i64>,
) -> Result<Vec<Opt>, PageError> {
    let mut out = Vec::new();
    for p in profiles::list(&state.db, user_id).await? {
        if profile.is_some_and(|id| id != p.id) {
            continue;
        }
        let all = folders::list(&state.db, user_id, p.id).await?;
        for f in &all {
            let mut path = vec![f.name.as_str()];
            let mut parent = f.parent_id;
            while let Some(pid) = parent {
                let Some(up) = all.iter().find(|x: &&folder::Model| x.id == pid) else {
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
    Ok(out)
}

async fn filter_form(
    state: &AppState,
    user: &PageUser,
    q: &ItemsQuery,
    t: &'static Catalog,
) -> Result<FilterForm, PageError> {
    let tags = labels::list::<tag::Entity>(&state.db, user.id).await?;
    let categories = labels::list::<category::Entity>(&state.db, user.id).await?;
    let sort = q.sort.unwrap_or_default();
    let sort_label = |s: SortKey| match s {
        SortKey::Created => t.sort_created,
        SortKey::Updated => t.sort_updated,
        SortKey::Title => t.sort_title,
        SortKey::Priority => t.sort_priority,
        SortKey::Schedule => t.sort_schedule,
        SortKey::Manual => t.sort_manual,
    };
    let sorts = [
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
        tags: tags
            .into_iter()
            .map(|l| Opt::new(l.id, l.name, q.tag_id.contains(&l.id)))
            .collect(),
        categories: categories
            .into_iter()
            .map(|l| Opt::new(l.id, l.name, q.category_id == Some(l.id)))
            .collect(),
        folders: folder_options(state, user.id, q.profile, q.folder_id).await?,
        sorts,
        orders: vec![
            Opt::new("asc", t.order_asc, order == Direction::Asc),
            Opt::new("desc", t.order_desc, order == Direction::Desc),
        ],
        favorite: q.favorite == Some(true),
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

/// The read-only modal of an item over its list.
async fn show(
    State(state): State<AppState>,
    PageId(id): PageId,
    user: PageUser,
    headers: HeaderMap,
    PageQuery(query): PageQuery<ItemsQuery>,
) -> Result<Response, PageError> {
    let item = items::get(&state.db, user.id, id).await?;
    let t = user.lang.catalog();
    let detail = detail(&state, &user, &query, &item, t).await?;
    let modal = Modal {
        detail: Some(detail),
        form: None,
        close_url: query.list_url(),
        qs: query.to_qs(),
    };
    modal_or_page(
        &state,
        ListRequest {
            user,
            headers,
            query,
        },
        modal,
    )
    .await
}

async fn modal_or_page(
    state: &AppState,
    req: ListRequest,
    modal: Modal,
) -> Result<Response, PageError> {
    if wants_fragment(&req.headers) {
        let view = req.query.view();
        let c = Chrome::signed_in(state, &req.user, view.nav(), req.query.profile, "", |t| {
            view.title(t).to_owned()
        })
        .await?;
        return render(&ModalFragment { c, modal });
    }
    page(state, req, modal).await
}

async fn detail(
    state: &AppState,
    user: &PageUser,
    query: &ItemsQuery,
    item: &ItemView,
    t: &'static Catalog,
) -> Result<ItemDetail, PageError> {
    let profile = profiles::list(&state.db, user.id)
        .await?
        .into_iter()
        .find(|p| p.id == item.profile_id)
        .map(|p| p.name)
        .unwrap_or_default();
    let folder = match item.folder_id {
        Some(f) => folder_options(state, user.id, Some(item.profile_id), None)
            .await?
            .into_iter()
            .find(|o| o.value == f.to_string())
            .map(|o| o.label)
            .unwrap_or_default(),
        None => t.no_folder.to_owned(),
    };
    let category = match item.category_id {
        Some(cid) => labels::list::<category::Entity>(&state.db, user.id)
            .await?
            .into_iter()
            .find(|c| c.id == cid),
        None => None,
    };
    let show = |v: Option<chrono::DateTime<chrono::Utc>>| {
        v.map(|v| i18n::show(v, user.tz)).unwrap_or_default()
    };
    Ok(ItemDetail {
        card: ItemCard::new(item, t, user.tz, query.item_url(item.id)),
        memo: item.memo.clone(),
        profile,
        folder,
        category,
        schedule_start: show(item.schedule_start),
        schedule_end: show(item.schedule_end),
        reminder: show(item.reminder_at),
        created: i18n::show(item.created_at, user.tz),
        updated: i18n::show(item.updated_at, user.tz),
        archived: item.archived_at.is_some(),
        trashed: item.trashed_at.is_some(),
        edit_url: join(&format!("/items/{}/edit", item.id), &query.to_qs()),
    })
}

/// Everything the item form needs, filled from `f`.
async fn item_form(
    state: &AppState,
    user: &PageUser,
    id: Option<i64>,
    f: &ItemFields,
    extra: (String, Errors, bool),
) -> Result<ItemForm, PageError> {
    let t = user.lang.catalog();
    let (new_tags, errors, status_auto) = extra;
    let tags = labels::list::<tag::Entity>(&state.db, user.id).await?;
    let categories = labels::list::<category::Entity>(&state.db, user.id).await?;
    let profiles = profiles::list(&state.db, user.id).await?;
    Ok(ItemForm {
        id,
        status_auto: id.is_none() && status_auto,
        action: id.map_or_else(|| "/items".to_owned(), |id| format!("/items/{id}")),
        title: f.title.clone(),
        url: f.url.clone().unwrap_or_default(),
        memo: f.memo.clone(),
        kinds: KINDS
            .iter()
            .map(|k| Opt::new(wire(k), t.kind(*k), f.kind == *k))
            .collect(),
        profiles: profiles
            .into_iter()
            .map(|p| Opt::new(p.id, p.name, p.id == f.profile_id))
            .collect(),
        folders: folder_options(state, user.id, None, f.folder_id).await?,
        categories: categories
            .into_iter()
            .map(|c| Opt::new(c.id, c.name, f.category_id == Some(c.id)))
            .collect(),
        tags: tags
            .into_iter()
            .map(|l| TagChoice {
                checked: f.tag_ids.contains(&l.id),
                id: l.id,
                name: l.name,
                color: l.color,
            })
            .collect(),
        statuses: STATUSES
            .iter()
            .map(|s| Opt::new(wire(s), t.status(*s), f.status == *s))
            .collect(),
        priorities: PRIORITIES
            .iter()
            .map(|p| Opt::new(wire(p), t.priority(*p), f.priority == *p))
            .collect(),
        schedule_start: i18n::input_value(f.schedule_start, user.tz),
        schedule_end: i18n::input_value(f.schedule_end, user.tz),
        reminder_at: i18n::input_value(f.reminder_at, user.tz),
        favorite: f.favorite,
        new_tags,
        errors,
    })
}

/// The edit form in the modal.
async fn edit(
    State(state): State<AppState>,
    PageId(id): PageId,
    user: PageUser,
    headers: HeaderMap,
    PageQuery(query): PageQuery<ItemsQuery>,
) -> Result<Response, PageError> {
    let fields = items::current_fields(&state.db, user.id, id).await?;
    let form = item_form(&state, &user, Some(id), &fields, Default::default()).await?;
    let modal = Modal {
        detail: None,
        form: Some(form),
        close_url: query.item_url(id),
        qs: query.to_qs(),
    };
    modal_or_page(
        &state,
        ListRequest {
            user,
            headers,
            query,
        },
        modal,
    )
    .await
}

/// The new-item form in the modal, over the list it was opened from.
async fn new_item(
    State(state): State<AppState>,
    user: PageUser,
    headers: HeaderMap,
    PageQuery(query): PageQuery<ItemsQuery>,
) -> Result<Response, PageError> {
    let profile_id = match query.profile {
        Some(p) => p,
        None => profiles::list(&state.db, user.id)
            .await?
            .first()
            .map(|p| p.id)
            .ok_or(AppError::NotFound)?,
    };
    let fields = default_fields(profile_id, ItemKind::Bookmark);
    let form = item_form(
        &state,
        &user,
        None,
        &fields,
        (String::new(), Errors::default(), true),
    )
    .await?;
    let modal = Modal {
        detail: None,
        form: Some(form),
        close_url: query.list_url(),
        qs: query.to_qs(),
    };
    modal_or_page(
        &state,
        ListRequest {
            user,
            headers,
            query,
        },
        modal,
    )
    .await
}

fn default_fields(profile_id: i64, kind: ItemKind) -> ItemFields {
    ItemFields {
        profile_id,
        folder_id: None,
        category_id: None,
        tag_ids: Vec::new(),
        kind,
        title: String::new(),
        url: None,
        memo: String::new(),
        status: match kind {
            ItemKind::Bookmark => Status::Undecided,
            ItemKind::ReadingList => Status::NotStarted,
        },
        priority: Priority::Mid,
        schedule_start: None,
        schedule_end: None,
        reminder_at: None,
        favorite: false,
    }
}

/// The item form as posted. Every attribute is present (an edit replaces them all).
#[derive(Deserialize)]
struct ItemPost {
    #[serde(default)]
    title: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    memo: String,
    kind: Option<ItemKind>,
    profile_id: Option<i64>,
    folder_id: Option<i64>,
    category_id: Option<i64>,
    #[serde(default)]
    tag_id: Vec<i64>,
    #[serde(default)]
    new_tags: String,
    /// The colour of the tags created from `new_tags`.
    new_tag_color: Option<String>,
    status: Option<Status>,
    priority: Option<Priority>,
    #[serde(default)]
    schedule_start: String,
    #[serde(default)]
    schedule_end: String,
    #[serde(default)]
    reminder_at: String,
    favorite: Option<String>,
    /// The list's query string, to return to the same list.
    #[serde(default)]
    qs: String,
}

/// Validates a posted item form into fields; the new tag names are returned separately.
fn fields_of(post: &ItemPost, tz: chrono::FixedOffset, check: &mut Check) -> ItemFields {
    let kind = post.kind.unwrap_or(ItemKind::Bookmark);
    let mut f = default_fields(post.profile_id.unwrap_or_default(), kind);
    if post.profile_id.is_none() {
        check.add("profile_id", "must be chosen");
    }
    let mut time = |field: &str, value: &str| {
        i18n::parse_input(value, tz).unwrap_or_else(|| {
            check.add(field, "must be a date and time");
            None
        })
    };
    f.schedule_start = time("schedule_start", &post.schedule_start);
    f.schedule_end = time("schedule_end", &post.schedule_end);
    f.reminder_at = time("reminder_at", &post.reminder_at);
    f.folder_id = post.folder_id;
    f.category_id = post.category_id;
    f.tag_ids = post.tag_id.clone();
    f.title = post.title.clone();
    f.url = Some(post.url.clone()).filter(|u| !u.trim().is_empty());
    f.memo = post.memo.clone();
    if let Some(s) = post.status {
        f.status = s;
    }
    if let Some(p) = post.priority {
        f.priority = p;
    }
    f.favorite = post.favorite.is_some();
    check_fields(check, &mut f);
    f
}

/// The names typed into "new tags", trimmed, without duplicates.
fn new_tag_names(raw: &str, check: &mut Check) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for name in raw.split([',', '、']) {
        let name = name.trim();
        if name.is_empty() || names.iter().any(|n| n == name) {
            continue;
        }
        names.push(check.line("new_tags", name, 50));
    }
    names
}

/// The colour of a tag created on the fly when none is picked.
const DEFAULT_TAG_COLOR: &str = "#6b7280";

/// Creates the tags that do not exist yet and returns the IDs of all of them.
async fn ensure_tags(
    state: &AppState,
    user_id: i64,
    names: &[String],
    color: &str,
) -> Result<Vec<i64>, PageError> {
    let existing = labels::list::<tag::Entity>(&state.db, user_id).await?;
    let mut ids = Vec::new();
    for name in names {
        match existing.iter().find(|l| l.name == *name) {
            Some(l) => ids.push(l.id),
            None => {
                let created = labels::create::<tag::Entity>(
                    &state.db,
                    user_id,
                    name.clone(),
                    color.to_owned(),
                )
                .await?;
                ids.push(created.id);
            }
        }
    }
    Ok(ids)
}

/// Saves a posted item form (create when `id` is `None`); re-shows it with errors on failure.
async fn save(
    state: &AppState,
    id: Option<i64>,
    headers: HeaderMap,
    form: Form<ItemPost>,
) -> Result<Response, PageError> {
    let Form { user, data: post } = form;
    let query: ItemsQuery = crate::web::parse_form(post.qs.as_bytes()).unwrap_or_default();
    let mut check = Check::new();
    let mut fields = fields_of(&post, user.tz, &mut check);
    let names = new_tag_names(&post.new_tags, &mut check);
    let color = match post.new_tag_color.as_deref() {
        Some(c) => check.color("new_tag_color", c),
        None => DEFAULT_TAG_COLOR.to_owned(),
    };
    let result = match check.finish() {
        Ok(()) => {
            let mut new_ids = ensure_tags(state, user.id, &names, &color).await?;
            fields.tag_ids.append(&mut new_ids);
            fields.tag_ids.sort_unstable();
            fields.tag_ids.dedup();
            match id {
                Some(id) => items::update(&state.db, user.id, id, fields.clone()).await,
                None => items::create(&state.db, user.id, fields.clone()).await,
            }
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(saved) => Ok(see_other(&query.item_url(saved.id))),
        Err(AppError::Validation(problems)) => {
            let form = item_form(
                state,
                &user,
                id,
                &fields,
                (
                    post.new_tags.clone(),
                    Errors::localized(problems, user.lang),
                    post.status.is_none(),
                ),
            )
            .await?;
            let modal = Modal {
                detail: None,
                form: Some(form),
                close_url: id.map_or_else(|| query.list_url(), |id| query.item_url(id)),
                qs: query.to_qs(),
            };
            let req = ListRequest {
                user,
                headers,
                query,
            };
            let response = modal_or_page(state, req, modal).await?;
            let (mut parts, body) = response.into_parts();
            parts.status = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(Response::from_parts(parts, body))
        }
        Err(e) => Err(e.into()),
    }
}

async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Form<ItemPost>,
) -> Result<Response, PageError> {
    save(&state, None, headers, form).await
}

async fn update(
    State(state): State<AppState>,
    PageId(id): PageId,
    headers: HeaderMap,
    form: Form<ItemPost>,
) -> Result<Response, PageError> {
    save(&state, Some(id), headers, form).await
}

/// A button's form: only the list to return to.
#[derive(Deserialize)]
struct ActionPost {
    #[serde(default)]
    qs: String,
}

/// The buttons of the modal: archive, unarchive, trash, restore, favourite, delete for good.
async fn act(
    State(state): State<AppState>,
    axum::extract::Path((raw_id, action)): axum::extract::Path<(String, String)>,
    form: Form<ActionPost>,
) -> Result<Response, PageError> {
    let id: i64 = raw_id.parse().map_err(|_| AppError::NotFound)?;
    let user = &form.user;
    let query: ItemsQuery = crate::web::parse_form(form.data.qs.as_bytes()).unwrap_or_default();
    let change = match action.as_str() {
        "archive" => Change::Archive,
        "unarchive" => Change::Unarchive,
        "trash" => Change::Trash,
        "restore" => Change::Restore,
        "favorite" => Change::Favorite(true),
        "unfavorite" => Change::Favorite(false),
        "purge" => {
            items::purge(&state.db, user.id, &[id]).await?;
            return Ok(see_other(&query.list_url()));
        }
        _ => return Err(AppError::NotFound.into()),
    };
    items::apply_one(&state.db, user.id, id, change).await?;
    Ok(see_other(&query.list_url()))
}

/// Empties the trash (the button sits behind a confirmation step in the trash view).
async fn empty_trash(
    State(state): State<AppState>,
    form: Form<ActionPost>,
) -> Result<Response, PageError> {
    items::empty_trash(&state.db, form.user.id).await?;
    let query: ItemsQuery = crate::web::parse_form(form.data.qs.as_bytes()).unwrap_or_default();
    Ok(see_other(&query.list_url()))
}

/// The bulk form: the checked items and what to do with them.
#[derive(Deserialize)]
struct BulkPost {
    #[serde(default)]
    ids: Vec<i64>,
    action: Option<String>,
    status: Option<Status>,
    tag_id: Option<i64>,
    /// `none` (out of any folder) or a folder ID.
    folder: Option<String>,
    #[serde(default)]
    qs: String,
}

/// Applies one action to the checked items of a list, all or nothing (like the API's bulk).
async fn bulk(State(state): State<AppState>, form: Form<BulkPost>) -> Result<Response, PageError> {
    let Form { user, data } = form;
    let query: ItemsQuery = crate::web::parse_form(data.qs.as_bytes()).unwrap_or_default();
    let back = query.list_url();
    if data.ids.is_empty() || data.ids.len() > 500 {
        // Nothing checked: nothing to do.
        return Ok(see_other(&back));
    }
    let missing = |field: &str| AppError::field(field, "is required for this action");
    let change = match data.action.as_deref().unwrap_or_default() {
        "status" => Change::SetStatus(data.status.ok_or_else(|| missing("status"))?),
        "add_tag" => Change::AddTags(vec![data.tag_id.ok_or_else(|| missing("tag_id"))?]),
        "remove_tag" => Change::RemoveTags(vec![data.tag_id.ok_or_else(|| missing("tag_id"))?]),
        "move" => match data.folder.as_deref() {
            Some("none") => Change::Move(None),
            Some(f) => Change::Move(Some(f.parse().map_err(|_| missing("folder"))?)),
            None => return Err(missing("folder").into()),
        },
        "archive" => Change::Archive,
        "unarchive" => Change::Unarchive,
        "trash" => Change::Trash,
        "restore" => Change::Restore,
        "favorite" => Change::Favorite(true),
        "unfavorite" => Change::Favorite(false),
        "purge" => {
            items::purge(&state.db, user.id, &data.ids).await?;
            return Ok(see_other(&back));
        }
        _ => return Err(missing("action").into()),
    };
    items::apply(&state.db, user.id, &data.ids, change).await?;
    Ok(see_other(&back))
}
