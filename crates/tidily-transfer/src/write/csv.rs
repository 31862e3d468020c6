//! A spreadsheet of the items (trash left out): one row each, tags joined by `|`, the folder
//! path by ` / `.

use tidily_core::{entity::profile, store::transfer::Names};

use super::{Row, Writer};

pub struct Csv;

const HEADER: [&str; 15] = [
    "url",
    "title",
    "description",
    "memo",
    "tags",
    "folder",
    "profile",
    "category",
    "kind",
    "status",
    "priority",
    "favorite",
    "archived",
    "created_at",
    "updated_at",
];

fn record<'a>(fields: impl IntoIterator<Item = &'a str>) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    // Writing into memory cannot fail.
    let _ = w.write_record(fields);
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl Writer for Csv {
    fn head(&mut self, _names: &Names, _profiles: &[&profile::Model]) -> String {
        // A byte-order mark, so that spreadsheet programs read the Japanese as UTF-8.
        format!("\u{feff}{}", record(HEADER))
    }

    fn item(&mut self, row: &Row<'_>) -> String {
        let m = row.item;
        if m.trashed_at.is_some() {
            return String::new();
        }
        let time =
            |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let fields = [
            m.url.clone().unwrap_or_default(),
            m.title.clone(),
            m.description.clone(),
            m.memo.clone(),
            row.tags.join("|"),
            row.folder.join(" / "),
            row.profile.to_owned(),
            row.category.unwrap_or_default().to_owned(),
            name(&m.kind),
            name(&m.status),
            name(&m.priority),
            m.favorite.to_string(),
            m.archived_at.is_some().to_string(),
            time(m.created_at),
            time(m.updated_at),
        ];
        record(fields.iter().map(String::as_str))
    }

    fn tail(&mut self) -> String {
        String::new()
    }
}
