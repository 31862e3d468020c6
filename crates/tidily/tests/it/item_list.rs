//! The item list: every filter (membership asserted exactly), every sort (order asserted),
//! cursor pagination walked to the end with each sort and order, and text search
//! (Japanese substrings, Latin case-insensitivity, memo and URL, LIKE metacharacters).

use std::collections::{HashMap, HashSet};

use crate::common::*;

/// The ids of the fixture that the filter scenario builds, by name.
struct Fixture {
    ids: HashMap<&'static str, i64>,
}

impl Fixture {
    fn id(&self, name: &str) -> i64 {
        self.ids[name]
    }
}

/// Five active items over two profiles, plus one archived and one trashed:
///
/// | title   | profile  | folder | tags    | category | status      | priority | kind         | fav | schedule              |
/// |---------|----------|--------|---------|----------|-------------|----------|--------------|-----|-----------------------|
/// | Alpha   | Private  | F1     | T1      | C1       | not_started | high     | bookmark     | yes | 12-01 09:00 - 10:00   |
/// | Bravo   | Private  | F1a    | T1, T2  | C1       | in_progress | mid      | reading_list | no  | 12-05 - 12-10         |
/// | Charlie | Private  | F2     | T2      | C2       | done        | low      | bookmark     | no  |                       |
/// | Delta   | Private  | -      | -       | -        | undecided   | high     | reading_list | yes |                       |
/// | Echo    | Business | -      | T1      | C2       | on_hold     | low      | bookmark     | no  | 11-20 - 11-21         |
/// | Foxtrot | Business | -      | -       | -        | done        | mid      | bookmark     | no  | (archived)            |
/// | Golf    | Private  | F1     | -       | -        | in_progress | mid      | bookmark     | no  | (trashed)             |
async fn fixture(c: &Client) -> Fixture {
    let p = c.profile_id("Private").await;
    let b = c.profile_id("Business").await;
    let f1 = id(&c.create_folder(p, None, "F1").await);
    let f1a = id(&c.create_folder(p, Some(f1), "F1a").await);
    let f2 = id(&c.create_folder(p, None, "F2").await);
    let t1 = id(&c.create_tag("t-one", "#111111").await);
    let t2 = id(&c.create_tag("t-two", "#222222").await);
    let c1 = id(&c.create_category("c-one", "#333333").await);
    let c2 = id(&c.create_category("c-two", "#444444").await);
    let mut ids = HashMap::from([
        ("P", p),
        ("B", b),
        ("F1", f1),
        ("F1a", f1a),
        ("F2", f2),
        ("T1", t1),
        ("T2", t2),
        ("C1", c1),
        ("C2", c2),
    ]);
    let items = [
        (
            "Alpha",
            json!({"profile_id": p, "folder_id": f1, "tag_ids": [t1], "category_id": c1,
            "status": "not_started", "priority": "high", "kind": "bookmark", "favorite": true,
            "schedule_start": "2026-12-01T09:00:00Z", "schedule_end": "2026-12-01T10:00:00Z"}),
        ),
        (
            "Bravo",
            json!({"profile_id": p, "folder_id": f1a, "tag_ids": [t1, t2], "category_id": c1,
            "status": "in_progress", "priority": "mid", "kind": "reading_list",
            "schedule_start": "2026-12-05T00:00:00Z", "schedule_end": "2026-12-10T00:00:00Z"}),
        ),
        (
            "Charlie",
            json!({"profile_id": p, "folder_id": f2, "tag_ids": [t2], "category_id": c2,
            "status": "done", "priority": "low"}),
        ),
        (
            "Delta",
            json!({"profile_id": p, "status": "undecided", "priority": "high",
            "kind": "reading_list", "favorite": true, "url": "https://www.rust-lang.org/learn"}),
        ),
        (
            "Echo",
            json!({"profile_id": b, "tag_ids": [t1], "category_id": c2, "status": "on_hold",
            "priority": "low", "memo": "Written by a Rustacean",
            "schedule_start": "2026-11-20T00:00:00Z", "schedule_end": "2026-11-21T00:00:00Z"}),
        ),
        (
            "Foxtrot",
            json!({"profile_id": b, "status": "done", "priority": "mid"}),
        ),
        (
            "Golf",
            json!({"profile_id": p, "folder_id": f1, "status": "in_progress"}),
        ),
    ];
    for (title, mut body) in items {
        body["title"] = json!(title);
        let item = c.create_item(body).await;
        ids.insert(title, id(&item));
    }
    expect(
        c.post_empty(&format!("/items/{}/archive", ids["Foxtrot"]))
            .await,
        200,
    );
    expect(
        c.post_empty(&format!("/items/{}/trash", ids["Golf"])).await,
        200,
    );
    Fixture { ids }
}

