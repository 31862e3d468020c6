//! Request extractors whose failures speak the API's JSON error envelope instead of axum's
//! plain-text rejections.

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Request},
    http::{header, request::Parts, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde::de::DeserializeOwned;

use crate::{
    core_error::CoreError,
    domain::problem::Problem,
    error::{ApiError, RequestError},
};

/// The largest request body accepted, unless a route says otherwise…
pub const BODY_LIMIT: usize = 1024 * 1024;
/// …as the route that takes a page sent from the user's browser does: a page may be as large
/// as one the capture fetches.
pub const PAGE_LIMIT: usize = 5 * 1024 * 1024;
/// …and the route that takes an import file: a browser's or a peer's export of 100,000
/// links is 20-40 MB.
pub const IMPORT_LIMIT: usize = 64 * 1024 * 1024;
/// The longest query string accepted anywhere: room for every filter a page or client can
/// combine, far short of what it takes to make a query planner work for seconds.
pub const QUERY_LIMIT: usize = 8 * 1024;

/// The query string of a request, refused with 414 when it is over [`QUERY_LIMIT`].
pub fn query_string(parts: &Parts) -> Result<&str, RequestError> {
    let query = parts.uri.query().unwrap_or_default();
    if query.len() > QUERY_LIMIT {
        return Err(RequestError::UriTooLong(QUERY_LIMIT));
    }
    Ok(query)
}

/// Refuses at once, with 413, a request whose declared `Content-Length` is over `limit` (the
/// state it is layered with, the same as the routes' `DefaultBodyLimit`): waiting for a body
/// that will be refused anyway would hold the connection until the request timeout. (A body
/// without a length is cut off at the limit as it streams in.) `E` renders the refusal: the
/// API's JSON envelope or the pages' HTML.
pub async fn refuse_oversized_bodies<E: From<RequestError> + IntoResponse>(
    axum::extract::State(limit): axum::extract::State<usize>,
    req: Request,
    next: Next,
) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    match declared {
        Some(n) if n > limit as u64 => {
            E::from(RequestError::PayloadTooLarge { limit: Some(limit) }).into_response()
        }
        _ => next.run(req).await,
    }
}

/// A JSON body. Wrong content type: 415; too large: 413; not JSON (syntax, truncation, invalid
/// UTF-8): 400 `invalid_json`; JSON of the wrong shape: 422 naming the offending field.
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = |mime: &str| {
            mime == "application/json"
                || (mime.starts_with("application/") && mime.ends_with("+json"))
        };
        let (bytes, _) = body(req, state, is_json, "application/json").await?;
        parse(&bytes).map(Json)
    }
}

/// An HTML page in the body (`text/html` or `application/xhtml+xml`, else 415; over the
/// route's limit, 413), with the content type it was sent with (its charset).
pub struct HtmlBody {
    pub bytes: Bytes,
    pub content_type: String,
}

impl<S: Send + Sync> FromRequest<S> for HtmlBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let is_html = |mime: &str| mime == "text/html" || mime == "application/xhtml+xml";
        let (bytes, content_type) = body(req, state, is_html, "text/html").await?;
        Ok(HtmlBody {
            bytes,
            content_type,
        })
    }
}

/// An uploaded file of any type (its content says what it is), over the route's limit 413.
pub struct FileBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for FileBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let (bytes, _) = body(req, state, |_| true, "a file").await?;
        Ok(FileBody(bytes))
    }
}

/// The body of a request whose media type (lower-cased, without parameters) `accepts`, with
/// its whole `Content-Type`: 415 naming `expected` for another type, 413 past the route's
/// limit, 400 when it cannot be read.
pub async fn body<S: Send + Sync>(
    req: Request,
    state: &S,
    accepts: impl Fn(&str) -> bool,
    expected: &'static str,
) -> Result<(Bytes, String), RequestError> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if !accepts(&mime) {
        return Err(RequestError::UnsupportedMediaType(expected));
    }
    let bytes = Bytes::from_request(req, state).await.map_err(|rej| {
        if rej.status() == StatusCode::PAYLOAD_TOO_LARGE {
            RequestError::PayloadTooLarge { limit: None }
        } else {
            RequestError::Unreadable
        }
    })?;
    Ok((bytes, content_type))
}

