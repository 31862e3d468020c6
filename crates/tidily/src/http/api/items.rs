//! `/items`: create, read, update, list and search, state changes, manual order, bulk actions.

use axum::{extract::State, http::StatusCode, Json as JsonOut};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::domain::problem::Problem;
use crate::{
    auth::CurrentUser,
    domain::{text, ItemKind, Priority, Status},
    entity::profile,
    error::{CoreError, CoreResult},
    http::error::{ApiResult, ErrorEnvelope},
    http::{
        api::nullable,
        api::schema,
        extract::{Id, Json, Query},
        AppState,
    },
    store::{
        find_owned, folders,
        item_query::{self, ArchivedFilter, Cursor, Direction, FolderScope, ItemFilter, SortKey},
        items::{self, Change, ItemFields, ItemView, NewTags},
        position::Placement,
    },
    validate::Check,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, purge))
        .routes(routes!(archive))
        .routes(routes!(unarchive))
        .routes(routes!(trash))
        .routes(routes!(restore))
        .routes(routes!(move_item))
        .routes(routes!(bulk))
}

/// An item to create. Only `profile_id` and `title` are required.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewItem {
    pub profile_id: i64,
    /// 1-500 characters.
    #[schema(schema_with = schema::title)]
    pub title: String,
    /// Default `bookmark`.
    pub kind: Option<ItemKind>,
    /// http(s), at most 2,048 characters.
    #[schema(schema_with = schema::url_or_null)]
    pub url: Option<String>,
    /// At most 20,000 characters.
    #[schema(schema_with = schema::memo_or_null)]
    pub memo: Option<String>,
    pub folder_id: Option<i64>,
    pub category_id: Option<i64>,
    #[schema(schema_with = schema::tag_ids_or_null)]
    pub tag_ids: Option<Vec<i64>>,
    /// Default `undecided` for bookmarks, `not_started` for reading-list entries.
    pub status: Option<Status>,
    /// Default `mid`.
    pub priority: Option<Priority>,
    pub schedule_start: Option<DateTime<Utc>>,
    pub schedule_end: Option<DateTime<Utc>>,
    pub reminder_at: Option<DateTime<Utc>>,
    pub favorite: Option<bool>,
}

/// Changes to an item: absent fields stay, `null` clears an optional field.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemChanges {
    pub profile_id: Option<i64>,
    #[schema(schema_with = schema::title_or_null)]
    pub title: Option<String>,
    pub kind: Option<ItemKind>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = schema::url_or_null)]
    pub url: Option<Option<String>>,
    /// `null` clears the memo (stored as empty text).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = schema::memo_or_null)]
    pub memo: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub folder_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub category_id: Option<Option<i64>>,
    #[schema(schema_with = schema::tag_ids_or_null)]
    pub tag_ids: Option<Vec<i64>>,
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub schedule_start: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub schedule_end: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub reminder_at: Option<Option<DateTime<Utc>>>,
    pub favorite: Option<bool>,
}

/// Filters, sort and page of an item list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// One profile; absent: all profiles.
    pub profile_id: Option<i64>,
    pub folder_id: Option<i64>,
    /// With `folder_id`: include items in its sub-folders.
    pub include_subfolders: Option<bool>,
    /// Only items filed in no folder.
    pub no_folder: Option<bool>,
    /// Items carrying every given tag (repeat the parameter; at most 20 distinct).
    #[serde(default)]
    #[param(schema_with = schema::tag_filter)]
    pub tag_id: Vec<i64>,
    pub category_id: Option<i64>,
    /// Any of these statuses (repeatable).
    #[serde(default)]
    pub status: Vec<Status>,
    /// Any of these priorities (repeatable).
    #[serde(default)]
    pub priority: Vec<Priority>,
    pub kind: Option<ItemKind>,
    pub favorite: Option<bool>,
    /// `false` (default), `true` or `any`.
    pub archived: Option<ArchivedFilter>,
    /// `true`: the trash.
    pub trashed: Option<bool>,
    /// Items whose schedule overlaps [scheduled_from, scheduled_to].
    pub scheduled_from: Option<DateTime<Utc>>,
    pub scheduled_to: Option<DateTime<Utc>>,
    /// Text in title, URL or memo (substring; every word must match).
    #[param(schema_with = schema::search)]
    pub q: Option<String>,
    pub sort: Option<SortKey>,
    pub order: Option<Direction>,
    /// 1-200, default 50.
    #[param(schema_with = schema::page_size)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    #[param(schema_with = schema::cursor)]
    pub cursor: Option<String>,
}