both_backends!(
    fn every_filter_selects_exactly_its_items(app) {
        let c = app.signup("alice@example.com").await;
        let f = fixture(&c).await;
        let (p, b) = (f.id("P"), f.id("B"));
        let (f1, f2) = (f.id("F1"), f.id("F2"));
        let (t1, t2) = (f.id("T1"), f.id("T2"));
        let (c1, c2) = (f.id("C1"), f.id("C2"));
        let cases: Vec<(String, Vec<&str>)> = vec![
            (String::new(), vec!["Alpha", "Bravo", "Charlie", "Delta", "Echo"]),
            (format!("profile_id={p}"), vec!["Alpha", "Bravo", "Charlie", "Delta"]),
            (format!("profile_id={b}"), vec!["Echo"]),
            (format!("folder_id={f1}"), vec!["Alpha"]),
            (format!("folder_id={f1}&include_subfolders=true"), vec!["Alpha", "Bravo"]),
            (format!("folder_id={f1}&include_subfolders=false"), vec!["Alpha"]),
            (format!("folder_id={f2}"), vec!["Charlie"]),
            ("no_folder=true".into(), vec!["Delta", "Echo"]),
            (format!("profile_id={p}&no_folder=true"), vec!["Delta"]),
            (format!("tag_id={t1}"), vec!["Alpha", "Bravo", "Echo"]),
            (format!("tag_id={t2}"), vec!["Bravo", "Charlie"]),
            (format!("tag_id={t1}&tag_id={t2}"), vec!["Bravo"]),
            (format!("category_id={c1}"), vec!["Alpha", "Bravo"]),
            (format!("category_id={c2}"), vec!["Charlie", "Echo"]),
            ("status=done".into(), vec!["Charlie"]),
            ("status=not_started&status=undecided".into(), vec!["Alpha", "Delta"]),
            ("status=on_hold".into(), vec!["Echo"]),
            ("status=in_progress".into(), vec!["Bravo"]),
            ("priority=high".into(), vec!["Alpha", "Delta"]),
            ("priority=low&priority=mid".into(), vec!["Bravo", "Charlie", "Echo"]),
            ("kind=reading_list".into(), vec!["Bravo", "Delta"]),
            ("kind=bookmark".into(), vec!["Alpha", "Charlie", "Echo"]),
            ("favorite=true".into(), vec!["Alpha", "Delta"]),
            ("favorite=false".into(), vec!["Bravo", "Charlie", "Echo"]),
            ("archived=false".into(), vec!["Alpha", "Bravo", "Charlie", "Delta", "Echo"]),
            ("archived=true".into(), vec!["Foxtrot"]),
            ("archived=any".into(), vec!["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"]),
            ("trashed=true".into(), vec!["Golf"]),
            ("trashed=false".into(), vec!["Alpha", "Bravo", "Charlie", "Delta", "Echo"]),
            (
                "scheduled_from=2026-12-01T09:30:00Z&scheduled_to=2026-12-06T00:00:00Z".into(),
                vec!["Alpha", "Bravo"],
            ),
            (
                "scheduled_from=2026-12-02T00:00:00Z&scheduled_to=2026-12-04T00:00:00Z".into(),
                vec![],
            ),
            ("scheduled_from=2026-12-07T00:00:00Z".into(), vec!["Bravo"]),
            ("scheduled_to=2026-11-30T00:00:00Z".into(), vec!["Echo"]),
            (
                "scheduled_from=2026-11-01T00:00:00Z&scheduled_to=2027-01-01T00:00:00Z".into(),
                vec!["Alpha", "Bravo", "Echo"],
            ),
            ("q=rust".into(), vec!["Delta", "Echo"]),
            (format!("profile_id={p}&tag_id={t1}&status=in_progress"), vec!["Bravo"]),
            (format!("profile_id={b}&archived=any"), vec!["Echo", "Foxtrot"]),
            (format!("profile_id={p}&trashed=true"), vec!["Golf"]),
            (format!("profile_id={b}&trashed=true"), vec![]),
            (format!("tag_id={t2}&favorite=true"), vec![]),
        ];
        for (query, expected) in cases {
            let got = c.titles(&query).await;
            assert_eq!(sorted(&got), expected, "GET /items?{query}");
        }

        // Values the list does not understand are answered as bad input, never 500.
        for query in [
            "status=finished", "priority=urgent", "kind=note", "sort=random", "order=up",
            "archived=maybe", "favorite=perhaps", "limit=0", "limit=201", "limit=-1",
            "limit=abc", "profile_id=abc", "scheduled_from=yesterday", "cursor=%%%garbage",
        ] {
            let r = c.get(&format!("/items?{query}")).await;
            assert_error_any(&r, &[400, 422]);
        }
        // Someone else's or unknown profile / folder.
        let r = c.get("/items?profile_id=999999").await;
        assert!(
            r.0 == 404 || (r.0 == 200 && r.1["items"] == json!([])),
            "{} {}",
            r.0,
            r.1
        );
    }
);

