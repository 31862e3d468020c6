//! `/profiles`: a user's separate spaces.

use axum::{extract::State, http::StatusCode, Json as JsonOut};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::{
        profiles::{self, ProfilePlace},
        AppState,
    },
    domain::ids::ProfileId,
    entity::profile,
    http::error::{ApiResult, ErrorEnvelope},
    http::extract::{Id, Json},
    http::principal::CurrentUser,
    nullable, schema,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
}

/// A profile.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileView {
    pub id: i64,
    pub name: String,
    pub position: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<profile::Model> for ProfileView {
    fn from(p: profile::Model) -> Self {
        ProfileView {
            id: p.id,
            name: p.name,
            position: p.position,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// A profile to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProfile {
    /// 1-64 characters, unique per user.
    #[schema(schema_with = schema::profile_name)]
    pub name: String,
}

/// Changes to a profile.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileChanges {
    #[schema(schema_with = schema::profile_name_or_null)]
    pub name: Option<String>,
    /// Move directly after this profile; `null` moves it to the front.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub after_id: Option<Option<i64>>,
}

/// The user's profiles in order.
#[utoipa::path(get, path = "/profiles", tag = "profiles", responses((status = 200, body = [ProfileView])))]
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<JsonOut<Vec<ProfileView>>> {
    Ok(JsonOut(
        profiles::list(&state, user.owner)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Creates a profile at the end of the list.
#[utoipa::path(post, path = "/profiles", tag = "profiles", request_body = NewProfile,
    responses((status = 201, body = ProfileView), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<NewProfile>,
) -> ApiResult<(StatusCode, JsonOut<ProfileView>)> {
    let created = profiles::create(&state, user.owner, &req.name).await?;
    Ok((StatusCode::CREATED, JsonOut(created.into())))
}

/// One profile.
#[utoipa::path(get, path = "/profiles/{id}", tag = "profiles", params(("id" = i64, Path)),
    responses((status = 200, body = ProfileView), (status = 404, body = ErrorEnvelope)))]
async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id<ProfileId>,
) -> ApiResult<JsonOut<ProfileView>> {
    Ok(JsonOut(profiles::get(&state, user.owner, id).await?.into()))
}

/// Renames or re-orders a profile.
#[utoipa::path(patch, path = "/profiles/{id}", tag = "profiles", params(("id" = i64, Path)), request_body = ProfileChanges,
    responses((status = 200, body = ProfileView), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id<ProfileId>,
    Json(req): Json<ProfileChanges>,
) -> ApiResult<JsonOut<ProfileView>> {
    let place = match req.after_id {
        None => ProfilePlace::Stay,
        Some(None) => ProfilePlace::First,
        Some(Some(after)) => ProfilePlace::After(after.into()),
    };
    let updated = profiles::update(&state, user.owner, id, req.name.as_deref(), place).await?;
    Ok(JsonOut(updated.into()))
}

/// Deletes a profile with its folders and items (not the last one).
#[utoipa::path(delete, path = "/profiles/{id}", tag = "profiles", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id<ProfileId>,
) -> ApiResult<StatusCode> {
    profiles::delete(&state, user.owner, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
