//! Stored files end to end: a captured page's icon and preview image are fetched from a web
//! server on 127.0.0.1, re-encoded small, stored once however many items (or users) have
//! them, served only to their owners with caching headers, counted against a quota, and
//! collected when nothing refers to them; in a local directory and in S3 (`moto_server`).

use std::{
    io::Cursor,
    net::SocketAddr,
    path::{Path, PathBuf},
    time::Duration,
};

use axum::{
    extract::Path as UrlPath,
    http::{header, StatusCode},
    response::IntoResponse,
    routing::get,
    Router,
};
use image::{DynamicImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};

use crate::{common::*, web::Browser};

fn encode(img: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), format).unwrap();
    out
}

/// A 128 px icon, half transparent.
fn icon() -> Vec<u8> {
    let img = RgbaImage::from_fn(128, 128, |x, _| {
        Rgba([20, 90, 200, if x < 64 { 0 } else { 255 }])
    });
    encode(DynamicImage::ImageRgba8(img), ImageFormat::Png)
}

/// A 1,600 x 900 photo full of detail (so its JPEG is far from tiny).
fn photo() -> Vec<u8> {
    let img = RgbImage::from_fn(1600, 900, |x, y| {
        let n = x
            .wrapping_mul(2_654_435_761)
            .wrapping_add(y.wrapping_mul(40_503))
            >> 8;
        Rgb([n as u8, (n >> 8) as u8, (x ^ y) as u8])
    });
    encode(DynamicImage::ImageRgb8(img), ImageFormat::Png)
}

/// A PNG whose header claims 100,000 x 100,000 pixels.
fn bomb() -> Vec<u8> {
    let mut png = encode(
        DynamicImage::ImageRgb8(RgbImage::new(4, 4)),
        ImageFormat::Png,
    );
    png[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    png[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    png
}

/// Pages: `/article/{n}` offers an SVG icon (passed over), a PNG icon and a relative
/// `og:image`; `/huge/{n}` offers a bomb and an icon far past the size cap.
async fn page(UrlPath((kind, n)): UrlPath<(String, u32)>) -> impl IntoResponse {
    let head = match kind.as_str() {
        "article" => {
            "<link rel=icon type=image/svg+xml href=/icon.svg>\
             <link rel=icon href=/icon.png sizes=128x128>\
             <meta property=og:image content=img/photo.png>"
        }
        _ => {
            "<link rel=icon href=/big.ico sizes=256x256><meta property=og:image content=/bomb.png>"
        }
    };
    let html = format!(
        "<html><head><title>{kind} {n}</title>{head}</head><body><p>本文</p></body></html>"
    );
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html)
}

async fn start_site() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let image = |bytes: Vec<u8>, ct: &'static str| {
        get(move || {
            let bytes = bytes.clone();
            async move { ([(header::CONTENT_TYPE, ct)], bytes) }
        })
    };
    let app = Router::new()
        .route("/{kind}/{n}", get(page))
        .route("/icon.png", image(icon(), "image/png"))
        // An icon server that says nothing useful of its type.
        .route(
            "/article/img/photo.png",
            image(photo(), "application/octet-stream"),
        )
        .route(
            "/icon.svg",
            image(b"<svg onload=alert(1)></svg>".to_vec(), "image/svg+xml"),
        )
        .route("/bomb.png", image(bomb(), "image/png"))
        .route("/big.ico", image(vec![0; 600 << 10], "image/x-icon"))
        .route("/favicon.ico", get(|| async { StatusCode::NOT_FOUND }));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

const ALLOW: (&str, &str) = ("CAPTURE_ALLOW_INTERNAL", "127.0.0.1");

/// Saves `url` and waits for its capture to finish; returns the item.
async fn captured(c: &Client, profile: i64, url: &str) -> Value {
    let item = c
        .create_item(json!({"profile_id": profile, "url": url}))
        .await;
    let item = settled(c, id(&item), Duration::from_secs(30)).await;
    assert_eq!(item["capture_state"], "done", "{item}");
    item
}

/// Every file under `dir`.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            found.extend(files_in(&path));
        } else {
            found.push(path);
        }
    }
    found
}

fn file_path(item: &Value, role: &str) -> String {
    let version = item[role]
        .as_str()
        .unwrap_or_else(|| panic!("no {role}: {item}"));
    format!("/items/{}/files/{role}?v={version}", id(item))
}

