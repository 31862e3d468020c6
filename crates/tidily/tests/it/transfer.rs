//! Import and export through the API and the CLI, on both databases: a browser's file lands
//! as folders, tags and states; a dry run writes nothing; duplicates and bad lines are
//! reported; our JSON goes round without loss and our HTML comes back with the same tree.

use super::common::*;

const FIREFOX: &str = r#"<!DOCTYPE NETSCAPE-Bookmark-file-1>
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks Menu</H1>
<DL><p>
    <DT><H3 ADD_DATE="1700000000">技術 &amp; 開発</H3>
    <DL><p>
        <DT><A HREF="https://example.com/search?a=1&copy=2" ADD_DATE="1700000200" LAST_MODIFIED="1700000300" TAGS="rust,web dev,日本語">東京の勉強会</A>
        <DT><H3>深い</H3>
        <DL><p>
            <DT><A HREF="https://deep.example/" ADD_DATE="1700000400" TOREAD="1">Deep</A>
        </DL><p>
        <DT><H3>空</H3>
        <DL><p>
        </DL><p>
    </DL><p>
    <DT><A HREF="https://example.com/search?a=1&copy=2#again" TAGS="again">same page again</A>
    <DT><A HREF="javascript:alert(1)">bookmarklet</A>
    <DT><A HREF="https://saved.example/">Already saved</A>
</DL>
"#;

async fn import(c: &Client, query: &str, bytes: &[u8]) -> FullResp {
    c.full(
        Method::POST,
        &format!("/imports?{query}"),
        Body::Raw(Some("text/html"), bytes.to_vec()),
        &[],
    )
    .await
}

/// Every item of the user (all profiles, archived and trashed included), oldest first.
async fn all_items(c: &Client) -> Vec<Value> {
    let mut out = Vec::new();
    for trashed in ["false", "true"] {
        let mut cursor = String::new();
        loop {
            let page = expect(
                c.get(&format!("/items?archived=any&trashed={trashed}&limit=200&sort=created&order=asc{cursor}"))
                    .await,
                200,
            );
            out.extend(page["items"].as_array().unwrap().iter().cloned());
            match page["next_cursor"].as_str() {
                Some(next) => cursor = format!("&cursor={next}"),
                None => break,
            }
        }
    }
    out
}

async fn folder_paths(c: &Client, profile: i64) -> Vec<String> {
    let flat = expect(c.get(&format!("/folders?profile_id={profile}")).await, 200);
    let folders = flat.as_array().unwrap();
    let by_id: std::collections::HashMap<i64, &Value> = folders
        .iter()
        .map(|f| (f["id"].as_i64().unwrap(), f))
        .collect();
    let mut paths: Vec<String> = folders
        .iter()
        .map(|f| {
            let mut names = vec![f["name"].as_str().unwrap().to_owned()];
            let mut at = f["parent_id"].as_i64();
            while let Some(p) = at {
                names.insert(0, by_id[&p]["name"].as_str().unwrap().to_owned());
                at = by_id[&p]["parent_id"].as_i64();
            }
            names.join("/")
        })
        .collect();
    paths.sort();
    paths
}

