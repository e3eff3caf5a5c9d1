//! Subscription lists from other readers (OPML 1/2 of newsboat, feedr, eilmeldung, a web reader with
//! nested folders; newsboat urls files) and hostile ones (entities, a DOCTYPE, huge, truncated, not a
//! list at all), plus the OPML export round trip.

mod support;

use std::path::Path;
use support::{Response, TestServer};
use tidings::feed::opml::write_opml;
use tidings::feed::subscriptions::{
    read_subscriptions, ImportError, Subscription, SubscriptionList,
};

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

fn read(name: &str) -> SubscriptionList {
    read_subscriptions(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn read_err(bytes: &[u8]) -> ImportError {
    match read_subscriptions(bytes) {
        Ok(list) => panic!("expected an error, got {list:?}"),
        Err(e) => e,
    }
}

/// (url, name, tags) of every feed, for compact assertions.
fn summary(list: &SubscriptionList) -> Vec<(String, Option<String>, Vec<String>)> {
    list.feeds
        .iter()
        .map(|f| (f.url.clone(), f.name.clone(), f.tags.clone()))
        .collect()
}

fn row(url: &str, name: Option<&str>, tags: &[&str]) -> (String, Option<String>, Vec<String>) {
    (
        url.to_string(),
        name.map(String::from),
        tags.iter().map(|t| t.to_string()).collect(),
    )
}

#[test]
fn newsboat_opml_1_uses_title_and_unescapes_attributes() {
    let list = read("newsboat-opml1.opml");
    assert_eq!(list.format, "OPML");
    assert_eq!(
        summary(&list),
        vec![
            row("https://lwn.net/headlines/rss", Some("LWN.net"), &[]),
            row(
                "https://blog.rust-lang.org/feed.xml",
                Some("Rust Blog"),
                &[]
            ),
            row(
                "https://example.org/news?format=rss&lang=en",
                Some("News & Views"),
                &[]
            ),
        ]
    );
    assert_eq!(list.feeds[0].html_url.as_deref(), Some("https://lwn.net"));
}

#[test]
fn newsboat_opml_2_categories_become_tags() {
    let list = read("newsboat-opml2.opml");
    assert_eq!(
        summary(&list),
        vec![
            row(
                "https://lwn.net/headlines/rss",
                Some("LWN.net"),
                &["linux", "news"]
            ),
            row(
                "https://blog.rust-lang.org/feed.xml",
                Some("Rust Blog"),
                &["rust"]
            ),
            row("https://xkcd.com/atom.xml", Some("xkcd.com"), &[]),
        ]
    );
}

#[test]
fn feedr_export_prefers_text_and_falls_back_to_title() {
    let list = read("feedr.opml");
    assert_eq!(
        summary(&list),
        vec![
            row("https://news.ycombinator.com/rss", Some("Hacker News"), &[]),
            row(
                "https://this-week-in-rust.org/atom.xml",
                Some("This Week in Rust"),
                &[]
            ),
            row(
                "https://untitled.example.net/feed",
                Some("Untitled feed"),
                &[]
            ),
        ]
    );
}

#[test]
fn eilmeldung_folders_become_tags() {
    let list = read("eilmeldung.opml");
    assert_eq!(
        summary(&list),
        vec![
            row(
                "https://www.tagesschau.de/index~rss2.xml",
                Some("tagesschau.de - Die Nachrichten der ARD"),
                &["Nachrichten"]
            ),
            row(
                "https://www.heise.de/rss/heise-atom.xml",
                Some("heise online News"),
                &["Nachrichten"]
            ),
            row(
                "https://rss.golem.de/rss.php?feed=ATOM1.0",
                Some("Golem.de"),
                &["Technik"]
            ),
            row("https://netzpolitik.org/feed/", Some("Ohne Kategorie"), &[]),
        ]
    );
}

#[test]
fn web_reader_nested_folders_unicode_and_categories() {
    let list = read("webreader-nested.opml");
    assert_eq!(
        summary(&list),
        vec![
            row(
                "https://blog.rust-lang.org/inside-rust/feed.xml",
                Some("Inside Rust"),
                &["Tech", "Rust"]
            ),
            row(
                "https://tokio.rs/blog/feed.xml",
                Some("Tokio"),
                &["Tech", "Rust", "Async"]
            ),
            row(
                "https://feeds.arstechnica.com/arstechnica/index",
                Some("Ars Technica"),
                &["Tech"]
            ),
            row(
                "https://www3.nhk.or.jp/rss/news/cat0.xml",
                Some("NHKニュース"),
                &["日本語"]
            ),
            // The same feed in a second folder is listed again; the config edit skips it as present.
            row(
                "https://feeds.arstechnica.com/arstechnica/index",
                Some("Ars Technica"),
                &["Reading"]
            ),
            row(
                "https://snow.example.org/feed",
                Some("Ünïcödé ☃ Blog"),
                &["Winter", "Snow", "misc"]
            ),
        ]
    );
}

#[test]
fn newsboat_urls_file_with_tags_names_queries_and_commands() {
    let list = read("newsboat-urls");
    assert_eq!(list.format, "newsboat urls");
    assert_eq!(
        summary(&list),
        vec![
            row("https://lwn.net/headlines/rss", None, &["linux", "news"]),
            row(
                "https://blog.rust-lang.org/feed.xml",
                Some("The Rust Blog"),
                &["rust"]
            ),
            row(
                "https://xkcd.com/atom.xml",
                Some("xkcd"),
                &["fun", "hidden"]
            ),
            row("https://example.org/a b.xml", None, &["two words"]),
            row("https://lwn.net/headlines/rss", None, &["duplicate"]),
        ]
    );
    assert_eq!(
        list.queries,
        vec!["query:Unread Articles:unread = \"yes\"".to_string()]
    );
    assert_eq!(
        list.skipped,
        vec![
            "line 8: exec: (tidings does not run commands)".to_string(),
            "line 9: filter: (tidings does not run commands)".to_string(),
        ]
    );
}

#[test]
fn doctype_entities_are_never_expanded() {
    let list = read("entities-doctype.opml");
    assert_eq!(list.feeds.len(), 3);
    let names: Vec<String> = list.feeds.iter().filter_map(|f| f.name.clone()).collect();
    assert_eq!(names, vec!["&lol9;", "&xxe;", "Fine & dandy"]);
    assert!(names.iter().all(|n| n.len() < 20), "{names:?}");
}

#[test]
fn an_external_doctype_is_never_fetched() {
    let server = TestServer::start([(
        "/evil.dtd",
        Response::ok("<!ENTITY x \"boom\">", "application/xml-dtd"),
    )]);
    let opml = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE opml SYSTEM \"{}\">\n<opml version=\"1.0\"><body><outline text=\"&x;\" xmlUrl=\"https://a.example/\"/></body></opml>\n",
        server.url("/evil.dtd")
    );
    let list = read_subscriptions(opml.as_bytes()).expect("imports without the DTD");
    assert_eq!(list.feeds[0].name.as_deref(), Some("&x;"));
    assert_eq!(server.hits("/evil.dtd"), 0);
}

#[test]
fn a_large_opml_file_imports_every_feed() {
    let mut opml = String::from("<opml version=\"2.0\"><body>\n");
    for i in 0..20_000 {
        opml.push_str(&format!(
            "<outline text=\"Feed {i}\" xmlUrl=\"https://f{i}.example.org/rss\"/>\n"
        ));
    }
    opml.push_str("</body></opml>\n");
    let list = read_subscriptions(opml.as_bytes()).expect("large but fine");
    assert_eq!(list.feeds.len(), 20_000);
    assert_eq!(list.feeds[19_999].name.as_deref(), Some("Feed 19999"));
}

#[test]
fn an_oversized_or_deeply_nested_file_is_handled() {
    let huge = vec![b' '; tidings::feed::subscriptions::MAX_IMPORT_BYTES + 1];
    let err = read_err(&huge);
    assert_eq!((err.line, err.col), (1, 1));
    assert!(err.message.contains("larger than 16 MB"), "{}", err.message);
    // 5,000 nested folders: imported, with only the outer folders as tags.
    let depth = 5_000;
    let mut opml = String::from("<opml version=\"2.0\"><body>");
    for i in 0..depth {
        opml.push_str(&format!("<outline text=\"F{i}\">"));
    }
    opml.push_str("<outline text=\"Deep\" xmlUrl=\"https://deep.example.org/rss\"/>");
    opml.push_str(&"</outline>".repeat(depth));
    opml.push_str("</body></opml>");
    let list = read_subscriptions(opml.as_bytes()).expect("deep but fine");
    assert_eq!(list.feeds.len(), 1);
    assert_eq!(list.feeds[0].tags.len(), 16);
}

#[test]
fn files_that_are_not_subscription_lists_are_errors_with_a_position() {
    let err = read_err(&fixture("a-feed.xml"));
    assert_eq!((err.line, err.col), (2, 1), "{err}");
    assert!(err.message.contains("found <rss>: this is a feed"), "{err}");

    let err = read_err(&fixture("image.png"));
    assert_eq!(
        err.to_string(),
        "1:1: binary data (an image or an archive?), neither OPML nor a newsboat urls file"
    );

    let err = read_err(&fixture("truncated.opml"));
    assert!(err.message.contains("truncated"), "{err}");
    assert_eq!(err.line, 8, "{err}");

    let err = read_err(&fixture("notes.txt"));
    assert_eq!((err.line, err.col), (1, 1), "{err}");
    assert!(err.message.contains("found `just`"), "{err}");

    let err = read_err(b"https://a.example/rss\n  <html>\n");
    assert_eq!((err.line, err.col), (2, 3), "{err}");

    let err = read_err(b"<opml><body><outline text=\"x\"></body></opml>");
    assert!(err.message.starts_with("not well-formed XML"), "{err}");
    assert_eq!(err.line, 1);

    assert!(read_err(b"").message.contains("empty"));
    assert!(read_err(b"# only a comment\n").message.contains("no feeds"));
    assert!(
        read_err(b"{\"version\": \"https://jsonfeed.org/version/1.1\"}")
            .message
            .contains("found `{")
    );
}

#[test]
fn hostile_strings_come_out_clean() {
    let opml = "<opml version=\"1.0\"><body><outline text=\"Evil&#x1b;[2J&#x202e;name\" category=\"/a&#7;b\" xmlUrl=\"https://a.example/&#x1b;]52;\"/></body></opml>";
    let list = read_subscriptions(opml.as_bytes()).expect("imports");
    let feed = &list.feeds[0];
    for text in [
        feed.url.as_str(),
        feed.name.as_deref().unwrap_or(""),
        feed.tags[0].as_str(),
    ] {
        assert!(
            !text.chars().any(|c| c.is_control() || c == '\u{202e}'),
            "{text:?}"
        );
    }
}

#[test]
fn export_then_import_gives_the_same_urls_names_and_tags() {
    let feeds = vec![
        Subscription {
            url: "https://a.example.org/rss?x=1&y=2".into(),
            name: Some("A & <B> \"quoted\"".into()),
            tags: vec!["news".into(), "日本語".into()],
            html_url: Some("https://a.example.org/".into()),
        },
        Subscription {
            url: "https://b.example.org/atom".into(),
            name: None,
            tags: vec![],
            html_url: None,
        },
    ];
    let opml = write_opml(&feeds);
    assert!(
        opml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">"),
        "{opml}"
    );
    assert!(opml.contains("category=\"/news,/日本語\""), "{opml}");
    let back = read_subscriptions(opml.as_bytes()).expect("our own export imports");
    assert_eq!(back.feeds, feeds);
}