/// Asserts `items` are ordered by their timestamp `key` (ties broken by id the same way).
fn check_time_order(items: &[Value], key: &str, desc: bool) {
    let keys: Vec<(chrono::DateTime<chrono::FixedOffset>, i64)> = items
        .iter()
        .map(|i| {
            (
                chrono::DateTime::parse_from_rfc3339(i[key].as_str().unwrap()).unwrap(),
                id(i),
            )
        })
        .collect();
    for w in keys.windows(2) {
        if desc {
            assert!(w[0] >= w[1], "not descending by {key}: {keys:?}");
        } else {
            assert!(w[0] <= w[1], "not ascending by {key}: {keys:?}");
        }
    }
}

fn rank(priority: &Value) -> u8 {
    match priority.as_str().unwrap() {
        "high" => 0,
        "mid" => 1,
        "low" => 2,
        other => panic!("priority {other}"),
    }
}

both_backends!(
    fn every_sort_orders_the_list(app) {
        let c = app.signup("alice@example.com").await;
        let f = fixture(&c).await;
        let active = ["Alpha", "Bravo", "Charlie", "Delta", "Echo"];

        // created: newest first by default.
        assert_eq!(c.titles("").await, ["Echo", "Delta", "Charlie", "Bravo", "Alpha"]);
        assert_eq!(c.titles("sort=created").await, ["Echo", "Delta", "Charlie", "Bravo", "Alpha"]);
        assert_eq!(
            c.titles("sort=created&order=asc").await,
            ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]
        );
        check_time_order(&c.list("sort=created").await, "created_at", true);

        // title: ascending by default.
        assert_eq!(c.titles("sort=title").await, active);
        assert_eq!(
            c.titles("sort=title&order=desc").await,
            ["Echo", "Delta", "Charlie", "Bravo", "Alpha"]
        );

        // priority: high before mid before low (ascending rank) by default.
        let by_priority = c.list("sort=priority").await;
        assert_eq!(sorted(&titles(&by_priority)), active);
        let ranks: Vec<u8> = by_priority.iter().map(|i| rank(&i["priority"])).collect();
        assert_eq!(ranks, [0, 0, 1, 2, 2], "{:?}", titles(&by_priority));
        let desc: Vec<u8> = c
            .list("sort=priority&order=desc")
            .await
            .iter()
            .map(|i| rank(&i["priority"]))
            .collect();
        assert_eq!(desc, [2, 2, 1, 0, 0]);

        // schedule: by schedule_start, ascending by default; every item listed.
        let by_schedule = titles(&c.list("sort=schedule").await);
        assert_eq!(sorted(&by_schedule), active);
        let scheduled: Vec<&String> = by_schedule
            .iter()
            .filter(|t| ["Alpha", "Bravo", "Echo"].contains(&t.as_str()))
            .collect();
        assert_eq!(scheduled, ["Echo", "Alpha", "Bravo"]);
        let by_schedule_desc = titles(&c.list("sort=schedule&order=desc").await);
        let scheduled: Vec<&String> = by_schedule_desc
            .iter()
            .filter(|t| ["Alpha", "Bravo", "Echo"].contains(&t.as_str()))
            .collect();
        assert_eq!(scheduled, ["Bravo", "Alpha", "Echo"]);

        // manual: every item, and a move puts Echo right before Alpha.
        let manual = c.titles("sort=manual").await;
        assert_eq!(sorted(&manual), active);
        // Manual order is kept per folder: re-file Charlie into F1, right before Alpha.
        let moved = expect(
            c.post(
                &format!("/items/{}/move", f.id("Charlie")),
                json!({"folder_id": f.id("F1"), "before_id": f.id("Alpha")}),
            )
            .await,
            200,
        );
        assert_eq!(moved["folder_id"], f.id("F1"));
        let manual = c.titles(&format!("sort=manual&folder_id={}", f.id("F1"))).await;
        assert_eq!(manual, ["Charlie", "Alpha"]);
        let manual = c.titles(&format!("sort=manual&folder_id={}&order=desc", f.id("F1"))).await;
        assert_eq!(manual, ["Alpha", "Charlie"]);

        // updated: newest change first. The wait makes the change's second differ from the
        // creation seconds even where timestamps are stored to the second.
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        expect(
            c.patch(&format!("/items/{}", f.id("Bravo")), json!({"memo": "touched"}))
                .await,
            200,
        );
        let by_updated = c.list("sort=updated").await;
        assert_eq!(titles(&by_updated)[0], "Bravo");
        check_time_order(&by_updated, "updated_at", true);
        let by_updated_asc = c.list("sort=updated&order=asc").await;
        assert_eq!(titles(&by_updated_asc).last().unwrap(), "Bravo");
        check_time_order(&by_updated_asc, "updated_at", false);
    }
);

