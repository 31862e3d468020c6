//! Items: bookmarks and reading-list entries.
use crate::domain::{ItemKind, Priority, Status};
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
    pub memo: String,
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
