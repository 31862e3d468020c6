//! JSON files: our own export, Pinboard's backup (`posts/all`), Karakeep's and Linkwarden's
//! exports. In these the report's "line" is the entry's number in the file.

use std::collections::HashMap;

use serde::Deserialize;
use tidily_core::domain::{
    transfer::{distinct_tags, Entry, FolderEntry, Format, LabelEntry, Parsed, SkipReason},
    ItemKind,
};

use super::ReadError;
use crate::{dates, native};

pub fn read(text: &str) -> Result<Parsed, ReadError> {
    let head: String = text.chars().take(512).collect();
    if head.starts_with('[') {
        pinboard(text)
    } else if head.contains(&format!("\"{}\"", native::FORMAT)) {
        ours(text)
    } else if text.contains("\"bookmarks\"") {
        karakeep(text)
    } else if text.contains("\"collections\"") {
        linkwarden(text)
    } else {
        Err(ReadError::Unrecognised)
    }
}

fn parse<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, ReadError> {
    serde_json::from_str(text).map_err(|e| ReadError::Json(e.to_string()))
}

fn line(i: usize) -> u32 {
    u32::try_from(i + 1).unwrap_or(u32::MAX)
}

fn ours(text: &str) -> Result<Parsed, ReadError> {
    let file: native::File = parse(text)?;
    if file.format != native::FORMAT || file.version != native::VERSION {
        return Err(ReadError::Json(format!(
            "a {} file of version {}: this server reads version {}",
            file.format,
            file.version,
            native::VERSION
        )));
    }
    let mut parsed = Parsed::new(Format::Tidily);
    for profile in file.profiles {
        parsed
            .folders
            .extend(profile.folders.into_iter().map(|f| FolderEntry {
                profile: Some(profile.name.clone()),
                path: f.path,
                memo: f.memo,
            }));
        parsed.profiles.push(profile.name);
    }
    let label = |l: native::Label| LabelEntry {
        name: l.name,
        color: l.color,
    };
    parsed.tags = file.tags.into_iter().map(label).collect();
    parsed.categories = file.categories.into_iter().map(label).collect();
    for (i, item) in file.items.into_iter().enumerate() {
        parsed.push_link(Entry {
            line: line(i),
            url: item.url,
            title: item.title,
            description: item.description,
            memo: item.memo,
            tags: item.tags,
            profile: Some(item.profile),
            folder: item.folder.into(),
            category: item.category,
            kind: Some(item.kind),
            status: Some(item.status),
            priority: Some(item.priority),
            favorite: item.favorite,
            archived: item.archived_at.is_some(),
            archived_at: item.archived_at,
            trashed_at: item.trashed_at,
            schedule_start: item.schedule_start,
            schedule_end: item.schedule_end,
            reminder_at: item.reminder_at,
            reading_progress: Some(item.reading_progress),
            created_at: Some(item.created_at),
            updated_at: Some(item.updated_at),
            order: Some(item.position),
        });
    }
    Ok(parsed)
}

/// Pinboard's `posts/all`: `description` is the title, `extended` the description, tags are
/// space-separated.
fn pinboard(text: &str) -> Result<Parsed, ReadError> {
    #[derive(Deserialize)]
    struct Post {
        href: Option<String>,
        #[serde(default)]
        description: String,
        #[serde(default)]
        extended: String,
        #[serde(default)]
        time: String,
        #[serde(default)]
        toread: String,
        #[serde(default)]
        tags: String,
    }
    let posts: Vec<serde_json::Value> = parse(text)?;
    let mut parsed = Parsed::new(Format::PinboardJson);
    for (i, value) in posts.into_iter().enumerate() {
        let Ok(post) = serde_json::from_value::<Post>(value) else {
            parsed.skip_line(line(i), SkipReason::Malformed);
            continue;
        };
        let tags = distinct_tags(post.tags.split_whitespace());
        parsed.push_link(Entry {
            line: line(i),
            url: post.href,
            title: post.description,
            description: post.extended,
            tags,
            kind: (post.toread == "yes").then_some(ItemKind::ReadingList),
            created_at: dates::any(&post.time),
            ..Entry::default()
        });
    }
    Ok(parsed)
}

