//! Accounts and authentication: sign-up, log-in, refresh rotation and reuse detection, log-out,
//! browser sessions with CSRF, personal API tokens, password change, roles, throttling.

use crate::common::*;

both_backends!(
    fn signup_returns_tokens_and_creates_default_profiles(app) {
        let anon = app.anon();
        let resp = anon
            .post(
                "/auth/signup",
                json!({"email": "Alice@Example.COM", "password": PASSWORD,
                       "display_name": "Alice", "locale": "ja"}),
            )
            .await;
        let body = expect(resp, 201);
        assert_eq!(body["token_type"], "Bearer");
        assert!(body["access_token"].as_str().is_some_and(|t| t.len() > 20));
        assert!(body["refresh_token"].as_str().is_some_and(|t| t.len() > 20));
        assert!(body["expires_in"].as_i64().is_some_and(|n| n > 0 && n <= 900));
        assert_eq!(body["user"]["email"], "alice@example.com", "e-mail is lower-cased");
        assert_eq!(body["user"]["display_name"], "Alice");
        assert_eq!(body["user"]["locale"], "ja");
        assert_eq!(body["user"]["role"], "user");
        assert!(body["user"].get("password_hash").is_none());

        let mut alice = anon.clone();
        alice.adopt_tokens(&body);
        let profiles = alice.profiles().await;
        let names: Vec<&str> = profiles.iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Private", "Business", "Learning"]);
    }
);

both_backends!(
    fn signup_rejects_duplicates_and_invalid_input(app) {
        app.signup("bob@example.com").await;
        let anon = app.anon();
        let dup = anon
            .post("/auth/signup", json!({"email": "BOB@example.com", "password": PASSWORD}))
            .await;
        assert_error(&dup, 409, "conflict");

        let short = anon
            .post("/auth/signup", json!({"email": "c@example.com", "password": "123456789"}))
            .await;
        assert_invalid_field(&short, "password");
        let long = anon
            .post(
                "/auth/signup",
                json!({"email": "c@example.com", "password": "x".repeat(257)}),
            )
            .await;
        assert_invalid_field(&long, "password");
        let bad_email = anon
            .post("/auth/signup", json!({"email": "not-an-email", "password": PASSWORD}))
            .await;
        assert_invalid_field(&bad_email, "email");
        let missing = anon.post("/auth/signup", json!({"email": "d@example.com"})).await;
        assert_error(&missing, 422, "validation_failed");

        // Exactly 10 and 256 characters are accepted.
        let ten = anon
            .post("/auth/signup", json!({"email": "ten@example.com", "password": "0123456789"}))
            .await;
        expect(ten, 201);
        let max = anon
            .post(
                "/auth/signup",
                json!({"email": "max@example.com", "password": "y".repeat(256)}),
            )
            .await;
        expect(max, 201);
    }
);

both_backends!(
    fn token_login_and_me(app) {
        let alice = app.signup("alice@example.com").await;
        let anon = app.anon();

        let ok = anon
            .post("/auth/token", json!({"email": "ALICE@example.com", "password": PASSWORD}))
            .await;
        let body = expect(ok, 200);
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["user"]["email"], "alice@example.com");
        assert!(body["refresh_token"].is_string());

        let wrong = anon
            .post("/auth/token", json!({"email": "alice@example.com", "password": "wrong password"}))
            .await;
        assert_error(&wrong, 401, "invalid_credentials");
        let unknown = anon
            .post("/auth/token", json!({"email": "nobody@example.com", "password": PASSWORD}))
            .await;
        assert_error(&unknown, 401, "invalid_credentials");

        // /me with and without credentials.
        assert_error(&anon.get("/me").await, 401, "unauthenticated");
        let garbage = anon.with_token("not-a-jwt");
        assert_error(&garbage.get("/me").await, 401, "unauthenticated");
        let forged = anon.with_token("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl");
        assert_error(&forged.get("/me").await, 401, "unauthenticated");

        let me = expect(alice.get("/me").await, 200);
        assert_eq!(me["email"], "alice@example.com");
        assert_eq!(me["display_name"], "Tester");
        assert_eq!(me["role"], "user");
        for key in ["id", "locale", "time_zone", "created_at"] {
            assert!(me.get(key).is_some(), "/me lacks {key}: {me}");
        }

        let patched = expect(
            alice
                .patch(
                    "/me",
                    json!({"display_name": "Alice A.", "locale": "ja", "time_zone": "Asia/Tokyo"}),
                )
                .await,
            200,
        );
        assert_eq!(patched["display_name"], "Alice A.");
        assert_eq!(patched["locale"], "ja");
        assert_eq!(patched["time_zone"], "Asia/Tokyo");
        let me = expect(alice.get("/me").await, 200);
        assert_eq!(me["display_name"], "Alice A.");
        assert_eq!(me["time_zone"], "Asia/Tokyo");

        // `null` keeps a setting, as the document says.
        let kept = expect(
            alice.patch("/me", json!({"display_name": null, "locale": null, "time_zone": null})).await,
            200,
        );
        assert_eq!(kept["display_name"], "Alice A.");
        assert_eq!(kept["time_zone"], "Asia/Tokyo");
    }
);

