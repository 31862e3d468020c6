//! Listing and searching items: filters, sorts and keyset (cursor) pagination.
//!
//! Keyset pagination ("rows after this sort value and ID") stays fast on page 1,000 and never
//! skips or repeats a row when items are added meanwhile, unlike `OFFSET`.
//!
//! Text search goes through the search index (`store::search`): each term narrows the list to
//! the items whose words hold it, found in the index without reading the others; the list is
//! then walked in its sort order as any other, and scans stop as soon as a page is full.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use chrono::{DateTime, TimeDelta, Utc};
use std::collections::BTreeSet;

use sea_orm::{
    sea_query::{Expr, Query, SimpleExpr},
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, Order,
    QueryFilter, QueryOrder, QueryResult, QuerySelect, Select, Value,
};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use utoipa::ToSchema;

use crate::domain::problem::Problem;
use crate::{
    db::{Db, Dialect},
    domain::{search::Phrase, ItemKind, Priority, Status},
    entity::{item, item_tag},
    error::{CoreError, CoreResult},
    store::{
        items::{self, ItemView},
        labels::LabelView,
        search::{self, Scope},
    },
};

/// What a list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    #[default]
    Created,
    Updated,
    Title,
    Priority,
    Schedule,
    Manual,
    /// Search results by where they hold the terms: items with every term in their own
    /// fields (title, URL, memo, description) first, then those that hold some only in their
    /// page; in each, by creation in the list's direction. Without a search, as `Created`.
    Relevance,
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Asc,
    Desc,
}

/// Items by the health of their link (`domain::link`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkFilter {
    /// Links that failed their checks repeatedly over days.
    Broken,
}

/// Open items by their schedule. What "overdue" and "due soon" mean is written here once:
/// the dashboard counts with these conditions and links to lists filtered by them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Due {
    /// Not done, and its schedule is past: it ended, or (without an end) it started.
    Overdue,
    /// Not done, and it starts within the next seven days.
    Soon,
}

impl Due {
    /// How far ahead "soon" reaches.
    pub const SOON: TimeDelta = TimeDelta::days(7);

    /// The condition as of `now`.
    pub fn condition(self, now: DateTime<Utc>) -> Condition {
        use item::Column as C;
        let open = C::Status.ne(Status::Done);
        match self {
            Due::Overdue => Condition::all().add(open).add(
                Condition::any().add(C::ScheduleEnd.lt(now)).add(
                    Condition::all()
                        .add(C::ScheduleEnd.is_null())
                        .add(C::ScheduleStart.lt(now)),
                ),
            ),
            Due::Soon => Condition::all()
                .add(open)
                .add(C::ScheduleStart.gte(now))
                .add(C::ScheduleStart.lt(now + Self::SOON)),
        }
    }
}

/// Whether archived items are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ArchivedFilter {
    /// Only items not archived (the default outside the trash).
    False,
    /// Only archived items (the archive view).
    True,
    /// Both.
    Any,
}

/// Which folders an item list covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FolderScope {
    Any,
    /// Items in no folder.
    None,
    /// Items directly in one of these folders (one folder, or a folder and its descendants).
    In(Vec<i64>),
}

/// Which kind of label an item must carry (see [`ItemFilter::labelled`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Labelled {
    Category,
    Tag,
}

/// A validated item list request.
#[derive(Debug, Clone)]
pub struct ItemFilter {
    pub profile_id: Option<i64>,
    pub folder: FolderScope,
    pub tag_ids: Vec<i64>,
    pub category_id: Option<i64>,
    pub statuses: Vec<Status>,
    pub priorities: Vec<Priority>,
    pub kind: Option<ItemKind>,
    pub favorite: Option<bool>,
    pub link: Option<LinkFilter>,
    /// Only items with a category, or with at least one tag.
    pub labelled: Option<Labelled>,
    pub archived: ArchivedFilter,
    pub trashed: bool,
    pub scheduled_from: Option<DateTime<Utc>>,
    pub scheduled_to: Option<DateTime<Utc>>,
    /// Only items due this way as of the given time.
    pub due: Option<(Due, DateTime<Utc>)>,
    /// The longest schedule (end − start) among the user's items, when the caller knows it
    /// ([`longest_schedule`]): bounds a schedule-range scan from below, so the database
    /// starts reading at `scheduled_from` minus this instead of at the oldest item.
    pub longest_schedule: Option<TimeDelta>,
    /// Search terms, each a phrase of tokens; every one must match. `Some` of none: the user
    /// searched for something with no searchable characters (only punctuation), which
    /// nothing matches.
    pub search: Option<Vec<Phrase>>,
    pub sort: SortKey,
    pub direction: Direction,
    pub limit: u64,
    pub cursor: Option<Cursor>,
}