async fn icons_and_previews_are_stored_once_and_served_to_their_owner(backend: Backend) {
    let env = [ALLOW, ("HOUSEKEEPING_SECS", "1")];
    let Some(app) = TestApp::for_backend_with_env(backend, &env).await else {
        return;
    };
    let site = start_site().await;
    let files_dir = PathBuf::from(app.env_var("FILE_STORE").unwrap());
    let c = app.signup("pictures@example.com").await;
    let profile = c.profile_id("Private").await;
    let first = captured(&c, profile, &format!("http://{site}/article/1")).await;

    // The icon: the PNG (not the SVG), made 64 px, transparency kept.
    let (status, headers, bytes) = c.get_bytes(&file_path(&first, "favicon"), &[]).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "image/png");
    let icon = image::load_from_memory(&bytes).unwrap();
    assert_eq!((icon.width(), icon.height()), (64, 64));
    assert!(icon.color().has_alpha());
    assert_eq!(
        headers["cache-control"],
        "private, max-age=31536000, immutable"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(
        headers["content-security-policy"],
        "default-src 'none'; sandbox"
    );
    let etag = headers["etag"].to_str().unwrap().to_owned();
    let (status, _, body) = c
        .get_bytes(&file_path(&first, "favicon"), &[("if-none-match", &etag)])
        .await;
    assert_eq!((status, body.len()), (304, 0));
    let unversioned = format!("/items/{}/files/favicon", id(&first));
    let (_, headers, _) = c.get_bytes(&unversioned, &[]).await;
    assert_eq!(headers["cache-control"], "private, no-cache");

    // The preview: a JPEG at most 800 px wide, same shape.
    let (status, headers, bytes) = c.get_bytes(&file_path(&first, "preview"), &[]).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "image/jpeg");
    let preview = image::load_from_memory(&bytes).unwrap();
    assert_eq!((preview.width(), preview.height()), (800, 450));
    let stored = files_in(&files_dir);
    assert_eq!(stored.len(), 2, "{stored:?}");
    let usage = expect(c.get("/account/storage").await, 200);
    let used = usage["used_bytes"].as_i64().unwrap();
    assert_eq!(
        used,
        app.query_i64("SELECT CAST(SUM(size) AS BIGINT) FROM files")
            .await
    );
    assert_eq!(usage["quota_bytes"], 1024 << 20);

    // The same images from another page and from another user: stored once, counted once
    // for each user.
    let second = captured(&c, profile, &format!("http://{site}/article/2")).await;
    assert_eq!(second["preview"], first["preview"]);
    let other = app.signup("other@example.com").await;
    let theirs = captured(
        &other,
        other.profile_id("Private").await,
        &format!("http://{site}/article/1"),
    )
    .await;
    assert_eq!(files_in(&files_dir).len(), 2);
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM files").await, 2);
    assert_eq!(
        expect(c.get("/account/storage").await, 200)["used_bytes"],
        used
    );
    assert_eq!(
        expect(other.get("/account/storage").await, 200)["used_bytes"],
        used
    );

    // Only to their owner; nothing for a role, an item or an ID that is not there.
    for (who, path, code) in [
        (&other, file_path(&first, "preview"), 404),
        (&c, file_path(&theirs, "favicon"), 404),
        (&c, format!("/items/{}/files/archive", id(&first)), 404),
        (&c, "/items/999999/files/favicon".to_owned(), 404),
        (&c, "/items/x/files/favicon".to_owned(), 404),
    ] {
        let (status, _, body) = who.get_bytes(&path, &[]).await;
        assert_eq!(status, code, "{path}");
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["error"]["code"], "not_found", "{path}");
    }
    let bare = c.item(profile, "no link").await;
    assert_error(
        &c.get(&format!("/items/{}/files/favicon", id(&bare))).await,
        404,
        "not_found",
    );
    assert_eq!(app.anon().get(&file_path(&first, "favicon")).await.0, 401);

    // A bomb and an icon past the cap: the page is captured, its images are not.
    let huge = captured(&c, profile, &format!("http://{site}/huge/1")).await;
    assert_eq!(huge["favicon"], Value::Null, "{huge}");
    assert_eq!(huge["preview"], Value::Null, "{huge}");
    assert_eq!(files_in(&files_dir).len(), 2);

    // Gone from every item, and unused for a day: housekeeping deletes them.
    for (who, item) in [(&c, &first), (&c, &second), (&other, &theirs)] {
        expect(
            who.post_empty(&format!("/items/{}/trash", id(item))).await,
            200,
        );
        assert_eq!(who.delete(&format!("/items/{}", id(item))).await.0, 204);
    }
    let day_ago = (chrono::Utc::now() - chrono::Duration::hours(25)).to_rfc3339();
    app.exec_sql(&format!("UPDATE files SET used_at = '{day_ago}'"))
        .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while app.query_i64("SELECT COUNT(*) FROM files").await > 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "files never collected"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(files_in(&files_dir), Vec::<PathBuf>::new());
    assert_eq!(
        expect(c.get("/account/storage").await, 200)["used_bytes"],
        0
    );
}

#[tokio::test]
async fn icons_and_previews_are_stored_once_and_served_to_their_owner_sqlite() {
    icons_and_previews_are_stored_once_and_served_to_their_owner(Backend::Sqlite).await;
}

#[tokio::test]
async fn icons_and_previews_are_stored_once_and_served_to_their_owner_postgres() {
    icons_and_previews_are_stored_once_and_served_to_their_owner(Backend::Postgres).await;
}

