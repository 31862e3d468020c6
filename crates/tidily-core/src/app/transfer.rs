//! Import and export, for the CLI, the API and the pages.
//!
//! An import takes a file already read (`domain::transfer::Parsed`, from crate
//! `tidily-transfer`), checks every entry against the limits of the fields it fills,
//! merges the file's own duplicates, leaves out what the library already holds, and reports
//! all of it; unless it is a dry run it then writes the folders and labels in one
//! transaction and the items in batches of [`BATCH`], each its own short write, so a large
//! import never holds the database (or SQLite's one writer) for long and other requests go
//! on between batches. An export reads the library in its own order, a page at a time.

use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
};

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::{
    app::{
        items::{default_status, new_fields, ItemFields},
        jobs::JobError,
        owner::Owner,
        AppState,
    },
    domain::{
        ids::{FolderId, ProfileId},
        now,
        problem::{Problem, Record},
        text::{self, TextRule},
        transfer::{add_tag, Entry, FolderEntry, Format, LabelEntry, Parsed, SkipReason, Skipped},
        url_key, ItemKind, Priority,
    },
    entity::item,
    error::{CoreError, CoreResult},
    store::{
        captures,
        items::NewTags,
        transfer::{self as store, Imported, LabelKind, Names},
    },
};

/// Items written per transaction.
pub const BATCH: usize = 500;
/// The skipped lines a report lists (all are counted).
pub const REPORT_LINES_MAX: usize = 1000;

/// Where an import goes and whether it writes.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// The profile of entries that name none; absent: the user's first profile.
    pub profile: Option<ProfileId>,
    /// The folder the file's folder tree goes under; absent: the profile's top level.
    pub folder: Option<FolderId>,
    /// Report what would happen, write nothing.
    pub dry_run: bool,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportReport {
    pub format: Format,
    pub dry_run: bool,
    /// The profile and folder that entries without their own went to.
    pub profile_id: i64,
    pub folder_id: Option<i64>,
    /// Items created (or that would be).
    pub items: u64,
    /// Folders, tags, categories and profiles created (or that would be).
    pub folders: u64,
    pub tags: u64,
    pub categories: u64,
    pub profiles: u64,
    /// Entries left out because the library already holds their page.
    pub already_saved: u64,
    /// Entries merged into an earlier entry of the file for the same page (tags joined,
    /// the earliest date kept).
    pub merged: u64,
    /// Entries that were not links to web pages, or could not be read.
    pub unusable: u64,
    /// Entries with a field cut to its limit (a title of more than 500 characters, a tag
    /// name of more than 64, more than 100 tags...).
    pub shortened: u64,
    /// The first 1,000 entries left out, with their line (entry number in JSON) and why.
    pub skipped: Vec<Skipped>,
}

impl ImportReport {
    fn skip(&mut self, skipped: Skipped) {
        match skipped.reason {
            SkipReason::AlreadySaved => self.already_saved += 1,
            SkipReason::DuplicateInFile => self.merged += 1,
            _ => self.unusable += 1,
        }
        if self.skipped.len() < REPORT_LINES_MAX {
            self.skipped.push(skipped);
        }
    }
}

