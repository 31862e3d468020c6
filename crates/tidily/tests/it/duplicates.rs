//! Duplicates over HTTP: "already saved" finds a link in any of its forms, the groups list
//! links to one page (never different videos), and a merge keeps the oldest item with
//! everyone's tags and memos, all or nothing, on the owner's items only; the settings page
//! does the same without JavaScript.

use crate::common::*;

both_backends!(
    fn links_to_one_page_are_found_and_merged(app) {
        let c = app.signup("dup@example.com").await;
        let p = c.profile_id("Private").await;
        let t1 = id(&c.create_tag("read-later", "#112233").await);
        let t2 = id(&c.create_tag("rust", "#445566").await);
        let first = c
            .create_item(json!({"profile_id": p, "title": "first",
                "url": "https://example.com/article?utm_source=feed&id=7", "memo": "from the feed",
                "tag_ids": [t1]}))
            .await;
        let second = c
            .create_item(json!({"profile_id": p, "title": "second",
                "url": "http://WWW.example.com/article/?id=7#comments", "memo": "from a friend",
                "tag_ids": [t2], "favorite": true, "priority": "high"}))
            .await;
        let other_page = c
            .create_item(json!({"profile_id": p, "title": "other",
                "url": "https://example.com/article?id=8"}))
            .await;
        let stranger = app.signup("stranger@example.com").await;
        let theirs = stranger
            .create_item(json!({"profile_id": stranger.profile_id("Private").await,
                "title": "theirs", "url": "https://example.com/article?id=7"}))
            .await;

        // "Already saved": any form of the link, oldest first; the owner's only.
        let saved = expect(
            c.get(&format!("/items/saved?url={}", enc("https://example.com/article?id=7&fbclid=x")))
                .await,
            200,
        );
        assert_eq!(titles(saved["items"].as_array().unwrap()), ["first", "second"]);
        let none = expect(c.get(&format!("/items/saved?url={}", enc("https://example.com/elsewhere"))).await, 200);
        assert_eq!(none["items"], json!([]));
        assert_error(&c.get("/items/saved").await, 422, "validation_failed");

        let groups = expect(c.get("/duplicates").await, 200);
        let groups = groups["groups"].as_array().unwrap();
        assert_eq!(groups.len(), 1, "{groups:?}");
        assert_eq!(titles(groups[0].as_array().unwrap()), ["first", "second"]);

        // Refused, changing nothing: another page, another user's item, one item.
        assert_invalid_field(
            &c.post("/duplicates/merge", json!({"ids": [id(&first), id(&other_page)]})).await,
            "ids",
        );
        assert_error(
            &c.post("/duplicates/merge", json!({"ids": [id(&first), id(&theirs)]})).await,
            404,
            "not_found",
        );
        assert_invalid_field(&c.post("/duplicates/merge", json!({"ids": [id(&first)]})).await, "ids");
        assert_invalid_field(
            &c.post("/duplicates/merge", json!({"ids": [id(&first), id(&first)]})).await,
            "ids",
        );
        expect(c.get(&format!("/items/{}", id(&second))).await, 200);

        let merged = expect(
            c.post("/duplicates/merge", json!({"ids": [id(&second), id(&first)]})).await,
            200,
        );
        assert_eq!(merged["id"], first["id"], "the oldest stays");
        assert_eq!(merged["title"], "first");
        assert_eq!(merged["memo"], "from the feed\n\nfrom a friend");
        assert_eq!(merged["favorite"], true);
        assert_eq!(merged["priority"], "high");
        let tags: Vec<&str> = merged["tags"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
        assert_eq!(tags, ["read-later", "rust"]);
        assert_eq!(merged["created_at"], first["created_at"]);
        assert_error(&c.get(&format!("/items/{}", id(&second))).await, 404, "not_found");
        assert_eq!(expect(c.get("/duplicates").await, 200)["groups"], json!([]));
        // The merged memo is searched.
        assert_eq!(c.titles("q=friend").await, ["first"]);
        expect(stranger.get(&format!("/items/{}", id(&theirs))).await, 200);
    }
);

both_backends!(
    fn the_settings_page_merges_without_javascript(app) {
        let web = crate::web::Browser::new(&app);
        web.sign_up("dup-web@example.com").await;
        let api = app.login("dup-web@example.com", PASSWORD).await;
        let p = api.profile_id("Private").await;
        let a = api.create_item(json!({"profile_id": p, "title": "Kept one", "url": "https://example.org/x"})).await;
        let b = api.create_item(json!({"profile_id": p, "title": "Extra one", "url": "https://www.example.org/x/"})).await;
        let page = web.get("/settings/duplicates").await;
        assert!(page.html.contains("Kept one") && page.html.contains("Extra one"), "{}", page.html);
        // The item's modal says the link is saved twice.
        let modal = web.get(&format!("/items/{}", id(&b))).await;
        assert!(modal.html.contains("Also saved as") && modal.html.contains("Kept one"), "{}", modal.html);
        let ids = format!("{},{}", id(&a), id(&b));
        let page = web.get("/settings/duplicates").await;
        let csrf = crate::web::csrf_of(&page.html);
        let answer = web
            .post_no_follow("/settings/duplicates", &[("_csrf", csrf.as_str()), ("ids", ids.as_str())])
            .await;
        assert_eq!(answer.status, 303);
        assert_eq!(answer.location.as_deref(), Some("/settings/duplicates?merged=1"));
        let page = web.get("/settings/duplicates?merged=1").await;
        assert!(page.html.contains("Merged.") && !page.html.contains("Extra one"), "{}", page.html);
        assert_error(&api.get(&format!("/items/{}", id(&b))).await, 404, "not_found");
        // Without the form's token, nothing is merged.
        let c = api.create_item(json!({"profile_id": p, "title": "Third", "url": "http://example.org/x"})).await;
        let ids = format!("{},{}", id(&a), id(&c));
        let forged = web.post_no_follow("/settings/duplicates", &[("ids", ids.as_str())]).await;
        assert_eq!(forged.status, 403);
        expect(api.get(&format!("/items/{}", id(&c))).await, 200);
    }
);
