//! Captures: the queue entry that asks for an item's page, and what the fetch found.
//!
//! An item with a URL is `pending` from the moment it is saved (its capture job is queued in
//! the same transaction, so no item waits for a job that was never queued), then `done` or
//! `failed`. A result is recorded only if the item still has the URL that was fetched: a URL
//! changed meanwhile has its own capture queued, and the stale result is dropped.

use chrono::{DateTime, Utc};
use sea_orm::{sea_query::OnConflict, ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use serde_json::json;

use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    db::Db,
    domain::{file::Digest, now, page::PageMeta, text, CaptureState},
    entity::{capture, item},
    error::CoreResult,
    store::{
        files, find_owned,
        items::search_text,
        jobs::{self, NewJob},
        search,
    },
};

/// The job kind of a capture.
pub const KIND: &str = "capture";
/// Tries per capture before it is `failed` (a retry follows a timeout, a 5xx or a 429).
pub const MAX_ATTEMPTS: i32 = 4;

/// The title an item carries while its page's title is not known: its URL.
pub fn placeholder_title(url: &str) -> String {
    url.chars().take(text::TITLE.max).collect()
}

/// The host a URL's requests go to, for the per-host politeness of the queue.
pub(crate) fn host_of(url: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
}

/// A page the user sent from their browser, stored (`files`) until its capture reads it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SentPage {
    pub digest: String,
    /// As it was sent (its charset).
    pub content_type: String,
}

/// The capture job of an item: a fetch of `url` (one live one per item), or the reading of a
/// page the user sent (its own key, so that a fetch already queued does not swallow it; no
/// host, as nothing is fetched but its images).
fn job(item_id: i64, url: &str, sent: Option<&SentPage>) -> NewJob {
    let (dedupe_key, payload, host) = match sent {
        None => (
            format!("{KIND}:{item_id}"),
            json!({ "item_id": item_id }),
            host_of(url),
        ),
        Some(sent) => (
            format!(
                "{KIND}:{item_id}:sent:{}",
                &sent.digest[..12.min(sent.digest.len())]
            ),
            json!({ "item_id": item_id, "sent": sent }),
            None,
        ),
    };
    NewJob {
        kind: KIND,
        dedupe_key: Some(dedupe_key),
        payload,
        host,
        max_attempts: MAX_ATTEMPTS,
        run_at: now(),
    }
}

/// The capture jobs of imported items, the `i`-th to run `pace` after the one before: a
/// large import is captured at a steady rate behind the user's own saves instead of putting
/// thousands of jobs ahead of them.
pub(crate) fn import_jobs(
    items: &[(i64, String)],
    start: DateTime<Utc>,
    pace: chrono::TimeDelta,
) -> Vec<NewJob> {
    items
        .iter()
        .enumerate()
        .map(|(i, (id, url))| NewJob {
            run_at: start + pace * i as i32,
            ..job(*id, url, None)
        })
        .collect()
}

/// Queues a capture of an item's page (one live capture per item: queuing again while one
/// waits or runs is a no-op).
pub async fn queue(db: &impl ConnectionTrait, item_id: i64, url: &str) -> CoreResult<()> {
    jobs::enqueue(db, job(item_id, url, None), now())
        .await
        .map(drop)
}

/// Marks an item's capture pending and queues it: a fresh fetch the user asked for, or the
/// reading of a page they `sent`. Returns `false`, changing nothing, for an item without a
/// URL.
pub async fn request(
    db: &Db,
    user_id: i64,
    item_id: i64,
    sent: Option<&SentPage>,
) -> CoreResult<bool> {
    let tx = db.write_for(user_id).await?;
    let m = find_owned::<item::Entity>(&*tx, user_id, item_id).await?;
    let Some(url) = m.url.clone() else {
        return Ok(false);
    };
    let mut active: item::ActiveModel = m.into();
    active.capture_state = Set(Some(CaptureState::Pending));
    active.update(&*tx).await?;
    jobs::enqueue(&*tx, job(item_id, &url, sent), now()).await?;
    tx.commit().await?;
    Ok(true)
}

