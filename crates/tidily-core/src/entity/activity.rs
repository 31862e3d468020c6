//! The append-only activity log: who did what to which record, and when.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activity_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub item_id: Option<i64>,
    /// `item`, `folder`, `profile`, `tag`, `category`, `account`.
    pub entity: String,
    pub entity_id: Option<i64>,
    pub action: String,
    /// JSON text with the details of the change.
    pub detail: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
