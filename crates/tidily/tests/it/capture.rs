//! Page capture end to end: `tidily serve` fetches a saved link's page from a web server on
//! 127.0.0.1 (allowed through `CAPTURE_ALLOW_INTERNAL`, as a LAN service would be), fills in
//! the item, and keeps doing so with two server processes sharing a database and with a
//! server killed in the middle of a fetch.

use std::{
    collections::HashMap,
    net::SocketAddr,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use axum::{
    extract::{Path, State},
    http::header,
    response::IntoResponse,
    routing::get,
    Router,
};

use crate::common::*;

/// The fixture site: pages by name, and what it saw.
#[derive(Clone, Default)]
struct Site {
    hits: Arc<Mutex<HashMap<String, usize>>>,
    in_flight: Arc<AtomicUsize>,
    most_in_flight: Arc<AtomicUsize>,
}

impl Site {
    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

/// A Shift_JIS page named `n`, served after `delay_ms` (the first request of a `hang` page
/// waits a minute: its server is killed meanwhile).
async fn page(State(site): State<Site>, Path((kind, n)): Path<(String, u32)>) -> impl IntoResponse {
    let path = format!("/{kind}/{n}");
    let seen = {
        let mut hits = site.hits.lock().unwrap();
        let h = hits.entry(path).or_default();
        *h += 1;
        *h
    };
    let now = site.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    site.most_in_flight.fetch_max(now, Ordering::SeqCst);
    let delay = match (kind.as_str(), seen) {
        ("hang", 1) => 60_000,
        ("slow", _) => 300,
        _ => 0,
    };
    tokio::time::sleep(Duration::from_millis(delay)).await;
    site.in_flight.fetch_sub(1, Ordering::SeqCst);
    let html = format!(
        "<html lang=ja><head><title>東京の記事 {n}</title>\
         <meta property=\"og:site_name\" content=\"テストサイト\">\
         <meta name=description content=\"京都と全文検索についての説明 {n}\"></head>\
         <body><p>{}</p></body></html>",
        "本文の段落です。".repeat(100)
    );
    let (body, _, _) = encoding_rs::SHIFT_JIS.encode(&html);
    (
        [(header::CONTENT_TYPE, "text/html; charset=Shift_JIS")],
        body.into_owned(),
    )
}

async fn start_site() -> (SocketAddr, Site) {
    let site = Site::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new()
        .route("/{kind}/{n}", get(page))
        .with_state(site.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (addr, site)
}

const ALLOW: (&str, &str) = ("CAPTURE_ALLOW_INTERNAL", "127.0.0.1");

async fn a_saved_link_gets_its_pages_title_and_description(backend: Backend) {
    let Some(app) = TestApp::for_backend_with_env(backend, &[ALLOW]).await else {
        return;
    };
    let (site, _) = start_site().await;
    let c = app.signup("reader@example.com").await;
    let profile = c.profile_id("Private").await;
    let url = format!("http://{site}/page/1");

    // No title: the URL stands in until the page's own title is read.
    let item = c
        .create_item(json!({"profile_id": profile, "url": url}))
        .await;
    assert_eq!(item["title"], url.as_str());
    assert_eq!(item["capture_state"], "pending");
    let first = id(&item);
    let item = settled(&c, first, Duration::from_secs(20)).await;
    assert_eq!(item["capture_state"], "done", "{item}");
    assert_eq!(item["title"], "東京の記事 1");
    assert_eq!(item["description"], "京都と全文検索についての説明 1");
    assert_eq!(item["site_name"], "テストサイト");
    assert_eq!(item["reading_minutes"], 2);
    assert_eq!(item["memo"], "", "the memo stays the user's");
    let capture = expect(c.get(&format!("/items/{first}/capture")).await, 200);
    assert_eq!(capture["charset"], "Shift_JIS");
    assert_eq!(capture["http_status"], 200);
    assert_eq!(capture["final_url"], url.as_str());
    assert_eq!(capture["page"]["title"], "東京の記事 1");
    assert_eq!(capture["page"]["site_name"], "テストサイト");
    assert_eq!(capture["page"]["lang"], "ja");
    assert_eq!(
        capture["page"]["favicon_url"],
        format!("http://{site}/favicon.ico")
    );
    // The description is searched with the rest.
    assert_eq!(
        c.titles("q=全文検索についての説明").await,
        vec!["東京の記事 1"]
    );

    // A title the user gave is kept.
    let mine = c
        .create_item(json!({"profile_id": profile, "url": format!("http://{site}/page/2"), "title": "my name for it"}))
        .await;
    let mine = settled(&c, id(&mine), Duration::from_secs(20)).await;
    assert_eq!(mine["title"], "my name for it");
    assert_eq!(mine["description"], "京都と全文検索についての説明 2");

    // Asked again, it is fetched again.
    let again = expect(c.post_empty(&format!("/items/{first}/capture")).await, 202);
    assert_eq!(again["capture_state"], "pending");
    assert_eq!(
        settled(&c, first, Duration::from_secs(20)).await["capture_state"],
        "done"
    );

    // A changed URL is captured anew; its old description goes at once.
    let moved = expect(
        c.patch(
            &format!("/items/{first}"),
            json!({"url": format!("http://{site}/page/3")}),
        )
        .await,
        200,
    );
    assert_eq!(moved["capture_state"], "pending");
    assert_eq!(moved["description"], "");
    let moved = settled(&c, first, Duration::from_secs(20)).await;
    assert_eq!(moved["description"], "京都と全文検索についての説明 3");
    assert_eq!(
        moved["title"], "東京の記事 1",
        "the title is the user's now"
    );

    // Outside the allow-list, loopback is refused, and the reason is shown.
    let port = site.port();
    let refused = c
        .create_item(
            json!({"profile_id": profile, "url": format!("http://127.0.0.2:{port}/page/4")}),
        )
        .await;
    let refused = settled(&c, id(&refused), Duration::from_secs(20)).await;
    assert_eq!(refused["capture_state"], "failed");
    let why = expect(
        c.get(&format!("/items/{}/capture", id(&refused))).await,
        200,
    );
    assert!(why["error"].as_str().unwrap().contains("loopback"), "{why}");

    // Nothing to fetch without a URL; nothing to see of another user's item.
    let bare = c.item(profile, "no link").await;
    assert_eq!(bare["capture_state"], Value::Null);
    assert_error(
        &c.post_empty(&format!("/items/{}/capture", id(&bare))).await,
        422,
        "validation_failed",
    );
    let other = app.signup("other@example.com").await;
    assert_error(
        &other.get(&format!("/items/{first}/capture")).await,
        404,
        "not_found",
    );
    assert_error(
        &other.post_empty(&format!("/items/{first}/capture")).await,
        404,
        "not_found",
    );
    assert_error(&c.get("/items/999999/capture").await, 404, "not_found");
    // Neither title nor URL: still refused.
    assert_invalid_field(
        &c.post("/items", json!({"profile_id": profile})).await,
        "title",
    );
}

#[tokio::test]
async fn a_saved_link_gets_its_pages_title_and_description_sqlite() {
    a_saved_link_gets_its_pages_title_and_description(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_saved_link_gets_its_pages_title_and_description_postgres() {
    a_saved_link_gets_its_pages_title_and_description(Backend::Postgres).await;
}

/// Imported links are captured too, and a description the file gave (Pinboard's `extended`)
/// is kept over the page's; one the file lacked is the page's.
async fn imported_links_are_captured_keeping_their_description(backend: Backend) {
    let Some(app) = TestApp::for_backend_with_env(backend, &[ALLOW]).await else {
        return;
    };
    let (site, _) = start_site().await;
    let c = app.signup("reader@example.com").await;
    let file = json!([
        {"href": format!("http://{site}/page/41"), "description": "", "extended": "my own summary", "time": "2020-01-02T03:04:05Z", "tags": "a"},
        {"href": format!("http://{site}/page/42"), "description": "named", "extended": "", "time": "2020-01-02T03:04:05Z", "tags": ""}
    ]);
    let r = c
        .full(
            Method::POST,
            "/imports",
            Body::Raw(Some("application/json"), file.to_string().into_bytes()),
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let list = expect(c.get("/items?sort=created&order=asc").await, 200);
    let ids: Vec<i64> = list["items"].as_array().unwrap().iter().map(id).collect();
    let kept = settled(&c, ids[0], Duration::from_secs(30)).await;
    assert_eq!(kept["capture_state"], "done", "{kept}");
    assert_eq!(
        kept["title"], "東京の記事 41",
        "the page names an item the file left untitled"
    );
    assert_eq!(kept["description"], "my own summary");
    let filled = settled(&c, ids[1], Duration::from_secs(30)).await;
    assert_eq!(filled["title"], "named");
    assert_eq!(filled["description"], "京都と全文検索についての説明 42");
    // Fetched again, the page's description replaces the one its own capture wrote.
    expect(
        c.post_empty(&format!("/items/{}/capture", ids[1])).await,
        202,
    );
    assert_eq!(
        settled(&c, ids[1], Duration::from_secs(20)).await["description"],
        "京都と全文検索についての説明 42"
    );
}

#[tokio::test]
async fn imported_links_are_captured_keeping_their_description_sqlite() {
    imported_links_are_captured_keeping_their_description(Backend::Sqlite).await;
}

#[tokio::test]
async fn imported_links_are_captured_keeping_their_description_postgres() {
    imported_links_are_captured_keeping_their_description(Backend::Postgres).await;
}

/// Two server processes capture a dozen links from one host: each page is fetched once, and
/// never more than two at a time (the per-host limit holds across processes).
async fn two_servers_capture_each_page_once_politely(backend: Backend) {
    let Some(app) = TestApp::for_backend_with_env(backend, &[ALLOW]).await else {
        return;
    };
    let twin = app.sibling().await;
    let (site, seen) = start_site().await;
    let c = app.signup("many@example.com").await;
    let profile = c.profile_id("Private").await;
    let mut ids = Vec::new();
    for n in 0..12 {
        let item = c
            .create_item(json!({"profile_id": profile, "url": format!("http://{site}/slow/{n}")}))
            .await;
        ids.push(id(&item));
    }
    for id in &ids {
        let item = settled(&c, *id, Duration::from_secs(60)).await;
        assert_eq!(item["capture_state"], "done", "{item}");
    }
    for n in 0..12 {
        assert_eq!(seen.hits(&format!("/slow/{n}")), 1, "page {n} fetched once");
    }
    let most = seen.most_in_flight.load(Ordering::SeqCst);
    assert!(most <= 2, "{most} fetches from one host at once");
    drop(twin);
}

#[tokio::test]
async fn two_servers_capture_each_page_once_politely_sqlite() {
    two_servers_capture_each_page_once_politely(Backend::Sqlite).await;
}

#[tokio::test]
async fn two_servers_capture_each_page_once_politely_postgres() {
    two_servers_capture_each_page_once_politely(Backend::Postgres).await;
}

/// A server killed in the middle of a fetch: the capture's lease runs out and the restarted
/// server captures the page.
async fn a_capture_cut_off_by_a_killed_server_is_finished_after_restart(backend: Backend) {
    let env = [ALLOW, ("JOB_LEASE_SECS", "2")];
    let Some(mut app) = TestApp::for_backend_with_env(backend, &env).await else {
        return;
    };
    let (site, seen) = start_site().await;
    let c = app.signup("killed@example.com").await;
    let profile = c.profile_id("Private").await;
    let item = c
        .create_item(json!({"profile_id": profile, "url": format!("http://{site}/hang/1")}))
        .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while seen.hits("/hang/1") == 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the page was never fetched"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    app.kill_hard();
    app.restart().await;
    let c = app.login("killed@example.com", PASSWORD).await;
    let item = settled(&c, id(&item), Duration::from_secs(30)).await;
    assert_eq!(item["capture_state"], "done", "{item}");
    assert_eq!(item["title"], "東京の記事 1");
    assert_eq!(
        seen.hits("/hang/1"),
        2,
        "fetched once more, by the restarted server"
    );
}

#[tokio::test]
async fn a_capture_cut_off_by_a_killed_server_is_finished_after_restart_sqlite() {
    a_capture_cut_off_by_a_killed_server_is_finished_after_restart(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_capture_cut_off_by_a_killed_server_is_finished_after_restart_postgres() {
    a_capture_cut_off_by_a_killed_server_is_finished_after_restart(Backend::Postgres).await;
}
