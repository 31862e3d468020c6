//! Items: create, read, update, state changes (archive, trash, favourite, status), manual
//! order, bulk actions and purging.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    sea_query::{Expr, OnConflict},
    ActiveEnum, ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType,
    Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, RelationTrait, Set,
};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::domain::problem::{Problem, Record};
use crate::{
    db::{Db, WriteTx},
    domain::{
        file::Digest, ids::FolderChange, now, url_key, CaptureState, ItemKind, Priority, Status,
    },
    entity::{category, folder, item, item_tag, profile, tag},
    error::{CoreError, CoreResult, NotFoundAs},
    store::{
        activity, captures, files, find_owned,
        labels::{self, LabelView},
        links,
        position::{self, Placement},
        search,
    },
};

/// An item as the API and the pages show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemView {
    pub id: i64,
    pub profile_id: i64,
    pub folder_id: Option<i64>,
    pub category_id: Option<i64>,
    pub kind: ItemKind,
    pub title: String,
    pub url: Option<String>,
    pub memo: String,
    /// The page's own description, from its capture (empty until then).
    pub description: String,
    /// The page's site name, from its capture.
    pub site_name: Option<String>,
    /// Where the capture of the page stands; `None` without a URL.
    pub capture_state: Option<CaptureState>,
    /// Minutes to read the page, from its capture.
    pub reading_minutes: Option<i32>,
    /// The version of the stored copy of the site's icon, served at
    /// `GET /api/v1/items/{id}/files/favicon?v={favicon}`; `None` until a capture stored one.
    pub favicon: Option<String>,
    /// The version of the stored preview image (`GET /api/v1/items/{id}/files/preview?v=…`).
    pub preview: Option<String>,
    /// The link failed its checks repeatedly over days (`GET /api/v1/items/{id}/link`).
    pub link_broken: bool,
    /// The version of the stored readable archive (the pages' reader view,
    /// `GET /api/v1/items/{id}/files/archive`); `None` until a capture found an article.
    pub archive: Option<String>,
    /// How far the reader view has been read, 0-100.
    pub reading_progress: i32,
    pub status: Status,
    pub priority: Priority,
    pub schedule_start: Option<DateTime<Utc>>,
    pub schedule_end: Option<DateTime<Utc>>,
    pub reminder_at: Option<DateTime<Utc>>,
    pub favorite: bool,
    pub archived_at: Option<DateTime<Utc>>,
    pub trashed_at: Option<DateTime<Utc>>,
    /// Manual-order key; compare as plain strings.
    pub position: String,
    pub tags: Vec<LabelView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ItemView {
    pub(crate) fn new(m: item::Model, tags: Vec<LabelView>) -> Self {
        ItemView {
            id: m.id,
            profile_id: m.profile_id,
            folder_id: m.folder_id,
            category_id: m.category_id,
            kind: m.kind,
            title: m.title,
            url: m.url,
            memo: m.memo,
            description: m.description,
            site_name: m.site_name,
            capture_state: m.capture_state,
            reading_minutes: m.reading_minutes,
            favicon: m.favicon_digest.as_deref().and_then(version),
            preview: m.preview_digest.as_deref().and_then(version),
            link_broken: m.link_broken,
            archive: m.archive_digest.as_deref().and_then(version),
            reading_progress: m.reading_progress,
            status: m.status,
            priority: m.priority,
            schedule_start: m.schedule_start,
            schedule_end: m.schedule_end,
            reminder_at: m.reminder_at,
            favorite: m.favorite,
            archived_at: m.archived_at,
            trashed_at: m.trashed_at,
            position: m.position,
            tags,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// The short form of a stored file's digest that versions its URL.
fn version(digest: &str) -> Option<String> {
    Digest::parse(digest).map(|d| d.short().to_owned())
}

/// Every editable attribute of an item, already validated field by field. References
/// (profile, folder, category, tags) are checked against the owner here.
#[derive(Debug, Clone)]
pub struct ItemFields {
    pub profile_id: i64,
    pub folder_id: Option<i64>,
    pub category_id: Option<i64>,
    pub tag_ids: Vec<i64>,
    pub kind: ItemKind,
    pub title: String,
    pub url: Option<String>,
    pub memo: String,
    /// The page's summary as a client sends it (a linkding client's `description`): kept
    /// apart from the memo, and kept over what a capture finds. `None`: as it is (for a new
    /// item, empty until its capture reads the page's).
    pub description: Option<String>,
    pub status: Status,
    pub priority: Priority,
    pub schedule_start: Option<DateTime<Utc>>,
    pub schedule_end: Option<DateTime<Utc>>,
    pub reminder_at: Option<DateTime<Utc>>,
    pub favorite: bool,
}

impl ItemFields {
    /// The current fields of a stored item, to apply a partial update on.
    pub fn of(m: &item::Model, tag_ids: Vec<i64>) -> Self {
        ItemFields {
            profile_id: m.profile_id,
            folder_id: m.folder_id,
            category_id: m.category_id,
            tag_ids,
            kind: m.kind,
            title: m.title.clone(),
            url: m.url.clone(),
            memo: m.memo.clone(),
            description: None,
            status: m.status,
            priority: m.priority,
            schedule_start: m.schedule_start,
            schedule_end: m.schedule_end,
            reminder_at: m.reminder_at,
            favorite: m.favorite,
        }
    }
}

/// The words of the item's own fields (the user's title, URL and memo, and the page's
/// description) as search sees them, kept on the row: the index of fields is written from
/// it, and a walk in the list's order tests it in place (`domain::search::Phrase::like`).
pub fn search_text(title: &str, url: Option<&str>, memo: &str, description: &str) -> String {
    crate::domain::search::words(&format!(
        "{title}\n{}\n{memo}\n{description}",
        url.unwrap_or_default()
    ))
}

/// Checks that every referenced record is the user's and consistent with the profile.
async fn check_references(
    db: &impl ConnectionTrait,
    user_id: i64,
    f: &ItemFields,
) -> CoreResult<()> {
    find_owned::<profile::Entity>(db, user_id, f.profile_id)
        .await
        .not_found_as("profile_id", Problem::NoSuch(Record::Profile))?;
    if let Some(id) = f.folder_id {
        let folder = find_owned::<folder::Entity>(db, user_id, id)
            .await
            .not_found_as("folder_id", Problem::NoSuch(Record::Folder))?;
        if folder.profile_id != f.profile_id {
            return Err(CoreError::field("folder_id", Problem::InOtherProfile));
        }
    }
    if let Some(id) = f.category_id {
        let n = category::Entity::find()
            .filter(category::Column::Id.eq(id))
            .filter(category::Column::UserId.eq(user_id))
            .count(db)
            .await?;
        if n == 0 {
            return Err(CoreError::field(
                "category_id",
                Problem::NoSuch(Record::Category),
            ));
        }
    }
    check_tags(db, user_id, &f.tag_ids).await
}

async fn check_tags(db: &impl ConnectionTrait, user_id: i64, tag_ids: &[i64]) -> CoreResult<()> {
    if tag_ids.is_empty() {
        return Ok(());
    }
    let unique = distinct(tag_ids);
    let n = tag::Entity::find()
        .filter(tag::Column::Id.is_in(unique.clone()))
        .filter(tag::Column::UserId.eq(user_id))
        .count(db)
        .await?;
    if n as usize != unique.len() {
        return Err(CoreError::field("tag_ids", Problem::NoSuch(Record::Tag)));
    }
    Ok(())
}

/// The IDs sorted, each once.
fn distinct(ids: &[i64]) -> Vec<i64> {
    let mut unique = ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    unique
}

/// The items of one container (a profile's folder, or its items in no folder).
fn container(profile_id: i64, folder_id: Option<i64>) -> Condition {
    Condition::all()
        .add(item::Column::ProfileId.eq(profile_id))
        .add(position::parent_is(item::Column::FolderId, folder_id))
}

/// The same container as a list that [`position::rebalance`] can renumber.
fn container_list(profile_id: i64, folder_id: Option<i64>) -> position::List<'static> {
    match folder_id {
        Some(f) => position::List {
            table: "items",
            scope: "profile_id = ? AND folder_id = ?",
            values: vec![profile_id.into(), f.into()],
        },
        None => position::List {
            table: "items",
            scope: "profile_id = ? AND folder_id IS NULL",
            values: vec![profile_id.into()],
        },
    }
}

/// `count` keys at the end of an item container, in order.
pub(crate) async fn append_keys(
    tx: &WriteTx,
    profile_id: i64,
    folder_id: Option<i64>,
    count: usize,
) -> CoreResult<Vec<String>> {
    let end = || {
        position::last_in::<item::Entity>(
            &**tx,
            item::Column::Position,
            container(profile_id, folder_id),
        )
    };
    match position::after_n(end().await?.as_deref(), count) {
        Ok(keys) => Ok(keys),
        // A key this code did not write (a row from an older version): renumber, then append.
        Err(_) => {
            position::rebalance(&**tx, tx.dialect(), &container_list(profile_id, folder_id))
                .await?;
            position::after_n(end().await?.as_deref(), count)
        }
    }
}

pub(crate) async fn replace_tags(
    db: &impl ConnectionTrait,
    item_id: i64,
    tag_ids: &[i64],
) -> CoreResult<()> {
    item_tag::Entity::delete_many()
        .filter(item_tag::Column::ItemId.eq(item_id))
        .exec(db)
        .await?;
    add_tags(db, &[item_id], tag_ids).await
}

/// Links every item to every tag; links that already exist are left alone.
async fn add_tags(db: &impl ConnectionTrait, item_ids: &[i64], tag_ids: &[i64]) -> CoreResult<()> {
    let tags = distinct(tag_ids);
    if item_ids.is_empty() || tags.is_empty() {
        return Ok(());
    }
    let rows: Vec<item_tag::ActiveModel> = item_ids
        .iter()
        .flat_map(|&i| tags.iter().map(move |&t| (i, t)))
        .map(|(item_id, tag_id)| item_tag::ActiveModel {
            item_id: Set(item_id),
            tag_id: Set(tag_id),
        })
        .collect();
    for chunk in rows.chunks(300) {
        item_tag::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([item_tag::Column::ItemId, item_tag::Column::TagId])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Tags to create with an item (typed into the item form): found by name if they exist.
#[derive(Debug, Clone)]
pub struct NewTags {
    pub names: Vec<String>,
    /// `#rrggbb` for the tags that do not exist yet.
    pub color: String,
}

impl NewTags {
    /// The colour of a tag created on the fly when none is picked.
    pub const DEFAULT_COLOR: &'static str = "#6b7280";

    /// No tag to create.
    pub fn none() -> NewTags {
        NewTags {
            names: Vec::new(),
            color: Self::DEFAULT_COLOR.to_owned(),
        }
    }
}

/// The IDs of the tags `new` names, creating those the user does not have yet.
async fn ensure_tags(tx: &WriteTx, user_id: i64, new: &NewTags) -> CoreResult<Vec<i64>> {
    let mut ids = Vec::with_capacity(new.names.len());
    for name in &new.names {
        let existing = tag::Entity::find()
            .filter(tag::Column::UserId.eq(user_id))
            .filter(tag::Column::Name.eq(name.as_str()))
            .one(&**tx)
            .await?;
        let id = match existing {
            Some(t) => t.id,
            None => {
                labels::insert::<tag::Entity>(&**tx, user_id, name.clone(), new.color.clone())
                    .await?
                    .id
            }
        };
        ids.push(id);
    }
    Ok(ids)
}

/// Tags of each given item, by name.
pub async fn tags_of(
    db: &impl ConnectionTrait,
    item_ids: &[i64],
) -> CoreResult<HashMap<i64, Vec<LabelView>>> {
    let mut map: HashMap<i64, Vec<LabelView>> = HashMap::new();
    if item_ids.is_empty() {
        return Ok(map);
    }
    let rows: Vec<(i64, i64, String, String)> = item_tag::Entity::find()
        .select_only()
        .column(item_tag::Column::ItemId)
        .column(tag::Column::Id)
        .column(tag::Column::Name)
        .column(tag::Column::Color)
        .join(JoinType::InnerJoin, item_tag::Relation::Tag.def())
        .filter(item_tag::Column::ItemId.is_in(item_ids.to_vec()))
        .into_tuple()
        .all(db)
        .await?;
    for (item_id, id, name, color) in rows {
        map.entry(item_id)
            .or_default()
            .push(LabelView { id, name, color });
    }
    Ok(map.into_iter().map(|(k, v)| (k, by_name(v))).collect())
}

/// Tags in the order they are shown: by name (byte order, the same on both databases).
pub fn by_name(mut tags: Vec<LabelView>) -> Vec<LabelView> {
    tags.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    tags
}

/// The user's tags with the given IDs.
pub async fn labels_by_id(
    db: &impl ConnectionTrait,
    user_id: i64,
    ids: impl IntoIterator<Item = i64>,
) -> CoreResult<HashMap<i64, LabelView>> {
    let ids: Vec<i64> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(tag::Entity::find()
        .filter(tag::Column::UserId.eq(user_id))
        .filter(tag::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|t| {
            (
                t.id,
                LabelView {
                    id: t.id,
                    name: t.name,
                    color: t.color,
                },
            )
        })
        .collect())
}

/// The view of one row, with its tags.
pub(crate) async fn view(db: &impl ConnectionTrait, m: item::Model) -> CoreResult<ItemView> {
    let tags = tags_of(db, &[m.id])
        .await?
        .remove(&m.id)
        .unwrap_or_default();
    Ok(ItemView::new(m, tags))
}

/// Creates an item at the end of its container's manual order, with the tags `new_tags`
/// names (created if need be) added to its own.
pub async fn create(
    db: &Db,
    user_id: i64,
    mut f: ItemFields,
    new_tags: &NewTags,
) -> CoreResult<ItemView> {
    let tx = db.write_for(user_id).await?;
    f.tag_ids.extend(ensure_tags(&tx, user_id, new_tags).await?);
    check_references(&*tx, user_id, &f).await?;
    let pos = append_keys(&tx, f.profile_id, f.folder_id, 1)
        .await?
        .remove(0);
    let now = now();
    let created = item::ActiveModel {
        user_id: Set(user_id),
        profile_id: Set(f.profile_id),
        folder_id: Set(f.folder_id),
        category_id: Set(f.category_id),
        kind: Set(f.kind),
        search_text: Set(search_text(
            &f.title,
            f.url.as_deref(),
            &f.memo,
            f.description.as_deref().unwrap_or_default(),
        )),
        capture_state: Set(f.url.as_ref().map(|_| CaptureState::Pending)),
        url_key: Set(f.url.as_deref().and_then(url_key::of)),
        title: Set(f.title),
        url: Set(f.url),
        memo: Set(f.memo),
        description: Set(f.description.unwrap_or_default()),
        site_name: Set(None),
        reading_minutes: Set(None),
        favicon_digest: Set(None),
        preview_digest: Set(None),
        link_broken: Set(false),
        status: Set(f.status),
        priority: Set(f.priority),
        schedule_start: Set(f.schedule_start),
        schedule_end: Set(f.schedule_end),
        reminder_at: Set(f.reminder_at),
        favorite: Set(f.favorite),
        archived_at: Set(None),
        trashed_at: Set(None),
        position: Set(pos),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    replace_tags(&*tx, created.id, &f.tag_ids).await?;
    search::index_fields(&*tx, created.id, user_id, &created.search_text).await?;
    if let Some(url) = &created.url {
        captures::queue(&*tx, created.id, url).await?;
        links::track(&*tx, created.id, url).await?;
    }
    activity::record(
        &*tx,
        user_id,
        activity::Entry::item(created.id, "create", json!({"title": created.title})),
    )
    .await?;
    let out = view(&*tx, created).await?;
    tx.commit().await?;
    Ok(out)
}

/// One of the user's items.
pub async fn get(db: &Db, user_id: i64, id: i64) -> CoreResult<ItemView> {
    let m = find_owned::<item::Entity>(db.read(), user_id, id).await?;
    view(db.read(), m).await
}

/// An item's current fields (to fill an edit form).
pub async fn current_fields(db: &Db, user_id: i64, id: i64) -> CoreResult<ItemFields> {
    fields_of(db.read(), user_id, id).await.map(|(_, f)| f)
}

async fn fields_of(
    db: &impl ConnectionTrait,
    user_id: i64,
    id: i64,
) -> CoreResult<(item::Model, ItemFields)> {
    let m = find_owned::<item::Entity>(db, user_id, id).await?;
    let tags = tags_of(db, &[id]).await?.remove(&id).unwrap_or_default();
    let fields = ItemFields::of(&m, tags.into_iter().map(|t| t.id).collect());
    Ok((m, fields))
}

/// Changes an item: `change` gets the item's fields as they are now, under the account's
/// write lock, and edits them (a partial update merges, a form replaces); an error from it
/// (validation) leaves the item as it was. Two concurrent partial updates of different fields
/// therefore both survive, as they would one after the other.
pub async fn update(
    db: &Db,
    user_id: i64,
    id: i64,
    new_tags: &NewTags,
    change: impl FnOnce(&mut ItemFields) -> CoreResult<()>,
) -> CoreResult<ItemView> {
    let tx = db.write_for(user_id).await?;
    let (current, mut f) = fields_of(&*tx, user_id, id).await?;
    change(&mut f)?;
    f.tag_ids.extend(ensure_tags(&tx, user_id, new_tags).await?);
    check_references(&*tx, user_id, &f).await?;
    let moved_container = current.profile_id != f.profile_id || current.folder_id != f.folder_id;
    let new_url = (current.url != f.url).then(|| f.url.clone());
    let description = current.description.clone();
    let mut active: item::ActiveModel = current.into();
    if let Some(url) = &new_url {
        active.url_key = Set(url.as_deref().and_then(url_key::of));
        // Another page: what the old one said no longer describes it.
        active.capture_state = Set(url.as_ref().map(|_| CaptureState::Pending));
        active.description = Set(String::new());
        active.site_name = Set(None);
        active.reading_minutes = Set(None);
        active.favicon_digest = Set(None);
        active.preview_digest = Set(None);
        active.link_broken = Set(false);
        active.archive_digest = Set(None);
        active.reading_progress = Set(0);
    }
    if moved_container {
        active.position = Set(append_keys(&tx, f.profile_id, f.folder_id, 1)
            .await?
            .remove(0));
    }
    let description = match (&f.description, &new_url) {
        (Some(given), _) => given.clone(),
        (None, Some(_)) => String::new(),
        (None, None) => description,
    };
    active.search_text = Set(search_text(
        &f.title,
        f.url.as_deref(),
        &f.memo,
        &description,
    ));
    if f.description.is_some() {
        active.description = Set(description);
    }
    active.profile_id = Set(f.profile_id);
    active.folder_id = Set(f.folder_id);
    active.category_id = Set(f.category_id);
    active.kind = Set(f.kind);
    active.title = Set(f.title);
    active.url = Set(f.url);
    active.memo = Set(f.memo);
    active.status = Set(f.status);
    active.priority = Set(f.priority);
    active.schedule_start = Set(f.schedule_start);
    active.schedule_end = Set(f.schedule_end);
    active.reminder_at = Set(f.reminder_at);
    active.favorite = Set(f.favorite);
    active.updated_at = Set(now());
    let updated = active.update(&*tx).await?;
    search::index_fields(&*tx, id, user_id, &updated.search_text).await?;
    if let Some(url) = &new_url {
        // The old page's text no longer describes the item.
        search::index_page(&*tx, id, user_id, "").await?;
        files::set_archive_images(&*tx, id, &[]).await?;
        match url {
            Some(url) => {
                captures::queue(&*tx, id, url).await?;
                links::track(&*tx, id, url).await?;
            }
            None => links::untrack(&*tx, id).await?,
        }
    }
    replace_tags(&*tx, id, &f.tag_ids).await?;
    activity::record(
        &*tx,
        user_id,
        activity::Entry::item(id, "update", json!({})),
    )
    .await?;
    let out = view(&*tx, updated).await?;
    tx.commit().await?;
    Ok(out)
}

/// A change applied to one or many items at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    SetStatus(Status),
    AddTags(Vec<i64>),
    RemoveTags(Vec<i64>),
    /// Re-file into a folder of the item's own profile (`None`: no folder).
    Move(Option<i64>),
    Archive,
    Unarchive,
    Trash,
    Restore,
    Favorite(bool),
}

impl Change {
    fn action(&self) -> &'static str {
        match self {
            Change::SetStatus(_) => "set_status",
            Change::AddTags(_) => "add_tags",
            Change::RemoveTags(_) => "remove_tags",
            Change::Move(_) => "move",
            Change::Archive => "archive",
            Change::Unarchive => "unarchive",
            Change::Trash => "trash",
            Change::Restore => "restore",
            Change::Favorite(true) => "favorite",
            Change::Favorite(false) => "unfavorite",
        }
    }
}

/// Loads the user's items `ids`; any ID that is not theirs makes the whole request `NotFound`,
/// so nothing is changed half-way.
pub(crate) async fn owned_items(
    db: &impl ConnectionTrait,
    user_id: i64,
    ids: &[i64],
) -> CoreResult<Vec<item::Model>> {
    let unique = distinct(ids);
    let rows = item::Entity::find()
        .filter(item::Column::UserId.eq(user_id))
        .filter(item::Column::Id.is_in(unique.clone()))
        .all(db)
        .await?;
    if rows.len() != unique.len() {
        return Err(CoreError::NotFound);
    }
    Ok(rows)
}

/// Applies `change` to the user's items `ids` in one transaction; returns how many changed.
pub async fn apply(db: &Db, user_id: i64, ids: &[i64], change: Change) -> CoreResult<u64> {
    let tx = db.write_for(user_id).await?;
    let n = apply_in(&tx, user_id, ids, &change).await?;
    tx.commit().await?;
    Ok(n)
}

async fn apply_in(tx: &WriteTx, user_id: i64, ids: &[i64], change: &Change) -> CoreResult<u64> {
    use item::Column as C;
    let rows = owned_items(&**tx, user_id, ids).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let now = now();
    let set = |col: C, value: sea_orm::Value| {
        item::Entity::update_many()
            .col_expr(col, Expr::value(value))
            .col_expr(C::UpdatedAt, Expr::value(now))
            .filter(C::UserId.eq(user_id))
            .filter(C::Id.is_in(ids.clone()))
    };
    // Only `updated_at` (tag changes): `set` would assign the column twice, which PostgreSQL
    // rejects.
    let touch = || {
        item::Entity::update_many()
            .col_expr(C::UpdatedAt, Expr::value(now))
            .filter(C::UserId.eq(user_id))
            .filter(C::Id.is_in(ids.clone()))
    };
    match change {
        Change::SetStatus(s) => {
            set(C::Status, s.to_value().into()).exec(&**tx).await?;
        }
        Change::AddTags(tags) => {
            check_tags(&**tx, user_id, tags).await?;
            add_tags(&**tx, &ids, tags).await?;
            touch().exec(&**tx).await?;
        }
        Change::RemoveTags(tags) => {
            check_tags(&**tx, user_id, tags).await?;
            item_tag::Entity::delete_many()
                .filter(item_tag::Column::ItemId.is_in(ids.clone()))
                .filter(item_tag::Column::TagId.is_in(distinct(tags)))
                .exec(&**tx)
                .await?;
            touch().exec(&**tx).await?;
        }
        Change::Move(folder_id) => move_rows(tx, user_id, rows, *folder_id).await?,
        Change::Archive => {
            set(C::ArchivedAt, Some(now).into()).exec(&**tx).await?;
        }
        Change::Unarchive => {
            set(C::ArchivedAt, Option::<DateTime<Utc>>::None.into())
                .exec(&**tx)
                .await?;
        }
        Change::Trash => {
            set(C::TrashedAt, Some(now).into()).exec(&**tx).await?;
        }
        Change::Restore => {
            set(C::TrashedAt, Option::<DateTime<Utc>>::None.into())
                .exec(&**tx)
                .await?;
        }
        Change::Favorite(on) => {
            set(C::Favorite, (*on).into()).exec(&**tx).await?;
        }
    }
    for id in &ids {
        activity::record(
            &**tx,
            user_id,
            activity::Entry::item(*id, change.action(), change_detail(change)),
        )
        .await?;
    }
    Ok(ids.len() as u64)
}

/// Re-files `rows` into `folder_id` of their own profile: each goes to the end of its new
/// container, in its old relative order.
async fn move_rows(
    tx: &WriteTx,
    user_id: i64,
    mut rows: Vec<item::Model>,
    folder_id: Option<i64>,
) -> CoreResult<()> {
    if let Some(fid) = folder_id {
        let target = find_owned::<folder::Entity>(&**tx, user_id, fid)
            .await
            .not_found_as("folder_id", Problem::NoSuch(Record::Folder))?;
        if rows.iter().any(|r| r.profile_id != target.profile_id) {
            return Err(CoreError::field("folder_id", Problem::InOtherProfile));
        }
    }
    rows.sort_by(|a, b| (a.profile_id, &a.position, a.id).cmp(&(b.profile_id, &b.position, b.id)));
    for chunk in rows.chunk_by(|a, b| a.profile_id == b.profile_id) {
        let ids: Vec<i64> = chunk.iter().map(|r| r.id).collect();
        append_to(tx, &ids, chunk[0].profile_id, folder_id).await?;
    }
    Ok(())
}

/// Re-files the items `ids`, in this order, at the end of a container of `profile_id`.
pub(crate) async fn append_to(
    tx: &WriteTx,
    ids: &[i64],
    profile_id: i64,
    folder_id: Option<i64>,
) -> CoreResult<()> {
    let keys = append_keys(tx, profile_id, folder_id, ids.len()).await?;
    let now = now();
    for (id, key) in ids.iter().zip(keys) {
        item::Entity::update_many()
            .col_expr(item::Column::FolderId, Expr::value(folder_id))
            .col_expr(item::Column::Position, Expr::value(key))
            .col_expr(item::Column::UpdatedAt, Expr::value(now))
            .filter(item::Column::Id.eq(*id))
            .exec(&**tx)
            .await?;
    }
    Ok(())
}

fn change_detail(change: &Change) -> serde_json::Value {
    match change {
        Change::SetStatus(s) => json!({"status": s}),
        Change::AddTags(t) | Change::RemoveTags(t) => json!({"tag_ids": t}),
        Change::Move(f) => json!({"folder_id": f}),
        _ => json!({}),
    }
}

/// Applies a change to one item and returns it.
pub async fn apply_one(db: &Db, user_id: i64, id: i64, change: Change) -> CoreResult<ItemView> {
    let tx = db.write_for(user_id).await?;
    apply_in(&tx, user_id, &[id], &change).await?;
    let m = find_owned::<item::Entity>(&*tx, user_id, id).await?;
    let out = view(&*tx, m).await?;
    tx.commit().await?;
    Ok(out)
}

/// Deletes the user's items `ids` for good.
pub async fn purge(db: &Db, user_id: i64, ids: &[i64]) -> CoreResult<u64> {
    let tx = db.write_for(user_id).await?;
    let rows = owned_items(&*tx, user_id, ids).await?;
    let n = purge_rows(&tx, user_id, &rows).await?;
    tx.commit().await?;
    Ok(n)
}

pub(crate) async fn purge_rows(
    tx: &WriteTx,
    user_id: i64,
    rows: &[item::Model],
) -> CoreResult<u64> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    for chunk in ids.chunks(500) {
        item::Entity::delete_many()
            .filter(item::Column::UserId.eq(user_id))
            .filter(item::Column::Id.is_in(chunk.to_vec()))
            .exec(&**tx)
            .await?;
    }
    for r in rows {
        activity::record(
            &**tx,
            user_id,
            activity::Entry::item(r.id, "purge", json!({"title": r.title})),
        )
        .await?;
    }
    Ok(ids.len() as u64)
}

/// Empties the user's trash.
pub async fn empty_trash(db: &Db, user_id: i64) -> CoreResult<u64> {
    let tx = db.write_for(user_id).await?;
    let rows = item::Entity::find()
        .filter(item::Column::UserId.eq(user_id))
        .filter(item::Column::TrashedAt.is_not_null())
        .all(&*tx)
        .await?;
    let n = purge_rows(&tx, user_id, &rows).await?;
    tx.commit().await?;
    Ok(n)
}

/// Purges, for every user, items that have been in the trash longer than `retention`. Each
/// account is purged in its own write transaction, in the same lock order as its other
/// writes, so the purge never deadlocks with a user's request.
pub async fn purge_expired_trash(db: &Db, retention: Duration) -> CoreResult<u64> {
    let cutoff = now() - retention;
    let owners: Vec<i64> = item::Entity::find()
        .select_only()
        .column(item::Column::UserId)
        .distinct()
        .filter(item::Column::TrashedAt.lte(cutoff))
        .into_tuple()
        .all(db.read())
        .await?;
    let mut purged = 0;
    for user_id in owners {
        let tx = db.write_for(user_id).await?;
        purged += item::Entity::delete_many()
            .filter(item::Column::UserId.eq(user_id))
            .filter(item::Column::TrashedAt.lte(cutoff))
            .exec(&*tx)
            .await?
            .rows_affected;
        tx.commit().await?;
    }
    Ok(purged)
}

/// Moves an item to a new place in the manual order, optionally into another folder of its
/// profile (`folder` = `Some(None)`: out of any folder). Writes only the moved row (unless its
/// list needs renumbering first).
pub async fn move_item(
    db: &Db,
    user_id: i64,
    id: i64,
    folder: FolderChange,
    placement: Placement,
) -> CoreResult<ItemView> {
    let tx = db.write_for(user_id).await?;
    let moving = find_owned::<item::Entity>(&*tx, user_id, id).await?;
    let folder_id = folder.apply(moving.folder_id);
    if let Some(fid) = folder_id {
        let target = find_owned::<folder::Entity>(&*tx, user_id, fid)
            .await
            .not_found_as("folder_id", Problem::NoSuch(Record::Folder))?;
        if target.profile_id != moving.profile_id {
            return Err(CoreError::field("folder_id", Problem::InOtherProfile));
        }
    }
    let moved = place(&tx, moving, folder_id, placement).await?;
    activity::record(
        &*tx,
        user_id,
        activity::Entry::item(id, "reorder", json!({"folder_id": folder_id})),
    )
    .await?;
    let out = view(&*tx, moved).await?;
    tx.commit().await?;
    Ok(out)
}

/// Writes `moving` into `folder_id` of its profile at `placement`.
async fn place(
    tx: &WriteTx,
    moving: item::Model,
    folder_id: Option<i64>,
    placement: Placement,
) -> CoreResult<item::Model> {
    let id = moving.id;
    let others = container(moving.profile_id, folder_id).add(item::Column::Id.ne(id));
    // The named neighbour, then the nearest row on its other side: two index probes, however
    // long the list.
    let row = |field: &'static str, nid: i64| {
        let others = others.clone();
        async move {
            item::Entity::find()
                .filter(others)
                .filter(item::Column::Id.eq(nid))
                .one(&**tx)
                .await?
                .map(|n| n.id)
                .ok_or_else(|| CoreError::field(field, Problem::NotANeighbour))
        }
    };
    let nearest = |from: i64, up: bool| {
        let others = others.clone();
        async move {
            let from = item::Entity::find_by_id(from)
                .one(&**tx)
                .await?
                .ok_or(CoreError::NotFound)?;
            use item::Column as C;
            let (beyond, tie, order) = if up {
                (
                    C::Position.lt(from.position.clone()),
                    C::Id.lt(from.id),
                    Order::Desc,
                )
            } else {
                (
                    C::Position.gt(from.position.clone()),
                    C::Id.gt(from.id),
                    Order::Asc,
                )
            };
            Ok::<_, CoreError>(
                item::Entity::find()
                    .select_only()
                    .column(C::Id)
                    .filter(others)
                    .filter(
                        Condition::any()
                            .add(beyond)
                            .add(Condition::all().add(C::Position.eq(from.position)).add(tie)),
                    )
                    .order_by(C::Position, order.clone())
                    .order_by(C::Id, order)
                    .into_tuple::<i64>()
                    .one(&**tx)
                    .await?,
            )
        }
    };
    let list = container_list(moving.profile_id, folder_id);
    let pos = match placement {
        Placement::Before(b) => {
            let upper = row("before_id", b).await?;
            let lower = nearest(upper, true).await?;
            position::place(&**tx, tx.dialect(), &list, lower, Some(upper)).await?
        }
        Placement::After(a) => {
            let lower = row("after_id", a).await?;
            let upper = nearest(lower, false).await?;
            position::place(&**tx, tx.dialect(), &list, Some(lower), upper).await?
        }
        Placement::Between { after, before } => {
            let lower = row("after_id", after).await?;
            let upper = row("before_id", before).await?;
            if nearest(lower, false).await? != Some(upper) {
                return Err(position::not_adjacent());
            }
            position::place(&**tx, tx.dialect(), &list, Some(lower), Some(upper)).await?
        }
        Placement::End => append_keys(tx, moving.profile_id, folder_id, 1)
            .await?
            .remove(0),
    };
    let mut active: item::ActiveModel = moving.into();
    active.folder_id = Set(folder_id);
    active.position = Set(pos);
    active.updated_at = Set(now());
    Ok(active.update(&**tx).await?)
}

/// One place up or down in the manual order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Up,
    Down,
}

