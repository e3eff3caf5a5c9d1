//! What feed-rs leaves out, read per item in one quick-xml pass: Dublin Core (title, creator, date,
//! subject, description) and dcterms dates, iTunes
//! author and summary, `xhtml:body` and `fullitem` bodies, a permalink `guid`, comment counts
//! (`slash:comments`, `thr:total`, a replies link's `thr:count`) and every enclosure and Media RSS
//! `media:content`. Items are counted where feed-rs finds them, so `items[i]` belongs to entry `i`.

use crate::feed::dates::parse_date;
pub use crate::feed::xml_text::unescape;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

const RSS10: &str = "http://purl.org/rss/1.0/";
const DC: &str = "http://purl.org/dc/elements/1.1/";
const DCTERMS: &str = "http://purl.org/dc/terms/";
const ITUNES: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";
const XHTML: &str = "http://www.w3.org/1999/xhtml";
const SLASH: &str = "http://purl.org/rss/1.0/modules/slash/";
const THREAD: &str = "http://purl.org/syndication/thread/1.0";
const MEDIA: [&str; 2] = [
    "http://search.yahoo.com/mrss/",
    "http://search.yahoo.com/mrss",
];
/// Most enclosures and authors kept per item.
const MAX_LIST: usize = 32;

/// One enclosure or media file as written (URL unresolved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawEnclosure {
    /// As written: resolved and checked (http(s) only) when the article is built.
    pub url: String,
    /// The `type` attribute.
    pub mime: Option<String>,
    /// `length` (RSS) or `fileSize` (Media RSS), in bytes.
    pub length: Option<u64>,
}

/// The extra fields of one item. Text fields hold XML-unescaped text (HTML where the element is HTML).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ItemExtras {
    /// `dc:title`.
    pub title: Option<String>,
    /// `dc:creator`, `itunes:author`, in document order.
    pub authors: Vec<String>,
    /// `dc:date`, `dcterms:issued`, `dcterms:created`.
    pub published: Option<chrono::DateTime<chrono::Utc>>,
    /// `dcterms:modified`.
    pub updated: Option<chrono::DateTime<chrono::Utc>>,
    /// A `guid` that is a permalink (`isPermaLink` absent or true).
    pub permalink: Option<String>,
    /// `xhtml:body` (its inner markup) or `fullitem` (escaped HTML): the full body.
    pub body: Option<String>,
    /// `dc:description`, `itunes:summary`: a body when nothing else is there.
    pub description: Option<String>,
    /// `dc:subject`, for items without categories.
    pub subjects: Vec<String>,
    /// `thr:total`, else `slash:comments`, else a replies link's `thr:count`.
    pub comments: Option<u32>,
    /// Every `enclosure` and `media:content`, in document order.
    pub enclosures: Vec<RawEnclosure>,
}

/// Extras of a whole document.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct DocExtras {
    /// The channel's `dc:title`, for feeds without a `title`.
    pub title: Option<String>,
    /// One per item/entry, in document order.
    pub items: Vec<ItemExtras>,
}

/// Comment counts alone, for a feed whose only extra is `slash:comments` declared on its root `<rss>`
/// (`root` is that start tag): two memchr scans instead of a full XML pass. None when the items
/// found this simply are not `expected` in number (then the full scan decides).
pub fn slash_comments_only(text: &str, root: &str, expected: usize) -> Option<DocExtras> {
    let prefix = prefix_of(root, SLASH)?;
    let tag = format!("<{prefix}:comments>");
    let starts: Vec<usize> = memchr::memmem::find_iter(text.as_bytes(), b"<item")
        .filter(|at| crate::feed::items::is_item_start(&text[*at..]))
        .collect();
    if starts.len() != expected {
        return None;
    }
    let mut items = vec![ItemExtras::default(); expected];
    for at in memchr::memmem::find_iter(text.as_bytes(), tag.as_bytes()) {
        let index = starts.partition_point(|s| *s < at);
        let value = &text[at + tag.len()..];
        let value = crate::text::cut_bytes(&value[..value.find('<').unwrap_or(value.len())], 32);
        if let Some(item) = index.checked_sub(1).and_then(|i| items.get_mut(i)) {
            item.comments = item.comments.or(value.trim().parse().ok());
        }
    }
    Some(DocExtras { title: None, items })
}

/// The prefix a start tag binds to namespace `uri` (`xmlns:slash="…"` → `slash`).
fn prefix_of<'a>(tag: &'a str, uri: &str) -> Option<&'a str> {
    let value_at = tag.find(uri)?;
    let before = tag[..value_at].trim_end_matches(['"', '\'']).trim_end();
    let before = before.strip_suffix('=')?.trim_end();
    let start = before.rfind("xmlns:")? + 6;
    let prefix = &before[start..];
    (!prefix.is_empty() && !prefix.contains(|c: char| c.is_whitespace())).then_some(prefix)
}

