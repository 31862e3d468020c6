//! Imports and exports: the library's names (profiles, folders, labels) as lookup tables, the
//! duplicates an import would make, batched inserts of imported items, and the export's reads
//! in the library's own order.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::{
    db::{Db, WriteTx},
    domain::{now, url_key, CaptureState},
    entity::{category, folder, item, item_tag, profile, tag},
    error::CoreResult,
    store::{
        activity, captures,
        items::{self, ItemFields},
        jobs, labels, links, position, profiles, search,
    },
};

/// Everything of a library but its items: what an import matches names against and an
/// export writes first.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// In the user's order.
    pub profiles: Vec<profile::Model>,
    /// Every folder, in no particular order ([`Names::folder_tree`] orders them).
    pub folders: Vec<folder::Model>,
    pub tags: Vec<tag::Model>,
    pub categories: Vec<category::Model>,
}

impl Names {
    /// The folders of `profile_id` in tree order (a parent before its children, siblings by
    /// position), each with its path of names.
    pub fn folder_tree(&self, profile_id: i64) -> Vec<(&folder::Model, Vec<String>)> {
        let mut children: HashMap<Option<i64>, Vec<&folder::Model>> = HashMap::new();
        for f in self.folders.iter().filter(|f| f.profile_id == profile_id) {
            children.entry(f.parent_id).or_default().push(f);
        }
        for list in children.values_mut() {
            list.sort_by(|a, b| (&a.position, a.id).cmp(&(&b.position, b.id)));
        }
        let mut out = Vec::new();
        let mut stack: Vec<(&folder::Model, Vec<String>)> = children
            .get(&None)
            .into_iter()
            .flatten()
            .rev()
            .map(|f| (*f, vec![f.name.clone()]))
            .collect();
        while let Some((f, path)) = stack.pop() {
            for child in children.get(&Some(f.id)).into_iter().flatten().rev() {
                let mut p = path.clone();
                p.push(child.name.clone());
                stack.push((child, p));
            }
            out.push((f, path));
        }
        out
    }
}

/// The user's profiles, folders and labels.
pub async fn names(db: &impl ConnectionTrait, user_id: i64) -> CoreResult<Names> {
    Ok(Names {
        profiles: profile::Entity::find()
            .filter(profile::Column::UserId.eq(user_id))
            .order_by_asc(profile::Column::Position)
            .order_by_asc(profile::Column::Id)
            .all(db)
            .await?,
        folders: folder::Entity::find()
            .filter(folder::Column::UserId.eq(user_id))
            .all(db)
            .await?,
        tags: tag::Entity::find()
            .filter(tag::Column::UserId.eq(user_id))
            .order_by_asc(tag::Column::Name)
            .all(db)
            .await?,
        categories: category::Entity::find()
            .filter(category::Column::UserId.eq(user_id))
            .order_by_asc(category::Column::Name)
            .all(db)
            .await?,
    })
}

/// Which of `keys` (duplicates keys, `domain::url_key`) the user's library already holds.
pub async fn saved_keys(
    db: &impl ConnectionTrait,
    user_id: i64,
    keys: &[String],
) -> CoreResult<Vec<String>> {
    let mut found = Vec::new();
    for chunk in keys.chunks(500) {
        let rows: Vec<Option<String>> = item::Entity::find()
            .select_only()
            .column(item::Column::UrlKey)
            .filter(item::Column::UserId.eq(user_id))
            .filter(item::Column::UrlKey.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(rows.into_iter().flatten());
    }
    Ok(found)
}

/// A profile by name, created at the end of the user's list if missing.
pub async fn ensure_profile(tx: &WriteTx, user_id: i64, name: &str) -> CoreResult<i64> {
    let existing = profile::Entity::find()
        .filter(profile::Column::UserId.eq(user_id))
        .filter(profile::Column::Name.eq(name))
        .one(&**tx)
        .await?;
    match existing {
        Some(p) => Ok(p.id),
        None => Ok(profiles::insert(&**tx, user_id, name).await?.id),
    }
}

/// A folder by name under `parent_id`, appended after its siblings if missing.
pub async fn ensure_folder(
    tx: &WriteTx,
    user_id: i64,
    profile_id: i64,
    parent_id: Option<i64>,
    name: &str,
    memo: &str,
) -> CoreResult<i64> {
    let siblings = Condition::all()
        .add(folder::Column::UserId.eq(user_id))
        .add(folder::Column::ProfileId.eq(profile_id))
        .add(position::parent_is(folder::Column::ParentId, parent_id));
    let existing = folder::Entity::find()
        .filter(siblings.clone())
        .filter(folder::Column::Name.eq(name))
        .one(&**tx)
        .await?;
    if let Some(f) = existing {
        return Ok(f.id);
    }
    let last =
        position::last_in::<folder::Entity>(&**tx, folder::Column::Position, siblings).await?;
    let now = now();
    let created = folder::ActiveModel {
        user_id: Set(user_id),
        profile_id: Set(profile_id),
        parent_id: Set(parent_id),
        name: Set(name.to_owned()),
        memo: Set(memo.to_owned()),
        position: Set(position::after(last.as_deref())?),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&**tx)
    .await?;
    Ok(created.id)
}

/// Which kind of label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelKind {
    Tag,
    Category,
}

