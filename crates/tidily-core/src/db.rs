//! The database handle: SQLite (embedded default) or PostgreSQL, chosen by the URL.
//!
//! The pools are built with sqlx directly so each backend gets the settings it needs (WAL and
//! a busy timeout for SQLite; statement timeouts for PostgreSQL), then handed to SeaORM, so
//! everything above this module runs one code path for both.
//!
//! Reads go to the pool as they are ([`Db::read`]). Writes go through [`Db::write`] or
//! [`Db::write_for`], which open a transaction that holds its lock *before* it reads:
//!
//! - On SQLite a deferred transaction that reads first cannot upgrade to a writer once another
//!   connection has committed; it fails at once with "database is locked" instead of waiting.
//!   So a write transaction's first statement is a write, which takes the database's write
//!   lock through the busy handler (that is, it waits). Writers of this process also queue on
//!   an in-process FIFO first, so they wait their turn instead of polling the busy handler.
//! - On PostgreSQL, [`Db::write_for`] locks the account's `users` row first. Every write of one
//!   account is then serialised, in one lock order, so concurrent bulk updates cannot deadlock
//!   and read-then-write logic (the end of a list, the tags an item already has) sees a state
//!   no one else is changing. Different accounts still write in parallel.

use std::{str::FromStr, sync::Arc, time::Duration};

use anyhow::Context;
use sea_orm::{
    sqlx::{
        postgres::{PgConnectOptions, PgPoolOptions},
        sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    },
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, SqlxPostgresConnector,
    SqlxSqliteConnector, Statement, TransactionTrait,
};
use sha2::{Digest, Sha256};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::{CoreError, CoreResult};

/// How long a request may wait for a pooled connection before it is told to come back (503).
/// Short: when the database is down, a client should hear so quickly, not after ten seconds.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);
/// How long a SQLite writer waits for its turn in this process before the request gets 503.
const WRITER_QUEUE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long SQLite waits for another process's write lock.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The SQL dialect behind a [`Db`]. Matched exhaustively wherever the two differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A handle on the database: cheap to clone, shared by every request of a process.
#[derive(Clone)]
pub struct Db {
    conn: DatabaseConnection,
    dialect: Dialect,
    /// SQLite only: this process's writers, one at a time, in arrival order.
    writers: Option<Arc<Semaphore>>,
}

/// A write transaction, holding its lock until it commits or is dropped (rolled back).
pub struct WriteTx {
    // Declared first so it is dropped (rolled back) before the writer's turn is released.
    tx: DatabaseTransaction,
    _turn: Option<OwnedSemaphorePermit>,
    dialect: Dialect,
}

