//! End to end: `add` (feed discovery on a loopback page), `import`, `export` and `remove` through the
//! built binary, with feeds.toml in a temp sandbox.

mod e2e_common;
mod support;

use e2e_common::{fixture, run, Sandbox};
use std::path::Path;
use std::time::Duration;
use support::{Response, TestServer};

const QUICK: Duration = Duration::from_secs(20);

fn import_fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
        .display()
        .to_string()
}

fn feeds_of(path: &Path) -> Vec<(String, Option<String>, Vec<String>)> {
    let config = tidings::config::load(path).expect("a valid config");
    config
        .feeds
        .into_iter()
        .map(|f| (f.url.to_string(), f.name, f.tags))
        .collect()
}

fn discovery_server() -> TestServer {
    let page = r#"<!DOCTYPE html><html><head><title>A blog</title>
        <base href="/b/">
        <link rel="alternate" type="application/rss+xml" title="Posts" href="rss.xml">
        <link rel="alternate" type="application/atom+xml" href="/atom.xml">
        </head><body><p>Hello</p></body></html>"#;
    TestServer::start([
        ("/blog/", Response::ok(page, "text/html; charset=utf-8")),
        (
            "/b/rss.xml",
            Response::ok(fixture("rss2.xml"), "application/rss+xml"),
        ),
        (
            "/atom.xml",
            Response::ok(fixture("atom.xml"), "application/atom+xml"),
        ),
        (
            "/plain.html",
            Response::ok("<html><body>no links</body></html>", "text/html"),
        ),
        (
            "/feed.json",
            Response::ok(fixture("jsonfeed.json"), "application/feed+json"),
        ),
    ])
}

#[test]
fn add_discovers_the_feeds_of_a_page_and_creates_the_config() {
    let server = discovery_server();
    let sandbox = Sandbox::new();
    let config = sandbox.path("new/feeds.toml");
    let config_arg = config.display().to_string();
    let out = run(
        sandbox.command().args([
            "--config",
            &config_arg,
            "add",
            &server.url("/blog/"),
            "--tag",
            "blogs",
        ]),
        QUICK,
    );
    out.expect_code(0);
    assert!(out.stdout.contains("2 feeds found"), "{}", out.describe());
    assert!(
        out.stdout.contains("added Example & Co News"),
        "{}",
        out.describe()
    );
    assert_eq!(
        feeds_of(&config),
        vec![(
            server.url("/b/rss.xml"),
            Some("Example & Co News".to_string()),
            vec!["blogs".to_string()]
        )]
    );
    // --all adds the rest; the one already there is skipped.
    let out = run(
        sandbox.command().args([
            "--config",
            &config_arg,
            "add",
            &server.url("/blog/"),
            "--all",
        ]),
        QUICK,
    );
    out.expect_code(0);
    assert!(out.stdout.contains("already present"), "{}", out.describe());
    let feeds = feeds_of(&config);
    assert_eq!(feeds.len(), 2);
    assert_eq!(feeds[1].0, server.url("/atom.xml"));
    assert_eq!(feeds[1].1.as_deref(), Some("Atom Example"));
}

#[test]
fn add_falls_back_to_the_usual_paths_and_takes_a_name() {
    let server = TestServer::start([
        (
            "/plain.html",
            Response::ok("<html><body>no links</body></html>", "text/html"),
        ),
        (
            "/feed.json",
            Response::ok(fixture("jsonfeed.json"), "application/feed+json"),
        ),
    ]);
    let sandbox = Sandbox::new();
    std::fs::write(sandbox.config(), "# mine\n").expect("write feeds.toml");
    let out = run(
        &mut sandbox.tidings(&["add", &server.url("/plain.html"), "--name", "Mine"]),
        QUICK,
    );
    out.expect_code(0);
    for path in ["/feed", "/rss.xml", "/atom.xml", "/index.xml", "/feed.json"] {
        assert_eq!(server.hits(path), 1, "{path} tried once");
    }
    assert_eq!(
        feeds_of(&sandbox.config()),
        vec![(server.url("/feed.json"), Some("Mine".to_string()), vec![])]
    );
    let text = std::fs::read_to_string(sandbox.config()).expect("read");
    assert!(text.starts_with("# mine\n"), "{text}");
}