/// Imports a file that was read, or reports what importing it would do.
pub async fn import(
    state: &AppState,
    owner: Owner,
    parsed: Parsed,
    options: ImportOptions,
) -> CoreResult<ImportReport> {
    let user = owner.id();
    let Parsed {
        format,
        mut entries,
        folders,
        tags,
        categories,
        profiles,
        skipped,
    } = parsed;
    let started = std::time::Instant::now();
    let names = store::names(state.db.read(), user).await?;
    let (profile_id, folder_id) = target(&names, options)?;
    let mut report = ImportReport {
        format,
        dry_run: options.dry_run,
        profile_id,
        folder_id,
        items: 0,
        folders: 0,
        tags: 0,
        categories: 0,
        profiles: 0,
        already_saved: 0,
        merged: 0,
        unusable: 0,
        shortened: 0,
        skipped: Vec::new(),
    };
    for s in skipped {
        report.skip(s);
    }
    // The entries are checked, merged and sifted in place, with their duplicates keys beside
    // them: a file of 100,000 links is held once, not copied at each step.
    let mut keys: Vec<Option<String>> = Vec::with_capacity(entries.len());
    let mut paths = Paths::default();
    entries.retain_mut(|e| match check(e, &mut report.shortened, &mut paths) {
        Ok(key) => {
            keys.push(key);
            true
        }
        Err(s) => {
            report.skip(s);
            false
        }
    });
    merge_duplicates(&mut entries, &mut keys, &mut report);
    let wanted: Vec<String> = keys.iter().flatten().cloned().collect();
    let saved: HashSet<String> = store::saved_keys(state.db.read(), user, &wanted)
        .await?
        .into_iter()
        .collect();
    drop(wanted);
    retain_with_keys(&mut entries, &mut keys, |e, key| {
        let taken = key.as_ref().is_some_and(|k| saved.contains(k));
        if taken {
            report.skip(Skipped::new(
                e.line,
                SkipReason::AlreadySaved,
                e.url.as_deref(),
            ));
        }
        !taken
    });
    let fresh = &entries;
    let checked = started.elapsed();
    let plan = Plan::new(&names, profile_id, folder_id, &folders, fresh, &profiles);
    let planned = started.elapsed();
    report.profiles = plan.new_profiles.len() as u64;
    report.folders = plan.new_folders as u64;
    report.tags = plan.new_tags.len() as u64;
    report.categories = plan.new_categories.len() as u64;
    if options.dry_run {
        report.items = fresh.len() as u64;
        return Ok(report);
    }
    let named = Named {
        folders: &folders,
        tags: &tags,
        categories: &categories,
        entries: fresh,
    };
    let resolved = write_names(state, user, &plan, named, profile_id, folder_id).await?;
    let named_at = started.elapsed();
    // Each batch's captures follow the one before's at the capture pace: an import of
    // 100,000 links is fetched at a steady rate behind the user's own saves.
    let start = now() + chrono::TimeDelta::seconds(1);
    for (n, (batch, batch_keys)) in fresh.chunks(BATCH).zip(keys.chunks(BATCH)).enumerate() {
        let follow_up_at = start + store::CAPTURE_PACE * (n * BATCH) as i32;
        let tx = state.db.write_for(user).await?;
        // Checked again inside the write: an import running beside this one (or a save)
        // may have added one of these pages since the report was made.
        let wanted: Vec<String> = batch_keys.iter().flatten().cloned().collect();
        let taken: HashSet<String> = store::saved_keys(&*tx, user, &wanted)
            .await?
            .into_iter()
            .collect();
        let mut rows = Vec::with_capacity(batch.len());
        for (e, key) in batch.iter().zip(batch_keys) {
            if key.as_ref().is_some_and(|k| taken.contains(k)) {
                report.skip(Skipped::new(
                    e.line,
                    SkipReason::AlreadySaved,
                    e.url.as_deref(),
                ));
                continue;
            }
            rows.push(resolved.item(e));
        }
        let ids = store::insert_items(&tx, user, rows, follow_up_at).await?;
        tx.commit().await?;
        report.items += ids.len() as u64;
    }
    let tx = state.db.write_for(user).await?;
    tracing::info!(
        items = report.items,
        checked_ms = checked.as_millis() as u64,
        planned_ms = planned.as_millis() as u64,
        names_ms = named_at.as_millis() as u64,
        total_ms = started.elapsed().as_millis() as u64,
        "imported"
    );
    store::record_import(
        &tx,
        user,
        json!({"format": report.format, "items": report.items, "folders": report.folders}),
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}

/// The profile and folder that entries without their own go to.
fn target(names: &Names, options: ImportOptions) -> CoreResult<(i64, Option<i64>)> {
    let profile = match options.profile {
        Some(p) => names
            .profiles
            .iter()
            .find(|m| m.id == p.get())
            .ok_or_else(|| CoreError::field("profile_id", Problem::NoSuch(Record::Profile)))?,
        None => names
            .profiles
            .first()
            .ok_or_else(|| CoreError::field("profile_id", Problem::NoSuch(Record::Profile)))?,
    };
    let folder = match options.folder {
        Some(f) => {
            let folder = names
                .folders
                .iter()
                .find(|m| m.id == f.get())
                .ok_or_else(|| CoreError::field("folder_id", Problem::NoSuch(Record::Folder)))?;
            if folder.profile_id != profile.id {
                return Err(CoreError::field("folder_id", Problem::InOtherProfile));
            }
            Some(folder.id)
        }
        None => None,
    };
    Ok((profile.id, folder))
}

/// A single line as a field of `rule` takes it: control characters become spaces, the
/// ends are trimmed and the length cut to the limit (counted in `shortened`).
fn line(value: &str, rule: TextRule, shortened: &mut bool) -> String {
    let cleaned: String = value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    cut(cleaned.trim(), rule.max, shortened)
}

/// Free text without NUL, cut to the limit.
fn free(value: &str, rule: TextRule, shortened: &mut bool) -> String {
    cut(&value.replace('\0', ""), rule.max, shortened)
}

fn cut(value: &str, max: usize, shortened: &mut bool) -> String {
    match value.char_indices().nth(max) {
        Some((end, _)) => {
            *shortened = true;
            value[..end].trim_end().to_owned()
        }
        None => value.to_owned(),
    }
}

/// A name for a folder or label that the file left empty.
const UNNAMED: &str = "(untitled)";

/// Folder paths cut to the folder name's limit, each distinct path once: the entries of one
/// folder share it.
#[derive(Default)]
struct Paths(HashMap<Path, (Path, bool)>);

/// A folder path, shared.
type Path = Arc<[String]>;

impl Paths {
    fn normalise(&mut self, path: &Arc<[String]>, shortened: &mut bool) -> Arc<[String]> {
        let (done, cut) = self.0.entry(path.clone()).or_insert_with(|| {
            let mut cut = false;
            let names: Vec<String> = path.iter().map(|n| folder_name(n, &mut cut)).collect();
            (names.into(), cut)
        });
        *shortened |= *cut;
        done.clone()
    }
}

/// Checks an entry's link and cuts its fields to their limits; returns its duplicates key.
fn check(
    e: &mut Entry,
    shortened_count: &mut u64,
    paths: &mut Paths,
) -> Result<Option<String>, Skipped> {
    let mut shortened = false;
    if let Some(url) = &e.url {
        let url = url.trim();
        if url.chars().count() > text::URL_MAX {
            return Err(Skipped::new(e.line, SkipReason::UrlTooLong, Some(url)));
        }
        let ok = url::Url::parse(url)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
        if !ok {
            return Err(Skipped::new(e.line, SkipReason::InvalidUrl, Some(url)));
        }
        if url.len() != e.url.as_ref().map_or(0, String::len) {
            e.url = Some(url.to_owned());
        }
    }
    e.title = line(&e.title, text::TITLE, &mut shortened);
    if e.title.is_empty() {
        match &e.url {
            Some(url) => e.title = captures::placeholder_title(url),
            None => return Err(Skipped::new(e.line, SkipReason::Empty, None)),
        }
    }
    if e.memo.contains('\0') || e.memo.chars().count() > text::MEMO.max {
        e.memo = free(&e.memo, text::MEMO, &mut shortened);
    }
    if e.description.contains('\0') || e.description.chars().count() > text::MEMO.max {
        e.description = free(&e.description, text::MEMO, &mut shortened);
    }
    let mut tags: Vec<String> = Vec::with_capacity(e.tags.len());
    for tag in &e.tags {
        add_tag(&mut tags, &line(tag, text::LABEL_NAME, &mut shortened));
    }
    if tags.len() > text::TAGS_PER_ITEM {
        tags.truncate(text::TAGS_PER_ITEM);
        shortened = true;
    }
    e.tags = tags;
    if !e.folder.is_empty() {
        e.folder = paths.normalise(&e.folder, &mut shortened);
    }
    e.category = e
        .category
        .as_deref()
        .map(|c| line(c, text::LABEL_NAME, &mut shortened))
        .filter(|c| !c.is_empty());
    e.profile = e
        .profile
        .as_deref()
        .map(|p| label_or_unnamed(p, text::PROFILE_NAME, &mut shortened));
    if let (Some(start), Some(end)) = (e.schedule_start, e.schedule_end) {
        if end < start {
            e.schedule_end = None;
        }
    }
    if e.schedule_start.is_none() {
        e.schedule_end = None;
    }
    if shortened {
        *shortened_count += 1;
    }
    Ok(e.url.as_deref().and_then(url_key::of))
}

fn folder_name(name: &str, shortened: &mut bool) -> String {
    label_or_unnamed(name, text::FOLDER_NAME, shortened)
}

fn label_or_unnamed(name: &str, rule: TextRule, shortened: &mut bool) -> String {
    let name = line(name, rule, shortened);
    if name.is_empty() {
        UNNAMED.to_owned()
    } else {
        name
    }
}

/// Folds entries for the same page into the first: tags joined, the earliest date kept.
fn merge_duplicates(
    entries: &mut Vec<Entry>,
    keys: &mut Vec<Option<String>>,
    report: &mut ImportReport,
) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    let mut into: Vec<Option<usize>> = vec![None; entries.len()];
    for (i, key) in keys.iter().enumerate() {
        if let Some(k) = key {
            match first.get(k.as_str()) {
                Some(&j) => into[i] = Some(j),
                None => {
                    first.insert(k, i);
                }
            }
        }
    }
    drop(first);
    for (i, target) in into.iter().enumerate() {
        let Some(j) = *target else { continue };
        let tags = std::mem::take(&mut entries[i].tags);
        let created = entries[i].created_at;
        let kept = &mut entries[j];
        for tag in tags {
            if kept.tags.len() < text::TAGS_PER_ITEM {
                add_tag(&mut kept.tags, &tag);
            }
        }
        if let Some(t) = created {
            if kept.created_at.is_none_or(|k| t < k) {
                kept.created_at = Some(t);
            }
        }
        let e = &entries[i];
        report.skip(Skipped::new(
            e.line,
            SkipReason::DuplicateInFile,
            e.url.as_deref(),
        ));
    }
    let mut merged = into.iter().map(Option::is_some);
    retain_with_keys(entries, keys, |_, _| !merged.next().unwrap_or(false));
}

