//! What the pages read on every render but which changes only when the user changes
//! something: the label lists (profiles, folders, tags, categories) and the counts over all
//! of a user's items. Kept in memory, keyed by the user's revision.
//!
//! Every write to a user's profiles, folders, labels, items or item tags moves
//! `users.revision` (database triggers, migration `m20261126_000001_revisions`), and the
//! session lookup reads the revision with the account. An entry is served only to a request
//! that read the same revision, so a page never shows data older than what its request saw,
//! whichever code path wrote, and several processes (the ECS tasks) need no coordination:
//! each keeps its own entries. A count that depends on the clock (overdue, due soon) is also
//! keyed by the minute it was computed for.

use std::{any::Any, collections::HashMap, future::Future, sync::Arc};

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::{
    db::Db,
    domain::now,
    entity::{category, folder, profile, tag},
    error::{CoreError, CoreResult},
    store::{
        folders,
        item_query::{self, ItemFilter, Page},
        items::ItemView,
        labels::{self, LabelView},
        stats::{self, LabelCount, Overview},
    },
};

/// Entries kept across all users; the least recently used go first. An entry is a few
/// hundred bytes to a few kilobytes (a user's label lists), so this stays within a few MB.
const CAPACITY: usize = 4_096;

/// The in-memory store shared by all requests of a process.
pub struct Memo {
    cache: quick_cache::sync::Cache<Key, Entry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum What {
    Labels,
    Overview,
    TagCounts,
    CategoryCounts,
    FolderCounts,
    LongestSchedule,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    user_id: i64,
    profile_id: Option<i64>,
    what: What,
}

/// The revision (and, for clock-dependent values, the minute) an entry was computed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    revision: i64,
    minute: Option<DateTime<Utc>>,
}

#[derive(Clone)]
struct Entry {
    stamp: Stamp,
    value: Arc<dyn Any + Send + Sync>,
}

impl Default for Memo {
    fn default() -> Self {
        Memo {
            cache: quick_cache::sync::Cache::new(CAPACITY),
        }
    }
}

impl Memo {
    /// The value under `key` computed at `stamp`, computing it with `compute` if there is none.
    async fn get<T, F>(&self, key: Key, stamp: Stamp, compute: F) -> CoreResult<Arc<T>>
    where
        T: Send + Sync + 'static,
        F: Future<Output = CoreResult<T>>,
    {
        if let Some(entry) = self.cache.get(&key) {
            if entry.stamp == stamp {
                if let Ok(value) = entry.value.downcast::<T>() {
                    return Ok(value);
                }
            }
        }
        let value = Arc::new(compute.await?);
        self.cache.insert(
            key,
            Entry {
                stamp,
                value: value.clone(),
            },
        );
        Ok(value)
    }
}

/// A user's profiles, folders, tags and categories: the choices of every filter and form.
#[derive(Debug)]
pub struct Labels {
    /// In the user's order.
    pub profiles: Vec<profile::Model>,
    /// Every folder of every profile, in manual order.
    pub folders: Vec<folder::Model>,
    /// By name.
    pub tags: Vec<LabelView>,
    /// By name.
    pub categories: Vec<LabelView>,
    tags_by_id: HashMap<i64, LabelView>,
}

impl Labels {
    /// The tag `id`, if the user has it.
    pub fn tag(&self, id: i64) -> Option<&LabelView> {
        self.tags_by_id.get(&id)
    }

    /// The profile `id`, if it is the user's; else `NotFound`.
    pub fn profile(&self, id: i64) -> CoreResult<&profile::Model> {
        self.profiles
            .iter()
            .find(|p| p.id == id)
            .ok_or(CoreError::NotFound)
    }

    /// The folder `id`, if it is the user's; else `NotFound`.
    pub fn folder(&self, id: i64) -> CoreResult<&folder::Model> {
        self.folders
            .iter()
            .find(|f| f.id == id)
            .ok_or(CoreError::NotFound)
    }

    /// The folders of one profile, in manual order.
    pub fn folders_of(&self, profile_id: i64) -> impl Iterator<Item = &folder::Model> {
        self.folders
            .iter()
            .filter(move |f| f.profile_id == profile_id)
    }
}

