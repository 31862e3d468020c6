//! What an imported file holds once it has been read, whatever it came from: entries with
//! the fields we keep, the folders and labels it defines, and the lines it could not use. The
//! readers of each format (crate `tidily-transfer`) produce it; `app::transfer` checks it
//! against the library and writes it.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::{ItemKind, Priority, Status};

/// A file format we read (and, for some, write).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Our own JSON export: every field, lossless.
    Tidily,
    /// Netscape bookmark HTML, as browsers and most peers write it.
    Netscape,
    /// Pocket's old `ril_export.html`.
    PocketHtml,
    /// Pocket's CSV (2025, or the 2024 parts with a `cursor` column).
    PocketCsv,
    /// Instapaper's CSV (with or without timestamps and tags).
    InstapaperCsv,
    /// Raindrop.io's CSV export.
    RaindropCsv,
    /// Readwise Reader's CSV export.
    ReadwiseCsv,
    /// Pinboard's JSON backup (`posts/all`).
    PinboardJson,
    /// Karakeep's JSON export.
    KarakeepJson,
    /// Linkwarden's JSON export.
    LinkwardenJson,
}

/// A folder of the imported file, named by its path from the import's root. Folders are
/// listed on their own so that an empty one (and a folder's memo) survives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderEntry {
    /// The profile it belongs to, by name; `None`: the import's target profile.
    pub profile: Option<String>,
    pub path: Vec<String>,
    pub memo: String,
}

/// A tag or category the file defines with a colour (our own JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelEntry {
    pub name: String,
    pub color: String,
}

/// One link (or note) of the imported file, its fields as the file gave them: the checks
/// and limits are `app::transfer`'s.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entry {
    /// Where the entry starts in the file (1-based), for the report.
    pub line: u32,
    pub url: Option<String>,
    pub title: String,
    /// The page's own summary (a peer's description or excerpt).
    pub description: String,
    /// The user's own note.
    pub memo: String,
    pub tags: Vec<String>,
    /// The profile by name (our own JSON); `None`: the import's target profile.
    pub profile: Option<String>,
    /// The folder's path from the import's root; empty: the root. Shared by the entries of
    /// one folder (a file of 100,000 links holds each path once).
    pub folder: Arc<[String]>,
    pub category: Option<String>,
    /// `None`: a bookmark.
    pub kind: Option<ItemKind>,
    /// `None`: the kind's starting status.
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    pub favorite: bool,
    /// The source says it was archived; the date if it gave one.
    pub archived: bool,
    pub archived_at: Option<DateTime<Utc>>,
    pub trashed_at: Option<DateTime<Utc>>,
    pub schedule_start: Option<DateTime<Utc>>,
    pub schedule_end: Option<DateTime<Utc>>,
    pub reminder_at: Option<DateTime<Utc>>,
    pub reading_progress: Option<i32>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    /// The manual position it had in the library that exported it (our own JSON): entries
    /// of one folder are written in this order, so the order the user made survives.
    pub order: Option<String>,
}

/// Why an entry of the file was not imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// A `javascript:`, `place:`, `mailto:`, `file:`, `data:` (...) link: not a web page.
    NotAWebLink,
    /// A link that is not a valid absolute http(s) URL.
    InvalidUrl,
    /// A link longer than an item's link may be.
    UrlTooLong,
    /// Neither a link nor a title.
    Empty,
    /// A live bookmark (an RSS feed in old Firefox files), not a page.
    Feed,
    /// A row the reader could not make sense of (a CSV row with the wrong number of fields,
    /// a JSON value of the wrong shape).
    Malformed,
    /// The library already holds this page (same duplicates key).
    AlreadySaved,
    /// An earlier entry of the same file is the same page (merged into it).
    DuplicateInFile,
}

/// An entry the reader could not use, with where it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Skipped {
    pub line: u32,
    pub reason: SkipReason,
    /// The link as written, when there was one (cut to 300 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Skipped {
    pub fn new(line: u32, reason: SkipReason, url: Option<&str>) -> Skipped {
        Skipped {
            line,
            reason,
            url: url.map(|u| u.chars().take(300).collect()),
        }
    }
}

