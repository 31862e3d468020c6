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
pub mod reader;
pub mod resolve;

use std::{collections::HashMap, sync::Arc};

use serde::Deserialize;
use tidily_core::{
    app::{
        captures::{self, Captured, Outcome, SentPage, StoredArchive, Target},
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
    /// A page the user sent from their browser, read instead of a fetch.
    #[serde(default)]
    sent: Option<SentPage>,
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
        let read = match &payload.sent {
            Some(sent) => Ok(read_sent(state, &target, sent).await?),
            None => capture(fetcher, &target).await,
        };
        let (outcome, result) = match read {
            Ok((mut found, article)) => {
                keep_images(state, fetcher, &target, &mut found).await?;
                if let Some(article) = article {
                    found.archive = keep_archive(state, fetcher, &target, article).await?;
                }
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

/// Fetches and reads the page of `target`: what it says of itself, and its readable
/// article if it has one (whose text is then what search indexes and the reading time counts).
pub async fn capture(
    fetcher: &Fetcher,
    target: &Target,
) -> Result<(Captured, Option<reader::Article>), FetchError> {
    let url = Url::parse(&target.url).map_err(|_| FetchError::NoHost)?;
    let page = fetcher.get(&url).await?;
    if !page.is_html() {
        let found = Captured {
            final_url: page.url.to_string(),
            http_status: page.status,
            content_type: page.content_type.clone(),
            ..Captured::default()
        };
        return Ok((found, None));
    }
    Ok(read(
        &page.body,
        page.content_type.as_deref(),
        &page.url,
        page.status,
    ))
}

/// Reads a page the user sent (stored when it was sent) as if it had been fetched from the
/// item's URL.
async fn read_sent(
    state: &AppState,
    target: &Target,
    sent: &SentPage,
) -> Result<(Captured, Option<reader::Article>), JobError> {
    let url = Url::parse(&target.url)
        .map_err(|e| JobError::Permanent(format!("the item's URL is not a URL: {e}")))?;
    let digest = Digest::parse(&sent.digest)
        .ok_or_else(|| JobError::Permanent("malformed sent page".into()))?;
    let body = state
        .blobs
        .get(&digest)
        .await
        .map_err(|e| JobError::Transient(format!("the file store failed: {e}")))?
        .ok_or_else(|| JobError::Permanent("the sent page is no longer stored".into()))?;
    Ok(read(&body, Some(&sent.content_type), &url, 200))
}

/// Reads an HTML page found at `url`: what it says of itself, and its readable article.
pub fn read(
    body: &[u8],
    content_type: Option<&str>,
    url: &Url,
    status: u16,
) -> (Captured, Option<reader::Article>) {
    let mut found = Captured {
        final_url: url.to_string(),
        http_status: status,
        content_type: content_type.map(str::to_owned),
        ..Captured::default()
    };
    let tld = url
        .host_str()
        .and_then(|h| h.rsplit('.').next())
        .map(str::to_owned);
    let decoded = charset::decode(body, content_type, tld.as_deref());
    found.charset = Some(decoded.encoding.name().to_owned());
    (found.page, found.text) = meta::extract(&decoded.text, url);
    let host = url
        .host_str()
        .map(|h| h.trim_start_matches("www.").to_owned());
    found.page.site_name = found
        .page
        .site_name
        .take()
        .or(host)
        .map(|s| s.chars().take(200).collect());
    let article = reader::extract(&decoded.text, url);
    if let Some(a) = &article {
        found.text = a.text.clone();
        found.page.reading_minutes = meta::reading_minutes(&a.text);
    }
    (found, article)
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

/// Stores the readable archive of the page: its images (fetched, re-encoded, stored like the
/// preview) and its sanitised HTML pointing at them. Images that cannot be had are left out of
/// the archive; an archive past the owner's quota is not kept.
async fn keep_archive(
    state: &AppState,
    fetcher: &Fetcher,
    target: &Target,
    article: reader::Article,
) -> Result<Option<StoredArchive>, JobError> {
    if state.config.storage_quota_bytes == 0 {
        return Ok(None);
    }
    let mut stored = HashMap::new();
    let mut images = Vec::new();
    for url in &article.images {
        let one = std::slice::from_ref(url);
        if let Some(digest) = keep(state, fetcher, target, one, images::Purpose::Article).await? {
            stored.insert(
                url.clone(),
                format!("/items/{}/images/{digest}", target.item_id),
            );
            images.push(digest);
        }
    }
    let html = reader::localise(&article.html, &stored).into_bytes();
    let file = NewFile {
        digest: Digest::of(&html),
        size: html.len() as i64,
        content_type: "text/html; charset=utf-8",
        width: 0,
        height: 0,
    };
    match files::store(state, target.user_id, file, html.into()).await? {
        Ok(html) => Ok(Some(StoredArchive { html, images })),
        Err(over) => {
            tracing::info!(user = target.user_id, item = target.item_id, %over, "archive not stored");
            Ok(None)
        }
    }
}
