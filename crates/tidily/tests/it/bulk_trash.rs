//! Bulk actions on many items at once, and the trash: view, restore, purge, empty.

use crate::common::*;

/// Creates `n` items titled `i0..` in Private and returns their ids.
async fn items(c: &Client, n: usize) -> Vec<i64> {
    let p = c.profile_id("Private").await;
    let mut out = Vec::new();
    for i in 0..n {
        out.push(id(&c.item(p, &format!("i{i}")).await));
    }
    out
}

async fn get(c: &Client, item: i64) -> Value {
    expect(c.get(&format!("/items/{item}")).await, 200)
}

async fn bulk(c: &Client, body: Value) -> i64 {
    let r = expect(c.post("/items/bulk", body).await, 200);
    r["updated"]
        .as_i64()
        .unwrap_or_else(|| panic!("no `updated` in {r}"))
}

both_backends!(
    fn bulk_status_tags_folder_favorite(app) {
        let c = app.signup("alice@example.com").await;
        let ids = items(&c, 4).await;
        let (a, b, rest) = (ids[0], ids[1], &ids[2..]);
        let t1 = id(&c.create_tag("one", "#111111").await);
        let t2 = id(&c.create_tag("two", "#222222").await);
        let p = c.profile_id("Private").await;
        let folder = id(&c.create_folder(p, None, "Bulk").await);

        let n = bulk(&c, json!({"ids": [a, b], "action": "set_status", "status": "done"})).await;
        assert_eq!(n, 2);
        assert_eq!(get(&c, a).await["status"], "done");
        assert_eq!(get(&c, b).await["status"], "done");
        for r in rest {
            assert_eq!(get(&c, *r).await["status"], "undecided", "untouched");
        }

        let n = bulk(&c, json!({"ids": ids, "action": "add_tags", "tag_ids": [t1, t2]})).await;
        assert_eq!(n, 4);
        for i in &ids {
            let tags = get(&c, *i).await["tags"].as_array().unwrap().clone();
            assert_eq!(sorted(&crate::common::ids(&tags)), sorted(&[t1, t2]));
        }
        // Adding a tag an item already has is harmless.
        bulk(&c, json!({"ids": [a], "action": "add_tags", "tag_ids": [t1]})).await;
        assert_eq!(get(&c, a).await["tags"].as_array().unwrap().len(), 2);

        let n = bulk(&c, json!({"ids": [a, b], "action": "remove_tags", "tag_ids": [t1]})).await;
        assert_eq!(n, 2);
        assert_eq!(crate::common::ids(get(&c, a).await["tags"].as_array().unwrap()), vec![t2]);
        assert_eq!(get(&c, ids[2]).await["tags"].as_array().unwrap().len(), 2);
        assert_eq!(sorted(&c.titles(&format!("tag_id={t1}")).await), ["i2", "i3"]);

        let n = bulk(&c, json!({"ids": [a, b, ids[2]], "action": "move", "folder_id": folder})).await;
        assert_eq!(n, 3);
        assert_eq!(sorted(&c.titles(&format!("folder_id={folder}")).await), ["i0", "i1", "i2"]);
        bulk(&c, json!({"ids": [b], "action": "move", "folder_id": null})).await;
        assert!(get(&c, b).await["folder_id"].is_null());

        let n = bulk(&c, json!({"ids": [a, ids[3]], "action": "favorite"})).await;
        assert_eq!(n, 2);
        assert_eq!(sorted(&c.titles("favorite=true").await), ["i0", "i3"]);
        bulk(&c, json!({"ids": [a], "action": "unfavorite"})).await;
        assert_eq!(c.titles("favorite=true").await, ["i3"]);
    }
);

