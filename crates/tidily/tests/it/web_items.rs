//! Web pages: the item list, its filters in the URL, the item modal and form, the item
//! actions, the favourites / archive / trash views, isolation between users, escaping.

use crate::common::*;
use crate::web::*;

/// Signs a browser up and returns it with an API client for the same account.
async fn user(app: &TestApp, email: &str) -> (Browser, Client) {
    let browser = Browser::new(app);
    let page = browser.sign_up(email).await;
    assert_eq!(page.path, "/dashboard", "{}", page.html);
    (browser, app.login(email, PASSWORD).await)
}

both_backends!(
    fn a_tag_name_has_the_same_limit_in_the_form_as_in_the_api(app) {
        // The form once refused tag names over 50 characters that the API took up to 64.
        let (browser, api) = user(&app, "tina@example.com").await;
        let private = api.profile_id("Private").await.to_string();
        let longest = "t".repeat(64);
        let fields = |tags: &str| -> Vec<(&'static str, String)> {
            vec![("title", "Tagged".into()), ("profile_id", private.clone()), ("new_tags", tags.into()), ("qs", String::new())]
        };
        let post = |fields: Vec<(&'static str, String)>| {
            let browser = &browser;
            async move {
                let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                browser.submit("/items/new", "/items", &fields).await
            }
        };
        let page = post(fields(&longest)).await;
        assert_eq!(page.status, 200, "{}", page.html);
        assert_eq!(api.list("").await[0]["tags"][0]["name"], longest.as_str());
        let refused = post(fields(&"t".repeat(65))).await;
        assert_eq!(refused.status, 422);
        let api_refused = api.post("/tags", json!({"name": "t".repeat(65), "color": "#111111"})).await;
        assert_eq!(api_refused.0, 422, "the API refuses the same name");
        assert_eq!(api.list("").await.len(), 1, "nothing created by the refused form");
    }
);

