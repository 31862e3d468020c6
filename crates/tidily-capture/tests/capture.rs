//! The guarded fetcher and the page reader against a real web server on 127.0.0.1, reached
//! by name through a fixed resolver table (`fixture.test` is the only name allowed to resolve
//! to a private address).

mod fixture;

use std::{collections::HashMap, net::SocketAddr, time::Duration};

use tidily_capture::{capture, guard::Policy, FetchError, Fetcher, Limits, Lookup};
use tidily_core::{app::captures::Target, config::AllowEntry};
use url::Url;

fn lookup() -> Lookup {
    let table: HashMap<String, Vec<std::net::IpAddr>> = [
        ("fixture.test", vec!["127.0.0.1".parse().unwrap()]),
        ("localhost", vec!["127.0.0.1".parse().unwrap()]),
        (
            "mixed.test",
            vec![
                "93.184.216.34".parse().unwrap(),
                "127.0.0.1".parse().unwrap(),
            ],
        ),
        ("public.test", vec!["93.184.216.34".parse().unwrap()]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    Lookup::Static(table)
}

fn limits() -> Limits {
    Limits {
        connect: Duration::from_secs(2),
        headers: Duration::from_secs(2),
        total: Duration::from_secs(3),
        body: 1 << 20,
        redirects: 5,
    }
}

fn fetcher_allowing(allow: Vec<AllowEntry>) -> Fetcher {
    Fetcher::new(Policy::new(allow), lookup(), limits())
}

/// The fetcher the tests use: only `fixture.test` may be private.
fn fetcher() -> Fetcher {
    fetcher_allowing(vec![AllowEntry::Host("fixture.test".into())])
}

fn at(addr: SocketAddr, path: &str) -> Url {
    Url::parse(&format!("http://fixture.test:{}{path}", addr.port())).unwrap()
}

fn target(url: &Url) -> Target {
    Target {
        item_id: 1,
        user_id: 1,
        url: url.to_string(),
    }
}

async fn refused(f: &Fetcher, url: &str) -> String {
    match f.get(&Url::parse(url).unwrap()).await {
        Err(FetchError::Refused(r)) => r.to_string(),
        other => panic!("{url}: expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn private_addresses_are_refused_in_every_form() {
    let addr = fixture::start().await;
    let p = addr.port();
    let f = fetcher();
    for url in [
        format!("http://127.0.0.1:{p}/page/meta"),
        format!("http://[::1]:{p}/page/meta"),
        format!("http://[::ffff:127.0.0.1]:{p}/page/meta"),
        format!("http://[::ffff:7f00:1]:{p}/page/meta"),
        format!("http://2130706433:{p}/page/meta"),
        format!("http://0x7f.1:{p}/page/meta"),
        format!("http://0177.0.0.1:{p}/page/meta"),
        format!("http://localhost:{p}/page/meta"),
        format!("http://mixed.test:{p}/page/meta"),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
        "http://169.254.170.2/v2/credentials".to_owned(),
        "http://[fd00:ec2::254]/latest/meta-data/".to_owned(),
        "http://10.0.0.1/".to_owned(),
        "http://100.64.0.1/".to_owned(),
        "http://[64:ff9b::a9fe:a9fe]/".to_owned(),
    ] {
        refused(&f, &url).await;
    }
    // A name with one private address among public ones is refused whole.
    let why = refused(&f, &format!("http://mixed.test:{p}/")).await;
    assert!(
        why.contains("127.0.0.1") && why.contains("loopback"),
        "{why}"
    );
    // Without the allow-list, the fixture itself is private.
    refused(&fetcher_allowing(vec![]), at(addr, "/page/meta").as_str()).await;
}

#[tokio::test]
async fn every_redirect_hop_is_checked() {
    let addr = fixture::start().await;
    let f = fetcher();
    for path in ["to-ip", "to-localhost", "to-metadata", "to-mixed"] {
        refused(&f, at(addr, &format!("/page/{path}")).as_str()).await;
    }
    assert!(matches!(
        f.get(&at(addr, "/page/to-file")).await,
        Err(FetchError::Scheme(s)) if s == "file"
    ));
    assert!(matches!(
        f.get(&at(addr, "/page/loop-a")).await,
        Err(FetchError::RedirectLoop(_))
    ));
    assert!(matches!(
        f.get(&at(addr, "/hops/6")).await,
        Err(FetchError::TooManyRedirects(5))
    ));
    let page = f.get(&at(addr, "/hops/5")).await.unwrap();
    assert_eq!(page.url.path(), "/hops/0");
}

#[tokio::test]
async fn an_allowed_network_opens_an_ip_literal_but_not_its_neighbours() {
    let addr = fixture::start().await;
    let f = fetcher_allowing(vec![AllowEntry::Net("127.0.0.1/32".parse().unwrap())]);
    let page = f
        .get(&Url::parse(&format!("http://127.0.0.1:{}/page/meta", addr.port())).unwrap())
        .await
        .unwrap();
    assert_eq!(page.status, 200);
    refused(&f, &format!("http://127.0.0.2:{}/page/meta", addr.port())).await;
    refused(&f, "http://169.254.169.254/").await;
}

#[tokio::test]
async fn japanese_pages_decode_exactly_in_every_encoding() {
    let addr = fixture::start().await;
    let f = fetcher();
    for (path, charset) in [
        ("sjis-header", "Shift_JIS"),
        ("eucjp-meta", "EUC-JP"),
        ("sjis-undeclared", "Shift_JIS"),
        ("eucjp-undeclared", "EUC-JP"),
        ("iso2022jp-header", "ISO-2022-JP"),
        ("iso2022jp-undeclared", "ISO-2022-JP"),
        ("utf8-bom", "UTF-8"),
        ("header-lies", "Shift_JIS"),
        ("meta-lies", "Shift_JIS"),
    ] {
        let url = at(addr, &format!("/page/{path}"));
        let (c, _) = capture(&f, &target(&url)).await.unwrap();
        assert_eq!(c.page.title.as_deref(), Some(fixture::TITLE), "{path}");
        // ISO-2022-JP has no half-width katakana: the page's encoder wrote full-width ones.
        let description = if charset == "ISO-2022-JP" {
            fixture::DESCRIPTION.replace("ｶﾀｶﾅ", "カタカナ")
        } else {
            fixture::DESCRIPTION.to_owned()
        };
        assert_eq!(c.page.description, Some(description), "{path}");
        assert_eq!(c.charset.as_deref(), Some(charset), "{path}");
        assert_eq!(c.page.lang.as_deref(), Some("ja"), "{path}");
        // The article (the heading and the menu aside): about 470 Japanese characters at 500
        // a minute, one minute; the text is the article's, not the page's.
        assert_eq!(c.page.reading_minutes, Some(1), "{path}");
    }
}

#[tokio::test]
async fn metadata_comes_from_open_graph_json_ld_and_the_page() {
    let addr = fixture::start().await;
    let f = fetcher();
    let url = at(addr, "/page/moved");
    let (c, _) = capture(&f, &target(&url)).await.unwrap();
    let base = format!("http://fixture.test:{}", addr.port());
    assert_eq!(c.final_url, format!("{base}/page/meta"));
    assert_eq!(c.http_status, 200);
    assert_eq!(c.page.title.as_deref(), Some("Open Graph title"));
    assert_eq!(
        c.page.description.as_deref(),
        Some("Open Graph description")
    );
    assert_eq!(c.page.site_name.as_deref(), Some("Example Site"));
    assert_eq!(c.page.image_url, Some(format!("{base}/images/cover.png")));
    assert_eq!(c.page.favicon_url, Some(format!("{base}/icons/96.png")));
    assert_eq!(
        c.page.canonical_url,
        Some(format!("{base}/articles/canonical"))
    );
    assert_eq!(c.page.author.as_deref(), Some("Ada Lovelace"));
    assert_eq!(
        c.page.published_at.map(|d| d.to_rfc3339()).as_deref(),
        Some("2026-12-01T08:30:00+00:00")
    );
    assert_eq!(c.page.lang.as_deref(), Some("en-GB"));
    assert_eq!(c.charset.as_deref(), Some("UTF-8"));

    let (c, _) = capture(&f, &target(&at(addr, "/page/no-title")))
        .await
        .unwrap();
    assert_eq!(c.page.title, None);
    assert_eq!(c.page.site_name.as_deref(), Some("fixture.test"));
    assert_eq!(c.page.favicon_url, Some(format!("{base}/favicon.ico")));

    let (c, _) = capture(&f, &target(&at(addr, "/page/image")))
        .await
        .unwrap();
    assert_eq!(c.content_type.as_deref(), Some("image/png"));
    assert_eq!(c.page.title, None);
}

#[tokio::test]
async fn bodies_stop_at_the_cap_compressed_or_not() {
    let (gzip, br) = tokio::task::spawn_blocking(fixture::build_bombs)
        .await
        .unwrap();
    assert!(
        gzip < 1 << 20 && br < 1 << 20,
        "bombs of {gzip} and {br} bytes"
    );
    let addr = fixture::start().await;
    let f = fetcher();
    for path in ["big", "gzip-bomb", "br-bomb"] {
        let page = f.get(&at(addr, &format!("/page/{path}"))).await.unwrap();
        assert_eq!(page.body.len(), 1 << 20, "{path}");
        assert!(page.truncated, "{path}");
    }
}

#[tokio::test]
async fn slow_servers_hit_the_deadlines() {
    let addr = fixture::start().await;
    let f = fetcher();
    let started = std::time::Instant::now();
    assert!(matches!(
        f.get(&at(addr, "/page/trickle")).await,
        Err(FetchError::Timeout(_))
    ));
    assert!(matches!(
        f.get(&at(addr, "/page/slow-headers")).await,
        Err(FetchError::Timeout(_))
    ));
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn errors_say_whether_a_retry_may_help() {
    let addr = fixture::start().await;
    let f = fetcher();
    let gone = f.get(&at(addr, "/page/gone")).await.unwrap_err();
    assert!(matches!(gone, FetchError::Status(410)) && !gone.is_transient());
    let busy = f.get(&at(addr, "/page/busy")).await.unwrap_err();
    assert!(matches!(busy, FetchError::Status(503)) && busy.is_transient());
    let nowhere = f
        .get(&Url::parse("http://nowhere.test/").unwrap())
        .await
        .unwrap_err();
    assert!(matches!(nowhere, FetchError::Unresolved(_)), "{nowhere:?}");
    // A closed port on an allowed name.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let refused = f
        .get(&Url::parse(&format!("http://fixture.test:{closed}/")).unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(refused, FetchError::Connect(_)) && refused.is_transient(),
        "{refused:?}"
    );
}
