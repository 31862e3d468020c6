//! The buttons: archive, trash, restore, favourite, delete for good, empty the trash, and
//! bulk actions on the checked items of a list.

use super::*;
use crate::domain::problem::Problem;

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
    let user = &form.user;
    let query: ItemsQuery = crate::web::parse_form(form.data.qs.as_bytes()).unwrap_or_default();
    let change = match action.as_str() {
        "archive" => Change::Archive,
        "unarchive" => Change::Unarchive,
        "trash" => Change::Trash,
        "restore" => Change::Restore,
        "favorite" => Change::Favorite(true),
        "unfavorite" => Change::Favorite(false),
        "purge" => {
            items::purge(&state.db, user.id, &[id]).await?;
            return Ok(see_other(&query.list_url()));
        }
        _ => return Err(CoreError::NotFound.into()),
    };
    items::apply_one(&state.db, user.id, id, change).await?;
    Ok(see_other(&query.list_url()))
}

/// Empties the trash (the button sits behind a confirmation step in the trash view).
pub(super) async fn empty_trash(
    State(state): State<AppState>,
    form: Form<ActionPost>,
) -> Result<Response, PageError> {
    items::empty_trash(&state.db, form.user.id).await?;
    let query: ItemsQuery = crate::web::parse_form(form.data.qs.as_bytes()).unwrap_or_default();
    Ok(see_other(&query.list_url()))
}

/// The bulk form: the checked items and what to do with them.
#[derive(Deserialize)]
pub(super) struct BulkPost {
    #[serde(default)]
    ids: Vec<i64>,
    action: Option<String>,
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
    let query: ItemsQuery = crate::web::parse_form(data.qs.as_bytes()).unwrap_or_default();
    let back = query.list_url();
    if data.ids.is_empty() || data.ids.len() > 500 {
        // Nothing checked: nothing to do.
        return Ok(see_other(&back));
    }
    let missing = |field: &str| CoreError::field(field, Problem::Required);
    let change = match data.action.as_deref().unwrap_or_default() {
        "status" => Change::SetStatus(data.status.ok_or_else(|| missing("status"))?),
        "add_tag" => Change::AddTags(vec![data.tag_id.ok_or_else(|| missing("tag_id"))?]),
        "remove_tag" => Change::RemoveTags(vec![data.tag_id.ok_or_else(|| missing("tag_id"))?]),
        "move" => match data.folder.as_deref() {
            Some("none") => Change::Move(None),
            Some(f) => Change::Move(Some(f.parse().map_err(|_| missing("folder"))?)),
            None => return Err(missing("folder").into()),
        },
        "archive" => Change::Archive,
        "unarchive" => Change::Unarchive,
        "trash" => Change::Trash,
        "restore" => Change::Restore,
        "favorite" => Change::Favorite(true),
        "unfavorite" => Change::Favorite(false),
        "purge" => {
            items::purge(&state.db, user.id, &data.ids).await?;
            return Ok(see_other(&back));
        }
        _ => return Err(missing("action").into()),
    };
    items::apply(&state.db, user.id, &data.ids, change).await?;
    Ok(see_other(&back))
}
