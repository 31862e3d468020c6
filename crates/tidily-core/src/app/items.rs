//! Items: the list query every surface builds, the checks on an item's fields, and bulk
//! actions, each defined once for the API, the pages and the CLI.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

pub use crate::store::{
    item_query::{
        ArchivedFilter, Direction, Due, FolderScope, ItemFilter, Labelled, LinkFilter, Page,
        SortKey,
    },
    items::{Change, ItemFields, ItemView, NewTags, Step},
    position::Placement,
};
use crate::{
    app::{owner::Owner, AppState},
    domain::{
        ids::{FolderChange, ItemId, ProfileId},
        now,
        problem::Problem,
        schema, search, text, ItemKind, Priority, Status,
    },
    entity::{folder, profile},
    error::{CoreError, CoreResult},
    store::{
        captures, find_owned, folders,
        item_query::{self, Cursor},
        items,
    },
    validate::Check,
};

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
    /// `broken`: links that failed their checks repeatedly over days.
    pub link: Option<LinkFilter>,
    /// `false` (default), `true` or `any`.
    pub archived: Option<ArchivedFilter>,
    /// `true`: the trash.
    pub trashed: Option<bool>,
    /// Items whose schedule overlaps [scheduled_from, scheduled_to].
    pub scheduled_from: Option<DateTime<Utc>>,
    pub scheduled_to: Option<DateTime<Utc>>,
    /// Open items past their schedule (`overdue`) or starting within seven days (`soon`).
    pub due: Option<Due>,
    /// Words in the title, URL, memo, description or page text, Japanese included; every
    /// word must match. Sorted by relevance unless `sort` says otherwise.
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

/// A new item's fields before the owner chose any: the defaults every surface starts from
/// (a reading-list entry starts as not started, a bookmark as undecided; priority mid).
pub fn new_fields(profile: ProfileId, kind: ItemKind) -> ItemFields {
    ItemFields {
        profile_id: profile.get(),
        folder_id: None,
        category_id: None,
        tag_ids: Vec::new(),
        kind,
        title: String::new(),
        url: None,
        memo: String::new(),
        description: None,
        status: default_status(kind),
        priority: Priority::Mid,
        schedule_start: None,
        schedule_end: None,
        reminder_at: None,
        favorite: false,
    }
}

/// The status an item of `kind` starts with when none is given.
pub fn default_status(kind: ItemKind) -> Status {
    match kind {
        ItemKind::Bookmark => Status::Undecided,
        ItemKind::ReadingList => Status::NotStarted,
    }
}