/// Keeps the entries (and their keys beside them) that `keep` accepts, in place.
fn retain_with_keys(
    entries: &mut Vec<Entry>,
    keys: &mut Vec<Option<String>>,
    mut keep: impl FnMut(&Entry, &Option<String>) -> bool,
) {
    let mut verdicts = Vec::with_capacity(entries.len());
    for (e, k) in entries.iter().zip(keys.iter()) {
        verdicts.push(keep(e, k));
    }
    let mut v = verdicts.iter();
    entries.retain(|_| *v.next().unwrap_or(&false));
    let mut v = verdicts.iter();
    keys.retain(|_| *v.next().unwrap_or(&false));
}

/// The names an import needs that the library lacks.
struct Plan {
    new_profiles: Vec<String>,
    new_folders: usize,
    new_tags: Vec<String>,
    new_categories: Vec<String>,
}

/// A folder as the import names it: its profile (by name, or the target) and its path.
type FolderKey = (Option<String>, Arc<[String]>);

impl Plan {
    fn new(
        names: &Names,
        profile_id: i64,
        folder_id: Option<i64>,
        folders: &[FolderEntry],
        entries: &[Entry],
        profiles: &[String],
    ) -> Plan {
        let profile_ids: HashMap<&str, i64> = names
            .profiles
            .iter()
            .map(|p| (p.name.as_str(), p.id))
            .collect();
        let mut new_profiles: Vec<String> = Vec::new();
        let wanted_profiles = profiles
            .iter()
            .map(String::as_str)
            .chain(entries.iter().filter_map(|e| e.profile.as_deref()));
        for name in wanted_profiles {
            if !profile_ids.contains_key(name) && !new_profiles.iter().any(|p| p == name) {
                new_profiles.push(name.to_owned());
            }
        }
        // Folders: every prefix of every path, under the import's root.
        let children: HashMap<(i64, Option<i64>, &str), i64> = names
            .folders
            .iter()
            .map(|f| ((f.profile_id, f.parent_id, f.name.as_str()), f.id))
            .collect();
        let mut seen: HashSet<FolderKey> = HashSet::new();
        let mut new_folders = 0;
        let mut shortened = false;
        let paths = folders
            .iter()
            .map(|f| {
                let path: Arc<[String]> = f
                    .path
                    .iter()
                    .map(|n| folder_name(n, &mut shortened))
                    .collect();
                (f.profile.clone(), path)
            })
            .chain(
                entries
                    .iter()
                    .filter(|e| !e.folder.is_empty())
                    .map(|e| (e.profile.clone(), e.folder.clone())),
            );
        for (profile, path) in paths {
            let pid = match &profile {
                Some(name) => profile_ids.get(name.as_str()).copied(),
                None => Some(profile_id),
            };
            let root = if profile.is_some() { None } else { folder_id };
            let mut parent = pid.map(|p| (p, root));
            for depth in 1..=path.len() {
                let key: FolderKey = (profile.clone(), path[..depth].into());
                let existing = parent.and_then(|(p, under)| {
                    children.get(&(p, under, path[depth - 1].as_str())).copied()
                });
                parent = existing.zip(pid).map(|(id, p)| (p, Some(id)));
                if existing.is_none() && seen.insert(key) {
                    new_folders += 1;
                }
            }
        }
        // Names that differ only in case are one label; the first spelling met wins.
        let new_labels = |existing: Vec<String>, wanted: &mut dyn Iterator<Item = &str>| {
            let mut seen: HashSet<String> =
                existing.into_iter().map(|n| n.to_lowercase()).collect();
            let mut out: Vec<String> = Vec::new();
            for name in wanted {
                if seen.insert(name.to_lowercase()) {
                    out.push(name.to_owned());
                }
            }
            out
        };
        let new_tags = new_labels(
            names.tags.iter().map(|t| t.name.clone()).collect(),
            &mut entries
                .iter()
                .flat_map(|e| e.tags.iter().map(String::as_str)),
        );
        let new_categories = new_labels(
            names.categories.iter().map(|t| t.name.clone()).collect(),
            &mut entries.iter().filter_map(|e| e.category.as_deref()),
        );
        Plan {
            new_profiles,
            new_folders,
            new_tags,
            new_categories,
        }
    }
}

