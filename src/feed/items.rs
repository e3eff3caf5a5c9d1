//! Item-level scans of the raw document: cap the item count before parsing, and find every item's
//! extent for the item-by-item recovery.

use std::borrow::Cow;

/// Keep only the first `max` items/entries: the document is cut before item `max + 1` and closed
/// with whatever follows the last item (`</channel></rss>`, `</rdf:RDF>`, `</feed>`). Saves feed-rs
/// from building items that would be dropped anyway.
pub fn truncate_items(text: Cow<'_, str>, max: usize) -> Cow<'_, str> {
    // An item takes more than 16 bytes, so a short document cannot hold too many; else count the
    // candidates quickly (an upper bound: some may sit in CDATA) before the careful scan.
    if text.len() / 16 <= max {
        return text;
    }
    // Atom has entries, RSS items: count only what the root says this document holds (both when
    // the root is something else, such as a prefixed name).
    let root = crate::feed::repair::root_tag(&text).map_or("", |(s, e)| &text[s..e]);
    let count = |needle: &[u8]| memchr::memmem::find_iter(text.as_bytes(), needle).count();
    let candidates = if root.starts_with("<feed") {
        count(b"<entry")
    } else if root.starts_with("<rss") || root.starts_with("<rdf:RDF") {
        count(b"<item")
    } else {
        count(b"<item") + count(b"<entry")
    };
    if candidates <= max {
        return text;
    }
    let mut count = 0;
    let mut pos = 0;
    let mut cut = None;
    while let Some(off) = text[pos..].find('<') {
        let at = pos + off;
        let rest = &text[at..];
        if rest.starts_with("<![CDATA[") {
            pos = rest.find("]]>").map_or(text.len(), |e| at + e + 3);
            continue;
        }
        if rest.starts_with("<!--") {
            pos = rest.find("-->").map_or(text.len(), |e| at + e + 3);
            continue;
        }
        if is_item_start(rest) {
            count += 1;
            if count > max {
                cut = Some(at);
                break;
            }
        }
        pos = at + 1;
    }
    let Some(cut) = cut else {
        return text;
    };
    let closer = ["</item>", "</entry>"]
        .iter()
        .filter_map(|close| text.rfind(close).map(|p| p + close.len()))
        .max()
        .filter(|end| *end >= cut)
        .map_or("", |end| &text[end..]);
    let mut out = String::with_capacity(cut + closer.len());
    out.push_str(&text[..cut]);
    out.push_str(closer);
    Cow::Owned(out)
}

/// True when `rest` starts with an `<item` or `<entry` start tag.
pub fn is_item_start(rest: &str) -> bool {
    rest.strip_prefix("<item")
        .or_else(|| rest.strip_prefix("<entry"))
        .is_some_and(|tail| tail.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/'))
}

/// One item/entry of a document: its byte range, and whether its end tag was found before the next
/// item or the end of the document (a truncated or unclosed item is not complete).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemSpan {
    /// Byte offset of `<item`/`<entry`.
    pub start: usize,
    /// Byte offset just past its end tag (or where the next item or the document starts/ends).
    pub end: usize,
    /// The end tag was found: the span is a whole item worth parsing.
    pub complete: bool,
}

/// Every `<item>`/`<entry>` from `from` on, tolerant of broken markup: an item ends at its end tag, or
/// (incomplete) where the next item starts. CDATA sections and comments are skipped.
pub fn item_spans(text: &str, from: usize) -> Vec<ItemSpan> {
    let mut spans: Vec<ItemSpan> = Vec::new();
    let mut open: Option<usize> = None;
    let mut pos = from;
    while let Some(off) = memchr::memchr(b'<', &text.as_bytes()[pos..]) {
        let at = pos + off;
        let rest = &text[at..];
        if rest.starts_with("<![CDATA[") {
            pos = rest.find("]]>").map_or(text.len(), |e| at + e + 3);
            continue;
        }
        if rest.starts_with("<!--") {
            pos = rest.find("-->").map_or(text.len(), |e| at + e + 3);
            continue;
        }
        if is_item_start(rest) {
            if let Some(start) = open.replace(at) {
                spans.push(ItemSpan {
                    start,
                    end: at,
                    complete: false,
                });
            }
        } else if let Some(close) = ["</item>", "</entry>"]
            .iter()
            .find(|c| rest.starts_with(**c))
        {
            // An end tag without a start: an item whose start tag is broken, counted as incomplete.
            let (start, complete) = open.take().map_or((at, false), |start| (start, true));
            spans.push(ItemSpan {
                start,
                end: at + close.len(),
                complete,
            });
        }
        pos = at + 1;
    }
    if let Some(start) = open {
        spans.push(ItemSpan {
            start,
            end: text.len(),
            complete: false,
        });
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_truncated() {
        let items: String = (0..40)
            .map(|i| format!("<item><title>{i}</title></item>"))
            .collect();
        let doc = format!("<rss><channel>{items}</channel></rss>");
        let cut = truncate_items(Cow::Owned(doc), 3);
        assert_eq!(
            cut,
            "<rss><channel><item><title>0</title></item><item><title>1</title></item>\
             <item><title>2</title></item></channel></rss>"
        );
    }

    #[test]
    fn spans_survive_broken_items() {
        let doc = "<rss><channel><item><title>a</titel></item><item><![CDATA[</item>]]><item>b</item><item>cut";
        let spans = item_spans(doc, 0);
        let got: Vec<_> = spans
            .iter()
            .map(|s| (&doc[s.start..s.end], s.complete))
            .collect();
        assert_eq!(
            got,
            [
                ("<item><title>a</titel></item>", true),
                ("<item><![CDATA[</item>]]>", false),
                ("<item>b</item>", true),
                ("<item>cut", false)
            ]
        );
    }
}