impl Default for ItemFilter {
    fn default() -> Self {
        ItemFilter {
            profile_id: None,
            folder: FolderScope::Any,
            tag_ids: Vec::new(),
            category_id: None,
            statuses: Vec::new(),
            priorities: Vec::new(),
            kind: None,
            favorite: None,
            link: None,
            labelled: None,
            archived: ArchivedFilter::False,
            trashed: false,
            scheduled_from: None,
            scheduled_to: None,
            due: None,
            longest_schedule: None,
            search: None,
            sort: SortKey::Created,
            direction: Direction::Desc,
            limit: 50,
            cursor: None,
        }
    }
}

impl ItemFilter {
    /// Whether the filter asks for a schedule range or a due state (which only scheduled
    /// items can meet).
    pub fn in_schedule_range(&self) -> bool {
        self.scheduled_from.is_some() || self.scheduled_to.is_some() || self.due.is_some()
    }
}

impl SortKey {
    /// The sort a list asked for, or else its default: relevance for a search, creation
    /// otherwise.
    pub fn or_default_for(sort: Option<SortKey>, searching: bool) -> SortKey {
        sort.unwrap_or(if searching {
            SortKey::Relevance
        } else {
            SortKey::Created
        })
    }

    /// Newest first for timestamps (and within relevance); A-Z, high-first, soonest-first and
    /// manual order otherwise.
    pub fn default_direction(self) -> Direction {
        match self {
            SortKey::Created | SortKey::Updated | SortKey::Relevance => Direction::Desc,
            _ => Direction::Asc,
        }
    }

    fn column(self) -> item::Column {
        match self {
            SortKey::Created | SortKey::Relevance => item::Column::CreatedAt,
            SortKey::Updated => item::Column::UpdatedAt,
            SortKey::Title => item::Column::Title,
            SortKey::Priority => item::Column::Priority,
            SortKey::Schedule => item::Column::ScheduleStart,
            SortKey::Manual => item::Column::Position,
        }
    }

    /// The sort value of a row, as stored in a cursor.
    fn json_of(self, m: &item::Model) -> Json {
        match self {
            SortKey::Created | SortKey::Relevance => Json::from(m.created_at.to_rfc3339()),
            SortKey::Updated => Json::from(m.updated_at.to_rfc3339()),
            SortKey::Title => Json::from(m.title.clone()),
            SortKey::Priority => Json::from(m.priority as i16),
            SortKey::Schedule => m
                .schedule_start
                .map_or(Json::Null, |t| Json::from(t.to_rfc3339())),
            SortKey::Manual => Json::from(m.position.clone()),
        }
    }

    /// A cursor's sort value back as a database value; `Ok(None)` for a null schedule.
    fn value_of(self, json: &Json) -> Option<Option<Value>> {
        let time = |j: &Json| {
            j.as_str()
                .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                .map(|t| Value::from(t.with_timezone(&Utc)))
        };
        match (self, json) {
            (SortKey::Schedule, Json::Null) => Some(None),
            (SortKey::Created | SortKey::Updated | SortKey::Schedule | SortKey::Relevance, j) => {
                time(j).map(Some)
            }
            (SortKey::Title | SortKey::Manual, Json::String(s)) => {
                Some(Some(Value::from(s.clone())))
            }
            (SortKey::Priority, j) => j
                .as_i64()
                .and_then(|n| i16::try_from(n).ok())
                .map(|n| Some(Value::from(n))),
            _ => None,
        }
    }
}

