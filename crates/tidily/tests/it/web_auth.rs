//! Web pages: sign-up, log-in, log-out, CSRF on forms, the settings page, the shell.

use crate::common::*;
use crate::web::*;

both_backends!(
    fn signup_lands_on_the_dashboard(app) {
        let browser = Browser::new(&app);
        let page = browser.sign_up("alice@example.com").await;
        assert_eq!(page.status, 200, "{}", page.html);
        assert_eq!(page.path, "/dashboard");
        assert!(page.content_type.starts_with("text/html"), "{}", page.content_type);
        assert_eq!(page.cache_control, "no-store");
        assert!(page.html.contains("<h1>Dashboard</h1>"), "{}", page.html);
        // The shell: every profile in the drop-down, the side menu and "New item".
        for profile in ["Private", "Business", "Learning"] {
            assert!(page.html.contains(profile), "profile {profile} missing");
        }
        for entry in ["/items", "/groups", "/tree", "/calendar", "/favorites", "/archive", "/trash"] {
            assert!(page.html.contains(&format!("href=\"{entry}\"")), "menu entry {entry} missing");
        }
        assert!(page.html.contains("href=\"/items/new\""));
        // `/` now leads to the dashboard.
        assert_eq!(browser.get("/").await.path, "/dashboard");
        // The account works with the API too.
        expect(app.login("alice@example.com", PASSWORD).await.get("/me").await, 200);
    }
);

both_backends!(
    fn signup_errors_are_shown_on_the_form(app) {
        let browser = Browser::new(&app);
        let page = browser
            .submit("/signup", "/signup", &[("email", "not-an-address"), ("password", "short")])
            .await;
        assert_eq!(page.status, 422);
        assert!(page.html.contains("must be an e-mail address"), "{}", page.html);
        assert!(page.html.contains("must be at least 10 characters"), "{}", page.html);
        assert!(page.html.contains("value=\"not-an-address\""), "entered value kept");
        browser.sign_up("taken@example.com").await;
        let other = Browser::new(&app);
        let page = other.sign_up("taken@example.com").await;
        assert_eq!(page.status, 422);
        assert!(page.html.contains("already registered"), "{}", page.html);
    }
);

both_backends!(
    fn login_and_logout(app) {
        let browser = Browser::new(&app);
        browser.sign_up("bob@example.com").await;
        let page = browser.get("/dashboard").await;
        let csrf = csrf_of(&page.html);
        let out = browser.post("/logout", &[("_csrf", &csrf)]).await;
        assert_eq!(out.path, "/login");
        // Signed out: pages send the visitor to the log-in form, remembering the way.
        let page = browser.get_no_follow("/items?status=done").await;
        assert_eq!(page.status, 303);
        assert_eq!(
            page.location.as_deref(),
            Some("/login?next=%2Fitems%3Fstatus%3Ddone")
        );
        // A wrong password is refused on the form.
        let page = browser.log_in("bob@example.com", "wrong password!").await;
        assert_eq!(page.status, 401);
        assert!(page.html.contains("Wrong e-mail address or password"), "{}", page.html);
        // The right one goes on to where the visitor was going.
        let form = browser.get("/login?next=%2Fitems%3Fstatus%3Ddone").await;
        let csrf = csrf_of(&form.html);
        let page = browser
            .post(
                "/login",
                &[
                    ("_csrf", &csrf),
                    ("email", "BOB@example.com"),
                    ("password", PASSWORD),
                    ("next", "/items?status=done"),
                ],
            )
            .await;
        assert_eq!(page.status, 200, "{}", page.html);
        assert_eq!(page.path, "/items?status=done");
        // A signed-in visitor skips the form; `next` never leads off the site.
        assert_eq!(browser.get("/login").await.path, "/dashboard");
        let page = browser.get_no_follow("/login?next=%2F%2Fevil.example").await;
        assert_eq!(page.location.as_deref(), Some("/dashboard"));
    }
);