both_backends!(
    fn refresh_rotates_and_reuse_revokes_the_family(app) {
        let alice = app.signup("alice@example.com").await;
        let anon = app.anon();
        let first = alice.refresh_token.clone().unwrap();

        let rotated = expect(anon.post("/auth/refresh", json!({"refresh_token": first})).await, 200);
        let second = rotated["refresh_token"].as_str().unwrap().to_string();
        let access = rotated["access_token"].as_str().unwrap().to_string();
        assert_ne!(second, first, "refresh must rotate");
        let me = expect(anon.with_token(&access).get("/me").await, 200);
        assert_eq!(me["email"], "alice@example.com");

        // Presenting the spent token again is reuse: 401 and the whole family dies.
        let reuse = anon.post("/auth/refresh", json!({"refresh_token": first})).await;
        assert_error(&reuse, 401, "refresh_token_reused");
        let newer = anon.post("/auth/refresh", json!({"refresh_token": second})).await;
        assert_eq!(newer.0, 401, "the newer token of a revoked family must fail: {}", newer.1);

        // Unknown refresh tokens are plain 401s.
        let bogus = anon.post("/auth/refresh", json!({"refresh_token": "bogus"})).await;
        assert_eq!(bogus.0, 401, "{}", bogus.1);

        // A separate log-in is a separate family and still works.
        let other = app.login("alice@example.com", PASSWORD).await;
        let again = anon
            .post("/auth/refresh", json!({"refresh_token": other.refresh_token.unwrap()}))
            .await;
        expect(again, 200);
    }
);

both_backends!(
    fn logout_revokes_the_refresh_family(app) {
        let alice = app.signup("alice@example.com").await;
        let anon = app.anon();
        let token = alice.refresh_token.clone().unwrap();
        let resp = alice.post("/auth/logout", json!({"refresh_token": token})).await;
        assert_eq!(resp.0, 204, "{}", resp.1);
        let after = anon.post("/auth/refresh", json!({"refresh_token": token})).await;
        assert_eq!(after.0, 401, "{}", after.1);
        assert_eq!(after.1["error"]["code"].as_str().map(|c| c.is_empty()), Some(false));
    }
);

/// The `Set-Cookie` value of the session cookie, lower-cased.
fn session_set_cookie(resp: &FullResp) -> String {
    resp.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("tidily_session="))
        .expect("session cookie")
        .to_ascii_lowercase()
}

both_backends!(
    fn session_cookie_requires_csrf_on_writes(app) {
        app.signup("alice@example.com").await;
        let (session, resp) = app.session_login("alice@example.com", PASSWORD).await;
        assert_eq!(resp.body["user"]["email"], "alice@example.com");
        let cookie = session_set_cookie(&resp);
        assert!(cookie.contains("httponly"), "{cookie}");
        assert!(cookie.contains("samesite=lax"), "{cookie}");

        // Reads need only the cookie.
        let mut no_csrf = session.clone();
        no_csrf.csrf = None;
        let me = expect(no_csrf.get("/me").await, 200);
        assert_eq!(me["email"], "alice@example.com");

        // Writes without, or with a wrong, CSRF token are refused and change nothing.
        let refused = no_csrf
            .post("/tags", json!({"name": "via-session", "color": "#112233"}))
            .await;
        assert_error(&refused, 403, "csrf_failed");
        let mut wrong = session.clone();
        wrong.csrf = Some("not-the-token".into());
        let refused = wrong
            .post("/tags", json!({"name": "via-session", "color": "#112233"}))
            .await;
        assert_error(&refused, 403, "csrf_failed");
        let tags = expect(no_csrf.get("/tags").await, 200);
        assert_eq!(tags.as_array().unwrap().len(), 0);

        let created = expect(
            session
                .post("/tags", json!({"name": "via-session", "color": "#112233"}))
                .await,
            201,
        );
        assert_eq!(created["name"], "via-session");

        // PATCH and DELETE are state-changing as well.
        assert_error(
            &no_csrf.patch("/me", json!({"display_name": "csrf victim"})).await,
            403,
            "csrf_failed",
        );
        assert_error(
            &no_csrf.delete(&format!("/tags/{}", id(&created))).await,
            403,
            "csrf_failed",
        );
        assert_eq!(expect(no_csrf.get("/me").await, 200)["display_name"], "Tester");
        assert_eq!(expect(no_csrf.get("/tags").await, 200).as_array().unwrap().len(), 1);
        let patched = expect(session.patch("/me", json!({"display_name": "Via session"})).await, 200);
        assert_eq!(patched["display_name"], "Via session");

        // Ending the session needs the CSRF header too.
        assert_error(&no_csrf.delete("/auth/session").await, 403, "csrf_failed");
        let ended = session.delete("/auth/session").await;
        assert_eq!(ended.0, 204, "{}", ended.1);
        assert_error(&no_csrf.get("/me").await, 401, "unauthenticated");
    }
);

