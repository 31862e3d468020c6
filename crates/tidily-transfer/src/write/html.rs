//! Netscape bookmark HTML as Firefox and Chrome write it (and read it back): folders as
//! `<H3>` with their `<DL>`, links with `ADD_DATE`, `LAST_MODIFIED` and `TAGS`, unread
//! reading-list entries with `TOREAD="1"` (as linkding and Pinboard mark them), the
//! description as `<DD>`. Items without a link and items in the trash are left out; a comma
//! inside a tag name (which `TAGS` cannot carry) becomes a space. Our JSON is the lossless
//! format.

use tidily_core::{
    domain::{ItemKind, Status},
    entity::{folder, profile},
    store::transfer::Names,
};

use super::{Row, Writer};

#[derive(Default)]
pub struct Html {
    /// The folder path whose `<DL>`s are open (profiles included when there are several).
    open: Vec<String>,
    /// The depth the current profile's own folders start at.
    base: usize,
}

fn text(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn indent(depth: usize) -> String {
    "    ".repeat(depth + 1)
}

impl Html {
    /// Closes open folders until `depth` remain.
    fn close_to(&mut self, depth: usize) -> String {
        let mut out = String::new();
        while self.open.len() > depth {
            self.open.pop();
            out.push_str(&indent(self.open.len()));
            out.push_str("</DL><p>\n");
        }
        out
    }

    fn open(&mut self, name: &str, created: i64, modified: i64) -> String {
        let out = format!(
            "{}<DT><H3 ADD_DATE=\"{created}\" LAST_MODIFIED=\"{modified}\">{}</H3>\n{}<DL><p>\n",
            indent(self.open.len()),
            text(name),
            indent(self.open.len()),
        );
        self.open.push(name.to_owned());
        out
    }
}

impl Writer for Html {
    fn head(&mut self, _names: &Names, _profiles: &[&profile::Model]) -> String {
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n\
         <!-- This is an automatically generated file.\n     It will be read and overwritten.\n     DO NOT EDIT! -->\n\
         <META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=UTF-8\">\n\
         <TITLE>Bookmarks</TITLE>\n<H1>Bookmarks</H1>\n<DL><p>\n"
            .into()
    }

    fn profile(&mut self, profile: &profile::Model, of_many: bool) -> String {
        let mut out = self.close_to(0);
        if of_many {
            let t = profile.created_at.timestamp();
            out.push_str(&self.open(&profile.name, t, profile.updated_at.timestamp()));
        }
        self.base = self.open.len();
        out
    }

    fn folder(&mut self, folder: &folder::Model, path: &[String]) -> String {
        let mut out = self.close_to(self.base + path.len() - 1);
        out.push_str(&self.open(
            &folder.name,
            folder.created_at.timestamp(),
            folder.updated_at.timestamp(),
        ));
        out
    }

    fn item(&mut self, row: &Row<'_>) -> String {
        let m = row.item;
        let (Some(url), None) = (&m.url, m.trashed_at) else {
            return String::new();
        };
        let mut attrs = format!(
            "HREF=\"{}\" ADD_DATE=\"{}\" LAST_MODIFIED=\"{}\"",
            text(url),
            m.created_at.timestamp(),
            m.updated_at.timestamp()
        );
        if !row.tags.is_empty() {
            let tags: Vec<String> = row.tags.iter().map(|t| t.replace(',', " ")).collect();
            attrs.push_str(&format!(" TAGS=\"{}\"", text(&tags.join(","))));
        }
        if m.kind == ItemKind::ReadingList && m.status != Status::Done {
            attrs.push_str(" TOREAD=\"1\"");
        }
        let mut out = format!(
            "{}<DT><A {attrs}>{}</A>\n",
            indent(self.open.len()),
            text(&m.title)
        );
        if !m.description.is_empty() {
            out.push_str(&format!(
                "{}<DD>{}\n",
                indent(self.open.len()),
                text(&m.description)
            ));
        }
        out
    }

    fn end_profile(&mut self) -> String {
        self.close_to(0)
    }

    fn tail(&mut self) -> String {
        let mut out = self.close_to(0);
        out.push_str("</DL>\n");
        out
    }
}
