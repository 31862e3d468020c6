//! Items: create with defaults and with every field, read, patch (including `null` clearing),
//! validation, purge, archive/trash keeping the status, manual move.

use crate::common::*;

/// Compares two RFC 3339 timestamps as instants (`...Z` and `...+00:00` are equal).
#[track_caller]
fn same_instant(actual: &Value, expected: &str) {
    let a = actual
        .as_str()
        .unwrap_or_else(|| panic!("not a timestamp: {actual}"));
    let a = chrono::DateTime::parse_from_rfc3339(a).expect("RFC 3339");
    let e = chrono::DateTime::parse_from_rfc3339(expected).unwrap();
    assert_eq!(a, e);
}

both_backends!(
    fn create_with_defaults(app) {
        let alice = app.signup("alice@example.com").await;
        let p = alice.profile_id("Private").await;
        let item = alice.item(p, "Just a title").await;
        assert_eq!(item["title"], "Just a title");
        assert_eq!(item["profile_id"], p);
        assert_eq!(item["kind"], "bookmark");
        assert_eq!(item["status"], "undecided", "bookmarks start undecided");
        assert_eq!(item["priority"], "mid");
        assert_eq!(item["favorite"], false);
        for key in [
            "folder_id", "category_id", "url", "memo", "schedule_start", "schedule_end",
            "reminder_at", "archived_at", "trashed_at",
        ] {
            assert!(item.get(key).is_some(), "item lacks {key}: {item}");
        }
        for key in ["folder_id", "category_id", "schedule_start", "archived_at", "trashed_at"] {
            assert!(item[key].is_null(), "{key} should be null: {item}");
        }
        assert_eq!(item["tags"], json!([]));
        assert!(item["position"].as_str().is_some_and(|p| !p.is_empty()));
        for key in ["created_at", "updated_at"] {
            let ts = item[key].as_str().unwrap();
            chrono::DateTime::parse_from_rfc3339(ts).expect("RFC 3339 timestamp");
        }
        let got = expect(alice.get(&format!("/items/{}", id(&item))).await, 200);
        assert_eq!(got, item);
        let reading = alice
            .create_item(json!({"profile_id": p, "title": "To read", "kind": "reading_list"}))
            .await;
        assert_eq!(reading["kind"], "reading_list");
        assert_eq!(reading["status"], "not_started", "reading-list entries start unread");
    }
);

