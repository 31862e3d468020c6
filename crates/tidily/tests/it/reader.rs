//! The reader view end to end: a captured page's article is extracted, sanitised and archived
//! with its images stored on our side, shown in the reader page, served alone under a
//! sandboxing CSP, searched instead of the page's menus, and read to a position that is kept.

use std::{io::Cursor, net::SocketAddr, time::Duration};

use axum::{http::header, response::IntoResponse, routing::get, Router};
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};

use crate::{common::*, web::Browser};

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x % 200) as u8, (y % 200) as u8, 120])
    });
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .unwrap();
    out
}

const ARTICLE: &str = r#"<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">
<title>京都の紅葉を歩く | 旅の記録</title><script>window.evil = 1</script></head><body>
<nav><a href="/">ホーム</a> <a href="/about">運営者情報とお問い合わせ</a></nav>
<article><h1>京都の紅葉を歩く</h1>
<p>秋の京都は、東山から嵐山まで紅葉に染まります。朝早く出かければ、人の少ない境内で静かに楽しめます。</p>
<p><img src="/img/tofukuji.png" alt="東福寺の通天橋" onerror="alert(1)"> 東福寺の通天橋から見下ろす渓谷は、一面の赤に覆われます。</p>
<p><a href="javascript:alert(2)">危ないリンク</a>と<a href="/maps">地図</a>があります。</p>
<p onclick="steal()">清水寺の夜間拝観では、ライトアップされた紅葉と京都の街の灯りが重なります。</p>
<p><img src="/img/pixel.png" width="1" height="1">南禅寺の水路閣も見逃せません。煉瓦のアーチと紅葉の組み合わせは写真の名所です。</p>
<p>最後に、嵐山の竹林を抜けて渡月橋へ。川面に映る山の色が、旅の終わりを彩ります。</p>
</article><footer>© 2026 旅の記録</footer></body></html>"#;

