//! Link checks against a real web server on 127.0.0.1: every class of `domain::link` from
//! real answers (HEAD, and GET where HEAD is refused or answers badly).

use std::net::SocketAddr;

use axum::{
    extract::Path,
    http::{header, Method, StatusCode},
    response::{IntoResponse, Response},
    routing::any,
    Router,
};
use tidily_capture::{guard::Policy, links::check, Fetcher, Limits, Lookup};
use tidily_core::{config::AllowEntry, domain::link::LinkState};
use url::Url;

fn page(title: &str) -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        format!("<html><head><title>{title}</title></head><body>text</body></html>"),
    )
        .into_response()
}

fn redirect(status: StatusCode, to: &str) -> Response {
    (status, [(header::LOCATION, to.to_owned())]).into_response()
}

/// Each path answers as one kind of site does.
async fn site(method: Method, Path(path): Path<String>) -> Response {
    let head = method == Method::HEAD;
    match path.as_str() {
        "ok" | "new-home" | "elsewhere" | "same/" => page("A page"),
        "head-refused" if head => StatusCode::METHOD_NOT_ALLOWED.into_response(),
        "head-refused" => page("A page"),
        "head-misread" if head => StatusCode::NOT_FOUND.into_response(),
        "head-misread" => page("A page"),
        "moved" => redirect(StatusCode::MOVED_PERMANENTLY, "/new-home"),
        "moved-308" => redirect(StatusCode::PERMANENT_REDIRECT, "/new-home"),
        "same" => redirect(StatusCode::MOVED_PERMANENTLY, "/same/"),
        "temporary" => redirect(StatusCode::FOUND, "/elsewhere"),
        "gone" => StatusCode::NOT_FOUND.into_response(),
        "gone-410" => StatusCode::GONE.into_response(),
        "forbidden" => StatusCode::FORBIDDEN.into_response(),
        "rate-limited" => StatusCode::TOO_MANY_REQUESTS.into_response(),
        "failing" => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        "deep/article" => redirect(StatusCode::MOVED_PERMANENTLY, "/"),
        "not-found-page" if head => StatusCode::METHOD_NOT_ALLOWED.into_response(),
        "not-found-page" => page("ページが見つかりません | Example"),
        "loop" => redirect(StatusCode::FOUND, "/loop"),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn home() -> Response {
    page("Home")
}

async fn start() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new()
        .route("/", any(home))
        .route("/{*path}", any(site));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

fn fetcher() -> Fetcher {
    let allow = vec![AllowEntry::Net("127.0.0.1/32".parse().unwrap())];
    Fetcher::new(Policy::new(allow), Lookup::System, Limits::default())
}

#[tokio::test]
async fn every_class_of_link_from_real_answers() {
    let addr = start().await;
    let f = fetcher();
    let url = |path: &str| Url::parse(&format!("http://{addr}{path}")).unwrap();
    for (path, state, status) in [
        ("/ok", LinkState::Ok, Some(200)),
        ("/head-refused", LinkState::Ok, Some(200)),
        ("/head-misread", LinkState::Ok, Some(200)),
        ("/temporary", LinkState::Ok, Some(200)),
        ("/same", LinkState::Ok, Some(200)),
        ("/moved", LinkState::Moved, Some(200)),
        ("/moved-308", LinkState::Moved, Some(200)),
        ("/gone", LinkState::Gone, Some(404)),
        ("/gone-410", LinkState::Gone, Some(410)),
        ("/forbidden", LinkState::Blocked, Some(403)),
        ("/rate-limited", LinkState::Blocked, Some(429)),
        ("/failing", LinkState::ServerError, Some(503)),
        ("/deep/article", LinkState::Soft404, Some(200)),
        ("/not-found-page", LinkState::Soft404, Some(200)),
        ("/loop", LinkState::ServerError, None),
    ] {
        let seen = check(&f, &url(path)).await;
        assert_eq!(
            (seen.state, seen.status),
            (state, status),
            "{path}: {seen:?}"
        );
        if state == LinkState::Moved {
            assert_eq!(seen.moved_to, Some(url("/new-home").to_string()), "{path}");
        } else {
            assert_eq!(seen.moved_to, None, "{path}");
        }
        if state != LinkState::Ok && state != LinkState::Moved {
            assert!(seen.detail.is_some(), "{path}: {seen:?}");
        }
    }

    // No server at all: unreachable. A private address outside the allow-list: blocked,
    // never fetched (and so never called broken).
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let seen = check(
        &f,
        &Url::parse(&format!("http://127.0.0.1:{closed}/x")).unwrap(),
    )
    .await;
    assert_eq!(seen.state, LinkState::Unreachable, "{seen:?}");
    let seen = check(&f, &Url::parse("http://10.1.2.3/intranet").unwrap()).await;
    assert_eq!(seen.state, LinkState::Blocked, "{seen:?}");
    assert!(seen.detail.unwrap().contains("private"));
}