both_backends!(
    fn create_with_every_field_and_patch(app) {
        let alice = app.signup("alice@example.com").await;
        let p = alice.profile_id("Learning").await;
        let folder = alice.create_folder(p, None, "Docs").await;
        let cat = alice.create_category("Reference", "#0000ff").await;
        let t1 = alice.create_tag("rust", "#d97706").await;
        let t2 = alice.create_tag("async", "#10b981").await;
        let item = alice
            .create_item(json!({
                "profile_id": p, "title": "The Rust Book", "kind": "reading_list",
                "url": "https://doc.rust-lang.org/book/?x=1&y=2#ch01",
                "memo": "line one\nline two", "folder_id": id(&folder),
                "category_id": id(&cat), "tag_ids": [id(&t1), id(&t2)],
                "status": "in_progress", "priority": "high",
                "schedule_start": "2026-12-01T09:00:00Z", "schedule_end": "2026-12-01T10:30:00Z",
                "reminder_at": "2026-11-30T21:00:00Z", "favorite": true
            }))
            .await;
        assert_eq!(item["kind"], "reading_list");
        assert_eq!(item["url"], "https://doc.rust-lang.org/book/?x=1&y=2#ch01");
        assert_eq!(item["memo"], "line one\nline two");
        assert_eq!(item["folder_id"], folder["id"]);
        assert_eq!(item["category_id"], cat["id"]);
        assert_eq!(item["status"], "in_progress");
        assert_eq!(item["priority"], "high");
        assert_eq!(item["favorite"], true);
        same_instant(&item["schedule_start"], "2026-12-01T09:00:00Z");
        same_instant(&item["schedule_end"], "2026-12-01T10:30:00Z");
        same_instant(&item["reminder_at"], "2026-11-30T21:00:00Z");
        let tags = item["tags"].as_array().unwrap();
        assert_eq!(sorted(&ids(tags)), sorted(&[id(&t1), id(&t2)]));
        let rust = tags.iter().find(|t| t["id"] == t1["id"]).unwrap();
        assert_eq!(rust["name"], "rust");
        assert_eq!(rust["color"], "#d97706");

        let path = format!("/items/{}", id(&item));
        let patched = expect(
            alice
                .patch(
                    &path,
                    json!({"title": "The Book", "status": "done", "priority": "low",
                           "kind": "bookmark", "tag_ids": [id(&t2)], "favorite": false}),
                )
                .await,
            200,
        );
        assert_eq!(patched["title"], "The Book");
        assert_eq!(patched["status"], "done");
        assert_eq!(patched["priority"], "low");
        assert_eq!(patched["kind"], "bookmark");
        assert_eq!(patched["favorite"], false);
        assert_eq!(ids(patched["tags"].as_array().unwrap()), vec![id(&t2)]);
        assert_eq!(patched["url"], item["url"], "absent fields are untouched");
        assert_eq!(patched["memo"], item["memo"]);

        // null clears optional fields.
        let cleared = expect(
            alice
                .patch(
                    &path,
                    json!({"url": null, "memo": null, "folder_id": null, "category_id": null,
                           "schedule_start": null, "schedule_end": null, "reminder_at": null,
                           "tag_ids": []}),
                )
                .await,
            200,
        );
        for key in [
            "url", "folder_id", "category_id", "schedule_start", "schedule_end", "reminder_at",
        ] {
            assert!(cleared[key].is_null(), "{key} not cleared: {cleared}");
        }
        assert!(
            cleared["memo"].is_null() || cleared["memo"] == "",
            "memo not cleared: {cleared}"
        );
        assert_eq!(cleared["tags"], json!([]));
        assert_eq!(cleared["title"], "The Book");
        let got = expect(alice.get(&path).await, 200);
        assert_eq!(got, cleared);

        // Moving an item to another profile's folder is refused.
        let other = alice.profile_id("Private").await;
        let foreign_folder = alice.create_folder(other, None, "Other").await;
        let r = alice.patch(&path, json!({"folder_id": id(&foreign_folder)})).await;
        assert_error_any(&r, &[404, 409, 422]);
    }
);

