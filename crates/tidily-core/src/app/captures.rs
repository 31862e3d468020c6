//! Capture of saved pages, as the surfaces and the capture worker see it: asking for a fresh
//! copy, reading what the last capture found, and recording a result.
//!
//! The fetching and parsing are the `tidily-capture` crate's; this is their side in the
//! database, behind the owner checks of the application layer.

pub use crate::store::captures::{
    CaptureView, Captured, Outcome, SentPage, StoredArchive, Target, KIND,
};
use crate::{
    app::{
        files::{self, NewFile},
        owner::Owner,
        AppState,
    },
    domain::{file::Digest, ids::ItemId, problem::Problem},
    entity::item,
    error::{CoreError, CoreResult},
    store::{captures, find_owned},
};

/// Queues a fresh capture of one of the owner's items (its state turns `pending`); an item
/// without a URL has nothing to capture.
pub async fn refetch(state: &AppState, owner: Owner, id: ItemId) -> CoreResult<()> {
    if !captures::request(&state.db, owner.id(), id.get(), None).await? {
        return Err(no_url());
    }
    Ok(())
}

/// An item without a URL has no page to capture.
fn no_url() -> CoreError {
    CoreError::field("url", Problem::Required)
}

/// Reads a page the owner sent from their browser (a page behind a log-in) into one of their
/// items, as a capture would have fetched it: stored within the quota, read in the background.
pub async fn send_page(
    state: &AppState,
    owner: Owner,
    id: ItemId,
    html: bytes::Bytes,
    content_type: String,
) -> CoreResult<()> {
    let item = find_owned::<item::Entity>(state.db.read(), owner.id(), id.get()).await?;
    if item.url.is_none() {
        return Err(no_url());
    }
    let file = NewFile {
        digest: Digest::of(&html),
        size: html.len() as i64,
        content_type: "text/html",
        width: 0,
        height: 0,
    };
    let digest = files::store(state, owner.id(), file, html)
        .await?
        .map_err(|_| CoreError::field("page", Problem::OverQuota))?;
    let sent = SentPage {
        digest: digest.to_string(),
        content_type: content_type.chars().take(200).collect(),
    };
    // The URL may have been removed meanwhile; the stored page is then collected.
    if !captures::request(&state.db, owner.id(), id.get(), Some(&sent)).await? {
        return Err(no_url());
    }
    Ok(())
}

/// The capture of one of the owner's items: its state, and what the page said.
pub async fn view(state: &AppState, owner: Owner, id: ItemId) -> CoreResult<CaptureView> {
    captures::view(&state.db, owner.id(), id.get()).await
}

/// The item a capture job is for, if it still exists and has a URL (background work: no
/// owner, the job names the item).
pub async fn target(state: &AppState, item_id: i64) -> CoreResult<Option<Target>> {
    captures::target(&state.db, item_id).await
}

/// Records how a capture ended; `false` when the item changed its URL or went meanwhile.
pub async fn record(state: &AppState, target: &Target, outcome: Outcome) -> CoreResult<bool> {
    captures::record(&state.db, target, outcome).await
}