async fn start_site() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let photo = png(1600, 1000);
    let pixel = png(1, 1);
    let app = Router::new()
        .route(
            "/kyoto",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    ARTICLE,
                )
            }),
        )
        .route(
            "/img/tofukuji.png",
            get(move || {
                let photo = photo.clone();
                async move { ([(header::CONTENT_TYPE, "image/png")], photo).into_response() }
            }),
        )
        .route(
            "/members-only",
            get(|| async { axum::http::StatusCode::FORBIDDEN }),
        )
        .route(
            "/img/pixel.png",
            get(move || {
                let pixel = pixel.clone();
                async move { ([(header::CONTENT_TYPE, "image/png")], pixel).into_response() }
            }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

async fn the_reader_view_shows_a_safe_archive_and_keeps_the_place(backend: Backend) {
    let env = [("CAPTURE_ALLOW_INTERNAL", "127.0.0.1")];
    let Some(app) = TestApp::for_backend_with_env(backend, &env).await else {
        return;
    };
    let site = start_site().await;
    let c = app.signup("reader@example.com").await;
    let profile = c.profile_id("Private").await;
    let item = c
        .create_item(json!({"profile_id": profile, "url": format!("http://{site}/kyoto")}))
        .await;
    let id = id(&item);
    let item = settled(&c, id, Duration::from_secs(30)).await;
    assert!(item["archive"].is_string(), "{item}");
    assert_eq!(item["reading_progress"], 0);

    // The reader page: the article, none of its script, handlers or script links, its photo
    // from our side, the tracking pixel dropped.
    let web = Browser::new(&app);
    web.log_in("reader@example.com", PASSWORD).await;
    let page = web.get(&format!("/items/{id}/reader")).await;
    assert_eq!(page.status, 200);
    let html = &page.html;
    assert!(html.contains("東福寺の通天橋から見下ろす渓谷"), "{html}");
    assert!(
        html.contains("<article class=\"reader\" lang=\"ja\""),
        "{html}"
    );
    for gone in [
        "window.evil",
        "onerror",
        "onclick",
        "javascript:alert",
        "pixel.png",
        "運営者情報",
    ] {
        assert!(!html.contains(gone), "{gone} in {html}");
    }
    assert!(
        html.contains(&format!("href=\"http://{site}/maps\"")),
        "{html}"
    );
    let prefix = format!("src=\"/items/{id}/images/");
    let at = html
        .find(&prefix)
        .unwrap_or_else(|| panic!("no stored image in {html}"));
    let src: String = html[at + 5..].chars().take_while(|c| *c != '"').collect();
    let (status, content_type, bytes) = web.bytes(&src).await;
    assert_eq!((status, content_type.as_str()), (200, "image/jpeg"));
    let shown = image::load_from_memory(&bytes).unwrap();
    assert_eq!((shown.width(), shown.height()), (1200, 750));
    let body = html.split("class=\"reader-body\"").nth(1).unwrap();
    assert_eq!(body.matches("<img").count(), 1, "{body}");
    assert!(!body.contains("<html"), "{body}");

    // The archive alone, through the API: sanitised HTML under a sandbox.
    let archive = c
        .full(
            Method::GET,
            &format!("/items/{id}/files/archive"),
            Body::None,
            &[],
        )
        .await;
    assert_eq!(archive.status, 200);
    assert_eq!(archive.headers["content-type"], "text/html; charset=utf-8");
    assert_eq!(
        archive.headers["content-security-policy"],
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    );
    assert!(archive.text.contains("清水寺の夜間拝観") && !archive.text.contains("onclick"));

    // Search reads the article, not the menus.
    assert_eq!(
        c.titles(&format!("q={}", enc("水路閣"))).await,
        vec!["京都の紅葉を歩く"]
    );
    assert!(c
        .titles(&format!("q={}", enc("運営者情報")))
        .await
        .is_empty());

    // The place is kept, from the pages and from the API; out of range is refused.
    let page = web.get(&format!("/items/{id}/reader")).await;
    let csrf = crate::web::csrf_of(&page.html);
    let saved = web
        .post_no_follow(
            &format!("/items/{id}/progress"),
            &[("_csrf", &csrf), ("percent", "42")],
        )
        .await;
    assert_eq!(saved.status, 204);
    assert_eq!(
        expect(c.get(&format!("/items/{id}")).await, 200)["reading_progress"],
        42
    );
    let page = web.get(&format!("/items/{id}/reader")).await;
    assert!(page.html.contains("data-progress=\"42\""));
    let r = c
        .raw(
            Method::PUT,
            &format!("/items/{id}/progress"),
            Some("application/json"),
            r#"{"percent": 77}"#,
        )
        .await;
    assert_eq!(r.0, 204, "{r:?}");
    assert_eq!(
        expect(c.get(&format!("/items/{id}")).await, 200)["reading_progress"],
        77
    );
    let r = c
        .raw(
            Method::PUT,
            &format!("/items/{id}/progress"),
            Some("application/json"),
            r#"{"percent": 101}"#,
        )
        .await;
    assert_invalid_field(&r, "percent");
    let forged = web
        .post_no_follow(&format!("/items/{id}/progress"), &[("percent", "10")])
        .await;
    assert_eq!(forged.status, 403, "no CSRF token, no change");

    // Nobody else's.
    let other = app.signup("other@example.com").await;
    let stranger = Browser::new(&app);
    stranger.log_in("other@example.com", PASSWORD).await;
    assert_eq!(
        stranger.get(&format!("/items/{id}/reader")).await.status,
        404
    );
    assert_eq!(stranger.bytes(&src).await.0, 404);
    let r = other
        .raw(
            Method::PUT,
            &format!("/items/{id}/progress"),
            Some("application/json"),
            r#"{"percent": 5}"#,
        )
        .await;
    assert_error(&r, 404, "not_found");
    assert_error(
        &other.get(&format!("/items/{id}/files/archive")).await,
        404,
        "not_found",
    );
    // An image that is not one of this archive's (here: a made-up digest) is not served.
    let fake = format!("/items/{id}/images/{}", "0".repeat(64));
    assert_eq!(web.bytes(&fake).await.0, 404);
    assert_eq!(
        web.bytes(&format!("/items/{id}/images/..%2Fetc")).await.0,
        404
    );
    // An item without an archive has no reader page.
    let bare = c.item(profile, "no link").await["id"].as_i64().unwrap();
    assert_eq!(web.get(&format!("/items/{bare}/reader")).await.status, 404);
}

#[tokio::test]
async fn the_reader_view_shows_a_safe_archive_and_keeps_the_place_sqlite() {
    the_reader_view_shows_a_safe_archive_and_keeps_the_place(Backend::Sqlite).await;
}

#[tokio::test]
async fn the_reader_view_shows_a_safe_archive_and_keeps_the_place_postgres() {
    the_reader_view_shows_a_safe_archive_and_keeps_the_place(Backend::Postgres).await;
}

/// A page behind a log-in, sent from the user's browser: read as a fetched page would be.
async fn a_page_sent_from_the_browser_is_read_like_a_fetched_one(backend: Backend) {
    let env = [("CAPTURE_ALLOW_INTERNAL", "127.0.0.1")];
    let Some(app) = TestApp::for_backend_with_env(backend, &env).await else {
        return;
    };
    let site = start_site().await;
    let c = app.signup("member@example.com").await;
    let profile = c.profile_id("Private").await;
    let url = format!("http://{site}/members-only");
    let item = c
        .create_item(json!({"profile_id": profile, "url": url}))
        .await;
    let id = id(&item);
    assert_eq!(
        settled(&c, id, Duration::from_secs(30)).await["capture_state"],
        "failed",
        "the server gets a 403"
    );

    // Sent as the browser has it, in Shift_JIS.
    let (page, _, _) = encoding_rs::SHIFT_JIS.encode(ARTICLE);
    let sent = c
        .raw(
            Method::POST,
            &format!("/items/{id}/page"),
            Some("text/html; charset=Shift_JIS"),
            page.into_owned(),
        )
        .await;
    assert_eq!(sent.0, 202, "{sent:?}");
    assert_eq!(sent.1["capture_state"], "pending");
    let item = settled(&c, id, Duration::from_secs(30)).await;
    assert_eq!(item["capture_state"], "done", "{item}");
    assert_eq!(item["title"], "京都の紅葉を歩く");
    assert!(item["archive"].is_string(), "{item}");
    let capture = expect(c.get(&format!("/items/{id}/capture")).await, 200);
    assert_eq!(capture["charset"], "Shift_JIS");
    assert_eq!(capture["final_url"], url.as_str());
    let web = Browser::new(&app);
    web.log_in("member@example.com", PASSWORD).await;
    let reader = web.get(&format!("/items/{id}/reader")).await;
    assert!(reader.html.contains("清水寺の夜間拝観"), "{}", reader.html);

    // What is refused, and how.
    let post = |path: String, ct: &'static str, body: Vec<u8>| {
        let c = c.clone();
        async move { c.raw(Method::POST, &path, Some(ct), body).await }
    };
    let path = format!("/items/{id}/page");
    assert_error(
        &post(path.clone(), "text/plain", b"hello".to_vec()).await,
        415,
        "unsupported_media_type",
    );
    // Past 5 MiB: refused from its declared length, before any of it is read.
    let (status, body) = c
        .declared_only("POST", &path, "text/html", 5 * 1024 * 1024 + 1)
        .await;
    assert_eq!(status, "HTTP/1.1 413 Payload Too Large");
    assert_eq!(body["error"]["code"], "payload_too_large");
    let bare = c.item(profile, "no link").await["id"].as_i64().unwrap();
    assert_invalid_field(
        &post(
            format!("/items/{bare}/page"),
            "text/html",
            b"<p>x</p>".to_vec(),
        )
        .await,
        "url",
    );
    let other = app.signup("other@example.com").await;
    let r = other
        .raw(Method::POST, &path, Some("text/html"), b"<p>x</p>".to_vec())
        .await;
    assert_error(&r, 404, "not_found");
    // Just under the limit is accepted (a large page is a page).
    let large = format!(
        "<html><body><p>{}</p></body></html>",
        "大".repeat(1_500_000)
    );
    assert_eq!(
        post(path, "text/html; charset=utf-8", large.into_bytes())
            .await
            .0,
        202
    );
}

#[tokio::test]
async fn a_page_sent_from_the_browser_is_read_like_a_fetched_one_sqlite() {
    a_page_sent_from_the_browser_is_read_like_a_fetched_one(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_page_sent_from_the_browser_is_read_like_a_fetched_one_postgres() {
    a_page_sent_from_the_browser_is_read_like_a_fetched_one(Backend::Postgres).await;
}
