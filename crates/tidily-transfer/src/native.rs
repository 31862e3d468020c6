//! Our own JSON export, version 1: every field of every item, every profile, folder (empty
//! ones and their memos included), tag and category, so that importing it into an empty
//! account gives the same library. Written by `write::json` as a stream, read by
//! `read::json` with these same types.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tidily_core::domain::{ItemKind, Priority, Status};

/// The value of `format` that marks our files.
pub const FORMAT: &str = "tidilyspace";
/// The version this code writes and reads.
pub const VERSION: u32 = 1;

/// The whole file (the writer streams it in this shape; the reader takes it whole).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    pub format: String,
    pub version: u32,
    #[serde(default)]
    pub exported_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub profiles: Vec<Profile>,
    #[serde(default)]
    pub tags: Vec<Label>,
    #[serde(default)]
    pub categories: Vec<Label>,
    #[serde(default)]
    pub items: Vec<Item>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    /// In tree order: a parent before its children, siblings in their order.
    #[serde(default)]
    pub folders: Vec<Folder>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Folder {
    pub path: Vec<String>,
    #[serde(default)]
    pub memo: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    pub name: String,
    pub color: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub profile: String,
    #[serde(default)]
    pub folder: Vec<String>,
    pub kind: ItemKind,
    pub title: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub memo: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub status: Status,
    pub priority: Priority,
    #[serde(default)]
    pub favorite: bool,
    #[serde(default)]
    pub schedule_start: Option<DateTime<Utc>>,
    #[serde(default)]
    pub schedule_end: Option<DateTime<Utc>>,
    #[serde(default)]
    pub reminder_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub archived_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub trashed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub reading_progress: i32,
    pub position: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
