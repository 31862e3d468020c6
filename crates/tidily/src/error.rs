//! The application's error type and the one place where it becomes an HTTP response.
//!
//! Handlers and the store return [`AppError`]; `IntoResponse` renders the JSON envelope
//! `{"error": {"code", "message", "fields"?, "request_id"?}}`. Unexpected errors are logged
//! with their cause and answered with a generic 500 that leaks nothing.

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
    #[error("{0}")]
    BadRequest(String),
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
    #[error("some fields are invalid")]
    Validation(FieldErrors),
    #[error("too many attempts; try again in {retry_after_secs} seconds")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("service unavailable")]
    Unavailable,
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
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
            BadRequest(_) => StatusCode::BAD_REQUEST,
            Unauthenticated | InvalidCredentials | RefreshTokenReused => StatusCode::UNAUTHORIZED,
            Forbidden | CsrfFailed => StatusCode::FORBIDDEN,
            NotFound => StatusCode::NOT_FOUND,
            MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Conflict(_) => StatusCode::CONFLICT,
            PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Database(_) | Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable machine-readable code clients switch on.
    pub fn code(&self) -> &'static str {
        use AppError::*;
        match self {
            BadRequest(_) => "invalid_json",
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
            Validation(_) => "validation_failed",
            TooManyRequests { .. } => "too_many_requests",
            Unavailable => "unavailable",
            Database(_) | Internal(_) => "internal",
        }
    }
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
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = if status.is_server_error() && !matches!(self, AppError::Unavailable) {
            tracing::error!(error = ?self, "request failed");
            "An unexpected error occurred.".to_owned()
        } else {
            self.to_string()
        };
        let retry_after = match &self {
            AppError::TooManyRequests { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        };
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
