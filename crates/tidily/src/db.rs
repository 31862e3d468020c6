//! Opening the database: SQLite (embedded default) or PostgreSQL, chosen by the URL.
//!
//! The pools are built with sqlx directly so each backend gets the settings it needs (WAL and
//! a busy timeout for SQLite; statement timeouts for PostgreSQL), then handed to SeaORM, so
//! everything above this module runs one code path for both.

use std::{str::FromStr, time::Duration};

use anyhow::Context;
use sea_orm::{
    sqlx::{
        postgres::{PgConnectOptions, PgPoolOptions},
        sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    },
    ConnectionTrait, DatabaseConnection, SqlxPostgresConnector, SqlxSqliteConnector,
};
use sea_orm_migration::MigratorTrait;

use crate::migration::Migrator;

/// Connects to `url` with at most `max_connections` pooled connections.
pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<DatabaseConnection> {
    if url.starts_with("sqlite:") {
        let options = SqliteConnectOptions::from_str(url)
            .context("DATABASE_URL: invalid SQLite URL")?
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true)
            // 4 MiB of page cache per connection: the hot pages of the item indexes fit, and
            // a full pool stays well inside the memory budget of a small task.
            .pragma("cache_size", "-4000");
        if let Some(dir) = options.get_filename().parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create data directory {}", dir.display()))?;
            }
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(max_connections)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .context("cannot open the SQLite database")?;
        Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
    } else {
        let options = PgConnectOptions::from_str(url)
            .context("DATABASE_URL: invalid PostgreSQL URL")?
            .application_name("tidily")
            .options([("statement_timeout", "15s")]);
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .context("cannot connect to PostgreSQL")?;
        Ok(SqlxPostgresConnector::from_sqlx_postgres_pool(pool))
    }
}

/// Applies pending migrations and returns the names of those that ran.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<Vec<String>> {
    let pending: Vec<String> = Migrator::get_pending_migrations(db)
        .await?
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    Migrator::up(db, None).await.context("migration failed")?;
    Ok(pending)
}

/// Whether every migration has been applied (the server refuses to run on an old schema).
pub async fn is_up_to_date(db: &DatabaseConnection) -> anyhow::Result<bool> {
    Ok(Migrator::get_pending_migrations(db).await?.is_empty())
}

/// A cheap round trip, for health checks; a database that does not answer within two seconds
/// counts as down (the load balancer's own timeout is longer).
pub async fn ping(db: &DatabaseConnection) -> bool {
    matches!(
        tokio::time::timeout(Duration::from_secs(2), db.execute_unprepared("SELECT 1")).await,
        Ok(Ok(_))
    )
}
