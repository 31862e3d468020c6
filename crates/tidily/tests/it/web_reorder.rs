//! Web pages: manual order of items — dragging a row before or after another (as `app.js`
//! posts it) and the ↑/↓ buttons (the keyboard and no-JavaScript way), in the item list
//! sorted manually and in the tree.

use std::collections::HashMap;

use crate::common::*;
use crate::web::*;

async fn user(app: &TestApp, email: &str) -> (Browser, Client) {
    let browser = Browser::new(app);
    let page = browser.sign_up(email).await;
    assert_eq!(page.path, "/dashboard", "{}", page.html);
    (browser, app.login(email, PASSWORD).await)
}

/// Every item's place (folder and manual position), by ID.
async fn positions(api: &Client) -> HashMap<i64, String> {
    api.list("")
        .await
        .iter()
        .map(|i| (id(i), format!("{} {}", i["folder_id"], i["position"])))
        .collect()
}

/// The IDs whose position changed between two snapshots.
fn moved(before: &HashMap<i64, String>, after: &HashMap<i64, String>) -> Vec<i64> {
    let mut out: Vec<i64> = before
        .iter()
        .filter(|(id, p)| after.get(*id) != Some(*p))
        .map(|(id, _)| *id)
        .collect();
    out.sort();
    out
}

/// What the tree shows once `folder` and the profile's items in no folder are opened (as
/// `app.js` loads them): the two fragments, one after the other.
async fn opened(browser: &Browser, folder: i64, profile: i64) -> String {
    let filed = browser
        .fragment(&format!("/tree/folders/{folder}/items"), "tree")
        .await;
    let loose = browser
        .fragment(&format!("/tree/profiles/{profile}/unfiled"), "tree")
        .await;
    assert_eq!(
        (filed.status, loose.status),
        (200, 200),
        "{}{}",
        filed.html,
        loose.html
    );
    filed.html + &loose.html
}

