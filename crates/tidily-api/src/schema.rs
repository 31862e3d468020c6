//! The parts of the OpenAPI document the derive macros cannot write on their own: the field
//! schemas with limits (from `domain::schema`) and [`ErrorAnswers`], the error answers every
//! operation can give, added to each operation from what it is (authenticated, with a body,
//! with parameters) rather than listed by hand 48 times.

use utoipa::openapi::{
    header::HeaderBuilder,
    path::{Operation, PathItem},
    schema::{ObjectBuilder, SchemaType, Type},
    Content, OpenApi, Ref, RefOr, ResponseBuilder,
};

pub use crate::domain::schema::*;

/// Adds to every operation the error answers it can give, each with the error envelope:
///
/// - 401 and 403 when it needs credentials (403: a missing CSRF token, or not an admin);
/// - 400, 413, 415 and 422 when it takes a JSON body;
/// - 404 when its path names a resource; 414 and 422 when it takes query parameters;
/// - 500 (with the request's ID) and 503 with `Retry-After` (the database cannot be reached,
///   or too many log-ins are being checked at once) for all.
pub struct ErrorAnswers;

impl utoipa::Modify for ErrorAnswers {
    fn modify(&self, doc: &mut OpenApi) {
        let globally_secured = doc.security.as_ref().is_some_and(|s| !s.is_empty());
        for item in doc.paths.paths.values_mut() {
            for op in operations(item) {
                let secured = match &op.security {
                    None => globally_secured,
                    Some(requirements) => !requirements.is_empty(),
                };
                let params = op.parameters.as_deref().unwrap_or_default();
                let in_path = params
                    .iter()
                    .any(|p| p.parameter_in == utoipa::openapi::path::ParameterIn::Path);
                let in_query = params
                    .iter()
                    .any(|p| p.parameter_in == utoipa::openapi::path::ParameterIn::Query);
                let has_body = op.request_body.is_some();
                let mut add = |status: &str, description: &str| add_error(op, status, description);
                if secured {
                    add("401", "Missing, expired or invalid credentials");
                    add("403", "A cookie-authenticated change without its CSRF token, or an admin operation");
                }
                if has_body {
                    add("400", "The body is not JSON");
                    add("413", "The body is larger than 1 MiB");
                    add("415", "The body is not sent as application/json");
                    add(
                        "422",
                        "Fields are missing or invalid; `fields` names each one",
                    );
                }
                if in_path {
                    add("404", "No such resource among the caller's");
                }
                if in_query {
                    add("414", "The query string is longer than 8 KiB");
                    add("422", "Parameters are invalid; `fields` names each one");
                }
                add(
                    "500",
                    "An unexpected failure; `request_id` finds it in the server's log",
                );
                add("503", "The database cannot be reached, or the server is busy; retry after `Retry-After` seconds");
                retry_after_everywhere(op);
            }
        }
    }
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        item.get.as_mut(),
        item.put.as_mut(),
        item.post.as_mut(),
        item.delete.as_mut(),
        item.patch.as_mut(),
    ]
    .into_iter()
    .flatten()
}

fn add_error(op: &mut Operation, status: &str, description: &str) {
    if op.responses.responses.contains_key(status) {
        return;
    }
    let response = ResponseBuilder::new().description(description).content(
        "application/json",
        Content::new(Some(RefOr::Ref(Ref::from_schema_name("ErrorEnvelope")))),
    );
    op.responses
        .responses
        .insert(status.to_owned(), RefOr::T(response.build()));
}

/// Every 429 and 503 carries `Retry-After`, including those the handlers list themselves.
fn retry_after_everywhere(op: &mut Operation) {
    for (status, response) in op.responses.responses.iter_mut() {
        if let (RefOr::T(response), "429" | "503") = (response, status.as_str()) {
            response
                .headers
                .entry("Retry-After".to_owned())
                .or_insert_with(|| {
                    HeaderBuilder::new()
                        .schema(ObjectBuilder::new().schema_type(SchemaType::new(Type::Integer)))
                        .description(Some("Seconds to wait before trying again"))
                        .build()
                });
        }
    }
}
