//! The core error: what a use case can fail with, in the domain's words and with no HTTP in
//! it. The API maps it to its JSON envelope (`http::error`) and the pages to a translated
//! message (`web`), each in one exhaustive `match`.
//!
//! A database that cannot be reached (down, restarting, out of connections, too slow) is
//! [`CoreError::Unavailable`]: never the client's fault, so never a field error, and a retry
//! may succeed.

use crate::domain::problem::{Conflict, FieldProblems, Problem};

/// Everything a use case can fail with.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// Fields of the request are invalid; each names its problems.
    #[error("{}", describe(.0))]
    Invalid(FieldProblems),
    /// No such record among the user's (never "forbidden": that would confirm it exists).
    #[error("not found")]
    NotFound,
    #[error("{}", .0.en())]
    Conflict(Conflict),
    #[error("authentication required")]
    Unauthenticated,
    #[error("wrong e-mail address or password")]
    InvalidCredentials,
    #[error("this refresh token was already used; the whole session has been revoked")]
    RefreshTokenReused,
    #[error("you are not allowed to do this")]
    Forbidden,
    #[error("too many attempts; try again in {retry_after_secs} seconds")]
    TooManyRequests { retry_after_secs: u64 },
    /// Too many requests of an expensive kind are already waiting (password hashing).
    #[error("the server is busy; try again in {retry_after_secs} seconds")]
    Busy { retry_after_secs: u64 },
    /// The database (or another resource the request needs) cannot serve it right now.
    #[error("the service is temporarily unavailable; try again shortly")]
    Unavailable,
    #[error(transparent)]
    Database(sea_orm::DbErr),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Seconds a client should wait before retrying after an unreachable database: long enough
/// for a pool to reconnect, short enough that a retried write is not stale.
pub const UNAVAILABLE_RETRY_SECS: u64 = 2;

impl CoreError {
    /// A problem with one field.
    pub fn field(field: &str, problem: Problem) -> Self {
        let mut fields = FieldProblems::new();
        fields.insert(field.to_owned(), vec![problem]);
        CoreError::Invalid(fields)
    }

    /// The `Retry-After` a client is given with this error, if any.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            CoreError::TooManyRequests { retry_after_secs }
            | CoreError::Busy { retry_after_secs } => Some(*retry_after_secs),
            CoreError::Unavailable => Some(UNAVAILABLE_RETRY_SECS),
            _ => None,
        }
    }
}

impl From<sea_orm::DbErr> for CoreError {
    /// A database error is the server's unless it says the database could not be reached or
    /// could not answer in time, which a retry may cure.
    fn from(e: sea_orm::DbErr) -> Self {
        if is_transient(&e) {
            tracing::warn!(error = %e, "database unavailable");
            CoreError::Unavailable
        } else {
            CoreError::Database(e)
        }
    }
}

/// Whether a database error means "not now" rather than "never": no connection, a dropped
/// connection, a timed-out or cancelled statement, a busy SQLite file, a server shutting down.
fn is_transient(e: &sea_orm::DbErr) -> bool {
    use sea_orm::{sqlx::Error as Sqlx, DbErr, RuntimeErr};
    let sqlx = match e {
        DbErr::ConnectionAcquire(_) => return true,
        DbErr::Conn(RuntimeErr::SqlxError(err))
        | DbErr::Exec(RuntimeErr::SqlxError(err))
        | DbErr::Query(RuntimeErr::SqlxError(err)) => err,
        DbErr::Conn(RuntimeErr::Internal(_)) => return true,
        _ => return false,
    };
    match sqlx {
        Sqlx::Io(_)
        | Sqlx::Tls(_)
        | Sqlx::Protocol(_)
        | Sqlx::PoolTimedOut
        | Sqlx::PoolClosed
        | Sqlx::WorkerCrashed => true,
        Sqlx::Database(db) => db.code().is_some_and(|code| transient_code(&code)),
        _ => false,
    }
}

/// SQLSTATE classes and SQLite result codes that mean the database is unavailable for now.
fn transient_code(code: &str) -> bool {
    // PostgreSQL: 08 connection exception; 53 insufficient resources (too many connections,
    // out of memory or disk); 57014 statement timeout / cancel; 57P01-57P05 shutdown, crash,
    // cannot connect now, idle timeout; 40001 / 40P01 serialisation failure or deadlock
    // (retryable by definition).
    code.starts_with("08")
        || code.starts_with("53")
        || code == "57014"
        || code.starts_with("57P")
        || code == "40001"
        || code == "40P01"
        // SQLite: BUSY and LOCKED, with their extended codes (BUSY_RECOVERY 261,
        // BUSY_SNAPSHOT 517, BUSY_TIMEOUT 773, LOCKED_SHAREDCACHE 262).
        || matches!(code, "5" | "6" | "261" | "262" | "517" | "773")
}

/// Result of a use case or a query.
pub type CoreResult<T> = Result<T, CoreError>;

/// Turns "not found" into a field problem (a reference in a request body that names nothing
/// of the user's) while every other failure, a database outage above all, stays what it is.
pub trait NotFoundAs<T> {
    fn not_found_as(self, field: &str, problem: Problem) -> CoreResult<T>;
}

impl<T> NotFoundAs<T> for CoreResult<T> {
    fn not_found_as(self, field: &str, problem: Problem) -> CoreResult<T> {
        self.map_err(|e| match e {
            CoreError::NotFound => CoreError::field(field, problem),
            other => other,
        })
    }
}

/// Each field with what is wrong with it, in English: `email: must be an e-mail address`.
fn describe(fields: &FieldProblems) -> String {
    fields
        .iter()
        .flat_map(|(field, problems)| problems.iter().map(move |p| format!("{field}: {p}")))
        .collect::<Vec<_>>()
        .join("; ")
}
