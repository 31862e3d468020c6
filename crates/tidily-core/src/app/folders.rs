//! Folders: each profile's tree, with memos and manual order.

use std::collections::HashMap;

pub use crate::store::{folder_tree::FolderTree, folders::FolderMove};
use crate::{
    app::{owner::Owner, AppState},
    domain::{
        ids::{FolderId, ProfileId},
        text,
    },
    entity::folder,
    error::CoreResult,
    store::{find_owned, folders},
    validate::Check,
};

/// A profile's folders, siblings by position (see [`FolderTree`] for the nesting).
pub async fn list(
    state: &AppState,
    owner: Owner,
    profile: ProfileId,
) -> CoreResult<Vec<folder::Model>> {
    folders::list(state.db.read(), owner.id(), profile.get()).await
}

/// How many active items each folder of a profile (or of every profile) holds directly.
pub async fn item_counts(
    state: &AppState,
    owner: Owner,
    profile: Option<ProfileId>,
) -> CoreResult<HashMap<i64, i64>> {
    folders::item_counts(&state.db, owner.id(), profile.map(ProfileId::get)).await
}

/// One of the owner's folders.
pub async fn get(state: &AppState, owner: Owner, id: FolderId) -> CoreResult<folder::Model> {
    find_owned::<folder::Entity>(state.db.read(), owner.id(), id.get()).await
}

/// A new folder, last under `parent` (or at the top level of `profile`).
pub async fn create(
    state: &AppState,
    owner: Owner,
    profile: ProfileId,
    parent: Option<FolderId>,
    name: &str,
    memo: &str,
) -> CoreResult<folder::Model> {
    let mut check = Check::new();
    let name = check.text("name", name, text::FOLDER_NAME);
    let memo = check.text("memo", memo, text::MEMO);
    check.finish()?;
    let parent = parent.map(FolderId::get);
    folders::create(&state.db, owner.id(), profile.get(), parent, name, memo).await
}

/// Renames a folder and/or rewrites its memo; absent values stay.
pub async fn update(
    state: &AppState,
    owner: Owner,
    id: FolderId,
    name: Option<&str>,
    memo: Option<&str>,
) -> CoreResult<folder::Model> {
    let mut check = Check::new();
    let name = name.map(|n| check.text("name", n, text::FOLDER_NAME));
    let memo = memo.map(|m| check.text("memo", m, text::MEMO));
    check.finish()?;
    folders::update(&state.db, owner.id(), id.get(), name, memo).await
}

/// Moves a folder under another parent and/or among its siblings. Moving a folder into its
/// own subtree is a conflict.
pub async fn move_folder(
    state: &AppState,
    owner: Owner,
    id: FolderId,
    to: FolderMove,
) -> CoreResult<folder::Model> {
    folders::move_folder(&state.db, owner.id(), id.get(), to).await
}

/// Deletes a folder and its sub-folders; their items move up to the folder's parent.
pub async fn delete(state: &AppState, owner: Owner, id: FolderId) -> CoreResult<()> {
    folders::delete(&state.db, owner.id(), id.get()).await
}
