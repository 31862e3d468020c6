//! What the last capture of an item's page found, beyond the columns every list shows.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "captures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub item_id: i64,
    /// The item's URL this capture is for (a changed URL makes it stale).
    pub url: String,
    /// Where the redirects ended.
    pub final_url: Option<String>,
    pub http_status: Option<i32>,
    pub content_type: Option<String>,
    /// The encoding the page was decoded with (declared or detected).
    pub charset: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub site_name: Option<String>,
    pub reading_minutes: Option<i32>,
    /// The page's canonical URL, when it names one on the same site.
    pub canonical_url: Option<String>,
    pub favicon_url: Option<String>,
    pub image_url: Option<String>,
    pub author: Option<String>,
    pub published_at: Option<DateTimeUtc>,
    pub lang: Option<String>,
    /// Why the last attempt failed (kept while a retry is pending, cleared on success).
    pub error: Option<String>,
    pub fetched_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
