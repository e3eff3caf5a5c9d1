//! Item-by-item recovery: a document feed-rs rejects keeps every item that parses and counts the rest;
//! an empty valid feed is zero articles, not an error; property tests that one damaged item never
//! costs the feed.

use proptest::prelude::*;
use tidings::feed::parse::parse_feed;
use tidings::model::{FeedId, ParsedFeed};
use url::Url;

fn base() -> Url {
    Url::parse("http://127.0.0.1:8999/feeds/feed.xml").expect("static URL")
}

fn hostile(name: &str) -> ParsedFeed {
    let path = format!(
        "{}/tests/fixtures/hostile/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"));
    parse_feed(&bytes, None, &base(), FeedId(0)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn titles(feed: &ParsedFeed) -> Vec<&str> {
    feed.articles.iter().map(|a| a.title.as_str()).collect()
}

#[test]
fn malformed_tags_keep_the_good_item() {
    let feed = hostile("malformed-tags.xml");
    assert_eq!(titles(&feed), ["second"]);
    assert_eq!(
        feed.articles[0].link.as_deref(),
        Some("http://127.0.0.1/m2")
    );
    assert_eq!(feed.skipped, 1);
    // The channel's own part is broken too (an unclosed <b>); its title is still read.
    assert_eq!(feed.title.as_deref(), Some("AT&T & friends"));
}

#[test]
fn truncated_keeps_every_complete_item() {
    let feed = hostile("truncated.xml");
    assert_eq!(titles(&feed), ["Item 0", "Item 1", "Item 2"]);
    assert_eq!(feed.skipped, 1);
    assert_eq!(feed.title.as_deref(), Some("Hostile feed"));
}

#[test]
fn empty_valid_feed_is_zero_articles() {
    let feed = hostile("zero-items.xml");
    assert!(feed.articles.is_empty());
    assert_eq!(feed.skipped, 0);
    assert_eq!(feed.title.as_deref(), Some("Hostile feed"));
}

#[test]
fn json_fields_of_the_wrong_type_drop_alone() {
    let feed = hostile("json-wrong-types.json");
    assert!(feed.articles.is_empty());
    let doc = br#"{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[
        {"id":1,"title":["bad"],"content_html":"<p>kept</p>","url":42,"tags":"solo","date_published":7},
        17,
        {"id":"b","title":"fine","authors":{"name":"Al"}}]}"#;
    let feed = parse_feed(doc, None, &base(), FeedId(0)).expect("coerced");
    assert_eq!(feed.skipped, 1);
    assert_eq!(feed.articles.len(), 2);
    assert_eq!(feed.articles[0].id.0, "1");
    assert_eq!(feed.articles[0].title, "kept");
    assert_eq!(feed.articles[0].categories, ["solo"]);
    assert_eq!(feed.articles[1].authors, ["Al"]);
}

#[test]
fn doctype_never_fails_a_feed_nor_fetches() {
    for name in [
        "xxe-file-passwd.xml",
        "xxe-remote-dtd.xml",
        "billion-laughs.xml",
    ] {
        let feed = hostile(name);
        assert!(!feed.articles.is_empty(), "{name}");
        assert!(!format!("{feed:?}").contains("root:"), "{name}");
    }
}

/// A good RSS document of `n` items, each with a title, link, guid and description.
fn good_rss(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            format!(
                "<item><title>Item {i}</title><link>http://127.0.0.1/p/{i}</link>\
                 <guid>g-{i}</guid><description>Body &amp; text {i}</description></item>"
            )
        })
        .collect()
}

fn rss_doc(items: &[String]) -> String {
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Prop</title>\
         <link>http://127.0.0.1/</link>{}</channel></rss>",
        items.concat()
    )
}

fn atom_doc(items: &[String]) -> String {
    let entries: Vec<String> = items
        .iter()
        .enumerate()
        .map(|(i, _)| {
            format!(
                "<entry><title>Item {i}</title><link href=\"http://127.0.0.1/p/{i}\"/><id>g-{i}</id>\
                 <updated>2024-01-01T00:00:00Z</updated><content type=\"html\">Body {i}</content></entry>"
            )
        })
        .collect();
    format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Prop</title>{}</feed>",
        entries.concat()
    )
}

/// Damage one item: cut it short, misspell an end tag, drop a `>`, add a stray `<` or `&`, or a
/// stray end tag.
fn damage(item: &str, how: usize, at: usize) -> String {
    let at = at % item.len().max(1);
    let at = (0..=at)
        .rev()
        .find(|i| item.is_char_boundary(*i))
        .unwrap_or(0);
    match how % 5 {
        // Cut after the start tag at least, so that there is an item to count.
        0 => item[..at.max(8)].to_string(),
        1 => item.replacen("</title>", "</titel>", 1),
        2 => item.replacen('>', "", 1),
        3 => format!("{}<{}", &item[..at], &item[at..]),
        _ => format!("{}</x>{}", &item[..at], &item[at..]),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn one_damaged_item_never_fails_the_feed(n in 2usize..8, victim in 0usize..8, how in 0usize..5,
                                             at in 0usize..400, atom in any::<bool>()) {
        let victim = victim % n;
        let mut items = good_rss(n);
        let mut doc = if atom { atom_doc(&items) } else { rss_doc(&items) };
        let item_tag = if atom { "<entry>" } else { "<item>" };
        // Damage the victim inside the real document text.
        let starts: Vec<usize> = doc.match_indices(item_tag).map(|(i, _)| i).collect();
        let close = if atom { "</entry>" } else { "</item>" };
        let start = starts[victim];
        let end = start + doc[start..].find(close).expect("closed") + close.len();
        let damaged = damage(&doc[start..end], how, at);
        doc.replace_range(start..end, &damaged);
        items.clear();
        let parsed = parse_feed(doc.as_bytes(), None, &base(), FeedId(0));
        let parsed = parsed.map_err(|e| TestCaseError::fail(format!("{e}: {doc}")))?;
        // Every other item survives; the victim survives or is counted as skipped.
        prop_assert!(parsed.articles.len() + parsed.skipped >= n, "{} + {} < {n}: {doc}",
                     parsed.articles.len(), parsed.skipped);
        prop_assert!(parsed.articles.len() >= n - 1, "{}: {doc}", parsed.articles.len());
        for i in (0..n).filter(|i| *i != victim) {
            let want = format!("g-{i}");
            prop_assert!(parsed.articles.iter().any(|a| a.id.0 == want), "lost {want}: {doc}");
        }
    }
}