#[test]
fn add_with_nothing_found_exits_1_and_leaves_the_config_alone() {
    let server = TestServer::start([("/empty.html", Response::ok("<html></html>", "text/html"))]);
    let sandbox = Sandbox::new();
    let original = "# untouched\n[settings]\nconcurrency = 2\n";
    std::fs::write(sandbox.config(), original).expect("write feeds.toml");
    let out = run(
        &mut sandbox.tidings(&["add", &server.url("/empty.html")]),
        QUICK,
    );
    out.expect_code(1);
    assert!(out.stderr.contains("no feed found"), "{}", out.describe());
    assert_eq!(
        std::fs::read_to_string(sandbox.config()).expect("read"),
        original
    );
    // With a config that does not exist yet, none is created.
    let missing = sandbox.path("missing.toml");
    let out = run(
        sandbox.command().args([
            "--config",
            &missing.display().to_string(),
            "add",
            &server.url("/empty.html"),
        ]),
        QUICK,
    );
    out.expect_code(1);
    assert!(!missing.exists());
}

#[test]
fn import_appends_keeps_comments_and_reports_what_it_did() {
    let sandbox = Sandbox::new();
    let original = "# hand-written\n[[feed]]\nurl = \"https://lwn.net/headlines/rss\" # keep me\n";
    std::fs::write(sandbox.config(), original).expect("write feeds.toml");
    let out = run(
        &mut sandbox.tidings(&["import", &import_fixture("newsboat-opml2.opml")]),
        QUICK,
    );
    out.expect_code(0);
    assert!(
        out.stdout
            .starts_with("imported 2 feeds, 1 already present"),
        "{}",
        out.describe()
    );
    let text = std::fs::read_to_string(sandbox.config()).expect("read");
    assert!(text.starts_with(original), "{text}");
    assert_eq!(feeds_of(&sandbox.config()).len(), 3);
}

#[test]
fn import_of_something_else_is_exit_2_and_creates_nothing() {
    let sandbox = Sandbox::new();
    for name in ["a-feed.xml", "image.png", "truncated.opml", "notes.txt"] {
        let out = run(
            &mut sandbox.tidings(&["import", &import_fixture(name)]),
            QUICK,
        );
        out.expect_code(2);
        assert!(
            out.stderr.contains(&format!("{name}:")) && out.stderr.lines().count() == 1,
            "{name}: {}",
            out.describe()
        );
        assert!(!sandbox.config().exists(), "{name} created a config");
    }
}

#[test]
fn import_without_any_config_writes_the_xdg_one() {
    let sandbox = Sandbox::new();
    let out = run(
        sandbox
            .command()
            .args(["import", &import_fixture("eilmeldung.opml")]),
        QUICK,
    );
    out.expect_code(0);
    let created = sandbox.path("xdg-config/tidings/feeds.toml");
    assert_eq!(feeds_of(&created).len(), 4);
}

#[test]
fn export_then_import_into_an_empty_config_round_trips() {
    let sandbox = Sandbox::new();
    let run_import = |config: &Path, file: &str| {
        run(
            sandbox
                .command()
                .args(["--config", &config.display().to_string(), "import", file]),
            QUICK,
        )
    };
    let first = sandbox.path("first.toml");
    run_import(&first, &import_fixture("webreader-nested.opml")).expect_code(0);
    let out = run(
        sandbox
            .command()
            .args(["--config", &first.display().to_string(), "export"]),
        QUICK,
    );
    out.expect_code(0);
    let exported = sandbox.path("export.opml");
    std::fs::write(&exported, &out.stdout_bytes).expect("write export");
    let second = sandbox.path("second.toml");
    run_import(&second, &exported.display().to_string()).expect_code(0);
    let original = feeds_of(&first);
    assert_eq!(original.len(), 5, "the duplicate Ars Technica was skipped");
    assert_eq!(feeds_of(&second), original);
}