both_backends!(
    fn item_validation(app) {
        let alice = app.signup("alice@example.com").await;
        let p = alice.profile_id("Private").await;
        let cases: Vec<(Value, &str)> = vec![
            (json!({"profile_id": p, "title": ""}), "title"),
            (json!({"profile_id": p, "title": "t".repeat(501)}), "title"),
            (json!({"profile_id": p}), "title"),
            (json!({"profile_id": p, "title": 42}), "title"),
            (json!({"profile_id": p, "title": "x", "url": "ftp://example.com/file"}), "url"),
            (json!({"profile_id": p, "title": "x", "url": "javascript:alert(1)"}), "url"),
            (json!({"profile_id": p, "title": "x", "url": "not a url"}), "url"),
            (
                json!({"profile_id": p, "title": "x",
                       "url": format!("https://example.com/{}", "a".repeat(2030))}),
                "url",
            ),
            (json!({"profile_id": p, "title": "x", "memo": "m".repeat(20_001)}), "memo"),
            (json!({"profile_id": p, "title": "x", "status": "finished"}), "status"),
            (json!({"profile_id": p, "title": "x", "priority": "urgent"}), "priority"),
            (json!({"profile_id": p, "title": "x", "kind": "note"}), "kind"),
            (json!({"profile_id": p, "title": "x", "favorite": "yes"}), "favorite"),
            (json!({"profile_id": p, "title": "x", "schedule_start": "tomorrow"}), "schedule_start"),
            (
                json!({"profile_id": p, "title": "x", "schedule_start": "2026-12-02T00:00:00Z",
                       "schedule_end": "2026-12-01T00:00:00Z"}),
                "schedule_end",
            ),
        ];
        for (body, field) in cases {
            let r = alice.post("/items", body.clone()).await;
            assert!(r.0 == 422, "{body} -> {} {}", r.0, r.1);
            assert_invalid_field(&r, field);
        }
        // Nothing was created by the refused requests.
        assert!(alice.list("archived=any").await.is_empty());

        // Limits are inclusive.
        let max_title = alice.item(p, &"t".repeat(500)).await;
        assert_eq!(max_title["title"].as_str().unwrap().len(), 500);
        let url = format!("https://example.com/{}", "a".repeat(2048 - 20));
        assert_eq!(url.len(), 2048);
        let long_url = alice.create_item(json!({"profile_id": p, "title": "u", "url": url})).await;
        assert_eq!(long_url["url"], url);
        let memo = "ü".repeat(20_000);
        let long_memo = alice.create_item(json!({"profile_id": p, "title": "m", "memo": memo})).await;
        assert_eq!(long_memo["memo"], memo);

        // PATCH is validated too, and an invalid PATCH changes nothing.
        let path = format!("/items/{}", id(&long_url));
        // An empty title is refused where there is no URL to stand in for it…
        let no_url = format!("/items/{}", id(&long_memo));
        assert_invalid_field(&alice.patch(&no_url, json!({"title": ""})).await, "title");
        // …and becomes the URL (cut to the title's limit) where there is one.
        let untitled = expect(alice.patch(&path, json!({"title": " "})).await, 200);
        assert_eq!(untitled["title"].as_str(), Some(&url[..500]));
        expect(alice.patch(&path, json!({"title": "u"})).await, 200);
        // `title` is required: `null` is refused or ignored, never stored.
        let r = alice.patch(&path, json!({"title": null})).await;
        assert!(r.0 == 422 || (r.0 == 200 && r.1["title"] == "u"), "{} {}", r.0, r.1);
        assert_invalid_field(&alice.patch(&path, json!({"status": "nope"})).await, "status");
        assert_invalid_field(
            &alice
                .patch(
                    &path,
                    json!({"schedule_start": "2026-12-02T00:00:00Z",
                           "schedule_end": "2026-12-01T00:00:00Z"}),
                )
                .await,
            "schedule_end",
        );
        let got = expect(alice.get(&path).await, 200);
        assert_eq!(got["title"], "u");
        assert_eq!(got["status"], "undecided");

        // References that do not exist.
        assert_error_any(
            &alice.post("/items", json!({"profile_id": 999999, "title": "x"})).await,
            &[404, 422],
        );
        assert_error_any(
            &alice
                .post("/items", json!({"profile_id": p, "title": "x", "tag_ids": [999999]}))
                .await,
            &[404, 422],
        );
        assert_error_any(
            &alice
                .post("/items", json!({"profile_id": p, "title": "x", "category_id": 999999}))
                .await,
            &[404, 422],
        );
    }
);

both_backends!(
    fn delete_purges_for_good(app) {
        let alice = app.signup("alice@example.com").await;
        let p = alice.profile_id("Private").await;
        let item = alice.item(p, "doomed").await;
        let keep = alice.item(p, "kept").await;
        let path = format!("/items/{}", id(&item));
        let r = alice.delete(&path).await;
        assert_eq!(r.0, 204, "{}", r.1);
        assert_error(&alice.get(&path).await, 404, "not_found");
        assert_error(&alice.patch(&path, json!({"title": "x"})).await, 404, "not_found");
        assert_error(&alice.delete(&path).await, 404, "not_found");
        assert_eq!(alice.titles("archived=any").await, ["kept"]);
        assert!(alice.list("trashed=true").await.is_empty());
        expect(alice.get(&format!("/items/{}", id(&keep))).await, 200);
    }
);