/// One page of items.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemPage {
    pub items: Vec<ItemView>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// Where to put an item in the manual order.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemMove {
    /// Re-file into this folder of the same profile (`null`: no folder); absent: stay.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub folder_id: Option<Option<i64>>,
    pub before_id: Option<i64>,
    pub after_id: Option<i64>,
}

/// What a bulk request does.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BulkAction {
    SetStatus,
    AddTags,
    RemoveTags,
    Move,
    Archive,
    Unarchive,
    Trash,
    Restore,
    Purge,
    Favorite,
    Unfavorite,
}

/// One action on many items.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkRequest {
    /// 1-500 item IDs, all the caller's.
    #[schema(schema_with = schema::bulk_ids)]
    pub ids: Vec<i64>,
    pub action: BulkAction,
    /// For `set_status`.
    pub status: Option<Status>,
    /// For `add_tags` / `remove_tags`.
    #[schema(schema_with = schema::tag_ids_or_null)]
    pub tag_ids: Option<Vec<i64>>,
    /// For `move` (`null`: no folder).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub folder_id: Option<Option<i64>>,
}

/// How many items a bulk request touched.
#[derive(Debug, Serialize, ToSchema)]
pub struct Affected {
    pub updated: u64,
}

/// How many items emptying the trash purged.
#[derive(Debug, Serialize, ToSchema)]
pub struct Purged {
    pub purged: u64,
}

/// Checks the fields of a new or changed item (also used by the item form pages).
pub(crate) fn check_fields(check: &mut Check, f: &mut ItemFields) {
    f.title = check.text("title", &f.title, text::TITLE);
    f.url = f.url.as_deref().and_then(|u| check.url("url", u));
    f.memo = check.text("memo", &f.memo, text::MEMO);
    match (f.schedule_start, f.schedule_end) {
        (None, Some(_)) => check.add("schedule_end", Problem::NeedsScheduleStart),
        (Some(start), Some(end)) if end < start => check.add(
            "schedule_end",
            Problem::EndBeforeStart {
                start: "schedule_start",
            },
        ),
        _ => {}
    }
    if f.tag_ids.len() > text::TAGS_PER_ITEM {
        check.add(
            "tag_ids",
            Problem::Count {
                min: 0,
                max: text::TAGS_PER_ITEM,
            },
        );
    }
}

