//! Web pages: the item list, its filters in the URL, the item modal and form, the item
//! actions, the favourites / archive / trash views, isolation between users, escaping.

#[macro_use]
mod common;
mod web;

use common::*;
use web::*;

/// Signs a browser up and returns it with an API client for the same account.
async fn user(app: &TestApp, email: &str) -> (Browser, Client) {
    let browser = Browser::new(app);
    let page = browser.sign_up(email).await;
    assert_eq!(page.path, "/dashboard", "{}", page.html);
    (browser, app.login(email, PASSWORD).await)
}

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
        let page = post(vec![("ids", ida.clone()), ("ids", idb.clone()), ("action", "status".into()), ("status", "done".into()), ("qs", "status=done".into())]).await;
        assert_eq!(page.path, "/items?status=done");
        assert_eq!(sorted(&page_titles(&page.html)), ["a", "b"]);
        post(vec![("ids", ida.clone()), ("action", "add_tag".into()), ("tag_id", id(&tag).to_string())]).await;
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
