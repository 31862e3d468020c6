//! Capture: a saved link becomes a described item.
//!
//! When an item with a URL is saved, a `capture` job is queued with it; a worker runs
//! [`run`]: it fetches the page through the [guarded fetcher](fetch), decodes it
//! ([charset]), reads what it says about itself ([meta]) and records that on the item
//! (title when the user gave none, description, site, reading time) and in its capture
//! (final URL, status, charset, canonical URL, icon, image, author, dates, language). The
//! page's icon and preview image are fetched through the same fetcher, re-encoded small
//! ([images]) and stored for the item's owner (`app::files`). The same fetcher checks saved
//! links for health ([links]).

pub mod charset;
pub mod fetch;
pub mod guard;
pub mod images;
pub mod links;
pub mod meta;
pub mod resolve;

use std::sync::Arc;

use serde::Deserialize;
use tidily_core::{
    app::{
        captures::{self, Captured, Outcome, Target},
        files::{self, NewFile},
        jobs::{Handlers, JobError},
        AppState,
    },
    config::Config,
    domain::file::Digest,
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

/// `handlers` with the handlers of capture and link-check jobs added, sharing `fetcher`.
pub fn register(handlers: Handlers, fetcher: Fetcher) -> Handlers {
    let fetcher = Arc::new(fetcher);
    let checker = fetcher.clone();
    handlers
        .with(captures::KIND, move |state, job| {
            let fetcher = fetcher.clone();
            async move { run(&state, &fetcher, &job).await }
        })
        .with(tidily_core::app::links::KIND, move |state, job| {
            let fetcher = checker.clone();
            async move { links::run(&state, &fetcher, &job).await }
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
            Ok(mut found) => {
                keep_images(state, fetcher, &target, &mut found).await?;
                (Outcome::Done(Box::new(found)), Ok(()))
            }
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

/// Fetches, re-encodes and stores the page's icon (falling back to `/favicon.ico`) and its
/// preview image for the item's owner. An image that cannot be had is left out: a capture
/// does not fail for one. Only the file store failing fails it (to be tried again).
async fn keep_images(
    state: &AppState,
    fetcher: &Fetcher,
    target: &Target,
    found: &mut Captured,
) -> Result<(), JobError> {
    if state.config.storage_quota_bytes == 0 {
        return Ok(());
    }
    let page_url = Url::parse(&found.final_url).ok();
    let mut icons: Vec<Url> = found
        .page
        .favicon_url
        .as_deref()
        .and_then(|u| Url::parse(u).ok())
        .into_iter()
        .collect();
    if let Some(fallback) = page_url.and_then(|u| u.join("/favicon.ico").ok()) {
        if !icons.contains(&fallback) {
            icons.push(fallback);
        }
    }
    let previews: Vec<Url> = found
        .page
        .image_url
        .as_deref()
        .and_then(|u| Url::parse(u).ok())
        .into_iter()
        .collect();
    found.favicon = keep(state, fetcher, target, &icons, images::Purpose::Favicon).await?;
    found.preview = keep(state, fetcher, target, &previews, images::Purpose::Preview).await?;
    Ok(())
}

/// The first of `urls` that yields an image, stored; `None` when none does.
async fn keep(
    state: &AppState,
    fetcher: &Fetcher,
    target: &Target,
    urls: &[Url],
    purpose: images::Purpose,
) -> Result<Option<Digest>, JobError> {
    for url in urls {
        let prepared = match fetcher.get_image(url, purpose.fetch_cap()).await {
            Ok(bytes) => images::prepare_blocking(bytes, purpose)
                .await
                .map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        let prepared = match prepared {
            Ok(p) => p,
            Err(reason) => {
                tracing::debug!(item = target.item_id, %url, %reason, ?purpose, "image not kept");
                continue;
            }
        };
        let file = NewFile {
            digest: Digest::of(&prepared.bytes),
            size: prepared.bytes.len() as i64,
            content_type: prepared.content_type,
            width: prepared.width,
            height: prepared.height,
        };
        return match files::store(state, target.user_id, file, prepared.bytes.into()).await? {
            Ok(digest) => Ok(Some(digest)),
            Err(over) => {
                tracing::info!(user = target.user_id, item = target.item_id, %over, "image not stored");
                Ok(None)
            }
        };
    }
    Ok(None)
}