both_backends!(
    fn forms_without_csrf_are_refused(app) {
        let browser = Browser::new(&app);
        // Before a session: the log-in and sign-up forms need the pre-session token.
        let page = browser
            .post("/signup", &[("email", "eve@example.com"), ("password", PASSWORD)])
            .await;
        assert_eq!(page.status, 403, "{}", page.html);
        assert!(page.html.contains("403"));
        let page = browser.post("/login", &[("email", "eve@example.com"), ("password", PASSWORD)]).await;
        assert_eq!(page.status, 403);
        browser.sign_up("eve@example.com").await;
        // Signed in: a post without `_csrf`, or with another value, changes nothing.
        let page = browser.post("/logout", &[]).await;
        assert_eq!(page.status, 403);
        let page = browser.post("/logout", &[("_csrf", "forged")]).await;
        assert_eq!(page.status, 403);
        assert_eq!(browser.get("/dashboard").await.path, "/dashboard", "still signed in");
        let page = browser
            .post("/settings/tokens", &[("name", "sneaky")])
            .await;
        assert_eq!(page.status, 403);
        let api = app.login("eve@example.com", PASSWORD).await;
        assert_eq!(expect(api.get("/me/tokens").await, 200), json!([]));
    }
);

both_backends!(
    fn settings_password_language_and_tokens(app) {
        let browser = Browser::new(&app);
        browser.sign_up("carol@example.com").await;
        // A token's secret is shown once, on the answer to the form.
        let page = browser
            .submit("/settings", "/settings/tokens", &[("name", "laptop <b>"), ("expires_in_days", "30")])
            .await;
        assert_eq!(page.status, 201, "{}", page.html);
        let start = page.html.find("data-secret>").expect("secret shown") + "data-secret>".len();
        let secret: String = page.html[start..].chars().take_while(|c| *c != '<').collect();
        assert!(secret.starts_with("tds_"), "{secret}");
        assert!(page.html.contains("laptop &#60;b&#62;"), "name escaped");
        let api = app.anon().with_token(&secret);
        expect(api.get("/me").await, 200);
        let page = browser.get("/settings").await;
        assert!(!page.html.contains(&secret), "the secret is never shown again");
        // Revoke it.
        let id = api.get("/me/tokens").await;
        let id = expect(id, 200)[0]["id"].as_i64().unwrap();
        let csrf = csrf_of(&page.html);
        browser
            .post(&format!("/settings/tokens/{id}/revoke"), &[("_csrf", &csrf)])
            .await;
        assert_error(&api.get("/me").await, 401, "unauthenticated");
        // Language: the account's setting wins over the browser's.
        let page = browser
            .submit("/settings", "/settings", &[("display_name", "Carol"), ("locale", "ja"), ("time_zone", "Asia/Tokyo")])
            .await;
        assert_eq!(page.path, "/settings?saved=1");
        assert!(page.html.contains("<html lang=\"ja\">"), "{}", page.html);
        assert!(page.html.contains("保存しました"));
        // Password change: wrong current password is an error on the form; then it works.
        let page = browser
            .submit("/settings", "/settings/password", &[("current_password", "nope nope nope"), ("new_password", "a brand new password")])
            .await;
        assert_eq!(page.status, 422);
        let page = browser
            .submit("/settings", "/settings/password", &[("current_password", PASSWORD), ("new_password", "a brand new password")])
            .await;
        assert_eq!(page.path, "/settings?saved=password");
        let fresh = Browser::new(&app);
        assert_eq!(fresh.log_in("carol@example.com", PASSWORD).await.status, 401);
        assert_eq!(
            fresh.log_in("carol@example.com", "a brand new password").await.path,
            "/dashboard"
        );
    }
);

