//! Feed bytes → normalised, sanitised articles. Decodes itself, recovers from common breakage and
//! turns a panic inside a dependency into an error for that feed only.

use crate::feed::extras::{self, DocExtras};
use crate::feed::{cdf, decode, items, json, normalise, recover, repair};
use crate::model::{FeedId, ParsedFeed};
use std::borrow::Cow;
use std::panic::{catch_unwind, AssertUnwindSafe};
use url::Url;

/// Why a feed could not be parsed. Display is one line for the user.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// The document is an HTML page (wrong URL, login page, captive portal).
    #[error("not a feed: got an HTML page")]
    LooksLikeHtml,
    /// Nothing but whitespace (or a BOM).
    #[error("empty response")]
    Empty,
    /// JSON that is not a JSON Feed object.
    #[error("not a JSON Feed: {0}")]
    NotJsonFeed(String),
    /// Broken beyond safe repair, or in a format nobody supports; the parser's reason, one line.
    #[error("could not parse: {0}")]
    Invalid(String),
}

/// Namespaces whose elements feed-rs leaves out and `extras` reads.
const EXTRA_NAMESPACES: [&str; 6] = [
    "purl.org/rss/1.0/modules/slash",
    "purl.org/syndication/thread",
    "search.yahoo.com/mrss",
    "www.w3.org/1999/xhtml",
    "purl.org/dc/terms",
    "www.itunes.com/dtds",
];

/// Parse one feed document. `content_type` is the HTTP header (for its charset); `base` is the feed's URL.
///
/// A document feed-rs rejects as a whole is recovered item by item: the good items are returned and
/// `skipped` counts the others. A valid feed without items is zero articles, not an error.
pub fn parse_feed(
    bytes: &[u8],
    content_type: Option<&str>,
    base: &Url,
    feed: FeedId,
) -> Result<ParsedFeed, ParseError> {
    let text = decode::decode_to_utf8(bytes, content_type);
    let trimmed = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    if trimmed.trim_end().is_empty() {
        return Err(ParseError::Empty);
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return parse_json(trimmed, base, feed);
    }
    if looks_like_html(trimmed) {
        return Err(ParseError::LooksLikeHtml);
    }
    let repaired = repair::repair_xml(trimmed, base);
    let document = match repair::root_tag(&repaired) {
        Some((start, end)) if cdf::is_cdf(&repaired[start..end]) => cdf::to_rss(&repaired, base)
            .map(Cow::Owned)
            .ok_or_else(|| ParseError::Invalid("unreadable CDF channel".into()))?,
        _ => repaired,
    };
    let document = items::truncate_items(document, normalise::MAX_ITEMS);
    match run_feed_rs(document.as_bytes(), base) {
        Ok(parsed) => {
            let extras = match extras_needed(&document, &parsed) {
                Needed::Nothing => DocExtras::default(),
                Needed::SlashComments(root) => {
                    extras::slash_comments_only(&document, root, parsed.entries.len())
                        .unwrap_or_else(|| extras::scan(&document))
                }
                Needed::Scan => extras::scan(&document),
            };
            let mut parsed = normalise::normalise(parsed, &extras, base, feed);
            crate::feed::durations::apply_itunes(&mut parsed, &document, base);
            Ok(parsed)
        }
        Err(error) => {
            let parse_one = |doc: &[u8]| run_feed_rs(doc, base).ok();
            match recover::recover(&document, parse_one, normalise::MAX_ITEMS) {
                Some(found) => {
                    let mut parsed = normalise::normalise(found.feed, &found.extras, base, feed);
                    parsed.skipped = found.skipped;
                    crate::feed::durations::apply_itunes(&mut parsed, &document, base);
                    Ok(parsed)
                }
                None => Err(name_truncation(error, &document)),
            }
        }
    }
}

/// How much of the extras scan a document needs.
enum Needed<'a> {
    /// feed-rs gave everything the document holds.
    Nothing,
    /// Only `slash:comments`, declared on this root start tag of an RSS document.
    SlashComments(&'a str),
    /// The full scan.
    Scan,
}