/// Lists and searches the user's items.
#[utoipa::path(get, path = "/items", tag = "items", params(ListQuery),
    responses((status = 200, body = ItemPage), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<JsonOut<ItemPage>> {
    let filter = item_filter(&state, &user, q).await?;
    let page = item_query::list_views(&state.db, user.id, &filter).await?;
    Ok(JsonOut(ItemPage {
        items: page.items,
        next_cursor: page.next_cursor,
    }))
}

/// Validates list parameters into a filter (also used by the web pages).
pub async fn item_filter(
    state: &AppState,
    user: &CurrentUser,
    q: ListQuery,
) -> CoreResult<ItemFilter> {
    let mut check = Check::new();
    if let Some(p) = q.profile_id {
        find_owned::<profile::Entity>(state.db.read(), user.id, p).await?;
    }
    let folder = match (q.folder_id, q.no_folder.unwrap_or(false)) {
        (Some(_), true) => {
            check.add("no_folder", Problem::CannotCombineWith("folder_id"));
            FolderScope::Any
        }
        (None, true) => FolderScope::None,
        (Some(f), false) if q.include_subfolders.unwrap_or(false) => {
            FolderScope::In(folders::subtree_of(&state.db, user.id, f).await?)
        }
        (Some(f), false) => {
            find_owned::<crate::entity::folder::Entity>(state.db.read(), user.id, f).await?;
            FolderScope::In(vec![f])
        }
        (None, false) => FolderScope::Any,
    };
    let limit = check.page_size("limit", q.limit);
    let query = q.q.unwrap_or_default();
    if query.chars().count() > text::SEARCH_MAX {
        check.add(
            "q",
            Problem::TooLong {
                max: text::SEARCH_MAX,
            },
        );
    } else if query.contains('\0') {
        // PostgreSQL rejects NUL in text parameters; no stored text can contain it anyway.
        check.add("q", Problem::NulCharacter);
    }
    if let (Some(from), Some(to)) = (q.scheduled_from, q.scheduled_to) {
        if to < from {
            check.add(
                "scheduled_to",
                Problem::EndBeforeStart {
                    start: "scheduled_from",
                },
            );
        }
    }
    let tag_ids = distinct(q.tag_id);
    if tag_ids.len() > text::TAG_FILTER_MAX {
        check.add(
            "tag_id",
            Problem::Count {
                min: 0,
                max: text::TAG_FILTER_MAX,
            },
        );
    }
    let cursor = q.cursor.as_deref().and_then(|c| {
        let decoded = Cursor::decode(c);
        if decoded.is_none() {
            check.add("cursor", Problem::NotACursor);
        }
        decoded
    });
    check.finish()?;
    let sort = q.sort.unwrap_or_default();
    let trashed = q.trashed.unwrap_or(false);
    Ok(ItemFilter {
        profile_id: q.profile_id,
        folder,
        tag_ids,
        category_id: q.category_id,
        statuses: distinct(q.status),
        priorities: distinct(q.priority),
        kind: q.kind,
        favorite: q.favorite,
        labelled: None,
        archived: q.archived.unwrap_or(if trashed {
            ArchivedFilter::Any
        } else {
            ArchivedFilter::False
        }),
        trashed,
        scheduled_from: q.scheduled_from,
        scheduled_to: q.scheduled_to,
        longest_schedule: None,
        terms: query
            .to_lowercase()
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        sort,
        direction: q.order.unwrap_or(sort.default_direction()),
        limit,
        cursor,
    })
}

/// The values sorted, each once (a repeated filter value means nothing more).
fn distinct<T: Ord>(mut values: Vec<T>) -> Vec<T> {
    values.sort_unstable();
    values.dedup();
    values
}

/// Creates an item.
#[utoipa::path(post, path = "/items", tag = "items", request_body = NewItem,
    responses((status = 201, body = ItemView), (status = 422, body = ErrorEnvelope)))]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<NewItem>,
) -> ApiResult<(StatusCode, JsonOut<ItemView>)> {
    let kind = req.kind.unwrap_or(ItemKind::Bookmark);
    let mut fields = ItemFields {
        profile_id: req.profile_id,
        folder_id: req.folder_id,
        category_id: req.category_id,
        tag_ids: req.tag_ids.unwrap_or_default(),
        kind,
        title: req.title,
        url: req.url,
        memo: req.memo.unwrap_or_default(),
        status: req.status.unwrap_or(match kind {
            ItemKind::Bookmark => Status::Undecided,
            ItemKind::ReadingList => Status::NotStarted,
        }),
        priority: req.priority.unwrap_or(Priority::Mid),
        schedule_start: req.schedule_start,
        schedule_end: req.schedule_end,
        reminder_at: req.reminder_at,
        favorite: req.favorite.unwrap_or(false),
    };
    let mut check = Check::new();
    check_fields(&mut check, &mut fields);
    check.finish()?;
    Ok((
        StatusCode::CREATED,
        JsonOut(items::create(&state.db, user.id, fields, &NewTags::default()).await?),
    ))
}

/// One item.
#[utoipa::path(get, path = "/items/{id}", tag = "items", params(("id" = i64, Path)),
    responses((status = 200, body = ItemView), (status = 404, body = ErrorEnvelope)))]
async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
) -> ApiResult<JsonOut<ItemView>> {
    Ok(JsonOut(items::get(&state.db, user.id, id).await?))
}

/// Changes an item.
#[utoipa::path(patch, path = "/items/{id}", tag = "items", params(("id" = i64, Path)), request_body = ItemChanges,
    responses((status = 200, body = ItemView), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    Json(req): Json<ItemChanges>,
) -> ApiResult<JsonOut<ItemView>> {
    let updated = items::update(&state.db, user.id, id, &NewTags::default(), |f| {
        merge(f, req)
    })
    .await?;
    Ok(JsonOut(updated))
}

/// Merges a partial update into an item's current fields and checks the result.
fn merge(f: &mut ItemFields, req: ItemChanges) -> CoreResult<()> {
    if let Some(v) = req.profile_id {
        if v != f.profile_id && req.folder_id.is_none() {
            // A folder belongs to one profile: moving profiles leaves the folder.
            f.folder_id = None;
        }
        f.profile_id = v;
    }
    if let Some(v) = req.title {
        f.title = v;
    }
    if let Some(v) = req.kind {
        f.kind = v;
    }
    if let Some(v) = req.url {
        f.url = v;
    }
    if let Some(v) = req.memo {
        f.memo = v.unwrap_or_default();
    }
    if let Some(v) = req.folder_id {
        f.folder_id = v;
    }
    if let Some(v) = req.category_id {
        f.category_id = v;
    }
    if let Some(v) = req.tag_ids {
        f.tag_ids = v;
    }
    if let Some(v) = req.status {
        f.status = v;
    }
    if let Some(v) = req.priority {
        f.priority = v;
    }
    if let Some(v) = req.schedule_start {
        f.schedule_start = v;
    }
    if let Some(v) = req.schedule_end {
        f.schedule_end = v;
    }
    if let Some(v) = req.reminder_at {
        f.reminder_at = v;
    }
    if let Some(v) = req.favorite {
        f.favorite = v;
    }
    let mut check = Check::new();
    check_fields(&mut check, f);
    check.finish()
}

