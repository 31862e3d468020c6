//! The limits of every field a person types, written once. The API's validation, the pages'
//! forms, the CLI and the OpenAPI document all read them from here, so a limit cannot differ
//! between two ways of entering the same thing.

/// What a text field may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// A required single line: surrounding whitespace is trimmed, something must remain,
    /// and control characters (newlines included) are refused.
    Line,
    /// Free text such as a memo: kept exactly as typed; only NUL is refused (PostgreSQL
    /// cannot store it in a text column).
    Free,
}

/// A text field's rule: its kind and its length in characters (Unicode scalar values, as
/// JSON Schema's `maxLength` counts them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextRule {
    pub kind: TextKind,
    pub max: usize,
}

impl TextRule {
    const fn line(max: usize) -> TextRule {
        TextRule {
            kind: TextKind::Line,
            max,
        }
    }

    const fn free(max: usize) -> TextRule {
        TextRule {
            kind: TextKind::Free,
            max,
        }
    }
}

/// An item's title.
pub const TITLE: TextRule = TextRule::line(500);
/// The memo of an item or a folder.
pub const MEMO: TextRule = TextRule::free(20_000);
/// A folder's name.
pub const FOLDER_NAME: TextRule = TextRule::line(200);
/// A tag's or a category's name.
pub const LABEL_NAME: TextRule = TextRule::line(64);
/// A profile's name.
pub const PROFILE_NAME: TextRule = TextRule::line(64);
/// An account's display name.
pub const DISPLAY_NAME: TextRule = TextRule::line(100);
/// A personal API token's name.
pub const TOKEN_NAME: TextRule = TextRule::line(100);

/// A search query, in characters.
pub const SEARCH_MAX: usize = 200;
/// An item's link, in characters.
pub const URL_MAX: usize = 2048;
/// An e-mail address, in characters.
pub const EMAIL_MAX: usize = 320;
/// The shortest and longest accepted passwords (the upper bound caps hashing cost).
pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 256;

/// The most tags one item may carry.
pub const TAGS_PER_ITEM: usize = 100;
/// The most items one bulk action may touch.
pub const BULK_MAX: usize = 500;
/// The most distinct tags one item list may require at once.
pub const TAG_FILTER_MAX: usize = 20;
/// Page sizes of lists: at least one, at most [`PAGE_MAX`], [`PAGE_DEFAULT`] when not given.
pub const PAGE_MAX: u64 = 200;
pub const PAGE_DEFAULT: u64 = 50;
/// How many days a personal API token may be given to live.
pub const TOKEN_DAYS_MAX: i64 = 3650;
