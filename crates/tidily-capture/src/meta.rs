//! What a page says about itself: title, description, site, canonical URL, icon, preview
//! image, author, dates, language, and how long it takes to read.
//!
//! Each field is taken from the most specific source a page offers: Open Graph and Twitter
//! cards, then JSON-LD (schema.org), then plain HTML. URLs are made absolute against the
//! page's final URL; only http(s) ones are kept.

use chrono::{DateTime, NaiveDate, Utc};
use dom_query::{Document, Selection};
use serde_json::Value;
use tidily_core::domain::{page::PageMeta, search};
use url::Url;

/// Descriptions longer than this are cut (at a character boundary).
const DESCRIPTION_MAX: usize = 1000;

/// Reads the metadata of the page `html`, fetched from `base`, and its text.
pub fn extract(html: &str, base: &Url) -> (PageMeta, String) {
    let doc = Document::from(html);
    let ld = json_ld(&doc);
    let meta = |key: &str| meta_content(&doc, key);
    let ld_str = |key: &str| ld.iter().find_map(|v| ld_text(v.get(key)?));

    let title = meta("og:title")
        .or_else(|| meta("twitter:title"))
        .or_else(|| ld_str("headline"))
        .or_else(|| {
            let h1 = text(&doc.select("h1").first());
            text(&doc.select("head title").first()).map(|t| without_site(t, h1.as_deref()))
        })
        .or_else(|| text(&doc.select("h1").first()));
    let description = meta("og:description")
        .or_else(|| meta("twitter:description"))
        .or_else(|| meta("description"))
        .or_else(|| ld_str("description"))
        .map(|d| d.chars().take(DESCRIPTION_MAX).collect());
    let site_name = meta("og:site_name")
        .or_else(|| {
            ld.iter()
                .find_map(|v| ld_text(v.get("publisher")?.get("name")?))
        })
        .or_else(|| meta("application-name"));
    let canonical_url = doc
        .select("link[rel~='canonical']")
        .first()
        .attr("href")
        .and_then(|h| absolute(base, &h))
        .filter(|c| same_site(c, base))
        .map(String::from);
    let image_url = meta("og:image:secure_url")
        .or_else(|| meta("og:image"))
        .or_else(|| meta("og:image:url"))
        .or_else(|| meta("twitter:image"))
        .or_else(|| meta("twitter:image:src"))
        .or_else(|| ld.iter().find_map(|v| ld_image(v.get("image")?)))
        .and_then(|u| absolute(base, &u))
        .map(String::from);
    let author = meta("author")
        .or_else(|| meta("article:author").filter(|a| Url::parse(a).is_err()))
        .or_else(|| ld.iter().find_map(|v| ld_name(v.get("author")?)))
        .map(|a| a.chars().take(200).collect());
    let published_at = meta("article:published_time")
        .or_else(|| ld_str("datePublished"))
        .or_else(|| meta("date"))
        .or_else(|| {
            doc.select("time[datetime]")
                .first()
                .attr("datetime")
                .map(String::from)
        })
        .and_then(|d| parse_date(&d));
    let lang = doc
        .select("html")
        .first()
        .attr("lang")
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .or_else(|| meta("og:locale").map(|l| l.replace('_', "-")))
        .map(|l| l.chars().take(35).collect());
    let favicon_url = favicon(&doc, base);
    let text = body_text(&doc);
    let reading_minutes = reading_minutes(&text);
    let meta = PageMeta {
        title,
        description,
        site_name,
        canonical_url,
        favicon_url,
        image_url,
        author,
        published_at,
        lang,
        reading_minutes,
    };
    (meta, text)
}

/// A selection's text, whitespace collapsed; `None` when empty.
fn text(sel: &Selection) -> Option<String> {
    clean(&sel.text())
}

/// Collapses runs of whitespace; `None` when nothing is left.
fn clean(s: &str) -> Option<String> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

/// The `content` of `<meta property=key>` or `<meta name=key>` (case-insensitive names).
fn meta_content(doc: &Document, key: &str) -> Option<String> {
    doc.select("meta[content]").iter().find_map(|m| {
        let named = ["property", "name", "itemprop"].iter().any(|a| {
            m.attr(a)
                .is_some_and(|v| v.trim().eq_ignore_ascii_case(key))
        });
        if named {
            m.attr("content").and_then(|c| clean(&c))
        } else {
            None
        }
    })
}

/// Every JSON-LD object of the page, `@graph` members included.
fn json_ld(doc: &Document) -> Vec<Value> {
    let mut out = Vec::new();
    for script in doc.select("script[type='application/ld+json']").iter() {
        let Ok(value) = serde_json::from_str::<Value>(script.text().trim()) else {
            continue;
        };
        flatten(value, &mut out);
    }
    out
}

fn flatten(value: Value, out: &mut Vec<Value>) {
    match value {
        Value::Array(items) => items.into_iter().for_each(|v| flatten(v, out)),
        Value::Object(mut map) => {
            if let Some(graph) = map.remove("@graph") {
                flatten(graph, out);
            }
            out.push(Value::Object(map));
        }
        _ => {}
    }
}

