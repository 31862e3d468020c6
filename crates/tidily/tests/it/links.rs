//! Link health end to end: two `tidily serve` processes on one database check saved links
//! against a web server on 127.0.0.1 (each due link once), classify them, call a link broken
//! only after repeated failures over days (the days moved by editing the record), and offer
//! the filter, the count, the Wayback copy and the moved link's new address.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    extract::{Path, State},
    http::{header, Method, StatusCode},
    response::{IntoResponse, Response},
    routing::any,
    Router,
};

use crate::{common::*, web::Browser};

/// Requests seen, by method and path.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<HashMap<(String, String), usize>>>);

impl Seen {
    fn count(&self, method: &str, path: &str) -> usize {
        let seen = self.0.lock().unwrap();
        seen.get(&(method.to_owned(), path.to_owned()))
            .copied()
            .unwrap_or(0)
    }
}

async fn site(State(seen): State<Seen>, method: Method, Path(path): Path<String>) -> Response {
    *seen
        .0
        .lock()
        .unwrap()
        .entry((method.to_string(), format!("/{path}")))
        .or_default() += 1;
    let page = |title: &str| {
        (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            format!("<html><head><title>{title}</title></head><body>text</body></html>"),
        )
            .into_response()
    };
    match path.as_str() {
        "fine" | "new-place" => page("Fine"),
        "moving" => (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, "/new-place")],
        )
            .into_response(),
        // Captured while it lived; gone when checked.
        "dead" if method == Method::GET && seen.count("GET", "/dead") == 1 => page("Soon gone"),
        "refusing" => StatusCode::FORBIDDEN.into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn start_site() -> (String, Seen) {
    let seen = Seen::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new()
        .route("/{*path}", any(site))
        .with_state(seen.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), seen)
}

