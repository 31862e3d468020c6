//! Sign-up, log-in (tokens or browser session), refresh, log-out.

use axum::{extract::State, http::StatusCode, response::IntoResponse};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    auth::{extract::SESSION_COOKIE, jwt, AuthMethod, CurrentUser},
    domain::{text, Locale, Role},
    entity::user,
    error::{CoreError, CoreResult},
    http::error::{ApiResult, ErrorEnvelope, RequestError},
    http::{
        api::{account::UserView, schema},
        client_ip::ClientIp,
        extract::Json,
        AppState,
    },
    store::{
        credentials,
        throttle::{self, Bucket},
        users,
    },
    validate::Check,
};

/// Name of the cookie that remembers a browser which has logged in to an account before: its
/// log-in attempts are counted apart from everyone else's (see `store::throttle`).
pub const DEVICE_COOKIE: &str = "tidily_device";

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

async fn issue_tokens(state: &AppState, user: user::Model) -> CoreResult<TokenResponse> {
    let refresh_token = credentials::start_refresh_family(&state.db, user.id).await?;
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
        expires_in: jwt::ACCESS_TOKEN_TTL_SECS,
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
    let user = create_account(&state, ip, req).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(issue_tokens(&state, user).await?),
    ))
}

/// Validates a sign-up and opens the account (shared by the API and the sign-up page). Each
/// valid sign-up counts against the client address's limit, taken or not.
pub(crate) async fn create_account(
    state: &AppState,
    ip: ClientIp,
    req: SignupRequest,
) -> CoreResult<user::Model> {
    let mut check = Check::new();
    let email = check.email("email", &req.email);
    check.password("password", &req.password);
    let display_name = match &req.display_name {
        Some(name) => check.text("display_name", name, text::DISPLAY_NAME),
        None => email.split('@').next().unwrap_or_default().to_owned(),
    };
    check.finish()?;
    let reservation = throttle::reserve(
        &state.db,
        &[Bucket::new(throttle::SIGNUP_PER_IP, &ip.0.to_string())],
    )
    .await?;
    let password_hash = match state.hasher.hash(req.password).await {
        Ok(hash) => hash,
        Err(e) => {
            // Not attempted: the client may try again at once.
            throttle::refund(&state.db, reservation).await?;
            return Err(e);
        }
    };
    reservation.keep();
    users::create(
        &state.db,
        users::NewUser {
            email,
            password_hash,
            display_name,
            locale: req.locale.unwrap_or(Locale::Ja),
            role: Role::User,
        },
    )
    .await
}

/// A successful log-in.
pub struct LoggedIn {
    pub user: user::Model,
    /// The device cookie to (re)set: this browser has now logged in to the account.
    pub device_cookie: Cookie<'static>,
}

/// Verifies credentials, throttled. An attempt is counted before the password is checked
/// (so parallel guesses cannot overtake the limit) and given back when it succeeds. From a
/// browser that holds the account's device cookie, attempts count per device; from any other,
/// per account and per client address. A stranger guessing at an account therefore locks out
/// other strangers, never the owner's own browser.
pub async fn log_in(
    state: &AppState,
    ip: ClientIp,
    jar: &CookieJar,
    creds: Credentials,
) -> CoreResult<LoggedIn> {
    let email = creds.email.trim().to_lowercase();
    let found = users::find_by_email(&state.db, &email).await?;
    let device = jar.get(DEVICE_COOKIE).map(|c| c.value()).filter(|token| {
        let owner = state.tokens.verify_device(token);
        owner.is_some() && owner == found.as_ref().map(|u| u.id)
    });
    let buckets = match device {
        Some(token) => vec![Bucket::new(throttle::LOGIN_PER_DEVICE, token)],
        None => vec![
            Bucket::new(throttle::LOGIN_PER_ACCOUNT, &email),
            Bucket::new(throttle::LOGIN_PER_IP, &ip.0.to_string()),
        ],
    };
    let reservation = throttle::reserve(&state.db, &buckets).await?;
    let stored = found.as_ref().map(|u| u.password_hash.clone());
    match (state.hasher.verify(creds.password, stored).await, found) {
        (Ok(true), Some(user)) => {
            throttle::refund(&state.db, reservation).await?;
            let device_cookie = device_cookie(state, state.tokens.issue_device(user.id)?);
            Ok(LoggedIn {
                user,
                device_cookie,
            })
        }
        (Ok(_), _) => {
            reservation.keep();
            Err(CoreError::InvalidCredentials)
        }
        // The password was never checked (the server is busy): the attempt does not count.
        (Err(e), _) => {
            throttle::refund(&state.db, reservation).await?;
            Err(e)
        }
    }
}

/// The device cookie: long-lived, and sent only to this site.
fn device_cookie(state: &AppState, value: String) -> Cookie<'static> {
    Cookie::build((DEVICE_COOKIE, value))
        .http_only(true)
        .secure(state.config.secure_cookies())
        .same_site(SameSite::Lax)
        .path("/")
        .max_age(time::Duration::seconds(jwt::DEVICE_TOKEN_TTL_SECS))
        .build()
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
    let jar = jar.add(logged_in.device_cookie);
    Ok((jar, axum::Json(issue_tokens(&state, logged_in.user).await?)))
}

/// Exchanges a refresh token for a new pair. A token used twice revokes its whole family.
#[utoipa::path(post, path = "/auth/refresh", tag = "auth", security(),
    request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = ErrorEnvelope)))]
async fn refresh(
    State(state): State<AppState>,
    Json(req): Json<RefreshRequest>,
) -> ApiResult<axum::Json<TokenResponse>> {
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
) -> ApiResult<StatusCode> {
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
    responses((status = 200, body = SessionResponse), (status = 401, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope), (status = 503, body = ErrorEnvelope)))]
async fn start_session(
    State(state): State<AppState>,
    ip: ClientIp,
    jar: CookieJar,
    Json(req): Json<Credentials>,
) -> ApiResult<(CookieJar, axum::Json<SessionResponse>)> {
    let LoggedIn {
        user,
        device_cookie,
    } = log_in(&state, ip, &jar, req).await?;
    let (secret, csrf_token) = credentials::create_session(&state.db, user.id).await?;
    let jar = jar.add(session_cookie(&state, secret)).add(device_cookie);
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
    let AuthMethod::Session { token_hash, .. } = &user.method else {
        return Err(RequestError::SessionRequired.into());
    };
    credentials::delete_session(&state.db, token_hash).await?;
    Ok((
        jar.remove(Cookie::build(SESSION_COOKIE).path("/")),
        StatusCode::NO_CONTENT,
    ))
}
