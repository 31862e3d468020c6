//! Stored files (favicons, previews): named by the SHA-256 of their bytes, so one image saved
//! by many items, or many users, is stored once.

use std::fmt;

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use utoipa::ToSchema;

/// The SHA-256 of a stored file's bytes, in lower-case hex: its name in the object store.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest(String);

impl Digest {
    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Digest {
        Digest(hex::encode(Sha256::digest(bytes)))
    }

    /// A digest read back from the database or a URL; `None` unless it is 64 lower-case hex
    /// digits (so no path can be smuggled into the object store's key).
    pub fn parse(s: &str) -> Option<Digest> {
        (s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
            .then(|| Digest(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A short form for URLs that only need to change when the file does.
    pub fn short(&self) -> &str {
        &self.0[..12]
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a stored file is to its item.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum FileRole {
    /// The site's icon, at most 64 px square, PNG.
    #[sea_orm(string_value = "favicon")]
    Favicon,
    /// The page's preview image, at most 800 px wide, JPEG (PNG when it has transparency).
    #[sea_orm(string_value = "preview")]
    Preview,
    /// The page's readable article, sanitised HTML (its images are files of their own).
    #[sea_orm(string_value = "archive")]
    Archive,
}

impl FileRole {
    /// The role a URL names (as stored: `favicon`, `preview`, `archive`).
    pub fn parse(s: &str) -> Option<FileRole> {
        FileRole::try_from_value(&s.to_owned()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Iterable;

    #[test]
    fn digests_are_hex_sha256_and_nothing_else_parses() {
        let d = Digest::of(b"abc");
        assert_eq!(
            d.as_str(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(Digest::parse(d.as_str()), Some(d.clone()));
        assert_eq!(d.short(), "ba7816bf8f01");
        for bad in [
            "",
            "../etc/passwd",
            &d.as_str().to_uppercase(),
            &d.as_str()[1..],
            &format!("{d}0"),
        ] {
            assert_eq!(Digest::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn roles_round_trip() {
        for r in FileRole::iter() {
            assert_eq!(FileRole::parse(&r.to_value()), Some(r));
        }
        assert_eq!(FileRole::parse("reader"), None);
    }
}