/// One user's data as of the revision their request read, with the memo in front of it.
pub struct UserData<'a> {
    db: &'a Db,
    memo: &'a Memo,
    user_id: i64,
    revision: i64,
}

impl<'a> UserData<'a> {
    pub fn new(db: &'a Db, memo: &'a Memo, user_id: i64, revision: i64) -> Self {
        UserData {
            db,
            memo,
            user_id,
            revision,
        }
    }

    fn key(&self, what: What, profile_id: Option<i64>) -> Key {
        Key {
            user_id: self.user_id,
            profile_id,
            what,
        }
    }

    fn stamp(&self) -> Stamp {
        Stamp {
            revision: self.revision,
            minute: None,
        }
    }

    /// The user's profiles, folders, tags and categories.
    pub async fn labels(&self) -> CoreResult<Arc<Labels>> {
        let (db, user_id) = (self.db, self.user_id);
        self.memo
            .get(self.key(What::Labels, None), self.stamp(), async move {
                let profiles = crate::store::profiles::list(db.read(), user_id).await?;
                let folders = folder::Entity::find()
                    .filter(folder::Column::UserId.eq(user_id))
                    .order_by_asc(folder::Column::Position)
                    .order_by_asc(folder::Column::Id)
                    .all(db.read())
                    .await?;
                let tags = labels::list::<tag::Entity>(db, user_id).await?;
                let categories = labels::list::<category::Entity>(db, user_id).await?;
                Ok(Labels {
                    tags_by_id: tags.iter().map(|t| (t.id, t.clone())).collect(),
                    profiles,
                    folders,
                    tags,
                    categories,
                })
            })
            .await
    }

    /// One page of item rows matching `f` (without their tags).
    pub async fn rows(&self, f: &ItemFilter) -> CoreResult<Page> {
        item_query::list(self.db, self.user_id, f).await
    }

    /// One page of items matching `f`, with their tags named from the memoised tag list.
    pub async fn items(&self, f: &ItemFilter) -> CoreResult<Page<ItemView>> {
        let page = item_query::list_tagged(self.db, self.user_id, f).await?;
        let labels = self.labels().await?;
        Ok(page.with_tags(|id| labels.tag(id)))
    }

    /// [`stats::overview`], as of the current minute (overdue and due-soon move with the clock).
    pub async fn overview(&self, profile_id: Option<i64>) -> CoreResult<Arc<Overview>> {
        let minute = now()
            .duration_trunc(TimeDelta::minutes(1))
            .unwrap_or_else(|_| now());
        let stamp = Stamp {
            minute: Some(minute),
            ..self.stamp()
        };
        let (db, user_id) = (self.db, self.user_id);
        self.memo
            .get(
                self.key(What::Overview, profile_id),
                stamp,
                stats::overview(db, user_id, profile_id, minute),
            )
            .await
    }

    /// [`stats::tag_counts`].
    pub async fn tag_counts(&self, profile_id: Option<i64>) -> CoreResult<Arc<Vec<LabelCount>>> {
        self.memo
            .get(
                self.key(What::TagCounts, profile_id),
                self.stamp(),
                stats::tag_counts(self.db, self.user_id, profile_id),
            )
            .await
    }

    /// [`stats::category_counts`].
    pub async fn category_counts(
        &self,
        profile_id: Option<i64>,
    ) -> CoreResult<Arc<Vec<LabelCount>>> {
        self.memo
            .get(
                self.key(What::CategoryCounts, profile_id),
                self.stamp(),
                stats::category_counts(self.db, self.user_id, profile_id),
            )
            .await
    }

    /// [`item_query::longest_schedule`].
    pub async fn longest_schedule(&self) -> CoreResult<Option<TimeDelta>> {
        let longest = self
            .memo
            .get(
                self.key(What::LongestSchedule, None),
                self.stamp(),
                item_query::longest_schedule(self.db, self.user_id),
            )
            .await?;
        Ok(*longest)
    }

    /// [`folders::item_counts`]: active items per folder.
    pub async fn folder_counts(
        &self,
        profile_id: Option<i64>,
    ) -> CoreResult<Arc<HashMap<i64, i64>>> {
        self.memo
            .get(
                self.key(What::FolderCounts, profile_id),
                self.stamp(),
                folders::item_counts(self.db, self.user_id, profile_id),
            )
            .await
    }
}
