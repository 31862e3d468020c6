//! The application: one function per use case, under every surface (the REST API, the
//! pages, the CLI and background work). A surface parses its input into domain types, calls
//! one function here and renders the result; the rules shared by the surfaces live here once.

pub mod accounts;
pub mod captures;
pub mod duplicates;
pub mod files;
pub mod folders;
pub mod housekeeping;
pub mod items;
pub mod jobs;
pub mod labels;
pub mod links;
pub mod owner;
pub mod profiles;
pub mod reads;
pub mod sessions;
pub mod stats;
pub mod transfer;

use std::sync::Arc;

use crate::{
    auth::{jwt::Tokens, password::Hasher},
    blobs::Blobs,
    config::Config,
    db::Db,
    store::memo::Memo,
};

/// What every handler can reach. Cheap to clone: the pool and config are shared.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    /// Password hashing, bounded so that a burst of log-ins cannot exhaust memory.
    pub hasher: Arc<Hasher>,
    /// Signs and checks access and device tokens.
    pub tokens: Arc<Tokens>,
    /// Label lists and counts per user, kept while the user's data is unchanged.
    pub memo: Arc<Memo>,
    /// Where stored files' bytes are kept.
    pub blobs: Blobs,
}

impl AppState {
    /// The state of a server process: the database, the configuration, the file store and
    /// what is built from them.
    pub fn new(db: Db, config: Config, blobs: Blobs) -> AppState {
        AppState {
            db,
            blobs,
            hasher: Arc::new(Hasher::new(config.hash_concurrency as usize)),
            tokens: Arc::new(Tokens::new(&config.jwt_secret, &config.token_audience())),
            config: Arc::new(config),
            memo: Arc::default(),
        }
    }
}
