//! Web pages: the group board, the folder tree (with each folder's edit page) and the calendar.

use crate::common::*;
use crate::web::*;

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

/// The titles of the item rows of a tree fragment, in order (entities left encoded).
fn tree_titles(html: &str) -> Vec<String> {
    html.split("<a id=\"i")
        .skip(1)
        .map(|rest| {
            let open = rest.find('>').expect("end of the link tag") + 1;
            let close = rest[open..].find("</a>").expect("closing </a>") + open;
            rest[open..close].to_string()
        })
        .collect()
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
        // Folders are closed and carry no items: the folder says where its items load from,
        // and they come, ready to be dragged to another folder, when it is opened.
        assert!(!page.html.contains("<details open") && !page.html.contains(">filed</a>"), "{}", page.html);
        let child_html = between(&page.html, "Child &#60;i&#62;</span>", "</details></li>");
        assert!(child_html.contains(&format!("href=\"/items?profile={private}&#38;folder_id={}&#38;sort=manual\">View all</a>", id(&child))), "{child_html}");
        assert!(page.html.contains(&format!("<details hx-get=\"/tree/folders/{}/items\" hx-trigger=\"toggle once, retry\" hx-target=\"find .tree-slot\"><summary", id(&child))));
        let items = browser.fragment(&format!("/tree/folders/{}/items", id(&child)), "tree").await;
        assert!(items.html.contains(">filed</a>"), "{}", items.html);
        assert!(items.html.contains(&format!("data-drag-post=\"/items/{}/move\"", id(&api.list("").await[0]))), "{}", items.html);
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
        // The page says which conflict it is, not just that the request was refused.
        assert!(page.html.contains("cannot be moved into itself"), "{}", page.html);
        assert!(tree.html.contains("<li data-drag-post=\"/tree/folders/"));
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
    fn tree_links_each_folder_to_its_edit_page(app) {
        let (browser, api) = user(&app, "dora@example.com").await;
        let private = api.profile_id("Private").await;
        let top = id(&api.create_folder(private, None, "Top").await);
        let child = id(&api.create_folder(private, Some(top), "Child <i>").await);
        let other = id(&api.create_folder(private, None, "Other").await);
        let item = id(&api.create_item(json!({"profile_id": private, "title": "filed", "folder_id": child})).await);
        let tree = browser.get(&format!("/tree?profile={private}")).await;
        assert_eq!(tree.status, 200);
        // The tree carries no per-folder forms: one shared form for every ↑/↓ button, the
        // new-folder form and the header's log-out form.
        assert_eq!(tree.html.matches("<form").count(), 3, "{}", tree.html);
        assert_eq!(tree.html.matches("name=\"_csrf\"").count(), 3);
        for gone in ["folder-edit", "name=\"parent\"", "name=\"memo\"", "/delete\"", &format!(" action=\"/tree/folders/{top}")] {
            assert!(!tree.html.contains(gone), "{gone} in the tree");
        }
        // The shared form carries what both move handlers read (`back` for an item,
        // `back_profile` for a folder); the buttons name their own target and step.
        let shared = between(&tree.html, "<form method=\"post\" id=\"mv\">", "</form>");
        assert!(shared.contains(&format!("name=\"back\" value=\"/tree?profile={private}\"")), "{shared}");
        assert!(shared.contains(&format!("name=\"back_profile\" value=\"{private}\"")), "{shared}");
        assert!(tree.html.contains(&format!("<button form=\"mv\" formaction=\"/tree/folders/{top}/move\" name=\"step\" value=\"up\" aria-labelledby=\"up f{top}\">")));
        // An item's buttons come with the folder's items, when it is opened.
        assert!(!tree.html.contains(&format!("/items/{item}/move")));
        let items = browser.fragment(&format!("/tree/folders/{child}/items"), "tree").await;
        assert!(items.html.contains(&format!("<button form=\"mv\" formaction=\"/items/{item}/move\" name=\"step\" value=\"down\" aria-labelledby=\"down i{item}\">")), "{}", items.html);
        assert!(tree.html.contains(&format!("<span class=\"fname\" id=\"f{top}\">Top</span>")));
        assert!(tree.html.contains("<span id=\"up\" hidden>Up:</span><span id=\"down\" hidden>Down:</span>"));
        // Each folder links to its edit page, keeping the tree's profile.
        let edit = format!("/tree/folders/{child}?profile={private}");
        assert!(tree.html.contains(&format!("<a href=\"{edit}\" aria-label=\"Edit folder: Child &#60;i&#62;\">Edit</a>")), "{}", tree.html);
        // The ↑ of a folder, without JavaScript: posted through the shared form, back on the tree.
        let csrf = csrf_of(&tree.html);
        let page = browser
            .post(&format!("/tree/folders/{other}/move"), &[("_csrf", &csrf), ("back", &format!("/tree?profile={private}")), ("back_profile", &private.to_string()), ("step", "up")])
            .await;
        assert_eq!(page.path, format!("/tree?profile={private}"));
        assert!(page.html.find(">Other</span>").unwrap() < page.html.find(">Top</span>").unwrap());

        // The edit page: a signed-in page of the tree, with the folder's three forms.
        let page = browser.get(&edit).await;
        assert_eq!(page.status, 200, "{}", page.html);
        assert!(page.html.contains("<title>Edit folder: Child &#60;i&#62; · TidilySpace</title>"), "{}", page.html);
        assert!(page.html.contains(&format!("href=\"/tree?profile={private}\" aria-current=\"page\"")), "the side menu marks the tree");
        assert!(page.html.contains(&format!("<a href=\"/tree?profile={private}\">← Back to the tree</a>")));
        assert!(page.html.contains("name=\"name\" value=\"Child &#60;i&#62;\""));
        for action in [format!("/tree/folders/{child}"), format!("/tree/folders/{child}/move"), format!("/tree/folders/{child}/delete")] {
            let form = between(&page.html, &format!("action=\"{action}\""), "</form>");
            assert!(form.contains("name=\"_csrf\"") && form.contains(&format!("name=\"back_profile\" value=\"{private}\"")), "{form}");
        }
        // The parent choice: the current parent selected; never the folder itself or below it.
        let choice = between(&page.html, "<select name=\"parent\">", "</select>");
        assert!(choice.contains(&format!("<option value=\"{top}\" selected>Top</option>")), "{choice}");
        assert!(choice.contains(&format!("<option value=\"{other}\">Other</option>")), "{choice}");
        assert!(!choice.contains(&format!("value=\"{child}\"")), "{choice}");
        let top_page = browser.get(&format!("/tree/folders/{top}")).await;
        let choice = between(&top_page.html, "<select name=\"parent\">", "</select>");
        assert!(choice.contains("<option value=\"none\" selected>Top level</option>"), "{choice}");
        assert!(!choice.contains(&format!("value=\"{top}\"")) && !choice.contains(&format!("value=\"{child}\"")), "{choice}");
        assert!(top_page.html.contains("<a href=\"/tree\">← Back to the tree</a>"));

        // A blank name: the edit page again (422) with the error and what was typed.
        let csrf = csrf_of(&page.html);
        let page = browser
            .post(&format!("/tree/folders/{child}"), &[("_csrf", &csrf), ("name", " "), ("memo", "typed memo"), ("back_profile", &private.to_string())])
            .await;
        assert_eq!(page.status, 422, "{}", page.html);
        assert!(page.html.contains("<p class=\"alert\" role=\"alert\">Please check the highlighted fields.</p>"), "{}", page.html);
        assert!(page.html.contains("<span class=\"field-error\">must not be empty</span>"), "{}", page.html);
        assert!(page.html.contains("name=\"name\" value=\"\" maxlength=\"200\" required aria-invalid=\"true\""));
        assert!(page.html.contains(">typed memo</textarea>"));
        assert!(page.html.contains("<h1>Edit folder: Child &#60;i&#62;</h1>"), "the heading keeps the stored name");
        // A parent in another profile: the edit page again with the error.
        let business = api.profile_id("Business").await;
        let elsewhere = id(&api.create_folder(business, None, "Elsewhere").await);
        let page = browser
            .post(&format!("/tree/folders/{child}/move"), &[("_csrf", &csrf), ("parent", &elsewhere.to_string()), ("back_profile", &private.to_string())])
            .await;
        assert_eq!(page.status, 422, "{}", page.html);
        assert!(page.html.contains(&format!("action=\"/tree/folders/{child}/move\"")));
        // Saved: back on the tree it came from.
        let page = browser
            .post(&format!("/tree/folders/{child}"), &[("_csrf", &csrf), ("name", "Kid"), ("memo", "a memo"), ("back_profile", &private.to_string())])
            .await;
        assert_eq!(page.path, format!("/tree?profile={private}"));
        assert!(page.html.contains(">Kid</span>") && page.html.contains(">a memo</div>"));
        // Moved to the top level with the parent choice.
        let page = browser
            .post(&format!("/tree/folders/{child}/move"), &[("_csrf", &csrf), ("parent", "none"), ("back_profile", &private.to_string())])
            .await;
        assert_eq!(page.path, format!("/tree?profile={private}"));
        let folders = expect(api.get(&format!("/folders?profile_id={private}")).await, 200);
        let kid = folders.as_array().unwrap().iter().find(|f| f["name"] == "Kid").unwrap();
        assert!(kid["parent_id"].is_null(), "{kid}");

        // Signed out: the log-in form first.
        let page = Browser::new(&app).get_no_follow(&format!("/tree/folders/{top}")).await;
        assert_eq!(page.status, 303);
        assert_eq!(page.location.as_deref(), Some(format!("/login?next=%2Ftree%2Ffolders%2F{top}").as_str()));
        // Nobody else's folder, no unknown folder, no unknown profile to return to.
        let (_, eve_api) = user(&app, "erin@example.com").await;
        let eve_private = eve_api.profile_id("Private").await;
        let eves = id(&eve_api.create_folder(eve_private, None, "Erin's").await);
        for path in [
            format!("/tree/folders/{eves}"),
            "/tree/folders/999999".to_owned(),
            "/tree/folders/abc".to_owned(),
            format!("/tree/folders/{top}?profile={eve_private}"),
        ] {
            let page = browser.get(&path).await;
            assert_eq!(page.status, 404, "{path}");
            assert!(!page.html.contains("Erin&#39;s") && !page.html.contains("Erin's"), "{path}");
        }
        let page = browser
            .post(&format!("/tree/folders/{eves}"), &[("_csrf", &csrf), ("name", " ")])
            .await;
        assert_eq!(page.status, 404, "a form with errors for someone else's folder is still a 404");

        // In Japanese too.
        browser.submit("/settings", "/settings", &[("display_name", "Dora"), ("locale", "ja"), ("time_zone", "UTC")]).await;
        let page = browser.get(&format!("/tree/folders/{top}")).await;
        assert!(page.html.contains("<h1>フォルダを編集: Top</h1>") && page.html.contains("ツリーへ戻る"), "{}", page.html);
        let tree = browser.get("/tree").await;
        assert!(tree.html.contains("aria-label=\"フォルダを編集: Top\">編集</a>"), "{}", tree.html);
        assert!(tree.html.contains("<span id=\"up\" hidden>上へ:</span>"));
    }
);