both_backends!(
    fn archive_and_trash_keep_the_status(app) {
        let alice = app.signup("alice@example.com").await;
        let p = alice.profile_id("Private").await;
        let item = alice
            .create_item(json!({"profile_id": p, "title": "held", "status": "on_hold"}))
            .await;
        let other = alice.item(p, "other").await;
        let base = format!("/items/{}", id(&item));

        let archived = expect(alice.post_empty(&format!("{base}/archive")).await, 200);
        assert!(archived["archived_at"].is_string(), "{archived}");
        assert_eq!(archived["status"], "on_hold");
        assert_eq!(alice.titles("").await, ["other"]);
        assert_eq!(alice.titles("archived=true").await, ["held"]);
        assert_eq!(sorted(&alice.titles("archived=any").await), ["held", "other"]);

        let unarchived = expect(alice.post_empty(&format!("{base}/unarchive")).await, 200);
        assert!(unarchived["archived_at"].is_null());
        assert_eq!(unarchived["status"], "on_hold");
        assert_eq!(sorted(&alice.titles("").await), ["held", "other"]);

        let trashed = expect(alice.post_empty(&format!("{base}/trash")).await, 200);
        assert!(trashed["trashed_at"].is_string(), "{trashed}");
        assert_eq!(trashed["status"], "on_hold");
        assert_eq!(alice.titles("").await, ["other"]);
        assert_eq!(alice.titles("trashed=true").await, ["held"]);
        assert!(alice.titles("archived=true").await.is_empty());
        // A trashed item is still readable by id (the trash view opens it).
        let got = expect(alice.get(&base).await, 200);
        assert_eq!(got["status"], "on_hold");

        let restored = expect(alice.post_empty(&format!("{base}/restore")).await, 200);
        assert!(restored["trashed_at"].is_null());
        assert_eq!(restored["status"], "on_hold");
        assert_eq!(sorted(&alice.titles("").await), ["held", "other"]);
        assert!(alice.titles("trashed=true").await.is_empty());

        // Archived and then trashed: restore returns it to the archive.
        expect(alice.post_empty(&format!("{base}/archive")).await, 200);
        expect(alice.post_empty(&format!("{base}/trash")).await, 200);
        assert_eq!(alice.titles("trashed=true").await, ["held"]);
        let back = expect(alice.post_empty(&format!("{base}/restore")).await, 200);
        assert!(back["archived_at"].is_string(), "{back}");
        assert_eq!(alice.titles("archived=true").await, ["held"]);

        for action in ["archive", "unarchive", "trash", "restore"] {
            assert_error(
                &alice.post_empty(&format!("/items/999999/{action}")).await,
                404,
                "not_found",
            );
        }
        expect(alice.get(&format!("/items/{}", id(&other))).await, 200);
    }
);

