//! The reader view's article: what a page is about without its menus, ads and scripts.
//!
//! The article is found as Firefox's reader view finds it (`dom_smoothie`, a port of
//! Readability), then sanitised to a small set of tags and attributes (`ammonia`: no script,
//! no event handler, no `javascript:` or `data:` URL, no style, no frame, no form). Its
//! images are listed so that the capture can store them on our side; `localise` then points
//! each at its stored copy, or drops it. What is kept is safe to show on our origin, and is
//! served besides with a sandboxing CSP.

use std::collections::{HashMap, HashSet};

use dom_query::Document;
use dom_smoothie::{Config, Readability, TextMode};
use url::Url;

/// Characters of text an article has at least: less is a page to look at, not to read.
pub const MIN_TEXT: usize = 100;

/// Images kept per article at most (the first ones: the rest is rarely the point).
pub const MAX_IMAGES: usize = 20;

/// The readable article of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub title: String,
    pub byline: Option<String>,
    /// Sanitised HTML, images still at their own (absolute) addresses.
    pub html: String,
    /// Its text, for search and reading time.
    pub text: String,
    /// The images it shows, in order, at most [`MAX_IMAGES`].
    pub images: Vec<Url>,
}

/// The article of the page `html` found at `base`; `None` when the page has none worth
/// reading (an index page, an app shell).
pub fn extract(html: &str, base: &Url) -> Option<Article> {
    let cfg = Config {
        max_elements_to_parse: 30_000,
        text_mode: TextMode::Formatted,
        ..Default::default()
    };
    let mut readability = Readability::new(html, Some(base.as_str()), Some(cfg)).ok()?;
    let found = readability.parse().ok()?;
    let clean = sanitize(&found.content, base);
    let (html, images) = list_images(&clean);
    let text = found.text_content.trim().to_owned();
    if text.chars().count() < MIN_TEXT {
        return None;
    }
    Some(Article {
        title: found.title.trim().to_owned(),
        byline: found
            .byline
            .map(|b| b.trim().chars().take(200).collect::<String>())
            .filter(|b| !b.is_empty()),
        html,
        text,
        images,
    })
}

/// `html` with only the tags and attributes of a readable article left, links made
/// absolute against `base`.
pub fn sanitize(html: &str, base: &Url) -> String {
    let tags: HashSet<&str> = [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "rp",
        "rt",
        "ruby",
        "s",
        "samp",
        "section",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
        "var",
        "wbr",
    ]
    .into();
    let attributes: HashMap<&str, HashSet<&str>> = [
        ("a", ["href"].into()),
        ("img", ["src", "alt", "width", "height"].into()),
        ("td", ["colspan", "rowspan"].into()),
        ("th", ["colspan", "rowspan", "scope"].into()),
        ("ol", ["start", "reversed"].into()),
        ("time", ["datetime"].into()),
    ]
    .into();
    ammonia::Builder::default()
        .tags(tags)
        .tag_attributes(attributes)
        .generic_attributes(["lang", "dir", "title"].into())
        .url_schemes(["http", "https", "mailto"].into())
        .url_relative(ammonia::UrlRelative::RewriteWithBase(base.clone()))
        .link_rel(Some("noopener noreferrer nofollow ugc"))
        .clean(html)
        .to_string()
}

/// The sanitised `html` with images past the first [`MAX_IMAGES`] (or without an http(s)
/// address) removed, and the addresses of those left.
fn list_images(html: &str) -> (String, Vec<Url>) {
    let doc = Document::fragment(html);
    let mut images: Vec<Url> = Vec::new();
    for img in doc.select("img").iter() {
        let src = img
            .attr("src")
            .and_then(|s| Url::parse(&s).ok())
            .filter(|u| matches!(u.scheme(), "http" | "https"));
        match src {
            Some(url) if images.contains(&url) => {}
            Some(url) if images.len() < MAX_IMAGES => images.push(url),
            _ => img.remove(),
        }
    }
    (doc.html_root().inner_html().to_string(), images)
}