/// Karakeep: lists become folders (the first list a bookmark is in), text bookmarks notes.
fn karakeep(text: &str) -> Result<Parsed, ReadError> {
    #[derive(Deserialize)]
    struct File {
        bookmarks: Vec<serde_json::Value>,
        #[serde(default)]
        lists: Vec<List>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct List {
        id: String,
        name: String,
        #[serde(default)]
        parent_id: Option<String>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Bookmark {
        #[serde(default)]
        created_at: Option<serde_json::Value>,
        #[serde(default)]
        title: Option<String>,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        lists: Vec<String>,
        #[serde(default)]
        content: Option<Content>,
        #[serde(default)]
        note: Option<String>,
        #[serde(default)]
        archived: bool,
    }
    #[derive(Deserialize)]
    #[serde(tag = "type", rename_all = "lowercase")]
    enum Content {
        Link {
            url: String,
        },
        Text {
            text: String,
        },
        #[serde(other)]
        Other,
    }
    let file: File = parse(text)?;
    let by_id: HashMap<&str, &List> = file.lists.iter().map(|l| (l.id.as_str(), l)).collect();
    let path_of = |id: &str| {
        let mut path = Vec::new();
        let mut at = by_id.get(id).copied();
        while let Some(list) = at {
            if path.len() > super::netscape::DEPTH_MAX {
                break;
            }
            path.push(list.name.clone());
            at = list
                .parent_id
                .as_deref()
                .and_then(|p| by_id.get(p).copied());
        }
        path.reverse();
        path
    };
    let mut parsed = Parsed::new(Format::KarakeepJson);
    parsed.folders = file
        .lists
        .iter()
        .map(|l| FolderEntry {
            profile: None,
            path: path_of(&l.id),
            memo: String::new(),
        })
        .collect();
    parsed.folders.sort_by_key(|f| f.path.len());
    for (i, value) in file.bookmarks.into_iter().enumerate() {
        let Ok(b) = serde_json::from_value::<Bookmark>(value) else {
            parsed.skip_line(line(i), SkipReason::Malformed);
            continue;
        };
        let created = b.created_at.as_ref().and_then(|v| match v {
            serde_json::Value::Number(n) => dates::unix(&n.to_string()),
            serde_json::Value::String(s) => dates::any(s),
            _ => None,
        });
        let mut entry = Entry {
            line: line(i),
            title: b.title.unwrap_or_default(),
            memo: b.note.unwrap_or_default(),
            tags: b.tags,
            folder: b
                .lists
                .first()
                .map(|l| path_of(l))
                .unwrap_or_default()
                .into(),
            archived: b.archived,
            created_at: created,
            ..Entry::default()
        };
        match b.content {
            Some(Content::Link { url }) => entry.url = Some(url),
            Some(Content::Text { text }) => {
                if entry.title.is_empty() {
                    entry.title = text
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .chars()
                        .take(200)
                        .collect();
                }
                entry.memo = [text, entry.memo].join("\n\n").trim().to_owned();
            }
            _ => {
                parsed.skip(&entry, SkipReason::Malformed);
                continue;
            }
        }
        parsed.push_link(entry);
    }
    Ok(parsed)
}

/// Linkwarden: collections (nested by `parentId`) become folders.
fn linkwarden(text: &str) -> Result<Parsed, ReadError> {
    #[derive(Deserialize)]
    struct File {
        collections: Vec<Collection>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Collection {
        id: i64,
        name: String,
        #[serde(default)]
        description: String,
        #[serde(default)]
        parent_id: Option<i64>,
        #[serde(default)]
        links: Vec<serde_json::Value>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Link {
        #[serde(default)]
        name: String,
        url: Option<String>,
        #[serde(default)]
        description: String,
        #[serde(default)]
        created_at: Option<String>,
        #[serde(default)]
        import_date: Option<String>,
        #[serde(default)]
        tags: Vec<Tag>,
    }
    #[derive(Deserialize)]
    struct Tag {
        name: String,
    }
    let file: File = parse(text)?;
    let by_id: HashMap<i64, &Collection> = file.collections.iter().map(|c| (c.id, c)).collect();
    let path_of = |id: i64| {
        let mut path = Vec::new();
        let mut at = by_id.get(&id).copied();
        while let Some(c) = at {
            if path.len() > super::netscape::DEPTH_MAX {
                break;
            }
            path.push(c.name.clone());
            at = c.parent_id.and_then(|p| by_id.get(&p).copied());
        }
        path.reverse();
        path
    };
    let mut parsed = Parsed::new(Format::LinkwardenJson);
    let mut n = 0;
    let mut folders: Vec<FolderEntry> = Vec::new();
    for c in &file.collections {
        let path = path_of(c.id);
        let shared: std::sync::Arc<[String]> = path.as_slice().into();
        folders.push(FolderEntry {
            profile: None,
            path: path.clone(),
            memo: c.description.clone(),
        });
        for value in &c.links {
            n += 1;
            let Ok(link) = serde_json::from_value::<Link>(value.clone()) else {
                parsed.skip_line(line(n - 1), SkipReason::Malformed);
                continue;
            };
            let date = link.import_date.or(link.created_at);
            parsed.push_link(Entry {
                line: line(n - 1),
                url: link.url,
                title: link.name,
                description: link.description,
                tags: link.tags.into_iter().map(|t| t.name).collect(),
                folder: shared.clone(),
                created_at: date.as_deref().and_then(dates::any),
                ..Entry::default()
            });
        }
    }
    folders.sort_by_key(|f| f.path.len());
    parsed.folders = folders;
    Ok(parsed)
}
