//! Cross-user isolation: user B can neither see, change, nor learn of user A's data.

use crate::common::*;

/// A's resources, by id.
struct AliceData {
    profile: i64,
    folder: i64,
    child_folder: i64,
    tag: i64,
    category: i64,
    item: i64,
    trashed_item: i64,
    token: i64,
}

async fn alice_data(a: &Client) -> AliceData {
    let profile = a.profile_id("Private").await;
    let folder = id(&a.create_folder(profile, None, "A-folder").await);
    let child_folder = id(&a.create_folder(profile, Some(folder), "A-child").await);
    let tag = id(&a.create_tag("a-tag", "#aa0000").await);
    let category = id(&a.create_category("a-cat", "#00aa00").await);
    let item = id(&a
        .create_item(
            json!({"profile_id": profile, "title": "A secret", "folder_id": folder,
                            "tag_ids": [tag], "category_id": category, "favorite": true,
                            "memo": "secret memo", "url": "https://alice.example/secret"}),
        )
        .await);
    let trashed_item = id(&a.item(profile, "A trashed").await);
    expect(
        a.post_empty(&format!("/items/{trashed_item}/trash")).await,
        200,
    );
    let token = id(&expect(a.post("/me/tokens", json!({"name": "a-token"})).await, 201)["token"]);
    AliceData {
        profile,
        folder,
        child_folder,
        tag,
        category,
        item,
        trashed_item,
        token,
    }
}

/// Everything Alice can observe about her own data, to compare before and after B's attempts.
async fn snapshot(a: &Client, d: &AliceData) -> Vec<Value> {
    vec![
        expect(a.get(&format!("/items/{}", d.item)).await, 200),
        expect(a.get(&format!("/items/{}", d.trashed_item)).await, 200),
        expect(
            a.get(&format!("/folders/tree?profile_id={}", d.profile))
                .await,
            200,
        ),
        expect(a.get("/tags").await, 200),
        expect(a.get("/categories").await, 200),
        expect(a.get("/profiles").await, 200),
        Value::Array(a.list("archived=any").await),
        expect(a.get("/stats").await, 200),
    ]
}

both_backends!(
    fn b_gets_404_for_every_one_of_a_resources(app) {
        let a = app.signup("alice@example.com").await;
        let b = app.signup("bob@example.com").await;
        let d = alice_data(&a).await;
        let before = snapshot(&a, &d).await;

        let by_id: Vec<(Method, String, Body)> = vec![
            (Method::GET, format!("/items/{}", d.item), Body::None),
            (Method::GET, format!("/items/{}", d.trashed_item), Body::None),
            (Method::PATCH, format!("/items/{}", d.item), Body::Json(json!({"title": "pwned"}))),
            (Method::DELETE, format!("/items/{}", d.item), Body::None),
            (Method::POST, format!("/items/{}/archive", d.item), Body::None),
            (Method::POST, format!("/items/{}/unarchive", d.item), Body::None),
            (Method::POST, format!("/items/{}/trash", d.item), Body::None),
            (Method::POST, format!("/items/{}/restore", d.trashed_item), Body::None),
            (Method::POST, format!("/items/{}/move", d.item), Body::Json(json!({"folder_id": null}))),
            (Method::GET, format!("/profiles/{}", d.profile), Body::None),
            (Method::PATCH, format!("/profiles/{}", d.profile), Body::Json(json!({"name": "pwned"}))),
            (Method::DELETE, format!("/profiles/{}", d.profile), Body::None),
            (Method::GET, format!("/folders/{}", d.folder), Body::None),
            (Method::PATCH, format!("/folders/{}", d.folder), Body::Json(json!({"name": "pwned"}))),
            (Method::DELETE, format!("/folders/{}", d.child_folder), Body::None),
            (
                Method::POST,
                format!("/folders/{}/move", d.child_folder),
                Body::Json(json!({"parent_id": null})),
            ),
            (Method::PATCH, format!("/tags/{}", d.tag), Body::Json(json!({"name": "pwned"}))),
            (Method::DELETE, format!("/tags/{}", d.tag), Body::None),
            (Method::PATCH, format!("/categories/{}", d.category), Body::Json(json!({"name": "pwned"}))),
            (Method::DELETE, format!("/categories/{}", d.category), Body::None),
            (Method::DELETE, format!("/me/tokens/{}", d.token), Body::None),
        ];
        for (method, path, body) in by_id {
            let r = b.full(method.clone(), &path, body, &[]).await;
            assert_error(&r.resp(), 404, "not_found");
            assert!(!r.text.contains("A secret") && !r.text.contains("secret memo"), "{}", r.text);
        }
        // The answer for someone else's id is the answer for an id that does not exist.
        let theirs = b.get(&format!("/items/{}", d.item)).await;
        let nobody = b.get("/items/987654").await;
        assert_eq!(theirs.0, nobody.0);
        assert_eq!(theirs.1["error"]["code"], nobody.1["error"]["code"]);
        assert_eq!(theirs.1["error"]["message"], nobody.1["error"]["message"]);

        assert_eq!(snapshot(&a, &d).await, before, "B's attempts changed A's data");
    }
);

