//! The buttons: archive, trash, restore, favourite, delete for good, empty the trash, and
//! bulk actions on the checked items of a list.

use super::*;
use crate::{
    app::items::{Action, BulkAction},
    domain::{ids::ItemId, problem::Problem},
};

/// A button's form: only the list to return to.
#[derive(Deserialize)]
pub(super) struct ActionPost {
    #[serde(default)]
    qs: String,
}

/// The buttons of the modal: archive, unarchive, trash, restore, favourite, delete for good.
pub(super) async fn act(
    State(state): State<AppState>,
    axum::extract::Path((raw_id, action)): axum::extract::Path<(String, String)>,
    form: Form<ActionPost>,
) -> Result<Response, PageError> {
    let id: i64 = raw_id.parse().map_err(|_| CoreError::NotFound)?;
    let query: ItemsQuery = crate::parse_form(form.data.qs.as_bytes()).unwrap_or_default();
    // A button carries no argument: an action that needs one is no button's.
    let kind = wire_value::<BulkAction>(&action).ok_or(CoreError::NotFound)?;
    let action = Action::new(kind, None, None, None).map_err(|_| CoreError::NotFound)?;
    app::items::bulk(&state, form.user.owner, &[id], action).await?;
    Ok(see_other(&query.list_url()))
}

/// "Fetch page again": queues a fresh capture of the item's page and goes back to it.
pub(super) async fn refetch(
    State(state): State<AppState>,
    PageId(id): PageId<ItemId>,
    form: Form<ActionPost>,
) -> Result<Response, PageError> {
    app::captures::refetch(&state, form.user.owner, id).await?;
    let query: ItemsQuery = crate::parse_form(form.data.qs.as_bytes()).unwrap_or_default();
    Ok(see_other(&query.item_url(id.get())))
}

/// "Check now": queues a check of the item's link and goes back to it.
pub(super) async fn check_link(
    State(state): State<AppState>,
    PageId(id): PageId<ItemId>,
    form: Form<ActionPost>,
) -> Result<Response, PageError> {
    app::links::check_now(&state, form.user.owner, id).await?;
    let query: ItemsQuery = crate::parse_form(form.data.qs.as_bytes()).unwrap_or_default();
    Ok(see_other(&query.item_url(id.get())))
}

/// "Use the new address": a moved link takes the address it moved to.
pub(super) async fn adopt_link(
    State(state): State<AppState>,
    PageId(id): PageId<ItemId>,
    form: Form<ActionPost>,
) -> Result<Response, PageError> {
    app::links::adopt(&state, form.user.owner, id).await?;
    let query: ItemsQuery = crate::parse_form(form.data.qs.as_bytes()).unwrap_or_default();
    Ok(see_other(&query.item_url(id.get())))
}

/// Empties the trash (the button sits behind a confirmation step in the trash view).
pub(super) async fn empty_trash(
    State(state): State<AppState>,
    form: Form<ActionPost>,
) -> Result<Response, PageError> {
    app::items::empty_trash(&state, form.user.owner).await?;
    let query: ItemsQuery = crate::parse_form(form.data.qs.as_bytes()).unwrap_or_default();
    Ok(see_other(&query.list_url()))
}

/// The bulk form: the checked items and what to do with them.
#[derive(Deserialize)]
pub(super) struct BulkPost {
    #[serde(default)]
    ids: Vec<i64>,
    action: Option<BulkAction>,
    status: Option<Status>,
    tag_id: Option<i64>,
    /// `none` (out of any folder) or a folder ID.
    folder: Option<String>,
    #[serde(default)]
    qs: String,
}

/// Applies one action to the checked items of a list, all or nothing (like the API's bulk).
pub(super) async fn bulk(
    State(state): State<AppState>,
    form: Form<BulkPost>,
) -> Result<Response, PageError> {
    let Form { user, data } = form;
    let query: ItemsQuery = crate::parse_form(data.qs.as_bytes()).unwrap_or_default();
    let back = query.list_url();
    if data.ids.is_empty() {
        // Nothing checked: nothing to do.
        return Ok(see_other(&back));
    }
    let kind = data
        .action
        .ok_or_else(|| CoreError::field("action", Problem::Required))?;
    let folder = match data.folder.as_deref() {
        None => None,
        Some("none") => Some(None),
        Some(f) => {
            Some(Some(f.parse().map_err(|_| {
                CoreError::field("folder", Problem::Required)
            })?))
        }
    };
    let action = Action::new(kind, data.status, data.tag_id.map(|t| vec![t]), folder)
        .map_err(|(field, problem)| CoreError::field(form_field(field), problem))?;
    app::items::bulk(&state, user.owner, &data.ids, action).await?;
    Ok(see_other(&back))
}

/// The bulk form's name for a field of the action (it offers one tag and one folder).
fn form_field(field: &'static str) -> &'static str {
    match field {
        "tag_ids" => "tag_id",
        "folder_id" => "folder",
        other => other,
    }
}

/// `value` read as the snake_case wire name of a `T`.
fn wire_value<T: serde::de::DeserializeOwned>(value: &str) -> Option<T> {
    T::deserialize(serde::de::value::StrDeserializer::<serde::de::value::Error>::new(value)).ok()
}

/// An item's stored favicon or preview, for the `<img>` of the lists and the modal.
pub(super) async fn stored_file(
    State(state): State<AppState>,
    user: PageUser,
    axum::extract::Path((id, role)): axum::extract::Path<(String, String)>,
    axum::extract::Query(version): axum::extract::Query<crate::http::files::Version>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let (id, role) = crate::http::files::target::<ItemId>(&id, &role)?;
    let served = app::files::open(&state, user.owner, id, role).await?;
    Ok(crate::http::files::respond(served, &version, &headers))
}
