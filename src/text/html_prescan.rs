//! Cheap linear pre-scan that bounds HTML nesting depth before html5ever sees it.
//!
//! html5ever's tree builder is quadratic in depth (100,000 nested `<div>`s take ~29 s), so tags that would
//! open an element deeper than [`MAX_DEPTH`] are dropped (their text is kept), together with their closing
//! tags. The depth counted here never underestimates the real tree's: only closing tags that match an
//! element on the (bounded) stack pop it.

/// Deepest element nesting passed on to the parser.
pub const MAX_DEPTH: usize = 160;

/// How far down the open-element stack a closing tag is matched (keeps the scan linear).
const MATCH_WINDOW: usize = 32;

/// Elements that never have content, so never deepen the tree.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "frame", "basefont", "bgsound",
];

/// Elements a new sibling of the same name closes implicitly (`<li>a<li>b`); none is a formatting
/// element, so closing them never makes the parser re-open anything.
const AUTO_CLOSE: &[&str] = &["p", "li", "dt", "dd", "option", "tr", "td", "th"];

/// Return `html` with tags beyond [`MAX_DEPTH`] removed; borrows-free copy only when something changes.
pub fn limit_depth(html: &str) -> Option<String> {
    let bytes = html.as_bytes();
    let mut stack: Vec<String> = Vec::new();
    let mut excess: usize = 0;
    // Byte ranges of tags to drop.
    let mut drops: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let start = i;
        let next = bytes.get(i + 1).copied().unwrap_or(0);
        if next == b'!' {
            // Comment or doctype: skip it whole (comments may hold '<').
            i = if bytes[i..].starts_with(b"<!--") {
                find(bytes, i + 4, b"-->").map_or(bytes.len(), |p| p + 3)
            } else {
                find(bytes, i + 2, b">").map_or(bytes.len(), |p| p + 1)
            };
            continue;
        }
        let closing = next == b'/';
        let name_start = if closing { i + 2 } else { i + 1 };
        if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        let mut name_end = name_start;
        while bytes
            .get(name_end)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b':')
        {
            name_end += 1;
        }
        let end = tag_end(bytes, name_end);
        let name = html[name_start..name_end].to_ascii_lowercase();
        i = end;
        if VOID.contains(&name.as_str()) {
            continue;
        }
        if closing {
            if excess > 0 {
                excess -= 1;
                drops.push((start, end));
            } else if let Some(pos) = stack
                .iter()
                .rev()
                .take(MATCH_WINDOW)
                .position(|n| *n == name)
            {
                let new_len = stack.len() - pos - 1;
                stack.truncate(new_len);
            }
        } else if let Some(keep) = implicit_close(&stack, &name).filter(|_| excess == 0) {
            stack.truncate(keep);
            stack.push(name);
        } else if stack.len() >= MAX_DEPTH {
            excess += 1;
            drops.push((start, end));
        } else {
            stack.push(name);
        }
    }
    if drops.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(html.len());
    let mut last = 0;
    for (s, e) in drops {
        out.push_str(&html[last..s]);
        // Keep words apart where a dropped tag separated them.
        out.push(' ');
        last = e;
    }
    out.push_str(&html[last..]);
    Some(out)
}

/// For an auto-closing `name` whose previous sibling is still open with only auto-closing elements
/// above it, the stack length to truncate to before pushing `name`.
fn implicit_close(stack: &[String], name: &str) -> Option<usize> {
    if !AUTO_CLOSE.contains(&name) {
        return None;
    }
    for (i, open) in stack.iter().enumerate().rev().take(MATCH_WINDOW) {
        if open == name {
            return Some(i);
        }
        if !AUTO_CLOSE.contains(&open.as_str()) {
            return None;
        }
    }
    None
}

/// Index just past the '>' ending a tag whose name ends at `from` (quotes respected), or the input end.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote: Option<u8> = None;
    let mut last_non_ws = 0u8;
    let mut j = from;
    while j < bytes.len() {
        let b = bytes[j];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            // A quote only opens an attribute value right after '='.
            None if (b == b'"' || b == b'\'') && last_non_ws == b'=' => quote = Some(b),
            None if b == b'>' => return j + 1,
            None => {}
        }
        if !b.is_ascii_whitespace() {
            last_non_ws = b;
        }
        j += 1;
    }
    bytes.len()
}

/// First index of `needle` in `bytes` at or after `from`.
fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_html_untouched() {
        assert_eq!(limit_depth("<div><p>a</p><br><img src=x></div>"), None);
    }

    #[test]
    fn deep_divs_are_capped_and_text_kept() {
        let n = 2000;
        let html = format!("{}deep text{}", "<div>".repeat(n), "</div>".repeat(n));
        let out = limit_depth(&html).unwrap_or_default();
        assert_eq!(out.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(out.matches("</div>").count(), MAX_DEPTH);
        assert!(out.contains("deep text"));
    }

    #[test]
    fn stray_closers_do_not_hide_depth() {
        let html = "<div></span>".repeat(1000);
        let out = limit_depth(&html).unwrap_or_default();
        assert_eq!(out.matches("<div>").count(), MAX_DEPTH);
    }

    #[test]
    fn long_unclosed_lists_keep_their_items() {
        let html = format!("<ul>{}</ul>", "<li><p>item".repeat(5000));
        assert_eq!(limit_depth(&html), None);
        // Formatting elements re-opened in every item still count.
        let html = "<li><b>x".repeat(1000);
        assert!(limit_depth(&html).is_some());
    }

    #[test]
    fn quoted_gt_in_attribute() {
        let html = format!("{}<a title=\"x>y\">t</a>", "<b>".repeat(MAX_DEPTH));
        let out = limit_depth(&html).unwrap_or_default();
        assert!(!out.contains("y\">"), "{}", &out[out.len() - 40..]);
    }
}
