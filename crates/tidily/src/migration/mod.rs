//! Schema migrations, written once as code and rendered for SQLite or PostgreSQL.
//!
//! `tidily migrate` (and `serve` in development) applies what is pending; production runs
//! it as a one-off task before a deploy, like the original's `prisma migrate deploy`.

use sea_orm_migration::prelude::*;

mod m20261125_000001_initial;
mod m20261126_000001_revisions;
mod m20261202_000001_throttle_events;
mod m20261202_000002_short_positions;

/// The ordered list of migrations.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_initial::Migration),
            Box::new(m20261126_000001_revisions::Migration),
            Box::new(m20261202_000001_throttle_events::Migration),
            Box::new(m20261202_000002_short_positions::Migration),
        ]
    }
}