/// Where the previous page ended. Opaque to clients (URL-safe base64 of JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    sort: SortKey,
    direction: Direction,
    value: Json,
    id: i64,
    /// The band of a ranked search the previous page ended in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    band: Option<Band>,
}

/// The bands of a search sorted by relevance, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Band {
    /// Every term in the item's own fields.
    Fields,
    /// The other matches: some term only in the page.
    Page,
}

impl Cursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).expect("cursor serialises"))
    }

    pub fn decode(s: &str) -> Option<Cursor> {
        let bytes = URL_SAFE_NO_PAD.decode(s).ok()?;
        serde_json::from_slice(&bytes).ok()
    }
}

/// One page of items: rows, or views with their tags.
pub struct Page<T = item::Model> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// The item carries `tag` (any tag when `None`). A correlated EXISTS probes the
/// (item_id, tag_id) key per candidate row, so a list walking its sort index stops after one
/// page instead of first collecting every item that carries the tag.
fn tagged(tag: Option<i64>) -> SimpleExpr {
    let mut probe = Query::select()
        .expr(Expr::val(1))
        .from(item_tag::Entity)
        .and_where(
            Expr::col((item_tag::Entity, item_tag::Column::ItemId))
                .equals((item::Entity, item::Column::Id)),
        )
        .to_owned();
    if let Some(tag) = tag {
        probe.and_where(item_tag::Column::TagId.eq(tag));
    }
    Expr::exists(probe)
}

/// The item carries every one of `tags` (distinct): one correlated count over its own tag
/// links, however many tags are asked for. (One `EXISTS` per tag made PostgreSQL plan for
/// seconds at a hundred tags.)
fn tagged_all(tags: &[i64]) -> SimpleExpr {
    let count = Query::select()
        .expr(Expr::col((item_tag::Entity, item_tag::Column::TagId)).count())
        .from(item_tag::Entity)
        .and_where(
            Expr::col((item_tag::Entity, item_tag::Column::ItemId))
                .equals((item::Entity, item::Column::Id)),
        )
        .and_where(Expr::col((item_tag::Entity, item_tag::Column::TagId)).is_in(tags.to_vec()))
        .to_owned();
    Expr::expr(SimpleExpr::SubQuery(
        None,
        Box::new(count.into_sub_query_statement()),
    ))
    .eq(tags.len() as i64)
}

/// The WHERE clause for a filter, always scoped to `user_id`; `found` holds the search
/// conditions of `f.search`'s phrases (`search::matches`).
fn condition(user_id: i64, f: &ItemFilter, found: Vec<SimpleExpr>) -> Condition {
    use item::Column as C;
    let mut c = Condition::all().add(C::UserId.eq(user_id));
    if let Some(p) = f.profile_id {
        c = c.add(C::ProfileId.eq(p));
    }
    c = match &f.folder {
        FolderScope::Any => c,
        FolderScope::None => c.add(C::FolderId.is_null()),
        FolderScope::In(ids) => c.add(C::FolderId.is_in(ids.clone())),
    };
    if let Some((due, now)) = f.due {
        c = c.add(due.condition(now));
    }
    c = match f.tag_ids.as_slice() {
        [] => c,
        [tag] => c.add(tagged(Some(*tag))),
        tags => c.add(tagged_all(tags)),
    };
    match f.labelled {
        Some(Labelled::Category) => c = c.add(C::CategoryId.is_not_null()),
        Some(Labelled::Tag) => c = c.add(tagged(None)),
        None => {}
    }
    if let Some(cat) = f.category_id {
        c = c.add(C::CategoryId.eq(cat));
    }
    if !f.statuses.is_empty() {
        c = c.add(C::Status.is_in(f.statuses.clone()));
    }
    if !f.priorities.is_empty() {
        c = c.add(C::Priority.is_in(f.priorities.clone()));
    }
    if let Some(kind) = f.kind {
        c = c.add(C::Kind.eq(kind));
    }
    if let Some(fav) = f.favorite {
        c = c.add(C::Favorite.eq(fav));
    }
    if f.link == Some(LinkFilter::Broken) {
        c = c.add(C::LinkBroken.eq(true));
    }
    c = match f.archived {
        ArchivedFilter::False => c.add(C::ArchivedAt.is_null()),
        ArchivedFilter::True => c.add(C::ArchivedAt.is_not_null()),
        ArchivedFilter::Any => c,
    };
    c = c.add(if f.trashed {
        C::TrashedAt.is_not_null()
    } else {
        C::TrashedAt.is_null()
    });
    // Overlap of [start, end or start] with [from, to].
    if let Some(to) = f.scheduled_to {
        c = c.add(C::ScheduleStart.lte(to));
    }
    if let Some(from) = f.scheduled_from {
        c = c.add(
            Condition::any().add(C::ScheduleEnd.gte(from)).add(
                Condition::all()
                    .add(C::ScheduleEnd.is_null())
                    .add(C::ScheduleStart.gte(from)),
            ),
        );
        // Implied by the overlap when no schedule is longer; lets the index range start here.
        if let Some(longest) = f.longest_schedule {
            c = c.add(C::ScheduleStart.gte(from - longest));
        }
    }
    if f.in_schedule_range() {
        c = c.add(C::ScheduleStart.is_not_null());
    }
    if f.search.as_ref().is_some_and(Vec::is_empty) {
        c = c.add(Expr::cust("1 = 0"));
    }
    for expr in found {
        c = c.add(expr);
    }
    c
}

