//! Operational behaviour: health checks, the OpenAPI document, security and request-id headers,
//! JSON 401/404/405 answers, and a clean exit on SIGTERM.

use crate::common::*;

both_backends!(
    fn health_checks_answer_with_database_status(app) {
        let anon = app.anon();
        for path in ["/api/health", "/health"] {
            let r = anon.full(Method::GET, path, Body::None, &[]).await;
            assert_eq!(r.status, 200, "{path}: {}", r.text);
            assert_eq!(r.body["status"], "ok", "{path}");
            assert_eq!(r.body["database"], "ok", "{path}");
            assert!(r.body["version"].as_str().is_some_and(|v| !v.is_empty()), "{path}");
            assert!(r.header("content-type").unwrap_or("").starts_with("application/json"));
        }
    }
);

/// `{name}` path parameters normalised to `{}` so the check does not depend on their names.
fn normalise(path: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for ch in path.chars() {
        match ch {
            '{' => {
                in_param = true;
                out.push('{');
            }
            '}' => {
                in_param = false;
                out.push('}');
            }
            _ if in_param => {}
            _ => out.push(ch),
        }
    }
    out
}

/// Every endpoint of docs/api.md.
const ENDPOINTS: &[(&str, &str)] = &[
    ("post", "/api/v1/auth/signup"),
    ("post", "/api/v1/auth/token"),
    ("post", "/api/v1/auth/refresh"),
    ("post", "/api/v1/auth/logout"),
    ("post", "/api/v1/auth/session"),
    ("delete", "/api/v1/auth/session"),
    ("get", "/api/v1/me"),
    ("patch", "/api/v1/me"),
    ("post", "/api/v1/me/password"),
    ("get", "/api/v1/me/tokens"),
    ("post", "/api/v1/me/tokens"),
    ("delete", "/api/v1/me/tokens/{}"),
    ("get", "/api/v1/admin/users"),
    ("get", "/api/v1/profiles"),
    ("post", "/api/v1/profiles"),
    ("get", "/api/v1/profiles/{}"),
    ("patch", "/api/v1/profiles/{}"),
    ("delete", "/api/v1/profiles/{}"),
    ("get", "/api/v1/folders"),
    ("get", "/api/v1/folders/tree"),
    ("post", "/api/v1/folders"),
    ("get", "/api/v1/folders/{}"),
    ("patch", "/api/v1/folders/{}"),
    ("delete", "/api/v1/folders/{}"),
    ("post", "/api/v1/folders/{}/move"),
    ("get", "/api/v1/categories"),
    ("post", "/api/v1/categories"),
    ("patch", "/api/v1/categories/{}"),
    ("delete", "/api/v1/categories/{}"),
    ("get", "/api/v1/tags"),
    ("post", "/api/v1/tags"),
    ("patch", "/api/v1/tags/{}"),
    ("delete", "/api/v1/tags/{}"),
    ("get", "/api/v1/items"),
    ("post", "/api/v1/items"),
    ("get", "/api/v1/items/{}"),
    ("patch", "/api/v1/items/{}"),
    ("delete", "/api/v1/items/{}"),
    ("post", "/api/v1/items/{}/archive"),
    ("post", "/api/v1/items/{}/unarchive"),
    ("post", "/api/v1/items/{}/trash"),
    ("post", "/api/v1/items/{}/restore"),
    ("post", "/api/v1/items/{}/move"),
    ("post", "/api/v1/items/bulk"),
    ("post", "/api/v1/trash/empty"),
    ("get", "/api/v1/stats"),
    ("get", "/api/v1/activity"),
    ("get", "/api/health"),
    ("post", "/api/v1/imports"),
    ("get", "/api/v1/export"),
];

both_backends!(
    fn openapi_document_lists_every_endpoint(app) {
        let r = app.anon().full(Method::GET, "/api/openapi.json", Body::None, &[]).await;
        assert_eq!(r.status, 200, "{}", r.text);
        let doc = r.body;
        assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")), "{}", doc["openapi"]);
        assert!(doc["info"]["title"].is_string());
        let paths = doc["paths"].as_object().expect("paths");
        let normalised: std::collections::HashMap<String, &Value> =
            paths.iter().map(|(k, v)| (normalise(k), v)).collect();
        let mut missing = Vec::new();
        for (method, path) in ENDPOINTS {
            let ok = normalised.get(*path).is_some_and(|ops| ops.get(*method).is_some());
            if !ok {
                missing.push(format!("{} {path}", method.to_uppercase()));
            }
        }
        assert!(missing.is_empty(), "not in the OpenAPI document: {missing:?}");
        assert!(doc["components"]["schemas"].as_object().is_some_and(|s| !s.is_empty()));
        let mut unresolved = Vec::new();
        unresolved_refs(&doc, &doc, &mut unresolved);
        assert!(unresolved.is_empty(), "references to nothing: {unresolved:?}");
    }
);