both_backends!(
    fn language_follows_the_browser_before_sign_in(app) {
        let ja = Browser::with_language(&app, "ja,en;q=0.5");
        assert!(ja.get("/login").await.html.contains("<html lang=\"ja\">"));
        let en = Browser::with_language(&app, "en-GB,en;q=0.9");
        assert!(en.get("/login").await.html.contains("<html lang=\"en\">"));
        let other = Browser::with_language(&app, "fr");
        assert!(other.get("/login").await.html.contains("<html lang=\"ja\">"), "default ja");
        // A Japanese account gets Japanese messages, error pages included, whatever the
        // browser asks for.
        let jp = Browser::with_language(&app, "en");
        jp.submit("/signup", "/signup", &[("email", "jp@example.com"), ("password", PASSWORD), ("locale", "ja")]).await;
        let page = jp.get("/items/999999").await;
        assert_eq!(page.status, 404);
        assert!(page.html.contains("ページが見つかりません"), "{}", page.html);
        let page = jp.submit("/items/new", "/items", &[("title", ""), ("profile_id", "0")]).await;
        assert_eq!(page.status, 422);
        assert!(page.html.contains("入力してください"), "{}", page.html);
        // Unknown pages and bad IDs are error pages, not JSON.
        en.sign_up("dave@example.com").await;
        let page = en.get("/items/not-a-number").await;
        assert_eq!(page.status, 404);
        assert!(page.content_type.starts_with("text/html"));
    }
);

/// Assets are served under content-hashed URLs with long cache lifetimes.
#[tokio::test]
async fn assets_are_cached_for_long() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let browser = Browser::new(&app);
    let page = browser.get("/login").await;
    for ext in ["css", "js"] {
        let marker = "/assets/app.";
        let at = page
            .html
            .match_indices(marker)
            .map(|(i, _)| i)
            .find(|i| page.html[*i..].split('"').next().unwrap().ends_with(ext))
            .unwrap_or_else(|| panic!("no app.{ext} link"));
        let url: String = page.html[at..].split('"').next().unwrap().to_string();
        let asset = browser.get(&url).await;
        assert_eq!(asset.status, 200, "{url}");
        assert!(asset.cache_control.contains("immutable"), "{url}");
        assert!(!asset.html.is_empty());
    }
    assert_eq!(browser.get("/assets/app.0000.css").await.status, 404);
    // PWA: the manifest, a service worker that caches these assets, the offline page.
    let manifest = browser.get("/manifest.webmanifest").await;
    assert_eq!(manifest.status, 200);
    let manifest: Value = serde_json::from_str(&manifest.html).expect("manifest is JSON");
    assert_eq!(manifest["start_url"], "/dashboard");
    // Installable everywhere: PNG icons of 192 and 512 pixels and a maskable one, each a
    // real PNG of its size, cached by the worker; iOS gets an apple-touch-icon.
    let worker = browser.get("/sw.js").await;
    let icons = manifest["icons"].as_array().expect("icons");
    for (sizes, purpose) in [
        ("192x192", "any"),
        ("512x512", "any"),
        ("512x512", "maskable"),
    ] {
        let icon = icons
            .iter()
            .find(|i| i["sizes"] == sizes && i["purpose"] == purpose && i["type"] == "image/png")
            .unwrap_or_else(|| panic!("no {sizes} {purpose} PNG in {icons:?}"));
        let src = icon["src"].as_str().unwrap();
        let (status, content_type, png) = browser.bytes(src).await;
        assert_eq!((status, content_type.as_str()), (200, "image/png"), "{src}");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{src}");
        let side = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
        let expected: u32 = sizes.split('x').next().unwrap().parse().unwrap();
        assert_eq!((side(16), side(20)), (expected, expected), "{src}");
        assert!(png.len() < 16 * 1024, "{src} is {} bytes", png.len());
        assert!(worker.html.contains(src), "the worker caches {src}");
    }
    assert!(page
        .html
        .contains("rel=\"apple-touch-icon\" href=\"/assets/icon-maskable-512."));
    assert!(worker.content_type.starts_with("text/javascript"));
    let css = page
        .html
        .split("href=\"")
        .find(|s| s.starts_with("/assets/app."))
        .unwrap();
    let css = css.split('"').next().unwrap();
    assert!(worker.html.contains(css), "the worker caches {css}");
    let offline = browser.get("/offline").await;
    assert_eq!(offline.status, 200);
    assert!(offline.html.contains("You are offline") && offline.html.contains("オフラインです"));
}