both_backends!(
    fn session_login_rejects_bad_password(app) {
        app.signup("alice@example.com").await;
        let resp = app
            .anon()
            .post("/auth/session", json!({"email": "alice@example.com", "password": "nope nope nope"}))
            .await;
        assert_error(&resp, 401, "invalid_credentials");
    }
);

both_backends!(
    fn api_tokens_create_list_use_revoke(app) {
        let alice = app.signup("alice@example.com").await;
        let created = expect(
            alice
                .post("/me/tokens", json!({"name": "cli 'laptop'", "expires_in_days": 30}))
                .await,
            201,
        );
        let secret = created["secret"].as_str().unwrap().to_string();
        assert!(secret.starts_with("tds_"), "{secret}");
        let token = &created["token"];
        assert_eq!(token["name"], "cli 'laptop'");
        assert!(token["expires_at"].is_string(), "{token}");
        let prefix = token["prefix"].as_str().unwrap();
        assert!(secret.starts_with(prefix), "prefix {prefix} is the start of the secret");
        assert!(prefix.len() < secret.len());

        let no_expiry = expect(alice.post("/me/tokens", json!({"name": "forever"})).await, 201);
        assert!(no_expiry["token"]["expires_at"].is_null());

        let list = expect(alice.get("/me/tokens").await, 200);
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 2);
        for t in list {
            for key in ["id", "name", "prefix", "created_at", "last_used_at", "expires_at"] {
                assert!(t.get(key).is_some(), "token lacks {key}: {t}");
            }
            assert!(t.get("secret").is_none(), "the secret is shown once only");
            assert!(!t.to_string().contains(&secret[prefix.len()..]));
        }

        // The secret authenticates as Alice.
        let by_token = alice.with_token(&secret);
        let me = expect(by_token.get("/me").await, 200);
        assert_eq!(me["email"], "alice@example.com");
        expect(
            by_token
                .post("/tags", json!({"name": "from-token", "color": "#000000"}))
                .await,
            201,
        );

        // Revoked: 401.
        let revoked = alice.delete(&format!("/me/tokens/{}", id(token))).await;
        assert_eq!(revoked.0, 204, "{}", revoked.1);
        assert_error(&by_token.get("/me").await, 401, "unauthenticated");
        let list = expect(alice.get("/me/tokens").await, 200);
        assert_eq!(ids(list.as_array().unwrap()), vec![id(&no_expiry["token"])]);
        let again = alice.delete(&format!("/me/tokens/{}", id(token))).await;
        assert_error(&again, 404, "not_found");

        // A made-up tds_ secret is rejected.
        let fake = alice.with_token("tds_0000000000000000000000000000000000000000");
        assert_error(&fake.get("/me").await, 401, "unauthenticated");

        let invalid = alice.post("/me/tokens", json!({"name": ""})).await;
        assert_invalid_field(&invalid, "name");
    }
);

