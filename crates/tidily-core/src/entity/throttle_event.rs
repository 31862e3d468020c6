//! Rate-limited events (log-in attempts, sign-ups), one row per event in a bucket. Kept in
//! the database, not in memory, because the API runs as several stateless tasks.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "throttle_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// SHA-256 (hex) of the bucket's name, e.g. `login-account:alice@example.com`: the
    /// addresses and e-mails tried are not kept in the clear.
    pub bucket: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