/// Checks the fields of a new or changed item.
fn check_fields(check: &mut Check, f: &mut ItemFields) {
    f.url = f.url.as_deref().and_then(|u| check.url("url", u));
    if let (true, Some(url)) = (f.title.trim().is_empty(), &f.url) {
        // The page's own title replaces this once its capture has read it.
        f.title = captures::placeholder_title(url);
    }
    f.title = check.text("title", &f.title, text::TITLE);
    f.memo = check.text("memo", &f.memo, text::MEMO);
    if let Some(d) = &f.description {
        f.description = Some(check.text("description", d, text::MEMO));
    }
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

/// Checks the tags typed in to be created with an item: each name as a tag name, the colour.
fn check_new_tags(check: &mut Check, new: &mut NewTags) {
    let mut names: Vec<String> = Vec::with_capacity(new.names.len());
    for name in &new.names {
        let name = check.text("new_tags", name, text::LABEL_NAME);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    new.names = names;
    new.color = check.color("new_tag_color", &new.color);
}

/// Validates and creates an item, with the tags `new_tags` names (created with it, in its
/// transaction: a refused item leaves no tag behind). `found` carries the problems the
/// surface already found while parsing, so that every problem is reported at once.
pub async fn create(
    state: &AppState,
    owner: Owner,
    mut found: Check,
    mut fields: ItemFields,
    mut new_tags: NewTags,
) -> CoreResult<ItemView> {
    check_fields(&mut found, &mut fields);
    check_new_tags(&mut found, &mut new_tags);
    found.finish()?;
    items::create(&state.db, owner.id(), fields, &new_tags).await
}

/// One of the owner's items.
pub async fn get(state: &AppState, owner: Owner, id: ItemId) -> CoreResult<ItemView> {
    items::get(&state.db, owner.id(), id.get()).await
}

/// An item's current fields (to fill an edit form).
pub async fn fields(state: &AppState, owner: Owner, id: ItemId) -> CoreResult<ItemFields> {
    items::current_fields(&state.db, owner.id(), id.get()).await
}

/// Changes an item: `edit` receives its fields as they are now, under the account's write
/// lock (a partial update merges into them, a form replaces them); the result is checked as
/// a new item's would be. Two clients changing different fields of one item both win.
pub async fn update(
    state: &AppState,
    owner: Owner,
    id: ItemId,
    mut found: Check,
    mut new_tags: NewTags,
    edit: impl FnOnce(&mut ItemFields) + Send,
) -> CoreResult<ItemView> {
    check_new_tags(&mut found, &mut new_tags);
    items::update(&state.db, owner.id(), id.get(), &new_tags, move |f| {
        edit(f);
        check_fields(&mut found, f);
        found.finish()
    })
    .await
}

/// One state change (archive, trash, restore, …) of one item.
pub async fn change(
    state: &AppState,
    owner: Owner,
    id: ItemId,
    change: Change,
) -> CoreResult<ItemView> {
    items::apply_one(&state.db, owner.id(), id.get(), change).await
}

/// Deletes an item for good.
pub async fn purge(state: &AppState, owner: Owner, id: ItemId) -> CoreResult<()> {
    items::purge(&state.db, owner.id(), &[id.get()])
        .await
        .map(drop)
}

/// Empties the owner's trash; returns how many items went.
pub async fn empty_trash(state: &AppState, owner: Owner) -> CoreResult<u64> {
    items::empty_trash(&state.db, owner.id()).await
}

/// Moves an item into another folder of its profile, out of any, or keeps its folder, and
/// puts it at `placement` in that list's manual order.
pub async fn move_item(
    state: &AppState,
    owner: Owner,
    id: ItemId,
    folder: FolderChange,
    placement: Placement,
) -> CoreResult<ItemView> {
    items::move_item(&state.db, owner.id(), id.get(), folder, placement).await
}

/// Moves an item one place up or down in its list (the keyboard alternative to dragging);
/// returns the item it stepped over, if any.
pub async fn step(
    state: &AppState,
    owner: Owner,
    id: ItemId,
    step: Step,
) -> CoreResult<Option<ItemId>> {
    Ok(items::step_item(&state.db, owner.id(), id.get(), step)
        .await?
        .map(ItemId::from))
}

/// One page of the owner's items that `filter` selects.
pub async fn page(
    state: &AppState,
    owner: Owner,
    filter: &ItemFilter,
) -> CoreResult<Page<ItemView>> {
    item_query::list_views(&state.db, owner.id(), filter).await
}

/// How many of the owner's items `filter` selects.
pub async fn count(state: &AppState, owner: Owner, filter: &ItemFilter) -> CoreResult<u64> {
    item_query::count(&state.db, owner.id(), filter).await
}

/// `limit` of the items `filter` selects, from the `offset`-th on: for clients that page by
/// offset (the linkding-compatible API). Walked a cursor page at a time, so a deep offset
/// costs reads of the pages before it, never one query that sorts everything.
pub async fn window(
    state: &AppState,
    owner: Owner,
    mut filter: ItemFilter,
    offset: u64,
    limit: u64,
) -> CoreResult<Vec<ItemView>> {
    let mut to_skip = offset;
    let mut out = Vec::new();
    loop {
        filter.limit = text::PAGE_MAX
            .min(to_skip + limit - out.len() as u64)
            .max(1);
        let page = item_query::list_views(&state.db, owner.id(), &filter).await?;
        for item in page.items {
            if to_skip > 0 {
                to_skip -= 1;
            } else if (out.len() as u64) < limit {
                out.push(item);
            }
        }
        if out.len() as u64 >= limit {
            return Ok(out);
        }
        match page.next_cursor.as_deref().and_then(Cursor::decode) {
            Some(next) => filter.cursor = Some(next),
            None => return Ok(out),
        }
    }
}

/// Validates list parameters into a filter.
pub async fn filter(state: &AppState, owner: Owner, q: ListQuery) -> CoreResult<ItemFilter> {
    let user = owner;
    let mut check = Check::new();
    if let Some(p) = q.profile_id {
        find_owned::<profile::Entity>(state.db.read(), user.id(), p).await?;
    }
    let folder = match (q.folder_id, q.no_folder.unwrap_or(false)) {
        (Some(_), true) => {
            check.add("no_folder", Problem::CannotCombineWith("folder_id"));
            FolderScope::Any
        }
        (None, true) => FolderScope::None,
        (Some(f), false) if q.include_subfolders.unwrap_or(false) => {
            FolderScope::In(folders::subtree_of(&state.db, user.id(), f).await?)
        }
        (Some(f), false) => {
            find_owned::<folder::Entity>(state.db.read(), user.id(), f).await?;
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
    let sort = SortKey::or_default_for(q.sort, !query.trim().is_empty());
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
        link: q.link,
        labelled: None,
        archived: q.archived.unwrap_or(if trashed {
            ArchivedFilter::Any
        } else {
            ArchivedFilter::False
        }),
        trashed,
        due: q.due.map(|d| (d, now())),
        scheduled_from: q.scheduled_from,
        scheduled_to: q.scheduled_to,
        longest_schedule: None,
        search: (!query.trim().is_empty()).then(|| search::query(&query)),
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

/// A bulk action with what it needs: the one mapping from the surfaces' action names to the
/// store's changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Change(Change),
    Purge,
}

impl Action {
    /// The action `kind` with its argument, or which field it is missing.
    pub fn new(
        kind: BulkAction,
        status: Option<Status>,
        tag_ids: Option<Vec<i64>>,
        folder_id: Option<Option<i64>>,
    ) -> Result<Action, (&'static str, Problem)> {
        let need = |field: &'static str| (field, Problem::Required);
        Ok(Action::Change(match kind {
            BulkAction::SetStatus => Change::SetStatus(status.ok_or_else(|| need("status"))?),
            BulkAction::AddTags => Change::AddTags(tag_ids.ok_or_else(|| need("tag_ids"))?),
            BulkAction::RemoveTags => Change::RemoveTags(tag_ids.ok_or_else(|| need("tag_ids"))?),
            BulkAction::Move => Change::Move(folder_id.ok_or_else(|| need("folder_id"))?),
            BulkAction::Archive => Change::Archive,
            BulkAction::Unarchive => Change::Unarchive,
            BulkAction::Trash => Change::Trash,
            BulkAction::Restore => Change::Restore,
            BulkAction::Favorite => Change::Favorite(true),
            BulkAction::Unfavorite => Change::Favorite(false),
            BulkAction::Purge => return Ok(Action::Purge),
        }))
    }
}

/// Applies `action` to 1-500 of the owner's items, all or nothing: any ID that is not the
/// owner's fails the whole request. Returns how many items it touched.
pub async fn bulk(state: &AppState, owner: Owner, ids: &[i64], action: Action) -> CoreResult<u64> {
    let mut check = Check::new();
    if ids.is_empty() || ids.len() > text::BULK_MAX {
        check.add(
            "ids",
            Problem::Count {
                min: 1,
                max: text::BULK_MAX,
            },
        );
    }
    check.finish()?;
    match action {
        Action::Change(change) => items::apply(&state.db, owner.id(), ids, change).await,
        Action::Purge => items::purge(&state.db, owner.id(), ids).await,
    }
}

/// Records how far the owner has read an item in the reader view: a percentage, 0-100.
pub async fn set_reading_progress(
    state: &AppState,
    owner: Owner,
    id: ItemId,
    percent: i64,
) -> CoreResult<()> {
    let percent = i32::try_from(percent)
        .ok()
        .filter(|p| (0..=100).contains(p))
        .ok_or_else(|| CoreError::field("percent", Problem::OutOfRange { min: 0, max: 100 }))?;
    items::set_reading_progress(&state.db, owner.id(), id.get(), percent).await
}
