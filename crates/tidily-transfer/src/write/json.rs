//! Our own JSON (`crate::native`), written as a stream: the names first, then the items.

use tidily_core::{domain::now, entity::profile, store::transfer::Names};

use super::{Row, Writer};
use crate::native;

#[derive(Default)]
pub struct Json {
    items: u64,
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    // Our own types, all serialisable: a failure would be a bug, written as `null`.
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

impl Writer for Json {
    fn head(&mut self, names: &Names, profiles: &[&profile::Model]) -> String {
        let label = |name: &str, color: &str| native::Label {
            name: name.to_owned(),
            color: color.to_owned(),
        };
        let profiles: Vec<native::Profile> = profiles
            .iter()
            .map(|p| native::Profile {
                name: p.name.clone(),
                folders: names
                    .folder_tree(p.id)
                    .into_iter()
                    .map(|(f, path)| native::Folder {
                        path,
                        memo: f.memo.clone(),
                    })
                    .collect(),
            })
            .collect();
        let tags: Vec<native::Label> = names
            .tags
            .iter()
            .map(|t| label(&t.name, &t.color))
            .collect();
        let categories: Vec<native::Label> = names
            .categories
            .iter()
            .map(|c| label(&c.name, &c.color))
            .collect();
        format!(
            "{{\"format\":{},\"version\":{},\"exported_at\":{},\n\"profiles\":{},\n\"tags\":{},\n\"categories\":{},\n\"items\":[",
            to_json(&native::FORMAT),
            native::VERSION,
            to_json(&now()),
            to_json(&profiles),
            to_json(&tags),
            to_json(&categories),
        )
    }

    fn item(&mut self, row: &Row<'_>) -> String {
        let m = row.item;
        let item = native::Item {
            profile: row.profile.to_owned(),
            folder: row.folder.to_vec(),
            kind: m.kind,
            title: m.title.clone(),
            url: m.url.clone(),
            memo: m.memo.clone(),
            description: m.description.clone(),
            category: row.category.map(str::to_owned),
            tags: row.tags.iter().map(|t| (*t).to_owned()).collect(),
            status: m.status,
            priority: m.priority,
            favorite: m.favorite,
            schedule_start: m.schedule_start,
            schedule_end: m.schedule_end,
            reminder_at: m.reminder_at,
            archived_at: m.archived_at,
            trashed_at: m.trashed_at,
            reading_progress: m.reading_progress,
            position: m.position.clone(),
            created_at: m.created_at,
            updated_at: m.updated_at,
        };
        let sep = if self.items == 0 { "\n" } else { ",\n" };
        self.items += 1;
        format!("{sep}{}", to_json(&item))
    }

    fn tail(&mut self) -> String {
        "\n]}\n".into()
    }
}