fn tag_names(item: &Value) -> Vec<String> {
    let mut names: Vec<String> = item["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

both_backends!(
    fn a_browser_file_becomes_folders_tags_and_states(app) {
        let alice = app.signup("alice@example.com").await;
        let profile = alice.profiles().await[0]["id"].as_i64().unwrap();
        alice.create_item(json!({"profile_id": profile, "title": "mine", "url": "https://saved.example/"})).await;

        // The dry run reports and writes nothing.
        let dry = import(&alice, "dry_run=true", FIREFOX.as_bytes()).await;
        assert_eq!(dry.status, 200, "{}", dry.text);
        let r = &dry.body;
        assert_eq!(r["format"], "netscape");
        assert_eq!(r["dry_run"], true);
        assert_eq!(r["profile_id"], profile);
        assert_eq!((r["items"].as_u64(), r["folders"].as_u64(), r["tags"].as_u64()), (Some(2), Some(3), Some(4)));
        assert_eq!((r["already_saved"].as_u64(), r["merged"].as_u64(), r["unusable"].as_u64()), (Some(1), Some(1), Some(1)));
        let reasons: Vec<&str> = r["skipped"].as_array().unwrap().iter().map(|s| s["reason"].as_str().unwrap()).collect();
        assert!(reasons.contains(&"not_a_web_link") && reasons.contains(&"already_saved") && reasons.contains(&"duplicate_in_file"), "{reasons:?}");
        assert_eq!(all_items(&alice).await.len(), 1);
        assert!(folder_paths(&alice, profile).await.is_empty());

        let done = import(&alice, "", FIREFOX.as_bytes()).await;
        assert_eq!(done.status, 200, "{}", done.text);
        assert_eq!(done.body["items"], 2);
        assert_eq!(done.body["dry_run"], false);
        assert_eq!(folder_paths(&alice, profile).await, ["技術 & 開発", "技術 & 開発/深い", "技術 & 開発/空"]);
        let items = all_items(&alice).await;
        assert_eq!(items.len(), 3);
        let tokyo = items.iter().find(|i| i["title"] == "東京の勉強会").expect("imported");
        assert_eq!(tokyo["url"], "https://example.com/search?a=1&copy=2", "the URL byte for byte");
        assert_eq!(tag_names(tokyo), ["again", "rust", "web dev", "日本語"], "tags of the merged duplicate joined");
        assert_eq!(tokyo["created_at"], "2023-11-14T22:16:40Z");
        assert_eq!(tokyo["updated_at"], "2023-11-14T22:18:20Z");
        assert_eq!(tokyo["capture_state"], "pending", "queued for capture");
        let deep = items.iter().find(|i| i["title"] == "Deep").unwrap();
        assert_eq!(deep["kind"], "reading_list");
        assert_eq!(deep["status"], "not_started");

        // Importing again adds nothing: every page is already saved.
        let again = expect(import(&alice, "", FIREFOX.as_bytes()).await.resp(), 200);
        assert_eq!(again["items"], 0);
        assert_eq!(again["already_saved"], 3);
        assert_eq!(again["folders"], 0);
        assert_eq!(all_items(&alice).await.len(), 3);
    }
);

both_backends!(
    fn bad_files_get_clear_errors(app) {
        let alice = app.signup("alice@example.com").await;
        let bob = app.signup("bob@example.com").await;
        let cases: [(&[u8], &str); 5] = [
            (b"", "empty"),
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0", "binary"),
            (b"PK\x03\x04\x14\0\0\0", "zip"),
            (br#"{"format":"tidilyspace","version":1,"items":[{"#, "malformed or truncated"),
            (b"title,time_added\nx,1\n", "lacks the column"),
        ];
        for (bytes, words) in cases {
            let r = import(&alice, "", bytes).await;
            let error = assert_error(&r.resp(), 422, "unreadable_file");
            assert!(error["message"].as_str().unwrap().contains(words), "{error}");
        }
        // Another user's profile or folder is not found; an unknown parameter is refused.
        let bobs = bob.profiles().await[0]["id"].as_i64().unwrap();
        assert_error(&import(&alice, &format!("profile_id={bobs}"), FIREFOX.as_bytes()).await.resp(), 422, "validation_failed");
        let folder = bob.create_folder(bobs, None, "bob's").await["id"].as_i64().unwrap();
        assert_error(&import(&alice, &format!("folder_id={folder}"), FIREFOX.as_bytes()).await.resp(), 422, "validation_failed");
        assert_error(&import(&alice, "dry=1", FIREFOX.as_bytes()).await.resp(), 422, "validation_failed");
        // Past the stated limit: 413 naming it, before the body is read.
        let big = alice
            .full(Method::POST, "/imports", Body::None, &[("content-length", "70000000"), ("content-type", "text/csv")])
            .await;
        let error = assert_error(&big.resp(), 413, "payload_too_large");
        assert!(error["message"].as_str().unwrap().contains("64 MiB"), "{error}");
        assert!(all_items(&alice).await.is_empty(), "nothing half-imported");
        // Unauthenticated: 401.
        assert_error(&import(&app.anon(), "", FIREFOX.as_bytes()).await.resp(), 401, "unauthenticated");
        assert_error(&app.anon().get("/export").await, 401, "unauthenticated");
        assert_error(&alice.get(&format!("/export?profile_id={bobs}")).await, 404, "not_found");
        assert_error(&alice.get("/export?format=pdf").await, 422, "validation_failed");
    }
);

/// Alice's library with every kind of field: two profiles, nested and empty folders with
/// memos, tags and categories with colours, items archived, trashed, scheduled, in order.
async fn rich_library(alice: &Client) {
    let p1 = alice.profiles().await[0]["id"].as_i64().unwrap();
    let p2 = expect(alice.post("/profiles", json!({"name": "趣味"})).await, 201)["id"]
        .as_i64()
        .unwrap();
    let top = alice.create_folder(p1, None, "仕事").await["id"]
        .as_i64()
        .unwrap();
    let sub = alice.create_folder(p1, Some(top), "資料, 2026").await["id"]
        .as_i64()
        .unwrap();
    expect(
        alice
            .patch(
                &format!("/folders/{sub}"),
                json!({"memo": "フォルダのメモ\n二行目"}),
            )
            .await,
        200,
    );
    alice.create_folder(p2, None, "empty").await;
    let tag = expect(
        alice
            .post("/tags", json!({"name": "読む, あとで", "color": "#aa0011"}))
            .await,
        201,
    )["id"]
        .clone();
    let tag2 = expect(
        alice
            .post("/tags", json!({"name": "rust", "color": "#b7410e"}))
            .await,
        201,
    )["id"]
        .clone();
    let cat = expect(
        alice
            .post("/categories", json!({"name": "記事", "color": "#00aa11"}))
            .await,
        201,
    )["id"]
        .clone();
    let a = alice.create_item(json!({
        "profile_id": p1, "folder_id": sub, "title": "予定のある記事", "url": "https://a.example/x?y=1&copy=2",
        "memo": "メモ\n<b>太字</b>", "kind": "reading_list", "status": "in_progress", "priority": "high",
        "tag_ids": [tag, tag2], "category_id": cat, "favorite": true,
        "schedule_start": "2026-12-24T10:00:00Z", "schedule_end": "2026-12-24T12:30:00Z", "reminder_at": "2026-12-24T09:00:00Z"
    })).await;
    let b = alice.create_item(json!({"profile_id": p1, "folder_id": sub, "title": "second in order", "url": "https://b.example/"})).await;
    let c = alice.create_item(json!({"profile_id": p1, "title": "a note without a link", "memo": "just text", "priority": "low"})).await;
    let d = alice.create_item(json!({"profile_id": p2, "title": "archived", "url": "https://d.example/", "status": "done"})).await;
    let e = alice
        .create_item(json!({"profile_id": p2, "title": "trashed", "url": "https://e.example/"}))
        .await;
    // Manual order: b before a.
    expect(
        alice
            .post(
                &format!("/items/{}/move", b["id"]),
                json!({"before_id": a["id"]}),
            )
            .await,
        200,
    );
    expect(
        alice
            .post(
                "/items/bulk",
                json!({"ids": [d["id"]], "action": "archive"}),
            )
            .await,
        200,
    );
    expect(
        alice
            .post("/items/bulk", json!({"ids": [e["id"]], "action": "trash"}))
            .await,
        200,
    );
    let _ = c;
}

/// The export without what differs by design between two accounts (when it was made).
async fn export_json(c: &Client) -> Value {
    let r = c
        .full(Method::GET, "/export?format=json", Body::None, &[])
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.headers["content-type"], "application/json");
    assert!(r.headers["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"tidilyspace-"));
    let mut doc: Value = serde_json::from_str(&r.text).expect("the export is one JSON document");
    doc.as_object_mut().unwrap().remove("exported_at");
    for item in doc["items"].as_array_mut().unwrap() {
        // Positions are re-made on import; the items' order (which they give) is compared.
        item.as_object_mut().unwrap().remove("position");
    }
    doc
}

both_backends!(
    fn our_json_goes_round_without_loss(app) {
        let alice = app.signup("alice@example.com").await;
        rich_library(&alice).await;
        let exported = export_json(&alice).await;
        assert_eq!(exported["items"].as_array().unwrap().len(), 5);
        let file = alice.full(Method::GET, "/export", Body::None, &[]).await.text;

        let bob = app.signup("bob@example.com").await;
        let report = expect(import(&bob, "", file.as_bytes()).await.resp(), 200);
        assert_eq!(report["format"], "tidily");
        assert_eq!(report["items"], 5);
        assert_eq!(export_json(&bob).await, exported, "the same library");

        let b_items = all_items(&bob).await;
        let trashed = b_items.iter().find(|i| i["title"] == "trashed").unwrap();
        assert!(trashed["trashed_at"].is_string());
        assert_eq!(trashed["capture_state"], "pending");
    }
);

both_backends!(
    fn our_html_comes_back_with_the_same_tree_and_tags(app) {
        let alice = app.signup("alice@example.com").await;
        rich_library(&alice).await;
        let p1 = alice.profiles().await[0]["id"].as_i64().unwrap();
        let html = alice.full(Method::GET, &format!("/export?format=html&profile_id={p1}"), Body::None, &[]).await;
        assert_eq!(html.status, 200);
        assert!(html.text.starts_with("<!DOCTYPE NETSCAPE-Bookmark-file-1>"));
        assert!(html.text.contains("HREF=\"https://a.example/x?y=1&amp;copy=2\""), "{}", html.text);

        let bob = app.signup("bob@example.com").await;
        let bp = bob.profiles().await[0]["id"].as_i64().unwrap();
        let report = expect(import(&bob, "", html.text.as_bytes()).await.resp(), 200);
        assert_eq!(report["format"], "netscape");
        assert_eq!(report["items"], 2, "the links of the profile (a note has no link)");
        assert_eq!(folder_paths(&bob, bp).await, folder_paths(&alice, p1).await);
        let a = all_items(&bob).await.into_iter().find(|i| i["title"] == "予定のある記事").unwrap();
        assert_eq!(a["url"], "https://a.example/x?y=1&copy=2");
        // A comma cannot live inside TAGS: it became a space.
        assert_eq!(tag_names(&a), ["rust", "読む  あとで"]);
        assert_eq!(a["kind"], "reading_list");

        let csv = alice.full(Method::GET, "/export?format=csv", Body::None, &[]).await;
        assert_eq!(csv.status, 200);
        assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
        assert!(csv.text.starts_with("\u{feff}url,title,"));
        // A memo's line break stays inside its quoted field; the trash is left out.
        assert!(csv.text.contains("\"メモ\n<b>太字</b>\",\"読む, あとで|rust\",\"仕事 / 資料, 2026\""), "{}", csv.text);
        assert!(csv.text.contains(",a note without a link,"));
        assert!(!csv.text.contains("e.example"));
    }
);

both_backends!(
    fn the_cli_imports_and_exports(app) {
        let alice = app.signup("alice@example.com").await;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pocket.csv");
        std::fs::write(&file, "title,url,time_added,tags,status\n東京,https://tokyo.example/,1700000000,旅行|東京,unread\nRead,https://read.example/,1700000001,,archive\n").unwrap();
        let path = file.to_str().unwrap();
        let dry: Value = serde_json::from_str(&app.cli_ok(&["import", path, "--email", "alice@example.com", "--dry-run"])).unwrap();
        assert_eq!((dry["format"].as_str(), dry["items"].as_u64()), (Some("pocket_csv"), Some(2)));
        assert!(all_items(&alice).await.is_empty());
        let done: Value = serde_json::from_str(&app.cli_ok(&["import", path, "--email", "alice@example.com"])).unwrap();
        assert_eq!(done["items"], 2);
        let items = all_items(&alice).await;
        let read = items.iter().find(|i| i["title"] == "Read").unwrap();
        assert_eq!((read["status"].as_str(), read["archived_at"].is_string()), (Some("done"), true));

        let out = dir.path().join("export.json");
        app.cli_ok(&["export", "--email", "alice@example.com", "--output", out.to_str().unwrap()]);
        let doc: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
        assert_eq!(doc["items"].as_array().unwrap().len(), 2);
        let html = app.cli_ok(&["export", "--email", "alice@example.com", "--format", "html"]);
        assert!(html.contains("TAGS=\"旅行,東京\""), "{html}");

        let bad = app.run_cli(&["import", path, "--email", "nobody@example.com"]);
        assert!(!bad.status.success());
        let junk = dir.path().join("junk.bin");
        std::fs::write(&junk, b"\0\x01\x02binary").unwrap();
        let bad = app.run_cli(&["import", junk.to_str().unwrap(), "--email", "alice@example.com"]);
        assert!(!bad.status.success());
        assert!(String::from_utf8_lossy(&bad.stderr).contains("binary"), "{}", String::from_utf8_lossy(&bad.stderr));
    }
);

both_backends!(
    fn two_imports_at_once_make_each_item_once(app) {
        let alice = app.signup("alice@example.com").await;
        let mut html = String::from("<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n<DT><H3>並行</H3>\n<DL><p>\n");
        for i in 0..1200 {
            html.push_str(&format!("<DT><A HREF=\"https://many.example/{i}\" TAGS=\"t{}\">記事 {i}</A>\n", i % 7));
        }
        html.push_str("</DL><p>\n</DL><p>\n");
        let runs = (0..4).map(|_| import(&alice, "", html.as_bytes()));
        let reports: Vec<FullResp> = futures_util::future::join_all(runs).await;
        let mut created = 0;
        for r in &reports {
            assert_eq!(r.status, 200, "{}", r.text);
            created += r.body["items"].as_u64().unwrap();
        }
        assert_eq!(created, 1200, "each link created by exactly one of the imports");
        let items = all_items(&alice).await;
        assert_eq!(items.len(), 1200);
        let profile = alice.profiles().await[0]["id"].as_i64().unwrap();
        assert_eq!(folder_paths(&alice, profile).await, ["並行"]);
        let tags = expect(alice.get("/tags").await, 200);
        assert_eq!(tags.as_array().unwrap().len(), 7);
    }
);

both_backends!(
    fn an_import_killed_part_way_loses_nothing_and_runs_again(app) {
        let mut app = app;
        let alice = app.signup("alice@example.com").await;
        let total = 20_000;
        let mut html = String::from("<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n");
        for i in 0..total {
            html.push_str(&format!("<DT><A HREF=\"https://killed.example/{i}\" TAGS=\"k\">記事 {i}</A>\n"));
        }
        html.push_str("</DL><p>\n");
        let client = alice.clone();
        let bytes = html.clone().into_bytes();
        let running = tokio::spawn(async move {
            client
                .full(Method::POST, "/imports", Body::Raw(Some("text/html"), bytes), &[])
                .await
        });
        // Killed as soon as the first batch is in.
        for _ in 0..1200 {
            let first = expect(alice.get("/items?limit=1").await, 200);
            if !first["items"].as_array().unwrap().is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        app.kill_hard();
        let _ = running.await;
        app.restart().await;

        // What was written is whole: every item with its tag; none twice.
        let items = all_items(&alice).await;
        let before = items.len();
        assert!(before < total, "the import finished before the kill");
        assert!(items.iter().all(|i| tag_names(i) == ["k"]), "an item without its tag");
        let again = expect(import(&alice, "", html.as_bytes()).await.resp(), 200);
        assert_eq!(again["items"].as_u64().unwrap() as usize + before, total);
        assert_eq!(again["already_saved"].as_u64().unwrap() as usize, before);
        let mut urls: Vec<String> = all_items(&alice)
            .await
            .iter()
            .map(|i| i["url"].as_str().unwrap().to_owned())
            .collect();
        urls.sort();
        urls.dedup();
        assert_eq!(urls.len(), total);
    }
);
