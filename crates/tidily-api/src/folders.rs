//! `/folders`: the folder tree of a profile.

use axum::{extract::State, http::StatusCode, Json as JsonOut};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::{
        folders::{self, FolderMove, FolderTree},
        items::Placement,
        AppState,
    },
    domain::ids::{FolderId, ProfileId},
    entity::folder,
    http::error::{ApiResult, ErrorEnvelope},
    http::extract::{Id, Json, Query},
    http::principal::CurrentUser,
    nullable, schema,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(tree))
        .routes(routes!(get, update, delete))
        .routes(routes!(move_folder))
}

/// A folder.
#[derive(Debug, Serialize, ToSchema)]
pub struct FolderView {
    pub id: i64,
    pub profile_id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub memo: String,
    pub position: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<folder::Model> for FolderView {
    fn from(f: folder::Model) -> Self {
        FolderView {
            id: f.id,
            profile_id: f.profile_id,
            parent_id: f.parent_id,
            name: f.name,
            memo: f.memo,
            position: f.position,
            created_at: f.created_at,
            updated_at: f.updated_at,
        }
    }
}

/// A folder with its sub-folders and the number of active items directly in it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FolderNode {
    pub id: i64,
    pub name: String,
    pub memo: String,
    pub position: String,
    pub item_count: i64,
    #[schema(no_recursion)]
    pub children: Vec<FolderNode>,
}

/// Which profile's folders.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ProfileQuery {
    #[param(value_type = i64)]
    pub profile_id: ProfileId,
}

/// A folder to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFolder {
    pub profile_id: i64,
    pub parent_id: Option<i64>,
    /// 1-200 characters.
    #[schema(schema_with = schema::folder_name)]
    pub name: String,
    #[schema(schema_with = schema::memo_or_null)]
    pub memo: Option<String>,
}

/// Changes to a folder's name or memo.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FolderChanges {
    #[schema(schema_with = schema::folder_name_or_null)]
    pub name: Option<String>,
    #[schema(schema_with = schema::memo_or_null)]
    pub memo: Option<String>,
}

/// Where to move a folder or an item.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveRequest {
    /// The new parent (`null`: top level). Absent: stay in the same parent.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub parent_id: Option<Option<i64>>,
    /// Place directly before this sibling.
    pub before_id: Option<i64>,
    /// Place directly after this sibling.
    pub after_id: Option<i64>,
}

/// The folders of a profile, flat, in manual order.
#[utoipa::path(get, path = "/folders", tag = "folders", params(ProfileQuery),
    responses((status = 200, body = [FolderView]), (status = 404, body = ErrorEnvelope)))]
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ProfileQuery>,
) -> ApiResult<JsonOut<Vec<FolderView>>> {
    Ok(JsonOut(
        folders::list(&state, user.owner, q.profile_id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// The whole folder tree of a profile in one call.
#[utoipa::path(get, path = "/folders/tree", tag = "folders", params(ProfileQuery),
    responses((status = 200, body = [FolderNode]), (status = 404, body = ErrorEnvelope)))]
async fn tree(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ProfileQuery>,
) -> ApiResult<JsonOut<Vec<FolderNode>>> {
    let all = folders::list(&state, user.owner, q.profile_id).await?;
    let counts = folders::item_counts(&state, user.owner, Some(q.profile_id)).await?;
    // The walk is in pre-order: each folder closes the deeper ones before it.
    let mut open: Vec<FolderNode> = Vec::new();
    let mut roots = Vec::new();
    let close = |open: &mut Vec<FolderNode>, roots: &mut Vec<FolderNode>| {
        let done = open.pop().expect("an open folder");
        match open.last_mut() {
            Some(parent) => parent.children.push(done),
            None => roots.push(done),
        }
    };
    for (f, depth) in FolderTree::new(&all).walk() {
        while open.len() > depth {
            close(&mut open, &mut roots);
        }
        open.push(FolderNode {
            id: f.id,
            name: f.name.clone(),
            memo: f.memo.clone(),
            position: f.position.clone(),
            item_count: counts.get(&f.id).copied().unwrap_or(0),
            children: Vec::new(),
        });
    }
    while !open.is_empty() {
        close(&mut open, &mut roots);
    }
    Ok(JsonOut(roots))
}

#[utoipa::path(post, path = "/folders", tag = "folders", request_body = NewFolder,
    responses((status = 201, body = FolderView), (status = 422, body = ErrorEnvelope)))]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<NewFolder>,
) -> ApiResult<(StatusCode, JsonOut<FolderView>)> {
    let memo = req.memo.as_deref().unwrap_or_default();
    let parent = req.parent_id.map(FolderId::from);
    let created = folders::create(
        &state,
        user.owner,
        req.profile_id.into(),
        parent,
        &req.name,
        memo,
    )
    .await?;
    Ok((StatusCode::CREATED, JsonOut(created.into())))
}

/// One folder.
#[utoipa::path(get, path = "/folders/{id}", tag = "folders", params(("id" = i64, Path)),
    responses((status = 200, body = FolderView), (status = 404, body = ErrorEnvelope)))]
async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id<FolderId>,
) -> ApiResult<JsonOut<FolderView>> {
    Ok(JsonOut(folders::get(&state, user.owner, id).await?.into()))
}

/// Renames a folder or changes its memo.
#[utoipa::path(patch, path = "/folders/{id}", tag = "folders", params(("id" = i64, Path)), request_body = FolderChanges,
    responses((status = 200, body = FolderView), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id<FolderId>,
    Json(req): Json<FolderChanges>,
) -> ApiResult<JsonOut<FolderView>> {
    let (name, memo) = (req.name.as_deref(), req.memo.as_deref());
    Ok(JsonOut(
        folders::update(&state, user.owner, id, name, memo)
            .await?
            .into(),
    ))
}

/// Moves a folder under another parent and/or to another place among its siblings.
#[utoipa::path(post, path = "/folders/{id}/move", tag = "folders", params(("id" = i64, Path)), request_body = MoveRequest,
    responses((status = 200, body = FolderView), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
async fn move_folder(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id<FolderId>,
    Json(req): Json<MoveRequest>,
) -> ApiResult<JsonOut<FolderView>> {
    let placement = Placement::from_neighbours(req.before_id, req.after_id);
    let to = match req.parent_id {
        Some(parent) => FolderMove::To { parent, placement },
        None => FolderMove::Among(placement),
    };
    Ok(JsonOut(
        folders::move_folder(&state, user.owner, id, to)
            .await?
            .into(),
    ))
}

/// Deletes a folder and its sub-folders; their items move to the folder's parent.
#[utoipa::path(delete, path = "/folders/{id}", tag = "folders", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorEnvelope)))]
async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id<FolderId>,
) -> ApiResult<StatusCode> {
    folders::delete(&state, user.owner, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