/// Deserialises JSON, telling syntax errors (400) from shape errors (422). A number with a
/// zero fraction (`12.0`, `1e2`) counts as the integer it is, as JSON Schema says.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut json: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        RequestError::InvalidJson(format!("the request body is not valid JSON: {e}"))
    })?;
    if !json.is_object() {
        // A derived struct would also read a JSON array, field by field in order.
        return Err(unreadable("body", "must be a JSON object".into()));
    }
    whole_numbers_as_integers(&mut json);
    let value = serde_path_to_error::deserialize(json).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        use serde_json::error::Category;
        match inner.classify() {
            Category::Data => {
                let message = strip_position(&inner.to_string());
                let field = match missing_field(&message) {
                    // A missing required field is reported at the object's path; name the field.
                    Some(name) if path == "." => name.to_owned(),
                    Some(name) => format!("{path}.{name}"),
                    None if path == "." => "body".to_owned(),
                    None => path,
                };
                unreadable(&field, message)
            }
            Category::Syntax | Category::Eof | Category::Io => {
                RequestError::InvalidJson(format!("the request body is not valid JSON: {inner}"))
                    .into()
            }
        }
    })?;
    Ok(value)
}

/// Rewrites floating-point numbers without a fraction, within the range of `i64`, as integers.
fn whole_numbers_as_integers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64() {
                // `i64::MAX as f64` rounds up to 2^63, which is out of range: keep below it.
                if f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64 {
                    *value = Value::from(f as i64);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(whole_numbers_as_integers),
        _ => {}
    }
}

/// A 422 for a value the parser could not read, in its own words.
fn unreadable(field: &str, message: String) -> ApiError {
    CoreError::field(field, Problem::Unreadable(message)).into()
}

/// The field named by serde's "missing field `x`" message.
fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.strip_suffix('`')
}

/// serde's messages end with " at line 1 column 9", which means nothing in a field error.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Query-string parameters (repeated keys become lists). Bad values: 422 naming the parameter.
/// An empty value (`?scheduled_to=`) is a bad value too, not an absent one: leaving a
/// parameter out is how a client says "none". (The pages' forms send empty fields, and their
/// own extractor drops them.)
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let query = query_string(parts)?;
        if let Some((key, _)) = form_urlencoded::parse(query.as_bytes()).find(|(_, v)| v.is_empty())
        {
            return Err(unreadable(
                &key,
                "must not be empty (leave the parameter out instead)".into(),
            ));
        }
        let de = serde_html_form::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(Query)
            .map_err(|err| {
                let path = err.path().to_string();
                unreadable(
                    if path == "." { "query" } else { &path },
                    err.into_inner().to_string(),
                )
            })
    }
}

/// A numeric ID in the path, as the entity's ID type (`Id<ItemId>`). Anything else is a 404:
/// such a resource cannot exist.
pub struct Id<T = i64>(pub T);

impl<S: Send + Sync, T: std::str::FromStr> FromRequestParts<S> for Id<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| CoreError::NotFound)?;
        raw.parse::<T>()
            .map(Id)
            .map_err(|_| CoreError::NotFound.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct T {
        title: String,
        n: Option<i64>,
    }

    #[test]
    fn syntax_errors_are_400_and_shape_errors_are_422() {
        assert!(matches!(
            parse::<T>(b"{\"title\": "),
            Err(ApiError::Request(RequestError::InvalidJson(_)))
        ));
        assert!(matches!(
            parse::<T>(b"{\"title\": \"\xff\"}"),
            Err(ApiError::Request(RequestError::InvalidJson(_)))
        ));
        assert!(matches!(
            parse::<T>(br#"{"title": "x"} trailing"#),
            Err(ApiError::Request(RequestError::InvalidJson(_)))
        ));
        match parse::<T>(b"{\"title\": 5}") {
            Err(ApiError::Core(CoreError::Invalid(f))) => assert!(f.contains_key("title"), "{f:?}"),
            other => panic!("{other:?}"),
        }
        assert!(parse::<T>(b"{\"title\": \"x\"}").is_ok());
        // Integers written with a zero fraction are integers; a real fraction is not.
        assert_eq!(
            parse::<T>(b"{\"title\": \"x\", \"n\": 12.0}").unwrap().n,
            Some(12)
        );
        assert_eq!(
            parse::<T>(b"{\"title\": \"x\", \"n\": 1e2}").unwrap().n,
            Some(100)
        );
        assert!(matches!(
            parse::<T>(b"{\"title\": \"x\", \"n\": 1.5}"),
            Err(ApiError::Core(CoreError::Invalid(_)))
        ));
        // The body is an object, not the struct's fields in an array.
        assert!(matches!(
            parse::<T>(b"[\"x\", 1]"),
            Err(ApiError::Core(CoreError::Invalid(_)))
        ));
    }
}
