//! End to end: the built binary's scriptable commands (`fetch`, `list`, `check`, `--help`) against a
//! loopback HTTP server, with the config, cache and XDG folders in a temp sandbox.

mod e2e_common;
mod support;

use e2e_common::{feed, fixture, rss_feed, run, FeedSpec, Sandbox};
use serde_json::Value;
use std::time::Duration;
use support::{Response, TestServer};

/// Generous bound for a command that should finish quickly (debug build, 2 busy cores).
const QUICK: Duration = Duration::from_secs(15);

fn good_routes() -> Vec<(&'static str, Response)> {
    vec![
        (
            "/rss.xml",
            Response::ok(fixture("rss2.xml"), "application/rss+xml"),
        ),
        (
            "/atom.xml",
            Response::ok(fixture("atom.xml"), "application/atom+xml"),
        ),
        (
            "/feed.json",
            Response::ok(fixture("jsonfeed.json"), "application/feed+json"),
        ),
    ]
}

fn good_feeds(server: &TestServer) -> Vec<FeedSpec> {
    vec![
        feed("Rss", server.url("/rss.xml"), &["tech", "news"]),
        feed("Atom", server.url("/atom.xml"), &["tech"]),
        feed("Json", server.url("/feed.json"), &["science"]),
    ]
}

/// The line of `stdout` about feed `name` (exactly one).
fn line_for<'a>(stdout: &'a str, name: &str) -> &'a str {
    let prefix_ok = format!("✓ {name}:");
    let prefix_err = format!("✗ {name}:");
    let lines: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with(&prefix_ok) || l.starts_with(&prefix_err))
        .collect();
    assert_eq!(
        lines.len(),
        1,
        "expected one line for feed {name}:\n{stdout}"
    );
    lines[0]
}

#[test]
fn fetch_reports_every_feed_with_its_own_error_within_the_timeout() {
    let mut routes = good_routes();
    routes.extend([
        ("/missing.xml", Response::status(404)),
        ("/broken.xml", Response::status(500)),
        ("/stall.xml", Response::stall()),
        (
            "/page.html",
            Response::ok(fixture("not-a-feed.html"), "text/html; charset=utf-8"),
        ),
        (
            "/huge.xml",
            Response::ok(rss_feed("Huge", "huge", 400, 2), "application/rss+xml"),
        ),
    ]);
    let server = TestServer::start(routes);
    let sandbox = Sandbox::new();
    let mut feeds = good_feeds(&server);
    feeds.extend([
        feed("Missing", server.url("/missing.xml"), &[]),
        feed("Broken", server.url("/broken.xml"), &[]),
        feed("Stalled", server.url("/stall.xml"), &[]),
        feed("Webpage", server.url("/page.html"), &[]),
        feed("Huge", server.url("/huge.xml"), &[]),
    ]);
    sandbox.write_config("max_feed_bytes = 100_000", &feeds);

    let out = run(&mut sandbox.tidings(&["fetch"]), QUICK);
    out.expect_code(0);
    // The stalled feed never answers: `run` kills tidings after QUICK, so finishing at all shows that
    // timeout_seconds = 2 ended it (the "timed out" outcome is checked below).
    // One line per feed and a total, then the failed feeds again with what happens next.
    let (report, failures) = out
        .stdout
        .split_once("\n\nfailed feeds:\n")
        .expect("a summary of the failed feeds");
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(
        lines.len(),
        9,
        "one line per feed and a total:\n{}",
        out.describe()
    );
    assert_eq!(failures.lines().count(), 5, "{failures}");
    for line in failures.lines() {
        assert!(
            line.contains("last success: never")
                && line.contains("failed 1 time(s) in a row")
                && line.contains("next try: with the next refresh"),
            "{line}"
        );
    }
    for (name, articles) in [("Rss", 2), ("Atom", 2), ("Json", 2)] {
        let line = line_for(&out.stdout, name);
        assert!(
            line.starts_with('✓') && line.contains(&format!("{articles} articles")),
            "good feed {name}: {line:?}"
        );
    }
    for (name, error) in [
        ("Missing", "HTTP 404"),
        ("Broken", "HTTP 500"),
        ("Stalled", "timed out"),
        ("Webpage", "not a feed"),
        ("Huge", "too large"),
    ] {
        let line = line_for(&out.stdout, name);
        assert!(
            line.starts_with('✗') && line.contains(error),
            "feed {name} should fail with {error:?}: {line:?}"
        );
    }
    let total = lines.last().expect("a total line");
    assert!(
        total.contains("3 feed(s) loaded")
            && total.contains("5 failed")
            && total.contains("6 articles"),
        "total line: {total:?}"
    );
    assert!(server.hits("/stall.xml") >= 1);
}

