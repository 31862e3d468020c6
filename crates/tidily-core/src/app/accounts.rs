//! Accounts: sign-up, settings, password, personal API tokens. The API, the pages and the
//! CLI all open and change accounts through these, so each rule is written once.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};

use crate::{
    app::{owner::Owner, AppState},
    domain::{problem::Problem, text, Locale, Role},
    entity::{api_token, user},
    error::{CoreError, CoreResult},
    store::{
        credentials,
        throttle::{self, Bucket},
        users,
    },
    validate::Check,
};

/// A sign-up as typed.
pub struct SignUp {
    pub email: String,
    pub password: String,
    /// Absent: the part of the e-mail address before `@`.
    pub display_name: Option<String>,
    /// Absent: Japanese.
    pub locale: Option<Locale>,
}

/// Who is opening an account: a visitor (counted against their address's sign-up limit) or
/// an operator at the command line (not throttled, and may open an admin account).
#[derive(Debug, Clone, Copy)]
pub enum Opener {
    Visitor(IpAddr),
    Operator(Role),
}

/// Validates a sign-up and opens the account with the profiles Private, Business and
/// Learning. Each valid sign-up by a visitor counts against its address's limit, taken or not.
pub async fn sign_up(
    state: &AppState,
    by: Opener,
    req: SignUp,
) -> CoreResult<(Owner, user::Model)> {
    let mut check = Check::new();
    let email = check.email("email", &req.email);
    check.password("password", &req.password);
    let display_name = match &req.display_name {
        Some(name) => check.text("display_name", name, text::DISPLAY_NAME),
        None => email.split('@').next().unwrap_or_default().to_owned(),
    };
    check.finish()?;
    let (reservation, role) = match by {
        Opener::Visitor(ip) => {
            let bucket = Bucket::new(throttle::SIGNUP_PER_IP, &ip.to_string());
            (
                Some(throttle::reserve(&state.db, &[bucket]).await?),
                Role::User,
            )
        }
        Opener::Operator(role) => (None, role),
    };
    let password_hash = match state.hasher.hash(req.password).await {
        Ok(hash) => hash,
        Err(e) => {
            // Not attempted: the client may try again at once.
            if let Some(reservation) = reservation {
                throttle::refund(&state.db, reservation).await?;
            }
            return Err(e);
        }
    };
    if let Some(reservation) = reservation {
        reservation.keep();
    }
    let user = users::create(
        &state.db,
        users::NewUser {
            email,
            password_hash,
            display_name,
            locale: req.locale.unwrap_or(Locale::Ja),
            role,
        },
    )
    .await?;
    Ok((Owner::new(user.id), user))
}

/// The account an operator names by e-mail at the command line (the shell is trusted).
pub async fn operator_names(state: &AppState, email: &str) -> CoreResult<Owner> {
    let user = users::find_by_email(&state.db, &email.trim().to_lowercase())
        .await?
        .ok_or(CoreError::NotFound)?;
    Ok(Owner::new(user.id))
}

/// The owner's account.
pub async fn get(state: &AppState, owner: Owner) -> CoreResult<user::Model> {
    users::get(&state.db, owner.id()).await
}

/// Settings a user may change; absent ones stay.
#[derive(Debug, Default)]
pub struct Settings {
    pub display_name: Option<String>,
    pub locale: Option<Locale>,
    pub time_zone: Option<String>,
}

/// Validates and applies account settings.
pub async fn update(state: &AppState, owner: Owner, req: Settings) -> CoreResult<user::Model> {
    let mut check = Check::new();
    let display_name = req
        .display_name
        .map(|n| check.text("display_name", &n, text::DISPLAY_NAME));
    if let Some(tz) = &req.time_zone {
        // The same bundled database that pages use to show times.
        if tz.len() > 64 || !crate::domain::is_time_zone(tz) {
            check.add("time_zone", Problem::NotATimeZone);
        }
    }
    check.finish()?;
    let changes = users::AccountChanges {
        display_name,
        locale: req.locale,
        time_zone: req.time_zone,
    };
    users::update_account(&state.db, owner.id(), changes).await
}

/// Checks the current password, sets the new one and ends every session and refresh token
/// but `keep_session` (the browser session that asked, if one did).
pub async fn change_password(
    state: &AppState,
    owner: Owner,
    keep_session: Option<&str>,
    current: String,
    new: String,
) -> CoreResult<()> {
    let mut check = Check::new();
    check.password("new_password", &new);
    check.finish()?;
    let account = users::get(&state.db, owner.id()).await?;
    let current_ok = state
        .hasher
        .verify(current, Some(account.password_hash))
        .await?;
    if !current_ok {
        return Err(CoreError::field("current_password", Problem::WrongPassword));
    }
    let hash = state.hasher.hash(new).await?;
    users::set_password_hash(&state.db, owner.id(), hash, keep_session).await
}

/// Validates and creates a personal API token: the row, and its secret (shown this once).
pub async fn create_api_token(
    state: &AppState,
    owner: Owner,
    name: &str,
    expires_in_days: Option<i64>,
) -> CoreResult<(api_token::Model, String)> {
    let mut check = Check::new();
    let name = check.text("name", name, text::TOKEN_NAME);
    if expires_in_days.is_some_and(|d| !(1..=text::TOKEN_DAYS_MAX).contains(&d)) {
        check.add(
            "expires_in_days",
            Problem::OutOfRange {
                min: 1,
                max: text::TOKEN_DAYS_MAX,
            },
        );
    }
    check.finish()?;
    let expires_at: Option<DateTime<Utc>> =
        expires_in_days.map(|d| crate::domain::now() + Duration::days(d));
    credentials::create_api_token(&state.db, owner.id(), name, expires_at).await
}

/// The owner's live API tokens.
pub async fn api_tokens(state: &AppState, owner: Owner) -> CoreResult<Vec<api_token::Model>> {
    credentials::list_api_tokens(&state.db, owner.id()).await
}

/// Revokes one of the owner's API tokens.
pub async fn revoke_api_token(state: &AppState, owner: Owner, id: i64) -> CoreResult<()> {
    credentials::revoke_api_token(&state.db, owner.id(), id).await
}

/// Every account (for admins).
pub async fn all(state: &AppState) -> CoreResult<Vec<user::Model>> {
    users::list(&state.db).await
}

/// Sets a new password without the old one (an operator's reset) and ends every session and
/// refresh token of the account.
pub async fn reset_password(state: &AppState, owner: Owner, new: String) -> CoreResult<()> {
    let mut check = Check::new();
    check.password("password", &new);
    check.finish()?;
    let hash = state.hasher.hash(new).await?;
    users::set_password_hash(&state.db, owner.id(), hash, None).await
}

/// Makes the account an admin.
pub async fn promote(state: &AppState, owner: Owner) -> CoreResult<()> {
    users::set_role(&state.db, owner.id(), Role::Admin).await
}
