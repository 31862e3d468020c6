//! Abuse: what a hostile or broken client can try cheaply, against the real server.
//!
//! Bursts of log-ins (memory stays bounded: hashes in flight are capped, the rest wait
//! briefly or get 503), parallel guesses at one account (at most the limit is ever checked),
//! sign-up floods, enormous filter lists, a database that goes away and comes back, clients
//! that send half a request, and the smaller holes: open redirects, tokens for accounts that
//! do not exist or for another deployment, and caching of authenticated answers.

use std::{
    io::{Read, Write},
    net::TcpStream,
    time::{Duration, Instant},
};

use crate::common::*;
use crate::web::Browser;

/// 200 log-ins at once, from 200 addresses, for 200 accounts that mostly do not exist (each
/// still costs a hash, so that timing reveals nothing). Nothing answers 500, and the process
/// stays under 100 MB: each argon2 hash holds 19 MiB, so only a few run at a time.
async fn login_burst(backend: Backend) {
    let Some(app) =
        TestApp::for_backend_with_env(backend, &[("TRUSTED_PROXIES", "127.0.0.1")]).await
    else {
        return;
    };
    app.signup("real@example.com").await;
    let mut tasks = Vec::new();
    for n in 0..200u32 {
        let client = app.anon();
        tasks.push(tokio::spawn(async move {
            let ip = format!("198.51.{}.{}", n / 250, n % 250 + 1);
            let email = if n % 10 == 0 {
                "real@example.com".to_string()
            } else {
                format!("nobody{n}@example.com")
            };
            client
                .full(
                    Method::POST,
                    "/auth/token",
                    Body::Json(json!({"email": email, "password": "not the password"})),
                    &[("x-forwarded-for", &ip)],
                )
                .await
        }));
    }
    let mut statuses = std::collections::BTreeMap::new();
    for t in tasks {
        let resp = t.await.expect("log-in task");
        *statuses.entry(resp.status).or_insert(0) += 1;
        assert!(
            matches!(resp.status, 401 | 429 | 503),
            "log-in answered {}: {}",
            resp.status,
            resp.text
        );
        if resp.status == 503 {
            assert!(
                resp.header("retry-after").is_some(),
                "503 without Retry-After"
            );
            assert_eq!(resp.body["error"]["code"], "busy");
        }
    }
    let peak_mb = app.peak_rss_kb() / 1024;
    eprintln!("{backend:?}: 200 concurrent log-ins: {statuses:?}; peak RSS {peak_mb} MB");
    assert!(peak_mb < 100, "peak RSS {peak_mb} MB");
    // Some were checked and refused (401), the rest waited or were told to come back.
    assert!(statuses.get(&401).copied().unwrap_or(0) > 0, "{statuses:?}");
}

mod login_burst_memory {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite() {
        login_burst(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn postgres() {
        login_burst(Backend::Postgres).await;
    }
}

/// Sends `n` log-ins at once and returns their statuses.
async fn guesses(
    app: &TestApp,
    email: &str,
    password: &str,
    n: usize,
    ip: Option<&str>,
) -> Vec<u16> {
    let mut tasks = Vec::new();
    for _ in 0..n {
        let client = app.anon();
        let body = json!({"email": email, "password": password});
        let ip = ip.map(str::to_owned);
        tasks.push(tokio::spawn(async move {
            let headers: Vec<(&str, &str)> = match &ip {
                Some(ip) => vec![("x-forwarded-for", ip.as_str())],
                None => vec![],
            };
            client
                .full(Method::POST, "/auth/token", Body::Json(body), &headers)
                .await
                .status
        }));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.expect("guess task"));
    }
    out
}

fn count(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|&&s| s == status).count()
}

both_backends!(
    fn a_burst_of_guesses_checks_at_most_the_limit(app) {
        app.signup("victim@example.com").await;
        // The owner's browser has logged in before: it holds the device cookie.
        let (owner, login) = app.session_login("victim@example.com", PASSWORD).await;
        let device = login
            .headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("tidily_device="))
            .map(|v| v.split(';').next().unwrap().to_string())
            .expect("a device cookie");
        drop(owner);

        let statuses = guesses(&app, "victim@example.com", "wrong password!", 25, None).await;
        let checked = count(&statuses, 401);
        assert!(checked <= 5, "{checked} of 25 parallel guesses were checked: {statuses:?}");
        assert_eq!(checked + count(&statuses, 429), 25, "{statuses:?}");

        // A stranger with the right password is locked out for now, with a Retry-After...
        let stranger = app
            .anon()
            .full(Method::POST, "/auth/token", Body::Json(json!({"email": "victim@example.com", "password": PASSWORD})), &[])
            .await;
        assert_eq!(stranger.status, 429, "{}", stranger.text);
        let wait: u64 = stranger.header("retry-after").expect("Retry-After").parse().unwrap();
        assert!((1..=900).contains(&wait), "Retry-After {wait}");
        // ...but the owner's own browser is not: its attempts count apart.
        let back = app
            .anon()
            .full(Method::POST, "/auth/session", Body::Json(json!({"email": "victim@example.com", "password": PASSWORD})), &[("cookie", &device)])
            .await;
        assert_eq!(back.status, 200, "the owner was locked out: {}", back.text);
    }
);

