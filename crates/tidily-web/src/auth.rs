//! Sign-up, log-in, log-out and the account settings page (password, language, API tokens).

use askama::Template;
use axum::{
    extract::State,
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

use crate::{
    app::{
        accounts::{self, Opener, SignUp},
        owner::Owner,
        sessions, AppState,
    },
    csrf::{pre_session_token, AnonForm, Form, NoFields},
    domain::{problem::Conflict, Locale},
    error::CoreError,
    http::{client_ip::ClientIp, cookies},
    i18n::{self, Lang},
    render, render_with, see_other,
    session::{safe_next, PageUser},
    Chrome, Errors, Nav, Opt, PageError, PageId, PageQuery,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/signup", get(signup_page).post(signup))
        .route("/logout", post(logout))
        .route("/settings", get(settings_page).post(save_settings))
        .route("/settings/password", post(change_password))
        .route("/settings/tokens", post(create_token))
        .route("/settings/tokens/{id}/revoke", post(revoke_token))
}

fn accept_language(headers: &HeaderMap) -> Lang {
    Lang::negotiate(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    csrf: String,
    email: String,
    next: String,
    error: &'static str,
}

#[derive(Default, Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// The log-in form (signed-in visitors go straight on).
async fn login_page(
    State(state): State<AppState>,
    user: Option<PageUser>,
    headers: HeaderMap,
    jar: CookieJar,
    PageQuery(q): PageQuery<NextQuery>,
) -> Result<Response, PageError> {
    let next = safe_next(q.next.as_deref()).to_owned();
    if user.is_some() {
        return Ok(see_other(&next));
    }
    let lang = accept_language(&headers);
    let (jar, csrf) = pre_session_token(&state, jar);
    let page = LoginPage {
        c: Chrome::anonymous(lang, lang.catalog().log_in),
        csrf,
        email: String::new(),
        next,
        error: "",
    };
    Ok((jar, render(&page)?).into_response())
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

/// Checks the credentials (throttled like the API) and starts a session.
async fn login(
    State(state): State<AppState>,
    ip: ClientIp,
    headers: HeaderMap,
    jar: CookieJar,
    AnonForm(form): AnonForm<LoginForm>,
) -> Result<Response, PageError> {
    let next = safe_next(form.next.as_deref()).to_owned();
    let lang = accept_language(&headers);
    let t = lang.catalog();
    let device = jar.get(cookies::DEVICE_COOKIE).map(|c| c.value());
    let logged_in = sessions::log_in(&state, ip.0, device, &form.email, form.password).await;
    let (status, error) = match logged_in {
        Ok(logged_in) => {
            let jar = jar.add(cookies::device(&state, logged_in.device_token));
            return start_session(&state, jar, logged_in.owner, &next).await;
        }
        Err(CoreError::InvalidCredentials) => (StatusCode::UNAUTHORIZED, t.login_failed),
        Err(CoreError::TooManyRequests { .. }) => {
            (StatusCode::TOO_MANY_REQUESTS, t.too_many_attempts)
        }
        Err(e) => return Err(e.into()),
    };
    let (jar, csrf) = pre_session_token(&state, jar);
    let page = LoginPage {
        c: Chrome::anonymous(lang, t.log_in),
        csrf,
        email: form.email,
        next,
        error,
    };
    Ok((jar, render_with(status, &page)?).into_response())
}

/// Sets the session cookie and sends the browser on.
async fn start_session(
    state: &AppState,
    jar: CookieJar,
    owner: Owner,
    next: &str,
) -> Result<Response, PageError> {
    let (secret, _csrf) = sessions::start(state, owner).await?;
    let jar = jar.add(cookies::session(state, secret));
    Ok((jar, see_other(next)).into_response())
}

#[derive(Template)]
#[template(path = "signup.html")]
struct SignupPage {
    c: Chrome,
    csrf: String,
    email: String,
    display_name: String,
    locales: Vec<Opt>,
    errors: Errors,
    error: &'static str,
}

fn locale_options(lang: Lang) -> Vec<Opt> {
    vec![
        Opt::new("ja", "日本語", lang == Lang::Ja),
        Opt::new("en", "English", lang == Lang::En),
    ]
}

async fn signup_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
) -> Result<Response, PageError> {
    let lang = accept_language(&headers);
    let (jar, csrf) = pre_session_token(&state, jar);
    let page = SignupPage {
        c: Chrome::anonymous(lang, lang.catalog().sign_up),
        csrf,
        email: String::new(),
        display_name: String::new(),
        locales: locale_options(lang),
        errors: Errors::default(),
        error: "",
    };
    Ok((jar, render(&page)?).into_response())
}

#[derive(Deserialize)]
struct SignupForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    display_name: Option<String>,
    locale: Option<Locale>,
}

/// Opens the account (`app::accounts::sign_up`), then logs it in and shows the dashboard.
async fn signup(
    State(state): State<AppState>,
    ip: ClientIp,
    headers: HeaderMap,
    jar: CookieJar,
    AnonForm(form): AnonForm<SignupForm>,
) -> Result<Response, PageError> {
    let request = SignUp {
        email: form.email.clone(),
        password: form.password,
        display_name: form.display_name.clone(),
        locale: form.locale,
    };
    let lang = form
        .locale
        .map_or_else(|| accept_language(&headers), Lang::of_locale);
    let t = lang.catalog();
    let (errors, error) = match accounts::sign_up(&state, Opener::Visitor(ip.0), request).await {
        Ok((owner, _)) => return start_session(&state, jar, owner, "/dashboard").await,
        Err(CoreError::Invalid(fields)) => (Errors::localized(fields, lang), t.fix_errors),
        Err(CoreError::Conflict(Conflict::EmailTaken)) => (Errors::default(), t.email_taken),
        Err(e) => return Err(e.into()),
    };
    let (jar, csrf) = pre_session_token(&state, jar);
    let page = SignupPage {
        c: Chrome::anonymous(lang, t.sign_up),
        csrf,
        email: form.email,
        display_name: form.display_name.unwrap_or_default(),
        locales: locale_options(lang),
        errors,
        error,
    };
    Ok((jar, render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)?).into_response())
}