/// The IDs of every name the items refer to, once the names exist.
struct Resolved {
    profile_id: i64,
    folder_id: Option<i64>,
    profiles: HashMap<String, i64>,
    folders: HashMap<FolderKey, i64>,
    tags: HashMap<String, i64>,
    categories: HashMap<String, i64>,
    now: DateTime<Utc>,
}

impl Resolved {
    fn item(&self, e: &Entry) -> Imported {
        let profile_id = e
            .profile
            .as_ref()
            .and_then(|p| self.profiles.get(p).copied())
            .unwrap_or(self.profile_id);
        let folder_id = if e.folder.is_empty() {
            if e.profile.is_some() {
                None
            } else {
                self.folder_id
            }
        } else {
            self.folders
                .get(&(e.profile.clone(), e.folder.clone()))
                .copied()
        };
        let kind = e.kind.unwrap_or(ItemKind::Bookmark);
        let created_at = e.created_at.unwrap_or(self.now);
        let updated_at = e.updated_at.unwrap_or(created_at).max(created_at);
        let fields = ItemFields {
            profile_id,
            folder_id,
            category_id: e
                .category
                .as_ref()
                .and_then(|c| self.categories.get(&c.to_lowercase()).copied()),
            tag_ids: e
                .tags
                .iter()
                .filter_map(|t| self.tags.get(&t.to_lowercase()).copied())
                .collect(),
            title: e.title.clone(),
            url: e.url.clone(),
            memo: e.memo.clone(),
            description: Some(e.description.clone()),
            status: e.status.unwrap_or_else(|| default_status(kind)),
            priority: e.priority.unwrap_or(Priority::Mid),
            favorite: e.favorite,
            schedule_start: e.schedule_start,
            schedule_end: e.schedule_end,
            reminder_at: e.reminder_at,
            ..new_fields(profile_id.into(), kind)
        };
        Imported {
            fields,
            archived_at: e
                .archived
                .then(|| e.archived_at.or(e.updated_at).unwrap_or(updated_at)),
            trashed_at: e.trashed_at,
            reading_progress: e.reading_progress.unwrap_or(0).clamp(0, 100),
            created_at,
            updated_at,
        }
    }
}