#[test]
fn remove_by_name_keeps_comments_and_unknown_is_exit_1() {
    let sandbox = Sandbox::new();
    let text = "# top comment\n\n# first\n[[feed]]\nurl = \"https://a.example/rss\"\nname = \"Alpha\"\n\n# second\n[[feed]]\nurl = \"https://b.example/rss\"\nname = \"Beta\"\n";
    std::fs::write(sandbox.config(), text).expect("write feeds.toml");
    let out = run(&mut sandbox.tidings(&["remove", "alpha"]), QUICK);
    out.expect_code(0);
    assert!(
        out.stdout.contains("removed Alpha (https://a.example/rss)"),
        "{}",
        out.describe()
    );
    let after = std::fs::read_to_string(sandbox.config()).expect("read");
    assert!(
        after.contains("# top comment") && after.contains("# second"),
        "{after}"
    );
    assert!(!after.contains("a.example"), "{after}");
    let out = run(
        &mut sandbox.tidings(&["remove", "https://nope.example/"]),
        QUICK,
    );
    out.expect_code(1);
    let out = run(
        &mut sandbox.tidings(&["remove", "https://b.example/rss"]),
        QUICK,
    );
    out.expect_code(0);
    assert!(feeds_of(&sandbox.config()).is_empty());
}

#[test]
fn remove_drops_the_feeds_unstarred_articles_from_the_cache() {
    let server = TestServer::start([(
        "/rss.xml",
        Response::ok(fixture("rss2.xml"), "application/rss+xml"),
    )]);
    let sandbox = Sandbox::new();
    sandbox.write_config("", &[e2e_common::feed("Rss", server.url("/rss.xml"), &[])]);
    run(&mut sandbox.tidings(&["fetch"]), QUICK).expect_code(0);
    let db = rusqlite::Connection::open(sandbox.cache()).expect("cache opens");
    db.execute("UPDATE articles SET starred = 1 WHERE id = 'post-1'", [])
        .expect("star one");
    let count = |db: &rusqlite::Connection| -> i64 {
        db.query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
            .expect("count")
    };
    assert_eq!(count(&db), 2);
    let out = run(&mut sandbox.tidings(&["remove", "Rss"]), QUICK);
    out.expect_code(0);
    assert!(
        out.stderr.contains("1 unstarred article(s) removed"),
        "{}",
        out.describe()
    );
    assert_eq!(count(&db), 1, "the starred article stays");
}

/// Each outline's `xmlUrl` → its `htmlUrl` (None when the attribute is absent), XML entities decoded.
fn html_urls(opml: &str) -> Vec<(String, Option<String>)> {
    let attr = |line: &str, name: &str| {
        let start = line.find(&format!(" {name}=\""))? + name.len() + 3;
        let len = line[start..].find('"')?;
        Some(
            line[start..start + len]
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&"),
        )
    };
    opml.lines()
        .filter(|l| l.contains("<outline"))
        .map(|l| {
            (
                attr(l, "xmlUrl").expect("every outline has xmlUrl"),
                attr(l, "htmlUrl"),
            )
        })
        .collect()
}

