//! The CSV exports of Pocket (2025, and the 2024 parts with a `cursor` column), Instapaper
//! (with and without timestamps and tags), Raindrop.io and Readwise Reader. Columns are
//! found by their header, never by position, and the format by which headers are there.

use std::collections::HashMap;

use tidily_core::domain::{
    transfer::{distinct_tags, Entry, Format, Parsed, SkipReason},
    ItemKind, Status,
};

use super::ReadError;
use crate::dates;

/// Reads a CSV file whose header names one of the formats.
pub fn read(text: &str) -> Result<Parsed, ReadError> {
    let mut rows = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = rows.headers().map_err(|_| ReadError::Unrecognised)?.clone();
    let columns: HashMap<String, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().trim_start_matches('\u{feff}').to_lowercase(), i))
        .collect();
    let has = |name: &str| columns.contains_key(name);
    let format = if has("time_added") {
        Format::PocketCsv
    } else if has("selection") && has("folder") {
        Format::InstapaperCsv
    } else if has("excerpt") && has("note") {
        Format::RaindropCsv
    } else if has("document tags") || has("location") && has("saved date") {
        Format::ReadwiseCsv
    } else {
        return Err(ReadError::Unrecognised);
    };
    let url_column = *columns.get("url").ok_or(ReadError::MissingColumn("url"))?;
    let mut parsed = Parsed::new(format);
    for row in rows.records() {
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as u32);
                parsed.skip_line(line, SkipReason::Malformed);
                continue;
            }
        };
        let line = row.position().map_or(0, |p| p.line() as u32);
        if row.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |name: &str| {
            columns
                .get(name)
                .and_then(|i| row.get(*i))
                .map(str::trim)
                .unwrap_or_default()
        };
        let mut entry = Entry {
            line,
            url: Some(row.get(url_column).unwrap_or_default().trim().to_owned())
                .filter(|u| !u.is_empty()),
            title: get("title").to_owned(),
            ..Entry::default()
        };
        if row.len() != headers.len() {
            parsed.skip(&entry, SkipReason::Malformed);
            continue;
        }
        let keep = match format {
            Format::PocketCsv => pocket(&mut entry, get),
            Format::InstapaperCsv => instapaper(&mut entry, get),
            Format::RaindropCsv => raindrop(&mut entry, get),
            _ => readwise(&mut entry, get),
        };
        match keep {
            Ok(()) => parsed.push_link(entry),
            Err(reason) => parsed.skip(&entry, reason),
        }
    }
    Ok(parsed)
}

fn read_later(entry: &mut Entry) {
    entry.kind = Some(ItemKind::ReadingList);
}

fn finished(entry: &mut Entry) {
    entry.status = Some(Status::Done);
    entry.archived = true;
}

fn pocket<'a>(entry: &mut Entry, get: impl Fn(&str) -> &'a str) -> Result<(), SkipReason> {
    read_later(entry);
    entry.created_at = dates::unix(get("time_added"));
    entry.tags = split_tags(get("tags"), '|');
    if get("status") == "archive" {
        finished(entry);
    }
    Ok(())
}

fn instapaper<'a>(entry: &mut Entry, get: impl Fn(&str) -> &'a str) -> Result<(), SkipReason> {
    read_later(entry);
    entry.memo = get("selection").to_owned();
    entry.created_at = dates::unix(get("timestamp"));
    entry.tags = json_list(get("tags"));
    match get("folder") {
        "" | "Unread" => {}
        "Archive" => finished(entry),
        "Starred" => entry.favorite = true,
        folder => entry.folder = [folder.to_owned()].into(),
    }
    Ok(())
}

fn raindrop<'a>(entry: &mut Entry, get: impl Fn(&str) -> &'a str) -> Result<(), SkipReason> {
    entry.memo = get("note").to_owned();
    let highlights = get("highlights");
    if !highlights.is_empty() {
        if !entry.memo.is_empty() {
            entry.memo.push_str("\n\n");
        }
        entry.memo.push_str(highlights);
    }
    entry.description = get("excerpt").to_owned();
    entry.tags = split_tags(get("tags"), ',');
    entry.created_at = dates::any(get("created"));
    entry.favorite = get("favorite") == "true";
    let folder = get("folder");
    if !folder.is_empty() && folder != "Unsorted" {
        entry.folder = folder.split(" / ").map(|p| p.trim().to_owned()).collect();
    }
    Ok(())
}

fn readwise<'a>(entry: &mut Entry, get: impl Fn(&str) -> &'a str) -> Result<(), SkipReason> {
    read_later(entry);
    entry.created_at = dates::any(get("saved date"));
    let mut tags = python_list(get("document tags"));
    if let Some(i) = tags.iter().position(|t| t == "favorite") {
        tags.remove(i);
        entry.favorite = true;
    }
    entry.tags = tags;
    if let Ok(progress) = get("reading progress").parse::<f64>() {
        // A fraction of the document (0-1).
        let percent = if progress <= 1.0 {
            progress * 100.0
        } else {
            progress
        };
        entry.reading_progress = Some(percent.clamp(0.0, 100.0).round() as i32);
        if (1..100).contains(&entry.reading_progress.unwrap_or(0)) {
            entry.status = Some(Status::InProgress);
        }
    }
    match get("location") {
        "archive" => finished(entry),
        "feed" => return Err(SkipReason::Feed),
        _ => {}
    }
    Ok(())
}

/// Tags joined by `sep`, trimmed, without empties or repeats (ignoring case).
fn split_tags(value: &str, sep: char) -> Vec<String> {
    distinct_tags(value.split(sep))
}

/// Instapaper's tags: a JSON array of names.
fn json_list(value: &str) -> Vec<String> {
    serde_json::from_str::<Vec<String>>(value)
        .map(distinct_tags)
        .unwrap_or_else(|_| split_tags(value.trim_matches(|c| c == '[' || c == ']'), ','))
}

/// Readwise's tags: a Python list, `['a', "don't", 'peanut, butter']`: quoted strings (either
/// quote, backslash escapes) between brackets.
fn python_list(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\'' && c != '"' {
            continue;
        }
        let mut item = String::new();
        while let Some(d) = chars.next() {
            match d {
                '\\' => item.extend(chars.next()),
                d if d == c => break,
                d => item.push(d),
            }
        }
        out.push(item);
    }
    distinct_tags(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_lists() {
        assert_eq!(
            python_list(r#"["don't", 'favorite', 'peanut, butter', 'it\'s']"#),
            ["don't", "favorite", "peanut, butter", "it's"]
        );
        assert!(python_list("").is_empty());
        assert!(python_list("[]").is_empty());
    }
}