/// A tag or category by name (ignoring case: an import's `Rust` is the library's `rust`),
/// created with `color` if missing.
pub async fn ensure_label(
    tx: &WriteTx,
    user_id: i64,
    kind: LabelKind,
    name: &str,
    color: &str,
    known: &HashMap<String, i64>,
) -> CoreResult<i64> {
    if let Some(id) = known.get(&name.to_lowercase()) {
        return Ok(*id);
    }
    let created = match kind {
        LabelKind::Tag => {
            labels::insert::<tag::Entity>(&**tx, user_id, name.to_owned(), color.to_owned()).await?
        }
        LabelKind::Category => {
            labels::insert::<category::Entity>(&**tx, user_id, name.to_owned(), color.to_owned())
                .await?
        }
    };
    Ok(created.id)
}

/// An imported item, checked and with its names resolved to IDs.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The fields any new item has (its description in `fields.description`).
    pub fields: ItemFields,
    /// What only an import sets: the states and dates the file kept.
    pub archived_at: Option<DateTime<Utc>>,
    pub trashed_at: Option<DateTime<Utc>>,
    pub reading_progress: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// How fast the pages of imported links are fetched, all hosts together.
pub const CAPTURE_PACE: TimeDelta = TimeDelta::milliseconds(250);

/// The job that queues the captures and link checks of a batch of imported items.
pub const FOLLOW_UP: &str = "imported";

/// Inserts a batch of imported items in the caller's transaction, appended to their folders
/// in the batch's order, with their tags and their words in the search index, and queues the
/// [`FOLLOW_UP`] of the batch at `follow_up_at`. Returns the new IDs in the batch's order.
pub async fn insert_items(
    tx: &WriteTx,
    user_id: i64,
    batch: Vec<Imported>,
    follow_up_at: DateTime<Utc>,
) -> CoreResult<Vec<i64>> {
    // Positions: appended per folder, in the batch's order.
    let mut by_container: HashMap<(i64, Option<i64>), usize> = HashMap::new();
    for it in &batch {
        *by_container
            .entry((it.fields.profile_id, it.fields.folder_id))
            .or_default() += 1;
    }
    let mut keys: HashMap<(i64, Option<i64>), std::vec::IntoIter<String>> = HashMap::new();
    for ((profile_id, folder_id), count) in by_container {
        let list = items::append_keys(tx, profile_id, folder_id, count).await?;
        keys.insert((profile_id, folder_id), list.into_iter());
    }
    let mut tags_of: Vec<Vec<i64>> = Vec::with_capacity(batch.len());
    let mut places = Vec::with_capacity(batch.len());
    let mut rows = Vec::with_capacity(batch.len());
    for Imported {
        fields: it,
        archived_at,
        trashed_at,
        reading_progress,
        created_at,
        updated_at,
    } in batch
    {
        let description = it.description.unwrap_or_default();
        let position = keys
            .get_mut(&(it.profile_id, it.folder_id))
            .and_then(Iterator::next)
            .unwrap_or_default();
        tags_of.push(it.tag_ids);
        places.push((it.profile_id, it.folder_id, position.clone()));
        rows.push(item::ActiveModel {
            user_id: Set(user_id),
            profile_id: Set(it.profile_id),
            folder_id: Set(it.folder_id),
            category_id: Set(it.category_id),
            kind: Set(it.kind),
            search_text: Set(items::search_text(
                &it.title,
                it.url.as_deref(),
                &it.memo,
                &description,
            )),
            capture_state: Set(it.url.as_ref().map(|_| CaptureState::Pending)),
            url_key: Set(it.url.as_deref().and_then(url_key::of)),
            title: Set(it.title),
            url: Set(it.url),
            memo: Set(it.memo),
            description: Set(description),
            site_name: Set(None),
            reading_minutes: Set(None),
            favicon_digest: Set(None),
            preview_digest: Set(None),
            archive_digest: Set(None),
            link_broken: Set(false),
            reading_progress: Set(reading_progress),
            status: Set(it.status),
            priority: Set(it.priority),
            schedule_start: Set(it.schedule_start),
            schedule_end: Set(it.schedule_end),
            reminder_at: Set(it.reminder_at),
            favorite: Set(it.favorite),
            archived_at: Set(archived_at),
            trashed_at: Set(trashed_at),
            position: Set(position),
            created_at: Set(created_at),
            updated_at: Set(updated_at),
            ..Default::default()
        });
    }
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let inserted = item::Entity::insert_many(rows)
        .exec_with_returning_many(&**tx)
        .await?;
    // RETURNING gives the rows, but SQL does not promise their order: match them back by
    // their (unique) place.
    let mut ids_by_place: HashMap<(i64, Option<i64>, String), i64> = HashMap::new();
    let mut chunks = Vec::with_capacity(inserted.len());
    let mut linked = Vec::new();
    for m in &inserted {
        ids_by_place.insert((m.profile_id, m.folder_id, m.position.clone()), m.id);
        chunks.push(search::fields_chunk(m.id, user_id, &m.search_text));
        if let Some(url) = &m.url {
            linked.push((m.id, url.clone()));
        }
    }
    let mut ids = Vec::with_capacity(inserted.len());
    let mut tag_rows = Vec::new();
    for (place, tags) in places.iter().zip(tags_of) {
        let id = ids_by_place[place];
        ids.push(id);
        tag_rows.extend(tags.into_iter().map(|tag_id| item_tag::ActiveModel {
            item_id: Set(id),
            tag_id: Set(tag_id),
        }));
    }
    for chunk in tag_rows.chunks(1000) {
        item_tag::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&**tx)
            .await?;
    }
    search::insert(&**tx, &chunks).await?;
    // One job for the batch's captures and link checks, not one row each: the import's
    // writes stay short, and the work they start is queued when it is due.
    if !linked.is_empty() {
        let first = linked[0].0;
        let ids: Vec<i64> = linked.iter().map(|(id, _)| *id).collect();
        jobs::enqueue(
            &**tx,
            jobs::NewJob {
                kind: FOLLOW_UP,
                dedupe_key: Some(format!("{FOLLOW_UP}:{first}")),
                payload: serde_json::json!({ "items": ids }),
                host: None,
                max_attempts: 10,
                run_at: follow_up_at,
            },
            now(),
        )
        .await?;
    }
    Ok(ids)
}

