//! The linkding-compatible API (`/api/linkding`), on both databases: driven by aiolinkding
//! from PyPI, unmodified (`client.py`), and checked here for what clients rely on beyond it:
//! paths without their trailing slash, `Token` and `Bearer`, linkding's error shapes, another
//! account's bookmarks, `check`, the extension's `limit=5000` tag list, `PUT` and `PATCH`.

use std::{path::PathBuf, process::Command};

use crate::common::*;

/// The Python with aiolinkding installed: `LINKDING_PYTHON`, else the virtualenv
/// `scripts/test.sh` makes (`target-venv/linkding`).
fn python() -> PathBuf {
    if let Ok(p) = std::env::var("LINKDING_PYTHON") {
        return p.into();
    }
    let venv =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target-venv/linkding/bin/python");
    assert!(
        venv.exists(),
        "aiolinkding is needed: python3 -m venv target-venv/linkding && target-venv/linkding/bin/pip install aiolinkding==2025.2.0 (scripts/test.sh does it), or set LINKDING_PYTHON"
    );
    venv
}

/// A personal API token of `c`'s account.
async fn api_token(c: &Client) -> String {
    let created = expect(
        c.post("/me/tokens", json!({"name": "linkding client"}))
            .await,
        201,
    );
    created["secret"].as_str().unwrap().to_owned()
}