/// The IDs of a kind of label by lower-cased name: the `existing` ones, and the `missing`
/// ones created (with the colour the file gave them, else grey).
async fn ensure_labels(
    tx: &crate::db::WriteTx,
    user: i64,
    kind: LabelKind,
    existing: impl Iterator<Item = (&str, i64)>,
    missing: &[String],
    given: &[LabelEntry],
) -> CoreResult<HashMap<String, i64>> {
    let mut ids: HashMap<String, i64> = existing.map(|(n, id)| (n.to_lowercase(), id)).collect();
    let colors: HashMap<String, &str> = given
        .iter()
        .filter(|l| crate::domain::is_color(&l.color))
        .map(|l| (l.name.to_lowercase(), l.color.as_str()))
        .collect();
    for name in missing {
        let lower = name.to_lowercase();
        let color = colors
            .get(&lower)
            .map_or(NewTags::DEFAULT_COLOR.to_owned(), |c| c.to_lowercase());
        let id = store::ensure_label(tx, user, kind, name, &color, &ids).await?;
        ids.insert(lower, id);
    }
    Ok(ids)
}

/// What the file names besides its entries' own fields.
#[derive(Clone, Copy)]
struct Named<'a> {
    folders: &'a [FolderEntry],
    tags: &'a [LabelEntry],
    categories: &'a [LabelEntry],
    entries: &'a [Entry],
}