both_backends!(
    fn create_an_item_through_the_form(app) {
        let (browser, api) = user(&app, "alice@example.com").await;
        let private = api.profile_id("Private").await;
        let form = browser.get("/items/new").await;
        assert_eq!(form.status, 200);
        assert!(form.html.contains("role=\"dialog\""), "the form is a modal over the list");
        let page = browser
            .submit(
                "/items/new",
                "/items",
                &[
                    ("title", "Rust book"),
                    ("url", "https://doc.rust-lang.org/book/"),
                    ("memo", "chapter 1\nchapter 2"),
                    ("kind", "reading_list"),
                    ("profile_id", &private.to_string()),
                    ("folder_id", ""),
                    ("category_id", ""),
                    ("status", "in_progress"),
                    ("priority", "high"),
                    ("new_tags", "rust, 本"),
                    ("schedule_start", "2026-12-01T09:00"),
                    ("schedule_end", "2026-12-01T10:30"),
                    ("reminder_at", ""),
                    ("favorite", "1"),
                    ("qs", ""),
                ],
            )
            .await;
        assert_eq!(page.status, 200, "{}", page.html);
        // It opens in the modal, over the list that now holds it.
        let item = &api.list("").await[0];
        assert_eq!(page.path, format!("/items/{}", id(item)));
        assert_eq!(page_titles(&page.html), ["Rust book"]);
        assert!(page.html.contains("role=\"dialog\""));
        assert_eq!(item["kind"], "reading_list");
        assert_eq!(item["status"], "in_progress");
        assert_eq!(item["priority"], "high");
        assert_eq!(item["favorite"], true);
        assert_eq!(item["memo"], "chapter 1\nchapter 2");
        // Times are entered in the account's zone (Asia/Tokyo for a Japanese... or English
        // account created with the default zone of its language).
        assert!(item["schedule_start"].as_str().unwrap().starts_with("2026-12-01"));
        let mut tags: Vec<String> = item["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_string())
            .collect();
        tags.sort();
        assert_eq!(tags, ["rust", "本"]);
        let list = browser.get("/items").await;
        assert_eq!(page_titles(&list.html), ["Rust book"]);
        // Status left on "automatic" follows the kind; new tags take the picked colour.
        let form = browser.get("/items/new").await;
        assert!(form.html.contains("<option value=\"\" selected>Automatic"), "{}", form.html);
        browser
            .submit(
                "/items/new",
                "/items",
                &[
                    ("title", "Later"),
                    ("kind", "reading_list"),
                    ("profile_id", &private.to_string()),
                    ("status", ""),
                    ("new_tags", "orange"),
                    ("new_tag_color", "#FF8800"),
                ],
            )
            .await;
        let later = api.list("").await.into_iter().find(|i| i["title"] == "Later").unwrap();
        assert_eq!(later["status"], "not_started");
        assert_eq!(later["tags"][0]["color"], "#ff8800");
    }
);

both_backends!(
    fn form_errors_keep_the_input(app) {
        let (browser, api) = user(&app, "bob@example.com").await;
        let private = api.profile_id("Private").await.to_string();
        let page = browser
            .submit(
                "/items/new",
                "/items",
                &[
                    ("title", "   "),
                    ("url", "javascript:alert(1)"),
                    ("profile_id", &private),
                    ("schedule_start", "2026-12-02T10:00"),
                    ("schedule_end", "2026-12-01T10:00"),
                    ("memo", "keep me"),
                ],
            )
            .await;
        assert_eq!(page.status, 422, "{}", page.html);
        assert!(page.html.contains("must not be empty"));
        assert!(page.html.contains("must be an absolute http:// or https:// URL"));
        assert!(page.html.contains("must not be before schedule_start"));
        assert!(page.html.contains("keep me"), "the memo typed is kept");
        assert!(api.list("").await.is_empty());
    }
);

both_backends!(
    fn stored_xss_is_shown_as_text(app) {
        let (browser, api) = user(&app, "mallory@example.com").await;
        let private = api.profile_id("Private").await;
        let payload = "<script>alert(1)</script>";
        let tag = api.create_tag("<img src=x onerror=alert(2)>", "#ff0000").await;
        let item = api
            .create_item(json!({
                "profile_id": private, "title": payload, "memo": "</div><script>alert(3)</script>",
                "url": "https://example.com/?q=\"><script>alert(4)</script>",
                "tag_ids": [id(&tag)]
            }))
            .await;
        for path in ["/items".to_string(), format!("/items/{}", id(&item)), format!("/items/{}/edit", id(&item)), "/dashboard".to_string()] {
            let page = browser.get(&path).await;
            assert_eq!(page.status, 200, "{path}");
            assert!(!page.html.contains("<script>alert"), "{path} executes a script:\n{}", page.html);
            assert!(!page.html.contains("<img src=x"), "{path} renders a tag name as HTML");
        }
        let page = browser.get(&format!("/items/{}", id(&item))).await;
        assert!(page.html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "{}", page.html);
    }
);

both_backends!(
    fn another_users_item_is_not_found(app) {
        let (alice, _) = user(&app, "alice@example.com").await;
        let (_, bob_api) = user(&app, "bob@example.com").await;
        let bob_private = bob_api.profile_id("Private").await;
        let bobs = bob_api.item(bob_private, "Bob's secret").await;
        let bob_id = id(&bobs);
        for path in [format!("/items/{bob_id}"), format!("/items/{bob_id}/edit"), format!("/items?profile={bob_private}"), format!("/dashboard?profile={bob_private}")] {
            let page = alice.get(&path).await;
            assert_eq!(page.status, 404, "{path}");
            assert!(!page.html.contains("Bob's secret"));
        }
        // Changing it through a form is just as impossible.
        let csrf = csrf_of(&alice.get("/items").await.html);
        for action in ["trash", "archive", "purge"] {
            let page = alice
                .post(&format!("/items/{bob_id}/{action}"), &[("_csrf", &csrf), ("qs", "")])
                .await;
            assert_eq!(page.status, 404, "{action}");
        }
        let page = alice
            .post(&format!("/items/{bob_id}"), &[("_csrf", &csrf), ("title", "pwned"), ("profile_id", &bob_private.to_string())])
            .await;
        assert_eq!(page.status, 404);
        let still = expect(bob_api.get(&format!("/items/{bob_id}")).await, 200);
        assert_eq!(still["title"], "Bob's secret");
        assert!(still["trashed_at"].is_null());
    }
);

both_backends!(
    fn post_without_csrf_changes_nothing(app) {
        let (browser, api) = user(&app, "carol@example.com").await;
        let private = api.profile_id("Private").await.to_string();
        let page = browser
            .post("/items", &[("title", "forged"), ("profile_id", &private)])
            .await;
        assert_eq!(page.status, 403);
        let item = api.item(api.profile_id("Private").await, "mine").await;
        let page = browser
            .post(&format!("/items/{}/trash", id(&item)), &[("qs", "")])
            .await;
        assert_eq!(page.status, 403);
        assert_eq!(page_titles(&browser.get("/items").await.html), ["mine"]);
    }
);

both_backends!(
    fn filters_in_the_url_change_the_list(app) {
        let (browser, api) = user(&app, "dave@example.com").await;
        let private = api.profile_id("Private").await;
        let business = api.profile_id("Business").await;
        let tag = api.create_tag("urgent", "#ff0000").await;
        api.create_item(json!({"profile_id": private, "title": "東京の地図", "status": "done"})).await;
        api.create_item(json!({"profile_id": private, "title": "Read later", "kind": "reading_list", "favorite": true})).await;
        api.create_item(json!({"profile_id": business, "title": "Quarterly plan", "priority": "high", "tag_ids": [id(&tag)]})).await;
        let sorted_titles = |html: &str| sorted(&page_titles(html));
        let all = browser.get("/items").await;
        assert_eq!(sorted_titles(&all.html), ["Quarterly plan", "Read later", "東京の地図"]);
        let cases: &[(&str, &[&str])] = &[
            ("/items?status=done", &["東京の地図"]),
            ("/items?q=%E6%9D%B1%E4%BA%AC", &["東京の地図"]),
            ("/items?kind=reading_list", &["Read later"]),
            ("/items?priority=high", &["Quarterly plan"]),
            (&*Box::leak(format!("/items?tag_id={}", id(&tag)).into_boxed_str()), &["Quarterly plan"]),
            (&*Box::leak(format!("/items?profile={business}").into_boxed_str()), &["Quarterly plan"]),
            ("/items?favorite=true", &["Read later"]),
            ("/favorites", &["Read later"]),
            ("/items?status=done&status=not_started", &["Read later", "東京の地図"]),
            // Empty values from an untouched filter form count as absent.
            ("/items?q=&status=&kind=&tag_id=&from=&to=", &["Quarterly plan", "Read later", "東京の地図"]),
        ];
        for (path, expected) in cases {
            let page = browser.get(path).await;
            assert_eq!(page.status, 200, "{path}: {}", page.html);
            assert_eq!(sorted_titles(&page.html), *expected, "{path}");
        }
        // Sorting by title.
        let page = browser.get("/items?sort=title&order=asc").await;
        assert_eq!(page_titles(&page.html), ["Quarterly plan", "Read later", "東京の地図"]);
        // The filter form shows the filters in effect, and item links keep them.
        let page = browser.get("/items?status=done").await;
        assert!(page.html.contains("value=\"done\" checked"), "{}", page.html);
        assert!(page.html.contains("?status=done\" data-modal"), "modal links keep the list's query");
        // Live search asks for the list alone.
        let frag = browser.fragment("/items?q=plan", "list").await;
        assert_eq!(page_titles(&frag.html), ["Quarterly plan"]);
        assert!(!frag.html.contains("<html"));
        // A bad value is an error page, not a crash.
        assert_eq!(browser.get("/items?status=bogus").await.status, 422);
    }
);

both_backends!(
    fn archive_trash_restore_and_empty(app) {
        let (browser, api) = user(&app, "erin@example.com").await;
        let private = api.profile_id("Private").await;
        let keep = api.item(private, "keep").await;
        let old = api.item(private, "old").await;
        let csrf = csrf_of(&browser.get("/items").await.html);
        let act = |item: &Value, action: &str| {
            let path = format!("/items/{}/{action}", id(item));
            let csrf = csrf.clone();
            let browser = &browser;
            async move { browser.post(&path, &[("_csrf", &csrf), ("qs", "")]).await }
        };
        let page = act(&keep, "archive").await;
        assert_eq!(page.path, "/items");
        assert_eq!(page_titles(&page.html), ["old"]);
        assert_eq!(page_titles(&browser.get("/archive").await.html), ["keep"]);
        act(&keep, "unarchive").await;
        act(&old, "trash").await;
        assert_eq!(page_titles(&browser.get("/items").await.html), ["keep"]);
        let trash = browser.get("/trash").await;
        assert_eq!(page_titles(&trash.html), ["old"]);
        assert!(trash.html.contains("/trash/empty"), "empty-trash button in the trash");
        // Emptying the trash returns to the trash (the browser tests found it going to /items).
        let at = trash.html.find("action=\"/trash/empty\"").expect("empty-trash form");
        let empty_form = &trash.html[at..at + trash.html[at..].find("</form>").unwrap()];
        assert!(empty_form.contains("name=\"qs\" value=\"view=trash\""), "{empty_form}");
        act(&old, "restore").await;
        assert_eq!(sorted(&page_titles(&browser.get("/items").await.html)), ["keep", "old"]);
        act(&old, "trash").await;
        let page = browser.post("/trash/empty", &[("_csrf", &csrf), ("qs", "view=trash")]).await;
        assert_eq!(page.path, "/trash");
        assert!(page_titles(&page.html).is_empty());
        assert_eq!(page_titles(&browser.get("/items").await.html), ["keep"]);
        // Favourite from the modal.
        act(&keep, "favorite").await;
        assert_eq!(page_titles(&browser.get("/favorites").await.html), ["keep"]);
    }
);

both_backends!(
    fn edit_in_the_modal_and_page_through_the_list(app) {
        let (browser, api) = user(&app, "frank@example.com").await;
        let private = api.profile_id("Private").await;
        let item = api.item(private, "draft").await;
        let edit = browser.get(&format!("/items/{}/edit?status=undecided", id(&item))).await;
        assert!(edit.html.contains("value=\"draft\""), "{}", edit.html);
        let csrf = csrf_of(&edit.html);
        let page = browser
            .post(
                &format!("/items/{}", id(&item)),
                &[
                    ("_csrf", &csrf),
                    ("title", "final"),
                    ("profile_id", &private.to_string()),
                    ("kind", "bookmark"),
                    ("status", "done"),
                    ("priority", "low"),
                    ("qs", "status=done"),
                ],
            )
            .await;
        assert_eq!(page.path, format!("/items/{}?status=done", id(&item)));
        assert_eq!(page_titles(&page.html), ["final"]);
        let stored = expect(api.get(&format!("/items/{}", id(&item))).await, 200);
        assert_eq!(stored["status"], "done");
        assert_eq!(stored["priority"], "low");
        // The modal fragment for app.js has the dialog only.
        let frag = browser.fragment(&format!("/items/{}", id(&item)), "modal").await;
        assert!(frag.html.contains("role=\"dialog\"") && !frag.html.contains("<html"));
        // 120 items: three pages of 50, no repeats.
        for n in 0..119 {
            api.item(private, &format!("item {n:03}")).await;
        }
        let mut seen = Vec::new();
        let mut path = "/items?sort=title&order=asc".to_string();
        loop {
            let page = browser.get(&path).await;
            seen.extend(item_ids(&page.html));
            let marker = "rel=\"next\"";
            let Some(at) = page.html.find(marker) else { break };
            let before = &page.html[..at];
            let href_at = before.rfind("href=\"").unwrap() + 6;
            path = before[href_at..].split('"').next().unwrap().replace("&#38;", "&").replace("&amp;", "&");
        }
        assert_eq!(seen.len(), 120);
        assert_eq!(sorted(&seen).len(), seen.len());
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 120);
    }
);

