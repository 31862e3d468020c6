//! Profiles: a person's separate spaces (Private, Business, …), in the order they chose.

use crate::{
    app::{owner::Owner, AppState},
    domain::{ids::ProfileId, text},
    entity::profile,
    error::CoreResult,
    store::{find_owned, profiles},
    validate::Check,
};

/// The owner's profiles in their order.
pub async fn list(state: &AppState, owner: Owner) -> CoreResult<Vec<profile::Model>> {
    profiles::list(state.db.read(), owner.id()).await
}

/// One of the owner's profiles.
pub async fn get(state: &AppState, owner: Owner, id: ProfileId) -> CoreResult<profile::Model> {
    find_owned::<profile::Entity>(state.db.read(), owner.id(), id.get()).await
}

/// A new profile, last in the order. A name the owner already uses is a conflict.
pub async fn create(state: &AppState, owner: Owner, name: &str) -> CoreResult<profile::Model> {
    let mut check = Check::new();
    let name = check.text("name", name, text::PROFILE_NAME);
    check.finish()?;
    profiles::create(&state.db, owner.id(), &name).await
}

/// Where a profile goes in the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfilePlace {
    /// Where it is.
    Stay,
    /// First.
    First,
    /// Right after this one.
    After(ProfileId),
}

/// Renames and/or re-orders a profile.
pub async fn update(
    state: &AppState,
    owner: Owner,
    id: ProfileId,
    name: Option<&str>,
    place: ProfilePlace,
) -> CoreResult<profile::Model> {
    let mut check = Check::new();
    let name = name.map(|n| check.text("name", n, text::PROFILE_NAME));
    check.finish()?;
    let after = match place {
        ProfilePlace::Stay => None,
        ProfilePlace::First => Some(None),
        ProfilePlace::After(other) => Some(Some(other.get())),
    };
    profiles::update(&state.db, owner.id(), id.get(), name, after).await
}

/// Deletes a profile with its folders and items; the owner's last profile cannot go.
pub async fn delete(state: &AppState, owner: Owner, id: ProfileId) -> CoreResult<()> {
    profiles::delete(&state.db, owner.id(), id.get()).await
}

pub use crate::store::profiles::Contents;

/// What each of the owner's profiles holds (folders, items in any state): what deleting it
/// would delete. Profiles holding nothing are absent.
pub async fn contents(
    state: &AppState,
    owner: Owner,
) -> CoreResult<std::collections::HashMap<i64, Contents>> {
    profiles::contents(&state.db, owner.id()).await
}
