//! Netscape bookmark HTML, as Firefox, Chrome/Edge, Safari, linkding, Pinboard, Delicious,
//! Karakeep and Raindrop write it, and Pocket's old `ril_export.html`.
//!
//! There is no grammar to follow (unclosed `<DT>` and `<p>`, no root `<DL>` in Safari's,
//! `</DL></p>` in Pinboard's), so the file is tokenized as HTML (WHATWG rules: an `&copy=`
//! inside an `href` stays as written) and read with a folder stack of our own: a `<DL>`
//! after an `<H3>` opens that folder, `</DL>` closes it. A file of 100,000 nested lists costs
//! a stack of small entries, and paths stop growing at [`DEPTH_MAX`].

use html5gum::{DefaultEmitter, Token, Tokenizer};
use tidily_core::domain::{
    transfer::{distinct_tags, Entry, FolderEntry, Format, Parsed, SkipReason},
    ItemKind, Status,
};

use crate::dates;

/// The deepest folder path kept; deeper folders' links land in the folder at this depth.
pub const DEPTH_MAX: usize = 32;

/// linkding marks an archived bookmark with this tag.
const LINKDING_ARCHIVED: &str = "linkding:bookmarks.archived";

/// Whether `text` (the file's start) is bookmark HTML.
pub fn looks_like(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    [
        "<!doctype",
        "<html",
        "<meta",
        "<title",
        "<dl",
        "<dt",
        "<h1",
        "<a ",
        "<!--",
    ]
    .iter()
    .any(|tag| head.contains(tag))
}

/// What a folder heading said about its folder.
#[derive(Debug, Default)]
struct Heading {
    name: String,
    /// The bookmarks bar (`PERSONAL_TOOLBAR_FOLDER`): its links are the top of the import.
    toolbar: bool,
    /// Safari's Reading List (`id="com.apple.ReadingList"`): reading-list items, no folder.
    reading_list: bool,
}

/// One open `<DL>`.
#[derive(Debug)]
struct Level {
    /// It added a name to the current path (popped with it).
    named: bool,
    reading_list: bool,
}

/// Which text the tokens are currently adding to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Into {
    Nothing,
    Title,
    Heading,
    H1,
    Anchor,
    Description,
}

struct Reader {
    parsed: Parsed,
    /// The folder path the reader is in, shared by the entries read in it.
    path: std::sync::Arc<[String]>,
    levels: Vec<Level>,
    heading: Option<Heading>,
    /// The link being read, until its description (if any) has been read too.
    open: Option<Entry>,
    /// The open link is a live bookmark (`FEEDURL`): skipped, not imported.
    open_is_feed: bool,
    into: Into,
    text: String,
    /// Pocket's export: the section the links are in ("Unread", then "Read Archive").
    pocket_read: bool,
}

pub fn read(text: &str) -> Parsed {
    let mut reader = Reader {
        parsed: Parsed::new(Format::Netscape),
        path: std::sync::Arc::from([]),
        levels: Vec::new(),
        heading: None,
        open: None,
        open_is_feed: false,
        into: Into::Nothing,
        text: String::new(),
        pocket_read: false,
    };
    let mut lines = Lines::new(text.as_bytes());
    let emitter = DefaultEmitter::<usize>::new_with_span();
    for token in Tokenizer::new_with_emitter(text.as_bytes(), emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let line = lines.at(tag.span.start);
                let attr = |name: &str| {
                    tag.attributes
                        .get(name.as_bytes())
                        .map(|v| String::from_utf8_lossy(v).into_owned())
                };
                reader.start(&tag.name, line, attr);
            }
            Token::EndTag(tag) => reader.end(&tag.name),
            Token::String(s) if reader.into != Into::Nothing => {
                reader.text.push_str(&String::from_utf8_lossy(&s));
            }
            _ => {}
        }
    }
    reader.finish_link();
    reader.parsed
}

impl Reader {
    fn start(&mut self, name: &[u8], line: u32, attr: impl Fn(&str) -> Option<String>) {
        match name {
            b"dt" | b"hr" | b"li" => self.finish_link(),
            b"title" => self.collect(Into::Title),
            b"h1" => {
                self.finish_link();
                self.collect(Into::H1);
            }
            b"h3" => {
                self.finish_link();
                self.heading = Some(Heading {
                    name: String::new(),
                    toolbar: attr("personal_toolbar_folder").is_some_and(|v| v == "true"),
                    reading_list: attr("id").is_some_and(|v| v == "com.apple.ReadingList"),
                });
                self.collect(Into::Heading);
            }
            b"dl" => {
                self.finish_link();
                self.open_level();
            }
            b"a" => {
                self.finish_link();
                self.open_is_feed = attr("feedurl").is_some();
                self.open = Some(self.link(line, attr));
                self.collect(Into::Anchor);
            }
            b"dd" if self.open.is_some() => self.collect(Into::Description),
            _ => {}
        }
    }