both_backends!(
    fn bulk_actions_on_checked_items(app) {
        let (browser, api) = user(&app, "gina@example.com").await;
        let private = api.profile_id("Private").await;
        let folder = api.create_folder(private, None, "Inbox").await;
        let tag = api.create_tag("later", "#00ff00").await;
        let a = api.item(private, "a").await;
        let b = api.item(private, "b").await;
        let c = api.item(private, "c").await;
        let page = browser.get("/items").await;
        assert!(page.html.contains("form=\"bulk\""), "checkboxes belong to the bulk form");
        let csrf = csrf_of(&page.html);
        let (ida, idb) = (id(&a).to_string(), id(&b).to_string());
        let post = |fields: Vec<(&'static str, String)>| {
            let browser = &browser;
            let csrf = csrf.clone();
            async move {
                let mut all: Vec<(&str, &str)> = vec![("_csrf", &csrf)];
                all.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
                browser.post("/items/bulk", &all).await
            }
        };
        let page = post(vec![("ids", ida.clone()), ("ids", idb.clone()), ("action", "set_status".into()), ("status", "done".into()), ("qs", "status=done".into())]).await;
        assert_eq!(page.path, "/items?status=done");
        assert_eq!(sorted(&page_titles(&page.html)), ["a", "b"]);
        post(vec![("ids", ida.clone()), ("action", "add_tags".into()), ("tag_id", id(&tag).to_string())]).await;
        post(vec![("ids", idb.clone()), ("action", "move".into()), ("folder", id(&folder).to_string())]).await;
        let a = expect(api.get(&format!("/items/{ida}")).await, 200);
        assert_eq!(a["tags"][0]["name"], "later");
        let b = expect(api.get(&format!("/items/{idb}")).await, 200);
        assert_eq!(b["folder_id"], id(&folder));
        post(vec![("ids", ida.clone()), ("ids", idb.clone()), ("action", "trash".into())]).await;
        assert_eq!(page_titles(&browser.get("/items").await.html), ["c"]);
        // Someone else's ID in the batch: nothing happens at all.
        let (_, other) = user(&app, "hank@example.com").await;
        let theirs = other.item(other.profile_id("Private").await, "theirs").await;
        let page = post(vec![("ids", id(&c).to_string()), ("ids", id(&theirs).to_string()), ("action", "archive".into())]).await;
        assert_eq!(page.status, 404);
        assert_eq!(page_titles(&browser.get("/items").await.html), ["c"]);
        // Without the token: refused.
        let page = browser.post("/items/bulk", &[("ids", &id(&c).to_string()), ("action", "trash")]).await;
        assert_eq!(page.status, 403);
    }
);