/// What a capture job needs of its item.
#[derive(Debug, Clone)]
pub struct Target {
    pub item_id: i64,
    pub user_id: i64,
    pub url: String,
}

/// The item a capture job is for, if it still exists and has a URL.
pub async fn target(db: &Db, item_id: i64) -> CoreResult<Option<Target>> {
    let m = item::Entity::find_by_id(item_id).one(db.read()).await?;
    Ok(m.and_then(|m| {
        m.url.map(|url| Target {
            item_id,
            user_id: m.user_id,
            url,
        })
    }))
}

/// What a successful fetch found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Captured {
    pub final_url: String,
    pub http_status: u16,
    pub content_type: Option<String>,
    /// The encoding the page was decoded with.
    pub charset: Option<String>,
    pub page: PageMeta,
    /// The page's text, for search.
    pub text: String,
    /// The stored copy of its icon (`store::files`), if one could be stored.
    pub favicon: Option<Digest>,
    /// The stored, resized copy of its preview image.
    pub preview: Option<Digest>,
    /// The stored readable archive, if the page had an article and it could be stored.
    pub archive: Option<StoredArchive>,
}

/// A stored readable archive: its HTML and the images it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredArchive {
    pub html: Digest,
    pub images: Vec<Digest>,
}

/// The capture of an item's page, as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaptureView {
    /// `null` for an item without a URL.
    pub state: Option<CaptureState>,
    /// The URL that was (or is being) fetched.
    pub url: Option<String>,
    /// Where its redirects ended.
    pub final_url: Option<String>,
    pub http_status: Option<i32>,
    pub content_type: Option<String>,
    /// The encoding the page was read in (declared, or detected when the declaration was
    /// missing or wrong).
    pub charset: Option<String>,
    /// What the page says of itself; `null` until a fetch has succeeded.
    pub page: Option<PageMeta>,
    /// Why the last attempt failed.
    pub error: Option<String>,
    pub fetched_at: Option<DateTime<Utc>>,
}

/// How a capture ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Done(Box<Captured>),
    /// Failed, and another try is queued.
    Retrying(String),
    /// Failed for good (or out of tries).
    Failed(String),
}

