//! Accounts.
use crate::domain::{Locale, Role};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Lower-cased; unique.
    pub email: String,
    /// PHC string of an argon2id hash.
    pub password_hash: String,
    pub display_name: String,
    pub role: Role,
    pub locale: Locale,
    pub time_zone: String,
    /// Moves with every change to the user's data (database triggers); keys `store::memo`.
    pub revision: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
