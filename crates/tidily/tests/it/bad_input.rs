//! Bad input answered cleanly: malformed, truncated and non-UTF-8 JSON, wrong types, wrong or
//! missing content types, oversized bodies, unknown and non-numeric ids, and SQL / HTML
//! metacharacters stored and returned verbatim in every text field.

use crate::common::*;

const JSON: Option<&str> = Some("application/json");

/// Write endpoints that take a JSON object, with a path that exists for `c`.
async fn write_endpoints(c: &Client) -> Vec<(Method, String)> {
    let p = c.profile_id("Private").await;
    let item = id(&c.item(p, "target").await);
    let folder = id(&c.create_folder(p, None, "target").await);
    let tag = id(&c.create_tag("target", "#123456").await);
    vec![
        (Method::POST, "/items".to_string()),
        (Method::PATCH, format!("/items/{item}")),
        (Method::POST, format!("/items/{item}/move")),
        (Method::POST, "/items/bulk".to_string()),
        (Method::POST, "/folders".to_string()),
        (Method::POST, format!("/folders/{folder}/move")),
        (Method::PATCH, format!("/tags/{tag}")),
        (Method::POST, "/categories".to_string()),
        (Method::POST, "/profiles".to_string()),
        (Method::PATCH, "/me".to_string()),
        (Method::POST, "/me/tokens".to_string()),
        (Method::POST, "/auth/signup".to_string()),
        (Method::POST, "/auth/token".to_string()),
    ]
}

both_backends!(
    fn malformed_truncated_and_non_utf8_json_is_400(app) {
        let c = app.signup("alice@example.com").await;
        // Bodies broken before any field is read, so that every endpoint sees the syntax
        // error first (a field unknown to an endpoint would otherwise be its first problem).
        let bodies: Vec<Vec<u8>> = vec![
            b"{\"".to_vec(),
            b"{\"na".to_vec(),
            b"{,}".to_vec(),
            b"{'name': 'single quotes'}".to_vec(),
            b"".to_vec(),
            b"   ".to_vec(),
            b"nul".to_vec(),
            b"{\"\xff\xfe\xfd\": 1}".to_vec(),
            b"{\"\xc3\x28\": 1}".to_vec(),
            b"\xef\xbb\xbf\xff".to_vec(),
        ];
        for (method, path) in write_endpoints(&c).await {
            for body in &bodies {
                let r = c.raw(method.clone(), &path, JSON, body.clone()).await;
                assert_eq!(
                    r.0, 400,
                    "{method} {path} with {:?}: {}",
                    String::from_utf8_lossy(body),
                    r.1
                );
                assert_error(&r, 400, "invalid_json");
            }
        }
        // Field-level syntax errors on the item endpoints.
        let p = c.profile_id("Private").await;
        let title_start = format!("{{\"profile_id\": {p}, \"title\": \"").into_bytes();
        let item_bodies: Vec<Vec<u8>> = vec![
            b"{\"title\": }".to_vec(),
            format!("{{\"profile_id\": {p}, \"title\": \"ab").into_bytes(),
            format!("{{\"profile_id\": {p}, \"title\": \"x\",}}").into_bytes(),
            [title_start.as_slice(), b"\xff\xfe\"}"].concat(),
            [title_start.as_slice(), b"\xed\xa0\x80\"}"].concat(),
            format!("{{\"profile_id\": {p}, \"title\": \"\\ud800\"}}").into_bytes(),
            format!("{{\"profile_id\": {p}, \"title\": \"tab\tinside\"}}").into_bytes(),
        ];
        for body in &item_bodies {
            let r = c.raw(Method::POST, "/items", JSON, body.clone()).await;
            assert_eq!(r.0, 400, "{:?}: {}", String::from_utf8_lossy(body), r.1);
            assert_error(&r, 400, "invalid_json");
        }
        // Nothing was created along the way.
        assert_eq!(c.titles("").await, ["target"]);
    }
);

