//! Capture: a saved link becomes a described item.
//!
//! When an item with a URL is saved, a `capture` job is queued with it; a worker runs
//! [`run`]: it fetches the page through the [guarded fetcher](fetch), decodes it
//! ([charset]), reads what it says about itself ([meta]) and records that on the item
//! (title when the user gave none, description, site, reading time) and in its capture
//! (final URL, status, charset, canonical URL, icon, image, author, dates, language).

pub mod charset;
pub mod fetch;
pub mod guard;
pub mod meta;
pub mod resolve;

use std::sync::Arc;

use serde::Deserialize;
use tidily_core::{
    app::{
        captures::{self, Captured, Outcome, Target},
        jobs::{Handlers, JobError},
        AppState,
    },
    config::Config,
    entity::job,
};
use url::Url;

pub use fetch::{FetchError, Fetcher, Limits};
pub use guard::Policy;
pub use resolve::Lookup;

/// The fetcher a server process captures with: its configured allow-list, the system's
/// resolver, the default limits.
pub fn fetcher(config: &Config) -> Fetcher {
    Fetcher::new(
        Policy::new(config.capture_allow.clone()),
        Lookup::System,
        Limits::default(),
    )
}

/// `handlers` with the capture job's handler added.
pub fn register(handlers: Handlers, fetcher: Fetcher) -> Handlers {
    let fetcher = Arc::new(fetcher);
    handlers.with(captures::KIND, move |state, job| {
        let fetcher = fetcher.clone();
        async move { run(&state, &fetcher, &job).await }
    })
}

#[derive(Deserialize)]
struct Payload {
    item_id: i64,
}

/// How many times one job follows an item whose URL changed while it was being fetched.
const URL_CHANGES: usize = 3;

/// Runs one capture job.
pub async fn run(state: &AppState, fetcher: &Fetcher, job: &job::Model) -> Result<(), JobError> {
    let payload: Payload = serde_json::from_str(&job.payload)
        .map_err(|e| JobError::Permanent(format!("malformed capture payload: {e}")))?;
    for _ in 0..URL_CHANGES {
        let Some(target) = captures::target(state, payload.item_id).await? else {
            // Deleted, or its URL removed: nothing to capture.
            return Ok(());
        };
        let last_try = job.attempts >= job.max_attempts;
        let (outcome, result) = match capture(fetcher, &target).await {
            Ok(found) => (Outcome::Done(Box::new(found)), Ok(())),
            Err(e) if e.is_transient() && !last_try => (
                Outcome::Retrying(e.to_string()),
                Err(JobError::Transient(e.to_string())),
            ),
            Err(e) => (
                Outcome::Failed(e.to_string()),
                Err(JobError::Permanent(e.to_string())),
            ),
        };
        if captures::record(state, &target, outcome).await? {
            return result;
        }
        // The URL changed meanwhile (its own capture could not be queued while this one
        // ran): capture the new one.
    }
    Err(JobError::Transient("the item's URL keeps changing".into()))
}

/// Fetches and reads the page of `target`.
pub async fn capture(fetcher: &Fetcher, target: &Target) -> Result<Captured, FetchError> {
    let url = Url::parse(&target.url).map_err(|_| FetchError::NoHost)?;
    let page = fetcher.get(&url).await?;
    let mut found = Captured {
        final_url: page.url.to_string(),
        http_status: page.status,
        content_type: page.content_type.clone(),
        ..Captured::default()
    };
    if !page.is_html() {
        return Ok(found);
    }
    let tld = page
        .url
        .host_str()
        .and_then(|h| h.rsplit('.').next())
        .map(str::to_owned);
    let decoded = charset::decode(&page.body, page.content_type.as_deref(), tld.as_deref());
    found.charset = Some(decoded.encoding.name().to_owned());
    (found.page, found.text) = meta::extract(&decoded.text, &page.url);
    let host = page
        .url
        .host_str()
        .map(|h| h.trim_start_matches("www.").to_owned());
    found.page.site_name = found
        .page
        .site_name
        .take()
        .or(host)
        .map(|s| s.chars().take(200).collect());
    Ok(found)
}
