//! A minimal "browser" for the page tests: a cookie-keeping HTTP client that follows
//! redirects like a browser does, plus helpers to read what a page shows.
//!
//! These tests check server-rendered HTML over HTTP; real-browser (Chromium) tests that run
//! the JavaScript come later.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use reqwest::{cookie::Jar, redirect::Policy, Client, Method};

use crate::common::{TestApp, PASSWORD};

/// What a page request came back with.
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    /// The URL after redirects (path and query only).
    pub path: String,
    pub location: Option<String>,
    pub content_type: String,
    pub cache_control: String,
    pub html: String,
    pub headers: reqwest::header::HeaderMap,
}

/// A visitor with a cookie jar.
pub struct Browser {
    follow: Client,
    manual: Client,
    pub base_url: String,
}

impl Browser {
    pub fn new(app: &TestApp) -> Browser {
        Self::with_language(app, "en")
    }

    /// A visitor whose browser asks for `lang` (`Accept-Language`).
    pub fn with_language(app: &TestApp, lang: &str) -> Browser {
        let jar = Arc::new(Jar::default());
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::ACCEPT_LANGUAGE,
            lang.parse().expect("header value"),
        );
        let build = |policy: Policy| {
            Client::builder()
                .no_proxy()
                .cookie_provider(jar.clone())
                .default_headers(headers.clone())
                .redirect(policy)
                .timeout(Duration::from_secs(60))
                .build()
                .expect("reqwest client")
        };
        Browser {
            follow: build(Policy::limited(10)),
            manual: build(Policy::none()),
            base_url: app.base_url.clone(),
        }
    }

    async fn send(req: reqwest::RequestBuilder) -> Page {
        let resp = req.send().await.expect("page request");
        let status = resp.status().as_u16();
        let url = resp.url();
        let path = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        };
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        let location = Some(header("location")).filter(|l| !l.is_empty());
        let content_type = header("content-type");
        let cache_control = header("cache-control");
        let headers = resp.headers().clone();
        let html = resp.text().await.unwrap_or_default();
        Page {
            status,
            path,
            location,
            content_type,
            cache_control,
            html,
            headers,
        }
    }

    /// GET, following redirects.
    pub async fn get(&self, path: &str) -> Page {
        let url = format!("{}{path}", self.base_url);
        Self::send(self.follow.get(url)).await
    }

    /// GET of a binary file (an image): status, content type and the bytes.
    pub async fn bytes(&self, path: &str) -> (u16, String, Vec<u8>) {
        let url = format!("{}{path}", self.base_url);
        let resp = self.follow.get(url).send().await.expect("file request");
        let status = resp.status().as_u16();
        let content_type = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let body = resp.bytes().await.expect("file body").to_vec();
        (status, content_type, body)
    }

    /// GET, not following redirects.
    pub async fn get_no_follow(&self, path: &str) -> Page {
        let url = format!("{}{path}", self.base_url);
        Self::send(self.manual.get(url)).await
    }

    /// GET with the headers htmx sends for a fragment (`list`, `rows`, `modal`, `tree`).
    pub async fn fragment(&self, path: &str, kind: &str) -> Page {
        let url = format!("{}{path}", self.base_url);
        let req = htmx(self.follow.get(url), kind);
        Self::send(req).await
    }

    /// Posts a form (urlencoded), following the redirect as a browser does.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let url = format!("{}{path}", self.base_url);
        Self::send(self.follow.request(Method::POST, url).form(fields)).await
    }

    /// Posts a form as `app.js` does after a drop (`HX-Request: true`).
    pub async fn post_fragment(&self, path: &str, kind: &str, fields: &[(&str, &str)]) -> Page {
        let url = format!("{}{path}", self.base_url);
        let req = htmx(self.follow.request(Method::POST, url), kind);
        Self::send(req.form(fields)).await
    }

    /// Posts a form without following the redirect.
    pub async fn post_no_follow(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let url = format!("{}{path}", self.base_url);
        Self::send(self.manual.request(Method::POST, url).form(fields)).await
    }

    /// Opens `form_page`, takes its CSRF token and posts `fields` with it to `action`.
    pub async fn submit(&self, form_page: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let page = self.get(form_page).await;
        assert_eq!(page.status, 200, "GET {form_page}: {}", page.html);
        let csrf = csrf_of(&page.html);
        let mut all = vec![("_csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post(action, &all).await
    }

    /// Signs up through the form with [`PASSWORD`] and returns the page it lands on.
    pub async fn sign_up(&self, email: &str) -> Page {
        self.submit(
            "/signup",
            "/signup",
            &[
                ("email", email),
                ("password", PASSWORD),
                ("display_name", "Tester"),
                ("locale", "en"),
            ],
        )
        .await
    }

    /// Logs in through the form.
    pub async fn log_in(&self, email: &str, password: &str) -> Page {
        self.submit(
            "/login",
            "/login",
            &[("email", email), ("password", password)],
        )
        .await
    }
}

/// The value of the first `_csrf` hidden field on a page.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("no _csrf field in:\n{html}"))
        + marker.len();
    let end = html[start..].find('"').expect("end of the _csrf value") + start;
    html[start..end].to_string()
}

/// The item titles listed on a page (as the HTML has them, entities left encoded).
pub fn page_titles(html: &str) -> Vec<String> {
    let marker = "class=\"item-title\"";
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(marker) {
        rest = &rest[i + marker.len()..];
        let open = rest.find('>').expect("end of the title tag") + 1;
        let close = rest[open..].find("</a>").expect("closing </a>") + open;
        out.push(rest[open..close].to_string());
        rest = &rest[close..];
    }
    out
}

/// The IDs of the items listed on a page (from their modal links `/items/{id}`).
pub fn item_ids(html: &str) -> Vec<i64> {
    let marker = "class=\"item-title\" href=\"/items/";
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(marker) {
        rest = &rest[i + marker.len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        out.push(digits.parse().expect("item id"));
    }
    out
}

/// The headers of an htmx request for the fragment `kind`: `HX-Request`, and `HX-Target`
/// naming the element the answer goes into (none for a tree folder's items or a move).
fn htmx(req: reqwest::RequestBuilder, kind: &str) -> reqwest::RequestBuilder {
    let req = req.header("hx-request", "true");
    match kind {
        "list" => req.header("hx-target", "list"),
        "rows" => req.header("hx-target", "rows"),
        "modal" => req.header("hx-target", "modal-root"),
        "tree" | "move" => req,
        other => panic!("no such fragment: {other}"),
    }
}
