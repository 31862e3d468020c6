//! TidilySpace: a bookmark and reading-list manager that treats every saved link like a task.
//!
//! This crate is the program: the `tidily` command (`cli`), the router of each role composed
//! from the surfaces (`server`), and demo data (`seed`). The layers live in their own crates
//! so that an edit to a page or a handler rebuilds that crate alone:
//! - `tidily-core`: domain, errors, the store and migrations, and `app`, the use cases;
//! - `tidily-http`: plumbing the surfaces share (middleware, extractors, the principal of a
//!   request, the error envelope, the server loop);
//! - the surfaces, none depending on another: `tidily-api` (REST under `/api/v1`),
//!   `tidily-web` (the pages), and `cli` here.

pub use tidily_api as api;
pub use tidily_core::{
    app, auth, blobs, config, db, domain, entity, error, migration, store, telemetry,
};
pub use tidily_http as http;
pub use tidily_web as web;

pub mod cli;
pub mod seed;
pub mod server;