/// Whether the extras scan can add anything: an entry lacks a field it may hold, or the document uses
/// a namespace only it reads (declared on the root, or anywhere below it). Most feeds need neither,
/// and skip the second pass; the check reads the root tag and makes one memchr scan at most.
fn extras_needed<'a>(document: &'a str, parsed: &feed_rs::model::Feed) -> Needed<'a> {
    let (root_start, root_end) = repair::root_tag(document).unwrap_or((0, 0));
    let root = &document[root_start..root_end];
    let lacking = parsed.title.is_none()
        || parsed.entries.iter().any(|e| {
            e.title.is_none()
                || e.links.is_empty()
                || e.authors.is_empty()
                || (e.published.is_none() && e.updated.is_none())
                || (e.summary.is_none() && e.content.is_none())
        })
        || memchr::memmem::find(&document.as_bytes()[root_end..], b"xmlns").is_some();
    let used: Vec<&str> = EXTRA_NAMESPACES
        .iter()
        .copied()
        .filter(|ns| root.contains(ns))
        .collect();
    match (lacking, used.as_slice()) {
        (false, []) => Needed::Nothing,
        (false, [only]) if *only == EXTRA_NAMESPACES[0] && root.starts_with("<rss") => {
            Needed::SlashComments(root)
        }
        _ => Needed::Scan,
    }
}

/// JSON Feed: parsed as it is when feed-rs accepts it (the common case, one pass); else coerced to
/// the types feed-rs expects and parsed again.
fn parse_json(text: &str, base: &Url, feed: FeedId) -> Result<ParsedFeed, ParseError> {
    if let Ok(parsed) = run_feed_rs(text.as_bytes(), base) {
        let mut parsed = normalise::normalise(parsed, &DocExtras::default(), base, feed);
        keep_home_page_only(&mut parsed, text);
        return Ok(parsed);
    }
    let (document, skipped) = json::prepare(text).map_err(|e| match e {
        json::JsonError::NotJsonFeed(why) => ParseError::NotJsonFeed(why),
        json::JsonError::Invalid(why) => {
            ParseError::Invalid(format!("invalid JSON: {}", one_line(&why)))
        }
    })?;
    let parsed = run_feed_rs(document.as_bytes(), base)?;
    let mut parsed = normalise::normalise(parsed, &DocExtras::default(), base, feed);
    keep_home_page_only(&mut parsed, &document);
    parsed.skipped = skipped;
    Ok(parsed)
}

/// feed-rs gives a JSON Feed's `home_page_url` and `feed_url` alike (links without `rel`, home page
/// first): a document whose `home_page_url` is missing, `null` or not a string has no site, only its
/// own address. (An escaped quote in a string is `\"`, so the key's pattern only matches a key.)
fn keep_home_page_only(parsed: &mut ParsedFeed, document: &str) {
    let bytes = document.as_bytes();
    let key = b"\"home_page_url\"";
    let is_string = memchr::memmem::find(bytes, key).is_some_and(|at| {
        let mut rest = bytes[at + key.len()..]
            .iter()
            .skip_while(|b| b.is_ascii_whitespace());
        rest.next() == Some(&b':') && rest.find(|b| !b.is_ascii_whitespace()) == Some(&b'"')
    });
    if !is_string {
        parsed.site = None;
    }
}

/// Run feed-rs with our base URL and without its random-UUID ids, catching any panic.
fn run_feed_rs(document: &[u8], base: &Url) -> Result<feed_rs::model::Feed, ParseError> {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        feed_rs::parser::Builder::new()
            .base_uri(Some(base.as_str()))
            // Empty means "no id in the document"; normalise computes a stable one.
            .id_generator(|_links, _title, _uri| String::new())
            .build()
            .parse(document)
    }));
    match outcome {
        Ok(Ok(feed)) => Ok(feed),
        Ok(Err(e)) => Err(ParseError::Invalid(describe_feed_rs_error(&e.to_string()))),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(ParseError::Invalid(format!(
                "parser crashed: {}",
                one_line(&what)
            )))
        }
    }
}