/// Makes every link check due now (the first is due a day after saving).
async fn due_now(app: &TestApp) {
    let past = (chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339();
    app.exec_sql(&format!("UPDATE link_checks SET next_check_at = '{past}'"))
        .await;
}

/// Waits until the item's link has been checked after `after`; returns its health.
async fn checked(c: &Client, id: i64, after: &str) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let link = expect(c.get(&format!("/items/{id}/link")).await, 200);
        if link["checked_at"].as_str().is_some_and(|t| t > after) {
            return link;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "item {id} never checked: {link}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn links_are_checked_classified_and_broken_only_after_days(backend: Backend) {
    let env = [
        ("CAPTURE_ALLOW_INTERNAL", "127.0.0.1"),
        ("LINK_CHECK_SECS", "1"),
    ];
    let Some(app) = TestApp::for_backend_with_env(backend, &env).await else {
        return;
    };
    let twin = app.sibling().await;
    let (site, seen) = start_site().await;
    let c = app.signup("links@example.com").await;
    let profile = c.profile_id("Private").await;
    let mut ids = HashMap::new();
    for name in ["fine", "dead", "moving", "refusing"] {
        let item = c
            .create_item(
                json!({"profile_id": profile, "title": name, "url": format!("{site}/{name}")}),
            )
            .await;
        ids.insert(name, id(&item));
    }
    let link = expect(c.get(&format!("/items/{}/link", ids["fine"])).await, 200);
    assert_eq!(link["state"], Value::Null, "not checked yet: {link}");
    assert_eq!(link["broken"], false);
    // Wait for the captures (they fetch /dead while it lives).
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while seen.count("GET", "/dead") == 0 {
        assert!(tokio::time::Instant::now() < deadline, "never captured");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let start = chrono::Utc::now().to_rfc3339();
    due_now(&app).await;
    let fine = checked(&c, ids["fine"], &start).await;
    assert_eq!(
        (fine["state"].as_str(), fine["status"].as_i64()),
        (Some("ok"), Some(200)),
        "{fine}"
    );
    assert_eq!(fine["archived_copy"], Value::Null);
    let dead = checked(&c, ids["dead"], &start).await;
    assert_eq!(
        (dead["state"].as_str(), dead["failures"].as_i64()),
        (Some("gone"), Some(1)),
        "{dead}"
    );
    assert_eq!(dead["broken"], false, "one failure is not broken");
    let wayback = dead["archived_copy"].as_str().unwrap();
    assert!(
        wayback.starts_with("https://web.archive.org/web/20") && wayback.ends_with("/dead"),
        "{wayback}"
    );
    let moving = checked(&c, ids["moving"], &start).await;
    assert_eq!(moving["state"], "moved");
    assert_eq!(moving["moved_to"], format!("{site}/new-place"));
    let refusing = checked(&c, ids["refusing"], &start).await;
    assert_eq!(refusing["state"], "blocked");
    // Each due link was checked once, by one of the two servers: HEAD, and GET only where
    // HEAD did not find a working page.
    assert_eq!(seen.count("HEAD", "/fine"), 1);
    assert_eq!(seen.count("HEAD", "/dead"), 1);
    assert_eq!(
        seen.count("GET", "/dead"),
        2,
        "the capture's, then the check's"
    );

    // Two more failures, the first two days ago: broken.
    let since = (chrono::Utc::now() - chrono::Duration::days(2)).to_rfc3339();
    app.exec_sql(&format!(
        "UPDATE link_checks SET failures = 2, failing_since = '{since}' WHERE item_id = {}",
        ids["dead"]
    ))
    .await;
    let again = chrono::Utc::now().to_rfc3339();
    due_now(&app).await;
    let dead = checked(&c, ids["dead"], &again).await;
    assert_eq!(
        (dead["failures"].as_i64(), dead["broken"].as_bool()),
        (Some(3), Some(true)),
        "{dead}"
    );
    let broken = c.list("link=broken").await;
    assert_eq!(titles(&broken), vec!["dead"]);
    assert_eq!(broken[0]["link_broken"], true);
    let stats = expect(c.get("/stats").await, 200);
    assert_eq!(stats["broken_links"], 1);

    // The pages: the count on the dashboard, the filter, and the modal with the copy.
    let web = Browser::new(&app);
    web.log_in("links@example.com", PASSWORD).await;
    let dashboard = web.get("/dashboard").await;
    assert!(
        dashboard
            .html
            .contains("href=\"/items?link=broken\"><span class=\"n\">1</span>"),
        "{}",
        dashboard.html
    );
    let list = web.get("/items?link=broken").await;
    assert_eq!(crate::web::page_titles(&list.html), vec!["dead"]);
    assert!(list.html.contains("link-broken"));
    let modal = web.get(&format!("/items/{}", ids["dead"])).await;
    assert!(
        modal.html.contains(&format!("href=\"{wayback}\"")),
        "{}",
        modal.html
    );

    // A moved link takes its new address on request; a link that did not move cannot.
    let adopted = expect(
        c.post_empty(&format!("/items/{}/link/adopt", ids["moving"]))
            .await,
        200,
    );
    assert_eq!(adopted["url"], format!("{site}/new-place"));
    assert_eq!(adopted["capture_state"], "pending");
    let fresh = expect(c.get(&format!("/items/{}/link", ids["moving"])).await, 200);
    assert_eq!(
        (fresh["state"].clone(), fresh["moved_to"].clone()),
        (Value::Null, Value::Null)
    );
    let r = c
        .post_empty(&format!("/items/{}/link/adopt", ids["fine"]))
        .await;
    assert_invalid_field(&r, "url");

    // Checked now on request.
    let before = seen.count("HEAD", "/fine");
    let now = chrono::Utc::now().to_rfc3339();
    expect(
        c.post_empty(&format!("/items/{}/link/check", ids["fine"]))
            .await,
        202,
    );
    checked(&c, ids["fine"], &now).await;
    assert_eq!(seen.count("HEAD", "/fine"), before + 1);

    // Someone else's item, no item, no URL.
    let other = app.signup("other@example.com").await;
    for path in ["link", "link/check", "link/adopt"] {
        let url = format!("/items/{}/{path}", ids["dead"]);
        let r = if path == "link" {
            other.get(&url).await
        } else {
            other.post_empty(&url).await
        };
        assert_error(&r, 404, "not_found");
    }
    assert_error(&c.get("/items/999999/link").await, 404, "not_found");
    let bare = c.item(profile, "no link").await;
    assert_invalid_field(
        &c.post_empty(&format!("/items/{}/link/check", id(&bare)))
            .await,
        "url",
    );
    let bare_link = expect(c.get(&format!("/items/{}/link", id(&bare))).await, 200);
    assert_eq!(bare_link["state"], Value::Null);

    // A URL removed or changed starts afresh and is no longer broken.
    let cleared = expect(
        c.patch(&format!("/items/{}", ids["dead"]), json!({"url": null}))
            .await,
        200,
    );
    assert_eq!(cleared["link_broken"], false);
    assert!(c.list("link=broken").await.is_empty());
    drop(twin);
}

#[tokio::test]
async fn links_are_checked_classified_and_broken_only_after_days_sqlite() {
    links_are_checked_classified_and_broken_only_after_days(Backend::Sqlite).await;
}

#[tokio::test]
async fn links_are_checked_classified_and_broken_only_after_days_postgres() {
    links_are_checked_classified_and_broken_only_after_days(Backend::Postgres).await;
}