#[test]
fn fetch_exits_1_when_every_feed_fails() {
    let server = TestServer::start([
        ("/missing.xml", Response::status(404)),
        ("/broken.xml", Response::status(500)),
    ]);
    let sandbox = Sandbox::new();
    sandbox.write_config(
        "",
        &[
            feed("Missing", server.url("/missing.xml"), &[]),
            feed("Broken", server.url("/broken.xml"), &[]),
        ],
    );
    let out = run(&mut sandbox.tidings(&["fetch"]), QUICK);
    out.expect_code(1);
    assert!(line_for(&out.stdout, "Missing").contains("HTTP 404"));
    assert!(line_for(&out.stdout, "Broken").contains("HTTP 500"));
    assert!(
        out.stdout.contains("0 feed(s) loaded"),
        "{}",
        out.describe()
    );
}

fn list_json(sandbox: &Sandbox, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["list", "--json"];
    args.extend_from_slice(extra);
    let out = run(&mut sandbox.tidings(&args), QUICK);
    out.expect_code(0);
    let value: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("list --json is not JSON ({e}):\n{}", out.describe()));
    match value {
        Value::Array(items) => items,
        other => panic!("list --json should print one array, got {other}"),
    }
}

fn str_field<'a>(item: &'a Value, key: &str) -> &'a str {
    item[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} should be a string in {item}"))
}

#[test]
fn list_json_objects_carry_the_documented_fields() {
    let server = TestServer::start(good_routes());
    let sandbox = Sandbox::new();
    sandbox.write_config("", &good_feeds(&server));
    let items = list_json(&sandbox, &["--refresh"]);
    assert_eq!(items.len(), 6, "{items:#?}");
    for item in &items {
        let object = item.as_object().expect("each entry is an object");
        for key in [
            "id",
            "feed",
            "title",
            "link",
            "authors",
            "published",
            "summary",
            "content",
            "comments",
            "read",
            "starred",
        ] {
            assert!(object.contains_key(key), "missing {key} in {item}");
        }
        assert!(!str_field(item, "id").is_empty());
        assert!(["Rss", "Atom", "Json"].contains(&str_field(item, "feed")));
        str_field(item, "title");
        assert!(item["link"].is_string() || item["link"].is_null(), "{item}");
        assert!(
            item["authors"]
                .as_array()
                .is_some_and(|a| a.iter().all(Value::is_string)),
            "authors: {item}"
        );
        assert!(item["published"].is_string() || item["published"].is_null());
        assert!(item["summary"].is_string() || item["summary"].is_null());
        assert!(item["comments"].is_u64() || item["comments"].is_null());
        assert_eq!(item["read"], Value::Bool(false), "{item}");
        assert_eq!(item["starred"], Value::Bool(false), "{item}");
    }
    // The normalised fields, spot-checked against the RSS fixture.
    let first = items
        .iter()
        .find(|i| i["title"] == "First post")
        .expect("RSS 'First post' listed");
    // A relative link is resolved against the feed's URL.
    assert_eq!(first["link"], server.url("/posts/first.html").as_str());
    assert_eq!(first["authors"][0], "Jane Doe");
    assert_eq!(first["comments"], 42);
    assert!(str_field(first, "published").starts_with("2024-01-02T10:30:00"));
    // `summary` is the teaser, `content` the body, both plain text; the body comes from the cache.
    assert_eq!(first["summary"], "Short summary");
    assert_eq!(first["content"], "Full content with a link & more.");
    // The same from the cache alone, without a request.
    let stored = list_json(&sandbox, &[]);
    let again = stored.iter().find(|i| i["title"] == "First post").unwrap();
    assert_eq!(again["content"], first["content"]);
}