/// A download cut inside its root tag reaches feed-rs as "no root element"; say what happened instead.
fn name_truncation(error: ParseError, document: &str) -> ParseError {
    let tail = document.trim_end();
    let ends_in_tag = tail
        .rfind('<')
        .is_some_and(|lt| tail.rfind('>').is_none_or(|gt| gt < lt));
    match error {
        ParseError::Invalid(msg) if ends_in_tag && msg.starts_with("no RSS, Atom") => {
            ParseError::Invalid(
                "not well-formed XML: the document ends inside a tag (truncated?)".into(),
            )
        }
        other => other,
    }
}

/// feed-rs wraps quick-xml's messages in layers of prefixes; keep the cause.
fn describe_feed_rs_error(message: &str) -> String {
    if let Some((_, cause)) = message.split_once("Parser error: ") {
        return format!("not well-formed XML: {}", one_line(cause));
    }
    if message.contains("no root element") || message.contains("NoFeedRoot") {
        return "no RSS, Atom or JSON Feed root element".into();
    }
    one_line(message)
}

fn one_line(s: &str) -> String {
    normalise::cap_chars(&crate::text::sanitize_line(s), 300)
}

/// `<!doctype html`, `<html` or an XHTML page as the root, after PIs and comments.
fn looks_like_html(text: &str) -> bool {
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if rest.starts_with("<?") {
            match rest.find("?>") {
                Some(end) => rest = &rest[end + 2..],
                None => return false,
            }
        } else if rest.starts_with("<!--") {
            match rest.find("-->") {
                Some(end) => rest = &rest[end + 3..],
                None => return false,
            }
        } else {
            break;
        }
    }
    let head: String = rest
        .chars()
        .take(14)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html") || head.starts_with("<head")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("http://example.test/feed.xml").expect("static URL")
    }

    #[test]
    fn html_and_empty() {
        let r = parse_feed(b"\n<!DOCTYPE html><html></html>", None, &base(), FeedId(0));
        assert!(matches!(r, Err(ParseError::LooksLikeHtml)));
        let r = parse_feed(b"\xEF\xBB\xBF  \n", None, &base(), FeedId(0));
        assert!(matches!(r, Err(ParseError::Empty)));
        assert_eq!(ParseError::Empty.to_string(), "empty response");
    }

    #[test]
    fn truncated_root_is_named() {
        let cut = b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss versi";
        match parse_feed(cut, None, &base(), FeedId(0)) {
            Err(ParseError::Invalid(msg)) => assert!(msg.contains("truncated"), "{msg}"),
            other => panic!("expected a parse error, got {other:?}"),
        }
    }

    #[test]
    fn json_ids_coerced() {
        let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":7,"title":"a"}]}"#;
        let parsed = parse_feed(json.as_bytes(), None, &base(), FeedId(0)).expect("valid feed");
        assert_eq!(parsed.articles[0].id.0, "7");
        let r = parse_feed(b"[1,2]", None, &base(), FeedId(0));
        assert!(matches!(r, Err(ParseError::NotJsonFeed(_))));
    }

    #[test]
    fn parser_panic_becomes_an_error() {
        // Unrepaired, this document makes feed-rs 3.0 panic (a second declaration switching encoding).
        let raw = include_bytes!("../../tests/fixtures/hostile/second-xml-decl.xml");
        match run_feed_rs(raw, &base()) {
            Err(ParseError::Invalid(msg)) => assert!(msg.starts_with("parser crashed: "), "{msg}"),
            other => panic!("expected a caught panic, got {other:?}"),
        }
        // Through parse_feed the stray declaration is removed and both items load.
        let parsed = parse_feed(raw, None, &base(), FeedId(0)).expect("repaired");
        assert_eq!(parsed.articles.len(), 2);
    }
}