/// Creates the profiles, folders, tags and categories the import needs, in one transaction.
/// The names are read again inside it: another import (or a request) may have created some
/// since the plan was made.
async fn write_names(
    state: &AppState,
    user: i64,
    plan: &Plan,
    named: Named<'_>,
    profile_id: i64,
    folder_id: Option<i64>,
) -> CoreResult<Resolved> {
    let tx = state.db.write_for(user).await?;
    let names = store::names(&*tx, user).await?;
    let mut profiles: HashMap<String, i64> = names
        .profiles
        .iter()
        .map(|p| (p.name.clone(), p.id))
        .collect();
    for name in &plan.new_profiles {
        let id = store::ensure_profile(&tx, user, name).await?;
        profiles.insert(name.clone(), id);
    }
    let tags = ensure_labels(
        &tx,
        user,
        LabelKind::Tag,
        names.tags.iter().map(|t| (t.name.as_str(), t.id)),
        &plan.new_tags,
        named.tags,
    )
    .await?;
    let categories = ensure_labels(
        &tx,
        user,
        LabelKind::Category,
        names.categories.iter().map(|c| (c.name.as_str(), c.id)),
        &plan.new_categories,
        named.categories,
    )
    .await?;
    // Folders: the file's own list first (its order, empty folders and memos), then any
    // path an entry names that the list lacked.
    let mut folders: HashMap<FolderKey, i64> = HashMap::new();
    let mut shortened = false;
    let mut wanted: Vec<(Option<String>, Path, &str)> = named
        .folders
        .iter()
        .map(|f| {
            let path = f
                .path
                .iter()
                .map(|n| folder_name(n, &mut shortened))
                .collect();
            (f.profile.clone(), path, f.memo.as_str())
        })
        .collect();
    let mut listed: HashSet<FolderKey> = wanted
        .iter()
        .map(|(p, path, _)| (p.clone(), path.clone()))
        .collect();
    // Entries' folders were cut to their limits by `check`.
    for e in named.entries.iter().filter(|e| !e.folder.is_empty()) {
        let key = (e.profile.clone(), e.folder.clone());
        if listed.insert(key.clone()) {
            wanted.push((key.0, key.1, ""));
        }
    }
    for (profile, path, memo) in wanted {
        let pid = match &profile {
            Some(name) => profiles.get(name).copied().unwrap_or(profile_id),
            None => profile_id,
        };
        let mut parent = if profile.is_some() { None } else { folder_id };
        for depth in 1..=path.len() {
            let key: FolderKey = (profile.clone(), path[..depth].into());
            let id = match folders.get(&key) {
                Some(id) => *id,
                None => {
                    let memo = if depth == path.len() { memo } else { "" };
                    let memo: String = memo.chars().take(text::MEMO.max).collect();
                    let id = store::ensure_folder(&tx, user, pid, parent, &path[depth - 1], &memo)
                        .await?;
                    folders.insert(key, id);
                    id
                }
            };
            parent = Some(id);
        }
    }
    tx.commit().await?;
    Ok(Resolved {
        profile_id,
        folder_id,
        profiles,
        folders,
        tags,
        categories,
        now: now(),
    })
}

