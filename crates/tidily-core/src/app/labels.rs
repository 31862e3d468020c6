//! Categories and tags: named colours the owner files items under. Both kinds follow the same
//! rules, so each function here serves both through [`Label`].

pub use crate::store::labels::{Label, LabelView};
use crate::{
    app::{owner::Owner, AppState},
    domain::text,
    error::CoreResult,
    store::labels,
    validate::Check,
};

/// The owner's labels of one kind, by name.
pub async fn list<L: Label>(state: &AppState, owner: Owner) -> CoreResult<Vec<LabelView>> {
    labels::list::<L>(&state.db, owner.id()).await
}

/// A new label. A name the owner already uses for this kind is a conflict.
pub async fn create<L: Label>(
    state: &AppState,
    owner: Owner,
    name: &str,
    color: &str,
) -> CoreResult<LabelView>
where
    L::Model: sea_orm::IntoActiveModel<L::ActiveModel>,
    L::ActiveModel: sea_orm::ActiveModelTrait<Entity = L> + Send,
{
    let mut check = Check::new();
    let name = check.text("name", name, text::LABEL_NAME);
    let color = check.color("color", color);
    check.finish()?;
    labels::create::<L>(&state.db, owner.id(), name, color).await
}

/// Renames and/or recolours a label; absent values stay.
pub async fn update<L: Label>(
    state: &AppState,
    owner: Owner,
    id: L::Id,
    name: Option<&str>,
    color: Option<&str>,
) -> CoreResult<LabelView> {
    let mut check = Check::new();
    let name = name.map(|n| check.text("name", n, text::LABEL_NAME));
    let color = color.map(|c| check.color("color", c));
    check.finish()?;
    labels::update::<L>(&state.db, owner.id(), id.into(), name, color).await
}

/// Deletes a label. Its items stay: a category is cleared from them, a tag taken off.
pub async fn delete<L: Label>(state: &AppState, owner: Owner, id: L::Id) -> CoreResult<()> {
    labels::delete::<L>(&state.db, owner.id(), id.into()).await
}

/// How many of the owner's items (active, archived or in the trash) carry each label of
/// kind `L`: what deleting it would touch. Labels on no item are absent.
pub async fn usage<L: Label>(
    state: &AppState,
    owner: Owner,
) -> CoreResult<std::collections::HashMap<i64, u64>> {
    labels::usage::<L>(&state.db, owner.id()).await
}
