//! Import and export files. [`read`] tells a file's format from its content (never its
//! name), decodes its charset and reads it into a [`Parsed`]: the entries, folders and
//! labels it holds and the lines it could not use. `app::transfer` then checks that against
//! the library and writes it; [`write`] turns the library back into files.

mod dates;
pub mod native;
pub mod read;
pub mod write;

pub use read::{read, ReadError};
pub use tidily_core::domain::transfer::{Format, Parsed};