/// Scan `text` (already repaired). Stops quietly at the first XML error with what it has.
pub fn scan(text: &str) -> DocExtras {
    let mut reader = NsReader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.allow_dangling_amp = true;
    let mut doc = DocExtras::default();
    let mut depth = 0usize;
    let mut item_depth = 2;
    let mut in_item = false;
    while let Ok((ns, event)) = reader.read_resolved_event() {
        let ns = namespace(ns);
        match event {
            Event::Start(start) if depth == 0 => {
                item_depth = if start.local_name().as_ref() == "rss" {
                    3
                } else {
                    2
                };
                depth = 1;
            }
            Event::Start(start) => {
                depth += 1;
                let local = start.local_name().as_ref().to_string();
                if depth == item_depth && (local == "item" || local == "entry") {
                    doc.items.push(ItemExtras::default());
                    in_item = true;
                    continue;
                }
                if !in_item {
                    if doc.title.is_none() && ns.as_deref() == Some(DC) && local == "title" {
                        doc.title = read_text(&mut reader, &start);
                        depth -= 1;
                    }
                    continue;
                }
                let Some(item) = doc.items.last_mut() else {
                    continue;
                };
                if media_content(&ns, &local, &start, item) {
                    continue;
                }
                if depth != item_depth + 1 {
                    continue;
                }
                if item_element(&mut reader, &ns, &local, &start, item) {
                    depth -= 1;
                }
            }
            Event::Empty(start) => {
                let local = start.local_name().as_ref().to_string();
                if depth + 1 == item_depth && (local == "item" || local == "entry") {
                    doc.items.push(ItemExtras::default());
                    continue;
                }
                let Some(item) = doc.items.last_mut().filter(|_| in_item) else {
                    continue;
                };
                if !media_content(&ns, &local, &start, item) && depth == item_depth {
                    empty_item_element(&ns, &local, &start, item);
                }
            }
            Event::End(_) => {
                if depth == item_depth {
                    in_item = false;
                }
                depth = depth.saturating_sub(1);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    doc
}

/// The namespace URI an element resolved to (None when unbound).
fn namespace(ns: ResolveResult) -> Option<String> {
    match ns {
        ResolveResult::Bound(n) => Some(n.as_ref().to_string()),
        _ => None,
    }
}

/// A `media:content` anywhere in the item (also inside `media:group`).
fn media_content(
    ns: &Option<String>,
    local: &str,
    start: &BytesStart,
    item: &mut ItemExtras,
) -> bool {
    if local != "content" || !ns.as_deref().is_some_and(|n| MEDIA.contains(&n)) {
        return false;
    }
    if let Some(url) = attr(start, "url") {
        push_enclosure(
            item,
            url,
            attr(start, "type"),
            attr(start, "fileSize").and_then(|s| s.trim().parse().ok()),
        );
    }
    true
}

fn push_enclosure(item: &mut ItemExtras, url: String, mime: Option<String>, length: Option<u64>) {
    if item.enclosures.len() < MAX_LIST && !item.enclosures.iter().any(|e| e.url == url) {
        item.enclosures.push(RawEnclosure { url, mime, length });
    }
}

/// A child element of an item with content; true when its content (and end tag) was consumed.
fn item_element(
    reader: &mut NsReader<&[u8]>,
    ns: &Option<String>,
    local: &str,
    start: &BytesStart,
    item: &mut ItemExtras,
) -> bool {
    let ns = ns.as_deref();
    match (ns, local) {
        (Some(DC), "title") => item.title = read_text(reader, start),
        (Some(DC), "creator") | (Some(ITUNES), "author") => {
            if let Some(name) = read_text(reader, start) {
                if item.authors.len() < MAX_LIST {
                    item.authors.push(name);
                }
            }
        }
        (Some(DC), "subject") => {
            if let Some(subject) = read_text(reader, start) {
                if item.subjects.len() < MAX_LIST {
                    item.subjects.push(subject);
                }
            }
        }
        (Some(DC), "date") | (Some(DCTERMS), "issued" | "created") => {
            let date = read_text(reader, start).and_then(|t| parse_date(&t));
            item.published = item.published.or(date);
        }
        (Some(DCTERMS), "modified") => {
            item.updated = read_text(reader, start).and_then(|t| parse_date(&t));
        }
        (Some(DC), "description") | (Some(ITUNES), "summary") => {
            let text = read_text(reader, start);
            item.description = item.description.take().or(text);
        }
        (Some(XHTML), "body") => item.body = read_raw(reader, start),
        (_, "fullitem") => item.body = read_text(reader, start),
        (Some(SLASH), "comments") => {
            let count = read_text(reader, start).and_then(|t| t.trim().parse().ok());
            item.comments = item.comments.or(count);
        }
        (Some(THREAD), "total") => {
            let count = read_text(reader, start).and_then(|t| t.trim().parse().ok());
            item.comments = count.or(item.comments);
        }
        (None | Some(RSS10), "guid") => {
            let permalink =
                attr(start, "isPermaLink").is_none_or(|v| !v.trim().eq_ignore_ascii_case("false"));
            let text = read_text(reader, start);
            if permalink {
                item.permalink = text.map(|t| t.trim().to_string());
            }
        }
        (_, "link") | (None | Some(RSS10), "enclosure") => {
            empty_item_element(&ns.map(str::to_string), local, start, item);
            return false;
        }
        _ => return false,
    }
    true
}

/// A child element of an item given by its attributes (`enclosure`, a replies `link`).
fn empty_item_element(ns: &Option<String>, local: &str, start: &BytesStart, item: &mut ItemExtras) {
    match local {
        "enclosure" if ns.as_deref().is_none_or(|n| n == RSS10) => {
            if let Some(url) = attr(start, "url") {
                let length = attr(start, "length").and_then(|s| s.trim().parse().ok());
                push_enclosure(item, url, attr(start, "type"), length);
            }
        }
        "link" if attr(start, "rel").as_deref() == Some("replies") => {
            let count = attr(start, "thr:count").and_then(|s| s.trim().parse().ok());
            if item.comments.is_none() {
                item.comments = count;
            }
        }
        _ => {}
    }
}

/// An attribute's unescaped value by its qualified name.
fn attr(start: &BytesStart, name: &str) -> Option<String> {
    start
        .attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| unescape(&a.value))
}

/// The element's text, XML-unescaped (CDATA kept verbatim); None when empty.
fn read_text(reader: &mut NsReader<&[u8]>, start: &BytesStart) -> Option<String> {
    let raw = reader.read_text(start.name()).ok()?;
    let text = unescape(&raw);
    (!text.trim().is_empty()).then_some(text)
}

/// The element's inner markup as written (for `xhtml:body`), prefixes of its own namespace dropped.
fn read_raw(reader: &mut NsReader<&[u8]>, start: &BytesStart) -> Option<String> {
    let raw = reader.read_text(start.name()).ok()?;
    let prefix = start.name().prefix().map(|p| p.as_ref().to_string());
    let inner = match prefix {
        Some(p) => raw
            .replace(&format!("<{p}:"), "<")
            .replace(&format!("</{p}:"), "</"),
        None => raw.to_string(),
    };
    (!inner.trim().is_empty()).then_some(inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_aligned_and_counts() {
        let doc = r#"<rss xmlns:slash="http://purl.org/rss/1.0/modules/slash/" xmlns:media="http://search.yahoo.com/mrss/"><channel>
            <item><slash:comments>4</slash:comments><enclosure url="a.mp3" length="5"/>
              <media:group><media:content url="b.jpg" type="image/jpeg"/><media:content url="c.jpg"/></media:group></item>
            <item><guid>http://x/2</guid></item><item><guid isPermaLink="false">n</guid></item></channel></rss>"#;
        let scanned = scan(doc);
        assert_eq!(scanned.items.len(), 3);
        assert_eq!(scanned.items[0].comments, Some(4));
        let urls: Vec<_> = scanned.items[0]
            .enclosures
            .iter()
            .map(|e| e.url.as_str())
            .collect();
        assert_eq!(urls, ["a.mp3", "b.jpg", "c.jpg"]);
        assert_eq!(scanned.items[0].enclosures[0].length, Some(5));
        assert_eq!(scanned.items[1].permalink.as_deref(), Some("http://x/2"));
        assert_eq!(scanned.items[2].permalink, None);
    }

    #[test]
    fn slash_fast_path_agrees_with_the_scan() {
        let root = r#"<rss version="2.0" xmlns:s="http://purl.org/rss/1.0/modules/slash/">"#;
        let doc = format!(
            "{root}<channel><item><s:comments>3</s:comments></item><item/><item>\
             <![CDATA[x]]><s:comments> 5 </s:comments></item></channel></rss>"
        );
        let fast = slash_comments_only(&doc, root, 3).expect("three items");
        assert_eq!(fast, scan(&doc));
        assert_eq!(slash_comments_only(&doc, root, 2), None);
        assert_eq!(prefix_of(root, SLASH), Some("s"));
        let wide = format!(
            "{root}<channel><item><s:comments>1{}</s:comments></item>",
            "é".repeat(40)
        );
        assert_eq!(
            slash_comments_only(&wide, root, 1).map(|d| d.items[0].comments),
            Some(None)
        );
    }

    #[test]
    fn atom_threading() {
        let doc = r#"<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0">
            <entry><link rel="replies" href="c" thr:count="7"/></entry>
            <entry><link rel="replies" href="c" thr:count="7"/><thr:total>9</thr:total></entry></feed>"#;
        let scanned = scan(doc);
        let counts: Vec<_> = scanned.items.iter().map(|i| i.comments).collect();
        assert_eq!(counts, [Some(7), Some(9)]);
    }
}
