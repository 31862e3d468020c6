//! When two saved links are the same page: the comparison key.
//!
//! The key forgets what does not change the page — the scheme (`http` and `https`), the case
//! of the host, a default port, a leading `www.`, a trailing slash, the fragment (unless it is
//! a `#!` or `#/` route of a single-page app), the order of query parameters, and the tracking
//! parameters that are known to be only that (`utm_*`, `fbclid`, `gclid`, …) — and keeps
//! everything else. Never the whole query: `watch?v=a` and `watch?v=b` are different videos.
//! The key is only compared; the stored URL is never rewritten.

use url::Url;

/// Query parameters that only track where a visitor came from.
const TRACKING: &[&str] = &[
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "igshid",
    "yclid",
    "_hsenc",
    "_hsmi",
    "twclid",
    "ttclid",
    "li_fat_id",
    "mkt_tok",
    "spm",
    "ref_src",
];

fn is_tracking(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("utm_") || TRACKING.contains(&name.as_str())
}

/// The comparison key of an http(s) URL, or `None` for anything else.
pub fn of(url: &str) -> Option<String> {
    let url = Url::parse(url.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let mut key = host.to_owned();
    if let Some(port) = url.port() {
        // `Url` already drops the scheme's default port; 80 under https (or 443 under http)
        // stays, as it names another server.
        key.push(':');
        key.push_str(&port.to_string());
    }
    let path = url.path();
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        ""
    };
    key.push_str(path);
    let mut params: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !is_tracking(k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if !params.is_empty() {
        params.sort();
        let query: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params)
            .finish();
        key.push('?');
        key.push_str(&query);
    }
    if let Some(fragment) = url.fragment() {
        if fragment.starts_with('!') || fragment.starts_with('/') {
            key.push('#');
            key.push_str(fragment);
        }
    }
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::of;

    #[test]
    fn the_same_page_has_one_key() {
        for (a, b) in [
            ("https://example.com/a", "http://example.com/a"),
            ("https://Example.COM/a", "https://example.com/a"),
            ("https://example.com:443/a", "https://example.com/a"),
            ("http://example.com:80/a", "https://example.com/a"),
            ("https://www.example.com/a", "https://example.com/a"),
            ("https://example.com/a/", "https://example.com/a"),
            ("https://example.com/", "https://example.com"),
            ("https://example.com/a#section-2", "https://example.com/a"),
            (
                "https://example.com/a?b=2&a=1",
                "https://example.com/a?a=1&b=2",
            ),
            (
                "https://example.com/a?utm_source=x&utm_medium=y&id=3",
                "https://example.com/a?id=3",
            ),
            ("https://example.com/a?fbclid=abc", "https://example.com/a"),
            (
                "https://example.com/a?gclid=1&UTM_Campaign=2",
                "https://example.com/a",
            ),
            (
                "https://例え.jp/パス",
                "https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9",
            ),
            (" https://example.com/a ", "https://example.com/a"),
        ] {
            assert_eq!(of(a), of(b), "{a} ~ {b}");
        }
    }

    #[test]
    fn different_pages_keep_different_keys() {
        for (a, b) in [
            (
                "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                "https://www.youtube.com/watch?v=oHg5SJYRHA0",
            ),
            (
                "https://example.com/a?page=1",
                "https://example.com/a?page=2",
            ),
            ("https://example.com/a?page=1", "https://example.com/a"),
            ("https://example.com/A", "https://example.com/a"),
            (
                "https://example.com/#!/inbox",
                "https://example.com/#!/sent",
            ),
            ("https://example.com/#/a", "https://example.com/"),
            ("https://example.com:8080/a", "https://example.com/a"),
            ("https://blog.example.com/a", "https://example.com/a"),
            ("https://example.com/a?ref=x", "https://example.com/a"),
        ] {
            assert_ne!(of(a), of(b), "{a} vs {b}");
        }
        assert_eq!(of("mailto:a@example.com"), None);
        assert_eq!(of("not a url"), None);
    }
}