both_backends!(
    fn wrong_types_are_422_with_fields(app) {
        let c = app.signup("alice@example.com").await;
        let p = c.profile_id("Private").await;
        let item = id(&c.item(p, "target").await);
        let cases: Vec<(Method, String, Value, &str)> = vec![
            (Method::POST, "/items".into(), json!({"profile_id": "abc", "title": "x"}), "profile_id"),
            (Method::POST, "/items".into(), json!({"profile_id": p, "title": ["x"]}), "title"),
            (Method::POST, "/items".into(), json!({"profile_id": p, "title": "x", "tag_ids": "1"}), "tag_ids"),
            (Method::POST, "/items".into(), json!({"profile_id": p, "title": "x", "tag_ids": ["a"]}), "tag_ids"),
            (Method::POST, "/items".into(), json!({"profile_id": p, "title": "x", "favorite": 1}), "favorite"),
            (Method::POST, "/items".into(), json!({"profile_id": 1.5, "title": "x"}), "profile_id"),
            (Method::POST, "/items".into(), json!({"profile_id": 1e30, "title": "x"}), "profile_id"),
            (Method::PATCH, format!("/items/{item}"), json!({"memo": 12}), "memo"),
            (Method::PATCH, format!("/items/{item}"), json!({"folder_id": "root"}), "folder_id"),
            (Method::POST, "/tags".into(), json!({"name": 5, "color": "#123456"}), "name"),
            (Method::POST, "/folders".into(), json!({"profile_id": p, "name": {"a": 1}}), "name"),
            (Method::POST, "/profiles".into(), json!({"name": null}), "name"),
            (Method::PATCH, "/me".into(), json!({"display_name": false}), "display_name"),
        ];
        for (method, path, body, field) in cases {
            let r = c
                .full(method.clone(), &path, Body::Json(body.clone()), &[])
                .await
                .resp();
            assert_eq!(r.0, 422, "{method} {path} {body}: {}", r.1);
            assert_invalid_field(&r, field);
        }
        // Right syntax, wrong shape.
        for body in [json!([1, 2]), json!("title"), json!(42), json!(null)] {
            let r = c.post("/items", body.clone()).await;
            assert_error(&r, 422, "validation_failed");
        }
        let got = expect(c.get(&format!("/items/{item}")).await, 200);
        assert_eq!(got["title"], "target");
        assert_eq!(c.list("archived=any").await.len(), 1);
    }
);

