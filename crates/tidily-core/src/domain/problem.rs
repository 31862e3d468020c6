//! What can be wrong with one field of a request, as values rather than sentences.
//!
//! The API writes a problem in English ([`Problem::en`]); the pages translate it with an
//! exhaustive `match` (`web::i18n`), so a problem added here without a translation does not
//! compile. The same goes for [`Conflict`].

use std::{collections::BTreeMap, fmt};

/// A kind of record a request can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Record {
    Profile,
    Folder,
    Category,
    Tag,
    Item,
}

impl Record {
    pub fn noun(self) -> &'static str {
        match self {
            Record::Profile => "profile",
            Record::Folder => "folder",
            Record::Category => "category",
            Record::Tag => "tag",
            Record::Item => "item",
        }
    }
}

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A required line that is empty (or only whitespace).
    Empty,
    TooLong {
        max: usize,
    },
    TooShort {
        min: usize,
    },
    /// A single line with a newline, tab or other control character.
    ControlCharacters,
    /// NUL, which PostgreSQL cannot store in text.
    NulCharacter,
    NotHttpUrl,
    NotAColour,
    NotAnEmail,
    NotATimeZone,
    /// A number outside its range (inclusive).
    OutOfRange {
        min: i64,
        max: i64,
    },
    /// A list with too few or too many entries.
    Count {
        min: usize,
        max: usize,
    },
    /// A value this request needs (a status for "set status", a folder for "move").
    Required,
    /// A choice none of whose options was taken.
    NotChosen,
    /// The value names nothing of the user's.
    NoSuch(Record),
    /// A folder of another profile than the item's.
    InOtherProfile,
    /// A neighbour that is not in the list the row moves to.
    NotANeighbour,
    NeedsScheduleStart,
    /// The end of a range before its start, named by its field.
    EndBeforeStart {
        start: &'static str,
    },
    /// Two filters that exclude each other.
    CannotCombineWith(&'static str),
    /// A page cursor that this API did not hand out, or for another sort.
    NotACursor,
    /// The current password, given to change it, is wrong.
    WrongPassword,
    /// A local date and time that the user's time zone skips (a daylight-saving gap).
    NonexistentLocalTime,
    NotADateTime,
    /// Items to merge whose links are not one page.
    NotOnePage,
    /// A link whose last check did not find it moved has no new address to adopt.
    NotMoved,
    /// Storing it would take the user past their storage quota.
    OverQuota,
    /// A value of the wrong shape, as the parser described it.
    Unreadable(String),
}

impl Problem {
    /// The sentence the API answers with.
    pub fn en(&self) -> String {
        match self {
            Problem::Empty => "must not be empty".into(),
            Problem::TooLong { max } => format!("must be at most {max} characters"),
            Problem::TooShort { min } => format!("must be at least {min} characters"),
            Problem::ControlCharacters => "must not contain control characters".into(),
            Problem::NulCharacter => "must not contain NUL characters".into(),
            Problem::NotHttpUrl => "must be an absolute http:// or https:// URL".into(),
            Problem::NotAColour => "must be a colour like #1e90ff".into(),
            Problem::NotAnEmail => "must be an e-mail address".into(),
            Problem::NotATimeZone => "must be an IANA time zone such as Asia/Tokyo".into(),
            Problem::OutOfRange { min, max } => format!("must be from {min} to {max}"),
            Problem::Count { min, max } => format!("must list {min} to {max} entries"),
            Problem::Required => "is required for this action".into(),
            Problem::NotChosen => "must be chosen".into(),
            Problem::NoSuch(record) => format!("no such {}", record.noun()),
            Problem::InOtherProfile => "is in another profile".into(),
            Problem::NotANeighbour => "is not in the list the row moves to".into(),
            Problem::NeedsScheduleStart => "needs schedule_start".into(),
            Problem::EndBeforeStart { start } => format!("must not be before {start}"),
            Problem::CannotCombineWith(other) => format!("cannot be combined with {other}"),
            Problem::NotACursor => "is not a cursor of this list; start from the first page".into(),
            Problem::WrongPassword => "is not correct".into(),
            Problem::NonexistentLocalTime => {
                "does not exist in your time zone (the clocks skip it); choose another time".into()
            }
            Problem::NotADateTime => "must be a date and time".into(),
            Problem::NotOnePage => "must all be items whose links are the same page".into(),
            Problem::NotMoved => "has not moved: its last check found no new address".into(),
            Problem::OverQuota => "would go past your storage quota".into(),
            Problem::Unreadable(message) => message.clone(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en())
    }
}

/// Field name to its problems: what a 422 names.
pub type FieldProblems = BTreeMap<String, Vec<Problem>>;

/// A request that cannot be carried out because of what is already there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// Another account has this e-mail address.
    EmailTaken,
    /// The user already has a profile, tag or category of this name.
    NameTaken(Record),
    /// A folder moved into itself or one of its sub-folders.
    FolderCycle,
    /// The last profile of an account cannot be deleted.
    LastProfile,
    /// The two neighbours of a placement are not next to each other any more.
    NotAdjacent,
    /// The neighbours of a placement are in the wrong order.
    NeighboursOutOfOrder,
}

impl Conflict {
    /// The sentence the API answers with.
    pub fn en(&self) -> String {
        match self {
            Conflict::EmailTaken => "an account with this e-mail address already exists".into(),
            Conflict::NameTaken(record) => {
                format!("a {} with this name already exists", record.noun())
            }
            Conflict::FolderCycle => {
                "a folder cannot be moved into itself or one of its sub-folders".into()
            }
            Conflict::LastProfile => "the last profile cannot be deleted".into(),
            Conflict::NotAdjacent => {
                "after_id and before_id are not next to each other (the list has changed); reload it"
                    .into()
            }
            Conflict::NeighboursOutOfOrder => "the neighbours given are not in order".into(),
        }
    }
}
