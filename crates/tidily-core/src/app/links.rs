//! Link health as the surfaces and the checker see it: what the checks found, a check on
//! request, adopting a moved link's new address, and recording a check.
//!
//! The checking itself (HEAD, then GET) is the `tidily-capture` crate's; the rules that turn
//! checks into "broken" are `domain::link`'s.

pub use crate::store::links::{LinkTarget, LinkView, KIND};
use crate::{
    app::{items, owner::Owner, AppState},
    domain::{ids::ItemId, link::Observation, problem::Problem},
    error::{CoreError, CoreResult},
    store::{
        items::{ItemView, NewTags},
        links,
    },
    validate::Check,
};

/// Checks per sweep (every ten minutes): a hundred is 14,400 a day, enough to check every
/// link of a 100,000-item server every fortnight with room for failing ones.
pub const PER_SWEEP: u64 = 100;

/// The health of one of the owner's links.
pub async fn view(state: &AppState, owner: Owner, id: ItemId) -> CoreResult<LinkView> {
    links::view(&state.db, owner.id(), id.get()).await
}

/// Queues a check of one of the owner's links now; an item without a URL has none.
pub async fn check_now(state: &AppState, owner: Owner, id: ItemId) -> CoreResult<()> {
    if !links::request(&state.db, owner.id(), id.get()).await? {
        return Err(CoreError::field("url", Problem::Required));
    }
    Ok(())
}

/// Gives a moved link its new address (the item is captured and checked afresh). Refused
/// (422 on `url`) when the last check did not find it moved.
pub async fn adopt(state: &AppState, owner: Owner, id: ItemId) -> CoreResult<ItemView> {
    let health = links::view(&state.db, owner.id(), id.get()).await?;
    let to = health
        .moved_to
        .ok_or_else(|| CoreError::field("url", Problem::NotMoved))?;
    items::update(state, owner, id, Check::new(), NewTags::none(), |f| {
        f.url = Some(to)
    })
    .await
}

/// Queues the checks that are due (the periodic sweep).
pub async fn sweep(state: &AppState) -> CoreResult<usize> {
    links::queue_due(&state.db, PER_SWEEP).await
}

/// The item a check is for, if it still exists and has a URL (background work).
pub async fn target(state: &AppState, item_id: i64) -> CoreResult<Option<LinkTarget>> {
    links::target(&state.db, item_id).await
}

/// Records what a check saw; `false` when the item changed its URL or went meanwhile.
pub async fn record(state: &AppState, target: &LinkTarget, seen: Observation) -> CoreResult<bool> {
    let rule = state.config.link_break_rule;
    links::record(&state.db, target, seen, rule, rand::random::<f64>()).await
}