both_backends!(
    fn items_reorder_in_the_manually_sorted_list(app) {
        let (browser, api) = user(&app, "olga@example.com").await;
        let private = api.profile_id("Private").await;
        let [a, b, c] = [
            id(&api.item(private, "a").await),
            id(&api.item(private, "b").await),
            id(&api.item(private, "c").await),
        ];
        let list = "/items?sort=manual";
        let page = browser.get(list).await;
        assert_eq!(page_titles(&page.html), ["a", "b", "c"]);
        // Rows are draggable onto each other within their folder, and each has ↑/↓ buttons
        // with the item's name in their label and the CSRF token in their form.
        let scope = format!("data-drag-scope=\"item-p{private}-f0\"");
        assert!(page.html.contains(&format!("data-drag-post=\"/items/{c}/move\" {scope}")), "{}", page.html);
        assert!(page.html.contains(&format!("data-drop-fields=\"before={a}\" data-drop-lower=\"after={a}\"")));
        assert!(page.html.contains("aria-label=\"Up: c\"") && page.html.contains("aria-label=\"Down: a\""));
        let form = &page.html[page.html.find(&format!("action=\"/items/{b}/move\"")).unwrap()..];
        let form = &form[..form.find("</form>").unwrap()];
        assert!(form.contains("name=\"_csrf\"") && form.contains("name=\"back\" value=\"/items?sort=manual\""), "{form}");
        // Other sorts have no handles or buttons.
        let other = browser.get("/items?sort=title").await;
        assert!(!other.html.contains("class=\"reorder\"") && !other.html.contains("data-drag-post"));
        let csrf = csrf_of(&page.html);
        let step = |item: i64, dir: &'static str| {
            let browser = &browser;
            let csrf = csrf.clone();
            async move {
                browser
                    .post(&format!("/items/{item}/move"), &[("_csrf", &csrf), ("step", dir), ("back", list)])
                    .await
            }
        };
        // ↑ on c: one place up, back on the same list; only c's row is written.
        let before = positions(&api).await;
        let page = step(c, "up").await;
        assert_eq!(page.path, list);
        assert_eq!(page_titles(&page.html), ["a", "c", "b"]);
        assert_eq!(moved(&before, &positions(&api).await), [c]);
        // Already first: nothing changes.
        let page = step(a, "up").await;
        assert_eq!(page_titles(&page.html), ["a", "c", "b"]);
        let page = step(a, "down").await;
        assert_eq!(page_titles(&page.html), ["c", "a", "b"]);
        // A drop as app.js posts it: 204, the row placed before (or after) the target.
        let before = positions(&api).await;
        let drop = browser
            .post_fragment(&format!("/items/{b}/move"), "move", &[("_csrf", &csrf), ("before", &c.to_string())])
            .await;
        assert_eq!(drop.status, 204);
        assert_eq!(moved(&before, &positions(&api).await), [b]);
        assert_eq!(page_titles(&browser.get(list).await.html), ["b", "c", "a"]);
        browser
            .post_fragment(&format!("/items/{b}/move"), "move", &[("_csrf", &csrf), ("after", &a.to_string())])
            .await;
        assert_eq!(page_titles(&browser.get(list).await.html), ["c", "a", "b"]);
        // A step by app.js says which row it went past, so the page can swap the two rows.
        let stepped = browser
            .post_fragment(&format!("/items/{b}/move"), "move", &[("_csrf", &csrf), ("step", "up")])
            .await;
        assert_eq!(stepped.status, 204);
        assert_eq!(stepped.headers["x-tidily-stepped-over"], a.to_string().as_str());
        assert_eq!(page_titles(&browser.get(list).await.html), ["c", "b", "a"]);
        // In descending order the buttons and drop halves swap meaning: ↑ still goes up.
        let desc = browser.get("/items?sort=manual&order=desc").await;
        assert_eq!(page_titles(&desc.html), ["a", "b", "c"]);
        assert!(desc.html.contains(&format!("data-drop-fields=\"after={a}\" data-drop-lower=\"before={a}\"")));
        browser
            .post(&format!("/items/{b}/move"), &[("_csrf", &csrf), ("step", "down"), ("back", "/items?sort=manual&order=desc")])
            .await;
        assert_eq!(page_titles(&browser.get("/items?sort=manual&order=desc").await.html), ["b", "a", "c"]);
        // A filed item has its own folder as its scope: it never reorders among other folders.
        let folder = id(&api.create_folder(private, None, "Inbox").await);
        api.create_item(json!({"profile_id": private, "title": "filed", "folder_id": folder})).await;
        let page = browser.get(list).await;
        assert!(page.html.contains(&format!("data-drag-scope=\"item-p{private}-f{folder}\"")));
        // The way back is a path on this site, never another site.
        let page = browser
            .post_no_follow(&format!("/items/{a}/move"), &[("_csrf", &csrf), ("step", "up"), ("back", "https://evil.example/")])
            .await;
        assert_eq!(page.location.as_deref(), Some("/items"));
        // Without the token, or on someone else's items: refused, nothing moves.
        let before = positions(&api).await;
        let page = browser.post(&format!("/items/{a}/move"), &[("step", "down")]).await;
        assert_eq!(page.status, 403);
        let (_, other) = user(&app, "pavel@example.com").await;
        let theirs = id(&other.item(other.profile_id("Private").await, "theirs").await);
        let page = browser.post(&format!("/items/{theirs}/move"), &[("_csrf", &csrf), ("step", "up")]).await;
        assert_eq!(page.status, 404);
        let page = browser.post(&format!("/items/{a}/move"), &[("_csrf", &csrf), ("before", &theirs.to_string())]).await;
        assert_eq!(page.status, 404);
        let page = browser.post(&format!("/items/{a}/move"), &[("_csrf", &csrf), ("step", "sideways")]).await;
        assert_eq!(page.status, 422);
        assert!(moved(&before, &positions(&api).await).is_empty());
    }
);

