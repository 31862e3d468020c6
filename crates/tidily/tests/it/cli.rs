//! The operational commands of the binary: migrate, seed, user administration, --help.

use crate::common::*;

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `tidily user create` for `email` with `password`.
fn create_user(app: &TestApp, email: &str, password: &str) -> String {
    app.cli_ok(&["user", "create", "--email", email, "--password", password])
}

/// `tidily user set-password` for `email`.
fn set_password(app: &TestApp, email: &str, password: &str) -> String {
    app.cli_ok(&[
        "user",
        "set-password",
        "--email",
        email,
        "--password",
        password,
    ])
}

/// The e-mail addresses printed by `tidily user list`.
fn listed_emails(app: &TestApp) -> Vec<String> {
    let out = app.cli_ok(&["user", "list"]);
    let mut emails: Vec<String> = out
        .split(|c: char| c.is_whitespace() || c == ',' || c == '|' || c == '"')
        .filter(|w| w.contains('@'))
        .map(str::to_string)
        .collect();
    emails.sort();
    emails.dedup();
    emails
}

both_backends!(
    fn migrate_is_idempotent(app) {
        // The harness already migrated; running again applies nothing and succeeds.
        for _ in 0..2 {
            let out = app.run_cli(&["migrate"]);
            assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
        }
        // The server still works on the twice-migrated schema.
        let c = app.signup("alice@example.com").await;
        let p = c.profile_id("Private").await;
        c.item(p, "after migrate").await;
        assert_eq!(c.titles("").await, ["after migrate"]);
    }
);

both_backends!(
    fn seed_is_idempotent_and_visible_through_the_api(app) {
        app.signup("bystander@example.com").await;
        app.cli_ok(&["seed"]);
        let emails = listed_emails(&app);
        let demo: Vec<&String> = emails.iter().filter(|e| *e != "bystander@example.com").collect();
        assert_eq!(demo.len(), 1, "exactly one demo user: {emails:?}");
        let demo = demo[0].clone();
        // The documented default demo password works, and set-password replaces it.
        app.login(&demo, "tidily-demo-password").await;
        set_password(&app, &demo, "demo password 123");
        let c = app.login(&demo, "demo password 123").await;

        let profiles = c.profiles().await;
        assert!(profiles.len() >= 3, "{profiles:?}");
        let mut counts = Vec::new();
        for p in &profiles {
            let items = c.walk_pages(&format!("profile_id={}&archived=any", id(p)), 200).await;
            assert!(items.len() >= 100, "profile {} has {} items", p["name"], items.len());
            counts.push(items.len());
        }
        let tags = expect(c.get("/tags").await, 200);
        assert!(tags.as_array().unwrap().len() >= 3, "{tags}");
        let scheduled = c.list_page("scheduled_from=2000-01-01T00:00:00Z&limit=5").await;
        assert!(!scheduled["items"].as_array().unwrap().is_empty(), "no scheduled demo items");

        // A folder tree three levels deep somewhere.
        fn depth(nodes: &Value) -> usize {
            nodes
                .as_array()
                .map(|a| a.iter().map(|n| 1 + depth(&n["children"])).max().unwrap_or(0))
                .unwrap_or(0)
        }
        let mut deepest = 0;
        for p in &profiles {
            let tree = expect(c.get(&format!("/folders/tree?profile_id={}", id(p))).await, 200);
            deepest = deepest.max(depth(&tree));
        }
        assert!(deepest >= 3, "folder depth {deepest}");

        // Seeding again changes nothing.
        app.cli_ok(&["seed"]);
        assert_eq!(listed_emails(&app).len(), 2);
        for (p, before) in profiles.iter().zip(&counts) {
            let items = c.walk_pages(&format!("profile_id={}&archived=any", id(p)), 200).await;
            assert_eq!(items.len(), *before, "second seed changed profile {}", p["name"]);
        }
        // The bystander's data was not touched.
        let by = app.login("bystander@example.com", PASSWORD).await;
        assert!(by.list("archived=any").await.is_empty());
    }
);

both_backends!(
    fn user_commands_create_set_password_promote_list(app) {
        create_user(&app, "Carol@Example.com", "carol's password");
        let carol = app.login("carol@example.com", "carol's password").await;
        let me = expect(carol.get("/me").await, 200);
        assert_eq!(me["email"], "carol@example.com");
        assert_eq!(me["role"], "user");
        let profiles = carol.profiles().await;
        assert_eq!(profiles.len(), 3, "CLI-created users get the default profiles too");

        // A duplicate is refused with a non-zero exit.
        let dup = app.run_cli(&[
            "user",
            "create",
            "--email",
            "carol@example.com",
            "--password",
            "another password",
        ]);
        assert!(!dup.status.success(), "duplicate user accepted: {}", stdout(&dup));
        // So is a short password.
        let short = app.run_cli(&["user", "create", "--email", "dave@example.com", "--password", "short"]);
        assert!(!short.status.success());

        set_password(&app, "carol@example.com", "a new password!");
        let old = app
            .anon()
            .post("/auth/token", json!({"email": "carol@example.com", "password": "carol's password"}))
            .await;
        assert_error(&old, 401, "invalid_credentials");
        app.login("carol@example.com", "a new password!").await;

        app.signup("erin@example.com").await;
        app.cli_ok(&["user", "promote", "--email", "carol@example.com"]);
        let carol = app.login("carol@example.com", "a new password!").await;
        assert_eq!(expect(carol.get("/me").await, 200)["role"], "admin");
        expect(carol.get("/admin/users").await, 200);

        let list = app.cli_ok(&["user", "list"]);
        assert!(list.contains("carol@example.com") && list.contains("erin@example.com"), "{list}");
        assert!(list.contains("admin"), "{list}");
        assert_eq!(listed_emails(&app), ["carol@example.com", "erin@example.com"]);

        let missing = app.run_cli(&["user", "promote", "--email", "nobody@example.com"]);
        assert!(!missing.status.success(), "promoting a missing user succeeded");
        assert!(!stderr(&missing).is_empty() || !stdout(&missing).is_empty());
    }
);

both_backends!(
    fn every_command_has_help(app) {
        for args in [
            vec!["--help"],
            vec!["serve", "--help"],
            vec!["migrate", "--help"],
            vec!["seed", "--help"],
            vec!["user", "--help"],
            vec!["user", "create", "--help"],
            vec!["user", "set-password", "--help"],
            vec!["user", "promote", "--help"],
            vec!["user", "list", "--help"],
            vec!["worker", "--help"],
            vec!["jobs", "--help"],
            vec!["jobs", "list", "--help"],
        ] {
            let out = app.run_cli(&args);
            assert!(out.status.success(), "tidily {args:?}: {}", stderr(&out));
            let text = stdout(&out);
            assert!(text.contains("Usage"), "tidily {args:?}: {text}");
        }
        let top = stdout(&app.run_cli(&["--help"]));
        for cmd in ["serve", "migrate", "seed", "user", "worker", "jobs"] {
            assert!(top.contains(cmd), "--help does not mention {cmd}: {top}");
        }
        let bad = app.run_cli(&["no-such-command"]);
        assert!(!bad.status.success());
    }
);
