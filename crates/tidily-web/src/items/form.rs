//! The item form: its choices, validation of a posted form (with the API's checks) and
//! saving, with tags created on the fly.

use super::modal::{modal_or_page, Modal};
use super::*;
use crate::domain::problem::Problem;

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
    /// Items that already link to the form's page (a page sent by the bookmarklet or the
    /// share target that was saved before): shown above the form.
    pub also_saved: Vec<SavedLink>,
}

/// An item that already links to a page.
pub struct SavedLink {
    pub href: String,
    pub title: String,
}

/// A tag checkbox in the item form.
pub struct TagChoice {
    pub id: i64,
    pub name: String,
    pub color: String,
    pub checked: bool,
}

/// Everything the item form needs, filled from `f`.
pub(super) async fn item_form(
    state: &AppState,
    user: &PageUser,
    id: Option<i64>,
    f: &ItemFields,
    extra: (String, Errors, bool),
) -> Result<ItemForm, PageError> {
    let t = user.lang.catalog();
    let (new_tags, errors, status_auto) = extra;
    let labels = user.data(state).labels().await?;
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
        profiles: labels
            .profiles
            .iter()
            .map(|p| Opt::new(p.id, &p.name, p.id == f.profile_id))
            .collect(),
        folders: folder_options(&labels, None, f.folder_id),
        categories: labels
            .categories
            .iter()
            .map(|c| Opt::new(c.id, &c.name, f.category_id == Some(c.id)))
            .collect(),
        tags: labels
            .tags
            .iter()
            .map(|l| TagChoice {
                checked: f.tag_ids.contains(&l.id),
                id: l.id,
                name: l.name.clone(),
                color: l.color.clone(),
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
        also_saved: Vec::new(),
    })
}

/// The item form as posted. Every attribute is present (an edit replaces them all).
#[derive(Deserialize)]
pub(super) struct ItemPost {
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
fn fields_of(post: &ItemPost, tz: chrono_tz::Tz, check: &mut Check) -> ItemFields {
    let kind = post.kind.unwrap_or(ItemKind::Bookmark);
    let mut f = app::items::new_fields(post.profile_id.unwrap_or_default().into(), kind);
    if post.profile_id.is_none() {
        check.add("profile_id", Problem::NotChosen);
    }
    let mut time = |field: &str, value: &str| {
        i18n::parse_input(value, tz).unwrap_or_else(|bad| {
            check.add(field, bad);
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
    f
}

/// The names typed into "new tags" (comma-separated, Japanese comma too); `app` checks them.
fn new_tag_names(raw: &str) -> Vec<String> {
    raw.split([',', '、'])
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Saves a posted item form (create when `id` is `None`); re-shows it with errors on failure.
async fn save(
    state: &AppState,
    id: Option<i64>,
    headers: HeaderMap,
    form: Form<ItemPost>,
) -> Result<Response, PageError> {
    let Form { user, data: post } = form;
    let query: ItemsQuery = crate::parse_form(post.qs.as_bytes()).unwrap_or_default();
    let mut found = Check::new();
    let fields = fields_of(&post, user.tz, &mut found);
    let new_tags = NewTags {
        names: new_tag_names(&post.new_tags),
        color: post
            .new_tag_color
            .clone()
            .unwrap_or_else(|| NewTags::DEFAULT_COLOR.to_owned()),
    };
    let result = match id {
        Some(id) => {
            let posted = fields.clone();
            let replace = move |f: &mut ItemFields| *f = posted;
            app::items::update(state, user.owner, id.into(), found, new_tags, replace).await
        }
        None => app::items::create(state, user.owner, found, fields.clone(), new_tags).await,
    };
    match result {
        Ok(saved) => Ok(see_other(&query.item_url(saved.id))),
        Err(CoreError::Invalid(problems)) => {
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

pub(super) async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Form<ItemPost>,
) -> Result<Response, PageError> {
    save(&state, None, headers, form).await
}

pub(super) async fn update(
    State(state): State<AppState>,
    PageId(id): PageId,
    headers: HeaderMap,
    form: Form<ItemPost>,
) -> Result<Response, PageError> {
    save(&state, Some(id), headers, form).await
}