fn ld_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => clean(s),
        Value::Array(a) => a.iter().find_map(ld_text),
        _ => None,
    }
}

/// A person's or organisation's name: a string, `{name}`, or the first of a list.
fn ld_name(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => clean(s),
        Value::Object(o) => o.get("name").and_then(ld_text),
        Value::Array(a) => a.iter().find_map(ld_name),
        _ => None,
    }
}

/// An image: a URL, `{url}`, or the first of a list.
fn ld_image(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => clean(s),
        Value::Object(o) => o
            .get("url")
            .or_else(|| o.get("contentUrl"))
            .and_then(ld_image),
        Value::Array(a) => a.iter().find_map(ld_image),
        _ => None,
    }
}

/// `href` made absolute against `base`, if it is an http(s) URL.
fn absolute(base: &Url, href: &str) -> Option<Url> {
    let url = base.join(href.trim()).ok()?;
    matches!(url.scheme(), "http" | "https").then_some(url)
}

/// Same host, `www.` aside.
fn same_site(a: &Url, b: &Url) -> bool {
    let host = |u: &Url| {
        u.host_str()
            .map(|h| h.trim_start_matches("www.").to_ascii_lowercase())
    };
    host(a).is_some() && host(a) == host(b)
}

/// RFC 3339 (what Open Graph and schema.org use), or a plain date taken as midnight UTC.
fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.to_utc())
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d")
                .ok()?
                .and_hms_opt(0, 0, 0)
                .map(|d| d.and_utc())
        })
}

/// The best icon the page offers: the largest declared size, an apple-touch-icon counting as
/// 180 px when it gives none; else `/favicon.ico`. Scalable (SVG) icons are passed over: icons
/// are stored re-encoded as PNG, and SVG is not rasterised.
fn favicon(doc: &Document, base: &Url) -> Option<String> {
    let mut best: Option<(u32, Url)> = None;
    for link in doc.select("link[rel][href]").iter() {
        let rel = link.attr("rel").unwrap_or_default().to_ascii_lowercase();
        let rels: Vec<&str> = rel.split_whitespace().collect();
        let touch = rels
            .iter()
            .any(|r| *r == "apple-touch-icon" || *r == "apple-touch-icon-precomposed");
        if !touch && !rels.contains(&"icon") {
            continue;
        }
        let Some(url) = link.attr("href").and_then(|h| absolute(base, &h)) else {
            continue;
        };
        let kind = link.attr("type").unwrap_or_default().to_ascii_lowercase();
        if kind.contains("svg") || url.path().to_ascii_lowercase().ends_with(".svg") {
            continue;
        }
        let sizes = link.attr("sizes").unwrap_or_default().to_ascii_lowercase();
        let declared = sizes
            .split_whitespace()
            .filter_map(|s| {
                let (w, _) = s.split_once('x')?;
                w.parse::<u32>().ok()
            })
            .max();
        let size = declared.unwrap_or(if touch { 180 } else { 16 });
        if best.as_ref().is_none_or(|(b, _)| size > *b) {
            best = Some((size, url));
        }
    }
    best.map(|(_, u)| u)
        .or_else(|| base.join("/favicon.ico").ok())
        .map(String::from)
}

/// A `<title>` without the site's name beside it ("Article | Site", "Site - Article"): the
/// heading, when the title is the heading and one other part no longer than it (site names
/// are short; "A - B testing explained" keeps its dash).
fn without_site(title: String, h1: Option<&str>) -> String {
    const SEPARATORS: [&str; 8] = [" | ", " - ", " – ", " — ", "｜", " :: ", " · ", " » "];
    let Some(h1) = h1.map(str::trim).filter(|h| !h.is_empty()) else {
        return title;
    };
    let site_beside = SEPARATORS.iter().any(|sep| {
        let parts: Vec<&str> = title.split(sep).map(str::trim).collect();
        match parts.as_slice() {
            [a, b] if *a == h1 => b.chars().count() <= h1.chars().count(),
            [a, b] if *b == h1 => a.chars().count() <= h1.chars().count(),
            _ => false,
        }
    });
    if site_beside {
        h1.to_owned()
    } else {
        title
    }
}

/// The text a reader reads: the body without scripts, styles and hidden templates.
fn body_text(doc: &Document) -> String {
    doc.select("script, style, noscript, template, svg")
        .remove();
    doc.select("body").text().to_string()
}

/// Minutes to read `text`: Japanese, Chinese and Korean at 500 characters a minute, other
/// scripts at 230 words a minute (a whitespace-separated count would take a Japanese page
/// for a few long words). `None` for a page without text.
pub fn reading_minutes(text: &str) -> Option<i32> {
    let mut cjk = 0usize;
    let mut words = 0usize;
    let mut in_word = false;
    for c in text.chars() {
        if read_as_character(c) {
            cjk += 1;
            in_word = false;
        } else if c.is_alphanumeric() {
            if !in_word {
                words += 1;
            }
            in_word = true;
        } else {
            in_word = false;
        }
    }
    if cjk + words == 0 {
        return None;
    }
    let minutes = cjk as f64 / 500.0 + words as f64 / 230.0;
    Some(minutes.ceil().max(1.0) as i32)
}