/// The follow-up of a batch: a paced capture and a link-health record for each of `items`
/// that still has its link and waits for its first capture. Idempotent: a capture already
/// queued and a link already tracked are left as they are.
pub async fn follow_up(db: &Db, items: &[i64]) -> CoreResult<usize> {
    let rows: Vec<(i64, i64, Option<String>)> = item::Entity::find()
        .select_only()
        .column(item::Column::Id)
        .column(item::Column::UserId)
        .column(item::Column::Url)
        .filter(item::Column::Id.is_in(items.iter().copied()))
        .filter(item::Column::CaptureState.eq(CaptureState::Pending))
        .into_tuple()
        .all(db.read())
        .await?;
    let Some(&(_, user_id, _)) = rows.first() else {
        return Ok(0);
    };
    let linked: Vec<(i64, String)> = rows
        .into_iter()
        .filter_map(|(id, _, url)| url.map(|u| (id, u)))
        .collect();
    let tx = db.write_for(user_id).await?;
    links::track_imported(&*tx, &linked).await?;
    jobs::enqueue_many(
        &*tx,
        captures::import_jobs(&linked, now(), CAPTURE_PACE),
        now(),
    )
    .await?;
    tx.commit().await?;
    Ok(linked.len())
}

/// Records an import in the activity log.
pub async fn record_import(
    tx: &WriteTx,
    user_id: i64,
    detail: serde_json::Value,
) -> CoreResult<()> {
    let entry = activity::Entry {
        detail,
        ..activity::Entry::account("import")
    };
    activity::record(&**tx, user_id, entry).await
}

/// One page of a folder's items (or a profile's items outside any folder) in manual order,
/// after the `(position, id)` of the previous page's last row.
pub async fn items_in(
    db: &Db,
    user_id: i64,
    profile_id: i64,
    folder_id: Option<i64>,
    after: Option<(&str, i64)>,
    limit: u64,
) -> CoreResult<Vec<item::Model>> {
    let mut q = item::Entity::find()
        .filter(item::Column::UserId.eq(user_id))
        .filter(item::Column::ProfileId.eq(profile_id))
        .filter(position::parent_is(item::Column::FolderId, folder_id));
    if let Some((pos, id)) = after {
        // `position >= p` bounds the index range; the rest breaks ties by ID. (The OR alone
        // makes both databases read the folder from its start for every page.)
        q = q.filter(item::Column::Position.gte(pos)).filter(
            Condition::any()
                .add(item::Column::Position.gt(pos))
                .add(item::Column::Id.gt(id)),
        );
    }
    Ok(q.order_by_asc(item::Column::Position)
        .order_by_asc(item::Column::Id)
        .limit(limit)
        .all(db.read())
        .await?)
}

/// The tag IDs of each of `items`.
pub async fn tag_ids(db: &Db, items: &[i64]) -> CoreResult<HashMap<i64, Vec<i64>>> {
    let rows: Vec<(i64, i64)> = item_tag::Entity::find()
        .select_only()
        .column(item_tag::Column::ItemId)
        .column(item_tag::Column::TagId)
        .filter(item_tag::Column::ItemId.is_in(items.iter().copied()))
        .into_tuple()
        .all(db.read())
        .await?;
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    for (item, tag) in rows {
        out.entry(item).or_default().push(tag);
    }
    Ok(out)
}