both_backends!(
    fn b_lists_stats_and_trees_never_include_a_data(app) {
        let a = app.signup("alice@example.com").await;
        let b = app.signup("bob@example.com").await;
        let d = alice_data(&a).await;
        let bp = b.profile_id("Private").await;
        b.item(bp, "B own").await;

        for query in [
            "", "archived=any", "trashed=true", "favorite=true", "q=secret", "q=A",
            "sort=manual", "sort=title", "status=not_started",
        ] {
            let titles = b.titles(query).await;
            assert!(
                titles.iter().all(|t| t == "B own"),
                "B's list ?{query} shows {titles:?}"
            );
        }
        for query in [
            format!("profile_id={}", d.profile),
            format!("folder_id={}", d.folder),
            format!("folder_id={}&include_subfolders=true", d.folder),
            format!("tag_id={}", d.tag),
            format!("category_id={}", d.category),
        ] {
            let r = b.get(&format!("/items?{query}")).await;
            assert!(
                r.0 == 404 || r.0 == 422 || (r.0 == 200 && r.1["items"] == json!([])),
                "?{query}: {} {}",
                r.0,
                r.1
            );
        }

        let stats = expect(b.get("/stats").await, 200);
        assert_eq!(stats["favorites"], 0, "{stats}");
        assert_eq!(stats["trashed"], 0, "{stats}");
        assert!(!stats.to_string().contains("a-tag") && !stats.to_string().contains("a-cat"));
        let r = b.get(&format!("/stats?profile_id={}", d.profile)).await;
        assert!(
            r.0 == 404 || (r.0 == 200 && r.1["favorites"] == 0 && r.1["trashed"] == 0),
            "{} {}",
            r.0,
            r.1
        );

        let tree = b.get(&format!("/folders/tree?profile_id={}", d.profile)).await;
        assert!(tree.0 == 404 || (tree.0 == 200 && tree.1 == json!([])), "{} {}", tree.0, tree.1);
        let flat = b.get(&format!("/folders?profile_id={}", d.profile)).await;
        assert!(flat.0 == 404 || (flat.0 == 200 && flat.1 == json!([])), "{} {}", flat.0, flat.1);
        let own_tree = expect(b.get(&format!("/folders/tree?profile_id={bp}")).await, 200);
        assert_eq!(own_tree, json!([]));

        assert_eq!(expect(b.get("/tags").await, 200), json!([]));
        assert_eq!(expect(b.get("/categories").await, 200), json!([]));
        assert_eq!(expect(b.get("/me/tokens").await, 200), json!([]));
        let profiles = b.profiles().await;
        assert!(!ids(&profiles).contains(&d.profile));
        assert_eq!(profiles.len(), 3);

        let activity = expect(b.get("/activity?limit=200").await, 200);
        assert!(
            activity.as_array().unwrap().iter().all(|e| e["item_id"] != d.item),
            "{activity}"
        );
        let r = b.get(&format!("/activity?item_id={}", d.item)).await;
        assert!(r.0 == 404 || (r.0 == 200 && r.1 == json!([])), "{} {}", r.0, r.1);

        // Emptying B's trash leaves A's trash alone.
        assert_eq!(expect(b.post_empty("/trash/empty").await, 200)["purged"], 0);
        assert_eq!(a.titles("trashed=true").await, ["A trashed"]);
    }
);