/// The `href` of the `rel="next"` link of a page, entities decoded.
fn next_link(html: &str) -> Option<String> {
    let at = html.find("rel=\"next\"")?;
    let before = &html[..at];
    let href_at = before.rfind("href=\"").unwrap() + 6;
    Some(
        before[href_at..]
            .split('"')
            .next()
            .unwrap()
            .replace("&#38;", "&")
            .replace("&amp;", "&"),
    )
}

both_backends!(
    fn infinite_scroll_fetches_the_next_rows(app) {
        let (browser, api) = user(&app, "ivan@example.com").await;
        let private = api.profile_id("Private").await;
        for n in 0..55 {
            api.item(private, &format!("row {n:02}")).await;
        }
        for (path, layout) in [("/items?sort=title&order=asc", ""), ("/items?sort=title&order=asc&layout=cards", "layout=cards")] {
            let page = browser.get(path).await;
            assert_eq!(page_titles(&page.html).len(), 50);
            // The next-page link still works without JavaScript, and htmx fetches it when it
            // comes into view.
            let next = next_link(&page.html).expect("a next link");
            assert!(page.html.contains("rel=\"next\" data-more hx-get=\""), "{}", page.html);
            assert!(page.html.contains("hx-trigger=\"revealed\" hx-target=\"#rows\""), "{}", page.html);
            assert!(next.contains(layout), "{next}");
            assert_eq!(page_titles(&browser.get(&next).await.html).len(), 5);
            // The "rows" fragment: just the next rows and the pager that follows them.
            let rows = browser.fragment(&next, "rows").await;
            assert_eq!(rows.status, 200);
            // The same URL is a page or a fragment by htmx's headers: caches must know.
            for page in [&rows, &page] {
                let vary = page.headers.get("vary").and_then(|v| v.to_str().ok()).unwrap_or_default();
                assert!(vary.contains("HX-Request") && vary.contains("HX-Target"), "{vary}");
            }
            assert!(rows.html.starts_with("<ul>"), "{}", rows.html);
            assert!(!rows.html.contains("<html") && !rows.html.contains("class=\"filters\"") && !rows.html.contains("id=\"list\""));
            assert_eq!(page_titles(&rows.html), ["row 50", "row 51", "row 52", "row 53", "row 54"]);
            assert_eq!(rows.html.matches("form=\"bulk\"").count(), 5, "appended rows join the bulk form");
            assert!(rows.html.contains("class=\"pager\"") && next_link(&rows.html).is_none(), "last page");
            // The first page's rows carry a next link of their own.
            let first = browser.fragment(path, "rows").await;
            assert_eq!(page_titles(&first.html).len(), 50);
            assert_eq!(next_link(&first.html), Some(next.clone()));
        }
        // The live-search fragment is still the whole list.
        let live = browser.fragment("/items?sort=title&order=asc", "list").await;
        assert!(live.html.contains("<ul class=\"items\" id=\"rows\">"));
        // Bulk-select on appended rows: items of page 2 go to the trash with one of page 1.
        let rows = browser.fragment(&next_link(&browser.get("/items?sort=title&order=asc").await.html).unwrap(), "rows").await;
        let appended = item_ids(&rows.html);
        let first = item_ids(&browser.get("/items?sort=title&order=asc").await.html)[0];
        let csrf = csrf_of(&browser.get("/items").await.html);
        let mut fields = vec![("_csrf", csrf.clone()), ("action", "trash".to_string()), ("ids", first.to_string())];
        fields.extend(appended.iter().map(|i| ("ids", i.to_string())));
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        browser.post("/items/bulk", &fields).await;
        assert_eq!(api.list("").await.len(), 49);
        // The trash pages the same way (and so do the archive and favourites).
        let all: Vec<String> = api.list("").await.iter().map(|i| id(i).to_string()).collect();
        let mut fields = vec![("_csrf", csrf.as_str()), ("action", "trash")];
        fields.extend(all.iter().map(|i| ("ids", i.as_str())));
        browser.post("/items/bulk", &fields).await;
        let trash = browser.get("/trash").await;
        let next = next_link(&trash.html).expect("trash has a second page");
        assert!(next.starts_with("/trash?cursor="), "{next}");
        let rows = browser.fragment(&next, "rows").await;
        assert_eq!(page_titles(&rows.html).len(), 5);
    }
);

