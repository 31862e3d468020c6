//! TidilySpace: a bookmark and reading-list manager that treats every saved link like a task.
//!
//! Layout: `config` (environment), `db` + `migration` + `entity` (schema on SQLite and
//! PostgreSQL), `domain` (shared vocabulary), `store` (every query, owner-scoped), `auth`
//! (passwords, tokens, the request extractor), `http` (router, middleware, the REST API),
//! `web` (the server-rendered pages), `cli` (the `tidily` command), `seed` (demo data).

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
pub mod store;
pub mod telemetry;
pub mod validate;
pub mod web;
