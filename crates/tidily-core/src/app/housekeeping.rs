//! Work no user asks for: trash past its retention, expired credentials and stored files
//! nothing refers to go, and the search index is kept compact. Idempotent, so several
//! instances running it at once do no harm.

use crate::{
    app::{files, AppState},
    error::CoreResult,
    store::{credentials, items, search},
};

/// Steps of index compaction per run: at most a few seconds of short writes.
const COMPACT_STEPS: usize = 200;

/// Purges items in the trash longer than the configured retention and deletes expired
/// sessions and tokens, then the files nothing refers to any more, and compacts the search
/// index; returns how many items were purged.
pub async fn run(state: &AppState) -> CoreResult<u64> {
    let retention = chrono::Duration::days(state.config.trash_retention_days.into());
    let purged = items::purge_expired_trash(&state.db, retention).await?;
    credentials::purge_expired(&state.db).await?;
    files::collect(state).await?;
    search::compact(&state.db, COMPACT_STEPS).await?;
    Ok(purged)
}