#[test]
fn list_filters_by_limit_unread_feed_and_tag() {
    let server = TestServer::start(good_routes());
    let sandbox = Sandbox::new();
    sandbox.write_config("", &good_feeds(&server));

    // The first list refreshes; the others print what is stored.
    let plain = run(&mut sandbox.tidings(&["list", "--refresh"]), QUICK);
    plain.expect_code(0);
    assert_eq!(plain.stdout.lines().count(), 6, "{}", plain.describe());
    assert!(plain.stdout.contains("First post"));

    assert_eq!(list_json(&sandbox, &["--limit", "2"]).len(), 2);

    // Nothing read yet: --unread keeps all six, each unread.
    let unread = list_json(&sandbox, &["--unread"]);
    assert_eq!(unread.len(), 6);
    assert!(unread.iter().all(|i| i["read"] == Value::Bool(false)));

    let atom = list_json(&sandbox, &["--feed", "Atom"]);
    assert_eq!(atom.len(), 2);
    assert!(atom.iter().all(|i| i["feed"] == "Atom"), "{atom:#?}");

    let tech = list_json(&sandbox, &["--tag", "tech"]);
    assert_eq!(tech.len(), 4);
    assert!(tech
        .iter()
        .all(|i| i["feed"] == "Rss" || i["feed"] == "Atom"));

    let science = list_json(&sandbox, &["--tag", "science", "--limit", "1"]);
    assert_eq!(science.len(), 1);
    assert_eq!(science[0]["feed"], "Json");

    let unknown = run(
        &mut sandbox.tidings(&["list", "--feed", "Nowhere Gazette"]),
        QUICK,
    );
    unknown.expect_code(2);
    assert!(
        unknown.stderr.contains("Nowhere Gazette"),
        "the message names the feed:\n{}",
        unknown.describe()
    );
    assert!(unknown.stdout.is_empty(), "{}", unknown.describe());
}

#[test]
fn global_flags_work_after_the_subcommand() {
    let server = TestServer::start(good_routes());
    let sandbox = Sandbox::new();
    let config = sandbox.write_config("", &good_feeds(&server));
    let cache = sandbox.cache();

    let mut cmd = sandbox.command();
    cmd.args(["list", "--refresh", "--json", "--config"])
        .arg(&config)
        .arg("--cache")
        .arg(&cache);
    let out = run(&mut cmd, QUICK);
    out.expect_code(0);
    let items: Value = serde_json::from_str(&out.stdout).expect("JSON array");
    assert_eq!(items.as_array().map(Vec::len), Some(6));
    assert!(cache.exists(), "--cache after the subcommand is used");

    let mut cmd = sandbox.command();
    cmd.args(["fetch", "--no-cache", "--config"]).arg(&config);
    let out = run(&mut cmd, QUICK);
    out.expect_code(0);
    assert!(
        out.stdout.contains("3 feed(s) loaded"),
        "{}",
        out.describe()
    );

    let mut cmd = sandbox.command();
    cmd.arg("check").arg("--config").arg(&config);
    run(&mut cmd, QUICK).expect_code(0);
}

#[test]
fn check_validates_a_good_config() {
    let sandbox = Sandbox::new();
    sandbox.write_config(
        "",
        &[
            feed("Rss", "http://127.0.0.1:9/rss.xml".into(), &["tech"]),
            feed("Atom", "http://127.0.0.1:9/atom.xml".into(), &[]),
        ],
    );
    let out = run(&mut sandbox.tidings(&["check"]), QUICK);
    out.expect_code(0);
    assert!(out.stdout.contains("2 feed(s)"), "{}", out.describe());
    assert!(out.stdout.contains("http://127.0.0.1:9/atom.xml"));
}

#[test]
fn bad_config_exits_2_with_file_line_and_column() {
    let sandbox = Sandbox::new();
    let config = sandbox.config();
    let cases = [
        // TOML syntax error on line 3.
        "[settings]\ntimeout_seconds = 2\nrefresh_minutes = = 3\n",
        // Unknown key on line 4.
        "[settings]\ntimeout_seconds = 2\n\n[[feed]]\nurl = \"http://127.0.0.1:9/a.xml\"\ncolour = \"red\"\n",
        // Wrong type on line 2.
        "[settings]\ntimeout_seconds = \"soon\"\n",
    ];
    let expected_lines = [3, 6, 2];
    for (text, line) in cases.iter().zip(expected_lines) {
        std::fs::write(&config, text).expect("write feeds.toml");
        for args in [&["check"][..], &["fetch"][..], &["list", "--json"][..]] {
            let out = run(&mut sandbox.tidings(args), QUICK);
            out.expect_code(2);
            let location = format!("{}:{line}:", config.display());
            let position = out
                .stderr
                .find(&location)
                .unwrap_or_else(|| panic!("stderr should name {location}COL:\n{}", out.describe()));
            let rest = &out.stderr[position + location.len()..];
            let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
            assert!(
                !col.is_empty() && rest[col.len()..].starts_with(':'),
                "file:LINE:COL: expected:\n{}",
                out.describe()
            );
            assert!(out.stdout.is_empty(), "{}", out.describe());
        }
    }
}

