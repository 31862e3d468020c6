//! A linkding-compatible API under `/api/linkding`, so that the browser extensions, phone
//! apps and scripts written for linkding work with TidilySpace: a user pastes
//! `https://<host>/api/linkding` as the server URL and a personal API token as the token.
//!
//! A thin surface over `app::items` and `app::labels`, in linkding's shapes: bookmarks
//! paged by `limit`/`offset` with absolute `next`/`previous` links, `q` with words and
//! `#tags`, errors as `{"detail": …}` or `{field: [messages]}`, paths with and without
//! their trailing slash, `Authorization: Token …` (or `Bearer …`). It lives under `/api/`,
//! so the load balancer's rule for the API role already routes it.
//!
//! Mapping: `notes` is the memo, `description` the description (kept over what a capture
//! finds), `unread` an unread reading-list item (setting it makes the item a reading-list
//! entry not started; clearing it on one marks it done), `is_archived` the archive; `shared`
//! is always false. New bookmarks go to the first profile; `DELETE` moves to the trash.

use std::collections::HashMap;

use axum::{
    extract::{FromRequestParts, State},
    http::{header, request::Parts, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post, MethodRouter},
    Json as JsonOut, Router,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::{
    app::{
        duplicates, items,
        items::{ArchivedFilter, Change, Direction, ItemView, ListQuery, NewTags, SortKey},
        labels,
        labels::LabelView,
        owner::Owner,
        profiles, sessions, AppState,
    },
    domain::{ids::ItemId, problem::Problem, ItemKind, Status},
    entity::tag,
    error::CoreError,
    http::{
        error::ApiError,
        extract::{Id, Json, Query},
    },
    validate::Check,
};

/// Where the compatible API is mounted.
pub const PREFIX: &str = "/api/linkding";

/// The linkding version we answer as: clients check it (aiolinkding refuses servers older
/// than 1.22.0).
pub const LINKDING_VERSION: &str = "1.44.0";

/// Bookmarks per page when the client names no `limit`, and the most it may ask for.
const LIMIT_DEFAULT: u64 = 100;
const LIMIT_MAX: u64 = 1000;
/// Tags per page: the browser extension asks for `limit=5000` and pages no further.
const TAG_LIMIT_MAX: u64 = 10_000;

pub fn routes() -> Router<AppState> {
    let api = [
        ("/health", get(health)),
        ("/api/bookmarks", get(list).post(create)),
        ("/api/bookmarks/archived", get(archived)),
        ("/api/bookmarks/check", get(check)),
        (
            "/api/bookmarks/{id}",
            get(get_one).put(replace).patch(patch).delete(delete),
        ),
        ("/api/bookmarks/{id}/archive", post(archive)),
        ("/api/bookmarks/{id}/unarchive", post(unarchive)),
        ("/api/tags", get(tags).post(create_tag)),
        ("/api/tags/{id}", get(get_tag)),
        ("/api/user/profile", get(user_profile)),
    ];
    let with_and_without_slash =
        |router: Router<AppState>, (path, route): (&str, MethodRouter<AppState>)| {
            router
                .route(&format!("{PREFIX}{path}"), route.clone())
                .route(&format!("{PREFIX}{path}/"), route)
        };
    api.into_iter().fold(Router::new(), with_and_without_slash)
}

/// A failure in linkding's (Django REST framework's) shapes.
pub struct LdError(ApiError);

impl<E: Into<ApiError>> From<E> for LdError {
    fn from(e: E) -> Self {
        LdError(e.into())
    }
}

type LdResult<T> = Result<T, LdError>;

impl IntoResponse for LdError {
    fn into_response(self) -> Response {
        let (status, _) = self.0.status_and_code();
        let (status, body) = match self.0 {
            ApiError::Core(CoreError::Invalid(fields)) => {
                let fields: HashMap<String, Vec<String>> = fields
                    .into_iter()
                    .map(|(k, problems)| (k, problems.iter().map(Problem::en).collect()))
                    .collect();
                (StatusCode::BAD_REQUEST, json!(fields))
            }
            _ if status == StatusCode::UNAUTHORIZED => (
                status,
                json!({"detail": "Authentication credentials were not provided or are invalid."}),
            ),
            _ if status == StatusCode::NOT_FOUND => (status, json!({"detail": "Not found."})),
            _ if status == StatusCode::INTERNAL_SERVER_ERROR => {
                crate::http::error::log_unexpected(status, &self.0);
                (status, json!({"detail": "A server error occurred."}))
            }
            e => {
                let status = if status == StatusCode::UNPROCESSABLE_ENTITY {
                    StatusCode::BAD_REQUEST
                } else {
                    status
                };
                (status, json!({"detail": e.to_string()}))
            }
        };
        let mut response = (status, JsonOut(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Token"));
        }
        response
    }
}

/// The account of `Authorization: Token <token>` (linkding's scheme) or `Bearer <token>`.
pub struct LdUser(Owner);

impl FromRequestParts<AppState> for LdUser {
    type Rejection = LdError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> LdResult<Self> {
        let credential = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Token ")
                    .or_else(|| v.strip_prefix("Bearer "))
            })
            .map(str::trim)
            .ok_or(CoreError::Unauthenticated)?;
        let (owner, _) = sessions::by_bearer(state, credential).await?;
        Ok(LdUser(owner))
    }
}