both_backends!(
    fn the_per_address_limit_holds_across_accounts_in_parallel(app) {
        let mut tasks = Vec::new();
        for n in 0..40 {
            let client = app.anon();
            tasks.push(tokio::spawn(async move {
                let body = json!({"email": format!("someone{n}@example.com"), "password": "guess guess guess"});
                client.full(Method::POST, "/auth/token", Body::Json(body), &[]).await.status
            }));
        }
        let mut statuses = Vec::new();
        for t in tasks {
            statuses.push(t.await.unwrap());
        }
        assert!(count(&statuses, 401) <= 30, "{statuses:?}");
        // 503 is the hasher's queue being full on a loaded machine: not checked, not counted.
        let answered = count(&statuses, 401) + count(&statuses, 429) + count(&statuses, 503);
        assert_eq!(answered, 40, "{statuses:?}");
    }
);

both_backends!(
    fn sign_ups_are_throttled_per_address(app) {
        let mut created = 0;
        let mut refused = 0;
        for n in 0..13 {
            let resp = app
                .anon()
                .full(Method::POST, "/auth/signup", Body::Json(json!({"email": format!("new{n}@example.com"), "password": PASSWORD})), &[])
                .await;
            match resp.status {
                201 => created += 1,
                429 => {
                    assert!(resp.header("retry-after").is_some());
                    refused += 1;
                }
                other => panic!("sign-up answered {other}: {}", resp.text),
            }
        }
        assert_eq!((created, refused), (10, 3));
    }
);

both_backends!(
    fn filter_lists_are_bounded_and_folded(app) {
        let alice = app.signup("alice@example.com").await;
        let p = alice.profile_id("Private").await;
        let tags: Vec<i64> = {
            let mut v = Vec::new();
            for n in 0..3 {
                v.push(id(&alice.create_tag(&format!("t{n}"), "#123456").await));
            }
            v
        };
        alice.create_item(json!({"profile_id": p, "title": "both", "tag_ids": [tags[0], tags[1]]})).await;
        alice.create_item(json!({"profile_id": p, "title": "one", "tag_ids": [tags[0]]})).await;
        alice.create_item(json!({"profile_id": p, "title": "all", "tag_ids": tags})).await;

        // A thousand IDs: the query string alone is refused.
        let many: String = (1..=1000).map(|n| format!("tag_id={n}&")).collect();
        let resp = alice.get(&format!("/items?{many}")).await;
        assert_error(&resp, 414, "uri_too_long");
        // More than twenty distinct tags: 422 naming the parameter.
        let wide: String = (1..=21).map(|n| format!("tag_id={n}&")).collect();
        assert_invalid_field(&alice.get(&format!("/items?{wide}")).await, "tag_id");
        // The same tag many times is one tag.
        let repeated = format!("tag_id={}&", tags[0]).repeat(150);
        assert_eq!(sorted(&alice.titles(&repeated).await), ["all", "both", "one"]);
        // Several tags: items carrying every one of them.
        let two = format!("tag_id={}&tag_id={}", tags[0], tags[1]);
        assert_eq!(sorted(&alice.titles(&two).await), ["all", "both"]);
        let three = format!("tag_id={}&tag_id={}&tag_id={}&tag_id={}", tags[0], tags[1], tags[2], tags[1]);
        assert_eq!(alice.titles(&three).await, ["all"]);
        let statuses = "status=done&".repeat(300);
        assert!(alice.titles(&statuses).await.is_empty());
    }
);