/// Ends the session and forgets the cookie.
async fn logout(
    State(state): State<AppState>,
    jar: CookieJar,
    form: Form<NoFields>,
) -> Result<Response, PageError> {
    sessions::end(&state, &form.user.token_hash).await?;
    let jar = jar.remove(cookies::session_removal());
    Ok((jar, see_other("/login")).into_response())
}

/// A personal API token as the settings page lists it.
struct TokenRow {
    id: i64,
    name: String,
    prefix: String,
    created: String,
    last_used: String,
    expires: String,
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    c: Chrome,
    email: String,
    display_name: String,
    locales: Vec<Opt>,
    time_zones: Vec<Opt>,
    tokens: Vec<TokenRow>,
    /// A token created by this very request: shown once, never again.
    new_secret: String,
    notice: &'static str,
    errors: Errors,
    /// This page's entry in the settings' sub-navigation.
    section_key: &'static str,
    /// Stored files: "1.2 MB / 1,024 MB", the share used (0-100), and whether it is full.
    storage: String,
    storage_percent: u64,
    storage_full: bool,
    /// The bookmarklet: a link to drag to the bookmarks bar that opens this site's new-item
    /// form for the page being read (`/save`), in a small window.
    bookmarklet: String,
}

/// The bookmarklet's code for a site at `base`.
fn bookmarklet(base: &url::Url) -> String {
    let save = format!("{}/save", base.as_str().trim_end_matches('/'));
    format!(
        "javascript:(function(){{window.open('{save}?url='+encodeURIComponent(location.href)+'&title='+encodeURIComponent(document.title),'tidilyspace','width=720,height=780')}})()"
    )
}

#[derive(Default, Deserialize)]
struct SettingsQuery {
    saved: Option<String>,
}

async fn settings_page(
    State(state): State<AppState>,
    user: PageUser,
    PageQuery(q): PageQuery<SettingsQuery>,
) -> Result<Response, PageError> {
    let t = user.lang.catalog();
    let notice = match q.saved.as_deref() {
        Some("password") => t.password_changed,
        Some(_) => t.saved,
        None => "",
    };
    let page = settings(&state, &user, notice, Errors::default(), String::new()).await?;
    render(&page)
}

