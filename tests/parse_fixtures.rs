//! Parsing tests: one fixture per format with its fields asserted, and every hostile corpus file
//! (copied byte-exact from ../shared/hostile/feeds) parsed without panic, per cases.tsv.

use chrono::{TimeZone, Utc};
use tidings::feed::parse::{parse_feed, ParseError};
use tidings::model::{Article, FeedId, ParsedFeed};
use url::Url;

mod scaling;

const FEED_URL: &str = "http://127.0.0.1:8999/feeds/feed.xml";

fn base() -> Url {
    Url::parse(FEED_URL).expect("static URL")
}

fn read(dir: &str, name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{dir}/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

fn parse(dir: &str, name: &str) -> Result<ParsedFeed, ParseError> {
    parse_feed(&read(dir, name), None, &base(), FeedId(3))
}

fn good(name: &str) -> ParsedFeed {
    parse("feeds", name).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn hostile(name: &str) -> ParsedFeed {
    parse("hostile", name).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn titles(feed: &ParsedFeed) -> Vec<&str> {
    feed.articles.iter().map(|a| a.title.as_str()).collect()
}

#[test]
fn rss2_fields() {
    let feed = good("rss2.xml");
    assert_eq!(feed.title.as_deref(), Some("Example & Co News"));
    assert_eq!(titles(&feed), ["First post", "Second post"]);
    let a = &feed.articles[0];
    assert_eq!(a.id.0, "post-1");
    assert_eq!(a.feed, FeedId(3));
    assert_eq!(
        a.link.as_deref(),
        Some("http://127.0.0.1:8999/posts/first.html")
    );
    assert_eq!(a.authors, ["Jane Doe"]);
    assert_eq!(
        a.published,
        Some(Utc.with_ymd_and_hms(2024, 1, 2, 10, 30, 0).unwrap())
    );
    assert_eq!(a.categories, ["Rust", "Terminals"]);
    assert_eq!(a.comments, Some(42));
    assert_eq!(a.summary(), Some("Short <b>summary</b>"));
    assert!(a.content().unwrap_or("").contains("<em>content</em>"));
    assert_eq!(a.enclosures.len(), 1);
    assert_eq!(a.enclosures[0].url, "https://cdn.example.com/ep1.mp3");
    assert_eq!(a.enclosures[0].mime.as_deref(), Some("audio/mpeg"));
    assert!(!a.read && !a.starred);
    let b = &feed.articles[1];
    assert_eq!(b.id.0, "https://example.com/posts/second.html");
    assert_eq!(b.comments, None);
    assert!(b.content().is_none());
}

#[test]
fn rss1_rdf_fields() {
    let feed = good("rss1-rdf.xml");
    assert_eq!(feed.title.as_deref(), Some("RDF Example"));
    let a = &feed.articles[0];
    assert_eq!(a.title, "RDF item");
    assert_eq!(a.link.as_deref(), Some("https://rdf.example.com/a"));
    assert_eq!(a.authors, ["Rita"]);
    assert_eq!(
        a.published,
        Some(Utc.with_ymd_and_hms(2024, 5, 6, 7, 8, 9).unwrap())
    );
    assert!(a.content().unwrap_or("").contains("RDF full content"));
}

#[test]
fn rss091_fields() {
    let feed = good("rss091.xml");
    assert_eq!(feed.title.as_deref(), Some("Old School 0.91"));
    assert_eq!(titles(&feed), ["Legacy one", "Legacy two"]);
    assert_eq!(
        feed.articles[1].link.as_deref(),
        Some("http://old.example.com/2")
    );
}

#[test]
fn atom10_fields_and_xml_base() {
    let feed = good("atom.xml");
    assert_eq!(feed.title.as_deref(), Some("Atom Example"));
    let a = &feed.articles[0];
    assert_eq!(a.id.0, "tag:blog.example.org,2024:1");
    assert_eq!(a.title, "Atom entry one");
    assert_eq!(
        a.link.as_deref(),
        Some("https://blog.example.org/posts/2024/one.html")
    );
    assert_eq!(a.authors, ["Ada", "Grace"]);
    assert_eq!(
        a.published,
        Some(Utc.with_ymd_and_hms(2024, 2, 28, 9, 0, 0).unwrap())
    );
    assert_eq!(
        a.updated,
        Some(Utc.with_ymd_and_hms(2024, 3, 1, 8, 0, 0).unwrap())
    );
    assert_eq!(a.categories, ["Systems", "rust"]);
    assert_eq!(a.summary(), Some("Summary one"));
    assert!(a.content().unwrap_or("").contains("Atom content"));
    assert_eq!(
        feed.articles[1].link.as_deref(),
        Some("https://blog.example.org/two.html")
    );
}

#[test]
fn atom03_is_read_not_silently_empty() {
    let feed = good("atom03.xml");
    assert_eq!(feed.title.as_deref(), Some("Atom 0.3 Example"));
    assert_eq!(titles(&feed), ["Legacy Atom entry"]);
    let a = &feed.articles[0];
    assert_eq!(a.link.as_deref(), Some("http://old-atom.example.com/e1"));
    assert_eq!(
        a.published,
        Some(Utc.with_ymd_and_hms(2005, 1, 1, 0, 0, 0).unwrap())
    );
    assert_eq!(a.authors, ["Old Timer"]);
    assert!(
        a.body_html().contains("escaped body"),
        "{:?}",
        a.body_html()
    );
}

#[test]
fn json_feed_numeric_id() {
    let feed = good("jsonfeed.json");
    assert_eq!(feed.title.as_deref(), Some("JSON Example"));
    let a = &feed.articles[0];
    assert_eq!(a.id.0, "1001");
    assert_eq!(a.title, "Numeric id item");
    assert_eq!(a.link.as_deref(), Some("https://json.example.net/1001"));
    assert_eq!(a.authors, ["Jo"]);
    assert_eq!(
        a.published,
        Some(Utc.with_ymd_and_hms(2024, 4, 5, 6, 7, 8).unwrap())
    );
    assert_eq!(a.categories, ["json", "feeds"]);
    assert!(a.content().unwrap_or("").contains("<b>JSON</b>"));
    assert_eq!(a.comments, None);
    assert_eq!(feed.articles[1].id.0, "item-2");
}

fn hostile_names() -> Vec<String> {
    let dir = format!("{}/tests/fixtures/hostile", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("hostile fixtures")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 40, "hostile corpus copied");
    names
}

/// ESC, C0 (but newline), DEL or C1 anywhere in a one-line field.
fn has_control(s: &str) -> bool {
    s.chars().any(|c| c != '\n' && c.is_control())
}

fn assert_clean(name: &str, a: &Article) {
    for field in [Some(&a.title), a.link.as_ref()]
        .into_iter()
        .flatten()
        .chain(&a.authors)
    {
        assert!(!has_control(field), "{name}: control char in {field:?}");
        assert!(
            !field.contains('\n'),
            "{name}: newline in one-line field {field:?}"
        );
    }
    for body in [a.summary(), a.content()].into_iter().flatten() {
        assert!(!has_control(body), "{name}: control char in body");
    }
    if let Some(link) = &a.link {
        assert!(
            link.starts_with("http://") || link.starts_with("https://"),
            "{name}: {link}"
        );
    }
    for e in &a.enclosures {
        assert!(
            e.url.starts_with("http://") || e.url.starts_with("https://"),
            "{name}: {}",
            e.url
        );
        assert!(!has_control(&e.url), "{name}: control char in enclosure");
    }
}

#[test]
fn every_hostile_feed_parses_or_fails_cleanly() {
    for name in hostile_names() {
        let result = std::panic::catch_unwind(|| parse("hostile", &name));
        let result = result.unwrap_or_else(|_| panic!("{name}: parse_feed panicked"));
        match result {
            Ok(feed) => {
                if let Some(title) = &feed.title {
                    assert!(
                        !has_control(title) && !title.contains('\n'),
                        "{name}: {title:?}"
                    );
                }
                for a in &feed.articles {
                    assert_clean(&name, a);
                    assert!(!a.title.is_empty(), "{name}: empty title");
                }
                let mut ids: Vec<_> = feed.articles.iter().map(|a| &a.id).collect();
                ids.sort();
                ids.dedup();
                assert_eq!(ids.len(), feed.articles.len(), "{name}: duplicate ids");
            }
            Err(e) => {
                let msg = e.to_string();
                assert!(!has_control(&msg) && !msg.contains('\n'), "{name}: {msg:?}");
            }
        }
    }
}

#[test]
fn hostile_item_counts() {
    for (name, count) in [
        ("esc-title-csi.xml", 3),
        ("esc-title-charref.xml", 3),
        ("esc-json-feed.json", 2),
        ("rss-no-version.xml", 1),
        ("invalid-utf8.xml", 2),
        ("rss091.xml", 2),
        ("rdf-rss10.xml", 2),
        ("utf16le-bom.xml", 1),
        ("utf16be-bom.xml", 1),
        ("unknown-encoding.xml", 1),
        ("zero-items.xml", 0),
    ] {
        assert_eq!(hostile(name).articles.len(), count, "{name}");
    }
}

#[test]
fn hostile_second_xml_declaration_does_not_crash() {
    // Either both items (stray declaration dropped) or a clean error; never a panic.
    if let Ok(feed) = parse("hostile", "second-xml-decl.xml") {
        assert_eq!(feed.articles.len(), 2);
    }
}

#[test]
fn hostile_encodings() {
    let latin1 = hostile("iso-8859-1.xml");
    assert_eq!(latin1.title.as_deref(), Some("Café Prøve"));
    assert_eq!(latin1.articles[0].title, "Grüße aus Köln à la crème");
    let cp1252 = hostile("windows-1252.xml");
    assert!(cp1252
        .title
        .as_deref()
        .unwrap_or("")
        .contains("“Smart quotes”"));
    assert_eq!(cp1252.articles[0].title, "It’s “quoted” — Škoda Ž");
    for name in ["utf16le-bom.xml", "utf16be-bom.xml"] {
        assert_eq!(
            hostile(name).title.as_deref(),
            Some("UTF-16 日本語 feed"),
            "{name}"
        );
    }
    let bad = hostile("invalid-utf8.xml");
    assert!(bad.articles[0].title.contains('\u{FFFD}'));
    let charrefs = hostile("invalid-charrefs.xml");
    assert!(!charrefs.articles.is_empty());
}

#[test]
fn hostile_missing_titles_get_placeholders_and_stable_ids() {
    let first = hostile("item-no-title.xml");
    let second = hostile("item-no-title.xml");
    assert_eq!(first.articles.len(), 5);
    let ids = |f: &ParsedFeed| f.articles.iter().map(|a| a.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&first), ids(&second));
    assert!(first.articles[0].title.starts_with("Only a description"));
    assert!(first.articles.iter().all(|a| !a.title.trim().is_empty()));
    let missing = hostile("missing-fields.xml");
    assert_eq!(ids(&missing), ids(&hostile("missing-fields.xml")));
    assert!(missing
        .articles
        .iter()
        .all(|a| a.link.as_deref() != Some(FEED_URL)));
}

#[test]
fn hostile_legacy_formats() {
    let atom03 = hostile("atom03.xml");
    assert_eq!(titles(&atom03), ["0.3 entry"]);
    let rdf = hostile("rdf-rss10.xml");
    let a = &rdf.articles[0];
    assert_eq!(
        a.published,
        Some(Utc.with_ymd_and_hms(2024, 1, 2, 2, 4, 5).unwrap())
    );
    assert_eq!(a.authors, ["Dee"]);
    assert!(a.content().is_some());
}

#[test]
fn hostile_not_feeds_and_empty() {
    assert!(matches!(
        parse("hostile", "html-not-feed.html"),
        Err(ParseError::LooksLikeHtml)
    ));
    for name in ["empty.xml", "bom-only.xml"] {
        let err = parse("hostile", name).expect_err(name);
        assert!(err.to_string().contains("empty"), "{name}: {err}");
    }
    let err = parse("hostile", "json-not-a-feed.json").expect_err("JSON array");
    assert!(err.to_string().contains("not a JSON Feed"), "{err}");
    assert!(
        parse("hostile", "truncated.xml").is_err() || !hostile("truncated.xml").articles.is_empty()
    );
}

#[test]
fn hostile_entities_are_never_expanded_or_resolved() {
    // Expansion would show as "lol…" in the text; the output stays the size of the input.
    let laughs = parse("hostile", "billion-laughs.xml");
    if let Ok(feed) = laughs {
        for a in &feed.articles {
            assert!(
                a.title.len() < 200 && !a.title.contains("lollollol"),
                "{}",
                a.title
            );
        }
    }
    for name in ["xxe-file-passwd.xml", "xxe-remote-dtd.xml"] {
        if let Ok(feed) = parse("hostile", name) {
            let all = format!("{feed:?}");
            assert!(!all.contains("root:"), "{name}: local file leaked");
        }
    }
}

#[test]
fn hostile_links_are_http_only_and_resolved() {
    let dangerous = hostile("dangerous-link-schemes.xml");
    assert!(!dangerous.articles.is_empty());
    for a in &dangerous.articles {
        assert!(
            a.link.as_deref().is_none_or(|l| l.starts_with("http")),
            "{:?}",
            a.link
        );
    }
    let relative = hostile("relative-links-rss.xml");
    assert_eq!(
        relative.articles[0].link.as_deref(),
        Some("http://127.0.0.1:8999/2024/post.html")
    );
    let based = hostile("atom-xml-base-relative.xml");
    assert_eq!(
        based.articles[0].link.as_deref(),
        Some("http://127.0.0.1:8999/blog/posts/2024/first.html")
    );
}

#[test]
fn hostile_dates_are_absent_when_implausible() {
    let feed = hostile("weird-dates.xml");
    let now = Utc::now();
    for a in &feed.articles {
        if let Some(d) = a.published.or(a.updated) {
            assert!(
                d > Utc.with_ymd_and_hms(1971, 1, 1, 0, 0, 0).unwrap(),
                "{}: {d}",
                a.title
            );
            assert!(d < now + chrono::Duration::days(400), "{}: {d}", a.title);
        }
    }
}

fn big_feed(items: usize) -> String {
    let mut doc =
        String::from("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>big</title>");
    for i in 0..items {
        doc.push_str(&format!(
            "<item><title>Item number {i} of a very long feed</title><link>http://127.0.0.1/big/{i}</link>\
             <guid isPermaLink=\"false\">big-{i}</guid><pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate>\
             <description>item {i}</description></item>\n"
        ));
    }
    doc.push_str("</channel></rss>");
    doc
}

#[test]
fn big_feed_is_capped() {
    let doc = big_feed(100_000);
    let feed = parse_feed(doc.as_bytes(), None, &base(), FeedId(0)).expect("big feed parses");
    assert_eq!(feed.articles.len(), tidings::feed::normalise::MAX_ITEMS);
    assert_eq!(feed.articles[0].id.0, "big-0");
}

#[test]
fn parse_cost_grows_linearly_with_items() {
    // Below the item cap, so both sizes do the whole work.
    scaling::assert_linear("parse items", 1_000, big_feed, |doc| {
        let _ = parse_feed(doc.as_bytes(), None, &base(), FeedId(0));
    });
}

#[test]
fn duplicate_ids_first_wins_deterministically() {
    let summary = |f: &ParsedFeed| {
        f.articles
            .iter()
            .map(|a| (a.id.clone(), a.title.clone(), a.link.clone()))
            .collect::<Vec<_>>()
    };
    let first = hostile("duplicate-guids.xml");
    assert_eq!(summary(&first), summary(&hostile("duplicate-guids.xml")));
    assert_eq!(first.articles[0].title, "First copy");
}
