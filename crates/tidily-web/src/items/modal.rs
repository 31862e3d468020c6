//! The item modal: an item read-only, its edit form and the new-item form, rendered over
//! the list they were opened from (or alone, as a fragment for htmx).

use super::form::{item_form, ItemForm, SavedLink};
use super::*;

/// An item shown read-only in the modal.
pub struct ItemDetail {
    pub card: ItemCard,
    pub memo: String,
    /// The capture's state label, and why it failed (empty unless it did).
    pub capture: &'static str,
    pub capture_error: String,
    /// The health of the link, for an item with one.
    pub link: Option<LinkRow>,
    /// Other items that link to the same page: (link, title).
    pub also_saved: Vec<(String, String)>,
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

/// What the checks of an item's link found, as the modal shows it.
pub struct LinkRow {
    /// "Working", "Page gone", "Not checked yet"…
    pub label: &'static str,
    /// The last check's time and what it saw, in words ("" before the first).
    pub detail: String,
    pub broken: bool,
    /// Where a moved link leads now (offered as the item's new URL).
    pub moved_to: Option<String>,
    /// The Wayback Machine's copy, for a failing link.
    pub archived_copy: Option<String>,
}

impl LinkRow {
    fn new(v: app::links::LinkView, t: &Catalog, tz: chrono_tz::Tz) -> LinkRow {
        let mut detail = Vec::new();
        if let Some(at) = v.checked_at {
            detail.push(format!("{} {}", t.link_checked, i18n::show(at, tz)));
        }
        if let Some(status) = v.status {
            detail.push(format!("HTTP {status}"));
        }
        if v.failures > 1 {
            let sep = if t.link_failures.is_ascii() { " " } else { "" };
            detail.push(format!("{}{sep}{}", v.failures, t.link_failures));
        }
        if let Some(why) = v.detail {
            detail.push(why);
        }
        LinkRow {
            label: v.state.map_or(t.link_unchecked, |s| t.link_state(s)),
            detail: detail.join(" · "),
            broken: v.broken,
            moved_to: v.moved_to,
            archived_copy: v.archived_copy,
        }
    }
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
#[template(path = "modal_fragment.html")]
struct ModalFragment {
    c: Chrome,
    modal: Modal,
}

/// The read-only modal of an item over its list.
pub(super) async fn show(
    State(state): State<AppState>,
    PageId(id): PageId,
    user: PageUser,
    headers: HeaderMap,
    PageQuery(query): PageQuery<ItemsQuery>,
) -> Result<Response, PageError> {
    let item = app::items::get(&state, user.owner, id.into()).await?;
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

pub(super) async fn modal_or_page(
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
    let labels = user.data(state).labels().await?;
    let profile = labels
        .profile(item.profile_id)
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let folder = match item.folder_id {
        Some(f) => folder_options(&labels, Some(item.profile_id), None)
            .into_iter()
            .find(|o| o.value == f.to_string())
            .map(|o| o.label)
            .unwrap_or_default(),
        None => t.no_folder.to_owned(),
    };
    let category = item
        .category_id
        .and_then(|cid| labels.categories.iter().find(|c| c.id == cid).cloned());
    let show = |v: Option<chrono::DateTime<chrono::Utc>>| {
        v.map(|v| i18n::show(v, user.tz)).unwrap_or_default()
    };
    Ok(ItemDetail {
        card: ItemCard::new(item, t, user.tz, query.item_url(item.id)),
        memo: item.memo.clone(),
        capture: item
            .capture_state
            .map(|s| t.capture_state(s))
            .unwrap_or_default(),
        also_saved: match &item.url {
            Some(url) => app::duplicates::saved_as(state, user.owner, url, Some(item.id.into()))
                .await?
                .into_iter()
                .map(|other| (query.item_url(other.id), other.title))
                .collect(),
            None => Vec::new(),
        },
        link: match &item.url {
            Some(_) => Some(LinkRow::new(
                app::links::view(state, user.owner, item.id.into()).await?,
                t,
                user.tz,
            )),
            None => None,
        },
        capture_error: match item.capture_state {
            Some(CaptureState::Failed) => app::captures::view(state, user.owner, item.id.into())
                .await?
                .error
                .unwrap_or_default(),
            _ => String::new(),
        },
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

/// The edit form in the modal.
pub(super) async fn edit(
    State(state): State<AppState>,
    PageId(id): PageId,
    user: PageUser,
    headers: HeaderMap,
    PageQuery(query): PageQuery<ItemsQuery>,
) -> Result<Response, PageError> {
    let fields = app::items::fields(&state, user.owner, id.into()).await?;
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

/// What the bookmarklet and the share target send: a page's link and title. Android apps
/// put the link in `text` (often after a sentence), so the first web link found there serves
/// when `url` is absent.
#[derive(Debug, Default, serde::Deserialize)]
pub(super) struct SaveQuery {
    #[serde(default)]
    url: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
}

impl SaveQuery {
    /// The link to save: `url`, else the first http(s) link in `text` or `title`.
    fn link(&self) -> Option<String> {
        let given = self.url.trim();
        if !given.is_empty() {
            return Some(given.to_owned());
        }
        [&self.text, &self.title].into_iter().find_map(|s| {
            s.split_whitespace()
                .find(|w| w.starts_with("https://") || w.starts_with("http://"))
                .map(str::to_owned)
        })
    }

    /// The title, unless it is only the link again.
    fn title(&self, link: Option<&str>) -> String {
        let title = self.title.trim();
        if Some(title) == link {
            String::new()
        } else {
            title.to_owned()
        }
    }
}

/// `GET /save?url=&title=&text=`, where the bookmarklet and the PWA's share target land: the
/// new-item form filled in, with the items that already link to the page above it. It never
/// saves on its own (another site could send a browser here): the user submits the form.
pub(super) async fn save(
    State(state): State<AppState>,
    user: PageUser,
    headers: HeaderMap,
    PageQuery(save): PageQuery<SaveQuery>,
) -> Result<Response, PageError> {
    let link = save.link();
    let title = save.title(link.as_deref());
    let req = ListRequest {
        user,
        headers,
        query: ItemsQuery::default(),
    };
    new_item_page(&state, req, link, title).await
}

/// The new-item form in the modal, over the list it was opened from.
pub(super) async fn new_item(
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
    new_item_page(&state, req, None, String::new()).await
}

/// The new-item form over `req`'s list, in its profile (else the first), filled in with
/// `link` and `title`, and the items that already link to that page above it.
async fn new_item_page(
    state: &AppState,
    req: ListRequest,
    link: Option<String>,
    title: String,
) -> Result<Response, PageError> {
    let (user, query) = (&req.user, &req.query);
    let profile_id = match query.profile {
        Some(p) => p,
        None => app::profiles::list(state, user.owner)
            .await?
            .first()
            .map(|p| p.id)
            .ok_or(CoreError::NotFound)?,
    };
    let mut fields = app::items::new_fields(profile_id.into(), ItemKind::Bookmark);
    fields.title = title;
    fields.url = link;
    let mut form = item_form(
        state,
        user,
        None,
        &fields,
        (String::new(), Errors::default(), true),
    )
    .await?;
    if let Some(url) = &fields.url {
        form.also_saved = app::duplicates::saved_as(state, user.owner, url, None)
            .await?
            .into_iter()
            .map(|item| SavedLink {
                href: query.item_url(item.id),
                title: item.title,
            })
            .collect();
    }
    let modal = Modal {
        detail: None,
        form: Some(form),
        close_url: query.list_url(),
        qs: query.to_qs(),
    };
    modal_or_page(state, req, modal).await
}