/// Past the quota, a capture keeps the page and leaves out the image; the pages show what is
/// used, and the list shows the icon.
async fn the_quota_holds_and_the_pages_show_it(backend: Backend) {
    // 48 KB: the icon fits, the detailed preview does not.
    let env = [ALLOW, ("STORAGE_QUOTA_MB", "0.046875")];
    let Some(app) = TestApp::for_backend_with_env(backend, &env).await else {
        return;
    };
    let site = start_site().await;
    let c = app.signup("full@example.com").await;
    let web = Browser::new(&app);
    web.log_in("full@example.com", PASSWORD).await;
    let item = captured(
        &c,
        c.profile_id("Private").await,
        &format!("http://{site}/article/7"),
    )
    .await;
    assert!(item["favicon"].is_string(), "{item}");
    assert_eq!(item["preview"], Value::Null, "{item}");
    let usage = expect(c.get("/account/storage").await, 200);
    let used = usage["used_bytes"].as_u64().unwrap();
    assert!(used > 0 && used <= 48 << 10, "{usage}");

    let list = web.get("/items").await;
    let icon = format!(
        "<img class=\"favicon\" src=\"{}\"",
        file_path(&item, "favicon")
    );
    assert!(list.html.contains(&icon), "{icon} in {}", list.html);
    let (status, content_type, _) = web.bytes(&file_path(&item, "favicon")).await;
    assert_eq!((status, content_type.as_str()), (200, "image/png"));
    let settings = web.get("/settings").await;
    let shown = format!("data-storage>{} KB / 48 KB<", used.div_ceil(1024));
    assert!(
        settings.html.contains(&shown),
        "{shown} in {}",
        settings.html
    );
}

#[tokio::test]
async fn the_quota_holds_and_the_pages_show_it_sqlite() {
    the_quota_holds_and_the_pages_show_it(Backend::Sqlite).await;
}

#[tokio::test]
async fn the_quota_holds_and_the_pages_show_it_postgres() {
    the_quota_holds_and_the_pages_show_it(Backend::Postgres).await;
}

/// A running `moto_server` (S3 on 127.0.0.1), killed on drop.
struct Moto(std::process::Child, u16);

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `moto_server` from `MOTO_SERVER` (set by scripts/test.sh) or `PATH`; `None` only
/// when it is missing and `TIDILY_SKIP_MOTO=1` asks to skip (as the scheduler's tests do).
async fn moto() -> Option<Moto> {
    let exe = std::env::var_os("MOTO_SERVER")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::split_paths(&std::env::var_os("PATH")?)
                .map(|d| d.join("moto_server"))
                .find(|p| p.is_file())
        });
    let Some(exe) = exe else {
        assert_eq!(
            std::env::var("TIDILY_SKIP_MOTO").as_deref(),
            Ok("1"),
            "moto_server not found: set MOTO_SERVER (scripts/test.sh installs it), or \
             TIDILY_SKIP_MOTO=1 to skip the S3 test on purpose"
        );
        eprintln!("SKIPPED: moto_server not found and TIDILY_SKIP_MOTO=1");
        return None;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = std::process::Command::new(exe)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start moto_server");
    let moto = Moto(child, port);
    for _ in 0..300 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Some(moto);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("moto_server did not listen on {port}");
}

/// With `FILE_STORE=s3://…`, the files go to the bucket (signed requests to a local S3) and
/// come back from it; nothing is written to the disk.
#[tokio::test]
async fn files_can_live_in_s3() {
    let Some(moto) = moto().await else {
        return;
    };
    let endpoint = format!("http://127.0.0.1:{}", moto.1);
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let created = http
        .put(format!("{endpoint}/tidily-test-assets"))
        .send()
        .await
        .unwrap();
    assert!(created.status().is_success(), "{created:?}");
    let env = [
        ALLOW,
        ("FILE_STORE", "s3://tidily-test-assets/files"),
        ("AWS_ENDPOINT", endpoint.as_str()),
        ("AWS_ALLOW_HTTP", "true"),
        ("AWS_REGION", "ap-northeast-1"),
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
    ];
    let app = TestApp::spawn_with_env(Backend::Sqlite, &env).await;
    let site = start_site().await;
    let c = app.signup("cloud@example.com").await;
    let item = captured(
        &c,
        c.profile_id("Private").await,
        &format!("http://{site}/article/3"),
    )
    .await;
    let (status, _, bytes) = c.get_bytes(&file_path(&item, "preview"), &[]).await;
    assert_eq!(status, 200);
    assert_eq!(image::load_from_memory(&bytes).unwrap().width(), 800);
    let listing = http
        .get(format!(
            "{endpoint}/tidily-test-assets?list-type=2&prefix=files/"
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(listing.matches("<Key>files/").count(), 2, "{listing}");
    let digest = app
        .query_i64("SELECT COUNT(*) FROM files WHERE content_type = 'image/jpeg'")
        .await;
    assert_eq!(digest, 1);
}
