//! A file's bytes as text: UTF-8 (with or without a byte-order mark), UTF-16 by its mark, or
//! the charset an HTML file declares in its first kilobytes (old Japanese exports are
//! Shift_JIS or EUC-JP). Binary data is refused rather than read as mojibake.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8};

use super::ReadError;

pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        return Ok(Cow::Owned(
            encoding.decode_with_bom_removal(bytes).0.into_owned(),
        ));
    }
    let head = &bytes[..bytes.len().min(4096)];
    if head.contains(&0) {
        return Err(ReadError::Binary);
    }
    let encoding = declared(head).unwrap_or(UTF_8);
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    let controls = text
        .chars()
        .take(4096)
        .filter(|c| c.is_control() && !c.is_whitespace())
        .count();
    if controls > 8 {
        return Err(ReadError::Binary);
    }
    Ok(text)
}

/// The charset of a `<meta charset=…>` or `<meta http-equiv content="…; charset=…">` near
/// the start, as the HTML prescan finds it (ASCII-compatible encodings only: a file that
/// declares UTF-16 without its mark is read as UTF-8).
fn declared(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let at = find(&lower, b"charset")?;
    let rest = &head[at + b"charset".len()..];
    let rest = rest.strip_prefix(b"=").or_else(|| {
        let trimmed = rest.trim_ascii_start();
        trimmed.strip_prefix(b"=")
    })?;
    let rest = rest.trim_ascii_start();
    let rest = rest
        .strip_prefix(b"\"")
        .or(rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|b| {
            matches!(
                b,
                b'"' | b'\'' | b';' | b'>' | b' ' | b'/' | b'\t' | b'\n' | b'\r'
            )
        })
        .unwrap_or(rest.len());
    let encoding = Encoding::for_label(&rest[..end])?;
    encoding.is_ascii_compatible().then_some(encoding)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_charsets_are_honoured() {
        let html = "<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=Shift_JIS\"><A HREF=\"https://例.jp/\">日本語のタイトル</A>";
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(html);
        assert!(std::str::from_utf8(&bytes).is_err());
        assert_eq!(decode(&bytes).unwrap(), html);

        let euc = "<meta charset=\"euc-jp\"><a href=\"https://a.example/\">東京</a>";
        let (bytes, _, _) = encoding_rs::EUC_JP.encode(euc);
        assert_eq!(decode(&bytes).unwrap(), euc);
    }

    #[test]
    fn marks_and_binary() {
        assert_eq!(decode(b"\xef\xbb\xbftitle,url\n").unwrap(), "title,url\n");
        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("[]".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(&utf16).unwrap(), "[]");
        assert_eq!(decode(b"\x7fELF\x02\x01\x01\0\0\0"), Err(ReadError::Binary));
        assert_eq!(decode(b""), Err(ReadError::Empty));
        // Invalid UTF-8 in a text file is replaced, not refused.
        assert_eq!(decode(b"a,b\n\xff\n").unwrap(), "a,b\n\u{fffd}\n");
    }
}
