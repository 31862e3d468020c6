//! The read models of the pages: the owner's labels, counts and item pages as of one revision
//! of their data, memoised per revision (see `store::memo`), so a page costs few queries.

pub use crate::store::{
    memo::{Labels, UserData},
    stats::{LabelCount, Overview},
};
use crate::{
    app::{owner::Owner, AppState},
    error::CoreResult,
    store::users,
};

/// The owner's data as of `revision` (the one their request's session read).
pub fn as_of(state: &AppState, owner: Owner, revision: i64) -> UserData<'_> {
    UserData::new(&state.db, &state.memo, owner.id(), revision)
}

/// The owner's revision now: after a write, what the next read must be as of.
pub async fn revision(state: &AppState, owner: Owner) -> CoreResult<i64> {
    users::revision(&state.db, owner.id()).await
}