/// Deletes an item for good.
#[utoipa::path(delete, path = "/items/{id}", tag = "items", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorEnvelope)))]
async fn purge(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    items::purge(&state.db, user.id, &[id]).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Declares a `POST /items/{id}/<action>` endpoint that applies one [`Change`].
macro_rules! state_change {
    ($name:ident, $path:tt, $change:expr, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(post, path = $path, tag = "items", params(("id" = i64, Path)),
            responses((status = 200, body = ItemView), (status = 404, body = ErrorEnvelope)))]
        async fn $name(State(state): State<AppState>, user: CurrentUser, Id(id): Id) -> ApiResult<JsonOut<ItemView>> {
            Ok(JsonOut(items::apply_one(&state.db, user.id, id, $change).await?))
        }
    };
}

state_change!(
    archive,
    "/items/{id}/archive",
    Change::Archive,
    "Archives an item (its status is kept)."
);
state_change!(
    unarchive,
    "/items/{id}/unarchive",
    Change::Unarchive,
    "Brings an item back from the archive."
);
state_change!(
    trash,
    "/items/{id}/trash",
    Change::Trash,
    "Moves an item to the trash (its status is kept)."
);
state_change!(
    restore,
    "/items/{id}/restore",
    Change::Restore,
    "Restores an item from the trash."
);

/// Moves an item in the manual order (and optionally into another folder).
#[utoipa::path(post, path = "/items/{id}/move", tag = "items", params(("id" = i64, Path)), request_body = ItemMove,
    responses((status = 200, body = ItemView), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn move_item(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    Json(req): Json<ItemMove>,
) -> ApiResult<JsonOut<ItemView>> {
    let placement = Placement::from_neighbours(req.before_id, req.after_id);
    Ok(JsonOut(
        items::move_item(&state.db, user.id, id, req.folder_id, placement).await?,
    ))
}

/// Applies one action to many items; any ID that is not the caller's fails the whole request.
#[utoipa::path(post, path = "/items/bulk", tag = "items", request_body = BulkRequest,
    responses((status = 200, body = Affected), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn bulk(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<BulkRequest>,
) -> ApiResult<JsonOut<Affected>> {
    let mut check = Check::new();
    if req.ids.is_empty() || req.ids.len() > text::BULK_MAX {
        check.add(
            "ids",
            Problem::Count {
                min: 1,
                max: text::BULK_MAX,
            },
        );
    }
    let mut need = |field: &str, present: bool| {
        if !present {
            check.add(field, Problem::Required);
        }
    };
    let change = match req.action {
        BulkAction::SetStatus => {
            need("status", req.status.is_some());
            req.status.map(Change::SetStatus)
        }
        BulkAction::AddTags => {
            need("tag_ids", req.tag_ids.is_some());
            req.tag_ids.clone().map(Change::AddTags)
        }
        BulkAction::RemoveTags => {
            need("tag_ids", req.tag_ids.is_some());
            req.tag_ids.clone().map(Change::RemoveTags)
        }
        BulkAction::Move => {
            need("folder_id", req.folder_id.is_some());
            req.folder_id.map(Change::Move)
        }
        BulkAction::Archive => Some(Change::Archive),
        BulkAction::Unarchive => Some(Change::Unarchive),
        BulkAction::Trash => Some(Change::Trash),
        BulkAction::Restore => Some(Change::Restore),
        BulkAction::Favorite => Some(Change::Favorite(true)),
        BulkAction::Unfavorite => Some(Change::Favorite(false)),
        BulkAction::Purge => None,
    };
    check.finish()?;
    let updated = match change {
        Some(change) => items::apply(&state.db, user.id, &req.ids, change).await?,
        None if matches!(req.action, BulkAction::Purge) => {
            items::purge(&state.db, user.id, &req.ids).await?
        }
        None => {
            return Err(CoreError::Internal(anyhow::anyhow!("bulk action without change")).into())
        }
    };
    Ok(JsonOut(Affected { updated }))
}
