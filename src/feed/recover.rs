//! Item-by-item recovery for a document feed-rs rejects as a whole: the document is split into its
//! items (tolerantly, see `items::item_spans`), each item is parsed on its own inside the document's
//! root element (so its namespaces hold), and every item that parses is kept. The rest are counted.

use crate::feed::extras::{self, DocExtras, ItemExtras};
use crate::feed::items::item_spans;
use crate::feed::repair::root_tag;
use feed_rs::model::Feed;

/// What recovery kept.
pub struct Recovered {
    /// The feed (its title from the part before the first item, when that parses) with the good entries.
    pub feed: Feed,
    /// Extras per kept entry, aligned with `feed.entries`.
    pub extras: DocExtras,
    /// Items that could not be parsed (broken, unclosed or cut off).
    pub skipped: usize,
}

/// Recover what can be read from `document`; None when no item parses (the caller reports the
/// original error). `parse` is the guarded feed-rs call.
pub fn recover(
    document: &str,
    parse: impl Fn(&[u8]) -> Option<Feed>,
    max_items: usize,
) -> Option<Recovered> {
    let (start, end) = root_tag(document)?;
    let root = &document[start..=end];
    if root.ends_with("/>") {
        return None;
    }
    let name_len = root[1..]
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(root.len() - 1);
    let name = &root[1..1 + name_len];
    let (open, close) = if name.ends_with("rss") {
        ("<channel>", format!("</channel></{name}>"))
    } else {
        ("", format!("</{name}>"))
    };
    let spans = item_spans(document, end + 1);
    let first_item = spans.first()?.start;
    let mut skipped = 0;
    let mut entries = Vec::new();
    let mut items: Vec<ItemExtras> = Vec::new();
    let mut header = parse_header(&document[end + 1..first_item], root, &close, &parse);
    for span in spans {
        if entries.len() >= max_items {
            break;
        }
        if !span.complete {
            skipped += 1;
            continue;
        }
        let mini = format!("{root}{open}{}{close}", &document[span.start..span.end]);
        match parse(mini.as_bytes()) {
            Some(mut one) if one.entries.len() == 1 => {
                let scanned = extras::scan(&mini);
                items.push(scanned.items.into_iter().next().unwrap_or_default());
                entries.append(&mut one.entries);
                if header.is_none() {
                    header = Some(one);
                }
            }
            _ => skipped += 1,
        }
    }
    if entries.is_empty() {
        return None;
    }
    let mut feed = header?;
    feed.entries = entries;
    Some(Recovered {
        feed,
        extras: DocExtras { title: None, items },
        skipped,
    })
}

/// The feed before its first item, closed and parsed; else only its first `<title>`.
fn parse_header(
    head: &str,
    root: &str,
    close: &str,
    parse: &impl Fn(&[u8]) -> Option<Feed>,
) -> Option<Feed> {
    let whole = format!("{root}{head}{close}");
    if let Some(feed) = parse(whole.as_bytes()) {
        return Some(feed);
    }
    let title_start = head.find("<title")?;
    let title_end = title_start + head[title_start..].find("</title>")? + "</title>".len();
    let open = if close.starts_with("</channel>") {
        "<channel>"
    } else {
        ""
    };
    let minimal = format!("{root}{open}{}{close}", &head[title_start..title_end]);
    parse(minimal.as_bytes())
}