/// Moves an item one place up or down among the items of its container (its folder, or its
/// profile's items in no folder) that are in the same state (active, archived or in the
/// trash): the keyboard alternative to dragging. Returns the ID of the item it stepped over;
/// `Ok(None)` when it is already first or last.
pub async fn step_item(db: &Db, user_id: i64, id: i64, step: Step) -> CoreResult<Option<i64>> {
    let tx = db.write_for(user_id).await?;
    let moving = find_owned::<item::Entity>(&*tx, user_id, id).await?;
    let same_state = |column: item::Column, set: bool| {
        if set {
            column.is_not_null()
        } else {
            column.is_null()
        }
    };
    let siblings = item::Entity::find()
        .filter(container(moving.profile_id, moving.folder_id))
        .filter(item::Column::Id.ne(id))
        .filter(same_state(
            item::Column::ArchivedAt,
            moving.archived_at.is_some(),
        ))
        .filter(same_state(
            item::Column::TrashedAt,
            moving.trashed_at.is_some(),
        ));
    // Ties on position fall back to the ID, as the lists sort.
    let at = moving.position.clone();
    use item::Column as C;
    let (beyond, id_beyond, order) = match step {
        Step::Up => (C::Position.lt(at.clone()), C::Id.lt(id), Order::Desc),
        Step::Down => (C::Position.gt(at.clone()), C::Id.gt(id), Order::Asc),
    };
    let neighbour = siblings
        .filter(
            Condition::any()
                .add(beyond)
                .add(Condition::all().add(C::Position.eq(at)).add(id_beyond)),
        )
        .order_by(C::Position, order.clone())
        .order_by(C::Id, order)
        .one(&*tx)
        .await?;
    let Some(neighbour) = neighbour else {
        return Ok(None);
    };
    let placement = match step {
        Step::Up => Placement::Before(neighbour.id),
        Step::Down => Placement::After(neighbour.id),
    };
    let folder_id = moving.folder_id;
    place(&tx, moving, folder_id, placement).await?;
    activity::record(
        &*tx,
        user_id,
        activity::Entry::item(id, "reorder", json!({"folder_id": folder_id})),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(neighbour.id))
}

/// Records how far the user has read an item in the reader view (not an edit: the item's
/// `updated_at` stays).
pub async fn set_reading_progress(db: &Db, user_id: i64, id: i64, percent: i32) -> CoreResult<()> {
    let tx = db.write_for(user_id).await?;
    let m = find_owned::<item::Entity>(&*tx, user_id, id).await?;
    if m.reading_progress != percent {
        let mut active: item::ActiveModel = m.into();
        active.reading_progress = Set(percent);
        active.update(&*tx).await?;
    }
    tx.commit().await
}