both_backends!(
    fn cursor_pagination_walks_every_sort_without_gaps(app) {
        let c = app.signup("alice@example.com").await;
        let p = c.profile_id("Private").await;
        let priorities = ["high", "mid", "low"];
        for i in 0..23u32 {
            // Duplicate titles, priorities and schedules make ties the cursor must break.
            let title = if i % 5 == 0 { "Same title".to_string() } else { format!("Item {i:02}") };
            let mut body = json!({"profile_id": p, "title": title,
                                  "priority": priorities[(i % 3) as usize]});
            if i % 2 == 0 {
                let day = 1 + (i % 4);
                body["schedule_start"] = json!(format!("2026-12-{day:02}T08:00:00Z"));
            }
            c.create_item(body).await;
        }
        let first = c.list_page("").await;
        assert_eq!(first["items"].as_array().unwrap().len(), 23, "default limit is 50");
        assert!(first["next_cursor"].is_null());

        for sort in ["created", "updated", "title", "priority", "schedule", "manual"] {
            for order in ["asc", "desc"] {
                let query = format!("sort={sort}&order={order}");
                let whole = c.list(&query).await;
                assert_eq!(whole.len(), 23, "{query}");
                for limit in [1, 4, 7] {
                    let walked = c.walk_pages(&query, limit).await;
                    let walked_ids = ids(&walked);
                    let unique: HashSet<i64> = walked_ids.iter().copied().collect();
                    assert_eq!(unique.len(), walked_ids.len(), "duplicates with {query} limit {limit}");
                    assert_eq!(walked_ids, ids(&whole), "pages differ from one list: {query} limit {limit}");
                }
                if sort == "title" {
                    let t = titles(&whole);
                    let mut expected = t.clone();
                    expected.sort();
                    if order == "desc" {
                        expected.reverse();
                    }
                    assert_eq!(t, expected, "{query}");
                }
                if sort == "priority" {
                    let ranks: Vec<u8> = whole.iter().map(|i| rank(&i["priority"])).collect();
                    let mut expected = ranks.clone();
                    expected.sort();
                    if order == "desc" {
                        expected.reverse();
                    }
                    assert_eq!(ranks, expected, "{query}");
                }
                if sort == "created" {
                    check_time_order(&whole, "created_at", order == "desc");
                }
            }
        }

        // Keyset pagination: rows added while a client pages through neither repeat nor push
        // earlier rows out of the walk.
        let page1 = c.list_page("limit=5").await;
        let first_ids = ids(page1["items"].as_array().unwrap());
        c.item(p, "Newcomer").await;
        let mut walked = first_ids.clone();
        let mut cursor = page1["next_cursor"].as_str().map(str::to_string);
        while let Some(cur) = cursor {
            let page = c.list_page(&format!("limit=5&cursor={}", enc(&cur))).await;
            walked.extend(ids(page["items"].as_array().unwrap()));
            cursor = page["next_cursor"].as_str().map(str::to_string);
        }
        let unique: HashSet<i64> = walked.iter().copied().collect();
        assert_eq!(unique.len(), walked.len(), "a row repeated after an insert");
        assert_eq!(walked.len(), 23, "the newcomer sorts before the cursor, nothing is missed");
        let walked = c.walk_pages("sort=created", 50).await;
        assert_eq!(titles(&walked)[0], "Newcomer");
        let newcomer = id(&walked[0]);
        expect(c.delete(&format!("/items/{newcomer}")).await, 204);

        // Pagination with a filter.
        let walked = c.walk_pages("priority=high&sort=title", 2).await;
        assert_eq!(walked.len(), 8);
        assert!(walked.iter().all(|i| i["priority"] == "high"));
        // The exact page size and the last page.
        let page = c.list_page("limit=10").await;
        assert_eq!(page["items"].as_array().unwrap().len(), 10);
        let cursor = page["next_cursor"].as_str().expect("a next page").to_string();
        let page2 = c.list_page(&format!("limit=10&cursor={}", enc(&cursor))).await;
        assert_eq!(page2["items"].as_array().unwrap().len(), 10);
        let cursor = page2["next_cursor"].as_str().expect("a last page").to_string();
        let page3 = c.list_page(&format!("limit=10&cursor={}", enc(&cursor))).await;
        assert_eq!(page3["items"].as_array().unwrap().len(), 3);
        assert!(page3["next_cursor"].is_null());
        let page = c.list_page("limit=200").await;
        assert_eq!(page["items"].as_array().unwrap().len(), 23);
    }
);

