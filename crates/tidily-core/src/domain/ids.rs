//! One ID type per entity, so that an item's ID cannot be passed where a folder's is expected.
//! The surfaces parse a path or a field into these; `app` takes them; the store's queries,
//! below `app`, work on the plain numbers.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            /// The ID as stored.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                $name(id)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    };
}

id_type!(
    /// An item (a bookmark or a reading-list entry).
    ItemId
);
id_type!(
    /// A folder of a profile's tree.
    FolderId
);
id_type!(
    /// A profile (Private, Business, …).
    ProfileId
);
id_type!(
    /// A tag.
    TagId
);
id_type!(
    /// A category.
    CategoryId
);
id_type!(
    /// A personal API token.
    TokenId
);

/// The plain numbers of typed IDs, for the store's queries.
pub fn raw<I: Into<i64> + Copy>(ids: &[I]) -> Vec<i64> {
    ids.iter().map(|&id| id.into()).collect()
}

macro_rules! into_raw {
    ($($name:ident),*) => {
        $(impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        })*
    };
}

into_raw!(ItemId, FolderId, ProfileId, TagId, CategoryId, TokenId);

/// What a change does to an item's folder: the three states an optional, clearable field
/// has in a partial update, as a type rather than `Option<Option<FolderId>>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FolderChange {
    /// The folder stays as it is.
    #[default]
    Keep,
    /// Out of any folder (the profile's items in no folder).
    Clear,
    /// Into this folder (of the item's profile).
    Set(FolderId),
}

impl FolderChange {
    /// From a JSON field that may be absent (keep), `null` (clear) or an ID.
    pub fn from_nullable(field: Option<Option<i64>>) -> FolderChange {
        match field {
            None => FolderChange::Keep,
            Some(None) => FolderChange::Clear,
            Some(Some(id)) => FolderChange::Set(id.into()),
        }
    }

    /// The folder after the change, given the one before.
    pub fn apply(self, current: Option<i64>) -> Option<i64> {
        match self {
            FolderChange::Keep => current,
            FolderChange::Clear => None,
            FolderChange::Set(id) => Some(id.get()),
        }
    }
}
