//! `/items`: create, read, update, list and search, state changes, manual order, bulk actions.

use axum::{extract::State, http::StatusCode, Json as JsonOut};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::{
        items::{
            self, Action, BulkAction, Change, ItemFields, ItemView, ListQuery, NewTags, Placement,
        },
        AppState,
    },
    domain::{
        ids::{FolderChange, ItemId},
        ItemKind, Priority, Status,
    },
    error::CoreError,
    http::{
        error::{ApiResult, ErrorEnvelope},
        extract::{Id, Json, Query},
        principal::CurrentUser,
    },
    nullable, schema,
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

/// An item to create. Only `profile_id`, and `title` or `url`, are required.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewItem {
    pub profile_id: i64,
    /// 1-500 characters. Optional when `url` is given: the item is titled with its URL until
    /// the page's capture reads the page's own title.
    #[schema(schema_with = schema::title_or_null)]
    pub title: Option<String>,
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

/// Lists and searches the user's items.
#[utoipa::path(get, path = "/items", tag = "items", params(ListQuery),
    responses((status = 200, body = ItemPage), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<JsonOut<ItemPage>> {
    let filter = items::filter(&state, user.owner, q).await?;
    let page = items::page(&state, user.owner, &filter).await?;
    Ok(JsonOut(ItemPage {
        items: page.items,
        next_cursor: page.next_cursor,
    }))
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
    let defaults = items::new_fields(req.profile_id.into(), kind);
    let fields = ItemFields {
        folder_id: req.folder_id,
        category_id: req.category_id,
        tag_ids: req.tag_ids.unwrap_or_default(),
        title: req.title.unwrap_or_default(),
        url: req.url,
        memo: req.memo.unwrap_or_default(),
        status: req.status.unwrap_or(defaults.status),
        priority: req.priority.unwrap_or(defaults.priority),
        schedule_start: req.schedule_start,
        schedule_end: req.schedule_end,
        reminder_at: req.reminder_at,
        favorite: req.favorite.unwrap_or(defaults.favorite),
        ..defaults
    };
    let created = items::create(&state, user.owner, Check::new(), fields, NewTags::none()).await?;
    Ok((StatusCode::CREATED, JsonOut(created)))
}

/// One item.
#[utoipa::path(get, path = "/items/{id}", tag = "items", params(("id" = i64, Path)),
    responses((status = 200, body = ItemView), (status = 404, body = ErrorEnvelope)))]
async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id<ItemId>,
) -> ApiResult<JsonOut<ItemView>> {
    Ok(JsonOut(items::get(&state, user.owner, id).await?))
}

/// Changes an item.
#[utoipa::path(patch, path = "/items/{id}", tag = "items", params(("id" = i64, Path)), request_body = ItemChanges,
    responses((status = 200, body = ItemView), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id<ItemId>,
    Json(req): Json<ItemChanges>,
) -> ApiResult<JsonOut<ItemView>> {
    let merge = |f: &mut ItemFields| merge(f, req);
    let updated =
        items::update(&state, user.owner, id, Check::new(), NewTags::none(), merge).await?;
    Ok(JsonOut(updated))
}

/// Merges a partial update into an item's current fields (`app::items::update` checks the
/// result).
fn merge(f: &mut ItemFields, req: ItemChanges) {
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
}

/// Deletes an item for good.
#[utoipa::path(delete, path = "/items/{id}", tag = "items", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorEnvelope)))]
async fn purge(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id<ItemId>,
) -> ApiResult<StatusCode> {
    items::purge(&state, user.owner, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Declares a `POST /items/{id}/<action>` endpoint that applies one [`Change`].
macro_rules! state_change {
    ($name:ident, $path:tt, $change:expr, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(post, path = $path, tag = "items", params(("id" = i64, Path)),
            responses((status = 200, body = ItemView), (status = 404, body = ErrorEnvelope)))]
        async fn $name(State(state): State<AppState>, user: CurrentUser, Id(id): Id<ItemId>) -> ApiResult<JsonOut<ItemView>> {
            Ok(JsonOut(items::change(&state, user.owner, id, $change).await?))
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
    Id(id): Id<ItemId>,
    Json(req): Json<ItemMove>,
) -> ApiResult<JsonOut<ItemView>> {
    let placement = Placement::from_neighbours(req.before_id, req.after_id);
    let folder = FolderChange::from_nullable(req.folder_id);
    Ok(JsonOut(
        items::move_item(&state, user.owner, id, folder, placement).await?,
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
    let action = Action::new(req.action, req.status, req.tag_ids, req.folder_id)
        .map_err(|(field, problem)| CoreError::field(field, problem))?;
    let updated = items::bulk(&state, user.owner, &req.ids, action).await?;
    Ok(JsonOut(Affected { updated }))
}
