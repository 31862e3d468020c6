//! The signed-in user's account: settings, password, personal API tokens; admin listing.

use axum::{extract::State, http::StatusCode, Json as JsonOut};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::{accounts, AppState},
    domain::{Locale, Role},
    entity::{api_token, user},
    http::{
        error::{ApiResult, ErrorEnvelope},
        extract::{Id, Json},
        principal::{CurrentUser, RequireAdmin},
    },
    schema,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me, update_me))
        .routes(routes!(change_password))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
        .routes(routes!(list_users))
}

/// An account as its owner sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub locale: Locale,
    /// IANA time zone, e.g. `Asia/Tokyo`.
    pub time_zone: String,
    pub created_at: DateTime<Utc>,
}

impl From<user::Model> for UserView {
    fn from(u: user::Model) -> Self {
        UserView {
            id: u.id,
            email: u.email,
            display_name: u.display_name,
            role: u.role,
            locale: u.locale,
            time_zone: u.time_zone,
            created_at: u.created_at,
        }
    }
}

/// Settings a user may change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMe {
    #[schema(schema_with = schema::display_name_or_null)]
    pub display_name: Option<String>,
    pub locale: Option<Locale>,
    #[schema(schema_with = schema::time_zone_or_null)]
    pub time_zone: Option<String>,
}

/// A password change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    #[schema(schema_with = schema::new_password)]
    pub new_password: String,
}

/// A personal API token (never its secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTokenView {
    pub id: i64,
    pub name: String,
    /// The first characters of the secret.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl From<api_token::Model> for ApiTokenView {
    fn from(t: api_token::Model) -> Self {
        ApiTokenView {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            expires_at: t.expires_at,
        }
    }
}

/// A token to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApiToken {
    #[schema(schema_with = schema::token_name)]
    pub name: String,
    /// 1 to 3650; absent: never expires.
    #[schema(schema_with = schema::token_days_or_null)]
    pub expires_in_days: Option<i64>,
}

/// A created token; `secret` is shown this once and cannot be recovered.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiToken {
    pub token: ApiTokenView,
    pub secret: String,
}

/// The signed-in user.
#[utoipa::path(get, path = "/me", tag = "account", responses((status = 200, body = UserView), (status = 401, body = ErrorEnvelope)))]
async fn me(State(state): State<AppState>, user: CurrentUser) -> ApiResult<JsonOut<UserView>> {
    Ok(JsonOut(accounts::get(&state, user.owner).await?.into()))
}

/// Changes display name, language or time zone.
#[utoipa::path(patch, path = "/me", tag = "account", request_body = UpdateMe,
    responses((status = 200, body = UserView), (status = 422, body = ErrorEnvelope)))]
async fn update_me(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<UpdateMe>,
) -> ApiResult<JsonOut<UserView>> {
    let settings = accounts::Settings {
        display_name: req.display_name,
        locale: req.locale,
        time_zone: req.time_zone,
    };
    Ok(JsonOut(
        accounts::update(&state, user.owner, settings).await?.into(),
    ))
}

/// Changes the password; every other session and every refresh token ends.
#[utoipa::path(post, path = "/me/password", tag = "account", request_body = PasswordChange,
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<PasswordChange>,
) -> ApiResult<StatusCode> {
    let keep = user.session();
    accounts::change_password(
        &state,
        user.owner,
        keep,
        req.current_password,
        req.new_password,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The user's live API tokens.
#[utoipa::path(get, path = "/me/tokens", tag = "account", responses((status = 200, body = [ApiTokenView])))]
async fn list_tokens(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<JsonOut<Vec<ApiTokenView>>> {
    let tokens = accounts::api_tokens(&state, user.owner).await?;
    Ok(JsonOut(tokens.into_iter().map(Into::into).collect()))
}

/// Creates a personal API token.
#[utoipa::path(post, path = "/me/tokens", tag = "account", request_body = NewApiToken,
    responses((status = 201, body = CreatedApiToken), (status = 422, body = ErrorEnvelope)))]
async fn create_token(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<NewApiToken>,
) -> ApiResult<(StatusCode, JsonOut<CreatedApiToken>)> {
    let (row, secret) =
        accounts::create_api_token(&state, user.owner, &req.name, req.expires_in_days).await?;
    Ok((
        StatusCode::CREATED,
        JsonOut(CreatedApiToken {
            token: row.into(),
            secret,
        }),
    ))
}

/// Revokes an API token.
#[utoipa::path(delete, path = "/me/tokens/{id}", tag = "account", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorEnvelope)))]
async fn revoke_token(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    accounts::revoke_api_token(&state, user.owner, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every account (admins only).
#[utoipa::path(get, path = "/admin/users", tag = "account", responses((status = 200, body = [UserView]), (status = 403, body = ErrorEnvelope)))]
async fn list_users(
    State(state): State<AppState>,
    _admin: RequireAdmin,
) -> ApiResult<JsonOut<Vec<UserView>>> {
    Ok(JsonOut(
        accounts::all(&state)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}
