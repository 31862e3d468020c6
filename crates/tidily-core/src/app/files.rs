//! Stored files (favicons and previews): stored for an item's owner within their quota,
//! served only to them, and collected once nothing refers to them.

use bytes::Bytes;
use chrono::Duration;

pub use crate::store::files::NewFile;
use crate::{
    app::{owner::Owner, AppState},
    domain::{
        file::{Digest, FileRole},
        ids::ItemId,
        now,
    },
    entity::file,
    error::{CoreError, CoreResult},
    store::files,
};

/// How long an unreferenced file is kept: longer than any capture takes between storing a
/// file and recording the item that refers to it.
const KEEP_UNREFERENCED_HOURS: i64 = 24;
/// Files collected per round of housekeeping.
const COLLECT_BATCH: u64 = 500;

/// Storing would take the user past their quota.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("storage quota reached ({used} of {quota} bytes used)")]
pub struct OverQuota {
    pub used: u64,
    pub quota: u64,
}

fn unavailable(e: object_store::Error) -> CoreError {
    tracing::error!(error = %e, "file store failed");
    CoreError::Unavailable
}

/// Stores `bytes` for the user (background work: the capture job names the item's owner):
/// free when one of their items already refers to the same file, refused past the quota.
/// The caller records the returned digest on the item.
pub async fn store(
    state: &AppState,
    user_id: i64,
    file: NewFile,
    bytes: Bytes,
) -> CoreResult<Result<Digest, OverQuota>> {
    let quota = state.config.storage_quota_bytes;
    if !files::is_referenced_by(&state.db, user_id, &file.digest).await? {
        let used = u64::try_from(files::usage(state.db.read(), user_id).await?).unwrap_or(0);
        if used + bytes.len() as u64 > quota {
            return Ok(Err(OverQuota { used, quota }));
        }
    }
    files::touch(&state.db, &file).await?;
    state
        .blobs
        .put(&file.digest, bytes)
        .await
        .map_err(unavailable)?;
    Ok(Ok(file.digest))
}

/// A stored file as served.
#[derive(Debug, Clone)]
pub struct Served {
    pub digest: Digest,
    pub content_type: String,
    pub bytes: Bytes,
}

/// The stored file of `role` on one of the owner's items; `NotFound` when the item is not
/// theirs or has none.
pub async fn open(
    state: &AppState,
    owner: Owner,
    id: ItemId,
    role: FileRole,
) -> CoreResult<Served> {
    let (digest, row) = files::of_item(&state.db, owner.id(), id.get(), role)
        .await?
        .ok_or(CoreError::NotFound)?;
    served(state, digest, row).await
}

/// An image of one of the owner's readable archives; `NotFound` unless the item is theirs
/// and its archive shows it.
pub async fn archive_image(
    state: &AppState,
    owner: Owner,
    id: ItemId,
    digest: &str,
) -> CoreResult<Served> {
    let digest = Digest::parse(digest).ok_or(CoreError::NotFound)?;
    let row = files::archive_image(&state.db, owner.id(), id.get(), &digest)
        .await?
        .ok_or(CoreError::NotFound)?;
    served(state, digest, row).await
}

/// The bytes of a stored file, as served.
async fn served(state: &AppState, digest: Digest, row: file::Model) -> CoreResult<Served> {
    let bytes = state
        .blobs
        .get(&digest)
        .await
        .map_err(unavailable)?
        .ok_or_else(|| {
            tracing::warn!(digest = %digest, "a referenced file is missing from the store");
            CoreError::NotFound
        })?;
    Ok(Served {
        digest,
        content_type: row.content_type,
        bytes,
    })
}

/// How much of their storage a user has used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Usage {
    /// Bytes of stored files the user's items refer to (each file once).
    pub used_bytes: u64,
    /// The most they may use (0: no files are stored for anyone).
    pub quota_bytes: u64,
}

pub async fn usage(state: &AppState, owner: Owner) -> CoreResult<Usage> {
    let used = files::usage(state.db.read(), owner.id()).await?;
    Ok(Usage {
        used_bytes: u64::try_from(used).unwrap_or(0),
        quota_bytes: state.config.storage_quota_bytes,
    })
}

/// Deletes files nothing has referred to for a day (housekeeping); returns how many went.
/// Each goes in its own transaction, which holds the file's row while its bytes are deleted.
pub async fn collect(state: &AppState) -> CoreResult<u64> {
    let before = now() - Duration::hours(KEEP_UNREFERENCED_HOURS);
    let mut deleted = 0;
    for digest in files::unreferenced(&state.db, before, COLLECT_BATCH).await? {
        let tx = state.db.write().await?;
        if files::forget_unreferenced(&*tx, &digest, before).await? {
            state.blobs.delete(&digest).await.map_err(unavailable)?;
            deleted += 1;
        }
        tx.commit().await?;
    }
    Ok(deleted)
}
