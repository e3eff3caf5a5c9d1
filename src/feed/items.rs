//! Item-level scans of the raw document: cap the item count before parsing and read
//! `slash:comments`, which feed-rs does not expose.

/// Keep only the first `max` items/entries: the document is cut before item `max + 1` and closed
/// with whatever follows the last item (`</channel></rss>`, `</rdf:RDF>`, `</feed>`). Saves feed-rs
/// from building items that would be dropped anyway.
pub fn truncate_items(text: String, max: usize) -> String {
    // An item takes more than 16 bytes, so a short document cannot hold too many.
    if text.len() / 16 <= max {
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
    out
}

/// True when `rest` starts with an `<item` or `<entry` start tag.
pub fn is_item_start(rest: &str) -> bool {
    rest.strip_prefix("<item")
        .or_else(|| rest.strip_prefix("<entry"))
        .is_some_and(|tail| tail.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/'))
}

/// `slash:comments` per item/entry, in document order; empty when the feed has none.
pub fn slash_comments(text: &str) -> Vec<Option<u32>> {
    const TAG: &str = "<slash:comments>";
    if !text.contains(TAG) {
        return Vec::new();
    }
    let mut counts = Vec::new();
    let mut pos = 0;
    while let Some(off) = text[pos..].find('<') {
        let at = pos + off;
        let rest = &text[at..];
        if rest.starts_with("<![CDATA[") {
            pos = rest.find("]]>").map_or(text.len(), |e| at + e + 3);
            continue;
        }
        if is_item_start(rest) {
            counts.push(None);
        } else if let Some(tail) = rest.strip_prefix(TAG) {
            let value = tail.split('<').next().unwrap_or("").trim();
            if let Some(last) = counts.last_mut() {
                *last = value.parse::<u32>().ok();
            }
        }
        pos = at + 1;
    }
    counts
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
        let cut = truncate_items(doc, 3);
        assert_eq!(
            cut,
            "<rss><channel><item><title>0</title></item><item><title>1</title></item>\
             <item><title>2</title></item></channel></rss>"
        );
    }

    #[test]
    fn slash_comments_aligned() {
        let xml = "<rss><channel><item><slash:comments>4</slash:comments></item><item></item></channel></rss>";
        assert_eq!(slash_comments(xml), vec![Some(4), None]);
    }
}
