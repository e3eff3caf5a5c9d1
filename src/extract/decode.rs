//! Bytes of a web page → text: BOM, then the HTTP charset, then `<meta charset>`, then UTF-8 (lossy).

use encoding_rs::Encoding;

/// How far into the page a `<meta charset>` is looked for (the HTML spec's prescan window is 1024 bytes;
/// real pages put long `<head>` preambles first, so look a little further).
const META_SCAN_BYTES: usize = 4096;

/// Decode a page to text. Order: byte-order mark, the `charset` of `content_type`, a `<meta charset>` or
/// `<meta http-equiv … content="…charset=…">` near the start, else UTF-8. Never fails: bad bytes become U+FFFD.
pub fn decode_page(bytes: &[u8], content_type: Option<&str>) -> String {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return decode_with(encoding, &bytes[bom_len..]);
    }
    let encoding = content_type
        .and_then(crate::text::charset::http_charset)
        .or_else(|| meta_charset(&bytes[..bytes.len().min(META_SCAN_BYTES)]))
        .unwrap_or(encoding_rs::UTF_8);
    decode_with(encoding, bytes)
}

fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> String {
    // A page cannot really be UTF-16 once we get here without a BOM; browsers treat such labels as UTF-8.
    let encoding = if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
        encoding_rs::UTF_8
    } else {
        encoding
    };
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// The encoding named by the first `<meta>` tag that declares one, in the given head of the page.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut rest = text.as_str();
    while let Some(start) = rest.find("<meta") {
        rest = &rest[start + 5..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if let Some(pos) = tag.find("charset") {
            let after = tag[pos + 7..].trim_start();
            if let Some(value) = after.strip_prefix('=') {
                let value = value.trim_start().trim_start_matches(['"', '\'']);
                let end = value
                    .find(|c: char| {
                        c == '"' || c == '\'' || c == ';' || c == '/' || c.is_whitespace()
                    })
                    .unwrap_or(value.len());
                if let Some(encoding) = Encoding::for_label(&value.as_bytes()[..end]) {
                    return Some(encoding);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_wins_over_everything() {
        let bytes = b"\xEF\xBB\xBF<meta charset=\"iso-8859-1\">caf\xC3\xA9";
        assert!(decode_page(bytes, Some("text/html; charset=iso-8859-1")).ends_with("café"));
    }

    #[test]
    fn http_charset_beats_meta() {
        let bytes = b"<meta charset=\"utf-8\">caf\xE9";
        assert!(decode_page(bytes, Some("text/html; charset=\"ISO-8859-1\"")).ends_with("café"));
    }

    #[test]
    fn meta_charset_and_http_equiv() {
        assert!(decode_page(b"<meta charset=windows-1252>\x93hi\x94", None)
            .ends_with("\u{201c}hi\u{201d}"));
        let equiv =
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">\xE9";
        assert!(decode_page(equiv, Some("text/html")).ends_with('é'));
    }

    #[test]
    fn defaults_to_lossy_utf8() {
        assert_eq!(decode_page(b"ok \xFF", None), "ok \u{FFFD}");
        assert_eq!(decode_page("é".as_bytes(), None), "é");
    }
}
