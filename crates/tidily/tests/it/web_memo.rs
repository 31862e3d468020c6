//! The pages' memo of label lists and counts (`store::memo`): every kind of write moves the
//! owner's revision (database triggers), and a page rendered after a write shows it.

use crate::common::*;
use crate::web::*;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

/// The revision of `email`'s account, read straight from the database.
async fn revision(db: &DatabaseConnection, email: &str) -> i64 {
    let sql = format!("SELECT revision FROM users WHERE email = '{email}'");
    let row = db
        .query_one(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("query")
        .expect("the account exists");
    row.try_get_by_index::<i64>(0).expect("revision")
}

/// The number shown in the board column (or dashboard tile) headed `label`.
fn count_of(html: &str, label: &str) -> i64 {
    let column = html
        .find(&format!("aria-label=\"{label}\""))
        .unwrap_or_else(|| panic!("no column {label} in:\n{html}"));
    let rest = &html[column..];
    let n = &rest[rest.find("class=\"n\">").expect("a count") + 10..];
    n[..n.find('<').expect("end of count")]
        .parse()
        .expect("a number")
}

both_backends!(
    fn every_kind_of_write_moves_the_owners_revision_only(app) {
        let alice = app.signup("alice@example.com").await;
        let _bob = app.signup("bob@example.com").await;
        let db = tidily::db::Db::connect(&app.database_url, 1).await.expect("connect").read().clone();
        let bob_before = revision(&db, "bob@example.com").await;
        let mut last = revision(&db, "alice@example.com").await;
        let mut moved = |what: &str, now: i64| {
            assert!(now > last, "{what} did not move the revision ({last} -> {now})");
            last = now;
        };

        let profile = expect(alice.post("/profiles", json!({"name": "Side"})).await, 201);
        moved("a new profile", revision(&db, "alice@example.com").await);
        let folder = alice.create_folder(id(&profile), None, "Inbox").await;
        moved("a new folder", revision(&db, "alice@example.com").await);
        let other = alice.create_folder(id(&profile), None, "Later").await;
        expect(alice.post(&format!("/folders/{}/move", id(&other)), json!({"parent_id": id(&folder)})).await, 200);
        moved("a folder move", revision(&db, "alice@example.com").await);
        let tag = alice.create_tag("t", "#111111").await;
        moved("a new tag", revision(&db, "alice@example.com").await);
        let cat = alice.create_category("c", "#222222").await;
        moved("a new category", revision(&db, "alice@example.com").await);
        let item = alice.create_item(json!({"profile_id": id(&profile), "title": "x"})).await;
        moved("a new item", revision(&db, "alice@example.com").await);
        expect(alice.patch(&format!("/items/{}", id(&item)), json!({"status": "done"})).await, 200);
        moved("a status change", revision(&db, "alice@example.com").await);
        expect(alice.patch(&format!("/items/{}", id(&item)), json!({"tag_ids": [id(&tag)]})).await, 200);
        moved("a tag added to an item", revision(&db, "alice@example.com").await);
        expect(alice.patch(&format!("/tags/{}", id(&tag)), json!({"name": "renamed"})).await, 200);
        moved("a tag rename", revision(&db, "alice@example.com").await);
        expect(alice.patch(&format!("/categories/{}", id(&cat)), json!({"color": "#333333"})).await, 200);
        moved("a category colour", revision(&db, "alice@example.com").await);
        expect(alice.post_empty(&format!("/items/{}/trash", id(&item))).await, 200);
        moved("moving an item to the trash", revision(&db, "alice@example.com").await);
        expect(alice.delete(&format!("/items/{}", id(&item))).await, 204);
        moved("purging an item", revision(&db, "alice@example.com").await);
        expect(alice.delete(&format!("/tags/{}", id(&tag))).await, 204);
        moved("deleting a tag", revision(&db, "alice@example.com").await);
        expect(alice.delete(&format!("/folders/{}", id(&folder))).await, 204);
        moved("deleting a folder", revision(&db, "alice@example.com").await);
        expect(alice.delete(&format!("/profiles/{}", id(&profile))).await, 204);
        moved("deleting a profile", revision(&db, "alice@example.com").await);

        assert_eq!(revision(&db, "bob@example.com").await, bob_before, "another account's writes");
    }
);

both_backends!(
    fn pages_show_counts_and_labels_as_of_the_latest_write(app) {
        let browser = Browser::new(&app);
        browser.sign_up("carol@example.com").await;
        let api = app.login("carol@example.com", PASSWORD).await;
        let private = api.profile_id("Private").await;
        let tag = api.create_tag("focus", "#123456").await;
        let first = api.create_item(json!({"profile_id": private, "title": "one", "tag_ids": [id(&tag)]})).await;
        let board = browser.get("/groups?by=tag").await;
        assert_eq!(count_of(&board.html, "focus"), 1);
        let by_status = browser.get("/groups").await;
        assert_eq!(count_of(&by_status.html, "Done"), 0);

        // Another item with the tag, and the first one done: both boards move at once.
        api.create_item(json!({"profile_id": private, "title": "two", "tag_ids": [id(&tag)]})).await;
        expect(api.patch(&format!("/items/{}", id(&first)), json!({"status": "done"})).await, 200);
        assert_eq!(count_of(&browser.get("/groups?by=tag").await.html, "focus"), 2);
        assert_eq!(count_of(&browser.get("/groups").await.html, "Done"), 1);

        // A renamed tag is renamed in the filters and on the cards.
        expect(api.patch(&format!("/tags/{}", id(&tag)), json!({"name": "deep focus"})).await, 200);
        let list = browser.get("/items").await;
        assert!(list.html.contains(">deep focus</option>"), "{}", list.html);
        assert!(!list.html.contains(">focus</option>"));
        assert_eq!(count_of(&browser.get("/groups?by=tag").await.html, "deep focus"), 2);

        // Trashing takes an item out of every count.
        expect(api.post_empty(&format!("/items/{}/trash", id(&first))).await, 200);
        assert_eq!(count_of(&browser.get("/groups?by=tag").await.html, "deep focus"), 1);
        assert_eq!(count_of(&browser.get("/groups").await.html, "Done"), 0);

        // A new folder is a choice in the list's filter and in the tree at once.
        let fresh = id(&api.create_folder(private, None, "Fresh folder").await);
        assert!(browser.get("/items").await.html.contains("Private: Fresh folder</option>"));
        assert!(browser.get("/tree").await.html.contains(">Fresh folder</span>"));
        // And opens with its items at once (the owner check reads the memoised folder list).
        api.create_item(json!({"profile_id": private, "title": "fresh item", "folder_id": fresh})).await;
        let items = browser.fragment(&format!("/tree/folders/{fresh}/items"), "tree").await;
        assert_eq!(items.status, 200, "{}", items.html);
        assert!(items.html.contains(">fresh item</a>"), "{}", items.html);
    }
);

both_backends!(
    fn a_schedule_longer_than_any_before_still_reaches_the_calendar(app) {
        let browser = Browser::new(&app);
        browser.sign_up("dan@example.com").await;
        let api = app.login("dan@example.com", PASSWORD).await;
        let private = api.profile_id("Private").await;
        api.create_item(json!({"profile_id": private, "title": "Short", "schedule_start": "2026-04-01T09:00:00Z", "schedule_end": "2026-04-02T09:00:00Z"})).await;
        // The week view bounds its scan by the longest schedule (one day so far).
        let week = browser.get("/calendar?week=2026-04-08").await;
        assert!(!week.html.contains("title=\"Short\""));
        // A project that started in January and ends in that week is longer than any
        // before it: the page must see the new bound, not the remembered one.
        api.create_item(json!({"profile_id": private, "title": "Project", "schedule_start": "2026-01-05T09:00:00Z", "schedule_end": "2026-04-09T18:00:00Z"})).await;
        let week = browser.get("/calendar?week=2026-04-08").await;
        assert_eq!(week.html.matches("title=\"Project\"").count(), 4, "6-9 April: {}", week.html);
        // And the list's schedule filter sees it too.
        let list = browser.get("/items?from=2026-04-08&to=2026-04-08").await;
        assert_eq!(page_titles(&list.html), ["Project"]);
    }
);

both_backends!(
    fn a_refused_form_creates_no_tags_and_keeps_what_was_typed(app) {
        let browser = Browser::new(&app);
        browser.sign_up("erin@example.com").await;
        let api = app.login("erin@example.com", PASSWORD).await;
        let private = api.profile_id("Private").await.to_string();
        let business = api.profile_id("Business").await;
        let elsewhere = api.create_folder(business, None, "Clients").await;
        browser.get("/items").await; // the tag list as it was, remembered
        // The item is refused (its folder is in another profile): the tag typed with it is
        // not created either, since both are written in one transaction.
        let page = browser
            .submit(
                "/items/new",
                "/items",
                &[
                    ("title", "Refused"),
                    ("kind", "bookmark"),
                    ("profile_id", &private),
                    ("folder_id", &id(&elsewhere).to_string()),
                    ("status", "not_started"),
                    ("new_tags", "fresh-tag"),
                ],
            )
            .await;
        assert_eq!(page.status, 422, "{}", page.html);
        let tags = expect(api.get("/tags").await, 200);
        assert!(
            !tags.as_array().unwrap().iter().any(|t| t["name"] == "fresh-tag"),
            "a refused item left a tag behind: {tags}"
        );
        assert!(
            page.html.contains("value=\"fresh-tag\""),
            "the typed tag is still in the form shown again: {}",
            page.html
        );
    }
);
