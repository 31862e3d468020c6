//! Authentication: password hashing, opaque tokens, JWT access tokens, and the extractor
//! that turns a request's credentials into a [`CurrentUser`].

pub mod extract;
pub mod jwt;
pub mod password;
pub mod token;

pub use extract::{AuthMethod, CurrentUser, RequireAdmin};
