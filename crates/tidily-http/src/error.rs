//! Where errors become HTTP: the status and stable code of every failure (one exhaustive
//! `match`, shared by the API and the pages), and the API's JSON envelope
//! `{"error": {"code", "message", "fields"?, "request_id"}}`.
//!
//! Unexpected errors are logged with their cause and answered with a generic 500 that leaks
//! nothing but the request ID, which finds the log line.

use std::collections::BTreeMap;

use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{core_error::CoreError, domain::problem::Problem};

/// What a request can fail with before any use case runs: its transport, not its meaning.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// The body is not JSON at all (syntax, truncation, invalid UTF-8).
    #[error("{0}")]
    InvalidJson(String),
    /// Over the route's limit (1 MiB; 5 MiB for a sent page, 64 MiB for an import; see the
    /// API document), named when known.
    #[error("request body is too large for this endpoint{}", limit.map(|l| format!(" (at most {} MiB)", l / (1024 * 1024))).unwrap_or_default())]
    PayloadTooLarge { limit: Option<usize> },
    /// An uploaded file that could not be read as what it should be (an import file).
    #[error("{0}")]
    UnreadableFile(String),
    /// Of another media type than the route takes (named).
    #[error("request body must be {0}")]
    UnsupportedMediaType(&'static str),
    /// The body broke off or could not be read.
    #[error("the request body could not be read")]
    Unreadable,
    #[error("the query string is too long (limit {0} bytes)")]
    UriTooLong(usize),
    #[error("missing or invalid CSRF token")]
    CsrfFailed,
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The endpoint ends a browser session, and the request was not made with one.
    #[error("this request is not authenticated by a session")]
    SessionRequired,
}

/// Any failure of an API request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Core(#[from] CoreError),
    #[error(transparent)]
    Request(#[from] RequestError),
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(e: sea_orm::DbErr) -> Self {
        ApiError::Core(e.into())
    }
}

/// Result of an API handler.
pub type ApiResult<T> = Result<T, ApiError>;

/// The status and stable machine-readable code of a use case's failure.
pub fn core_status(e: &CoreError) -> (StatusCode, &'static str) {
    match e {
        CoreError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        CoreError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
        CoreError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
        CoreError::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
        CoreError::InvalidCredentials => (StatusCode::UNAUTHORIZED, "invalid_credentials"),
        CoreError::RefreshTokenReused => (StatusCode::UNAUTHORIZED, "refresh_token_reused"),
        CoreError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
        CoreError::TooManyRequests { .. } => (StatusCode::TOO_MANY_REQUESTS, "too_many_requests"),
        CoreError::Busy { .. } => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
        CoreError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        CoreError::Database(_) | CoreError::Internal(_) => {
            (StatusCode::INTERNAL_SERVER_ERROR, "internal")
        }
    }
}

/// The status and stable machine-readable code of a transport failure.
pub fn request_status(e: &RequestError) -> (StatusCode, &'static str) {
    match e {
        RequestError::InvalidJson(_) => (StatusCode::BAD_REQUEST, "invalid_json"),
        RequestError::PayloadTooLarge { .. } => {
            (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
        }
        RequestError::UnreadableFile(_) => (StatusCode::UNPROCESSABLE_ENTITY, "unreadable_file"),
        RequestError::Unreadable => (StatusCode::BAD_REQUEST, "unreadable_body"),
        RequestError::UnsupportedMediaType(_) => {
            (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
        }
        RequestError::UriTooLong(_) => (StatusCode::URI_TOO_LONG, "uri_too_long"),
        RequestError::CsrfFailed => (StatusCode::FORBIDDEN, "csrf_failed"),
        RequestError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
        RequestError::SessionRequired => (StatusCode::BAD_REQUEST, "session_required"),
    }
}

impl ApiError {
    pub fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::Core(e) => core_status(e),
            ApiError::Request(e) => request_status(e),
        }
    }
}

/// Adds the headers an error answer needs: `Retry-After` when a retry may succeed, and
/// `Connection: close` when the body was not read (the connection cannot carry another
/// request).
pub fn error_headers(response: &mut Response, retry_after: Option<u64>, unread_body: bool) {
    if let Some(secs) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    if unread_body {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
}

/// Logs an unexpected failure with its cause and the request's ID.
pub fn log_unexpected(status: StatusCode, error: &dyn std::fmt::Debug) {
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        let request_id = crate::telemetry::current_request_id();
        tracing::error!(error = ?error, request_id = request_id.as_deref(), "request failed");
    }
}

/// Field name to the problems found with it, as the API writes them.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

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

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        log_unexpected(status, &self);
        let message = if status == StatusCode::INTERNAL_SERVER_ERROR {
            "An unexpected error occurred.".to_owned()
        } else {
            self.to_string()
        };
        let (retry_after, unread_body) = match &self {
            ApiError::Core(e) => (e.retry_after(), false),
            ApiError::Request(e) => (None, matches!(e, RequestError::PayloadTooLarge { .. })),
        };
        let fields = match self {
            ApiError::Core(CoreError::Invalid(fields)) => Some(
                fields
                    .into_iter()
                    .map(|(k, problems)| (k, problems.iter().map(Problem::en).collect()))
                    .collect(),
            ),
            _ => None,
        };
        let body = ErrorEnvelope {
            error: ErrorBody {
                code,
                message,
                fields,
                request_id: crate::telemetry::current_request_id(),
            },
        };
        let mut response = (status, Json(body)).into_response();
        error_headers(&mut response, retry_after, unread_body);
        response
    }
}