both_backends!(
    fn times_follow_the_accounts_time_zone(app) {
        let (browser, api) = user(&app, "june@example.com").await;
        let private = api.profile_id("Private").await.to_string();
        // The settings offer every zone of the database, and only those are accepted.
        let settings = browser.get("/settings").await;
        for zone in ["America/New_York", "Europe/London", "Asia/Tokyo", "Australia/Lord_Howe"] {
            assert!(settings.html.contains(&format!("<option value=\"{zone}\"")), "{zone}");
        }
        assert!(settings.html.matches("<option value=\"").count() > 400);
        let save = |zone: &'static str| {
            let browser = &browser;
            async move {
                browser
                    .submit("/settings", "/settings", &[("display_name", "June"), ("locale", "en"), ("time_zone", zone)])
                    .await
            }
        };
        let page = save("Mars/Olympus_Mons").await;
        assert_eq!(page.status, 422);
        assert!(page.html.contains("must be an IANA time zone"), "{}", page.html);
        assert_eq!(save("America/New_York").await.path, "/settings?saved=1");
        assert!(browser.get("/settings").await.html.contains("<option value=\"America/New_York\" selected>"));
        // Times entered in the form are New York times, on both sides of daylight saving.
        let create = |title: &'static str, start: &'static str| {
            let browser = &browser;
            let private = private.clone();
            async move {
                browser
                    .submit("/items/new", "/items", &[("title", title), ("profile_id", &private), ("kind", "bookmark"), ("schedule_start", start), ("qs", "")])
                    .await
            }
        };
        assert_eq!(create("summer", "2026-07-01T12:00").await.status, 200);
        assert_eq!(create("winter", "2026-12-01T12:00").await.status, 200);
        // 01:30 on 1 November happens twice: the earlier (still daylight time) is taken.
        assert_eq!(create("twice", "2026-11-01T01:30").await.status, 200);
        // 02:30 on 8 March does not exist: refused with a clear message, nothing saved.
        let page = create("skipped", "2026-03-08T02:30").await;
        assert_eq!(page.status, 422);
        assert!(page.html.contains("does not exist in your time zone"), "{}", page.html);
        let start_of = |items: &[Value], title: &str| {
            items.iter().find(|i| i["title"] == title).unwrap()["schedule_start"].as_str().unwrap().to_string()
        };
        let items = api.list("").await;
        assert_eq!(items.len(), 3);
        assert!(start_of(&items, "summer").starts_with("2026-07-01T16:00:00"));
        assert!(start_of(&items, "winter").starts_with("2026-12-01T17:00:00"));
        assert!(start_of(&items, "twice").starts_with("2026-11-01T05:30:00"));
        // Shown back in New York time.
        let page = browser.get("/items?sort=title&order=asc").await;
        assert!(page.html.contains("2026-07-01 12:00") && page.html.contains("2026-12-01 12:00"), "{}", page.html);
        // Day boundaries: 8 March in New York runs from 05:00Z to 04:00Z the next day.
        for (title, at) in [
            ("late on the 7th", "2026-03-08T04:59:00Z"),
            ("first minute", "2026-03-08T05:00:00Z"),
            ("last minute", "2026-03-09T03:59:00Z"),
            ("the 9th", "2026-03-09T04:00:00Z"),
        ] {
            api.create_item(json!({"profile_id": private.parse::<i64>().unwrap(), "title": title, "schedule_start": at})).await;
        }
        let day = browser.get("/items?from=2026-03-08&to=2026-03-08&sort=title&order=asc").await;
        assert_eq!(page_titles(&day.html), ["first minute", "last minute"]);
        // The calendar's days are New York days too (week of Monday 2 to Sunday 8 March).
        let week = browser.get("/calendar?week=2026-03-08").await;
        let cell = |day: &str| {
            let at = week.html.find(&format!("<span class=\"d\">{day}</span>")).unwrap_or_else(|| panic!("day {day}"));
            let rest = &week.html[at..];
            rest[..rest.find("</td>").unwrap()].to_string()
        };
        assert!(cell("7").contains("late on the 7th"), "{}", cell("7"));
        let sunday = cell("8");
        assert!(sunday.contains("first minute") && sunday.contains("last minute") && !sunday.contains("the 9th"), "{sunday}");
        // Tokyo (no daylight saving, +9): the same instants fall on other local days.
        assert_eq!(save("Asia/Tokyo").await.path, "/settings?saved=1");
        let page = browser.get("/items?sort=title&order=asc").await;
        assert!(page.html.contains("2026-07-02 01:00"), "{}", page.html);
        let day = browser.get("/items?from=2026-03-08&to=2026-03-08&sort=title&order=asc").await;
        assert_eq!(page_titles(&day.html), ["first minute", "late on the 7th"]);
        let day = browser.get("/items?from=2026-03-09&to=2026-03-09&sort=title&order=asc").await;
        assert_eq!(page_titles(&day.html), ["last minute", "the 9th"]);
    }
);