both_backends!(
    fn b_cannot_attach_a_references_to_b_items(app) {
        let a = app.signup("alice@example.com").await;
        let b = app.signup("bob@example.com").await;
        let d = alice_data(&a).await;
        let bp = b.profile_id("Private").await;
        let b_item = id(&b.item(bp, "B own").await);
        let b_folder = id(&b.create_folder(bp, None, "B folder").await);

        let creates = [
            json!({"profile_id": d.profile, "title": "into A's profile"}),
            json!({"profile_id": bp, "title": "x", "folder_id": d.folder}),
            json!({"profile_id": bp, "title": "x", "category_id": d.category}),
            json!({"profile_id": bp, "title": "x", "tag_ids": [d.tag]}),
        ];
        for body in creates {
            assert_error_any(&b.post("/items", body.clone()).await, &[404, 422]);
        }
        let patches = [
            json!({"profile_id": d.profile}),
            json!({"folder_id": d.folder}),
            json!({"category_id": d.category}),
            json!({"tag_ids": [d.tag]}),
        ];
        for body in patches {
            assert_error_any(&b.patch(&format!("/items/{b_item}"), body.clone()).await, &[404, 422]);
        }
        assert_error_any(
            &b.post(&format!("/items/{b_item}/move"), json!({"folder_id": d.folder})).await,
            &[404, 422],
        );
        assert_error_any(
            &b.post(&format!("/items/{b_item}/move"), json!({"before_id": d.item})).await,
            &[404, 422],
        );
        assert_error_any(
            &b.post("/folders", json!({"profile_id": d.profile, "name": "x"})).await,
            &[404, 422],
        );
        assert_error_any(
            &b.post("/folders", json!({"profile_id": bp, "parent_id": d.folder, "name": "x"})).await,
            &[404, 422],
        );
        assert_error_any(
            &b.post(&format!("/folders/{b_folder}/move"), json!({"parent_id": d.folder})).await,
            &[404, 422],
        );
        assert_error_any(
            &b.patch(&format!("/profiles/{bp}"), json!({"after_id": d.profile})).await,
            &[404, 422],
        );
        for body in [
            json!({"ids": [b_item], "action": "add_tags", "tag_ids": [d.tag]}),
            json!({"ids": [b_item], "action": "move", "folder_id": d.folder}),
        ] {
            assert_error_any(&b.post("/items/bulk", body.clone()).await, &[404, 422]);
        }

        let mine = expect(b.get(&format!("/items/{b_item}")).await, 200);
        assert_eq!(mine["profile_id"], bp);
        assert!(mine["folder_id"].is_null());
        assert!(mine["category_id"].is_null());
        assert_eq!(mine["tags"], json!([]));
        assert_eq!(b.titles("archived=any").await, ["B own"]);
        let tree = expect(a.get(&format!("/folders/tree?profile_id={}", d.profile)).await, 200);
        assert_eq!(tree[0]["children"].as_array().unwrap().len(), 1, "{tree}");
    }
);

both_backends!(
    fn bulk_with_a_ids_is_404_and_changes_nothing(app) {
        let a = app.signup("alice@example.com").await;
        let b = app.signup("bob@example.com").await;
        let d = alice_data(&a).await;
        let bp = b.profile_id("Private").await;
        let b_item = id(&b.item(bp, "B own").await);
        let before = snapshot(&a, &d).await;

        for action in [
            json!({"action": "set_status", "status": "done"}),
            json!({"action": "archive"}),
            json!({"action": "trash"}),
            json!({"action": "restore"}),
            json!({"action": "purge"}),
            json!({"action": "unfavorite"}),
            json!({"action": "remove_tags", "tag_ids": [d.tag]}),
            json!({"action": "move", "folder_id": null}),
        ] {
            for ids in [vec![d.item], vec![d.trashed_item], vec![b_item, d.item]] {
                let mut body = action.clone();
                body["ids"] = json!(ids);
                assert_error(&b.post("/items/bulk", body.clone()).await, 404, "not_found");
            }
        }
        assert_eq!(snapshot(&a, &d).await, before);
        let mine = expect(b.get(&format!("/items/{b_item}")).await, 200);
        assert_eq!(mine["status"], "undecided");
        assert!(mine["archived_at"].is_null() && mine["trashed_at"].is_null());
    }
);

both_backends!(
    fn a_token_only_reaches_its_owner(app) {
        let a = app.signup("alice@example.com").await;
        let b = app.signup("bob@example.com").await;
        let secret = expect(b.post("/me/tokens", json!({"name": "b"})).await, 201)["secret"]
            .as_str()
            .unwrap()
            .to_string();
        let me = expect(a.with_token(&secret).get("/me").await, 200);
        assert_eq!(me["email"], "bob@example.com", "the token decides who you are");
        // The token lists stay separate.
        assert_eq!(expect(a.get("/me/tokens").await, 200), json!([]));
    }
);