async fn ld(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> FullResp {
    let body = body.map_or(Body::None, Body::Json);
    app.anon()
        .full(
            method,
            &format!("/api/linkding{path}"),
            body,
            &[("authorization", &format!("Token {token}"))],
        )
        .await
}

both_backends!(
    fn a_real_linkding_client_works(app) {
        let alice = app.signup("alice@example.com").await;
        let token = api_token(&alice).await;
        let base = format!("{}/api/linkding", app.base_url);
        let out = Command::new(python())
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/linkding/client.py"))
            .arg(&base)
            .arg(&token)
            .output()
            .expect("run the linkding client");
        assert!(
            out.status.success(),
            "aiolinkding failed:\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        // What it made is the account's, as the pages and the REST API see it.
        let items = expect(alice.get("/items?archived=any").await, 200);
        let titles: Vec<&str> = items["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap()).collect();
        assert_eq!(titles, ["Renamed"]);
        let trashed = expect(alice.get("/items?trashed=true").await, 200);
        assert_eq!(trashed["items"][0]["title"], "Read later, renamed", "DELETE moves to the trash");
    }
);

both_backends!(
    fn what_clients_rely_on(app) {
        let alice = app.signup("alice@example.com").await;
        let bob = app.signup("bob@example.com").await;
        let token = api_token(&alice).await;
        let bobs = api_token(&bob).await;

        // Health without credentials, with and without the slash.
        for path in ["/health", "/health/"] {
            let r = app.anon().full(Method::GET, &format!("/api/linkding{path}"), Body::None, &[]).await;
            assert_eq!(r.status, 200);
            assert_eq!(r.body["status"], "healthy");
        }
        // No token, a wrong one: 401 in linkding's shape.
        let none = app.anon().full(Method::GET, "/api/linkding/api/bookmarks/", Body::None, &[]).await;
        assert_eq!(none.status, 401);
        assert!(none.body["detail"].is_string(), "{}", none.text);
        assert_eq!(none.headers["www-authenticate"], "Token");
        assert_eq!(ld(&app, "tds_wrong", Method::GET, "/api/bookmarks/", None).await.status, 401);

        // Create without a URL: 400 naming the field; malformed JSON: 400.
        let r = ld(&app, &token, Method::POST, "/api/bookmarks/", Some(json!({"title": "x"}))).await;
        assert_eq!(r.status, 400, "{}", r.text);
        assert!(r.body["url"].is_array(), "{}", r.text);
        let r = ld(&app, &token, Method::POST, "/api/bookmarks/", Some(json!({"url": "javascript:alert(1)"}))).await;
        assert_eq!(r.status, 400, "{}", r.text);
        assert!(r.body["url"].is_array(), "{}", r.text);
        let bad = app.anon().full(Method::POST, "/api/linkding/api/bookmarks/", Body::Raw(Some("application/json"), b"{\"url\":".to_vec()), &[("authorization", &format!("Token {token}"))]).await;
        assert_eq!(bad.status, 400);

        // Without the trailing slash (Raycast, Linkdy), with Bearer.
        let made = app.anon().full(Method::POST, "/api/linkding/api/bookmarks", Body::Json(json!({"url": "https://a.example/", "tag_names": ["x"]})), &[("authorization", &format!("Bearer {token}"))]).await;
        assert_eq!(made.status, 201, "{}", made.text);
        let id = made.body["id"].as_i64().unwrap();

        // Another account's bookmark is not found, whatever the method.
        for (method, path) in [
            (Method::GET, format!("/api/bookmarks/{id}/")),
            (Method::PATCH, format!("/api/bookmarks/{id}/")),
            (Method::DELETE, format!("/api/bookmarks/{id}/")),
            (Method::POST, format!("/api/bookmarks/{id}/archive/")),
        ] {
            let body = (method == Method::PATCH).then(|| json!({"title": "mine now"}));
            let r = ld(&app, &bobs, method.clone(), &path, body).await;
            assert_eq!(r.status, 404, "{method} {path}: {}", r.text);
            assert_eq!(r.body["detail"], "Not found.");
        }
        assert_eq!(ld(&app, &token, Method::GET, "/api/bookmarks/999999/", None).await.status, 404);
        assert_eq!(ld(&app, &token, Method::GET, "/api/bookmarks/abc/", None).await.status, 404);

        // check: the bookmark of a page (under another spelling too), or null.
        let r = ld(&app, &token, Method::GET, "/api/bookmarks/check/?url=https%3A%2F%2FA.example%2F", None).await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.body["bookmark"]["id"], id);
        assert_eq!(r.body["metadata"]["url"], "https://A.example/");
        let r = ld(&app, &token, Method::GET, "/api/bookmarks/check?url=https%3A%2F%2Fnew.example%2F", None).await;
        assert_eq!(r.body["bookmark"], Value::Null);
        assert_eq!(r.body["auto_tags"], json!([]));

        // PUT replaces (what is left out is emptied); PATCH changes what it names.
        let r = ld(&app, &token, Method::PATCH, &format!("/api/bookmarks/{id}/"), Some(json!({"notes": "n", "unread": true}))).await;
        assert_eq!((r.body["notes"].as_str(), r.body["unread"].as_bool()), (Some("n"), Some(true)), "{}", r.text);
        assert_eq!(r.body["tag_names"], json!(["x"]));
        let r = ld(&app, &token, Method::PUT, &format!("/api/bookmarks/{id}/"), Some(json!({"url": "https://a.example/", "title": "T"}))).await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!((r.body["notes"].as_str(), r.body["unread"].as_bool()), (Some(""), Some(false)));
        assert_eq!(r.body["tag_names"], json!([]));
        let r = ld(&app, &token, Method::PUT, &format!("/api/bookmarks/{id}/"), Some(json!({"title": "no url"}))).await;
        assert_eq!(r.status, 400);

        // The extension's tag list: every tag at limit=5000; a tag by name, once.
        for n in 0..120 {
            let r = ld(&app, &token, Method::POST, "/api/tags/", Some(json!({"name": format!("tag{n:03}")}))).await;
            assert_eq!(r.status, 201, "{}", r.text);
        }
        let again = ld(&app, &token, Method::POST, "/api/tags/", Some(json!({"name": "TAG000"}))).await;
        assert_eq!(again.status, 201);
        let tags = ld(&app, &token, Method::GET, "/api/tags/?limit=5000", None).await;
        assert_eq!(tags.body["count"], 121, "x and tag000-119");
        assert_eq!(tags.body["results"].as_array().unwrap().len(), 121);
        assert_eq!(tags.body["next"], Value::Null);
        let first = ld(&app, &token, Method::GET, "/api/tags/", None).await;
        assert_eq!(first.body["results"].as_array().unwrap().len(), 100, "100 by default");
        assert!(first.body["next"].as_str().unwrap().contains("offset=100"));
        let bobs_tags = ld(&app, &bobs, Method::GET, "/api/tags/", None).await;
        assert_eq!(bobs_tags.body["count"], 0);
        let tag_id = tags.body["results"][0]["id"].as_i64().unwrap();
        assert_eq!(ld(&app, &bobs, Method::GET, &format!("/api/tags/{tag_id}/"), None).await.status, 404);

        let profile = ld(&app, &token, Method::GET, "/api/user/profile", None).await;
        assert_eq!(profile.status, 200);
        assert_eq!(profile.body["version"], "1.44.0");
    }
);
