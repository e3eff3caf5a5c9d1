//! Feed bytes → UTF-8 text: BOM > XML declaration `encoding=` > HTTP `charset` > UTF-8. Invalid bytes
//! become U+FFFD, never an error. XML declarations are then removed so the parser sees plain UTF-8.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use std::borrow::Cow;

/// Decode `bytes` to UTF-8 and strip every `<?xml …?>` declaration (the first one and stray ones).
/// Valid UTF-8 with at most a leading declaration is borrowed, not copied.
pub fn decode_to_utf8<'a>(bytes: &'a [u8], content_type: Option<&str>) -> Cow<'a, str> {
    let (encoding, body) = match Encoding::for_bom(bytes) {
        Some((enc, bom_len)) => (enc, &bytes[bom_len..]),
        None => (sniff_encoding(bytes, content_type), bytes),
    };
    if encoding == UTF_8 {
        if let Ok(text) = simdutf8::basic::from_utf8(body) {
            return strip_xml_declarations(text);
        }
    }
    match encoding.decode_without_bom_handling(body).0 {
        Cow::Borrowed(text) => strip_xml_declarations(text),
        Cow::Owned(text) => Cow::Owned(strip_xml_declarations(&text).into_owned()),
    }
}

/// Pick the encoding of a BOM-less document: its declaration, else the HTTP charset, else UTF-8.
fn sniff_encoding(bytes: &[u8], content_type: Option<&str>) -> &'static Encoding {
    if let Some(label) = declared_encoding(bytes) {
        return usable(Encoding::for_label(label.as_bytes()));
    }
    if let Some(encoding) = content_type.and_then(crate::text::charset::http_charset) {
        return usable(Some(encoding));
    }
    UTF_8
}

/// A declaration we could read in ASCII cannot be UTF-16 text; unknown labels fall back to UTF-8.
fn usable(enc: Option<&'static Encoding>) -> &'static Encoding {
    match enc {
        Some(e) if e == UTF_16LE || e == UTF_16BE || e == encoding_rs::REPLACEMENT => UTF_8,
        Some(e) => e,
        None => UTF_8,
    }
}

/// The `encoding="…"` of a leading XML declaration, if any.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(1024)];
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let head = &head[start..];
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = find(head, b"?>")?;
    let decl = String::from_utf8_lossy(&head[..end]);
    attribute_value(&decl, "encoding")
}

/// Value of `name="…"` or `name='…'` inside a tag's text.
pub(crate) fn attribute_value(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(pos) = rest.find(name) {
        let before_ok = pos == 0 || rest.as_bytes()[pos - 1].is_ascii_whitespace();
        let after = rest[pos + name.len()..].trim_start();
        rest = &rest[pos + name.len()..];
        if !before_ok {
            continue;
        }
        let Some(after_eq) = after.strip_prefix('=') else {
            continue;
        };
        let after_eq = after_eq.trim_start();
        let quote = after_eq.chars().next()?;
        if quote != '"' && quote != '\'' {
            return None;
        }
        let value = &after_eq[1..];
        let end = value.find(quote)?;
        return Some(value[..end].to_string());
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Remove every XML declaration (`<?xml` followed by whitespace, up to `?>`), wherever it appears.
fn strip_xml_declarations(text: &str) -> Cow<'_, str> {
    let finder = memchr::memmem::Finder::new("<?xml");
    let mut found = finder.find_iter(text.as_bytes());
    let Some(first) = found.next() else {
        return Cow::Borrowed(text);
    };
    let leading = text[..first].trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    if leading.is_empty() && found.next().is_none() && is_declaration(&text[first + 5..]) {
        let after = &text[first + 5..];
        return Cow::Borrowed(after.find("?>").map_or("", |end| &after[end + 2..]));
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find("<?xml") {
        let after = &rest[pos + 5..];
        if !is_declaration(after) {
            out.push_str(&rest[..pos + 5]);
            rest = after;
            continue;
        }
        out.push_str(&rest[..pos]);
        match after.find("?>") {
            Some(end) => rest = &after[end + 2..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// After `<?xml`: whitespace or `?` makes it a declaration (not `<?xml-stylesheet`).
fn is_declaration(after: &str) -> bool {
    after.starts_with(|c: char| c.is_ascii_whitespace() || c == '?')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declaration_beats_header() {
        let bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>Caf\xe9</a>";
        assert_eq!(
            decode_to_utf8(bytes, Some("text/xml; charset=utf-8")),
            "<a>Café</a>"
        );
    }

    #[test]
    fn header_applies_without_declaration() {
        let bytes = b"<a>Caf\xe9</a>";
        assert_eq!(
            decode_to_utf8(bytes, Some("text/xml; charset=\"iso-8859-1\"")),
            "<a>Café</a>"
        );
        assert_eq!(decode_to_utf8(bytes, None), "<a>Caf\u{FFFD}</a>");
    }

    #[test]
    fn unknown_label_is_utf8_and_stray_declarations_go() {
        let bytes = "<?xml version='1.0' encoding='x-klingon-8'?><a>é<?xml version=\"1.0\"?></a><?xml-stylesheet x?>";
        assert_eq!(
            decode_to_utf8(bytes.as_bytes(), None),
            "<a>é</a><?xml-stylesheet x?>"
        );
    }

    #[test]
    fn utf16_bom() {
        let mut bytes = vec![0xFE, 0xFF];
        for u in "<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>日</a>".encode_utf16() {
            bytes.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode_to_utf8(&bytes, None), "<a>日</a>");
    }
}