async fn health() -> JsonOut<Value> {
    JsonOut(json!({"version": LINKDING_VERSION, "status": "healthy"}))
}

/// A bookmark as linkding writes it.
#[derive(Debug, Serialize)]
struct Bookmark {
    id: i64,
    url: String,
    title: String,
    description: String,
    notes: String,
    web_archive_snapshot_url: String,
    favicon_url: Option<String>,
    preview_image_url: Option<String>,
    is_archived: bool,
    unread: bool,
    shared: bool,
    tag_names: Vec<String>,
    date_added: DateTime<Utc>,
    date_modified: DateTime<Utc>,
    website_title: Option<String>,
    website_description: Option<String>,
}

fn unread(item: &ItemView) -> bool {
    item.kind == ItemKind::ReadingList && item.status != Status::Done
}

impl From<ItemView> for Bookmark {
    fn from(i: ItemView) -> Self {
        Bookmark {
            id: i.id,
            unread: unread(&i),
            url: i.url.unwrap_or_default(),
            title: i.title,
            description: i.description,
            notes: i.memo,
            web_archive_snapshot_url: String::new(),
            favicon_url: None,
            preview_image_url: None,
            is_archived: i.archived_at.is_some(),
            shared: false,
            tag_names: i.tags.into_iter().map(|t| t.name).collect(),
            date_added: i.created_at,
            date_modified: i.updated_at,
            website_title: None,
            website_description: None,
        }
    }
}

/// A list page: `count`, absolute `next` and `previous` links, `results`.
fn paged<T: Serialize>(
    state: &AppState,
    path: &str,
    params: &[(&str, String)],
    count: u64,
    offset: u64,
    limit: u64,
    results: Vec<T>,
) -> JsonOut<Value> {
    let link = |offset: u64| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (k, v) in params {
            query.append_pair(k, v);
        }
        query.append_pair("limit", &limit.to_string());
        query.append_pair("offset", &offset.to_string());
        let base = state.config.base_url.as_str().trim_end_matches('/');
        format!("{base}{PREFIX}{path}?{}", query.finish())
    };
    let next = (offset + limit < count).then(|| link(offset + limit));
    let previous = (offset > 0).then(|| link(offset.saturating_sub(limit)));
    JsonOut(json!({"count": count, "next": next, "previous": previous, "results": results}))
}

/// `q`, `limit` and `offset` of a list (other linkding parameters are accepted and ignored).
#[derive(Debug, Deserialize)]
struct ListParams {
    q: Option<String>,
    limit: Option<u64>,
    offset: Option<u64>,
}

impl ListParams {
    fn limit(&self, max: u64) -> u64 {
        self.limit.unwrap_or(LIMIT_DEFAULT).clamp(1, max)
    }
}

async fn list(
    State(state): State<AppState>,
    LdUser(owner): LdUser,
    axum::extract::Query(p): axum::extract::Query<ListParams>,
) -> LdResult<JsonOut<Value>> {
    bookmarks(&state, owner, p, false).await
}

async fn archived(
    State(state): State<AppState>,
    LdUser(owner): LdUser,
    axum::extract::Query(p): axum::extract::Query<ListParams>,
) -> LdResult<JsonOut<Value>> {
    bookmarks(&state, owner, p, true).await
}