both_backends!(
    fn the_bookmarklet_and_the_share_target_open_a_filled_in_form(app) {
        let (browser, api) = user(&app, "sara@example.com").await;
        // The bookmarklet's page: the form filled in, nothing saved by the GET.
        let page = browser
            .get("/save?url=https%3A%2F%2Fexample.com%2Fa%3Fx%3D1%26copy%3D2&title=%E6%9D%B1%E4%BA%AC%20%3Cb%3E")
            .await;
        assert_eq!(page.status, 200);
        assert!(page.html.contains("value=\"https://example.com/a?x=1&#38;copy=2\""), "{}", page.html);
        assert!(page.html.contains("value=\"東京 &#60;b&#62;\""), "the title, escaped");
        assert!(!page.html.contains("id=\"already-saved\""));
        let none = expect(api.get("/items").await, 200);
        assert!(none["items"].as_array().unwrap().is_empty(), "a GET never saves");

        // Android's share sheet puts the link in `text`, after a sentence.
        let shared = browser
            .get("/save?title=Read%20this&text=Look%20at%20this%20https%3A%2F%2Fshared.example%2Fp%20%21")
            .await;
        assert!(shared.html.contains("value=\"https://shared.example/p\""), "{}", shared.html);
        assert!(shared.html.contains("value=\"Read this\""));

        // A page saved before: the form says so and links to it.
        let private = api.profile_id("Private").await;
        let saved = api
            .create_item(json!({"profile_id": private, "title": "Mine", "url": "https://example.com/a?x=1&copy=2"}))
            .await;
        let again = browser.get("/save?url=https%3A%2F%2FEXAMPLE.com%2Fa%3Fx%3D1%26copy%3D2").await;
        assert!(again.html.contains("id=\"already-saved\""), "{}", again.html);
        assert!(again.html.contains(&format!("/items/{}", saved["id"])));

        // Signed out: the log-in page first, then back here.
        let stranger = Browser::new(&app).get_no_follow("/save?url=https%3A%2F%2Fexample.com%2F").await;
        assert_eq!(stranger.status, 303, "{}", stranger.html);
        assert!(stranger.location.as_deref().unwrap_or_default().starts_with("/login?next="));

        // The manifest names the share target; the settings hold the bookmarklet.
        let manifest = browser.get("/manifest.webmanifest").await;
        let manifest: Value = serde_json::from_str(&manifest.html).unwrap();
        assert_eq!(manifest["share_target"]["action"], "/save");
        assert_eq!(manifest["share_target"]["params"]["text"], "text");
        let settings = browser.get("/settings").await;
        assert!(settings.html.contains("href=\"javascript:(function(){window.open(&#39;http://127.0.0.1/save?url="), "{}", settings.html);
    }
);