/// Points each image of `html` at its stored copy (`stored` maps an image's address to the
/// path it is served at); an image that was not stored is removed, so the article never
/// loads anything from another site.
pub fn localise(html: &str, stored: &HashMap<Url, String>) -> String {
    let doc = Document::fragment(html);
    for img in doc.select("img").iter() {
        let local = img
            .attr("src")
            .and_then(|s| Url::parse(&s).ok())
            .and_then(|u| stored.get(&u));
        match local {
            Some(path) => img.set_attr("src", path),
            None => img.remove(),
        }
    }
    doc.html_root().inner_html().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html lang="ja"><head><title>京都の紅葉 | 旅の記録</title>
    <script>window.evil = 1</script></head><body>
    <nav><a href="/">ホーム</a> <a href="/about">このサイトについて</a></nav>
    <article>
      <h1>京都の紅葉</h1>
      <p class="byline">山田 花子</p>
      <p>秋の京都は、東山から嵐山まで紅葉に染まります。朝早く出かければ、人の少ない境内で静かに楽しめます。</p>
      <p><img src="/img/a.jpg" alt="東福寺" onerror="alert(1)"> 東福寺の通天橋から見下ろす渓谷は、一面の赤に覆われます。</p>
      <p><a href="javascript:alert(2)">危ないリンク</a>と<a href="/maps">地図</a>。</p>
      <p style="color:red" onclick="steal()">清水寺の夜間拝観では、ライトアップされた紅葉と京都の街の灯りが重なります。</p>
      <iframe src="https://ads.example/frame"></iframe>
      <form action="/subscribe"><input name="email"></form>
      <p><img src="data:image/svg+xml;base64,PHN2Zz4=">南禅寺の水路閣も見逃せません。煉瓦のアーチと紅葉の組み合わせは写真の名所です。</p>
      <p>最後に、嵐山の竹林を抜けて渡月橋へ。川面に映る山の色が、旅の終わりを彩ります。</p>
    </article>
    <footer>© 2026 旅の記録</footer></body></html>"#;

    #[test]
    fn the_article_is_found_and_sanitised() {
        let base = Url::parse("https://travel.example/kyoto/autumn").unwrap();
        let a = extract(PAGE, &base).expect("an article");
        assert!(a.text.contains("東福寺の通天橋"), "{}", a.text);
        assert!(
            !a.text.contains("このサイトについて"),
            "the menu is not the article"
        );
        for gone in [
            "<script",
            "window.evil",
            "onerror",
            "onclick",
            "javascript:",
            "style=",
            "<iframe",
            "<form",
            "<input",
            "data:image",
        ] {
            assert!(!a.html.contains(gone), "{gone} in {}", a.html);
        }
        assert!(
            a.html.contains(r#"href="https://travel.example/maps""#),
            "{}",
            a.html
        );
        assert!(a.html.contains("noopener"), "{}", a.html);
        assert_eq!(
            a.images,
            vec![Url::parse("https://travel.example/img/a.jpg").unwrap()]
        );
    }

    #[test]
    fn stored_images_are_served_from_our_side_and_the_rest_removed() {
        let html = r#"<p><img src="https://a.example/1.png" alt="one"><img src="https://b.example/2.png"></p>"#;
        let stored = HashMap::from([(
            Url::parse("https://a.example/1.png").unwrap(),
            "/items/7/images/abc".to_owned(),
        )]);
        let out = localise(html, &stored);
        assert!(out.contains(r#"src="/items/7/images/abc""#), "{out}");
        assert!(out.contains(r#"alt="one""#));
        assert!(!out.contains("b.example"), "{out}");
    }

    #[test]
    fn only_the_first_images_are_kept() {
        let html: String = (0..30)
            .map(|n| format!(r#"<p><img src="https://a.example/{n}.png"></p>"#))
            .collect();
        let (kept, images) = list_images(&html);
        assert_eq!(images.len(), MAX_IMAGES);
        assert_eq!(kept.matches("<img").count(), MAX_IMAGES);
    }

    #[test]
    fn a_page_without_an_article_has_none() {
        let base = Url::parse("https://app.example/").unwrap();
        assert_eq!(
            extract("<html><body><div id=app></div></body></html>", &base),
            None
        );
    }
}
