//! Manual order on the pages: drag an item before or after another (or onto a folder), or
//! move it one place up or down with a button (the keyboard and no-JavaScript way).
//!
//! Both post to `/items/{id}/move`; the store computes one fractional position between the
//! neighbours, so a move writes the moved row only ([`app::items::move_item`]).

use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;

use super::*;
use crate::domain::problem::{Problem, Record};
use crate::{
    app::items::{Placement, Step},
    domain::ids::{FolderChange, FolderId, ItemId},
    see_other_or,
};

/// A move: where to (a neighbour, a folder, or one step) and the page to return to.
#[derive(Deserialize)]
pub(super) struct MovePost {
    /// Place the item just before this item (in that item's folder).
    before: Option<i64>,
    /// Place the item just after this item (in that item's folder).
    after: Option<i64>,
    /// `none` (out of any folder) or a folder ID: the end of that folder. Sent by a drop on a
    /// folder in the tree.
    folder: Option<String>,
    /// `up` or `down`: one place among the items of its folder.
    step: Option<String>,
    /// The page to return to (a path on this site): the list or the tree it was moved on.
    #[serde(default)]
    back: String,
}

pub(super) async fn move_item(
    State(state): State<AppState>,
    PageId(id): PageId<ItemId>,
    headers: HeaderMap,
    form: Form<MovePost>,
) -> Result<Response, PageError> {
    let Form { user, data } = form;
    let mut stepped_over = None;
    match (data.step.as_deref(), data.before.or(data.after)) {
        (Some(step), _) => {
            let step = match step {
                "up" => Step::Up,
                "down" => Step::Down,
                _ => return Err(CoreError::field("step", Problem::NotChosen).into()),
            };
            stepped_over = app::items::step(&state, user.owner, id, step).await?;
        }
        // Next to another item: into that item's folder, so a drop in the tree can change
        // folder and place at once.
        (None, Some(neighbour)) => {
            let next_to = app::items::get(&state, user.owner, neighbour.into()).await?;
            let placement = match data.before {
                Some(before) => Placement::Before(before),
                None => Placement::After(neighbour),
            };
            let folder = match next_to.folder_id {
                Some(f) => FolderChange::Set(f.into()),
                None => FolderChange::Clear,
            };
            app::items::move_item(&state, user.owner, id, folder, placement).await?;
        }
        (None, None) => {
            let folder = match data.folder.as_deref() {
                Some("none") => FolderChange::Clear,
                Some(f) => FolderChange::Set(
                    f.parse::<FolderId>()
                        .map_err(|_| CoreError::field("folder", Problem::NoSuch(Record::Folder)))?,
                ),
                None => return Err(CoreError::field("folder", Problem::Required).into()),
            };
            app::items::move_item(&state, user.owner, id, folder, Placement::End).await?;
        }
    }
    if wants_fragment(&headers) {
        // `app.js` moves the row itself; it needs only to know which row a step went past.
        let mut response = StatusCode::NO_CONTENT.into_response();
        if let Some(over) = stepped_over {
            response
                .headers_mut()
                .insert("x-tidily-stepped-over", over.get().into());
        }
        return Ok(response);
    }
    Ok(see_other_or(&data.back, "/items"))
}
