//! The integration tests, in one binary: each suite starts the real `tidily` binary on a
//! loopback port against a fresh SQLite file or PostgreSQL database and talks to it over HTTP
//! (see `common`). One binary links once, where a binary per suite linked the HTTP client,
//! the database driver and tokio eighteen times.
//!
//! Run one suite with `cargo nextest run -p tidily -E 'test(/^web_items::/)'`.

#[macro_use]
mod common;
mod web;

mod abuse;
mod architecture;
mod auth;
mod bad_input;
mod bulk_trash;
mod capture;
mod cli;
mod concurrency;
mod duplicates;
mod files;
mod folders;
mod health_ops;
mod isolation;
mod item_list;
mod items;
mod jobs;
mod linkding;
mod links;
mod profiles;
mod reader;
mod stats_activity;
mod tags_categories;
mod transfer;
mod web_auth;
mod web_items;
mod web_memo;
mod web_organize;
mod web_reorder;
mod web_views;
