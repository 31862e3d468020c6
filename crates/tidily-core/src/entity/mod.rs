//! SeaORM entities: one module per table, written once for SQLite and PostgreSQL.

pub mod activity;
pub mod api_token;
pub mod archive_image;
pub mod capture;
pub mod category;
pub mod file;
pub mod folder;
pub mod host_slot;
pub mod item;
pub mod item_tag;
pub mod job;
pub mod link_check;
pub mod profile;
pub mod refresh_token;
pub mod schedule;
pub mod session;
pub mod tag;
pub mod throttle_event;
pub mod user;
