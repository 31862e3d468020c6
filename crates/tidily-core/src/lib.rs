//! TidilySpace's core: everything below the surfaces, with no HTTP in it.
//!
//! Layers, each using only those above it (the crate's `architecture` test keeps it so):
//! - `domain` (vocabulary, IDs, limits, problem codes), `error` (the core error), `validate`,
//!   `auth` (password hashing, opaque tokens, JWTs), `config` (environment), `telemetry`;
//! - `db` + `entity` + `migration` (schema on SQLite and PostgreSQL), `store` (every query,
//!   owner-scoped, written once for both databases);
//! - `app`: the use cases, one function per verb, shared by every surface (the REST API in
//!   `tidily-api`, the pages in `tidily-web`, the CLI in `tidily`).

pub mod app;
pub mod auth;
pub mod blobs;
pub mod config;
pub mod db;
pub mod domain;
pub mod entity;
pub mod error;
pub mod migration;
pub mod store;
pub mod telemetry;
pub mod validate;