/// Bookmarks newest first, `q` read as linkding reads it: words every bookmark must hold and
/// `#tags` it must carry (`and` between terms is implied; `or` and `not` are not supported
/// and are ignored as words).
async fn bookmarks(
    state: &AppState,
    owner: Owner,
    p: ListParams,
    archived: bool,
) -> LdResult<JsonOut<Value>> {
    let (limit, offset) = (p.limit(LIMIT_MAX), p.offset.unwrap_or(0));
    let query = p.q.clone().unwrap_or_default();
    let mut words = Vec::new();
    let mut tag_ids = Vec::new();
    let mut unknown_tag = false;
    // The account's tags are read only when the query names one.
    let known = if query
        .split_whitespace()
        .any(|t| t.len() > 1 && t.starts_with('#'))
    {
        labels::list::<tag::Entity>(state, owner).await?
    } else {
        Vec::new()
    };
    for term in query.split_whitespace() {
        if let Some(name) = term.strip_prefix('#').filter(|n| !n.is_empty()) {
            match known
                .iter()
                .find(|t| t.name.to_lowercase() == name.to_lowercase())
            {
                Some(t) => tag_ids.push(t.id),
                None => unknown_tag = true,
            }
        } else if !matches!(term.to_lowercase().as_str(), "and" | "or" | "not") {
            words.push(term);
        }
    }
    let path = if archived {
        "/api/bookmarks/archived/"
    } else {
        "/api/bookmarks/"
    };
    let params: Vec<(&str, String)> = p.q.iter().map(|q| ("q", q.clone())).collect();
    if unknown_tag {
        return Ok(paged(
            state,
            path,
            &params,
            0,
            offset,
            limit,
            Vec::<Bookmark>::new(),
        ));
    }
    let filter = items::filter(
        state,
        owner,
        ListQuery {
            tag_id: tag_ids,
            archived: Some(if archived {
                ArchivedFilter::True
            } else {
                ArchivedFilter::False
            }),
            q: (!words.is_empty()).then(|| words.join(" ")),
            sort: Some(SortKey::Created),
            order: Some(Direction::Desc),
            ..ListQuery::default()
        },
    )
    .await?;
    let count = items::count(state, owner, &filter).await?;
    let page = items::window(state, owner, filter, offset, limit).await?;
    let results: Vec<Bookmark> = page.into_iter().map(Bookmark::from).collect();
    Ok(paged(state, path, &params, count, offset, limit, results))
}

async fn get_one(
    State(state): State<AppState>,
    LdUser(owner): LdUser,
    Id(id): Id<ItemId>,
) -> LdResult<JsonOut<Bookmark>> {
    Ok(JsonOut(get_one_live(&state, owner, id).await?.into()))
}

#[derive(Debug, Deserialize)]
struct CheckParams {
    url: String,
}

/// What the browser extension asks before its form opens: the bookmark of this page, if
/// there is one, and what is known of the page.
async fn check(
    State(state): State<AppState>,
    LdUser(owner): LdUser,
    Query(p): Query<CheckParams>,
) -> LdResult<JsonOut<Value>> {
    let found = duplicates::saved_as(&state, owner, &p.url, None).await?;
    let bookmark = found.into_iter().next().map(Bookmark::from);
    let metadata = json!({
        "url": p.url,
        "title": bookmark.as_ref().map(|b| b.title.clone()),
        "description": bookmark.as_ref().map(|b| b.description.clone()),
        "preview_image": null,
    });
    Ok(JsonOut(
        json!({"bookmark": bookmark, "metadata": metadata, "auto_tags": []}),
    ))
}

/// A bookmark's writable fields; which are required depends on the method.
#[derive(Debug, Default, Deserialize)]
struct BookmarkIn {
    url: Option<String>,
    title: Option<String>,
    description: Option<String>,
    notes: Option<String>,
    is_archived: Option<bool>,
    unread: Option<bool>,
    tag_names: Option<Vec<String>>,
}

/// Applies the given fields to an item's fields; the tag names go into `new_tags`.
fn apply(input: &BookmarkIn, f: &mut items::ItemFields) {
    if let Some(url) = &input.url {
        f.url = Some(url.clone());
    }
    if let Some(title) = &input.title {
        f.title = title.clone();
    }
    if let Some(description) = &input.description {
        f.description = Some(description.clone());
    }
    if let Some(notes) = &input.notes {
        f.memo = notes.clone();
    }
    match input.unread {
        Some(true) => {
            f.kind = ItemKind::ReadingList;
            if f.status == Status::Done || f.status == Status::Undecided {
                f.status = Status::NotStarted;
            }
        }
        Some(false) if f.kind == ItemKind::ReadingList => f.status = Status::Done,
        _ => {}
    }
    if input.tag_names.is_some() {
        f.tag_ids.clear();
    }
}

