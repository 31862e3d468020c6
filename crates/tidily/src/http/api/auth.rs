//! Sign-up, log-in (tokens or browser session), refresh, log-out.

use axum::{extract::State, http::StatusCode, response::IntoResponse};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    auth::{extract::SESSION_COOKIE, jwt, password, AuthMethod, CurrentUser},
    domain::{Locale, Role},
    entity::user,
    error::{AppError, AppResult, ErrorEnvelope},
    http::{api::account::UserView, client_ip::ClientIp, extract::Json, AppState},
    store::{credentials, users},
    validate::Check,
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
    pub email: String,
    /// 10 to 256 characters.
    pub password: String,
    pub display_name: Option<String>,
    pub locale: Option<Locale>,
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

/// Checks a new password's length.
pub fn check_password(check: &mut Check, field: &str, password: &str) {
    let n = password.chars().count();
    if n < password::MIN_LEN {
        check.add(
            field,
            format!("must be at least {} characters", password::MIN_LEN),
        );
    } else if n > password::MAX_LEN {
        check.add(
            field,
            format!("must be at most {} characters", password::MAX_LEN),
        );
    }
}

async fn issue_tokens(state: &AppState, user: user::Model) -> AppResult<TokenResponse> {
    let refresh_token = credentials::start_refresh_family(&state.db, user.id).await?;
    tokens_for(state, user, refresh_token)
}

fn tokens_for(
    state: &AppState,
    user: user::Model,
    refresh_token: String,
) -> AppResult<TokenResponse> {
    Ok(TokenResponse {
        access_token: jwt::issue(user.id, &state.config.jwt_secret)?,
        refresh_token,
        token_type: "Bearer",
        expires_in: jwt::ACCESS_TOKEN_TTL_SECS,
        user: user.into(),
    })
}

/// Opens an account with the profiles Private, Business and Learning.
#[utoipa::path(post, path = "/auth/signup", tag = "auth", security(),
    request_body = SignupRequest,
    responses((status = 201, body = TokenResponse), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn signup(
    State(state): State<AppState>,
    Json(req): Json<SignupRequest>,
) -> AppResult<impl IntoResponse> {
    let user = create_account(&state, req).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(issue_tokens(&state, user).await?),
    ))
}

/// Validates a sign-up and opens the account (shared by the API and the sign-up page).
pub(crate) async fn create_account(state: &AppState, req: SignupRequest) -> AppResult<user::Model> {
    let mut check = Check::new();
    let email = check.email("email", &req.email);
    check_password(&mut check, "password", &req.password);
    let display_name = match &req.display_name {
        Some(name) => check.line("display_name", name, 100),
        None => email.split('@').next().unwrap_or_default().to_owned(),
    };
    check.finish()?;
    users::create(
        &state.db,
        users::NewUser {
            email,
            password_hash: password::hash(req.password).await?,
            display_name,
            locale: req.locale.unwrap_or(Locale::Ja),
            role: Role::User,
        },
    )
    .await
}

/// Verifies credentials with throttling: per e-mail and per client IP.
pub async fn log_in(state: &AppState, ip: ClientIp, creds: Credentials) -> AppResult<user::Model> {
    let email = creds.email.trim().to_lowercase();
    let ip = ip.0.to_string();
    credentials::check_throttle(&state.db, &email, &ip).await?;
    let found = users::find_by_email(&state.db, &email).await?;
    let ok = password::verify(
        creds.password,
        found.as_ref().map(|u| u.password_hash.clone()),
    )
    .await;
    match found {
        Some(user) if ok => Ok(user),
        _ => {
            credentials::record_failure(&state.db, &email, &ip).await?;
            Err(AppError::InvalidCredentials)
        }
    }
}

/// Logs in an API client: a short-lived access token and a rotating refresh token.
#[utoipa::path(post, path = "/auth/token", tag = "auth", security(),
    request_body = Credentials,
    responses((status = 200, body = TokenResponse), (status = 401, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope)))]
async fn token(
    State(state): State<AppState>,
    ip: ClientIp,
    Json(req): Json<Credentials>,
) -> AppResult<axum::Json<TokenResponse>> {
    let user = log_in(&state, ip, req).await?;
    Ok(axum::Json(issue_tokens(&state, user).await?))
}

/// Exchanges a refresh token for a new pair. A token used twice revokes its whole family.
#[utoipa::path(post, path = "/auth/refresh", tag = "auth", security(),
    request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = ErrorEnvelope)))]
async fn refresh(
    State(state): State<AppState>,
    Json(req): Json<RefreshRequest>,
) -> AppResult<axum::Json<TokenResponse>> {
    let (user_id, next) = credentials::rotate_refresh(&state.db, &req.refresh_token).await?;
    let user = users::get(&state.db, user_id).await?;
    Ok(axum::Json(tokens_for(&state, user, next)?))
}

/// Revokes a refresh token's family (log-out for API clients).
#[utoipa::path(post, path = "/auth/logout", tag = "auth", security(),
    request_body = RefreshRequest, responses((status = 204)))]
async fn logout(
    State(state): State<AppState>,
    Json(req): Json<RefreshRequest>,
) -> AppResult<StatusCode> {
    credentials::revoke_refresh(&state.db, &req.refresh_token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The session cookie, with the attributes the deployment calls for.
pub fn session_cookie(state: &AppState, value: String) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, value))
        .http_only(true)
        .secure(state.config.secure_cookies())
        .same_site(SameSite::Lax)
        .path("/")
        .max_age(time::Duration::seconds(
            credentials::SESSION_TTL.num_seconds(),
        ))
        .build()
}

/// Logs in a browser: sets the session cookie and returns the CSRF token.
#[utoipa::path(post, path = "/auth/session", tag = "auth", security(),
    request_body = Credentials,
    responses((status = 200, body = SessionResponse), (status = 401, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope)))]
async fn start_session(
    State(state): State<AppState>,
    ip: ClientIp,
    jar: CookieJar,
    Json(req): Json<Credentials>,
) -> AppResult<(CookieJar, axum::Json<SessionResponse>)> {
    let user = log_in(&state, ip, req).await?;
    let (secret, csrf_token) = credentials::create_session(&state.db, user.id).await?;
    let jar = jar.add(session_cookie(&state, secret));
    Ok((
        jar,
        axum::Json(SessionResponse {
            user: user.into(),
            csrf_token,
        }),
    ))
}

/// Ends the browser session (needs the CSRF header).
#[utoipa::path(delete, path = "/auth/session", tag = "auth", responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
async fn end_session(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
) -> AppResult<(CookieJar, StatusCode)> {
    let AuthMethod::Session { token_hash, .. } = &user.method else {
        return Err(AppError::BadRequest(
            "this request is not authenticated by a session".into(),
        ));
    };
    credentials::delete_session(&state.db, token_hash).await?;
    Ok((
        jar.remove(Cookie::build(SESSION_COOKIE).path("/")),
        StatusCode::NO_CONTENT,
    ))
}