/// A character read one by one rather than in spaced words: Han, kana and Hangul
/// (`domain::search::is_cjk`), and their punctuation and full-width forms.
fn read_as_character(c: char) -> bool {
    search::is_cjk(c) || matches!(c as u32, 0x3000..=0x30FF | 0xFF01..=0xFF9F)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_time_counts_japanese_by_characters() {
        assert_eq!(reading_minutes(""), None);
        assert_eq!(reading_minutes(&"東京".repeat(500)), Some(2));
        assert_eq!(reading_minutes(&"word ".repeat(460)), Some(2));
        // One long "word" to a whitespace count, three minutes to a reader.
        assert_eq!(reading_minutes(&"日本語の文章".repeat(250)), Some(3));
    }

    #[test]
    fn a_title_loses_the_site_beside_its_heading() {
        let base = Url::parse("https://example.jp/").unwrap();
        for (title, h1, want) in [
            (
                "京都の紅葉を歩く | 旅の記録",
                "京都の紅葉を歩く",
                "京都の紅葉を歩く",
            ),
            (
                "旅の記録 - 京都の紅葉を歩く",
                "京都の紅葉を歩く",
                "京都の紅葉を歩く",
            ),
            (
                "京都の紅葉を歩く｜旅の記録",
                "京都の紅葉を歩く",
                "京都の紅葉を歩く",
            ),
            // A heading that is not a part of the title, or shorter than the rest, changes
            // nothing.
            ("Rust - Wikipedia", "Contents", "Rust - Wikipedia"),
            ("A - B testing explained", "A", "A - B testing explained"),
        ] {
            let html = format!(
                "<html><head><title>{title}</title></head><body><h1>{h1}</h1></body></html>"
            );
            let (m, _) = extract(&html, &base);
            assert_eq!(m.title.as_deref(), Some(want), "{title}");
        }
    }

    #[test]
    fn open_graph_before_json_ld_before_html() {
        let base = Url::parse("https://www.example.jp/blog/post?id=1").unwrap();
        let html = r#"<html lang="ja"><head>
            <title>Plain | Site</title>
            <meta property="og:title" content="  OG   title ">
            <meta name="description" content="plain description">
            <link rel="canonical" href="https://example.jp/blog/post">
            <link rel="icon" href="/i16.png" sizes="16x16">
            <link rel="icon" href="/i64.png" sizes="64x64">
            <link rel="apple-touch-icon" href="touch.png">
            <meta property="og:image" content="../img/cover.jpg">
            <script type="application/ld+json">{"@graph":[{"@type":"Article","author":[{"name":"山田 太郎"}],
              "datePublished":"2026-11-30T09:00:00+09:00","publisher":{"name":"例のサイト"}}]}</script>
            </head><body><script>var x = "not text";</script><p>本文です。</p></body></html>"#;
        let (m, text) = extract(html, &base);
        assert!(text.contains("本文です。") && !text.contains("not text"));
        assert_eq!(m.title.as_deref(), Some("OG title"));
        assert_eq!(m.description.as_deref(), Some("plain description"));
        assert_eq!(m.site_name.as_deref(), Some("例のサイト"));
        assert_eq!(
            m.canonical_url.as_deref(),
            Some("https://example.jp/blog/post")
        );
        assert_eq!(
            m.favicon_url.as_deref(),
            Some("https://www.example.jp/blog/touch.png")
        );
        assert_eq!(
            m.image_url.as_deref(),
            Some("https://www.example.jp/img/cover.jpg")
        );
        assert_eq!(m.author.as_deref(), Some("山田 太郎"));
        assert_eq!(
            m.published_at.map(|d| d.to_rfc3339()).as_deref(),
            Some("2026-11-30T00:00:00+00:00")
        );
        assert_eq!(m.lang.as_deref(), Some("ja"));
        assert_eq!(m.reading_minutes, Some(1));
    }

    #[test]
    fn missing_fields_fall_back_or_stay_empty() {
        let base = Url::parse("http://example.com/a/b").unwrap();
        let (m, _) = extract(
            "<html><body><h1> Heading </h1><link rel=canonical href='https://other.example/x'></body></html>",
            &base,
        );
        assert_eq!(m.title.as_deref(), Some("Heading"));
        assert_eq!(
            m.canonical_url, None,
            "a canonical URL on another site is ignored"
        );
        assert_eq!(
            m.favicon_url.as_deref(),
            Some("http://example.com/favicon.ico")
        );
        assert_eq!(m.description, None);
        let (m, _) = extract("<html><head></head><body></body></html>", &base);
        assert_eq!(m.title, None);
        assert_eq!(m.reading_minutes, None);
    }
}