/// Rows strictly after the cursor in the list's order. Nulls (unscheduled items) sort last in
/// both directions.
fn after_cursor(f: &ItemFilter, cursor: &Cursor) -> CoreResult<Condition> {
    let bad = || CoreError::field("cursor", Problem::NotACursor);
    if cursor.sort != f.sort || cursor.direction != f.direction {
        return Err(bad());
    }
    let value = f.sort.value_of(&cursor.value).ok_or_else(bad)?;
    let col = Expr::col(f.sort.column());
    let id = Expr::col(item::Column::Id);
    let (beyond, id_beyond): (fn(Expr, Value) -> SimpleExpr, SimpleExpr) = match f.direction {
        Direction::Asc => (|e, v| e.gt(v), id.gt(cursor.id)),
        Direction::Desc => (|e, v| e.lt(v), id.lt(cursor.id)),
    };
    Ok(match value {
        Some(v) => Condition::any()
            .add(beyond(col.clone(), v.clone()))
            .add(Condition::all().add(col.clone().eq(v)).add(id_beyond))
            .add(col.is_null()),
        None => Condition::all().add(col.is_null()).add(id_beyond),
    })
}

/// The query for the user's items matching `f` and the search conditions `found`, from
/// `cursor` on, at most `limit` rows.
fn select(
    user_id: i64,
    f: &ItemFilter,
    found: Vec<SimpleExpr>,
    cursor: Option<&Cursor>,
    limit: u64,
) -> CoreResult<Select<item::Entity>> {
    let mut cond = condition(user_id, f, found);
    if let Some(cursor) = cursor {
        cond = cond.add(after_cursor(f, cursor)?);
    }
    let order = match f.direction {
        Direction::Asc => Order::Asc,
        Direction::Desc => Order::Desc,
    };
    let mut q = item::Entity::find().filter(cond);
    // Unscheduled items go last. Within a schedule range there are none, and leaving the
    // term out lets the database walk `ix_items_user_schedule` in order and stop early.
    if f.sort == SortKey::Schedule && !f.in_schedule_range() {
        q = q.order_by_asc(Expr::col(item::Column::ScheduleStart).is_null());
    }
    Ok(q.order_by(f.sort.column(), order.clone())
        .order_by(item::Column::Id, order)
        .limit(limit))
}

/// A row of a list: an item, with or without the IDs of its tags.
pub trait Row: FromQueryResult + Send + Sync {
    /// Whether the query selects the tag IDs too.
    const TAGGED: bool;
    fn model(&self) -> &item::Model;
}

impl Row for item::Model {
    const TAGGED: bool = false;
    fn model(&self) -> &item::Model {
        self
    }
}

