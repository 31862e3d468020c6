//! Turning a page's bytes into text, Japanese pages included.
//!
//! The order browsers use (WHATWG "encoding sniffing"): a byte-order mark, then the
//! `Content-Type` header's charset, then a `<meta>` in the first 1,024 bytes. Where none says
//! anything, or what was declared does not decode cleanly (a Shift_JIS page served as UTF-8
//! happens often), Firefox's statistical detector (`chardetng`) decides, helped by the
//! site's top-level domain.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, X_USER_DEFINED};

/// The decoded text and how it was decoded.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
}

/// Decodes a page's bytes; `content_type` is the header, `tld` the host's last label.
pub fn decode(body: &[u8], content_type: Option<&str>, tld: Option<&str>) -> Decoded {
    if let Some((encoding, bom)) = Encoding::for_bom(body) {
        let (text, _) = encoding.decode_without_bom_handling(&body[bom..]);
        return Decoded {
            text: text.into_owned(),
            encoding,
        };
    }
    let declared = content_type
        .and_then(header_charset)
        .or_else(|| prescan(body));
    if let Some(encoding) = declared {
        let (text, had_errors) = encoding.decode_without_bom_handling(body);
        if !had_errors {
            return Decoded {
                text: text.into_owned(),
                encoding,
            };
        }
    }
    let encoding = detect(body, tld);
    let (text, _) = encoding.decode_without_bom_handling(body);
    Decoded {
        text: text.into_owned(),
        encoding,
    }
}

/// What the bytes look like, statistically.
fn detect(body: &[u8], tld: Option<&str>) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(body, true);
    detector.guess(tld.map(str::as_bytes), true)
}

/// A label as a document may declare it: UTF-16 in a document that is being read as bytes
/// means UTF-8 (WHATWG), and `x-user-defined` means windows-1252.
fn for_label(label: &[u8]) -> Option<&'static Encoding> {
    let encoding = Encoding::for_label(label.trim_ascii())?;
    Some(if encoding == UTF_16BE || encoding == UTF_16LE {
        UTF_8
    } else if encoding == X_USER_DEFINED {
        encoding_rs::WINDOWS_1252
    } else {
        encoding
    })
}

/// The `charset` parameter of a `Content-Type` header.
fn header_charset(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| for_label(value.trim().trim_matches(['"', '\'']).as_bytes()))
            .flatten()
    })
}

/// The encoding a `<meta charset>` or `<meta http-equiv=content-type content=…charset=…>` in
/// the first 1,024 bytes declares (comments skipped).
fn prescan(body: &[u8]) -> Option<&'static Encoding> {
    let head = &body[..body.len().min(1024)];
    let mut i = 0;
    while i < head.len() {
        let rest = &head[i..];
        if rest.starts_with(b"<!--") {
            i += find(rest, b"-->").map_or(head.len(), |end| end + 3);
            continue;
        }
        if rest.len() > 5
            && rest[..5].eq_ignore_ascii_case(b"<meta")
            && (rest[5].is_ascii_whitespace() || rest[5] == b'/')
        {
            let end = find(rest, b">").unwrap_or(rest.len());
            if let Some(e) = meta_charset(&rest[5..end]) {
                return Some(e);
            }
            i += end;
            continue;
        }
        i += 1;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The charset one `<meta …>` tag's attributes declare.
fn meta_charset(attrs: &[u8]) -> Option<&'static Encoding> {
    let attrs = attributes(attrs);
    let get = |name: &str| {
        attrs
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    if let Some(charset) = get("charset") {
        return for_label(charset.as_bytes());
    }
    let is_content_type = get("http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("content-type"));
    let content = get("content")?;
    if !is_content_type {
        return None;
    }
    let lower = content.to_ascii_lowercase();
    let at = lower.find("charset")? + "charset".len();
    let value = lower[at..].trim_start().strip_prefix('=')?.trim_start();
    let value = value.trim_start_matches(['"', '\'']);
    let end = value
        .find(|c: char| c == ';' || c == '"' || c == '\'' || c.is_ascii_whitespace())
        .unwrap_or(value.len());
    for_label(&value.as_bytes()[..end])
}

/// The attributes of a tag's inside, as (name, value); values unquoted.
fn attributes(s: &[u8]) -> Vec<(String, String)> {
    let s = String::from_utf8_lossy(s);
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    let text = s.as_ref();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() || c == '/' {
            chars.next();
            continue;
        }
        let mut end = start;
        while let Some(&(i, c)) = chars.peek() {
            if c == '=' || c.is_whitespace() || c == '/' {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        let name = text[start..end].to_owned();
        while chars.peek().is_some_and(|&(_, c)| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek().is_some_and(|&(_, c)| c == '=') {
            chars.next();
            while chars.peek().is_some_and(|&(_, c)| c.is_whitespace()) {
                chars.next();
            }
            match chars.peek().map(|&(_, c)| c) {
                Some(q @ ('"' | '\'')) => {
                    chars.next();
                    for (_, c) in chars.by_ref() {
                        if c == q {
                            break;
                        }
                        value.push(c);
                    }
                }
                _ => {
                    while let Some(&(_, c)) = chars.peek() {
                        if c.is_whitespace() {
                            break;
                        }
                        value.push(c);
                        chars.next();
                    }
                }
            }
        }
        if name.is_empty() {
            chars.next();
        } else {
            out.push((name, value));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_meta_labels() {
        assert_eq!(
            header_charset("text/html; charset=\"Shift_JIS\"").map(|e| e.name()),
            Some("Shift_JIS")
        );
        assert_eq!(header_charset("text/html"), None);
        let page = b"<html><head><!-- <meta charset=utf-8> --><meta http-equiv=\"Content-Type\" content=\"text/html; charset=EUC-JP\"></head>";
        assert_eq!(prescan(page).map(|e| e.name()), Some("EUC-JP"));
        assert_eq!(
            prescan(b"<meta charset='x-sjis'>").map(|e| e.name()),
            Some("Shift_JIS")
        );
        assert_eq!(
            prescan(b"<meta charset=utf-16>").map(|e| e.name()),
            Some("UTF-8")
        );
        assert_eq!(prescan(b"<metadata charset=euc-jp>"), None);
    }
}
