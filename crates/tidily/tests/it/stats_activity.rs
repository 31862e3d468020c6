//! Dashboard statistics and the append-only activity log.

use crate::common::*;

fn count(v: &Value, key: &str) -> i64 {
    v.get(key).and_then(Value::as_i64).unwrap_or(0)
}

/// The `count` of the entry named `name` in a `by_category` / `by_tag` array (0 if absent).
fn named_count(list: &Value, name: &str) -> i64 {
    list.as_array()
        .unwrap_or_else(|| panic!("not an array: {list}"))
        .iter()
        .find(|e| e["name"] == name)
        .map(|e| e["count"].as_i64().unwrap())
        .unwrap_or(0)
}

both_backends!(
    fn stats_count_active_items(app) {
        let c = app.signup("alice@example.com").await;
        let p = c.profile_id("Private").await;
        let b = c.profile_id("Business").await;
        let c1 = id(&c.create_category("c-one", "#111111").await);
        c.create_category("c-empty", "#999999").await;
        let t1 = id(&c.create_tag("t-one", "#222222").await);
        let t2 = id(&c.create_tag("t-two", "#333333").await);
        let now = chrono::Utc::now();
        let soon = (now + chrono::Duration::hours(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let soon_end = (now + chrono::Duration::hours(2)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        for body in [
            json!({"title": "A", "status": "not_started", "kind": "reading_list", "priority": "high",
                   "category_id": c1, "tag_ids": [t1], "favorite": true}),
            json!({"title": "B", "status": "done", "kind": "reading_list", "priority": "low",
                   "category_id": c1, "tag_ids": [t1, t2]}),
            json!({"title": "C", "status": "in_progress", "priority": "mid", "tag_ids": [t2],
                   "schedule_start": "2020-01-01T00:00:00Z", "schedule_end": "2020-01-02T00:00:00Z"}),
            json!({"title": "D", "status": "undecided", "priority": "mid",
                   "schedule_start": soon, "schedule_end": soon_end}),
        ] {
            let mut body = body;
            body["profile_id"] = json!(p);
            c.create_item(body).await;
        }
        let archived = c
            .create_item(json!({"profile_id": p, "title": "E", "status": "done", "category_id": c1,
                                "tag_ids": [t1], "favorite": true}))
            .await;
        expect(c.post_empty(&format!("/items/{}/archive", id(&archived))).await, 200);
        let trashed = c
            .create_item(json!({"profile_id": p, "title": "F", "kind": "reading_list", "tag_ids": [t1]}))
            .await;
        expect(c.post_empty(&format!("/items/{}/trash", id(&trashed))).await, 200);
        c.create_item(json!({"profile_id": b, "title": "G", "status": "on_hold", "priority": "high"}))
            .await;

        let all = expect(c.get("/stats").await, 200);
        let s = &all["by_status"];
        assert_eq!(
            [
                count(s, "undecided"), count(s, "not_started"), count(s, "in_progress"),
                count(s, "on_hold"), count(s, "done"),
            ],
            [1, 1, 1, 1, 1],
            "{all}"
        );
        assert_eq!(count(&all["by_kind"], "bookmark"), 3, "{all}");
        assert_eq!(count(&all["by_kind"], "reading_list"), 2, "{all}");
        assert_eq!(count(&all["by_priority"], "high"), 2, "{all}");
        assert_eq!(count(&all["by_priority"], "mid"), 2, "{all}");
        assert_eq!(count(&all["by_priority"], "low"), 1, "{all}");
        assert_eq!(named_count(&all["by_category"], "c-one"), 2, "{all}");
        assert_eq!(named_count(&all["by_category"], "c-empty"), 0, "{all}");
        assert_eq!(named_count(&all["by_tag"], "t-one"), 2, "{all}");
        assert_eq!(named_count(&all["by_tag"], "t-two"), 2, "{all}");
        let cat = all["by_category"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == "c-one")
            .unwrap();
        assert_eq!(cat["id"], c1);
        assert_eq!(cat["color"], "#111111");
        assert_eq!(all["favorites"], 1, "{all}");
        assert_eq!(all["archived"], 1, "{all}");
        assert_eq!(all["trashed"], 1, "{all}");
        assert_eq!(all["overdue"], 1, "{all}");
        assert_eq!(all["due_soon"], 1, "{all}");
        assert_eq!(all["unread_reading_list"], 1, "{all}");

        let business = expect(c.get(&format!("/stats?profile_id={b}")).await, 200);
        assert_eq!(count(&business["by_status"], "on_hold"), 1);
        assert_eq!(count(&business["by_status"], "done"), 0);
        assert_eq!(count(&business["by_priority"], "high"), 1);
        assert_eq!(named_count(&business["by_tag"], "t-one"), 0);
        assert_eq!(business["favorites"], 0);
        assert_eq!(business["archived"], 0);
        assert_eq!(business["trashed"], 0);
        assert_eq!(business["overdue"], 0);

        let private = expect(c.get(&format!("/stats?profile_id={p}")).await, 200);
        assert_eq!(count(&private["by_status"], "on_hold"), 0);
        assert_eq!(count(&private["by_kind"], "bookmark"), 2);
        assert_eq!(private["trashed"], 1);

        // An account with nothing has zeros, not errors.
        let empty = app.signup("empty@example.com").await;
        let s = expect(empty.get("/stats").await, 200);
        assert_eq!(count(&s["by_status"], "not_started"), 0);
        assert_eq!(s["favorites"], 0);
        assert_eq!(named_count(&s["by_tag"], "t-one"), 0);
    }
);

both_backends!(
    fn activity_log_records_item_changes(app) {
        let c = app.signup("alice@example.com").await;
        let p = c.profile_id("Private").await;
        let item = c.item(p, "tracked").await;
        let other = c.item(p, "other").await;
        let path = format!("/items/{}", id(&item));
        expect(c.patch(&path, json!({"status": "done"})).await, 200);
        expect(c.post_empty(&format!("{path}/trash")).await, 200);
        expect(c.post_empty(&format!("{path}/restore")).await, 200);

        let log = expect(c.get(&format!("/activity?item_id={}", id(&item))).await, 200);
        let log = log.as_array().expect("activity array");
        assert!(log.len() >= 4, "create, update, trash, restore: {log:?}");
        for e in log {
            assert_eq!(e["item_id"], item["id"], "{e}");
            for key in ["id", "entity", "entity_id", "action", "detail", "created_at"] {
                assert!(e.get(key).is_some(), "activity entry lacks {key}: {e}");
            }
            assert!(e["action"].as_str().is_some_and(|a| !a.is_empty()));
        }
        let entry_ids = ids(log);
        let mut newest_first = entry_ids.clone();
        newest_first.sort_by(|a, b| b.cmp(a));
        assert_eq!(entry_ids, newest_first, "newest first");
        let actions: Vec<&str> = log.iter().map(|e| e["action"].as_str().unwrap()).collect();
        let mut distinct = actions.clone();
        distinct.sort();
        distinct.dedup();
        assert!(distinct.len() >= 3, "actions should tell changes apart: {actions:?}");

        let limited = expect(c.get(&format!("/activity?item_id={}&limit=2", id(&item))).await, 200);
        assert_eq!(ids(limited.as_array().unwrap()), entry_ids[..2].to_vec());

        let everything = expect(c.get("/activity").await, 200);
        let everything = everything.as_array().unwrap();
        assert!(everything.iter().any(|e| e["item_id"] == other["id"]));
        assert!(everything.iter().any(|e| e["item_id"] == item["id"]));

        // The log is append-only: purging the item keeps its history.
        assert_eq!(c.delete(&path).await.0, 204);
        let after = expect(c.get("/activity?limit=200").await, 200);
        let after = after.as_array().unwrap();
        assert!(after.len() >= everything.len(), "entries were removed");
        assert!(after.iter().any(|e| e["entity_id"] == item["id"] || e["item_id"] == item["id"]));

        assert_error_any(&c.get("/activity?limit=abc").await, &[400, 422]);
    }
);