both_backends!(
    fn bulk_archive_trash_restore_purge(app) {
        let c = app.signup("alice@example.com").await;
        let ids = items(&c, 5).await;
        expect(
            c.patch(&format!("/items/{}", ids[0]), json!({"status": "in_progress"})).await,
            200,
        );

        assert_eq!(bulk(&c, json!({"ids": [ids[0], ids[1]], "action": "archive"})).await, 2);
        assert_eq!(sorted(&c.titles("archived=true").await), ["i0", "i1"]);
        assert_eq!(get(&c, ids[0]).await["status"], "in_progress");
        assert_eq!(bulk(&c, json!({"ids": [ids[1]], "action": "unarchive"})).await, 1);
        assert_eq!(c.titles("archived=true").await, ["i0"]);

        assert_eq!(bulk(&c, json!({"ids": [ids[2], ids[3]], "action": "trash"})).await, 2);
        assert_eq!(sorted(&c.titles("trashed=true").await), ["i2", "i3"]);
        assert_eq!(sorted(&c.titles("").await), ["i1", "i4"]);
        assert_eq!(bulk(&c, json!({"ids": [ids[2]], "action": "restore"})).await, 1);
        assert_eq!(c.titles("trashed=true").await, ["i3"]);
        assert_eq!(get(&c, ids[2]).await["status"], "undecided");

        assert_eq!(bulk(&c, json!({"ids": [ids[3], ids[4]], "action": "purge"})).await, 2);
        for gone in [ids[3], ids[4]] {
            assert_error(&c.get(&format!("/items/{gone}")).await, 404, "not_found");
        }
        assert_eq!(sorted(&c.titles("archived=any").await), ["i0", "i1", "i2"]);
    }
);

both_backends!(
    fn bulk_rejects_bad_requests_and_changes_nothing(app) {
        let c = app.signup("alice@example.com").await;
        let ids = items(&c, 2).await;

        // An unknown id among known ones: 404 and no partial update.
        let r = c
            .post("/items/bulk", json!({"ids": [ids[0], 999999], "action": "set_status", "status": "done"}))
            .await;
        assert_error(&r, 404, "not_found");
        assert_eq!(get(&c, ids[0]).await["status"], "undecided");
        let r = c.post("/items/bulk", json!({"ids": [ids[0], 999999], "action": "purge"})).await;
        assert_error(&r, 404, "not_found");
        expect(c.get(&format!("/items/{}", ids[0])).await, 200);

        assert_error(
            &c.post("/items/bulk", json!({"ids": ids, "action": "explode"})).await,
            422,
            "validation_failed",
        );
        assert_error(
            &c.post("/items/bulk", json!({"ids": ids, "action": "set_status", "status": "nope"})).await,
            422,
            "validation_failed",
        );
        assert_error(
            &c.post("/items/bulk", json!({"ids": ids, "action": "set_status"})).await,
            422,
            "validation_failed",
        );
        assert_error_any(
            &c.post("/items/bulk", json!({"ids": ids, "action": "add_tags", "tag_ids": [999999]})).await,
            &[404, 422],
        );
        let too_many: Vec<i64> = (1..=501).collect();
        assert_invalid_field(
            &c.post("/items/bulk", json!({"ids": too_many, "action": "favorite"})).await,
            "ids",
        );
        assert_error(
            &c.post("/items/bulk", json!({"ids": "all", "action": "favorite"})).await,
            422,
            "validation_failed",
        );
        assert!(c.titles("favorite=true").await.is_empty());
        assert_eq!(c.titles("").await.len(), 2);
    }
);

both_backends!(
    fn trash_view_and_empty_trash(app) {
        let c = app.signup("alice@example.com").await;
        let ids = items(&c, 4).await;
        let b = c.profile_id("Business").await;
        let other = id(&c.item(b, "business trash").await);
        for i in [ids[0], ids[1], other] {
            expect(c.post_empty(&format!("/items/{i}/trash")).await, 200);
        }
        expect(c.post_empty(&format!("/items/{}/archive", ids[2])).await, 200);

        let trash = c.list("trashed=true").await;
        assert_eq!(sorted(&titles(&trash)), ["business trash", "i0", "i1"]);
        assert!(trash.iter().all(|i| i["trashed_at"].is_string()));
        assert_eq!(
            c.titles(&format!("trashed=true&profile_id={b}")).await,
            ["business trash"]
        );

        let r = expect(c.post_empty("/trash/empty").await, 200);
        assert_eq!(r["purged"], 3);
        assert!(c.list("trashed=true").await.is_empty());
        for gone in [ids[0], ids[1], other] {
            assert_error(&c.get(&format!("/items/{gone}")).await, 404, "not_found");
        }
        assert_eq!(sorted(&c.titles("archived=any").await), ["i2", "i3"]);
        let r = expect(c.post_empty("/trash/empty").await, 200);
        assert_eq!(r["purged"], 0);
    }
);