impl Row for Listed {
    const TAGGED: bool = true;
    fn model(&self) -> &item::Model {
        &self.item
    }
}

/// At most `limit` of the user's items matching `f` and `found`, from `cursor` on.
async fn rows<T: Row>(
    db: &Db,
    user_id: i64,
    f: &ItemFilter,
    found: Vec<SimpleExpr>,
    cursor: Option<&Cursor>,
    limit: u64,
) -> CoreResult<Vec<T>> {
    let mut q = select(user_id, f, found, cursor, limit)?;
    if T::TAGGED {
        q = q.column_as(tag_ids_column(db.dialect()), "tag_ids");
    }
    Ok(q.into_model::<T>().all(db.read()).await?)
}

/// The search conditions of `f`'s terms, each looked for in `scope`.
async fn found(db: &Db, user_id: i64, f: &ItemFilter, scope: Scope) -> CoreResult<Vec<SimpleExpr>> {
    let mut found = Vec::new();
    for phrase in f.search.iter().flatten() {
        found.push(search::matches(db.read(), user_id, phrase, scope).await?);
    }
    Ok(found)
}

/// One page of the user's items matching `f`. One row more than the page holds is asked
/// for: its presence says another page follows.
async fn fetch<T: Row>(db: &Db, user_id: i64, f: &ItemFilter) -> CoreResult<Page<T>> {
    let phrases: &[Phrase] = f.search.as_deref().unwrap_or_default();
    if f.sort != SortKey::Relevance || phrases.is_empty() {
        let found = found(db, user_id, f, Scope::Anywhere).await?;
        let rows = rows(db, user_id, f, found, f.cursor.as_ref(), f.limit + 1).await?;
        return Ok(paginate(rows, f, None));
    }
    // Ranked: the first band, then (when the page is not full) the second from its start.
    // Each is a list in creation order of its own, walked or read as any search is.
    let start = f
        .cursor
        .as_ref()
        .and_then(|c| c.band)
        .unwrap_or(Band::Fields);
    let mut page = Vec::new();
    if start == Band::Fields {
        let found = found(db, user_id, f, Scope::Fields).await?;
        page = rows(db, user_id, f, found, f.cursor.as_ref(), f.limit + 1).await?;
    }
    let first = page.len();
    if first as u64 <= f.limit {
        let mut found = found(db, user_id, f, Scope::Anywhere).await?;
        let backend = db.read().get_database_backend();
        let in_fields = phrases.iter().fold(Condition::all(), |c, p| {
            c.add(search::probe(backend, p, Scope::Fields))
        });
        found.push(SimpleExpr::from(in_fields.not()));
        let cursor = f.cursor.as_ref().filter(|_| start == Band::Page);
        let rest = f.limit + 1 - first as u64;
        page.extend(rows(db, user_id, f, found, cursor, rest).await?);
    }
    // The band of the last row a page keeps.
    let kept = page.len().min(f.limit as usize);
    let band = if start == Band::Fields && kept <= first {
        Band::Fields
    } else {
        Band::Page
    };
    Ok(paginate(page, f, Some(band)))
}

/// Cuts the extra row of [`fetch`] and turns the last row kept (in `band` of a ranked
/// search) into the next cursor.
fn paginate<T: Row>(mut rows: Vec<T>, f: &ItemFilter, band: Option<Band>) -> Page<T> {
    let next_cursor = if rows.len() as u64 > f.limit {
        rows.truncate(f.limit as usize);
        rows.last().map(|last| {
            let last = last.model();
            Cursor {
                sort: f.sort,
                direction: f.direction,
                value: f.sort.json_of(last),
                id: last.id,
                band,
            }
            .encode()
        })
    } else {
        None
    };
    Page {
        items: rows,
        next_cursor,
    }
}

/// One page of the user's items matching `f`, as rows.
pub async fn list(db: &Db, user_id: i64, f: &ItemFilter) -> CoreResult<Page> {
    fetch(db, user_id, f).await
}