/// Every `$ref` under `node` that names no part of `doc` (a client generator stops at one).
fn unresolved_refs(doc: &Value, node: &Value, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                let target = r.strip_prefix('#').and_then(|p| doc.pointer(p));
                if target.is_none() {
                    out.push(r.clone());
                }
            }
            map.values().for_each(|v| unresolved_refs(doc, v, out));
        }
        Value::Array(list) => list.iter().for_each(|v| unresolved_refs(doc, v, out)),
        _ => {}
    }
}

both_backends!(
    fn protected_endpoints_need_credentials(app) {
        let anon = app.anon();
        let public = [
            "/api/v1/auth/signup", "/api/v1/auth/token", "/api/v1/auth/refresh",
            "/api/v1/auth/session", "/api/v1/auth/logout", "/api/health",
        ];
        for (method, path) in ENDPOINTS {
            if public.contains(path) {
                continue;
            }
            let mut path = path.replace("{}", "1");
            if path.ends_with("/folders") || path.ends_with("/folders/tree") {
                path.push_str("?profile_id=1");
            }
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let body = if method == Method::GET || method == Method::DELETE {
                Body::None
            } else {
                Body::Json(json!({}))
            };
            let r = anon.full(method.clone(), &path, body, &[]).await;
            assert_eq!(r.status, 401, "{method} {path}: {}", r.text);
            assert_error(&r.resp(), 401, "unauthenticated");
        }
    }
);

both_backends!(
    fn responses_carry_security_headers_and_a_request_id(app) {
        let c = app.signup("alice@example.com").await;
        let cases: Vec<(Method, &str)> = vec![
            (Method::GET, "/api/health"),
            (Method::GET, "/api/v1/me"),
            (Method::GET, "/api/v1/items/987654"),
            (Method::GET, "/api/v1/no-such-thing"),
            (Method::GET, "/health"),
        ];
        for (method, path) in cases {
            let r = c.full(method.clone(), path, Body::None, &[]).await;
            let h = |name: &str| r.header(name).map(str::to_ascii_lowercase);
            assert_eq!(h("x-content-type-options").as_deref(), Some("nosniff"), "{path}");
            let framing = h("x-frame-options").is_some_and(|v| v == "deny" || v == "sameorigin")
                || h("content-security-policy").is_some_and(|v| v.contains("frame-ancestors"));
            assert!(framing, "{path}: no anti-framing header in {:?}", r.headers);
            assert!(h("referrer-policy").is_some(), "{path}: no Referrer-Policy");
            let request_id = r.header("x-request-id").unwrap_or_else(|| panic!("{path}: no x-request-id"));
            assert!(!request_id.is_empty());
            if let Some(in_body) = r.body["error"]["request_id"].as_str() {
                assert_eq!(in_body, request_id, "envelope and header agree");
            }
        }
        // Two requests get two ids; a caller's id is kept.
        let one = c.full(Method::GET, "/api/health", Body::None, &[]).await;
        let two = c.full(Method::GET, "/api/health", Body::None, &[]).await;
        assert_ne!(one.header("x-request-id"), two.header("x-request-id"));
        let mine = c
            .full(Method::GET, "/api/health", Body::None, &[("x-request-id", "trace-abc-123")])
            .await;
        assert_eq!(mine.header("x-request-id"), Some("trace-abc-123"));
    }
);

both_backends!(
    fn unknown_routes_and_methods_answer_json(app) {
        let c = app.signup("alice@example.com").await;
        for path in ["/api/v1/no-such-thing", "/api/v1/items/1/explode", "/api/nothing"] {
            let r = c.get(path).await;
            assert_error(&r, 404, "not_found");
        }
        for (method, path) in [
            (Method::PUT, "/api/v1/items"),
            (Method::DELETE, "/api/v1/items"),
            (Method::PUT, "/api/v1/me"),
            (Method::DELETE, "/api/health"),
            (Method::GET, "/api/v1/items/bulk"),
            (Method::GET, "/api/v1/trash/empty"),
        ] {
            let r = c.full(method.clone(), path, Body::None, &[]).await;
            assert_error(&r.resp(), 405, "method_not_allowed");
        }
    }
);