#[test]
fn missing_config_says_where_it_looked() {
    let sandbox = Sandbox::new();
    let mut cmd = sandbox.command();
    cmd.args(["--no-cache", "list"]);
    let out = run(&mut cmd, QUICK);
    out.expect_code(2);
    let xdg = sandbox
        .path("xdg-config")
        .join("tidings")
        .join("feeds.toml");
    let cwd = sandbox.path("cwd").join("feeds.toml");
    for looked in [&xdg, &cwd] {
        assert!(
            out.stderr.contains(&looked.display().to_string()),
            "should say it looked in {}:\n{}",
            looked.display(),
            out.describe()
        );
    }

    // $TIDINGS_CONFIG naming a missing file is reported with that path.
    let named = sandbox.path("nowhere/feeds.toml");
    let mut cmd = sandbox.command();
    cmd.env("TIDINGS_CONFIG", &named)
        .args(["--no-cache", "fetch"]);
    let out = run(&mut cmd, QUICK);
    out.expect_code(2);
    assert!(
        out.stderr.contains(&named.display().to_string()),
        "{}",
        out.describe()
    );

    // The TUI too: no terminal is taken over, the message and exit code are the same.
    let mut cmd = sandbox.command();
    cmd.arg("--no-cache");
    let out = run(&mut cmd, QUICK);
    out.expect_code(2);
    assert!(
        out.stderr.contains(&cwd.display().to_string()),
        "{}",
        out.describe()
    );
}

#[test]
fn config_found_through_xdg_config_home() {
    let server = TestServer::start(good_routes());
    let sandbox = Sandbox::new();
    let dir = sandbox.path("xdg-config").join("tidings");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(
        dir.join("feeds.toml"),
        e2e_common::feeds_toml("", &good_feeds(&server)),
    )
    .expect("write config");
    let mut cmd = sandbox.command();
    cmd.args(["fetch", "--no-cache"]);
    let out = run(&mut cmd, QUICK);
    out.expect_code(0);
    assert!(
        out.stdout.contains("3 feed(s) loaded"),
        "{}",
        out.describe()
    );
}

#[test]
fn help_and_version() {
    let sandbox = Sandbox::new();
    let out = run(sandbox.command().arg("--help"), QUICK);
    out.expect_code(0);
    for word in [
        "fetch",
        "list",
        "check",
        "--config",
        "--cache",
        "--no-cache",
    ] {
        assert!(
            out.stdout.contains(word),
            "--help lists {word}:\n{}",
            out.stdout
        );
    }
    let out = run(sandbox.command().args(["list", "--help"]), QUICK);
    out.expect_code(0);
    for word in ["--feed", "--tag", "--unread", "--limit", "--json"] {
        assert!(
            out.stdout.contains(word),
            "list --help lists {word}:\n{}",
            out.stdout
        );
    }
    let out = run(sandbox.command().arg("--version"), QUICK);
    out.expect_code(0);
    assert_eq!(
        out.stdout.trim(),
        format!("tidings {}", env!("CARGO_PKG_VERSION"))
    );
    let out = run(sandbox.command().arg("--bogus-flag"), QUICK);
    out.expect_code(2);
}

/// No ESC, C0 (other than newline/tab), C1 or DEL anywhere in `text`.
fn assert_terminal_safe(text: &str, what: &str) {
    for (i, c) in text.char_indices() {
        let bad = (c.is_control() && c != '\n' && c != '\t') || ('\u{80}'..='\u{9f}').contains(&c);
        assert!(!bad, "{what}: control character {c:?} at byte {i}:\n{text}");
    }
}