async fn settings(
    state: &AppState,
    user: &PageUser,
    notice: &'static str,
    errors: Errors,
    new_secret: String,
) -> Result<SettingsPage, PageError> {
    let c = Chrome::signed_in(state, user, Nav::Settings, None, "/settings", |t| {
        t.settings.to_owned()
    })
    .await?;
    let t = c.t;
    let show = |v: Option<chrono::DateTime<chrono::Utc>>| {
        v.map_or_else(|| t.never.to_owned(), |v| i18n::show(v, user.tz))
    };
    let tokens = accounts::api_tokens(state, user.owner)
        .await?
        .into_iter()
        .map(|tk| TokenRow {
            id: tk.id,
            created: i18n::show(tk.created_at, user.tz),
            last_used: show(tk.last_used_at),
            expires: show(tk.expires_at),
            name: tk.name,
            prefix: tk.prefix,
        })
        .collect();
    // Every zone of the bundled database; a saved name it does not know stays choosable.
    let mut time_zones: Vec<Opt> = i18n::time_zone_names()
        .map(|z| Opt::new(z, z, z == user.time_zone))
        .collect();
    if !i18n::is_time_zone(&user.time_zone) {
        time_zones.push(Opt::new(&user.time_zone, &user.time_zone, true));
    }
    let usage = crate::app::files::usage(state, user.owner).await?;
    Ok(SettingsPage {
        storage: t.storage_usage(usage.used_bytes, usage.quota_bytes),
        storage_percent: (usage.used_bytes * 100)
            .checked_div(usage.quota_bytes)
            .unwrap_or(100)
            .min(100),
        storage_full: usage.used_bytes >= usage.quota_bytes,
        bookmarklet: bookmarklet(&state.config.base_url),
        c,
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        locales: locale_options(Lang::of_locale(user.locale)),
        time_zones,
        tokens,
        new_secret,
        notice,
        errors,
        section_key: "account",
    })
}

#[derive(Deserialize)]
struct SettingsForm {
    #[serde(default)]
    display_name: String,
    locale: Option<Locale>,
    time_zone: Option<String>,
}

/// Saves display name, language and time zone.
async fn save_settings(
    State(state): State<AppState>,
    form: Form<SettingsForm>,
) -> Result<Response, PageError> {
    let req = accounts::Settings {
        display_name: Some(form.data.display_name),
        locale: form.data.locale,
        time_zone: form.data.time_zone,
    };
    match accounts::update(&state, form.user.owner, req).await {
        Ok(_) => Ok(see_other("/settings?saved=1")),
        Err(e) => settings_rejected(&state, &form.user, e).await,
    }
}

/// The settings page again with a form's field errors (422); other errors as usual.
async fn settings_rejected(
    state: &AppState,
    user: &PageUser,
    err: CoreError,
) -> Result<Response, PageError> {
    let CoreError::Invalid(fields) = err else {
        return Err(err.into());
    };
    let errors = Errors::localized(fields, user.lang);
    let page = settings(state, user, "", errors, String::new()).await?;
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

/// Changes the password; this session stays, every other one ends.
async fn change_password(
    State(state): State<AppState>,
    form: Form<PasswordForm>,
) -> Result<Response, PageError> {
    let PasswordForm {
        current_password,
        new_password,
    } = form.data;
    let keep = Some(form.user.token_hash.as_str());
    let owner = form.user.owner;
    match accounts::change_password(&state, owner, keep, current_password, new_password).await {
        Ok(()) => Ok(see_other("/settings?saved=password")),
        Err(e) => settings_rejected(&state, &form.user, e).await,
    }
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    name: String,
    expires_in_days: Option<i64>,
}

/// Creates an API token and shows its secret in this answer only (no redirect: the secret
/// must not end up in a URL or the history).
async fn create_token(
    State(state): State<AppState>,
    form: Form<TokenForm>,
) -> Result<Response, PageError> {
    let created = accounts::create_api_token(
        &state,
        form.user.owner,
        &form.data.name,
        form.data.expires_in_days,
    )
    .await;
    match created {
        Ok((_, secret)) => {
            let page = settings(&state, &form.user, "", Errors::default(), secret).await?;
            render_with(StatusCode::CREATED, &page)
        }
        Err(e) => settings_rejected(&state, &form.user, e).await,
    }
}

async fn revoke_token(
    State(state): State<AppState>,
    PageId(id): PageId,
    form: Form<NoFields>,
) -> Result<Response, PageError> {
    accounts::revoke_api_token(&state, form.user.owner, id).await?;
    Ok(see_other("/settings?saved=1"))
}
