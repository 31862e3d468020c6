//! Profiles: list, create, read, rename, re-order, delete (cascading), the last-profile rule.

use crate::common::*;

fn names(profiles: &[Value]) -> Vec<String> {
    profiles
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

both_backends!(
    fn profiles_crud_and_order(app) {
        let alice = app.signup("alice@example.com").await;
        let profiles = alice.profiles().await;
        for p in &profiles {
            for key in ["id", "name", "position", "created_at", "updated_at"] {
                assert!(p.get(key).is_some(), "profile lacks {key}: {p}");
            }
        }

        let hobby = expect(alice.post("/profiles", json!({"name": "Hobby"})).await, 201);
        assert_eq!(hobby["name"], "Hobby");
        assert_eq!(
            names(&alice.profiles().await),
            ["Private", "Business", "Learning", "Hobby"]
        );
        let got = expect(alice.get(&format!("/profiles/{}", id(&hobby))).await, 200);
        assert_eq!(got["name"], "Hobby");
        assert_eq!(got["id"], hobby["id"]);

        let renamed = expect(
            alice
                .patch(&format!("/profiles/{}", id(&hobby)), json!({"name": "趣味"}))
                .await,
            200,
        );
        assert_eq!(renamed["name"], "趣味");

        // Re-order: Private after Learning.
        let private = alice.profile_id("Private").await;
        let learning = alice.profile_id("Learning").await;
        expect(
            alice
                .patch(&format!("/profiles/{private}"), json!({"after_id": learning}))
                .await,
            200,
        );
        assert_eq!(
            names(&alice.profiles().await),
            ["Business", "Learning", "Private", "趣味"]
        );

        // Duplicate and invalid names.
        assert_error(&alice.post("/profiles", json!({"name": "Business"})).await, 409, "conflict");
        assert_error(
            &alice
                .patch(&format!("/profiles/{}", id(&hobby)), json!({"name": "Business"}))
                .await,
            409,
            "conflict",
        );
        assert_invalid_field(&alice.post("/profiles", json!({"name": ""})).await, "name");
        assert_error(&alice.get("/profiles/999999").await, 404, "not_found");
        assert_error(
            &alice.patch("/profiles/999999", json!({"name": "x"})).await,
            404,
            "not_found",
        );
        assert_error(&alice.delete("/profiles/999999").await, 404, "not_found");
    }
);

both_backends!(
    fn deleting_a_profile_deletes_its_folders_and_items(app) {
        let alice = app.signup("alice@example.com").await;
        let business = alice.profile_id("Business").await;
        let private = alice.profile_id("Private").await;
        let folder = alice.create_folder(business, None, "Clients").await;
        let filed = alice
            .create_item(json!({"profile_id": business, "title": "filed", "folder_id": id(&folder)}))
            .await;
        let loose = alice.item(business, "loose").await;
        let kept = alice.item(private, "kept").await;

        let resp = alice.delete(&format!("/profiles/{business}")).await;
        assert_eq!(resp.0, 204, "{}", resp.1);
        assert_error(&alice.get(&format!("/profiles/{business}")).await, 404, "not_found");
        assert_error(&alice.get(&format!("/folders/{}", id(&folder))).await, 404, "not_found");
        for item in [&filed, &loose] {
            assert_error(&alice.get(&format!("/items/{}", id(item))).await, 404, "not_found");
        }
        expect(alice.get(&format!("/items/{}", id(&kept))).await, 200);
        assert_eq!(alice.titles("archived=any").await, ["kept"]);
        assert_eq!(names(&alice.profiles().await), ["Private", "Learning"]);
    }
);

both_backends!(
    fn the_last_profile_cannot_be_deleted(app) {
        let alice = app.signup("alice@example.com").await;
        let profiles = alice.profiles().await;
        for p in &profiles[..2] {
            let r = alice.delete(&format!("/profiles/{}", id(p))).await;
            assert_eq!(r.0, 204, "{}", r.1);
        }
        let last = id(&profiles[2]);
        assert_error(&alice.delete(&format!("/profiles/{last}")).await, 409, "conflict");
        assert_eq!(names(&alice.profiles().await), ["Learning"]);
    }
);