/// SIGTERM: the server stops accepting, finishes, and exits 0.
async fn sigterm_exits_cleanly(backend: Backend) {
    let Some(mut app) = TestApp::for_backend(backend).await else {
        return;
    };
    let c = app.signup("alice@example.com").await;
    expect(c.get("/me").await, 200);
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &app.pid().to_string()])
        .status()
        .expect("run kill");
    assert!(kill.success());
    let status = app.wait_for_exit().await;
    assert!(
        status.success(),
        "exit after SIGTERM: {status}; log:\n{}",
        app.server_log()
    );
    let after = reqwest::Client::new()
        .get(format!("{}/api/health", app.base_url))
        .send()
        .await;
    assert!(after.is_err(), "still answering after exit");
}

mod graceful_shutdown {
    use super::*;

    #[tokio::test]
    async fn sqlite() {
        sigterm_exits_cleanly(Backend::Sqlite).await;
    }

    #[tokio::test]
    async fn postgres() {
        sigterm_exits_cleanly(Backend::Postgres).await;
    }
}

/// `serve --role api` answers `/api/*` and both health checks, and no pages.
async fn api_role_serves_only_the_api(backend: Backend) {
    let Some(app) = TestApp::for_backend_with_env(backend, &[("TIDILY_ROLE", "api")]).await else {
        return;
    };
    let anon = app.anon();
    expect(anon.get("/api/health").await, 200);
    let health = expect(anon.get("/health").await, 200);
    assert_eq!(health["status"], "ok");
    assert_error(&anon.get("/me").await, 401, "unauthenticated");
    let c = app.signup("alice@example.com").await;
    expect(c.get("/me").await, 200);
    let page = anon.full(Method::GET, "/", Body::None, &[]).await;
    assert_eq!(
        page.status, 404,
        "the API role serves no pages: {}",
        page.text
    );
}

/// `serve --role web` answers pages and both health checks; `/api/v1/*` is not served there.
async fn web_role_serves_no_api(backend: Backend) {
    let Some(app) = TestApp::for_backend_with_env(backend, &[("TIDILY_ROLE", "web")]).await else {
        return;
    };
    let anon = app.anon();
    expect(anon.get("/health").await, 200);
    expect(anon.get("/api/health").await, 200);
    let signup = anon
        .post(
            "/auth/signup",
            json!({"email": "a@example.com", "password": PASSWORD}),
        )
        .await;
    assert_error(&signup, 404, "not_found");
    let page = anon.full(Method::GET, "/", Body::None, &[]).await;
    assert!(
        page.status < 500 && page.status != 404,
        "GET / on the web role: {}",
        page.status
    );
}

mod roles {
    use super::*;

    #[tokio::test]
    async fn api_sqlite() {
        api_role_serves_only_the_api(Backend::Sqlite).await;
    }

    #[tokio::test]
    async fn api_postgres() {
        api_role_serves_only_the_api(Backend::Postgres).await;
    }

    #[tokio::test]
    async fn web_sqlite() {
        web_role_serves_no_api(Backend::Sqlite).await;
    }

    #[tokio::test]
    async fn web_postgres() {
        web_role_serves_no_api(Backend::Postgres).await;
    }
}

/// With its database gone, the server says so: 503 and `"database": "unavailable"`.
/// PostgreSQL only: a SQLite file cannot be taken away from a process that has it open.
#[tokio::test]
async fn health_reports_a_lost_database_postgres() {
    let Some(app) = TestApp::for_backend(Backend::Postgres).await else {
        return;
    };
    expect(app.anon().get("/api/health").await, 200);
    app.drop_database_now().await;
    for path in ["/api/health", "/health"] {
        let r = app.anon().get(path).await;
        assert_eq!(r.0, 503, "{path}: {}", r.1);
        assert_eq!(r.1["database"], "unavailable", "{path}: {}", r.1);
        assert_ne!(r.1["status"], "ok", "{path}: {}", r.1);
    }
}