#[test]
fn export_writes_each_fetched_feeds_own_site_as_html_url() {
    let rss = r#"<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
        <title>R</title><atom:link rel="self" href="https://rss.example/feed.xml"/>
        <link>https://rss.example/home?a=1&amp;b="2"</link><description>d</description>
        <item><title>i</title><link>https://rss.example/i</link></item></channel></rss>"#;
    let atom = r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
        <title>A</title><id>urn:a</id><updated>2024-01-01T00:00:00Z</updated>
        <link rel="self" href="/atom.xml"/><link rel="alternate" type="application/rss+xml" href="/rss.xml"/>
        <link rel="alternate" type="text/html" href="/blog/"/>
        <entry><title>e</title><id>urn:e</id><link href="/blog/e"/><updated>2024-01-01T00:00:00Z</updated></entry></feed>"#;
    let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"J",
        "feed_url":"https://json.example.net/feed.json","home_page_url":"https://json.example.net/",
        "items":[{"id":"1","url":"https://json.example.net/1","content_text":"x"}]}"#;
    let script = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>S</title>
        <link>javascript:alert(document.cookie)</link><description>d</description>
        <item><title>i</title><link>https://script.example/i</link></item></channel></rss>"#;
    let escape = r#"{"version":"https://jsonfeed.org/version/1.1","title":"E",
        "home_page_url":"https://evil.example/\u001b]8;;x\u0007\u001b[31m",
        "items":[{"id":"1","url":"https://evil.example/1","content_text":"x"}]}"#;
    let server = TestServer::start([
        ("/rss.xml", Response::ok(rss, "application/rss+xml")),
        ("/atom.xml", Response::ok(atom, "application/atom+xml")),
        ("/feed.json", Response::ok(json, "application/feed+json")),
        ("/script.xml", Response::ok(script, "application/rss+xml")),
        (
            "/escape.json",
            Response::ok(escape, "application/feed+json"),
        ),
    ]);
    let sandbox = Sandbox::new();
    let mut feeds = vec![
        e2e_common::feed("Rss & Co", server.url("/rss.xml"), &["News", "Daily"]),
        e2e_common::feed("Atom", server.url("/atom.xml"), &["Blogs"]),
        e2e_common::feed("Json", server.url("/feed.json"), &[]),
        e2e_common::feed("Script", server.url("/script.xml"), &[]),
        e2e_common::feed("Escape", server.url("/escape.json"), &[]),
    ];
    sandbox.write_config("", &feeds);
    run(&mut sandbox.tidings(&["fetch"]), QUICK).expect_code(0);
    // Added after the fetch: never fetched, so its site is not known.
    feeds.push(e2e_common::feed(
        "Later",
        server.url("/later.xml"),
        &["News"],
    ));
    sandbox.write_config("", &feeds);

    let out = run(&mut sandbox.tidings(&["export"]), QUICK);
    out.expect_code(0);
    assert!(
        !out.stdout.chars().any(|c| c.is_control() && c != '\n'),
        "{}",
        out.describe()
    );
    assert_eq!(
        html_urls(&out.stdout),
        [
            (
                server.url("/rss.xml"),
                Some("https://rss.example/home?a=1&b=%222%22".to_string())
            ),
            (server.url("/atom.xml"), Some(server.url("/blog/"))),
            (
                server.url("/feed.json"),
                Some("https://json.example.net/".to_string())
            ),
            (server.url("/script.xml"), None),
            (server.url("/escape.json"), None),
            (server.url("/later.xml"), None),
        ],
        "{}",
        out.describe()
    );
    assert!(!out.stdout.contains("javascript"), "{}", out.stdout);

    // The export imports into an empty config with the same URLs, names and tags.
    let exported = sandbox.path("export.opml");
    std::fs::write(&exported, &out.stdout_bytes).expect("write export");
    let second = sandbox.path("second.toml");
    run(
        sandbox.command().args([
            "--config",
            &second.display().to_string(),
            "import",
            &exported.display().to_string(),
        ]),
        QUICK,
    )
    .expect_code(0);
    assert_eq!(feeds_of(&second), feeds_of(&sandbox.config()));

    // --no-cache reads no cache: no htmlUrl at all.
    let out = run(&mut sandbox.tidings(&["--no-cache", "export"]), QUICK);
    out.expect_code(0);
    assert!(!out.stdout.contains("htmlUrl"), "{}", out.describe());
}

#[test]
fn export_never_creates_a_cache_and_warns_about_an_unreadable_one() {
    let sandbox = Sandbox::new();
    sandbox.write_config(
        "",
        &[e2e_common::feed(
            "A",
            "https://a.example/feed.xml".into(),
            &[],
        )],
    );
    let out = run(&mut sandbox.tidings(&["export"]), QUICK);
    out.expect_code(0);
    assert!(out.stdout.contains("https://a.example/feed.xml"));
    assert!(!out.stdout.contains("htmlUrl"));
    assert_eq!(out.stderr, "", "a missing cache is not worth a word");
    assert!(!sandbox.cache().exists(), "export created the cache");

    let garbage = fixture("garbage.db");
    std::fs::write(sandbox.cache(), &garbage).expect("plant a damaged cache");
    let out = run(&mut sandbox.tidings(&["export"]), QUICK);
    out.expect_code(0);
    assert!(out.stdout.contains("https://a.example/feed.xml"));
    assert!(
        out.stderr.contains("exporting without htmlUrl"),
        "{}",
        out.describe()
    );
    assert_eq!(
        std::fs::read(sandbox.cache()).expect("the file stays"),
        garbage,
        "export leaves a damaged cache where it is, untouched"
    );
}