/// A whole file, read.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub format: Format,
    pub entries: Vec<Entry>,
    pub folders: Vec<FolderEntry>,
    pub tags: Vec<LabelEntry>,
    pub categories: Vec<LabelEntry>,
    /// Profiles the file names (our own JSON), in order.
    pub profiles: Vec<String>,
    pub skipped: Vec<Skipped>,
}

impl Parsed {
    pub fn new(format: Format) -> Parsed {
        Parsed {
            format,
            entries: Vec::new(),
            folders: Vec::new(),
            tags: Vec::new(),
            categories: Vec::new(),
            profiles: Vec::new(),
            skipped: Vec::new(),
        }
    }

    /// Adds an entry that has a link, or records why it was skipped: non-web schemes are
    /// reported, not imported.
    pub fn push_link(&mut self, entry: Entry) {
        match entry.url.as_deref().map(scheme_of) {
            Some(Some("http" | "https")) => self.entries.push(entry),
            Some(Some(_)) => self.skip(&entry, SkipReason::NotAWebLink),
            Some(None) => self.skip(&entry, SkipReason::InvalidUrl),
            None if entry.title.trim().is_empty() => self.skip(&entry, SkipReason::Empty),
            None => self.entries.push(entry),
        }
    }

    /// Records a line that gave no entry at all (a malformed row or value).
    pub fn skip_line(&mut self, line: u32, reason: SkipReason) {
        self.skipped.push(Skipped::new(line, reason, None));
    }

    pub fn skip(&mut self, entry: &Entry, reason: SkipReason) {
        self.skipped
            .push(Skipped::new(entry.line, reason, entry.url.as_deref()));
    }
}

/// Adds `name` (trimmed) to `tags` unless it is empty or already there ignoring case: an
/// import matches labels without case, so `Rust` and `rust` are one tag (the first spelling
/// kept).
pub fn add_tag(tags: &mut Vec<String>, name: &str) {
    let name = name.trim();
    let lower = name.to_lowercase();
    if !name.is_empty() && !tags.iter().any(|t| t.to_lowercase() == lower) {
        tags.push(name.to_owned());
    }
}

/// `names` as tags: [`add_tag`] for each.
pub fn distinct_tags<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> Vec<String> {
    let mut tags = Vec::new();
    for name in names {
        add_tag(&mut tags, name.as_ref());
    }
    tags
}

/// The lower-cased scheme of `url`, if it starts with one.
fn scheme_of(url: &str) -> Option<&str> {
    let url = url.trim_start();
    let (scheme, _) = url.split_once(':')?;
    let ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    ok.then_some(scheme).map(|s| {
        if s.eq_ignore_ascii_case("http") {
            "http"
        } else if s.eq_ignore_ascii_case("https") {
            "https"
        } else {
            s
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_sort_links() {
        let mut p = Parsed::new(Format::Netscape);
        for (i, url) in [
            "https://a.example/?a=1&copy=2",
            "HTTP://b.example/",
            "javascript:alert(1)",
            "place:sort=8",
            "not a url",
            "mailto:x@example.com",
        ]
        .into_iter()
        .enumerate()
        {
            p.push_link(Entry {
                line: i as u32 + 1,
                url: Some(url.into()),
                ..Entry::default()
            });
        }
        let kept: Vec<_> = p.entries.iter().map(|e| e.line).collect();
        assert_eq!(kept, [1, 2]);
        let reasons: Vec<_> = p.skipped.iter().map(|s| (s.line, s.reason)).collect();
        assert_eq!(
            reasons,
            [
                (3, SkipReason::NotAWebLink),
                (4, SkipReason::NotAWebLink),
                (5, SkipReason::InvalidUrl),
                (6, SkipReason::NotAWebLink)
            ]
        );
    }
}