/// Runs the follow-up job of an import's batch (`store::transfer::FOLLOW_UP`).
pub async fn follow_up(state: &AppState, job: &crate::entity::job::Model) -> Result<(), JobError> {
    let payload: serde_json::Value = serde_json::from_str(&job.payload)
        .map_err(|e| JobError::Permanent(format!("malformed payload: {e}")))?;
    let items: Vec<i64> = payload["items"]
        .as_array()
        .map(|a| a.iter().filter_map(serde_json::Value::as_i64).collect())
        .ok_or_else(|| JobError::Permanent("payload without items".into()))?;
    store::follow_up(&state.db, &items).await?;
    Ok(())
}

/// The library to export: its names, then its items a page at a time.
pub async fn names(state: &AppState, owner: Owner) -> CoreResult<Names> {
    store::names(state.db.read(), owner.id()).await
}

/// One page of the items in a folder (or, with `folder` `None`, of a profile's top level),
/// in manual order, after the previous page's last item, with each item's tag IDs.
pub async fn items_in(
    state: &AppState,
    owner: Owner,
    profile_id: i64,
    folder_id: Option<i64>,
    after: Option<&item::Model>,
    limit: u64,
) -> CoreResult<Vec<(item::Model, Vec<i64>)>> {
    let rows = store::items_in(
        &state.db,
        owner.id(),
        profile_id,
        folder_id,
        after.map(|m| (m.position.as_str(), m.id)),
        limit,
    )
    .await?;
    let ids: Vec<i64> = rows.iter().map(|m| m.id).collect();
    let mut tags = store::tag_ids(&state.db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|m| {
            let t = tags.remove(&m.id).unwrap_or_default();
            (m, t)
        })
        .collect())
}