both_backends!(
    fn tree_loads_a_folders_items_when_it_opens(app) {
        let (browser, api) = user(&app, "fay@example.com").await;
        let private = api.profile_id("Private").await;
        let business = api.profile_id("Business").await;
        let full = id(&api.create_folder(private, None, "Full").await);
        let sub = id(&api.create_folder(private, Some(full), "Sub").await);
        let empty = id(&api.create_folder(private, None, "Empty").await);
        // 51 items in Full: one more than an opened folder shows.
        let mut filed = Vec::new();
        for i in 0..51 {
            let title = format!("<b>n{i:02}</b>");
            filed.push(id(&api.create_item(json!({"profile_id": private, "title": title, "folder_id": full})).await));
        }
        // In a sub-folder, archived, in no folder, in another profile: not Full's items.
        api.create_item(json!({"profile_id": private, "title": "in sub", "folder_id": sub})).await;
        let archived = id(&api.create_item(json!({"profile_id": private, "title": "archived", "folder_id": full})).await);
        expect(api.post_empty(&format!("/items/{archived}/archive")).await, 200);
        api.item(private, "loose <one>").await;
        api.item(private, "loose two").await;
        api.item(business, "business loose").await;
        // The tree itself reads no items: closed folders with their counts and links.
        let tree = browser.get(&format!("/tree?profile={private}")).await;
        assert_eq!(tree.status, 200);
        assert!(!tree.html.contains("n00") && !tree.html.contains("loose") && !tree.html.contains("<details open"), "{}", tree.html);
        assert!(tree.html.contains(&format!("<span class=\"fname\" id=\"f{full}\">Full</span> <span class=\"n\">51 items</span>")), "{}", tree.html);
        assert!(tree.html.contains(&format!("<details class=\"unfiled\" hx-get=\"/tree/profiles/{private}/unfiled\" hx-trigger=\"toggle once, retry\" hx-target=\"find .tree-slot\">")));
        assert!(tree.html.contains(&format!("<a href=\"/items?profile={private}&#38;no_folder=true&#38;sort=manual\">View all</a>")));
        assert!(tree.html.contains("<template id=\"tree-loading\"><p class=\"muted small\">Loading…</p></template>"));
        assert!(tree.html.contains("The items could not be loaded. <button type=\"button\" data-retry>Try again</button>"));
        // Manual order: the last one moved to the front.
        let csrf = csrf_of(&tree.html);
        let moved = browser
            .post_fragment(&format!("/items/{}/move", filed[50]), "move", &[("_csrf", &csrf), ("before", &filed[0].to_string())])
            .await;
        assert_eq!(moved.status, 204);

        // Opened: the first 50 of its active items, in manual order, escaped, as a fragment.
        let page = browser.fragment(&format!("/tree/folders/{full}/items"), "tree").await;
        assert_eq!(page.status, 200, "{}", page.html);
        assert!(page.content_type.starts_with("text/html"), "{}", page.content_type);
        assert_eq!(page.cache_control, "no-store");
        assert!(!page.html.contains("<html") && !page.html.contains("<body") && !page.html.contains("<nav"), "{}", page.html);
        let mut expected = vec!["&#60;b&#62;n50&#60;/b&#62;".to_owned()];
        expected.extend((0..49).map(|i| format!("&#60;b&#62;n{i:02}&#60;/b&#62;")));
        assert_eq!(tree_titles(&page.html), expected);
        assert!(!page.html.contains("<b>") && !page.html.contains("archived") && !page.html.contains("in sub"));
        // Rows as the tree had them: dragged within the profile, ↑/↓ through the shared form.
        let first = filed[50];
        assert!(page.html.contains(&format!(
            "<li data-drag-post=\"/items/{first}/move\" data-drag-scope=\"item-p{private} p{private}\" data-drop-scope=\"item-p{private}\" data-drop-fields=\"before={first}\" data-drop-lower=\"after={first}\">"
        )), "{}", page.html);
        assert!(page.html.contains(&format!("<a id=\"i{first}\" href=\"/items/{first}?profile={private}\">")), "{}", page.html);
        assert!(page.html.contains(&format!(
            "<button form=\"mv\" formaction=\"/items/{first}/move\" name=\"step\" value=\"up\" aria-labelledby=\"up i{first}\">↑</button>"
        )));
        // More than shown: "View all" opens the folder's list in manual order.
        assert!(page.html.contains(&format!("<a href=\"/items?profile={private}&#38;folder_id={full}&#38;sort=manual\">View all</a>")), "{}", page.html);
        // Fewer: no "View all"; none: says so.
        let page = browser.fragment(&format!("/tree/folders/{sub}/items"), "tree").await;
        assert_eq!(tree_titles(&page.html), ["in sub"]);
        assert!(!page.html.contains("View all"), "{}", page.html);
        let page = browser.fragment(&format!("/tree/folders/{empty}/items"), "tree").await;
        assert_eq!(page.status, 200);
        assert_eq!(page.html.trim(), "<p class=\"muted small\">No items.</p>");
        // Each profile's items in no folder, the same way.
        let page = browser.fragment(&format!("/tree/profiles/{private}/unfiled"), "tree").await;
        assert_eq!(tree_titles(&page.html), ["loose &#60;one&#62;", "loose two"]);
        let page = browser.fragment(&format!("/tree/profiles/{business}/unfiled"), "tree").await;
        assert_eq!(tree_titles(&page.html), ["business loose"]);
        assert!(page.html.contains(&format!("data-drag-scope=\"item-p{business} p{business}\"")));

        // Visited by hand (no fragment header): the full list, a page of its own.
        let page = browser.get_no_follow(&format!("/tree/folders/{full}/items")).await;
        assert_eq!(page.status, 303);
        assert_eq!(page.location, Some(format!("/items?profile={private}&folder_id={full}&sort=manual")));
        let page = browser.get_no_follow(&format!("/tree/profiles/{private}/unfiled")).await;
        assert_eq!(page.location, Some(format!("/items?profile={private}&no_folder=true&sort=manual")));
        let page = browser.get(&format!("/tree/folders/{full}/items")).await;
        assert_eq!((page.status, page.path.as_str()), (200, format!("/items?profile={private}&folder_id={full}&sort=manual").as_str()));
        assert_eq!(page_titles(&page.html)[0], "&#60;b&#62;n50&#60;/b&#62;", "in manual order");

        // Signed out: the log-in page first, as for any page.
        let anon = Browser::new(&app);
        for path in [format!("/tree/folders/{full}/items"), format!("/tree/profiles/{private}/unfiled")] {
            let page = anon.get_no_follow(&path).await;
            assert_eq!(page.status, 303, "{path}");
            assert_eq!(page.location, Some(format!("/login?next={}", path.replace('/', "%2F"))), "{path}");
            let page = anon.fragment(&path, "tree").await;
            assert!(!page.html.contains("n00"), "{path}");
        }

        // Nobody else's folder or profile, nothing unknown: 404, showing none of theirs.
        let (_, other) = user(&app, "gus@example.com").await;
        let theirs_p = other.profile_id("Private").await;
        let theirs = id(&other.create_folder(theirs_p, None, "Gus").await);
        other.create_item(json!({"profile_id": theirs_p, "title": "secret filed", "folder_id": theirs})).await;
        other.item(theirs_p, "secret loose").await;
        for path in [
            format!("/tree/folders/{theirs}/items"),
            "/tree/folders/999999/items".to_owned(),
            "/tree/folders/abc/items".to_owned(),
            format!("/tree/profiles/{theirs_p}/unfiled"),
            "/tree/profiles/999999/unfiled".to_owned(),
            "/tree/profiles/abc/unfiled".to_owned(),
        ] {
            for page in [browser.fragment(&path, "tree").await, browser.get(&path).await] {
                assert_eq!(page.status, 404, "{path}");
                assert!(!page.html.contains("secret"), "{path}: {}", page.html);
            }
        }

        // In Japanese too.
        browser.submit("/settings", "/settings", &[("display_name", "Fay"), ("locale", "ja"), ("time_zone", "UTC")]).await;
        let page = browser.fragment(&format!("/tree/folders/{empty}/items"), "tree").await;
        assert!(page.html.contains("アイテムはありません。"), "{}", page.html);
        let page = browser.fragment(&format!("/tree/folders/{full}/items"), "tree").await;
        assert!(page.html.contains(">すべて表示</a>"), "{}", page.html);
        let tree = browser.get("/tree").await;
        assert!(tree.html.contains("読み込み中…") && tree.html.contains(">再試行</button>"), "{}", tree.html);
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

/// The dashboard's count labelled `label` and the list its link opens.
async fn count_and_list(browser: &Browser, label: &str) -> (i64, Vec<String>) {
    let page = browser.get("/dashboard").await;
    let li = page
        .html
        .split("<li>")
        .find(|li| li.contains(&format!("<span>{label}</span>")) && li.contains("class=\"count"))
        .unwrap_or_else(|| panic!("no count {label}: {}", page.html));
    let after = |marker: &str| {
        let rest = &li[li.find(marker).expect("marker") + marker.len()..];
        rest[..rest.find(['"', '<']).expect("end")].to_owned()
    };
    let href = after("href=\"").replace("&#38;", "&");
    let n = after("class=\"n\">").parse().expect("a count");
    let mut titles = page_titles(&browser.get(&href).await.html);
    titles.sort();
    (n, titles)
}

both_backends!(
    fn the_overdue_and_due_soon_counts_match_their_lists(app) {
        // Once the count took done items and the link took "started before today": a
        // finished item, a long one still running and one that started an hour ago made
        // them disagree. Both now read `Due`'s conditions.
        let (browser, api) = user(&app, "otto@example.com").await;
        let private = api.profile_id("Private").await;
        let at = |hours: i64| (chrono::Utc::now() + chrono::Duration::hours(hours)).to_rfc3339();
        for (title, status, start, end) in [
            ("started 3 days ago", "not_started", at(-72), None),
            ("done 3 days ago", "done", at(-72), None),
            ("running until next week", "in_progress", at(-120), Some(at(48))),
            ("started an hour ago", "undecided", at(-1), None),
            ("ended an hour ago", "on_hold", at(-2), Some(at(-1))),
            ("starts tomorrow", "not_started", at(24), None),
            ("done tomorrow", "done", at(24), None),
            ("starts in a fortnight", "not_started", at(24 * 14), None),
        ] {
            api.create_item(json!({"profile_id": private, "title": title, "status": status,
                "schedule_start": start, "schedule_end": end})).await;
        }
        let (n, overdue) = count_and_list(&browser, "Overdue").await;
        assert_eq!(overdue, ["ended an hour ago", "started 3 days ago", "started an hour ago"]);
        assert_eq!(n, 3, "the count is its list's length");
        let (n, soon) = count_and_list(&browser, "Within 7 days").await;
        assert_eq!(soon, ["starts tomorrow"]);
        assert_eq!(n, 1);
    }
);

both_backends!(
    fn board_columns_reach_past_the_newest_items(app) {
        // The board reads the 200 newest items once and tops up the columns still short:
        // a tag whose only item is older than all of them must still show it.
        let (browser, api) = user(&app, "gus@example.com").await;
        let private = api.profile_id("Private").await;
        let rare = api.create_tag("rare", "#111111").await;
        let common = api.create_tag("common", "#222222").await;
        api.create_item(json!({"profile_id": private, "title": "old rare", "tag_ids": [id(&rare)], "status": "on_hold"})).await;
        for n in 0..205 {
            api.create_item(json!({"profile_id": private, "title": format!("common {n}"), "tag_ids": [id(&common)]})).await;
        }
        let page = browser.get("/groups?by=tag").await;
        assert_eq!(page_titles(between(&page.html, "aria-label=\"rare\"", "</section>")), ["old rare"]);
        let commons = page_titles(between(&page.html, "aria-label=\"common\"", "</section>"));
        assert_eq!(commons.len(), 20, "two columns share the board: 20 cards each");
        assert_eq!(commons[0], "common 204", "newest first");
        let page = browser.get("/groups").await;
        assert_eq!(page_titles(between(&page.html, "aria-label=\"On hold\"", "</section>")), ["old rare"]);
    }
);

both_backends!(
    fn the_label_boards_show_labelled_items_behind_newer_plain_ones(app) {
        // Newer items without a label must not crowd the labelled ones out of their columns
        // (whether the board's first walk skips them or a column's own query finds them).
        let (browser, api) = user(&app, "hal@example.com").await;
        let private = api.profile_id("Private").await;
        let tag = api.create_tag("kept", "#333333").await;
        let cat = api.create_category("Kept", "#444444").await;
        api.create_item(json!({"profile_id": private, "title": "labelled", "tag_ids": [id(&tag)], "category_id": id(&cat)})).await;
        for n in 0..30 {
            api.create_item(json!({"profile_id": private, "title": format!("plain {n}")})).await;
        }
        let page = browser.get("/groups?by=tag").await;
        assert_eq!(page_titles(between(&page.html, "aria-label=\"kept\"", "</section>")), ["labelled"]);
        let page = browser.get("/groups?by=category").await;
        assert_eq!(page_titles(between(&page.html, "aria-label=\"Kept\"", "</section>")), ["labelled"]);
    }
);
