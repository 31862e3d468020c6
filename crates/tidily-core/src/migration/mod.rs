//! Schema migrations, written once as code and rendered for SQLite or PostgreSQL.
//!
//! `tidily migrate` (and `serve` in development) applies what is pending; production runs
//! it as a one-off task before a deploy, like the original's `prisma migrate deploy`.

use anyhow::Context;
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement};
use sea_orm_migration::prelude::*;

use crate::db::Db;

mod m20261125_000001_initial;
mod m20261126_000001_revisions;
mod m20261202_000001_throttle_events;
mod m20261202_000002_short_positions;
mod m20261207_000001_jobs;
mod m20261207_000002_captures;
mod m20261207_000003_search;
mod m20261207_000004_url_key;
mod m20261207_000005_files;
mod m20261207_000006_link_health;
mod m20261207_000007_reader;
mod m20261207_000008_search_plans;
mod m20261207_000009_container_positions;

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
            Box::new(m20261207_000001_jobs::Migration),
            Box::new(m20261207_000002_captures::Migration),
            Box::new(m20261207_000003_search::Migration),
            Box::new(m20261207_000004_url_key::Migration),
            Box::new(m20261207_000005_files::Migration),
            Box::new(m20261207_000006_link_health::Migration),
            Box::new(m20261207_000007_reader::Migration),
            Box::new(m20261207_000008_search_plans::Migration),
            Box::new(m20261207_000009_container_positions::Migration),
        ]
    }
}

/// Applies pending migrations and returns the names of those that ran.
pub async fn run(db: &Db) -> anyhow::Result<Vec<String>> {
    let conn = db.read();
    let pending: Vec<String> = Migrator::get_pending_migrations(conn)
        .await?
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    Migrator::up(conn, None).await.context("migration failed")?;
    Ok(pending)
}

/// Whether every migration has been applied (the server refuses to run on an old schema).
pub async fn is_up_to_date(db: &Db) -> anyhow::Result<bool> {
    Ok(Migrator::get_pending_migrations(db.read())
        .await?
        .is_empty())
}

/// Runs the statements written for the connection's database.
async fn run_ddl(
    db: &impl ConnectionTrait,
    sqlite: &[&str],
    postgres: &[&str],
) -> Result<(), DbErr> {
    let ddl = match db.get_database_backend() {
        DbBackend::Sqlite => sqlite,
        _ => postgres,
    };
    for statement in ddl {
        db.execute_unprepared(statement).await?;
    }
    Ok(())
}

/// The thousand items after ID `after` by ID, read as `R` (`columns`, `id` among them): the
/// batches in which a migration derives something from every item already there.
async fn items_after<R: FromQueryResult>(
    db: &impl ConnectionTrait,
    columns: &str,
    after: i64,
) -> Result<Vec<R>, DbErr> {
    let backend = db.get_database_backend();
    let mark = match backend {
        DbBackend::Sqlite => "?",
        _ => "$1",
    };
    R::find_by_statement(Statement::from_sql_and_values(
        backend,
        format!("SELECT {columns} FROM items WHERE id > {mark} ORDER BY id LIMIT 1000"),
        [after.into()],
    ))
    .all(db)
    .await
}