both_backends!(
    fn manual_move_reorders_and_refiles(app) {
        let alice = app.signup("alice@example.com").await;
        let p = alice.profile_id("Private").await;
        let folder = alice.create_folder(p, None, "F").await;
        let fid = id(&folder);
        let mut made = Vec::new();
        for t in ["a", "b", "c", "d"] {
            made.push(
                alice
                    .create_item(json!({"profile_id": p, "title": t, "folder_id": fid}))
                    .await,
            );
        }
        let q = format!("folder_id={fid}&sort=manual");
        let initial = alice.titles(&q).await;
        assert_eq!(sorted(&initial), ["a", "b", "c", "d"]);

        // Place d before a: d is immediately before a, the others keep their relative order,
        // and no other row is written (position and updated_at unchanged).
        let others_before: Vec<Value> = alice
            .list(&q)
            .await
            .into_iter()
            .filter(|i| i["title"] != "d")
            .map(|i| json!([i["id"], i["position"], i["updated_at"]]))
            .collect();
        let moved = expect(
            alice
                .post(
                    &format!("/items/{}/move", id(&made[3])),
                    json!({"before_id": id(&made[0])}),
                )
                .await,
            200,
        );
        assert_eq!(moved["title"], "d");
        let others_after: Vec<Value> = alice
            .list(&q)
            .await
            .into_iter()
            .filter(|i| i["title"] != "d")
            .map(|i| json!([i["id"], i["position"], i["updated_at"]]))
            .collect();
        let mut a = others_before.clone();
        let mut b = others_after.clone();
        a.sort_by_key(|v| v[0].as_i64());
        b.sort_by_key(|v| v[0].as_i64());
        assert_eq!(a, b, "a move wrote other rows");
        let order = alice.titles(&q).await;
        let pos = |t: &str| order.iter().position(|x| x == t).unwrap();
        assert_eq!(pos("d") + 1, pos("a"), "{order:?}");
        let rest: Vec<&String> = order.iter().filter(|t| *t != "d").collect();
        let initial_rest: Vec<&String> = initial.iter().filter(|t| *t != "d").collect();
        assert_eq!(rest, initial_rest);

        // Place a after c.
        expect(
            alice
                .post(
                    &format!("/items/{}/move", id(&made[0])),
                    json!({"after_id": id(&made[2])}),
                )
                .await,
            200,
        );
        let order = alice.titles(&q).await;
        let pos = |t: &str| order.iter().position(|x| x == t).unwrap();
        assert_eq!(pos("c") + 1, pos("a"), "{order:?}");

        // Between two neighbours, many times: positions never collide.
        for _ in 0..12 {
            let order = alice.list(&q).await;
            let first = id(&order[0]);
            let second = id(&order[1]);
            let last = id(order.last().unwrap());
            expect(
                alice
                    .post(
                        &format!("/items/{last}/move"),
                        json!({"after_id": first, "before_id": second}),
                    )
                    .await,
                200,
            );
            let order = alice.list(&q).await;
            assert_eq!(ids(&order)[1], last);
            let positions: Vec<&str> =
                order.iter().map(|i| i["position"].as_str().unwrap()).collect();
            let mut uniq = positions.clone();
            uniq.dedup();
            assert_eq!(uniq.len(), positions.len(), "duplicate positions {positions:?}");
        }

        // Re-file into no folder.
        let refiled = expect(
            alice
                .post(&format!("/items/{}/move", id(&made[1])), json!({"folder_id": null}))
                .await,
            200,
        );
        assert!(refiled["folder_id"].is_null());
        assert_eq!(alice.titles("no_folder=true").await, ["b"]);
        assert_eq!(alice.list(&q).await.len(), 3);

        assert_error(
            &alice.post("/items/999999/move", json!({"folder_id": null})).await,
            404,
            "not_found",
        );
        assert_error_any(
            &alice
                .post(&format!("/items/{}/move", id(&made[1])), json!({"before_id": 999999}))
                .await,
            &[404, 422],
        );
    }
);

both_backends!(
    fn an_item_moves_to_another_profile(app) {
        let alice = app.signup("alice@example.com").await;
        let private = alice.profile_id("Private").await;
        let business = alice.profile_id("Business").await;
        let folder = alice.create_folder(private, None, "F").await;
        let target = alice.create_folder(business, None, "T").await;
        let item = alice
            .create_item(json!({"profile_id": private, "title": "moving", "folder_id": id(&folder)}))
            .await;
        let path = format!("/items/{}", id(&item));

        // Into another profile: the old folder cannot follow.
        let moved = expect(alice.patch(&path, json!({"profile_id": business})).await, 200);
        assert_eq!(moved["profile_id"], business);
        assert!(moved["folder_id"].is_null(), "{moved}");
        assert_eq!(alice.titles(&format!("profile_id={business}")).await, ["moving"]);
        assert!(alice.titles(&format!("profile_id={private}")).await.is_empty());

        // Profile and a folder of that profile together.
        let back = expect(
            alice
                .patch(&path, json!({"profile_id": private, "folder_id": id(&folder)}))
                .await,
            200,
        );
        assert_eq!(back["folder_id"], folder["id"]);
        // A folder of another profile than the item's is refused.
        assert_error_any(
            &alice.patch(&path, json!({"folder_id": id(&target)})).await,
            &[404, 409, 422],
        );
        let got = expect(alice.get(&path).await, 200);
        assert_eq!(got["profile_id"], private);
        assert_eq!(got["folder_id"], folder["id"]);
    }
);
