//! An item's comment feed: fetched with the feed limits, parsed like any feed (so every text is
//! sanitised and capped), then threaded by `thr:in-reply-to` (RFC 4685): a reply under its parent,
//! siblings oldest first. Comments whose parent is missing (or that form a loop) become top-level.

use crate::feed::http::{FetchError, Fetched, HttpClient};
use crate::feed::parse::{parse_feed, ParseError};
use crate::feed::xml_text::unescape;
use crate::model::{FeedId, Validators};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};
use url::Url;

/// Most comments shown from one comment feed (the first ones in the document).
pub const MAX_COMMENTS: usize = 1_000;

/// One comment, in thread order.
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    /// 0 for a top-level comment, 1 for a reply to it, and so on.
    pub depth: usize,
    /// Sanitised author name, when the feed names one.
    pub author: Option<String>,
    /// When it was posted (its updated date when it gives no published one).
    pub published: Option<DateTime<Utc>>,
    /// The comment's text as sanitised HTML (rendered like every other body).
    pub html: String,
}

/// Why the comments could not be shown; Display is one line for the status bar.
#[derive(Debug, thiserror::Error)]
pub enum CommentsError {
    /// The comment feed's link is not a valid URL; holds the parser's reason.
    #[error("bad comment feed link: {0}")]
    BadUrl(String),
    /// The request failed (network, HTTP status, deadline, size cap).
    #[error("could not fetch the comments: {0}")]
    Fetch(#[from] FetchError),
    /// The server answered 304 Not Modified although no validators were sent.
    #[error("the comment feed answered 304 to a plain request")]
    NotModified,
    /// The body is not a feed that can be parsed.
    #[error("could not read the comment feed: {0}")]
    Parse(#[from] ParseError),
    /// The parsing task panicked or was cancelled.
    #[error("reading the comments stopped: {0}")]
    Task(String),
}

/// Fetch `url` with the client's limits (deadline, size cap, redirects) and thread its comments;
/// parsing runs off the async workers.
pub async fn fetch_comments(client: &HttpClient, url: &str) -> Result<Vec<Comment>, CommentsError> {
    let url = Url::parse(url).map_err(|e| CommentsError::BadUrl(e.to_string()))?;
    let body = match client.fetch(&url, &Validators::default()).await? {
        Fetched::Body(body) => body,
        Fetched::NotModified => return Err(CommentsError::NotModified),
    };
    tokio::task::spawn_blocking(move || {
        parse_comments(&body.bytes, body.content_type.as_deref(), &body.final_url)
    })
    .await
    .map_err(|e| CommentsError::Task(e.to_string()))?
}

/// A comment feed's bytes → comments in thread order.
pub fn parse_comments(
    bytes: &[u8],
    content_type: Option<&str>,
    base: &Url,
) -> Result<Vec<Comment>, CommentsError> {
    let parsed = parse_feed(bytes, content_type, base, FeedId(0))?;
    let text = crate::feed::decode::decode_to_utf8(bytes, content_type);
    let parents = in_reply_to(&text);
    let items = parsed
        .articles
        .into_iter()
        .take(MAX_COMMENTS)
        .map(|a| {
            let parent = parents.get(&a.id.0).cloned();
            let html = a.body_html().to_string();
            let comment = Comment {
                depth: 0,
                author: a.authors.first().cloned(),
                published: a.published.or(a.updated),
                html,
            };
            (a.id.0, parent, comment)
        })
        .collect();
    Ok(thread(items))
}

/// Order `(id, parent id, comment)` as a thread: depth-first, siblings oldest first (undated ones
/// after, in document order). Never loops, never drops a comment.
pub fn thread(items: Vec<(String, Option<String>, Comment)>) -> Vec<Comment> {
    let index: HashMap<&str, usize> = items
        .iter()
        .enumerate()
        .map(|(i, (id, _, _))| (id.as_str(), i))
        .collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
    let mut roots = Vec::new();
    for (i, (_, parent, _)) in items.iter().enumerate() {
        match parent
            .as_deref()
            .and_then(|p| index.get(p))
            .filter(|p| **p != i)
        {
            Some(&p) => children[p].push(i),
            None => roots.push(i),
        }
    }
    let oldest_first = |list: &mut Vec<usize>| {
        list.sort_by_key(|i| (items[*i].2.published.is_none(), items[*i].2.published, *i));
    };
    oldest_first(&mut roots);
    children.iter_mut().for_each(oldest_first);
    let mut order: Vec<(usize, usize)> = Vec::with_capacity(items.len());
    let mut seen = HashSet::new();
    // Roots first; then whatever a loop kept unreachable becomes a root of its own.
    let starts: Vec<usize> = roots.into_iter().chain(0..items.len()).collect();
    for start in starts {
        let mut stack = vec![(start, 0)];
        while let Some((i, depth)) = stack.pop() {
            if !seen.insert(i) {
                continue;
            }
            order.push((i, depth));
            stack.extend(children[i].iter().rev().map(|c| (*c, depth + 1)));
        }
    }
    let mut comments: Vec<Option<Comment>> = items.into_iter().map(|(_, _, c)| Some(c)).collect();
    order
        .into_iter()
        .filter_map(|(i, depth)| {
            let mut c = comments[i].take()?;
            c.depth = depth;
            Some(c)
        })
        .collect()
}

/// Item id → the id it replies to, from `<thr:in-reply-to ref="…">` in the raw document.
fn in_reply_to(text: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    if !text.contains("in-reply-to") {
        return out;
    }
    let starts: Vec<usize> = text
        .match_indices('<')
        .map(|(i, _)| i)
        .filter(|i| super::items::is_item_start(&text[*i..]))
        .collect();
    for (n, start) in starts.iter().enumerate() {
        let item = &text[*start..starts.get(n + 1).copied().unwrap_or(text.len())];
        let parent = item.split_once("in-reply-to").and_then(|(_, rest)| {
            let value = super::decode::attribute_value(rest.split('>').next()?, "ref")?;
            Some(crate::text::sanitize_line(&unescape(&value)))
        });
        let id = element_text(item, "<id>").or_else(|| element_text(item, "<guid"));
        if let (Some(id), Some(parent)) = (id, parent) {
            out.insert(id, parent);
        }
    }
    out
}

/// The text of the first `open` element in `item`, entity-decoded the way ids are compared.
fn element_text(item: &str, open: &str) -> Option<String> {
    let (_, rest) = item.split_once(open)?;
    let rest = rest.split_once('>').map_or(rest, |(attrs, body)| {
        if open.ends_with('>') {
            rest
        } else if attrs.ends_with('/') {
            ""
        } else {
            body
        }
    });
    let raw = rest.split('<').next()?.trim();
    let id = crate::text::sanitize_line(&unescape(raw));
    (!id.is_empty()).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ATOM: &str = r#"<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0">
      <title>Comments</title><id>urn:c</id><updated>2026-01-05T00:00:00Z</updated>
      <entry><id>urn:c3</id><title>c3</title><author><name>Cy</name></author>
        <published>2026-01-03T00:00:00Z</published><updated>2026-01-03T00:00:00Z</updated>
        <thr:in-reply-to ref="urn:c1"/><content type="html">&lt;p&gt;Second reply&lt;/p&gt;</content></entry>
      <entry><id>urn:c2</id><title>c2</title><author><name>Bo</name></author>
        <published>2026-01-02T00:00:00Z</published><updated>2026-01-02T00:00:00Z</updated>
        <thr:in-reply-to href="http://example.org/c1" ref="urn&#58;c1"/><content type="html">&lt;p&gt;First reply&lt;/p&gt;</content></entry>
      <entry><id>urn:c4</id><title>c4</title><author><name>Di</name></author>
        <published>2026-01-01T12:00:00Z</published><updated>2026-01-01T12:00:00Z</updated>
        <content type="html">Another top comment</content></entry>
      <entry><id>urn:c1</id><title>c1</title><author><name>Al</name></author>
        <published>2026-01-01T00:00:00Z</published><updated>2026-01-01T00:00:00Z</updated>
        <content type="html">&lt;p&gt;Top comment&lt;/p&gt;</content></entry>
      <entry><id>urn:c5</id><title>c5</title><author><name>Ed</name></author>
        <published>2026-01-04T00:00:00Z</published><updated>2026-01-04T00:00:00Z</updated>
        <thr:in-reply-to ref="urn:c2"/><content type="html">Reply to a reply</content></entry>
    </feed>"#;

    #[test]
    fn replies_sit_under_their_parents_oldest_first() {
        let base = Url::parse("http://h/c.xml").expect("static URL");
        let comments = parse_comments(ATOM.as_bytes(), None, &base).expect("parses");
        let shape: Vec<(usize, &str)> = comments
            .iter()
            .map(|c| (c.depth, c.author.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            shape,
            vec![(0, "Al"), (1, "Bo"), (2, "Ed"), (1, "Cy"), (0, "Di")]
        );
    }

    #[test]
    fn loops_and_orphans_are_kept_at_the_top() {
        let c = |id: &str, parent: Option<&str>| {
            (
                id.to_string(),
                parent.map(str::to_string),
                Comment {
                    depth: 9,
                    author: Some(id.to_string()),
                    published: None,
                    html: String::new(),
                },
            )
        };
        let threaded = thread(vec![
            c("a", Some("b")),
            c("b", Some("a")),
            c("c", Some("gone")),
            c("d", Some("d")),
        ]);
        let shape: Vec<(usize, String)> = threaded
            .into_iter()
            .map(|c| (c.depth, c.author.unwrap_or_default()))
            .collect();
        assert_eq!(
            shape,
            vec![
                (0, "c".into()),
                (0, "d".into()),
                (0, "a".into()),
                (1, "b".into())
            ]
        );
    }
}
