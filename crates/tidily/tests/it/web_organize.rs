//! The settings pages that manage profiles, categories and tags, on the `app` layer the API
//! uses: create, rename, recolour, re-order, delete after a page that says what the delete
//! does; refused forms come back with their errors; another account's records are 404.

use crate::common::*;
use crate::web::*;
use serde_json::json;

async fn user(app: &TestApp, email: &str) -> (Browser, Client) {
    let browser = Browser::new(app);
    browser.sign_up(email).await;
    (browser, app.login(email, PASSWORD).await)
}

fn names(list: &[serde_json::Value]) -> Vec<String> {
    list.iter()
        .map(|v| v["name"].as_str().unwrap().to_owned())
        .collect()
}

both_backends!(
    fn profiles_are_created_renamed_reordered_and_deleted_from_settings(app) {
        let (browser, api) = user(&app, "pia@example.com").await;
        let page = browser.submit("/settings/profiles", "/settings/profiles", &[("name", "Hobby")]).await;
        assert_eq!(page.status, 200, "{}", page.html);
        assert_eq!(page.path, "/settings/profiles?saved=1");
        assert!(page.html.contains("Saved"), "{}", page.html);
        assert_eq!(names(&api.profiles().await), ["Private", "Business", "Learning", "Hobby"]);
        // The same rules as the API: a taken name is a conflict, an empty one a field error.
        let taken = browser.submit("/settings/profiles", "/settings/profiles", &[("name", "Hobby")]).await;
        assert_eq!(taken.status, 409, "{}", taken.html);
        assert!(taken.html.contains("a profile with this name already exists"), "{}", taken.html);
        let empty = browser.submit("/settings/profiles", "/settings/profiles", &[("name", "  ")]).await;
        assert_eq!(empty.status, 422);
        assert!(empty.html.contains("aria-invalid=\"true\""));
        let long = "p".repeat(65);
        assert_eq!(browser.submit("/settings/profiles", "/settings/profiles", &[("name", &long)]).await.status, 422);
        let hobby = api.profile_id("Hobby").await;
        let renamed = browser
            .submit("/settings/profiles", &format!("/settings/profiles/{hobby}"), &[("name", "Hobbies")])
            .await;
        assert_eq!(renamed.status, 200);
        // Up twice: Private, Hobbies, Business, Learning.
        for _ in 0..2 {
            browser.submit("/settings/profiles", &format!("/settings/profiles/{hobby}/move"), &[("step", "up")]).await;
        }
        assert_eq!(names(&api.profiles().await), ["Private", "Hobbies", "Business", "Learning"]);
        browser.submit("/settings/profiles", &format!("/settings/profiles/{hobby}/move"), &[("step", "down")]).await;
        assert_eq!(names(&api.profiles().await), ["Private", "Business", "Hobbies", "Learning"]);
        // Deleting says what goes with it before anything goes.
        let folder = api.create_folder(hobby, None, "Guitar").await;
        api.create_item(json!({"profile_id": hobby, "title": "tab", "folder_id": folder["id"]})).await;
        let archived = api.create_item(json!({"profile_id": hobby, "title": "old"})).await;
        expect(api.post_empty(&format!("/items/{}/archive", archived["id"])).await, 200);
        let confirm = browser.get(&format!("/settings/profiles/{hobby}/delete")).await;
        assert_eq!(confirm.status, 200);
        assert!(confirm.html.contains("with its 1 folders and 2 items"), "{}", confirm.html);
        assert_eq!(api.profiles().await.len(), 4, "showing the page deleted nothing");
        let deleted = browser
            .submit(&format!("/settings/profiles/{hobby}/delete"), &format!("/settings/profiles/{hobby}/delete"), &[])
            .await;
        assert_eq!(deleted.path, "/settings/profiles?saved=deleted");
        assert_eq!(names(&api.profiles().await), ["Private", "Business", "Learning"]);
        assert!(api.list("").await.iter().all(|i| i["title"] != "tab"));
    }
);

both_backends!(
    fn the_last_profile_cannot_be_deleted_from_settings(app) {
        let (browser, api) = user(&app, "lou@example.com").await;
        let ids: Vec<i64> = api.profiles().await.iter().map(|p| p["id"].as_i64().unwrap()).collect();
        for id in &ids[1..] {
            let path = format!("/settings/profiles/{id}/delete");
            assert_eq!(browser.submit(&path, &path, &[]).await.path, "/settings/profiles?saved=deleted");
        }
        let last = format!("/settings/profiles/{}/delete", ids[0]);
        let refused = browser.submit(&last, &last, &[]).await;
        assert_eq!(refused.status, 409, "{}", refused.html);
        assert!(refused.html.contains("last profile"), "{}", refused.html);
        assert_eq!(api.profiles().await.len(), 1);
    }
);

