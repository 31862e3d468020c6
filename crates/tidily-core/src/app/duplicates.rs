//! Duplicates: "already saved" for a link, the groups of items that link to one page, and
//! merging a group into its oldest item.

use crate::{
    app::{items::ItemView, owner::Owner, AppState},
    domain::{ids::ItemId, problem::Problem},
    error::CoreResult,
    store::duplicates,
    validate::Check,
};

/// Items merged at once, at most.
pub const MERGE_MAX: usize = 50;

/// The owner's items (out of the trash) that link to the same page as `url`, oldest first;
/// `except` leaves one out (the item being looked at).
pub async fn saved_as(
    state: &AppState,
    owner: Owner,
    url: &str,
    except: Option<ItemId>,
) -> CoreResult<Vec<ItemView>> {
    let mut found = duplicates::saved_as(&state.db, owner.id(), url).await?;
    found.retain(|v| Some(v.id) != except.map(ItemId::get));
    Ok(found)
}

/// The owner's groups of items that link to one page, oldest first (at most 200 groups).
pub async fn groups(state: &AppState, owner: Owner) -> CoreResult<Vec<Vec<ItemView>>> {
    duplicates::groups(&state.db, owner.id(), 200).await
}

/// Merges 2-50 of the owner's items, all links to one page, into the oldest (tags united,
/// memos kept, the others deleted); returns the item that stays.
pub async fn merge(state: &AppState, owner: Owner, ids: &[i64]) -> CoreResult<ItemView> {
    let mut distinct = ids.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    let mut check = Check::new();
    if distinct.len() < 2 || distinct.len() > MERGE_MAX {
        check.add(
            "ids",
            Problem::Count {
                min: 2,
                max: MERGE_MAX,
            },
        );
    }
    check.finish()?;
    duplicates::merge(&state.db, owner.id(), &distinct).await
}
