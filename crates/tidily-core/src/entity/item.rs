//! Items: bookmarks and reading-list entries.
use crate::domain::{CaptureState, ItemKind, Priority, Status};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub profile_id: i64,
    pub folder_id: Option<i64>,
    pub category_id: Option<i64>,
    pub kind: ItemKind,
    pub title: String,
    pub url: Option<String>,
    /// The URL's comparison key (`domain::url_key`): items with one key are one page.
    pub url_key: Option<String>,
    pub memo: String,
    /// What the page says it is about (from its capture); the memo stays the user's own.
    pub description: String,
    /// The site's own name for itself (`og:site_name`), else its host.
    pub site_name: Option<String>,
    /// `None` for an item without a URL.
    pub capture_state: Option<CaptureState>,
    /// Minutes to read the page's text (Japanese counted by characters, not words).
    pub reading_minutes: Option<i32>,
    /// The stored copy of the site's icon (`files.digest`).
    pub favicon_digest: Option<String>,
    /// The stored, resized copy of the page's preview image (`files.digest`).
    pub preview_digest: Option<String>,
    /// The link failed its checks repeatedly over days (`domain::link`).
    pub link_broken: bool,
    /// The readable archive of the page (`files.digest`, sanitised HTML).
    pub archive_digest: Option<String>,
    /// How far the reader view has been read, 0-100.
    pub reading_progress: i32,
    pub status: Status,
    pub priority: Priority,
    pub schedule_start: Option<DateTimeUtc>,
    pub schedule_end: Option<DateTimeUtc>,
    pub reminder_at: Option<DateTimeUtc>,
    pub favorite: bool,
    pub archived_at: Option<DateTimeUtc>,
    pub trashed_at: Option<DateTimeUtc>,
    /// Fractional index for manual order.
    pub position: String,
    /// Lower-cased title, URL and memo: what text search scans (see `store::items`).
    pub search_text: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