both_backends!(
    fn content_type_must_be_json(app) {
        let c = app.signup("alice@example.com").await;
        let p = c.profile_id("Private").await;
        let body = json!({"profile_id": p, "title": "typed"}).to_string();
        for ct in [
            None,
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
            Some("multipart/form-data; boundary=x"),
            Some("application/xml"),
        ] {
            let r = c.raw(Method::POST, "/items", ct, body.clone()).await;
            assert_error(&r, 415, "unsupported_media_type");
            let r = c.raw(Method::POST, "/tags", ct, r##"{"name":"n","color":"#000000"}"##).await;
            assert_error(&r, 415, "unsupported_media_type");
        }
        assert!(c.list("").await.is_empty());
        let r = c
            .raw(Method::POST, "/items", Some("application/json; charset=utf-8"), body.clone())
            .await;
        assert_eq!(r.0, 201, "{}", r.1);
        assert_eq!(r.1["title"], "typed");
        // Sign-up (unauthenticated) follows the same rule.
        let signup = json!({"email": "x@example.com", "password": PASSWORD}).to_string();
        let r = app.anon().raw(Method::POST, "/auth/signup", Some("text/plain"), signup).await;
        assert_error(&r, 415, "unsupported_media_type");
    }
);

both_backends!(
    fn bodies_over_one_mebibyte_are_413(app) {
        let c = app.signup("alice@example.com").await;
        let p = c.profile_id("Private").await;
        // Refused from the declared length, before any of the body is read.
        for (who, path) in [(&c, "/items"), (&app.anon(), "/auth/signup")] {
            let (status, body) = who
                .declared_only("POST", path, "application/json", 1024 * 1024 + 10)
                .await;
            assert_eq!(status, "HTTP/1.1 413 Payload Too Large", "{path}");
            assert_eq!(body["error"]["code"], "payload_too_large", "{path}: {body}");
        }
        assert!(c.list("").await.is_empty());
        // Just under the limit is not refused for its size (the memo limit answers instead).
        let memo = "y".repeat(1000 * 1000);
        let r = c.post("/items", json!({"profile_id": p, "title": "almost", "memo": memo})).await;
        assert_invalid_field(&r, "memo");
    }
);

both_backends!(
    fn unknown_and_non_numeric_ids(app) {
        let c = app.signup("alice@example.com").await;
        for (base, patch) in [
            ("/items", json!({"title": "x"})),
            ("/folders", json!({"name": "x"})),
            ("/profiles", json!({"name": "x"})),
            ("/tags", json!({"name": "x"})),
            ("/categories", json!({"name": "x"})),
            ("/me/tokens", json!({"name": "x"})),
        ] {
            let r = c.delete(&format!("{base}/987654")).await;
            assert_error(&r, 404, "not_found");
            for bad in ["abc", "1.5", "-1", "0", "99999999999999999999999", "1%20OR%201=1", "%27"] {
                for method in [Method::GET, Method::PATCH, Method::DELETE] {
                    let body = if method == Method::PATCH {
                        Body::Json(patch.clone())
                    } else {
                        Body::None
                    };
                    let r = c.full(method.clone(), &format!("{base}/{bad}"), body, &[]).await;
                    assert!(
                        r.status == 404 || r.status == 400 || r.status == 405,
                        "{method} {base}/{bad}: {} {}",
                        r.status,
                        r.text
                    );
                    assert!(r.body["error"]["code"].is_string(), "{method} {base}/{bad}: {}", r.text);
                }
            }
        }
        for path in ["/items/987654", "/folders/987654", "/profiles/987654"] {
            assert_error(&c.get(path).await, 404, "not_found");
        }
        for path in [
            "/items/987654/archive", "/items/987654/unarchive", "/items/987654/trash",
            "/items/987654/restore", "/items/abc/archive",
        ] {
            let r = c.post_empty(path).await;
            assert_error_any(&r, &[400, 404]);
        }
        assert_error_any(&c.get("/folders/tree?profile_id=abc").await, &[400, 422]);
        assert_error_any(&c.get("/folders?profile_id=987654").await, &[404, 422]);
        assert_error_any(&c.get("/activity?item_id=abc").await, &[400, 422]);
    }
);

both_backends!(
    fn metacharacters_are_stored_and_returned_verbatim(app) {
        let c = app.signup("alice@example.com").await;
        for (n, text) in NASTY.iter().enumerate() {
            let text = text.to_string();
            let profile = expect(c.post("/profiles", json!({"name": text})).await, 201);
            assert_eq!(profile["name"], text.as_str());
            let pid = id(&profile);
            assert_eq!(c.profile_id(&text).await, pid);

            let folder = expect(
                c.post("/folders", json!({"profile_id": pid, "name": text, "memo": text})).await,
                201,
            );
            assert_eq!(folder["name"], text.as_str());
            assert_eq!(folder["memo"], text.as_str());
            let tree = expect(c.get(&format!("/folders/tree?profile_id={pid}")).await, 200);
            assert_eq!(tree[0]["name"], text.as_str());
            assert_eq!(tree[0]["memo"], text.as_str());

            // Names are unique per user, and a 64-character limit applies: keep them short.
            let short: String = text.chars().take(60).collect();
            let tag = expect(c.post("/tags", json!({"name": short, "color": "#123456"})).await, 201);
            assert_eq!(tag["name"], short.as_str());
            let cat = expect(
                c.post("/categories", json!({"name": short, "color": "#654321"})).await,
                201,
            );
            assert_eq!(cat["name"], short.as_str());

            let url = format!("https://example.com/path?q={}&n={n}", enc(&text));
            let item = c
                .create_item(json!({"profile_id": pid, "title": text, "memo": text, "url": url,
                                    "folder_id": id(&folder), "category_id": id(&cat),
                                    "tag_ids": [id(&tag)]}))
                .await;
            let got = expect(c.get(&format!("/items/{}", id(&item))).await, 200);
            assert_eq!(got["title"], text.as_str());
            assert_eq!(got["memo"], text.as_str());
            assert_eq!(got["url"], url.as_str());
            assert_eq!(got["tags"][0]["name"], short.as_str());

            // Searching for the text finds exactly this item, never everything.
            let found = c.titles(&format!("q={}", enc(&text))).await;
            assert_eq!(found, vec![text.as_str()], "q={text}");

            let me = expect(c.patch("/me", json!({"display_name": text})).await, 200);
            assert_eq!(me["display_name"], text.as_str());
            let token = expect(c.post("/me/tokens", json!({"name": text})).await, 201);
            assert_eq!(token["token"]["name"], text.as_str());
        }
        // Every table is still there and whole.
        assert_eq!(c.list("archived=any").await.len(), NASTY.len());
        assert_eq!(expect(c.get("/tags").await, 200).as_array().unwrap().len(), NASTY.len());
        assert_eq!(c.profiles().await.len(), 3 + NASTY.len());
        let me = expect(c.get("/me").await, 200);
        assert_eq!(me["display_name"], *NASTY.last().unwrap());
        // And the JSON is JSON: HTML is not escaped into entities or stripped.
        let raw = c.full(Method::GET, "/tags", Body::None, &[]).await;
        assert!(raw.header("content-type").unwrap_or("").starts_with("application/json"));
        assert!(!raw.text.contains("&lt;script"), "{}", raw.text);
    }
);

both_backends!(
    fn control_characters_never_cause_a_server_error(app) {
        let c = app.signup("alice@example.com").await;
        let p = c.profile_id("Private").await;
        for text in ["nul \u{0} byte", "bell \u{7} tab \t cr \r lf \n end", "\u{202e}rtl override", "\u{feff}bom"] {
            let r = c.post("/items", json!({"profile_id": p, "title": text, "memo": text})).await;
            assert!(r.0 == 201 || r.0 == 422, "{text:?}: {} {}", r.0, r.1);
            if r.0 == 201 {
                let got = expect(c.get(&format!("/items/{}", id(&r.1))).await, 200);
                assert_eq!(got["title"], text);
                assert_eq!(got["memo"], text);
            } else {
                assert_error(&r, 422, "validation_failed");
            }
            let r = c.get(&format!("/items?q={}", enc(text))).await;
            assert!(r.0 == 200 || r.0 == 400 || r.0 == 422, "q={text:?}: {} {}", r.0, r.1);
        }
    }
);