    fn end(&mut self, name: &[u8]) {
        match (name, self.into) {
            (b"title", Into::Title) => {
                let title = self.take_text();
                if title.trim() == "Pocket Export" {
                    self.parsed.format = Format::PocketHtml;
                }
            }
            (b"h1", Into::H1) => {
                let heading = self.take_text();
                if self.parsed.format == Format::PocketHtml {
                    self.pocket_read = heading.trim() == "Read Archive";
                }
            }
            (b"h3", Into::Heading) => {
                let name = self.take_text();
                if let Some(h) = &mut self.heading {
                    h.name = name.trim().to_owned();
                }
            }
            (b"a", Into::Anchor) => {
                let title = self.take_text();
                if let Some(open) = &mut self.open {
                    open.title = title.trim().to_owned();
                }
            }
            (b"dl", _) => {
                self.finish_link();
                if let Some(level) = self.levels.pop() {
                    if level.named {
                        self.path = self.path[..self.path.len() - 1].into();
                    }
                }
            }
            _ => {}
        }
    }

    fn collect(&mut self, into: Into) {
        self.into = into;
        self.text.clear();
    }

    fn take_text(&mut self) -> String {
        self.into = Into::Nothing;
        std::mem::take(&mut self.text)
    }

    fn reading_list(&self) -> bool {
        self.levels.last().is_some_and(|l| l.reading_list)
    }

    /// A `<DL>`: the folder its heading named, or a plain level (the file's root).
    fn open_level(&mut self) {
        let heading = self.heading.take();
        let reading_list = self.reading_list() || heading.as_ref().is_some_and(|h| h.reading_list);
        let name = heading
            .filter(|h| !h.toolbar && !h.reading_list)
            .map(|h| h.name);
        let named = match name {
            Some(name) if self.path.len() < DEPTH_MAX => {
                self.path = self.path.iter().cloned().chain([name]).collect();
                self.parsed.folders.push(FolderEntry {
                    profile: None,
                    path: self.path.to_vec(),
                    memo: String::new(),
                });
                true
            }
            _ => false,
        };
        self.levels.push(Level {
            named,
            reading_list,
        });
    }

    /// The entry an `<A>` starts, from its attributes.
    fn link(&self, line: u32, attr: impl Fn(&str) -> Option<String>) -> Entry {
        let mut tags = distinct_tags(attr("tags").iter().flat_map(|t| t.split(',')));
        let archived_tag = tags.iter().position(|t| t == LINKDING_ARCHIVED);
        if let Some(i) = archived_tag {
            tags.remove(i);
        }
        let pocket = self.parsed.format == Format::PocketHtml;
        let to_read = attr("toread").is_some_and(|v| v == "1") || self.reading_list() || pocket;
        let created = attr("add_date").or_else(|| attr("time_added"));
        let mut entry = Entry {
            line,
            url: attr("href"),
            tags,
            folder: self.path.clone(),
            created_at: created.as_deref().and_then(dates::unix),
            updated_at: attr("last_modified").as_deref().and_then(dates::unix),
            archived: archived_tag.is_some(),
            ..Entry::default()
        };
        if to_read {
            entry.kind = Some(ItemKind::ReadingList);
        }
        if pocket && self.pocket_read {
            entry.archived = true;
            entry.status = Some(Status::Done);
        }
        entry
    }

    /// Ends the open link (with the description read after it, if any) and keeps or skips it.
    fn finish_link(&mut self) {
        let Some(mut entry) = self.open.take() else {
            return;
        };
        match self.into {
            Into::Description => {
                let (description, notes) = linkding_notes(&self.take_text());
                entry.description = description;
                entry.memo = notes;
            }
            Into::Anchor => {
                // An `<A>` never closed: its text so far is the title.
                entry.title = self.take_text().trim().to_owned();
            }
            _ => {}
        }
        if std::mem::take(&mut self.open_is_feed) {
            self.parsed.skip(&entry, SkipReason::Feed);
            return;
        }
        self.parsed.push_link(entry);
    }
}

/// linkding appends the user's notes to the description as `[linkding-notes]…[/linkding-notes]`.
fn linkding_notes(text: &str) -> (String, String) {
    const OPEN: &str = "[linkding-notes]";
    const CLOSE: &str = "[/linkding-notes]";
    if let Some(start) = text.find(OPEN) {
        let rest = &text[start + OPEN.len()..];
        let end = rest.find(CLOSE).unwrap_or(rest.len());
        let description = text[..start].trim().to_owned();
        return (description, rest[..end].trim().to_owned());
    }
    (text.trim().to_owned(), String::new())
}

/// Line numbers of byte offsets that only grow (token spans), counted as they go.
struct Lines<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u32,
}

impl<'a> Lines<'a> {
    fn new(bytes: &'a [u8]) -> Lines<'a> {
        Lines {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    fn at(&mut self, offset: usize) -> u32 {
        let offset = offset.min(self.bytes.len());
        if offset > self.offset {
            let newlines = self.bytes[self.offset..offset]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.line = self.line.saturating_add(newlines as u32);
            self.offset = offset;
        }
        self.line
    }
}
