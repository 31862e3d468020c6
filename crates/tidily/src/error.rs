//! The application's error type and the one place where it becomes an HTTP response.
//!
//! Handlers and the store return [`AppError`]; `IntoResponse` renders the JSON envelope
//! `{"error": {"code", "message", "fields"?, "request_id"}}`. Unexpected errors are logged
//! with their cause and answered with a generic 500 that leaks nothing but the request ID,
//! which finds the log line. A database that cannot be reached (down, restarting, out of
//! connections, too slow) is never the client's fault: it is a 503 with `Retry-After`, so a
//! client retries the write instead of dropping it.

use std::collections::BTreeMap;

use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde::Serialize;
use utoipa::ToSchema;

/// Field name to the problems found with it.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The body is not JSON at all (syntax, truncation, invalid UTF-8).
    #[error("{0}")]
    InvalidJson(String),
    /// The endpoint ends a browser session, and the request was not made with one.
    #[error("this request is not authenticated by a session")]
    SessionRequired,
    #[error("authentication required")]
    Unauthenticated,
    #[error("wrong e-mail address or password")]
    InvalidCredentials,
    #[error("this refresh token was already used; the whole session has been revoked")]
    RefreshTokenReused,
    #[error("you are not allowed to do this")]
    Forbidden,
    #[error("missing or invalid CSRF token")]
    CsrfFailed,
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("{0}")]
    Conflict(String),
    #[error("request body is too large (limit {0} bytes)")]
    PayloadTooLarge(usize),
    #[error("request body must be JSON (Content-Type: application/json)")]
    UnsupportedMediaType,
    #[error("the query string is too long (limit {0} bytes)")]
    UriTooLong(usize),
    #[error("some fields are invalid")]
    Validation(FieldErrors),
    #[error("too many attempts; try again in {retry_after_secs} seconds")]
    TooManyRequests { retry_after_secs: u64 },
    /// The database (or another resource the request needs) cannot serve it right now.
    #[error("the service is temporarily unavailable; try again shortly")]
    Unavailable,
    /// Too many requests of an expensive kind are already waiting (password hashing).
    #[error("the server is busy; try again in {retry_after_secs} seconds")]
    Busy { retry_after_secs: u64 },
    #[error(transparent)]
    Database(sea_orm::DbErr),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// A validation error on one field.
    pub fn field(field: &str, problem: impl Into<String>) -> Self {
        let mut fields = FieldErrors::new();
        fields.insert(field.to_owned(), vec![problem.into()]);
        AppError::Validation(fields)
    }

    pub fn status(&self) -> StatusCode {
        use AppError::*;
        match self {
            InvalidJson(_) | SessionRequired => StatusCode::BAD_REQUEST,
            Unauthenticated | InvalidCredentials | RefreshTokenReused => StatusCode::UNAUTHORIZED,
            Forbidden | CsrfFailed => StatusCode::FORBIDDEN,
            NotFound => StatusCode::NOT_FOUND,
            MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Conflict(_) => StatusCode::CONFLICT,
            PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            UriTooLong(_) => StatusCode::URI_TOO_LONG,
            Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Unavailable | Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Database(_) | Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable machine-readable code clients switch on.
    pub fn code(&self) -> &'static str {
        use AppError::*;
        match self {
            InvalidJson(_) => "invalid_json",
            SessionRequired => "session_required",
            Unauthenticated => "unauthenticated",
            InvalidCredentials => "invalid_credentials",
            RefreshTokenReused => "refresh_token_reused",
            Forbidden => "forbidden",
            CsrfFailed => "csrf_failed",
            NotFound => "not_found",
            MethodNotAllowed => "method_not_allowed",
            Conflict(_) => "conflict",
            PayloadTooLarge(_) => "payload_too_large",
            UnsupportedMediaType => "unsupported_media_type",
            UriTooLong(_) => "uri_too_long",
            Validation(_) => "validation_failed",
            TooManyRequests { .. } => "too_many_requests",
            Unavailable => "unavailable",
            Busy { .. } => "busy",
            Database(_) | Internal(_) => "internal",
        }
    }
}

/// Seconds a client should wait before retrying after a 503 from an unreachable database:
/// long enough for a pool to reconnect, short enough that a retried write is not stale.
pub const UNAVAILABLE_RETRY_SECS: u64 = 2;

impl AppError {
    /// The `Retry-After` a client is given with this error, if any.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            AppError::TooManyRequests { retry_after_secs }
            | AppError::Busy { retry_after_secs } => Some(*retry_after_secs),
            AppError::Unavailable => Some(UNAVAILABLE_RETRY_SECS),
            _ => None,
        }
    }
}

impl From<sea_orm::DbErr> for AppError {
    /// A database error is the server's (500) unless it says the database could not be
    /// reached or could not answer in time, which a retry may cure (503).
    fn from(e: sea_orm::DbErr) -> Self {
        if is_transient(&e) {
            tracing::warn!(error = %e, "database unavailable");
            AppError::Unavailable
        } else {
            AppError::Database(e)
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

/// The JSON error envelope.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

/// The body of an error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `validation_failed`.
    pub code: &'static str,
    /// A sentence for humans.
    pub message: String,
    /// Field-level problems (422 only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<FieldErrors>,
    /// The request's ID (also in the `X-Request-Id` header and the server's log).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let request_id = crate::telemetry::current_request_id();
        let message = if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(error = ?self, request_id = request_id.as_deref(), "request failed");
            "An unexpected error occurred.".to_owned()
        } else {
            self.to_string()
        };
        let retry_after = self.retry_after();
        // The rest of an oversized body is never read, so the connection cannot carry another
        // request: say so, or a client would reuse it and see its next request fail.
        let close_connection = matches!(self, AppError::PayloadTooLarge(_));
        let code = self.code();
        let fields = match self {
            AppError::Validation(fields) => Some(fields),
            _ => None,
        };
        let mut response = (
            status,
            Json(ErrorEnvelope {
                error: ErrorBody {
                    code,
                    message,
                    fields,
                    request_id,
                },
            }),
        )
            .into_response();
        if close_connection {
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

/// Convenience alias for handler and store results.
pub type AppResult<T> = Result<T, AppError>;

/// Turns "not found" into a field error (a reference in a request body that names nothing
/// of the user's) while every other failure, a database outage above all, stays what it is.
pub trait NotFoundAs<T> {
    fn not_found_as(self, field: &str, problem: &str) -> AppResult<T>;
}

impl<T> NotFoundAs<T> for AppResult<T> {
    fn not_found_as(self, field: &str, problem: &str) -> AppResult<T> {
        self.map_err(|e| match e {
            AppError::NotFound => AppError::field(field, problem),
            other => other,
        })
    }
}