fn new_tags(input: &BookmarkIn) -> NewTags {
    NewTags {
        names: input.tag_names.clone().unwrap_or_default(),
        color: NewTags::DEFAULT_COLOR.to_owned(),
    }
}

/// Saves a bookmark; a page already saved is updated instead (as linkding does).
async fn create(
    State(state): State<AppState>,
    LdUser(owner): LdUser,
    Json(input): Json<BookmarkIn>,
) -> LdResult<(StatusCode, JsonOut<Bookmark>)> {
    let Some(url) = input.url.clone().filter(|u| !u.trim().is_empty()) else {
        return Err(CoreError::field("url", Problem::Required).into());
    };
    let existing = duplicates::saved_as(&state, owner, &url, None).await?;
    let item = match existing.first() {
        Some(item) => {
            let input = BookmarkIn {
                // Keep the URL as saved: the same page under another spelling.
                url: None,
                title: input.title.clone().filter(|t| !t.trim().is_empty()),
                ..input
            };
            let id = ItemId::from(item.id);
            items::update(&state, owner, id, Check::new(), new_tags(&input), |f| {
                apply(&input, f)
            })
            .await?;
            set_archived(&state, owner, id, input.is_archived).await?
        }
        None => {
            let profile = profiles::list(&state, owner)
                .await?
                .first()
                .map(|p| p.id)
                .ok_or(CoreError::NotFound)?;
            let kind = if input.unread == Some(true) {
                ItemKind::ReadingList
            } else {
                ItemKind::Bookmark
            };
            let mut fields = items::new_fields(profile.into(), kind);
            apply(&input, &mut fields);
            let created =
                items::create(&state, owner, Check::new(), fields, new_tags(&input)).await?;
            set_archived(&state, owner, ItemId::from(created.id), input.is_archived).await?
        }
    };
    Ok((StatusCode::CREATED, JsonOut(item.into())))
}

/// Archives or unarchives an item as `archived` says, returning it as it is then.
async fn set_archived(
    state: &AppState,
    owner: Owner,
    id: ItemId,
    archived: Option<bool>,
) -> LdResult<ItemView> {
    let item = items::get(state, owner, id).await?;
    Ok(match archived {
        Some(true) if item.archived_at.is_none() => {
            items::change(state, owner, id, Change::Archive).await?
        }
        Some(false) if item.archived_at.is_some() => {
            items::change(state, owner, id, Change::Unarchive).await?
        }
        _ => item,
    })
}

/// `PUT`: the whole bookmark (`url` required; what is left out is emptied).
async fn replace(
    State(state): State<AppState>,
    LdUser(owner): LdUser,
    Id(id): Id<ItemId>,
    Json(input): Json<BookmarkIn>,
) -> LdResult<JsonOut<Bookmark>> {
    if input.url.as_deref().is_none_or(|u| u.trim().is_empty()) {
        return Err(CoreError::field("url", Problem::Required).into());
    }
    let input = BookmarkIn {
        title: Some(input.title.clone().unwrap_or_default()),
        description: Some(input.description.clone().unwrap_or_default()),
        notes: Some(input.notes.clone().unwrap_or_default()),
        unread: Some(input.unread.unwrap_or(false)),
        tag_names: Some(input.tag_names.clone().unwrap_or_default()),
        ..input
    };
    update(&state, owner, id, input).await
}

/// `PATCH`: the fields given.
async fn patch(
    State(state): State<AppState>,
    LdUser(owner): LdUser,
    Id(id): Id<ItemId>,
    Json(input): Json<BookmarkIn>,
) -> LdResult<JsonOut<Bookmark>> {
    update(&state, owner, id, input).await
}

async fn update(
    state: &AppState,
    owner: Owner,
    id: ItemId,
    input: BookmarkIn,
) -> LdResult<JsonOut<Bookmark>> {
    get_one_live(state, owner, id).await?;
    items::update(state, owner, id, Check::new(), new_tags(&input), |f| {
        apply(&input, f)
    })
    .await?;
    Ok(JsonOut(
        set_archived(state, owner, id, input.is_archived)
            .await?
            .into(),
    ))
}