impl Db {
    /// Connects to `url` with at most `max_connections` pooled connections.
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Db> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .context("DATABASE_URL: invalid SQLite URL")?
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                .foreign_keys(true)
                // 4 MiB of page cache per connection: the hot pages of the item indexes fit,
                // and a full pool stays well inside the memory budget of a small task.
                .pragma("cache_size", "-4000");
            if let Some(dir) = options.get_filename().parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir).with_context(|| {
                        format!("cannot create data directory {}", dir.display())
                    })?;
                }
            }
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections)
                .min_connections(1)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .connect_with(options)
                .await
                .context("cannot open the SQLite database")?;
            Ok(Db {
                conn: SqlxSqliteConnector::from_sqlx_sqlite_pool(pool),
                dialect: Dialect::Sqlite,
                writers: Some(Arc::new(Semaphore::new(1))),
            })
        } else {
            let options = PgConnectOptions::from_str(url)
                .context("DATABASE_URL: invalid PostgreSQL URL")?
                .application_name("tidily")
                // No parallel workers for one request: starting them costs more (15 ms here)
                // than the short, index-driven queries of a web request take, and under load
                // they take the cores other requests need.
                .options([
                    ("statement_timeout", "15s"),
                    ("max_parallel_workers_per_gather", "0"),
                ]);
            let pool = PgPoolOptions::new()
                .max_connections(max_connections)
                .min_connections(1)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .connect_with(options)
                .await
                .context("cannot connect to PostgreSQL")?;
            Ok(Db {
                conn: SqlxPostgresConnector::from_sqlx_postgres_pool(pool),
                dialect: Dialect::Postgres,
                writers: None,
            })
        }
    }

    /// The connection for reads (and for single statements that need no lock order).
    pub fn read(&self) -> &DatabaseConnection {
        &self.conn
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Opens a write transaction that holds the database's write lock on SQLite from its
    /// first statement (on PostgreSQL, row locks are taken as rows are written).
    pub async fn write(&self) -> CoreResult<WriteTx> {
        let tx = self.begin().await?;
        if tx.dialect == Dialect::Sqlite {
            // Any write statement takes the lock, even one that changes no row.
            tx.execute_unprepared("UPDATE users SET revision = revision WHERE 0")
                .await?;
        }
        Ok(tx)
    }

    /// Opens a write transaction for one account's data: it first moves the account's
    /// revision, which takes the account's row lock (PostgreSQL) or the write lock (SQLite),
    /// so the account's writes run one after another. An account that no longer exists (a
    /// token outliving a reset database) is `Unauthenticated`.
    pub async fn write_for(&self, user_id: i64) -> CoreResult<WriteTx> {
        let tx = self.begin().await?;
        let bumped = tx
            .execute(Statement::from_sql_and_values(
                tx.get_database_backend(),
                match tx.dialect {
                    Dialect::Sqlite => "UPDATE users SET revision = revision + 1 WHERE id = ?",
                    Dialect::Postgres => "UPDATE users SET revision = revision + 1 WHERE id = $1",
                },
                [user_id.into()],
            ))
            .await?;
        if bumped.rows_affected() != 1 {
            return Err(CoreError::Unauthenticated);
        }
        Ok(tx)
    }

    async fn begin(&self) -> CoreResult<WriteTx> {
        let turn = match &self.writers {
            Some(queue) => Some(
                tokio::time::timeout(WRITER_QUEUE_TIMEOUT, queue.clone().acquire_owned())
                    .await
                    .map_err(|_| CoreError::Unavailable)?
                    .map_err(|_| CoreError::Unavailable)?,
            ),
            None => None,
        };
        Ok(WriteTx {
            tx: self.conn.begin().await?,
            _turn: turn,
            dialect: self.dialect,
        })
    }

    /// A cheap round trip, for health checks; a database that does not answer within two
    /// seconds counts as down (the load balancer's own timeout is longer).
    pub async fn ping(&self) -> bool {
        matches!(
            tokio::time::timeout(
                Duration::from_secs(2),
                self.conn.execute_unprepared("SELECT 1")
            )
            .await,
            Ok(Ok(_))
        )
    }

    /// Closes the pool (at shutdown).
    pub async fn close(self) {
        self.conn.close().await.ok();
    }
}

impl WriteTx {
    /// Serialises this transaction with every other that takes the lock `name` (for writes
    /// that belong to no account, such as counting log-in attempts per address). SQLite has
    /// one writer at a time already; PostgreSQL takes a transaction-scoped advisory lock.
    pub async fn lock_named(&self, name: &str) -> CoreResult<()> {
        match self.dialect {
            Dialect::Sqlite => Ok(()),
            Dialect::Postgres => {
                let digest = Sha256::digest(name.as_bytes());
                let key = i64::from_be_bytes(digest[..8].try_into().expect("8 bytes"));
                self.tx
                    .execute(Statement::from_sql_and_values(
                        DbBackend::Postgres,
                        "SELECT pg_advisory_xact_lock($1)",
                        [key.into()],
                    ))
                    .await?;
                Ok(())
            }
        }
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Commits the transaction and releases the lock.
    pub async fn commit(self) -> CoreResult<()> {
        self.tx.commit().await?;
        Ok(())
    }
}

/// The transaction itself, for the queries run inside it.
impl std::ops::Deref for WriteTx {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.tx
    }
}
