//! TidilySpace: a bookmark and reading-list manager that treats every saved link like a task.
//!
//! Layers, each using only those above it (`tests/architecture.rs` keeps it so):
//! - `domain` (vocabulary, limits, problem codes), `error` (the core error), `auth`
//!   (password hashing, opaque tokens, JWTs), `config` (environment);
//! - `db` + `entity` + `migration` (schema on SQLite and PostgreSQL), `store` (every query,
//!   owner-scoped, written once for both databases);
//! - `app`: the use cases, one function per verb, shared by every surface;
//! - `http`: plumbing the surfaces share (middleware, extractors, the principal of a request,
//!   the error envelope, the server loop);
//! - the surfaces, none importing another: `api` (REST under `/api/v1`), `web` (the pages),
//!   `cli` (the `tidily` command);
//! - `server` composes the surfaces into each role's router; `seed` makes demo data.

pub mod api;
pub mod app;
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod entity;
pub mod error;
pub mod http;
pub mod migration;
pub mod seed;
pub mod server;
pub mod store;
pub mod telemetry;
pub mod validate;
pub mod web;
