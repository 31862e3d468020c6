//! What an account holds and what happened to it: counts, and the activity log.

pub use crate::store::stats::Stats;
use crate::{
    app::{owner::Owner, profiles, AppState},
    domain::ids::{ItemId, ProfileId},
    entity::activity,
    error::CoreResult,
    store::{activity as log, stats},
    validate::Check,
};

/// Counts of the owner's items by status, kind, priority and label, in one profile or all.
pub async fn counts(
    state: &AppState,
    owner: Owner,
    profile: Option<ProfileId>,
) -> CoreResult<Stats> {
    if let Some(p) = profile {
        profiles::get(state, owner, p).await?;
    }
    stats::stats(&state.db, owner.id(), profile.map(ProfileId::get)).await
}

/// The owner's most recent activity, newest first (of one item, when given).
pub async fn activity(
    state: &AppState,
    owner: Owner,
    item: Option<ItemId>,
    limit: Option<u64>,
) -> CoreResult<Vec<activity::Model>> {
    let mut check = Check::new();
    let limit = check.page_size("limit", limit);
    check.finish()?;
    log::recent(&state.db, owner.id(), item.map(ItemId::get), limit).await
}
