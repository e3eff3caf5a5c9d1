//! A cheap guard against pathologically nested pages: parsing and Readability scoring grow
//! quadratically with nesting depth (20 000 nested `<div>`s take minutes) and recursion can overflow the
//! stack, which `catch_unwind` cannot catch. Real pages nest well under a hundred elements deep.

/// Pages nested deeper than this (by [`exceeds_depth`]'s estimate) are not extracted.
pub const MAX_NESTING_DEPTH: usize = 512;

/// Elements without an end tag, or whose end tag is optional: they never count as nesting.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "tbody", "thead",
    "tfoot", "colgroup", "rt", "rp", "html", "head", "body", "param", "keygen",
];

/// Elements whose content is text, not markup.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "noscript"];

/// Whether the open-minus-closed count of nesting tags ever goes above `limit`; a single linear
/// scan, stopping as soon as it does.
pub fn exceeds_depth(html: &str, limit: usize) -> bool {
    let bytes = html.as_bytes();
    let mut depth: usize = 0;
    let mut i = 0;
    while let Some(offset) = memchr_lt(&bytes[i..]) {
        i += offset + 1;
        if bytes[i..].starts_with(b"!--") {
            i = find(bytes, i, b"-->").map_or(bytes.len(), |end| end + 3);
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let name_len = bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 {
            continue;
        }
        let name = html[start..start + name_len].to_ascii_lowercase();
        let tag_end = find(bytes, start, b">").unwrap_or(bytes.len());
        let self_closing = tag_end > 0 && bytes.get(tag_end - 1) == Some(&b'/');
        i = tag_end.min(bytes.len());
        if closing {
            if !NOT_NESTING.contains(&name.as_str()) {
                depth = depth.saturating_sub(1);
            }
        } else if RAW_TEXT.contains(&name.as_str()) {
            let close = format!("</{name}");
            i = find_ascii_ci(html, i, &close).unwrap_or(bytes.len());
        } else if !self_closing && !NOT_NESTING.contains(&name.as_str()) {
            depth += 1;
            if depth > limit {
                return true;
            }
        }
    }
    false
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn find_ascii_ci(html: &str, from: usize, needle: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_caught() {
        let deep = format!("{}x{}", "<div>".repeat(600), "</div>".repeat(600));
        assert!(exceeds_depth(&deep, MAX_NESTING_DEPTH));
    }

    #[test]
    fn ordinary_pages_pass() {
        let many = format!("<div>{}</div>", "<p>para<br><img src=x>".repeat(5000));
        assert!(!exceeds_depth(&many, MAX_NESTING_DEPTH));
        let script = format!("<script>{}</script><div>ok</div>", "'<div>'+".repeat(5000));
        assert!(!exceeds_depth(&script, MAX_NESTING_DEPTH));
        let comment = format!("<!--{}-->", "<span>".repeat(5000));
        assert!(!exceeds_depth(&comment, MAX_NESTING_DEPTH));
        assert!(!exceeds_depth("<a <b </ <", 2));
    }
}
