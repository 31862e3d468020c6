//! Categories and tags: CRUD, colour and name validation, uniqueness per user, what deleting
//! one does to the items that used it.

use crate::common::*;

/// The same checks for `/tags` and `/categories`, which share a contract.
async fn crud(c: &Client, base: &str) {
    let created = expect(
        c.post(base, json!({"name": "Rust", "color": "#d97706"}))
            .await,
        201,
    );
    assert_eq!(created["name"], "Rust");
    assert_eq!(created["color"], "#d97706");
    let second = expect(
        c.post(base, json!({"name": "日本語", "color": "#00FF7f"}))
            .await,
        201,
    );
    assert_eq!(second["name"], "日本語");
    assert!(
        second["color"]
            .as_str()
            .unwrap()
            .eq_ignore_ascii_case("#00ff7f"),
        "{second}"
    );

    let list = expect(c.get(base).await, 200);
    let list = list.as_array().unwrap();
    assert_eq!(sorted(&ids(list)), sorted(&[id(&created), id(&second)]));
    let rust = list.iter().find(|t| t["id"] == created["id"]).unwrap();
    assert_eq!(rust["color"], "#d97706");

    let patched = expect(
        c.patch(
            &format!("{base}/{}", id(&created)),
            json!({"name": "rust-lang", "color": "#000000"}),
        )
        .await,
        200,
    );
    assert_eq!(patched["name"], "rust-lang");
    assert_eq!(patched["color"], "#000000");
    let only_color = expect(
        c.patch(
            &format!("{base}/{}", id(&created)),
            json!({"color": "#ffffff"}),
        )
        .await,
        200,
    );
    assert_eq!(only_color["name"], "rust-lang");
    assert_eq!(only_color["color"], "#ffffff");

    // Uniqueness per user, on create and on rename.
    assert_error(
        &c.post(base, json!({"name": "rust-lang", "color": "#111111"}))
            .await,
        409,
        "conflict",
    );
    assert_error(
        &c.patch(
            &format!("{base}/{}", id(&second)),
            json!({"name": "rust-lang"}),
        )
        .await,
        409,
        "conflict",
    );

    // Colour and name validation.
    for bad in ["red", "#12345", "#1234567", "#gggggg", "123456", ""] {
        let r = c
            .post(base, json!({"name": format!("c{bad}"), "color": bad}))
            .await;
        assert_invalid_field(&r, "color");
    }
    assert_invalid_field(
        &c.post(base, json!({"name": "", "color": "#123456"})).await,
        "name",
    );
    assert_invalid_field(
        &c.post(base, json!({"name": "n".repeat(65), "color": "#123456"}))
            .await,
        "name",
    );
    let max = expect(
        c.post(base, json!({"name": "m".repeat(64), "color": "#123456"}))
            .await,
        201,
    );
    assert_eq!(max["name"].as_str().unwrap().chars().count(), 64);
    assert_invalid_field(
        &c.patch(&format!("{base}/{}", id(&second)), json!({"color": "blue"}))
            .await,
        "color",
    );

    // Unknown ids.
    assert_error(
        &c.patch(&format!("{base}/999999"), json!({"name": "x"}))
            .await,
        404,
        "not_found",
    );
    assert_error(&c.delete(&format!("{base}/999999")).await, 404, "not_found");

    let deleted = c.delete(&format!("{base}/{}", id(&max))).await;
    assert_eq!(deleted.0, 204, "{}", deleted.1);
    let list = expect(c.get(base).await, 200);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_error(
        &c.delete(&format!("{base}/{}", id(&max))).await,
        404,
        "not_found",
    );
}

both_backends!(
    fn tag_crud_and_validation(app) {
        let alice = app.signup("alice@example.com").await;
        crud(&alice, "/tags").await;
    }
);

both_backends!(
    fn category_crud_and_validation(app) {
        let alice = app.signup("alice@example.com").await;
        crud(&alice, "/categories").await;
    }
);

both_backends!(
    fn names_are_unique_per_user_not_globally(app) {
        let alice = app.signup("alice@example.com").await;
        let bob = app.signup("bob@example.com").await;
        alice.create_tag("shared", "#123456").await;
        bob.create_tag("shared", "#654321").await;
        alice.create_category("shared", "#123456").await;
        bob.create_category("shared", "#654321").await;
        let bobs = expect(bob.get("/tags").await, 200);
        assert_eq!(bobs.as_array().unwrap().len(), 1);
        assert_eq!(bobs[0]["color"], "#654321");
    }
);

both_backends!(
    fn deleting_a_tag_or_category_detaches_it_from_items(app) {
        let alice = app.signup("alice@example.com").await;
        let p = alice.profile_id("Private").await;
        let keep = alice.create_tag("keep", "#111111").await;
        let gone = alice.create_tag("gone", "#222222").await;
        let cat = alice.create_category("Docs", "#333333").await;
        let item = alice
            .create_item(json!({"profile_id": p, "title": "t", "category_id": id(&cat),
                                "tag_ids": [id(&keep), id(&gone)]}))
            .await;
        assert_eq!(item["category_id"], cat["id"]);
        assert_eq!(item["tags"].as_array().unwrap().len(), 2);

        assert_eq!(alice.delete(&format!("/tags/{}", id(&gone))).await.0, 204);
        assert_eq!(alice.delete(&format!("/categories/{}", id(&cat))).await.0, 204);

        let got = expect(alice.get(&format!("/items/{}", id(&item))).await, 200);
        assert!(got["category_id"].is_null(), "{got}");
        let tags = got["tags"].as_array().unwrap();
        assert_eq!(tags.len(), 1);
        assert_eq!(tags[0]["id"], keep["id"]);
        assert_eq!(tags[0]["name"], "keep");
        assert_eq!(tags[0]["color"], "#111111");
    }
);