/// A database that goes away: every request that needs it is a 503 with `Retry-After`, never
/// a field error or a 500, and the server recovers by itself when the database is back.
/// (Several threads: the proxy must keep running while the harness waits for `migrate`.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_database_is_503_and_the_server_recovers_postgres() {
    let proxy = DbProxy::start().await;
    let Some(app) = TestApp::postgres_behind(&proxy, &[]).await else {
        return;
    };
    let alice = app.signup("alice@example.com").await;
    let p = alice.profile_id("Private").await;
    alice.item(p, "before").await;

    proxy.cut();
    for (method, path, body) in [
        (
            Method::POST,
            "/items",
            Some(json!({"profile_id": p, "title": "during"})),
        ),
        (Method::GET, "/items", None),
        (Method::GET, "/profiles", None),
        (
            Method::POST,
            "/auth/token",
            Some(json!({"email": "alice@example.com", "password": PASSWORD})),
        ),
    ] {
        let resp = alice
            .full(
                method.clone(),
                path,
                body.map_or(Body::None, Body::Json),
                &[],
            )
            .await;
        assert_eq!(
            resp.status, 503,
            "{method} {path} while the database is down: {}",
            resp.text
        );
        assert_eq!(resp.body["error"]["code"], "unavailable", "{}", resp.text);
        let retry: u64 = resp
            .header("retry-after")
            .expect("Retry-After")
            .parse()
            .unwrap();
        assert!(retry >= 1);
    }
    let health = app.anon().get("/api/health").await;
    assert_eq!(health.0, 503, "{}", health.1);

    proxy.restore();
    let mut recovered = None;
    for _ in 0..40 {
        match alice
            .try_send(
                Method::POST,
                "/items",
                Some(json!({"profile_id": p, "title": "after"})),
            )
            .await
        {
            Ok((201, item)) => {
                recovered = Some(item);
                break;
            }
            Ok((503, _)) => tokio::time::sleep(Duration::from_millis(250)).await,
            other => panic!("after the database came back: {other:?}"),
        }
    }
    assert!(recovered.is_some(), "no recovery within 10 s");
    assert_eq!(sorted(&alice.titles("").await), ["after", "before"]);
    expect(app.anon().get("/api/health").await, 200);
}

/// Any other failure is a 500 whose body names the request, so it can be found in the log.
#[tokio::test]
async fn an_unexpected_failure_is_500_with_the_request_id_postgres() {
    let Some(app) = TestApp::for_backend(Backend::Postgres).await else {
        return;
    };
    let alice = app.signup("alice@example.com").await;
    app.drop_database_now().await;
    let resp = alice.full(Method::GET, "/items", Body::None, &[]).await;
    assert!(matches!(resp.status, 500 | 503), "{}", resp.text);
    let id = resp
        .header("x-request-id")
        .expect("X-Request-Id")
        .to_string();
    assert_eq!(
        resp.body["error"]["request_id"],
        id.as_str(),
        "{}",
        resp.text
    );
    assert!(
        !resp.text.contains("tidily_test_"),
        "the error leaks internals: {}",
        resp.text
    );
}

/// Opens a raw connection and sends `bytes`.
fn raw(app: &TestApp, bytes: &[u8]) -> TcpStream {
    let mut s = TcpStream::connect(("127.0.0.1", app.port)).expect("connect");
    s.write_all(bytes).expect("send");
    s
}

/// Reads until the server closes the connection or `limit` passes; returns what came and
/// whether the server closed it.
fn read_until_closed(s: &mut TcpStream, limit: Duration) -> (String, bool) {
    s.set_read_timeout(Some(limit)).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return (String::from_utf8_lossy(&got).into_owned(), true),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                return (String::from_utf8_lossy(&got).into_owned(), true)
            }
            Err(_) => return (String::from_utf8_lossy(&got).into_owned(), false),
        }
    }
}

/// Half-sent headers are cut off at the header timeout; a body declared too large is refused
/// at once; and SIGTERM ends the process within its grace period whatever the clients do.
async fn slow_clients(backend: Backend) {
    let env = [("HEADER_TIMEOUT_SECS", "2"), ("SHUTDOWN_GRACE_SECS", "3")];
    let Some(mut app) = TestApp::for_backend_with_env(backend, &env).await else {
        return;
    };
    let mut slow = raw(
        &app,
        b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ",
    );
    let (_, closed) = read_until_closed(&mut slow, Duration::from_secs(6));
    assert!(
        closed,
        "a half-sent request kept its connection past the header timeout"
    );

    let mut big = raw(
        &app,
        b"POST /api/v1/items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n{",
    );
    let (answer, _) = read_until_closed(&mut big, Duration::from_secs(5));
    assert!(
        answer.starts_with("HTTP/1.1 413"),
        "an oversized declared body: {answer:?}"
    );
    assert!(answer.contains("payload_too_large"), "{answer:?}");

    // Clients holding connections half-open, and one mid-request, while the server is told
    // to stop.
    let _held: Vec<TcpStream> = (0..5)
        .map(|_| raw(&app, b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"))
        .collect();
    let _idle = raw(&app, b"");
    let asked = Instant::now();
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &app.pid().to_string()])
        .status()
        .expect("run kill");
    assert!(kill.success());
    let status = app.wait_for_exit().await;
    let took = asked.elapsed();
    assert!(status.success(), "exit after SIGTERM: {status}");
    assert!(
        took < Duration::from_secs(6),
        "SIGTERM took {took:?} with slow clients"
    );
}

mod slow_clients_are_cut_off {
    use super::*;

    #[tokio::test]
    async fn sqlite() {
        slow_clients(Backend::Sqlite).await;
    }