both_backends!(
    fn password_change_revokes_refresh_tokens(app) {
        let alice = app.signup("alice@example.com").await;
        let other_login = app.login("alice@example.com", PASSWORD).await;
        let (session, _) = app.session_login("alice@example.com", PASSWORD).await;
        let anon = app.anon();

        let wrong = alice
            .post(
                "/me/password",
                json!({"current_password": "not my password", "new_password": "a brand new password"}),
            )
            .await;
        assert_error_any(&wrong, &[400, 401, 403, 422]);
        let short = alice
            .post("/me/password", json!({"current_password": PASSWORD, "new_password": "short"}))
            .await;
        assert_invalid_field(&short, "new_password");

        let changed = alice
            .post(
                "/me/password",
                json!({"current_password": PASSWORD, "new_password": "a brand new password"}),
            )
            .await;
        assert_eq!(changed.0, 204, "{}", changed.1);

        for c in [&alice, &other_login] {
            let r = anon
                .post("/auth/refresh", json!({"refresh_token": c.refresh_token.clone().unwrap()}))
                .await;
            assert_eq!(r.0, 401, "refresh token survived a password change: {}", r.1);
        }
        // Other browser sessions end as well.
        assert_eq!(session.get("/me").await.0, 401);

        let old = anon
            .post("/auth/token", json!({"email": "alice@example.com", "password": PASSWORD}))
            .await;
        assert_error(&old, 401, "invalid_credentials");
        app.login("alice@example.com", "a brand new password").await;
    }
);

both_backends!(
    fn admin_endpoint_needs_the_admin_role(app) {
        let alice = app.signup("alice@example.com").await;
        app.signup("bob@example.com").await;
        assert_error(&alice.get("/admin/users").await, 403, "forbidden");
        assert_error(&app.anon().get("/admin/users").await, 401, "unauthenticated");

        app.cli_ok(&["user", "promote", "--email", "alice@example.com"]);
        let admin = app.login("alice@example.com", PASSWORD).await;
        let users = expect(admin.get("/admin/users").await, 200);
        let mut emails: Vec<&str> = users
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["email"].as_str().unwrap())
            .collect();
        emails.sort();
        assert_eq!(emails, ["alice@example.com", "bob@example.com"]);
        let me = expect(admin.get("/me").await, 200);
        assert_eq!(me["role"], "admin");
    }
);

both_backends!(
    fn failed_logins_are_throttled_per_email(app) {
        app.signup("alice@example.com").await;
        let anon = app.anon();
        for _ in 0..5 {
            let r = anon
                .post("/auth/token", json!({"email": "alice@example.com", "password": "wrong wrong"}))
                .await;
            assert_error(&r, 401, "invalid_credentials");
        }
        let throttled = anon
            .full(
                Method::POST,
                "/auth/token",
                Body::Json(json!({"email": "alice@example.com", "password": "wrong wrong"})),
                &[],
            )
            .await;
        assert_error(&throttled.resp(), 429, "too_many_requests");
        let retry_after: u64 = throttled
            .header("retry-after")
            .expect("Retry-After header")
            .parse()
            .expect("Retry-After in seconds");
        assert!(retry_after > 0 && retry_after <= 15 * 60, "{retry_after}");

        // Even the right password is refused while throttled.
        let right = anon
            .post("/auth/token", json!({"email": "alice@example.com", "password": PASSWORD}))
            .await;
        assert_error(&right, 429, "too_many_requests");

        // Another account from the same IP is not affected by Alice's limit.
        app.signup("bob@example.com").await;
        app.login("bob@example.com", PASSWORD).await;
    }
);

/// Outside development (and the local test environment) the cookie is `Secure`.
async fn session_cookie_is_secure_in_staging(backend: Backend) {
    let Some(app) = TestApp::for_backend_with_env(backend, &[("APP_ENV", "staging")]).await else {
        return;
    };
    app.signup("alice@example.com").await;
    let (session, resp) = app.session_login("alice@example.com", PASSWORD).await;
    let cookie = session_set_cookie(&resp);
    assert!(
        cookie.contains("; secure"),
        "Secure outside development: {cookie}"
    );
    assert!(
        cookie.contains("httponly") && cookie.contains("samesite=lax"),
        "{cookie}"
    );
    expect(session.get("/me").await, 200);
}

mod session_cookie_secure_in_staging {
    use super::*;

    #[tokio::test]
    async fn sqlite() {
        session_cookie_is_secure_in_staging(Backend::Sqlite).await;
    }

    #[tokio::test]
    async fn postgres() {
        session_cookie_is_secure_in_staging(Backend::Postgres).await;
    }
}

