//! Folders: the tree per profile, memo, move and re-order, cycles refused, delete semantics.

use crate::common::*;

/// `name(child, child(...))` rendering of a tree answer, in its order, for exact comparisons.
fn shape(nodes: &Value) -> String {
    nodes
        .as_array()
        .expect("tree array")
        .iter()
        .map(|n| {
            let children = shape(&n["children"]);
            let name = n["name"].as_str().unwrap();
            if children.is_empty() {
                name.to_string()
            } else {
                format!("{name}({children})")
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Finds a node by name anywhere in the tree.
fn node<'a>(nodes: &'a Value, name: &str) -> Option<&'a Value> {
    nodes.as_array()?.iter().find_map(|n| {
        if n["name"] == name {
            Some(n)
        } else {
            node(&n["children"], name)
        }
    })
}

both_backends!(
    fn folder_crud_flat_list_and_tree(app) {
        let alice = app.signup("alice@example.com").await;
        let p = alice.profile_id("Private").await;
        let other = alice.profile_id("Business").await;

        let root = expect(
            alice
                .post(
                    "/folders",
                    json!({"profile_id": p, "name": "Reading", "memo": "things to read\nlater"}),
                )
                .await,
            201,
        );
        assert_eq!(root["name"], "Reading");
        assert_eq!(root["memo"], "things to read\nlater");
        assert!(root["parent_id"].is_null());
        assert_eq!(root["profile_id"], p);
        let child = alice.create_folder(p, Some(id(&root)), "Rust").await;
        assert_eq!(child["parent_id"], root["id"]);
        let grandchild = alice.create_folder(p, Some(id(&child)), "Async").await;
        let sibling = alice.create_folder(p, None, "Videos").await;
        alice.create_folder(other, None, "Elsewhere").await;

        alice.create_item(json!({"profile_id": p, "title": "a", "folder_id": id(&child)})).await;
        alice.create_item(json!({"profile_id": p, "title": "b", "folder_id": id(&child)})).await;
        alice.create_item(json!({"profile_id": p, "title": "c", "folder_id": id(&grandchild)})).await;

        let flat = expect(alice.get(&format!("/folders?profile_id={p}")).await, 200);
        let flat = flat.as_array().unwrap();
        assert_eq!(
            sorted(&ids(flat)),
            sorted(&[id(&root), id(&child), id(&grandchild), id(&sibling)])
        );
        let gc = flat.iter().find(|f| f["id"] == grandchild["id"]).unwrap();
        assert_eq!(gc["parent_id"], child["id"]);

        let tree = expect(alice.get(&format!("/folders/tree?profile_id={p}")).await, 200);
        assert_eq!(shape(&tree), "Reading(Rust(Async)),Videos");
        let rust = node(&tree, "Rust").unwrap();
        assert_eq!(rust["item_count"], 2);
        assert_eq!(node(&tree, "Async").unwrap()["item_count"], 1);
        assert_eq!(node(&tree, "Videos").unwrap()["item_count"], 0);
        assert_eq!(node(&tree, "Reading").unwrap()["memo"], "things to read\nlater");
        for key in ["id", "name", "memo", "position", "item_count", "children"] {
            assert!(rust.get(key).is_some(), "tree node lacks {key}: {rust}");
        }

        let got = expect(alice.get(&format!("/folders/{}", id(&child))).await, 200);
        assert_eq!(got["name"], "Rust");
        let patched = expect(
            alice
                .patch(
                    &format!("/folders/{}", id(&child)),
                    json!({"name": "Rust 🦀", "memo": "crates"}),
                )
                .await,
            200,
        );
        assert_eq!(patched["name"], "Rust 🦀");
        assert_eq!(patched["memo"], "crates");
        assert_eq!(patched["parent_id"], root["id"]);

        assert_invalid_field(
            &alice.post("/folders", json!({"profile_id": p, "name": ""})).await,
            "name",
        );
        assert_error(&alice.get("/folders/999999").await, 404, "not_found");
        assert_error(
            &alice.patch("/folders/999999", json!({"name": "x"})).await,
            404,
            "not_found",
        );
        assert_error(&alice.delete("/folders/999999").await, 404, "not_found");
        assert_error(
            &alice
                .post("/folders/999999/move", json!({"parent_id": null}))
                .await,
            404,
            "not_found",
        );
        // A parent in another profile.
        let elsewhere = alice.create_folder(other, None, "Other root").await;
        assert_error_any(
            &alice
                .post(
                    "/folders",
                    json!({"profile_id": p, "parent_id": id(&elsewhere), "name": "x"}),
                )
                .await,
            &[404, 409, 422],
        );
        assert_error_any(
            &alice
                .post(
                    &format!("/folders/{}/move", id(&sibling)),
                    json!({"parent_id": id(&elsewhere)}),
                )
                .await,
            &[404, 409, 422],
        );
        // A parent that does not exist.
        assert_error_any(
            &alice
                .post("/folders", json!({"profile_id": p, "parent_id": 999999, "name": "x"}))
                .await,
            &[404, 422],
        );
    }
);

both_backends!(
    fn moving_a_folder_into_its_own_subtree_is_a_conflict(app) {
        let alice = app.signup("alice@example.com").await;
        let p = alice.profile_id("Private").await;
        let a = alice.create_folder(p, None, "A").await;
        let b = alice.create_folder(p, Some(id(&a)), "B").await;
        let c = alice.create_folder(p, Some(id(&b)), "C").await;

        for target in [&a, &b, &c] {
            let r = alice
                .post(&format!("/folders/{}/move", id(&a)), json!({"parent_id": id(target)}))
                .await;
            assert_error(&r, 409, "conflict");
        }
        let tree = expect(alice.get(&format!("/folders/tree?profile_id={p}")).await, 200);
        assert_eq!(shape(&tree), "A(B(C))", "a refused move changes nothing");

        // Moving a descendant up is fine.
        let moved = expect(
            alice
                .post(&format!("/folders/{}/move", id(&c)), json!({"parent_id": null}))
                .await,
            200,
        );
        assert!(moved["parent_id"].is_null());
        let tree = expect(alice.get(&format!("/folders/tree?profile_id={p}")).await, 200);
        let top: Vec<&str> = tree
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["name"].as_str().unwrap())
            .collect();
        assert_eq!(sorted(&top), ["A", "C"]);
        assert_eq!(shape(&node(&tree, "A").unwrap()["children"]), "B");

        // And now A may go under C.
        expect(
            alice
                .post(&format!("/folders/{}/move", id(&a)), json!({"parent_id": id(&c)}))
                .await,
            200,
        );
        let tree = expect(alice.get(&format!("/folders/tree?profile_id={p}")).await, 200);
        assert_eq!(shape(&tree), "C(A(B))");
    }
);

both_backends!(
    fn folders_reorder_among_siblings(app) {
        let alice = app.signup("alice@example.com").await;
        let p = alice.profile_id("Private").await;
        let a = alice.create_folder(p, None, "A").await;
        let b = alice.create_folder(p, None, "B").await;
        let c = alice.create_folder(p, None, "C").await;
        let tree = expect(alice.get(&format!("/folders/tree?profile_id={p}")).await, 200);
        assert_eq!(shape(&tree), "A,B,C", "new folders go last");

        expect(
            alice
                .post(
                    &format!("/folders/{}/move", id(&c)),
                    json!({"parent_id": null, "before_id": id(&a)}),
                )
                .await,
            200,
        );
        let tree = expect(alice.get(&format!("/folders/tree?profile_id={p}")).await, 200);
        assert_eq!(shape(&tree), "C,A,B");

        expect(
            alice
                .post(
                    &format!("/folders/{}/move", id(&c)),
                    json!({"parent_id": null, "after_id": id(&a)}),
                )
                .await,
            200,
        );
        let tree = expect(alice.get(&format!("/folders/tree?profile_id={p}")).await, 200);
        assert_eq!(shape(&tree), "A,C,B");

        // Re-parent and place in one call.
        let x = alice.create_folder(p, Some(id(&b)), "X").await;
        alice.create_folder(p, Some(id(&b)), "Y").await;
        expect(
            alice
                .post(
                    &format!("/folders/{}/move", id(&a)),
                    json!({"parent_id": id(&b), "after_id": id(&x)}),
                )
                .await,
            200,
        );
        let tree = expect(alice.get(&format!("/folders/tree?profile_id={p}")).await, 200);
        assert_eq!(shape(&tree), "C,B(X,A,Y)");
    }
);

both_backends!(
    fn deleting_a_folder_moves_items_to_its_parent(app) {
        let alice = app.signup("alice@example.com").await;
        let p = alice.profile_id("Private").await;
        let top = alice.create_folder(p, None, "Top").await;
        let mid = alice.create_folder(p, Some(id(&top)), "Mid").await;
        let low = alice.create_folder(p, Some(id(&mid)), "Low").await;
        let in_mid = alice
            .create_item(json!({"profile_id": p, "title": "in mid", "folder_id": id(&mid)}))
            .await;
        let in_low = alice
            .create_item(json!({"profile_id": p, "title": "in low", "folder_id": id(&low)}))
            .await;
        let in_top = alice
            .create_item(json!({"profile_id": p, "title": "in top", "folder_id": id(&top)}))
            .await;

        let r = alice.delete(&format!("/folders/{}", id(&mid))).await;
        assert_eq!(r.0, 204, "{}", r.1);
        assert_error(&alice.get(&format!("/folders/{}", id(&mid))).await, 404, "not_found");
        assert_error(&alice.get(&format!("/folders/{}", id(&low))).await, 404, "not_found");
        for item in [&in_mid, &in_low] {
            let got = expect(alice.get(&format!("/items/{}", id(item))).await, 200);
            assert_eq!(got["folder_id"], top["id"], "items move to the deleted folder's parent");
        }
        let tree = expect(alice.get(&format!("/folders/tree?profile_id={p}")).await, 200);
        assert_eq!(shape(&tree), "Top");
        assert_eq!(node(&tree, "Top").unwrap()["item_count"], 3);

        // A root folder: its items end up in no folder.
        let r = alice.delete(&format!("/folders/{}", id(&top))).await;
        assert_eq!(r.0, 204, "{}", r.1);
        for item in [&in_mid, &in_low, &in_top] {
            let got = expect(alice.get(&format!("/items/{}", id(item))).await, 200);
            assert!(got["folder_id"].is_null(), "{got}");
        }
        let tree = expect(alice.get(&format!("/folders/tree?profile_id={p}")).await, 200);
        assert_eq!(shape(&tree), "");
    }
);