/// The item, unless it is in the trash (which linkding clients never see).
async fn get_one_live(state: &AppState, owner: Owner, id: ItemId) -> LdResult<ItemView> {
    let item = items::get(state, owner, id).await?;
    if item.trashed_at.is_some() {
        return Err(CoreError::NotFound.into());
    }
    Ok(item)
}

async fn archive(
    State(state): State<AppState>,
    LdUser(owner): LdUser,
    Id(id): Id<ItemId>,
) -> LdResult<StatusCode> {
    get_one_live(&state, owner, id).await?;
    set_archived(&state, owner, id, Some(true)).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn unarchive(
    State(state): State<AppState>,
    LdUser(owner): LdUser,
    Id(id): Id<ItemId>,
) -> LdResult<StatusCode> {
    get_one_live(&state, owner, id).await?;
    set_archived(&state, owner, id, Some(false)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Moves the bookmark to the trash (restorable from the pages for the trash's retention).
async fn delete(
    State(state): State<AppState>,
    LdUser(owner): LdUser,
    Id(id): Id<ItemId>,
) -> LdResult<StatusCode> {
    get_one_live(&state, owner, id).await?;
    items::change(&state, owner, id, Change::Trash).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A tag as linkding writes it.
#[derive(Debug, Serialize)]
struct Tag {
    id: i64,
    name: String,
    date_added: Option<DateTime<Utc>>,
}

impl From<LabelView> for Tag {
    fn from(t: LabelView) -> Self {
        Tag {
            id: t.id,
            name: t.name,
            date_added: None,
        }
    }
}

async fn tags(
    State(state): State<AppState>,
    LdUser(owner): LdUser,
    axum::extract::Query(p): axum::extract::Query<ListParams>,
) -> LdResult<JsonOut<Value>> {
    let (limit, offset) = (p.limit(TAG_LIMIT_MAX), p.offset.unwrap_or(0));
    let mut all = labels::list::<tag::Entity>(&state, owner).await?;
    if let Some(q) = p.q.as_deref().map(str::to_lowercase) {
        all.retain(|t| t.name.to_lowercase().starts_with(&q));
    }
    let count = all.len() as u64;
    let results: Vec<Tag> = all
        .into_iter()
        .skip(offset as usize)
        .take(limit as usize)
        .map(Tag::from)
        .collect();
    Ok(paged(
        &state,
        "/api/tags/",
        &[],
        count,
        offset,
        limit,
        results,
    ))
}

#[derive(Debug, Deserialize)]
struct TagIn {
    name: String,
}

/// Creates a tag, or answers with the one of that name (ignoring case) that exists.
async fn create_tag(
    State(state): State<AppState>,
    LdUser(owner): LdUser,
    Json(input): Json<TagIn>,
) -> LdResult<(StatusCode, JsonOut<Tag>)> {
    let existing = labels::list::<tag::Entity>(&state, owner).await?;
    let found = existing
        .into_iter()
        .find(|t| t.name.to_lowercase() == input.name.trim().to_lowercase());
    let tag = match found {
        Some(t) => t,
        None => {
            labels::create::<tag::Entity>(&state, owner, &input.name, NewTags::DEFAULT_COLOR)
                .await?
        }
    };
    Ok((StatusCode::CREATED, JsonOut(tag.into())))
}

async fn get_tag(
    State(state): State<AppState>,
    LdUser(owner): LdUser,
    Id(id): Id<i64>,
) -> LdResult<JsonOut<Tag>> {
    let all = labels::list::<tag::Entity>(&state, owner).await?;
    let t = all
        .into_iter()
        .find(|t| t.id == id)
        .ok_or(CoreError::NotFound)?;
    Ok(JsonOut(t.into()))
}

/// The preferences linkding clients read (fixed: TidilySpace keeps its own in its pages).
async fn user_profile(LdUser(_): LdUser) -> JsonOut<Value> {
    JsonOut(json!({
        "theme": "auto",
        "bookmark_date_display": "relative",
        "bookmark_link_target": "_blank",
        "web_archive_integration": "disabled",
        "tag_search": "lax",
        "enable_sharing": false,
        "enable_public_sharing": false,
        "enable_favicons": false,
        "display_url": false,
        "permanent_notes": false,
        "search_preferences": {"sort": "added_desc", "shared": "off", "unread": "off"},
        "version": LINKDING_VERSION,
    }))
}