both_backends!(
    fn failed_logins_are_throttled_per_ip_whatever_x_forwarded_for_says(app) {
        let anon = app.anon();
        // 30 failures spread over many addresses, each below the per-address limit, with a
        // forged X-Forwarded-For on each (no proxy is trusted, so it must be ignored).
        for i in 0..30 {
            let forwarded = format!("203.0.113.{i}");
            let r = anon
                .full(
                    Method::POST,
                    "/auth/token",
                    Body::Json(json!({"email": format!("user{}@example.com", i % 10),
                                      "password": "wrong wrong"})),
                    &[("x-forwarded-for", forwarded.as_str())],
                )
                .await;
            assert_error(&r.resp(), 401, "invalid_credentials");
        }
        let r = anon
            .full(
                Method::POST,
                "/auth/token",
                Body::Json(json!({"email": "fresh@example.com", "password": "wrong wrong"})),
                &[("x-forwarded-for", "198.51.100.7")],
            )
            .await;
        assert_error(&r.resp(), 429, "too_many_requests");
        assert!(r.header("retry-after").is_some_and(|v| v.parse::<u64>().is_ok()));
    }
);

both_backends!(
    fn account_settings_are_validated(app) {
        let alice = app.signup("alice@example.com").await;
        assert_invalid_field(&alice.patch("/me", json!({"locale": "klingon"})).await, "locale");
        assert_invalid_field(
            &alice.patch("/me", json!({"time_zone": "Mars/Olympus Mons"})).await,
            "time_zone",
        );
        assert_invalid_field(&alice.patch("/me", json!({"display_name": ""})).await, "display_name");
        let me = expect(alice.get("/me").await, 200);
        assert_eq!(me["display_name"], "Tester");

        // An address with an apostrophe is an address like any other.
        let obrien = app.signup("o'brien@example.com").await;
        assert_eq!(expect(obrien.get("/me").await, 200)["email"], "o'brien@example.com");
        app.login("O'Brien@example.com", PASSWORD).await;
    }
);

/// An HS256 JWT over `claims` signed with `secret`.
fn jwt(claims: Value, secret: &[u8]) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret),
    )
    .expect("sign JWT")
}

both_backends!(
    fn forged_and_expired_access_tokens_are_refused(app) {
        let alice = app.signup("alice@example.com").await;
        let secret = app.env_var("JWT_SECRET").unwrap().as_bytes().to_vec();
        let sub = alice.id().to_string();
        let now = chrono::Utc::now().timestamp();
        // The server's own token, decoded, tells which claims it expects.
        let genuine = alice.token.clone().unwrap();
        let payload = genuine.split('.').nth(1).unwrap();
        use base64::Engine;
        let claims: Value = serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(payload)
                .unwrap(),
        )
        .unwrap();
        assert_eq!(claims["sub"].as_str().map(str::to_string), Some(sub.clone()));

        // A copy of the genuine claims signed with the right key is accepted (sanity check).
        let copy = jwt(claims.clone(), &secret);
        expect(alice.with_token(&copy).get("/me").await, 200);

        let mut expired = claims.clone();
        expired["iat"] = json!(now - 3600);
        expired["exp"] = json!(now - 600);
        let mut other_issuer = claims.clone();
        other_issuer["iss"] = json!("someone-else");
        let mut no_such_user = claims.clone();
        no_such_user["sub"] = json!("987654");
        let mut not_a_number = claims.clone();
        not_a_number["sub"] = json!("1 OR 1=1");
        let forged = [
            jwt(expired, &secret),
            jwt(other_issuer, &secret),
            jwt(no_such_user, &secret),
            jwt(not_a_number, &secret),
            jwt(claims.clone(), b"not-the-server-secret-not-the-server-secret-0000"),
        ];
        for token in &forged {
            assert_error(&alice.with_token(token).get("/me").await, 401, "unauthenticated");
        }
        // alg "none": header and payload, empty signature.
        let header = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
        let unsigned = format!("{header}.{payload}.");
        assert_error(&alice.with_token(&unsigned).get("/me").await, 401, "unauthenticated");
        // The genuine signature over a tampered payload.
        let mut parts: Vec<&str> = genuine.split('.').collect();
        let tampered_payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(no_such_user_json(&claims).to_string());
        parts[1] = &tampered_payload;
        assert_error(&alice.with_token(&parts.join(".")).get("/me").await, 401, "unauthenticated");
    }
);

fn no_such_user_json(claims: &Value) -> Value {
    let mut c = claims.clone();
    c["sub"] = json!("987654");
    c
}
