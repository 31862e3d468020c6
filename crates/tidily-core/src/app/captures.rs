//! Capture of saved pages, as the surfaces and the capture worker see it: asking for a fresh
//! copy, reading what the last capture found, and recording a result.
//!
//! The fetching and parsing are the `tidily-capture` crate's; this is their side in the
//! database, behind the owner checks of the application layer.

pub use crate::store::captures::{CaptureView, Captured, Outcome, Target, KIND};
use crate::{
    app::{owner::Owner, AppState},
    domain::{ids::ItemId, problem::Problem},
    error::CoreResult,
    store::captures,
    validate::Check,
};

/// Queues a fresh capture of one of the owner's items (its state turns `pending`); an item
/// without a URL has nothing to capture.
pub async fn refetch(state: &AppState, owner: Owner, id: ItemId) -> CoreResult<()> {
    if !captures::request(&state.db, owner.id(), id.get()).await? {
        let mut check = Check::new();
        check.add("url", Problem::Required);
        check.finish()?;
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
