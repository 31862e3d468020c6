//! Authentication primitives: password hashing, opaque tokens and JWT access tokens. What a
//! request's credentials resolve to is `http::principal`.

pub mod jwt;
pub mod password;
pub mod token;
