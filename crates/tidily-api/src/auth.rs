//! Sign-up, log-in (tokens or browser session), refresh, log-out.

use axum::{extract::State, http::StatusCode, response::IntoResponse};
use axum_extra::extract::cookie::CookieJar;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    account::UserView,
    app::{
        accounts::{self, Opener, SignUp},
        owner::Owner,
        sessions::{self, LoggedIn},
        AppState,
    },
    domain::Locale,
    entity::user,
    error::CoreResult,
    http::{
        client_ip::ClientIp,
        cookies,
        error::{ApiResult, ErrorEnvelope, RequestError},
        extract::Json,
        principal::CurrentUser,
    },
    schema,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(signup))
        .routes(routes!(token))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(start_session, end_session))
}

/// A new account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignupRequest {
    #[schema(schema_with = schema::email)]
    pub email: String,
    /// 10 to 256 characters.
    #[schema(schema_with = schema::new_password)]
    pub password: String,
    #[schema(schema_with = schema::display_name_or_null)]
    pub display_name: Option<String>,
    pub locale: Option<Locale>,
}

impl From<SignupRequest> for SignUp {
    fn from(r: SignupRequest) -> SignUp {
        SignUp {
            email: r.email,
            password: r.password,
            display_name: r.display_name,
            locale: r.locale,
        }
    }
}

/// E-mail and password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

/// A refresh token presented for rotation or revocation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// Tokens for an API client.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub user: UserView,
    /// JWT; send as `Authorization: Bearer …`.
    pub access_token: String,
    /// Single use: exchange at `/auth/refresh` for a new pair.
    pub refresh_token: String,
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

/// A started browser session.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionResponse {
    pub user: UserView,
    /// Send as `X-CSRF-Token` on every state-changing request made with the cookie.
    pub csrf_token: String,
}

/// Logs in with the browser's device cookie, if it sent one.
async fn log_in(
    state: &AppState,
    ip: ClientIp,
    jar: &CookieJar,
    creds: Credentials,
) -> CoreResult<LoggedIn> {
    let device = jar.get(cookies::DEVICE_COOKIE).map(|c| c.value());
    sessions::log_in(state, ip.0, device, &creds.email, creds.password).await
}

async fn issue_tokens(
    state: &AppState,
    owner: Owner,
    user: user::Model,
) -> CoreResult<TokenResponse> {
    let refresh_token = sessions::start_refresh_family(state, owner).await?;
    tokens_for(state, user, refresh_token)
}

fn tokens_for(
    state: &AppState,
    user: user::Model,
    refresh_token: String,
) -> CoreResult<TokenResponse> {
    Ok(TokenResponse {
        access_token: state.tokens.issue_access(user.id)?,
        refresh_token,
        token_type: "Bearer",
        expires_in: tidily_core::auth::jwt::ACCESS_TOKEN_TTL_SECS,
        user: user.into(),
    })
}

/// Opens an account with the profiles Private, Business and Learning.
#[utoipa::path(post, path = "/auth/signup", tag = "auth", security(),
    request_body = SignupRequest,
    responses((status = 201, body = TokenResponse), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope), (status = 503, body = ErrorEnvelope)))]
async fn signup(
    State(state): State<AppState>,
    ip: ClientIp,
    Json(req): Json<SignupRequest>,
) -> ApiResult<impl IntoResponse> {
    let (owner, user) = accounts::sign_up(&state, Opener::Visitor(ip.0), req.into()).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(issue_tokens(&state, owner, user).await?),
    ))
}

/// Logs in an API client: a short-lived access token and a rotating refresh token.
#[utoipa::path(post, path = "/auth/token", tag = "auth", security(),
    request_body = Credentials,
    responses((status = 200, body = TokenResponse), (status = 401, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope), (status = 503, body = ErrorEnvelope)))]
async fn token(
    State(state): State<AppState>,
    ip: ClientIp,
    jar: CookieJar,
    Json(req): Json<Credentials>,
) -> ApiResult<(CookieJar, axum::Json<TokenResponse>)> {
    let logged_in = log_in(&state, ip, &jar, req).await?;
    let jar = jar.add(cookies::device(&state, logged_in.device_token));
    Ok((
        jar,
        axum::Json(issue_tokens(&state, logged_in.owner, logged_in.user).await?),
    ))
}

/// Exchanges a refresh token for a new pair. A token used twice revokes its whole family.
#[utoipa::path(post, path = "/auth/refresh", tag = "auth", security(),
    request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = ErrorEnvelope)))]
async fn refresh(
    State(state): State<AppState>,
    Json(req): Json<RefreshRequest>,
) -> ApiResult<axum::Json<TokenResponse>> {
    let (owner, next) = sessions::by_refresh_token(&state, &req.refresh_token).await?;
    let user = accounts::get(&state, owner).await?;
    Ok(axum::Json(tokens_for(&state, user, next)?))
}

/// Revokes a refresh token's family (log-out for API clients).
#[utoipa::path(post, path = "/auth/logout", tag = "auth", security(),
    request_body = RefreshRequest, responses((status = 204)))]
async fn logout(
    State(state): State<AppState>,
    Json(req): Json<RefreshRequest>,
) -> ApiResult<StatusCode> {
    sessions::revoke_refresh_family(&state, &req.refresh_token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Logs in a browser: sets the session cookie and returns the CSRF token.
#[utoipa::path(post, path = "/auth/session", tag = "auth", security(),
    request_body = Credentials,
    responses((status = 200, body = SessionResponse), (status = 401, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope), (status = 503, body = ErrorEnvelope)))]
async fn start_session(
    State(state): State<AppState>,
    ip: ClientIp,
    jar: CookieJar,
    Json(req): Json<Credentials>,
) -> ApiResult<(CookieJar, axum::Json<SessionResponse>)> {
    let LoggedIn {
        owner,
        user,
        device_token,
    } = log_in(&state, ip, &jar, req).await?;
    let (secret, csrf_token) = sessions::start(&state, owner).await?;
    let jar = jar
        .add(cookies::session(&state, secret))
        .add(cookies::device(&state, device_token));
    Ok((
        jar,
        axum::Json(SessionResponse {
            user: user.into(),
            csrf_token,
        }),
    ))
}

/// Ends the browser session (needs the CSRF header).
#[utoipa::path(delete, path = "/auth/session", tag = "auth", responses((status = 204), (status = 400, description = "Not authenticated by a session (`session_required`)", body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
async fn end_session(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
) -> ApiResult<(CookieJar, StatusCode)> {
    let token_hash = user.session().ok_or(RequestError::SessionRequired)?;
    sessions::end(&state, token_hash).await?;
    Ok((
        jar.remove(cookies::session_removal()),
        StatusCode::NO_CONTENT,
    ))
}