both_backends!(
    fn text_search_japanese_latin_memo_url(app) {
        let c = app.signup("alice@example.com").await;
        let p = c.profile_id("Private").await;
        let b = c.profile_id("Business").await;
        for (title, extra) in [
            ("東京タワーの夜景", json!({})),
            ("Learning rust", json!({})),
            ("RUSTY nails", json!({"profile_id": b})),
            ("Memo holder", json!({"memo": "京都の紅葉\nand Crème brûlée"})),
            ("Link only", json!({"url": "https://example.org/Kyoto-Guide?lang=ja"})),
            ("100% pure", json!({})),
            ("1000 pure", json!({})),
            ("snake_case", json!({})),
            ("snakeXcase", json!({})),
            ("カタカナ ｶﾀｶﾅ ひらがな", json!({})),
        ] {
            let mut body = json!({"profile_id": p, "title": title});
            for (k, v) in extra.as_object().unwrap() {
                body[k] = v.clone();
            }
            c.create_item(body).await;
        }
        let cases: Vec<(&str, Vec<&str>)> = vec![
            ("東京", vec!["東京タワーの夜景"]),
            ("タワー", vec!["東京タワーの夜景"]),
            ("夜景", vec!["東京タワーの夜景"]),
            ("京", vec!["Memo holder", "東京タワーの夜景"]),
            ("紅葉", vec!["Memo holder"]),
            ("ひらがな", vec!["カタカナ ｶﾀｶﾅ ひらがな"]),
            ("rust", vec!["Learning rust", "RUSTY nails"]),
            ("RUST", vec!["Learning rust", "RUSTY nails"]),
            ("RuSt", vec!["Learning rust", "RUSTY nails"]),
            ("kyoto-guide", vec!["Link only"]),
            ("example.org", vec!["Link only"]),
            ("crème", vec!["Memo holder"]),
            // Words match from their beginning; punctuation is not searched.
            ("100%", vec!["100% pure", "1000 pure"]),
            ("snake_case", vec!["snake_case"]),
            ("snake", vec!["snakeXcase", "snake_case"]),
            ("_", vec![]),
            ("%", vec![]),
            ("pure", vec!["100% pure", "1000 pure"]),
            ("' OR 1=1 --", vec![]),
            // Quotes are not query syntax: this is the word "or" (which begins "org").
            ("\" OR \"\"=\"", vec!["Link only"]),
            ("no such text", vec![]),
        ];
        for (q, expected) in cases {
            let got = c.titles(&format!("q={}", enc(q))).await;
            assert_eq!(sorted(&got), expected, "q={q}");
        }
        // Search combines with the other filters and paginates.
        assert_eq!(c.titles(&format!("q=rust&profile_id={p}")).await, ["Learning rust"]);
        let walked = c.walk_pages(&format!("q={}", enc("pure")), 1).await;
        assert_eq!(sorted(&titles(&walked)), ["100% pure", "1000 pure"]);
        // An empty parameter is not "no search": the API refuses it (leave `q` out instead).
        assert_invalid_field(&c.get("/items?q=").await, "q");
        assert_eq!(c.list("").await.len(), 10);
    }
);
