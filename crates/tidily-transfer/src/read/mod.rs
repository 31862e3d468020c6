//! Reading a file: sniffing its format, decoding its text, and one reader per format.

mod csv;
mod json;
mod netscape;
mod text;

use tidily_core::domain::transfer::{Format, Parsed};

/// Why a file could not be read at all (a bad entry is skipped and reported instead).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReadError {
    #[error("the file is empty")]
    Empty,
    #[error("this is not a bookmark file we can read (binary data)")]
    Binary,
    #[error("zip archives (Pocket's parts, Omnivore) are not read yet: unzip it and import the CSV or JSON inside")]
    Zip,
    #[error("the file's format was not recognised: expected bookmark HTML, a CSV export of Pocket, Instapaper, Raindrop or Readwise, or a JSON export of TidilySpace, Pinboard, Karakeep or Linkwarden")]
    Unrecognised,
    #[error("the CSV file lacks the column {0:?}")]
    MissingColumn(&'static str),
    #[error("the JSON file is malformed or truncated: {0}")]
    Json(String),
    #[error("the file holds nothing to import")]
    Nothing,
}

/// Reads `bytes` in whatever format they are.
pub fn read(bytes: &[u8]) -> Result<Parsed, ReadError> {
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(ReadError::Zip);
    }
    let text = text::decode(bytes)?;
    let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if start.is_empty() {
        return Err(ReadError::Empty);
    }
    let parsed = if start.starts_with('{') || start.starts_with('[') {
        json::read(start)?
    } else if netscape::looks_like(start) {
        netscape::read(&text)
    } else {
        csv::read(start)?
    };
    if parsed.entries.is_empty() && parsed.skipped.is_empty() && parsed.folders.is_empty() {
        return Err(ReadError::Nothing);
    }
    Ok(parsed)
}

/// The formats `read` knows, for the error messages and documents.
pub const FORMATS: &[Format] = &[
    Format::Tidily,
    Format::Netscape,
    Format::PocketHtml,
    Format::PocketCsv,
    Format::InstapaperCsv,
    Format::RaindropCsv,
    Format::ReadwiseCsv,
    Format::PinboardJson,
    Format::KarakeepJson,
    Format::LinkwardenJson,
];
