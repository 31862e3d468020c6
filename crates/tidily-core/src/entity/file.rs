//! Stored files: one row per distinct content, named by its digest.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "files")]
pub struct Model {
    /// SHA-256 of the bytes, lower-case hex (`domain::file::Digest`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub digest: String,
    pub size: i64,
    pub content_type: String,
    pub width: i32,
    pub height: i32,
    pub created_at: DateTimeUtc,
    /// Last stored (or about to be): unreferenced files are collected only after a while.
    pub used_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
