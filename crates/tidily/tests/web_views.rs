//! Web pages: the group board, the folder tree (with folder forms) and the calendar.

#[macro_use]
mod common;
mod web;

use common::*;
use web::*;

async fn user(app: &TestApp, email: &str) -> (Browser, Client) {
    let browser = Browser::new(app);
    let page = browser.sign_up(email).await;
    assert_eq!(page.path, "/dashboard", "{}", page.html);
    (browser, app.login(email, PASSWORD).await)
}

/// The HTML between `start` and the next `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} not in:\n{html}"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

both_backends!(
    fn groups_board_by_status_category_and_tag(app) {
        let (browser, api) = user(&app, "alice@example.com").await;
        let private = api.profile_id("Private").await;
        let tag = api.create_tag("deep work", "#123456").await;
        let cat = api.create_category("Articles", "#654321").await;
        api.create_item(json!({"profile_id": private, "title": "doing", "status": "in_progress", "tag_ids": [id(&tag)], "category_id": id(&cat)})).await;
        api.create_item(json!({"profile_id": private, "title": "finished", "status": "done"})).await;
        let page = browser.get("/groups").await;
        assert_eq!(page.status, 200);
        let done = between(&page.html, "aria-label=\"Done\"", "</section>");
        assert_eq!(page_titles(done), ["finished"]);
        let doing = between(&page.html, "aria-label=\"In progress\"", "</section>");
        assert_eq!(page_titles(doing), ["doing"]);
        // Status columns take dropped cards (the modal's edit form is the alternative).
        assert!(page.html.contains("data-drop-fields=\"status=done\""));
        assert!(page.html.contains("data-drag-post=\"/items/bulk\""));
        let page = browser.get("/groups?by=tag").await;
        let column = between(&page.html, "aria-label=\"deep work\"", "</section>");
        assert_eq!(page_titles(column), ["doing"]);
        assert!(column.contains("fill=\"#123456\""));
        let page = browser.get("/groups?by=category").await;
        assert_eq!(page_titles(between(&page.html, "aria-label=\"Articles\"", "</section>")), ["doing"]);
    }
);

both_backends!(
    fn tree_shows_nested_folders_and_edits_them(app) {
        let (browser, api) = user(&app, "bob@example.com").await;
        let private = api.profile_id("Private").await;
        let top = api.create_folder(private, None, "Top").await;
        let child = api.create_folder(private, Some(id(&top)), "Child <i>").await;
        api.create_item(json!({"profile_id": private, "title": "filed", "folder_id": id(&child)})).await;
        let page = browser.get(&format!("/tree?profile={private}")).await;
        assert_eq!(page.status, 200);
        // Child is nested inside Top's list, escaped, with its count.
        let top_html = between(&page.html, ">Top</span>", "</ul>");
        assert!(top_html.contains("Child &#60;i&#62;</span> <span class=\"n\">1 items"), "{}", page.html);
        // Items are listed in their folder, ready to be dragged to another one.
        let child_html = between(&page.html, "Child &#60;i&#62;</span>", "</details></li>");
        assert!(child_html.contains(">filed</a>"), "{child_html}");
        assert!(child_html.contains(&format!("data-drag-post=\"/items/{}/move\"", id(&api.list("").await[0]))), "{child_html}");
        assert!(page.html.contains(&format!("data-drop-fields=\"parent={}&amp;folder={}\"", id(&top), id(&top))));
        // Create, rename (with a memo) and delete through the forms.
        let csrf = csrf_of(&page.html);
        let page = browser
            .post("/tree/folders", &[("_csrf", &csrf), ("name", "Fresh"), ("profile_id", &private.to_string()), ("parent_id", ""), ("back_profile", &private.to_string())])
            .await;
        assert_eq!(page.path, format!("/tree?profile={private}"));
        assert!(page.html.contains(">Fresh</span>"));
        let fresh = api.get(&format!("/folders?profile_id={private}")).await;
        let fresh = expect(fresh, 200).as_array().unwrap().iter().find(|f| f["name"] == "Fresh").unwrap().clone();
        let page = browser
            .post(&format!("/tree/folders/{}", id(&fresh)), &[("_csrf", &csrf), ("name", "Renamed"), ("memo", "a note"), ("back_profile", "")])
            .await;
        assert_eq!(page.path, "/tree");
        assert!(page.html.contains(">Renamed</span>") && page.html.contains("a note"));
        let page = browser
            .post("/tree/folders", &[("_csrf", &csrf), ("name", " "), ("profile_id", &private.to_string())])
            .await;
        assert_eq!(page.status, 422);
        // Move (the keyboard and no-JavaScript alternative to dragging): Renamed goes under
        // Top, then back to the top level and one step up, before Top.
        let renamed = id(&fresh).to_string();
        let move_to = |fields: Vec<(&'static str, String)>| {
            let browser = &browser;
            let csrf = csrf.clone();
            let renamed = renamed.clone();
            async move {
                let mut all: Vec<(&str, &str)> = vec![("_csrf", &csrf)];
                all.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
                browser.post(&format!("/tree/folders/{renamed}/move"), &all).await
            }
        };
        move_to(vec![("parent", id(&top).to_string())]).await;
        let folders = expect(api.get(&format!("/folders?profile_id={private}")).await, 200);
        let parent_of = |name: &str| folders.as_array().unwrap().iter().find(|f| f["name"] == name).unwrap()["parent_id"].clone();
        assert_eq!(parent_of("Renamed"), id(&top));
        move_to(vec![("parent", "none".into())]).await;
        let page = move_to(vec![("step", "up".into())]).await;
        assert_eq!(page.status, 200, "{}", page.html);
        let tree = browser.get(&format!("/tree?profile={private}")).await;
        let renamed_at = tree.html.find(">Renamed</span>").unwrap();
        let top_at = tree.html.find(">Top</span>").unwrap();
        assert!(renamed_at < top_at, "Renamed moved before Top");
        // Into its own sub-folder: refused.
        let page = browser
            .post(&format!("/tree/folders/{}/move", id(&top)), &[("_csrf", &csrf), ("parent", &id(&child).to_string())])
            .await;
        assert_eq!(page.status, 409);
        assert!(tree.html.contains("draggable=\"true\" data-drag-post=\"/tree/folders/"));
        browser
            .post(&format!("/tree/folders/{}/delete", id(&top)), &[("_csrf", &csrf)])
            .await;
        let page = browser.get("/tree").await;
        assert!(!page.html.contains(">Top</span>") && !page.html.contains("Child &#60;i&#62;"));
        // Its item stays, moved out to the parent (top level: no folder).
        let item = &api.list("").await[0];
        assert!(item["folder_id"].is_null());
        // Another user's folder cannot be touched.
        let (_, eve_api) = user(&app, "eve@example.com").await;
        let eve_private = eve_api.profile_id("Private").await;
        let evefolder = eve_api.create_folder(eve_private, None, "Eve's").await;
        let page = browser
            .post(&format!("/tree/folders/{}/delete", id(&evefolder)), &[("_csrf", &csrf)])
            .await;
        assert_eq!(page.status, 404);
        assert_eq!(browser.get(&format!("/tree?profile={eve_private}")).await.status, 404);
    }
);

