//! Domain vocabulary shared by the store, the API and the CLI.
//!
//! The enums are stored as short strings (readable in `psql`/`sqlite3` and stable across
//! re-orderings of the Rust variants); priority is stored as its rank so it sorts in SQL.

pub mod file;
pub mod ids;
pub mod link;
pub mod page;
pub mod problem;
pub mod schema;
pub mod search;
pub mod text;
pub mod transfer;
pub mod url_key;

use chrono_tz::Tz;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where an item is in its workflow. Archive and trash are separate flags on top of this, so
/// restoring an item brings back the status it had.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[sea_orm(string_value = "undecided")]
    Undecided,
    #[sea_orm(string_value = "not_started")]
    NotStarted,
    #[sea_orm(string_value = "in_progress")]
    InProgress,
    #[sea_orm(string_value = "on_hold")]
    OnHold,
    #[sea_orm(string_value = "done")]
    Done,
}

/// How urgent an item is; stored as 1 (high) to 3 (low) so `ORDER BY priority` is meaningful.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    ToSchema,
)]
#[sea_orm(rs_type = "i16", db_type = "SmallInteger")]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    High = 1,
    Mid = 2,
    Low = 3,
}

/// A bookmark is kept for good; a reading-list entry is temporary.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    #[sea_orm(string_value = "bookmark")]
    Bookmark,
    #[sea_orm(string_value = "reading_list")]
    ReadingList,
}

/// What a user may do beyond their own data.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
#[serde(rename_all = "snake_case")]
pub enum Role {
    #[sea_orm(string_value = "user")]
    User,
    #[sea_orm(string_value = "admin")]
    Admin,
}

/// The interface language.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
#[serde(rename_all = "snake_case")]
pub enum Locale {
    #[sea_orm(string_value = "ja")]
    Ja,
    #[sea_orm(string_value = "en")]
    En,
}

impl Locale {
    /// The default time zone for a new account in this language.
    pub fn default_time_zone(self) -> &'static str {
        match self {
            Locale::Ja => "Asia/Tokyo",
            Locale::En => "UTC",
        }
    }
}

/// Current time, truncated to milliseconds so SQLite and PostgreSQL round-trip it identically.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::{SubsecRound, Utc};
    Utc::now().trunc_subsecs(3)
}

/// Whether `name` is a zone of the bundled IANA database (`Asia/Tokyo`, `America/New_York`).
pub fn is_time_zone(name: &str) -> bool {
    name.parse::<Tz>().is_ok()
}

/// A `#rrggbb` colour (either case).
pub fn is_color(value: &str) -> bool {
    value.len() == 7 && value.starts_with('#') && value[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// Every zone name of the bundled database, sorted: the settings page's choices.
pub fn time_zone_names() -> impl Iterator<Item = &'static str> {
    chrono_tz::TZ_VARIANTS.iter().map(|z| z.name())
}

/// Where the capture of an item's page stands. An item without a URL has none.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum CaptureState {
    /// Queued or being fetched (again).
    #[sea_orm(string_value = "pending")]
    Pending,
    /// The page was fetched and its metadata recorded.
    #[sea_orm(string_value = "done")]
    Done,
    /// The last fetch failed for good; the reason is kept with the capture.
    #[sea_orm(string_value = "failed")]
    Failed,
}