#[test]
fn hostile_titles_never_reach_stdout_as_escapes() {
    let server = TestServer::start([(
        "/hostile.xml",
        Response::ok(fixture("esc-title-csi.xml"), "application/rss+xml"),
    )]);
    let sandbox = Sandbox::new();
    sandbox.write_config("", &[feed("Hostile", server.url("/hostile.xml"), &[])]);

    let text = run(&mut sandbox.tidings(&["list", "--refresh"]), QUICK);
    text.expect_code(0);
    assert!(!text.stdout_bytes.contains(&0x1b), "ESC in list output");
    assert!(!text.stdout_bytes.contains(&0x7f), "DEL in list output");
    assert_terminal_safe(&text.stdout, "list");
    assert_eq!(text.stdout.lines().count(), 3, "{}", text.describe());
    assert!(text.stdout.contains("RED"), "{}", text.describe());

    let json = run(&mut sandbox.tidings(&["list", "--json"]), QUICK);
    json.expect_code(0);
    assert!(
        !json.stdout_bytes.contains(&0x1b),
        "ESC in list --json output"
    );
    assert!(
        !json.stdout_bytes.contains(&0x7f),
        "DEL in list --json output"
    );
    assert_terminal_safe(&json.stdout, "list --json");
    let items: Vec<Value> = serde_json::from_str(&json.stdout).expect("valid JSON");
    assert_eq!(items.len(), 3);
    for item in &items {
        // Escaped forms (\u001b) would pass the byte check; the decoded strings must be clean too.
        for key in ["title", "feed", "id", "link", "summary"] {
            if let Some(s) = item[key].as_str() {
                assert_terminal_safe(s, key);
            }
        }
    }
    let fetch = run(&mut sandbox.tidings(&["fetch"]), QUICK);
    fetch.expect_code(0);
    assert!(!fetch.stdout_bytes.contains(&0x1b));
}

fn article_page(paragraphs: usize) -> String {
    let mut html = String::from(
        "<!DOCTYPE html><html><head><title>Harbour news</title></head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav><article><h1>Harbour reopens</h1>",
    );
    for p in 0..paragraphs {
        html.push_str(&format!(
            "<p>The harbour reopened on Tuesday after a long winter of repairs, and paragraph {p} \
             tells how the fishing fleet, the ferry crews and the harbour master saw the day.</p>"
        ));
    }
    html.push_str("</article><footer>Copyright</footer></body></html>");
    html
}

#[test]
fn read_honours_the_config_timeout_and_size_cap() {
    let server = TestServer::start([
        (
            "/article.html",
            Response::ok(article_page(8), "text/html; charset=utf-8"),
        ),
        (
            "/huge.html",
            Response::ok(article_page(2000), "text/html; charset=utf-8"),
        ),
        ("/stall.html", Response::stall()),
        ("/missing.html", Response::status(404)),
    ]);
    let sandbox = Sandbox::new();
    sandbox.write_config(
        "max_feed_bytes = 100_000",
        &[feed("Rss", server.url("/rss.xml"), &[])],
    );

    let out = run(
        &mut sandbox.tidings(&["read", "--plain", &server.url("/article.html")]),
        QUICK,
    );
    out.expect_code(0);
    assert!(
        out.stdout
            .contains("paragraph 3 tells how the fishing fleet"),
        "{}",
        out.describe()
    );

    let out = run(
        &mut sandbox.tidings(&["read", &server.url("/stall.html")]),
        QUICK,
    );
    out.expect_code(1);
    assert!(out.stderr.contains("timed out"), "{}", out.describe());

    let out = run(
        &mut sandbox.tidings(&["read", &server.url("/huge.html")]),
        QUICK,
    );
    out.expect_code(1);
    assert!(out.stderr.contains("too large"), "{}", out.describe());

    let out = run(
        &mut sandbox.tidings(&["read", &server.url("/missing.html")]),
        QUICK,
    );
    out.expect_code(1);
    assert!(out.stderr.contains("HTTP 404"), "{}", out.describe());

    // No config anywhere: read still works, with the default limits.
    let mut cmd = sandbox.command();
    cmd.args([
        "--no-cache",
        "read",
        "--plain",
        &server.url("/article.html"),
    ]);
    let out = run(&mut cmd, QUICK);
    out.expect_code(0);
    assert!(out.stdout.contains("Harbour") || out.stdout.contains("harbour"));
}
