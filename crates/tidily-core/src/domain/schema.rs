//! The limits of `domain::text` as OpenAPI field schemas: the derive attributes take only
//! literals, so each field names one of these functions (`schema_with`) and the number is
//! read from the constant that the validation also reads.

use utoipa::openapi::schema::{ArrayBuilder, Object, ObjectBuilder, SchemaType, Type};

use crate::domain::text::{self, TextKind, TextRule};

/// The control characters a single line refuses (Unicode category Cc).
const CONTROL: &str = "\\u0000-\\u001f\\u007f-\\u009f";

fn string(nullable: bool) -> ObjectBuilder {
    ObjectBuilder::new().schema_type(if nullable {
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::new(Type::String)
    })
}

fn rule(rule: TextRule, nullable: bool) -> Object {
    let schema = string(nullable).max_length(Some(rule.max));
    match rule.kind {
        // Something other than whitespace, and no control character anywhere.
        TextKind::Line => schema
            .min_length(Some(1))
            .pattern(Some(format!("^[^{CONTROL}]*[^\\s{CONTROL}][^{CONTROL}]*$"))),
        TextKind::Free => schema.pattern(Some("^[^\\u0000]*$")),
    }
    .build()
}

/// Declares `name() -> Object` for each text field, from its rule.
macro_rules! text_fields {
    ($($(#[$doc:meta])* $name:ident => $rule:expr, $nullable:expr;)*) => {$(
        $(#[$doc])*
        pub fn $name() -> Object {
            rule($rule, $nullable)
        }
    )*};
}

text_fields! {
    /// A required item title.
    title => text::TITLE, false;
    /// A title in a partial update.
    title_or_null => text::TITLE, true;
    /// A memo, where absent or `null` means empty (or, in a partial update, "keep").
    memo_or_null => text::MEMO, true;
    folder_name => text::FOLDER_NAME, false;
    folder_name_or_null => text::FOLDER_NAME, true;
    label_name => text::LABEL_NAME, false;
    label_name_or_null => text::LABEL_NAME, true;
    profile_name => text::PROFILE_NAME, false;
    profile_name_or_null => text::PROFILE_NAME, true;
    display_name_or_null => text::DISPLAY_NAME, true;
    token_name => text::TOKEN_NAME, false;
}

/// An item's link: an absolute http(s) URL with a host name, or `null`.
pub fn url_or_null() -> Object {
    let label = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    // The last label starts with a letter: an all-digit one would be read as an IPv4 address.
    let top = "[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    string(true)
        .max_length(Some(text::URL_MAX))
        .pattern(Some(format!(
            "^https?://({label}\\.)*{top}(:[1-9][0-9]{{0,3}})?([/?#][^\\s{CONTROL}]*)?$"
        )))
        .build()
}

/// A `#rrggbb` colour.
pub fn color() -> Object {
    string(false).pattern(Some("^#[0-9a-fA-F]{6}$")).build()
}

/// A colour in a partial update.
pub fn color_or_null() -> Object {
    string(true).pattern(Some("^#[0-9a-fA-F]{6}$")).build()
}

/// An e-mail address as the sign-up accepts it.
pub fn email() -> Object {
    let part = "[^\\s@\\u0000-\\u001f\\u007f-\\u009f]";
    let edge = "[^\\s@.\\u0000-\\u001f\\u007f-\\u009f]";
    string(false)
        .max_length(Some(text::EMAIL_MAX))
        .pattern(Some(format!("^{part}+@{edge}{part}*\\.{part}*{edge}$")))
        .build()
}

/// A new password.
pub fn new_password() -> Object {
    string(false)
        .min_length(Some(text::PASSWORD_MIN))
        .max_length(Some(text::PASSWORD_MAX))
        .build()
}

/// A zone of the bundled IANA database, or `null` (keep). The `null` is listed among the
/// values too: a schema's `enum` applies to every type it allows.
pub fn time_zone_or_null() -> Object {
    let names = crate::domain::time_zone_names().map(serde_json::Value::from);
    string(true)
        .enum_values(Some(names.chain([serde_json::Value::Null])))
        .build()
}

/// Up to the most tags an item may carry.
pub fn tag_ids_or_null() -> utoipa::openapi::schema::Array {
    ids(0, text::TAGS_PER_ITEM, true)
}

/// The items of a bulk action.
pub fn bulk_ids() -> utoipa::openapi::schema::Array {
    ids(1, text::BULK_MAX, false)
}

/// Tags an item list must carry.
pub fn tag_filter() -> utoipa::openapi::schema::Array {
    ids(0, text::TAG_FILTER_MAX, false)
}

fn ids(min: usize, max: usize, nullable: bool) -> utoipa::openapi::schema::Array {
    let items = ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::Integer))
        .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
            utoipa::openapi::KnownFormat::Int64,
        )));
    let array = ArrayBuilder::new()
        .items(items)
        .min_items(Some(min))
        .max_items(Some(max));
    if nullable {
        array
            .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
            .build()
    } else {
        array.build()
    }
}

/// A page size.
pub fn page_size() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::Integer))
        .minimum(Some(1))
        .maximum(Some(text::PAGE_MAX as f64))
        .default(Some(text::PAGE_DEFAULT.into()))
        .build()
}

/// A search query.
pub fn search() -> Object {
    string(false)
        .min_length(Some(1))
        .max_length(Some(text::SEARCH_MAX))
        .pattern(Some("^[^\\u0000]*$"))
        .build()
}

/// A page cursor: what `next_cursor` said.
pub fn cursor() -> Object {
    string(false).min_length(Some(1)).build()
}

/// A token's lifetime in days, or `null` (never expires).
pub fn token_days_or_null() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Integer, Type::Null]))
        .minimum(Some(1))
        .maximum(Some(text::TOKEN_DAYS_MAX as f64))
        .build()
}