both_backends!(
    fn calendar_places_items_by_schedule(app) {
        let (browser, api) = user(&app, "carol@example.com").await;
        let private = api.profile_id("Private").await;
        // English accounts default to UTC.
        api.create_item(json!({"profile_id": private, "title": "Trip", "schedule_start": "2026-03-30T09:00:00Z", "schedule_end": "2026-04-02T18:00:00Z"})).await;
        api.create_item(json!({"profile_id": private, "title": "Call", "schedule_start": "2026-04-15T09:00:00Z", "reminder_at": "2026-04-14T08:00:00Z"})).await;
        api.create_item(json!({"profile_id": private, "title": "Unscheduled"})).await;
        let page = browser.get("/calendar?month=2026-04").await;
        assert_eq!(page.status, 200, "{}", page.html);
        assert!(page.html.contains("April 2026"));
        // The grid starts on Monday 30 March: Trip spans 30, 31 March and 1, 2 April.
        assert_eq!(page.html.matches("title=\"Trip\"").count(), 4, "{}", page.html);
        assert_eq!(page.html.matches("title=\"Call\"").count(), 2, "the day and the reminder");
        assert!(page.html.contains("🔔"));
        assert!(!page.html.contains("Unscheduled"));
        assert!(page.html.contains("month=2026-05") && page.html.contains("month=2026-03"));
        let march = browser.get("/calendar?month=2026-03").await;
        assert_eq!(march.html.matches("title=\"Trip\"").count(), 4, "30 Mar - 2 Apr are on March's grid too");
        assert!(!march.html.contains("title=\"Call\""));
        // The week of 1 April 2026 (Monday 30 March to Sunday 5 April).
        let week = browser.get("/calendar?week=2026-04-01").await;
        assert_eq!(week.status, 200);
        assert!(week.html.contains("2026-03-30 – 2026-04-05"), "{}", week.html);
        assert_eq!(week.html.matches("title=\"Trip\"").count(), 4);
        assert!(!week.html.contains("title=\"Call\""));
        assert!(week.html.contains("week=2026-04-06") && week.html.contains("week=2026-03-23"));
    }
);

both_backends!(
    fn dashboard_counts_due_and_unread(app) {
        let (browser, api) = user(&app, "dora@example.com").await;
        let private = api.profile_id("Private").await;
        let business = api.profile_id("Business").await;
        let soon = (chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339();
        api.create_item(json!({"profile_id": private, "title": "Due soon", "schedule_start": soon})).await;
        api.create_item(json!({"profile_id": private, "title": "To read", "kind": "reading_list"})).await;
        api.create_item(json!({"profile_id": business, "title": "Shipped", "status": "done"})).await;
        let page = browser.get("/dashboard").await;
        assert_eq!(page.status, 200);
        let counts = between(&page.html, "class=\"counts\"", "</ul>");
        assert!(counts.contains("href=\"/items?status=done\"><span class=\"n\">1</span>"), "{counts}");
        assert!(counts.contains("href=\"/items?status=not_started\"><span class=\"n\">1</span>"), "{counts}");
        let due = between(&page.html, "id=\"h-due\"", "</section>");
        assert_eq!(page_titles(due), ["Due soon"]);
        let reading = between(&page.html, "id=\"h-reading\"", "</section>");
        assert_eq!(page_titles(reading), ["To read"]);
        // One profile only.
        let page = browser.get(&format!("/dashboard?profile={business}")).await;
        let recent = between(&page.html, "id=\"h-recent\"", "</section>");
        assert_eq!(page_titles(recent), ["Shipped"]);
        assert!(page.html.contains(&format!("href=\"/items?profile={business}&#38;status=done\"")), "counts keep the profile");
    }
);