/// The longest schedule (end − start) among the user's items, rounded up to the second;
/// `None` when no item has both ends.
pub async fn longest_schedule(db: &Db, user_id: i64) -> CoreResult<Option<TimeDelta>> {
    let seconds = Expr::cust(match db.dialect() {
        Dialect::Postgres => "MAX(EXTRACT(EPOCH FROM (schedule_end - schedule_start)))::float8",
        Dialect::Sqlite => "MAX((julianday(schedule_end) - julianday(schedule_start)) * 86400.0)",
    });
    let longest: Option<Option<f64>> = item::Entity::find()
        .select_only()
        .expr_as(seconds, "seconds")
        .filter(item::Column::UserId.eq(user_id))
        .into_tuple()
        .one(db.read())
        .await?;
    Ok(longest
        .flatten()
        .map(|s| TimeDelta::seconds(s.max(0.0).ceil() as i64 + 1)))
}

/// An item row with the IDs of its tags.
pub struct Listed {
    item: item::Model,
    tag_ids: Vec<i64>,
}

impl FromQueryResult for Listed {
    fn from_query_result(res: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        let ids: Option<String> = res.try_get(pre, "tag_ids")?;
        Ok(Listed {
            item: item::Model::from_query_result(res, pre)?,
            tag_ids: ids
                .iter()
                .flat_map(|s| s.split(','))
                .filter_map(|id| id.parse().ok())
                .collect(),
        })
    }
}

/// The item's tag IDs as one comma-separated column. Each database spells the aggregate its
/// own way; everything else about the query is shared.
fn tag_ids_column(dialect: Dialect) -> SimpleExpr {
    Expr::cust(match dialect {
        Dialect::Postgres => {
            "(SELECT string_agg(tag_id::text, ',') FROM item_tags WHERE item_tags.item_id = items.id)"
        }
        Dialect::Sqlite => {
            "(SELECT group_concat(tag_id) FROM item_tags WHERE item_tags.item_id = items.id)"
        }
    })
}

/// One page of the user's items matching `f`, as views with their tags. The tag IDs come
/// with the rows and the page's distinct tags in one more query: on SQLite every row crosses
/// a thread boundary, so this sends a dozen tag rows instead of one row per item and tag.
pub async fn list_views(db: &Db, user_id: i64, f: &ItemFilter) -> CoreResult<Page<ItemView>> {
    let page = list_tagged(db, user_id, f).await?;
    let ids: BTreeSet<i64> = page.items.iter().flat_map(|l| l.tag_ids.clone()).collect();
    let tags = items::labels_by_id(db.read(), user_id, ids).await?;
    Ok(page.with_tags(|id| tags.get(&id)))
}

/// How many of the user's items `f` selects (its page and cursor aside).
pub async fn count(db: &Db, user_id: i64, f: &ItemFilter) -> CoreResult<u64> {
    let found = found(db, user_id, f, Scope::Anywhere).await?;
    let q = item::Entity::find().filter(condition(user_id, f, found));
    Ok(sea_orm::PaginatorTrait::count(q, db.read()).await?)
}

/// One page of the user's items matching `f`, each with the IDs of its tags; the caller
/// names the tags with [`Page::with_tags`] (the pages use their memoised tag list).
pub async fn list_tagged(db: &Db, user_id: i64, f: &ItemFilter) -> CoreResult<Page<Listed>> {
    fetch(db, user_id, f).await
}

impl Page<Listed> {
    /// The views of the page, with the tags `tag` finds, sorted by name.
    pub fn with_tags<'t>(self, tag: impl Fn(i64) -> Option<&'t LabelView>) -> Page<ItemView> {
        Page {
            items: self
                .items
                .into_iter()
                .map(|l| {
                    let t = l.tag_ids.iter().filter_map(|id| tag(*id).cloned());
                    ItemView::new(l.item, items::by_name(t.collect()))
                })
                .collect(),
            next_cursor: self.next_cursor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_rejects_garbage() {
        let c = Cursor {
            sort: SortKey::Title,
            direction: Direction::Asc,
            value: Json::from("a"),
            id: 7,
            band: None,
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("!!"), None);
        assert_eq!(Cursor::decode("e30"), None);
    }
}
