//! What a web page says about itself, as its capture read it.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// A page's own metadata. Every field is optional: pages say what they say.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct PageMeta {
    /// The page's own title (the item's title is the user's once they edit it).
    pub title: Option<String>,
    pub description: Option<String>,
    /// The site's name for itself, else its host.
    pub site_name: Option<String>,
    /// The page's canonical URL, when it names one on its own site.
    pub canonical_url: Option<String>,
    /// The best icon the page offers, else `/favicon.ico` of its origin.
    pub favicon_url: Option<String>,
    /// Its preview image (Open Graph, Twitter card or JSON-LD).
    pub image_url: Option<String>,
    pub author: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    /// `ja`, `en-US`, …
    pub lang: Option<String>,
    /// Minutes to read its text (Japanese counted by characters, not words).
    pub reading_minutes: Option<i32>,
}
