//! SeaORM entities: one module per table, written once for SQLite and PostgreSQL.

pub mod activity;
pub mod api_token;
pub mod category;
pub mod folder;
pub mod item;
pub mod item_tag;
pub mod profile;
pub mod refresh_token;
pub mod session;
pub mod tag;
pub mod throttle_event;
pub mod user;
