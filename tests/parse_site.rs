//! The feed's own web site (`ParsedFeed::site`, OPML's `htmlUrl`): RSS `<channel><link>`, Atom
//! `rel="alternate"` (or no rel), JSON Feed `home_page_url`; resolved, http(s) only, never the feed
//! itself or another format of it.

use tidings::feed::parse::parse_feed;
use tidings::model::{FeedId, ParsedFeed};
use url::Url;

const FEED_URL: &str = "http://127.0.0.1:8999/feeds/feed.xml";

fn parse(doc: &str) -> ParsedFeed {
    let base = Url::parse(FEED_URL).expect("static URL");
    parse_feed(doc.as_bytes(), None, &base, FeedId(0)).unwrap_or_else(|e| panic!("{e}\n{doc}"))
}

fn fixture(name: &str) -> ParsedFeed {
    let path = format!("{}/tests/fixtures/feeds/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"));
    let base = Url::parse(FEED_URL).expect("static URL");
    parse_feed(&bytes, None, &base, FeedId(0)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn rss(channel_links: &str) -> String {
    format!(
        r#"<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
        <title>T</title>{channel_links}<description>d</description>
        <item><title>i</title><link>https://news.example/i</link></item></channel></rss>"#
    )
}

fn atom(feed_links: &str) -> String {
    format!(
        r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.org/b/">
        <title>T</title><id>urn:x</id><updated>2024-01-01T00:00:00Z</updated>{feed_links}
        <entry><title>e</title><id>urn:e</id><link href="https://blog.example.org/e"/>
        <updated>2024-01-01T00:00:00Z</updated></entry></feed>"#
    )
}

fn json(fields: &str) -> String {
    format!(
        r#"{{"version":"https://jsonfeed.org/version/1.1","title":"J",{fields}
        "items":[{{"id":"1","url":"https://json.example.net/1","content_text":"x"}}]}}"#
    )
}

#[test]
fn the_three_fixtures_state_their_sites() {
    assert_eq!(
        fixture("rss2.xml").site.as_deref(),
        Some("https://example.com/")
    );
    assert_eq!(
        fixture("jsonfeed.json").site.as_deref(),
        Some("https://json.example.net/")
    );
    // Only `rel="self"` at the feed level: no site.
    assert_eq!(fixture("atom.xml").site, None);
}

#[test]
fn rss_channel_link_not_the_atom_self_link() {
    let doc = rss(
        r#"<atom:link rel="self" href="http://127.0.0.1:8999/feeds/feed.xml" type="application/rss+xml"/>
        <link>https://news.example/</link>"#,
    );
    assert_eq!(parse(&doc).site.as_deref(), Some("https://news.example/"));
    // Relative: resolved against the feed's URL.
    assert_eq!(
        parse(&rss("<link>/home</link>")).site.as_deref(),
        Some("http://127.0.0.1:8999/home")
    );
    assert_eq!(parse(&rss("")).site, None);
    // A blank link would resolve to the feed itself.
    assert_eq!(parse(&rss("<link></link>")).site, None);
}

#[test]
fn atom_alternate_html_not_self_nor_another_feed_format() {
    let doc = atom(
        r#"<link rel="self" href="https://blog.example.org/b/atom.xml"/>
        <link rel="alternate" type="application/rss+xml" href="rss.xml"/>
        <link rel="alternate" type="text/html" href="./"/>"#,
    );
    assert_eq!(
        parse(&doc).site.as_deref(),
        Some("https://blog.example.org/b/")
    );
    // A link without rel is an alternate (RFC 4287 §4.2.7.2).
    let doc = atom(
        r#"<link href="https://blog.example.org/"/><link rel="hub" href="https://hub.example/"/>"#,
    );
    assert_eq!(
        parse(&doc).site.as_deref(),
        Some("https://blog.example.org/")
    );
    let doc = atom(
        r#"<link rel="hub" href="https://hub.example/"/><link rel="related" href="https://r.example/"/>"#,
    );
    assert_eq!(parse(&doc).site, None);
}

#[test]
fn json_feed_home_page_not_feed_url() {
    let both = json(
        r#""feed_url":"http://127.0.0.1:8999/elsewhere.json","home_page_url":"https://json.example.net/","#,
    );
    assert_eq!(
        parse(&both).site.as_deref(),
        Some("https://json.example.net/")
    );
    // feed-rs gives feed_url alone as the only link, without rel: it is not a site.
    let feed_only = json(r#""feed_url":"https://json.example.net/feed.json","#);
    assert_eq!(parse(&feed_only).site, None);
    // Nor when the home page is null.
    let null_home =
        json(r#""home_page_url" : null,"feed_url":"https://json.example.net/feed.json","#);
    assert_eq!(parse(&null_home).site, None);
    let relative = json(r#""home_page_url":"/","#);
    assert_eq!(
        parse(&relative).site.as_deref(),
        Some("http://127.0.0.1:8999/")
    );
    // A home page of the wrong type is dropped by the coercing path, not mistaken for the feed URL.
    let coerced = json(r#""home_page_url":["x"],"feed_url":"https://json.example.net/f.json","#);
    assert_eq!(parse(&coerced).site, None);
}

#[test]
fn hostile_sites_are_dropped() {
    assert_eq!(parse(&rss("<link>javascript:alert(1)</link>")).site, None);
    assert_eq!(parse(&rss("<link>file:///etc/passwd</link>")).site, None);
    let doc = atom(r#"<link rel="alternate" href="data:text/html,&lt;b&gt;x"/>"#);
    assert_eq!(parse(&doc).site, None);
    for home in [
        r#""home_page_url":"https://evil.example/\u001b[31mred","#,
        r#""home_page_url":"https://evil.example/%1b]8;;x","#,
        r#""home_page_url":"javascript:alert(1)","#,
    ] {
        let feed = parse(&json(home));
        assert_eq!(feed.site, None, "{home}");
    }
    let long = format!("<link>https://long.example/{}</link>", "a".repeat(40_000));
    assert_eq!(parse(&rss(&long)).site, None);
}