both_backends!(
    fn categories_and_tags_are_managed_from_settings(app) {
        let (browser, api) = user(&app, "tom@example.com").await;
        let private = api.profile_id("Private").await;
        for (base, api_path) in [("/settings/categories", "/categories"), ("/settings/tags", "/tags")] {
            let created = browser.submit(base, base, &[("name", "Work"), ("color", "#112233")]).await;
            assert_eq!(created.status, 200, "{}", created.html);
            let list = expect(api.get(api_path).await, 200);
            assert_eq!(list[0]["name"], "Work");
            assert_eq!(list[0]["color"], "#112233");
            let id = list[0]["id"].as_i64().unwrap();
            // Rename and recolour in one form; a bad colour is a field error, nothing changes.
            let bad = browser.submit(base, &format!("{base}/{id}"), &[("name", "Jobs"), ("color", "red")]).await;
            assert_eq!(bad.status, 422);
            assert_eq!(expect(api.get(api_path).await, 200)[0]["name"], "Work");
            browser.submit(base, &format!("{base}/{id}"), &[("name", "Jobs"), ("color", "#445566")]).await;
            let list = expect(api.get(api_path).await, 200);
            assert_eq!((list[0]["name"].as_str(), list[0]["color"].as_str()), (Some("Jobs"), Some("#445566")));
            // A name the kind already has is a conflict; the other kind may use it.
            browser.submit(base, base, &[("name", "Home"), ("color", "#000000")]).await;
            let taken = browser.submit(base, &format!("{base}/{id}"), &[("name", "Home"), ("color", "#445566")]).await;
            assert_eq!(taken.status, 409);
            // Deleting states what happens to the items, then the items stay.
            let body = if api_path == "/tags" {
                json!({"profile_id": private, "title": "labelled", "tag_ids": [id]})
            } else {
                json!({"profile_id": private, "title": "labelled", "category_id": id})
            };
            let item = api.create_item(body).await;
            let confirm = browser.get(&format!("{base}/{id}/delete")).await;
            assert!(confirm.html.contains("1 items; the items themselves stay"), "{}", confirm.html);
            let path = format!("{base}/{id}/delete");
            let gone = browser.submit(&path, &path, &[]).await;
            assert_eq!(gone.path, format!("{base}?saved=deleted"));
            assert!(gone.html.contains("Deleted."), "{}", gone.html);
            let after = expect(api.get(&format!("/items/{}", item["id"])).await, 200);
            assert!(after["tags"].as_array().unwrap().is_empty());
            assert!(after["category_id"].is_null());
            expect(api.delete(&format!("/items/{}", item["id"])).await, 204);
        }
    }
);

both_backends!(
    fn another_accounts_records_are_404_on_the_settings_pages(app) {
        let (_, owner) = user(&app, "own@example.com").await;
        let (stranger, _) = user(&app, "str@example.com").await;
        let profile = owner.profile_id("Private").await;
        let tag = owner.create_tag("mine", "#123456").await["id"].as_i64().unwrap();
        let category = owner.create_category("mine", "#123456").await["id"].as_i64().unwrap();
        for path in [
            format!("/settings/profiles/{profile}/delete"),
            format!("/settings/tags/{tag}/delete"),
            format!("/settings/categories/{category}/delete"),
        ] {
            assert_eq!(stranger.get(&path).await.status, 404, "{path}");
            assert_eq!(stranger.submit("/settings/profiles", &path, &[]).await.status, 404, "{path}");
        }
        let rename = format!("/settings/tags/{tag}");
        assert_eq!(stranger.submit("/settings/tags", &rename, &[("name", "x"), ("color", "#000000")]).await.status, 404);
        assert_eq!(stranger.get("/settings/tags/not-a-number/delete").await.status, 404);
        assert_eq!(owner.profiles().await.len(), 3);
        assert_eq!(expect(owner.get("/tags").await, 200)[0]["name"], "mine");
    }
);

both_backends!(
    fn the_settings_pages_speak_japanese(app) {
        let browser = Browser::with_language(&app, "ja");
        let fields = [("email", "jun@example.com"), ("password", PASSWORD), ("locale", "ja")];
        browser.submit("/signup", "/signup", &fields).await;
        let page = browser.get("/settings/tags").await;
        assert!(page.html.contains("タグを追加"), "{}", page.html);
        let page = browser.get("/settings/profiles").await;
        assert!(page.html.contains("プロファイルを追加"), "{}", page.html);
        assert!(page.html.contains("フォルダ 0 件・アイテム 0 件"), "{}", page.html);
    }
);
