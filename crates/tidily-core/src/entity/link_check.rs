//! The health of an item's link: its last check and when the next is due.
use sea_orm::entity::prelude::*;

use crate::domain::link::LinkState;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "link_checks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub item_id: i64,
    /// The URL checked (a changed URL resets the row).
    pub url: String,
    /// `None` until the first check.
    pub state: Option<LinkState>,
    pub status: Option<i32>,
    pub moved_to: Option<String>,
    pub detail: Option<String>,
    /// Failed checks in a row.
    pub failures: i32,
    pub failing_since: Option<DateTimeUtc>,
    pub checked_at: Option<DateTimeUtc>,
    pub next_check_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