    #[tokio::test]
    async fn postgres() {
        slow_clients(Backend::Postgres).await;
    }
}

both_backends!(
    fn redirects_stay_on_the_site_whatever_the_form_says(app) {
        let browser = Browser::new(&app);
        browser.sign_up("erin@example.com").await;
        let api = app.login("erin@example.com", PASSWORD).await;
        let p = api.profile_id("Private").await;
        let item = api.item(p, "x").await;
        let page = browser.get("/items").await;
        let csrf = crate::web::csrf_of(&page.html);
        for back in ["/\t/evil.example", "/%09/evil.example", "/\n/evil", "//evil.example", "/\\evil.example", "https://evil.example/"] {
            let resp = browser
                .post_no_follow(
                    &format!("/items/{}/move", id(&item)),
                    &[("_csrf", &csrf), ("step", "up"), ("back", back)],
                )
                .await;
            assert_eq!(resp.status, 303, "back={back:?}: {}", resp.html);
            let to = resp.location.unwrap_or_default();
            assert!(to == "/items" || to == back && back.starts_with("/%09"), "back={back:?} redirected to {to:?}");
        }
        // A control character in the log-in page's `next` is not followed either.
        let resp = browser.get_no_follow("/login?next=%2F%0A%2Fevil.example").await;
        assert_eq!(resp.status, 303);
        assert_eq!(resp.location.as_deref(), Some("/dashboard"));
    }
);

/// A JWT with `claims`, signed with `secret`.
fn jwt(claims: Value, secret: &[u8]) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret),
    )
    .expect("sign JWT")
}

both_backends!(
    fn tokens_for_missing_accounts_or_other_deployments_are_401(app) {
        let alice = app.signup("alice@example.com").await;
        let p = alice.profile_id("Private").await;
        let secret = app.env_var("JWT_SECRET").unwrap().as_bytes().to_vec();
        let now = chrono::Utc::now().timestamp();
        let claims = |sub: i64, aud: &str| json!({"sub": sub.to_string(), "iat": now, "exp": now + 600, "iss": "tidilyspace", "aud": aud});
        // Signed with the right key for an account that does not exist: 401 on reads and
        // writes alike, never a 500.
        let ghost = alice.with_token(&jwt(claims(987_654, app.env_var("BASE_URL").unwrap()), &secret));
        assert_error(&ghost.get("/me").await, 401, "unauthenticated");
        assert_error(&ghost.post("/items", json!({"profile_id": p, "title": "x"})).await, 401, "unauthenticated");
        assert_error(&ghost.post("/tags", json!({"name": "x", "color": "#000000"})).await, 401, "unauthenticated");
        // The right account and key, but another deployment's audience (staging's token in
        // production): refused.
        let elsewhere = alice.with_token(&jwt(claims(alice.id(), "https://staging.example"), &secret));
        assert_error(&elsewhere.get("/me").await, 401, "unauthenticated");
        // No audience at all (tokens of earlier releases): refused.
        let mut bare = claims(alice.id(), app.env_var("BASE_URL").unwrap());
        bare.as_object_mut().unwrap().remove("aud");
        assert_error(&alice.with_token(&jwt(bare, &secret)).get("/me").await, 401, "unauthenticated");
        // The genuine article works.
        expect(alice.with_token(&jwt(claims(alice.id(), app.env_var("BASE_URL").unwrap()), &secret)).get("/me").await, 200);
    }
);

both_backends!(
    fn api_answers_are_never_cached(app) {
        let anon = app.anon();
        let login = anon
            .full(Method::POST, "/auth/signup", Body::Json(json!({"email": "a@example.com", "password": PASSWORD})), &[])
            .await;
        assert_eq!(login.header("cache-control"), Some("no-store"), "sign-up");
        let mut alice = anon.clone();
        alice.adopt_tokens(&login.body);
        for (method, path) in [(Method::GET, "/me"), (Method::GET, "/items"), (Method::GET, "/items/999999"), (Method::POST, "/auth/token")] {
            let body = if method == Method::POST {
                Body::Json(json!({"email": "a@example.com", "password": PASSWORD}))
            } else {
                Body::None
            };
            let resp = alice.full(method.clone(), path, body, &[]).await;
            assert_eq!(resp.header("cache-control"), Some("no-store"), "{method} {path}");
        }
        let refresh = anon
            .full(Method::POST, "/auth/refresh", Body::Json(json!({"refresh_token": alice.refresh_token.clone().unwrap()})), &[])
            .await;
        assert_eq!(refresh.header("cache-control"), Some("no-store"), "refresh");
        // Ending a session with a bearer token is a client mistake with its own code.
        let resp = alice.delete("/auth/session").await;
        assert_error(&resp, 400, "session_required");
    }
);