both_backends!(
    fn items_reorder_and_change_folder_in_the_tree(app) {
        let (browser, api) = user(&app, "quinn@example.com").await;
        let private = api.profile_id("Private").await;
        let folder = id(&api.create_folder(private, None, "Reading").await);
        let x = id(&api.create_item(json!({"profile_id": private, "title": "x", "folder_id": folder})).await);
        let y = id(&api.create_item(json!({"profile_id": private, "title": "y", "folder_id": folder})).await);
        let z = id(&api.item(private, "z").await);
        let tree = format!("/tree?profile={private}");
        let page = browser.get(&tree).await;
        // The tree shows the folder closed; its items come when it is opened.
        assert!(!page.html.contains(&format!("/items/{x}/move")), "{}", page.html);
        let items = opened(&browser, folder, private).await;
        // Items are drop targets for the items of their profile (not for folders), with the
        // ↑/↓ buttons coming back to this tree.
        assert!(items.contains(&format!(
            "data-drag-post=\"/items/{x}/move\" data-drag-scope=\"item-p{private} p{private}\" data-drop-scope=\"item-p{private}\" data-drop-fields=\"before={x}\""
        )), "{items}");
        assert!(page.html.contains(&format!("name=\"back\" value=\"/tree?profile={private}\"")));
        // One shared form for every button (on the tree page); each button names its own
        // target, and is labelled "Down:" and the item's title.
        assert!(items.contains(&format!(
            "<button form=\"mv\" formaction=\"/items/{x}/move\" name=\"step\" value=\"down\" aria-labelledby=\"down i{x}\">↓</button>"
        )), "{items}");
        assert!(items.contains(&format!("<a id=\"i{x}\" href=")) && page.html.contains("<span id=\"down\" hidden>Down:</span>"));
        assert!(page.html.contains(&format!("data-drag-post=\"/tree/folders/{folder}/move\" data-drag-fields=\"back_profile={private}\" data-drag-scope=\"p{private}\"")));
        // Items in no folder take a dropped item (out of its folder).
        assert!(page.html.contains(&format!("<summary data-drop-fields=\"folder=none\" data-drop-scope=\"item-p{private}\">")));
        let order = |html: &str| {
            let mut found: Vec<(usize, &str)> = ["x", "y", "z"]
                .into_iter()
                .map(|t| (html.find(&format!(">{t}</a>")).unwrap(), t))
                .collect();
            found.sort();
            found.into_iter().map(|(_, t)| t).collect::<Vec<_>>()
        };
        assert_eq!(order(&items), ["x", "y", "z"]);
        let csrf = csrf_of(&page.html);
        // ↓ on x, without JavaScript: back on the tree, x after y.
        let page = browser
            .post(&format!("/items/{x}/move"), &[("_csrf", &csrf), ("step", "down"), ("back", &tree)])
            .await;
        assert_eq!(page.path, tree);
        assert_eq!(order(&opened(&browser, folder, private).await), ["y", "x", "z"]);
        // z (in no folder) dropped before y: into the folder, in that place; one row written.
        let before = positions(&api).await;
        let drop = browser
            .post_fragment(&format!("/items/{z}/move"), "move", &[("_csrf", &csrf), ("before", &y.to_string())])
            .await;
        assert_eq!(drop.status, 204);
        assert_eq!(moved(&before, &positions(&api).await), [z]);
        let stored = expect(api.get(&format!("/items/{z}")).await, 200);
        assert_eq!(stored["folder_id"], folder);
        assert_eq!(order(&opened(&browser, folder, private).await), ["z", "y", "x"]);
        // y dropped on the profile's heading (fields folder=none): out of any folder, last.
        browser
            .post_fragment(&format!("/items/{y}/move"), "move", &[("_csrf", &csrf), ("parent", "none"), ("folder", "none")])
            .await;
        let stored = expect(api.get(&format!("/items/{y}")).await, 200);
        assert!(stored["folder_id"].is_null());
        // And back onto the folder: at its end.
        browser
            .post_fragment(&format!("/items/{y}/move"), "move", &[("_csrf", &csrf), ("parent", &folder.to_string()), ("folder", &folder.to_string())])
            .await;
        assert_eq!(order(&opened(&browser, folder, private).await), ["z", "x", "y"]);
        // A folder of another profile is refused.
        let work = api.profile_id("Business").await;
        let elsewhere = id(&api.create_folder(work, None, "Elsewhere").await);
        let page = browser
            .post(&format!("/items/{y}/move"), &[("_csrf", &csrf), ("folder", &elsewhere.to_string()), ("back", &tree)])
            .await;
        assert_eq!(page.status, 422);
    }
);