/// Records how the capture of `target` ended. Returns `false`, recording nothing, when the
/// item is gone or no longer has the URL that was fetched.
pub async fn record(db: &Db, target: &Target, outcome: Outcome) -> CoreResult<bool> {
    let tx = db.write_for(target.user_id).await?;
    let Some(m) = item::Entity::find_by_id(target.item_id).one(&*tx).await? else {
        return Ok(false);
    };
    if m.url.as_deref() != Some(target.url.as_str()) {
        return Ok(false);
    }
    let now = now();
    let mut row = capture::ActiveModel {
        item_id: Set(target.item_id),
        url: Set(target.url.clone()),
        updated_at: Set(now),
        ..Default::default()
    };
    let mut item: item::ActiveModel = m.clone().into();
    let mut columns = vec![
        capture::Column::Url,
        capture::Column::Error,
        capture::Column::UpdatedAt,
    ];
    match outcome {
        Outcome::Done(c) => {
            let page = c.page;
            let title = match page.title.as_deref() {
                // The page names itself and the user has not: the page's title it is.
                Some(t) if m.title == placeholder_title(&target.url) => {
                    t.chars().take(text::TITLE.max).collect()
                }
                _ => m.title.clone(),
            };
            // A description the item had from elsewhere (an import, a client that sent one)
            // stays; one that an earlier capture wrote is the page's to replace.
            let earlier = capture::Entity::find_by_id(m.id)
                .one(&*tx)
                .await?
                .and_then(|c| c.description);
            let description =
                if m.description.is_empty() || Some(&m.description) == earlier.as_ref() {
                    page.description.clone().unwrap_or_default()
                } else {
                    m.description.clone()
                };
            let text = search_text(&title, m.url.as_deref(), &m.memo, &description);
            search::index_fields(&*tx, m.id, m.user_id, &text).await?;
            search::index_page(&*tx, m.id, m.user_id, &c.text).await?;
            item.search_text = Set(text);
            item.title = Set(title);
            item.description = Set(description);
            item.site_name = Set(page.site_name.clone());
            item.reading_minutes = Set(page.reading_minutes);
            item.favicon_digest = Set(c.favicon.map(|d| d.to_string()));
            item.preview_digest = Set(c.preview.map(|d| d.to_string()));
            item.archive_digest = Set(c.archive.as_ref().map(|a| a.html.to_string()));
            let images = c.archive.map(|a| a.images).unwrap_or_default();
            files::set_archive_images(&*tx, m.id, &images).await?;
            item.capture_state = Set(Some(CaptureState::Done));
            item.updated_at = Set(now);
            row.final_url = Set(Some(c.final_url));
            row.http_status = Set(Some(c.http_status.into()));
            row.content_type = Set(c.content_type);
            row.charset = Set(c.charset);
            row.title = Set(page.title);
            row.description = Set(page.description);
            row.site_name = Set(page.site_name);
            row.reading_minutes = Set(page.reading_minutes);
            row.canonical_url = Set(page.canonical_url);
            row.favicon_url = Set(page.favicon_url);
            row.image_url = Set(page.image_url);
            row.author = Set(page.author);
            row.published_at = Set(page.published_at);
            row.lang = Set(page.lang);
            row.error = Set(None);
            row.fetched_at = Set(Some(now));
            columns.extend([
                capture::Column::FinalUrl,
                capture::Column::HttpStatus,
                capture::Column::ContentType,
                capture::Column::Charset,
                capture::Column::Title,
                capture::Column::Description,
                capture::Column::SiteName,
                capture::Column::ReadingMinutes,
                capture::Column::CanonicalUrl,
                capture::Column::FaviconUrl,
                capture::Column::ImageUrl,
                capture::Column::Author,
                capture::Column::PublishedAt,
                capture::Column::Lang,
                capture::Column::FetchedAt,
            ]);
        }
        Outcome::Retrying(error) => {
            row.error = Set(Some(error));
            item.capture_state = Set(Some(CaptureState::Pending));
        }
        Outcome::Failed(error) => {
            row.error = Set(Some(error));
            item.capture_state = Set(Some(CaptureState::Failed));
        }
    }
    item.update(&*tx).await?;
    capture::Entity::insert(row)
        .on_conflict(
            OnConflict::column(capture::Column::ItemId)
                .update_columns(columns)
                .to_owned(),
        )
        .exec_without_returning(&*tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// The capture of one of the user's items: its state, and what the last capture of its
/// current URL found.
pub async fn view(db: &Db, user_id: i64, item_id: i64) -> CoreResult<CaptureView> {
    let m = find_owned::<item::Entity>(db.read(), user_id, item_id).await?;
    let last = capture::Entity::find_by_id(item_id)
        .one(db.read())
        .await?
        .filter(|c| Some(&c.url) == m.url.as_ref());
    let Some(c) = last else {
        return Ok(CaptureView {
            state: m.capture_state,
            url: m.url,
            final_url: None,
            http_status: None,
            content_type: None,
            charset: None,
            page: None,
            error: None,
            fetched_at: None,
        });
    };
    let page = c.fetched_at.is_some().then_some(PageMeta {
        title: c.title,
        description: c.description,
        site_name: c.site_name,
        canonical_url: c.canonical_url,
        favicon_url: c.favicon_url,
        image_url: c.image_url,
        author: c.author,
        published_at: c.published_at,
        lang: c.lang,
        reading_minutes: c.reading_minutes,
    });
    Ok(CaptureView {
        state: m.capture_state,
        url: m.url,
        final_url: c.final_url,
        http_status: c.http_status,
        content_type: c.content_type,
        charset: c.charset,
        page,
        error: c.error,
        fetched_at: c.fetched_at,
    })
}
