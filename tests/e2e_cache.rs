//! End to end: the built binary's SQLite cache across runs: conditional GET (304), read/starred state
//! that persists, a kill -9 in the middle of a large refresh, and a garbage cache file moved aside.

mod e2e_common;
mod support;

use e2e_common::{feed, fixture, rss_feed, run, wait_for, Sandbox};
use rusqlite::{Connection, OpenFlags};
use serde_json::Value;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};
use support::{Response, TestServer};

const QUICK: Duration = Duration::from_secs(15);

fn list_json(sandbox: &Sandbox, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["list", "--json"];
    args.extend_from_slice(extra);
    let out = run(&mut sandbox.tidings(&args), QUICK);
    out.expect_code(0);
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("list --json is not a JSON array ({e}):\n{}", out.describe()))
}

fn titles(items: &[Value]) -> Vec<&str> {
    let mut titles: Vec<&str> = items.iter().filter_map(|i| i["title"].as_str()).collect();
    titles.sort_unstable();
    titles
}

fn integrity(path: &Path) -> String {
    let db = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .expect("open the cache database");
    db.query_row("PRAGMA integrity_check", [], |row| row.get::<_, String>(0))
        .expect("run integrity_check")
}

fn article_count(path: &Path) -> i64 {
    let db = Connection::open(path).expect("open the cache database");
    db.query_row("SELECT count(*) FROM articles", [], |row| row.get(0))
        .expect("count articles")
}

#[test]
fn second_fetch_sends_if_none_match_and_keeps_articles_on_304() {
    let server = TestServer::start([(
        "/rss.xml",
        Response::ok(fixture("rss2.xml"), "application/rss+xml").etag("\"v1\""),
    )]);
    let sandbox = Sandbox::new();
    sandbox.write_config("", &[feed("Rss", server.url("/rss.xml"), &[])]);

    let first = run(&mut sandbox.tidings(&["fetch"]), QUICK);
    first.expect_code(0);
    assert!(
        first.stdout.contains("✓ Rss: 2 articles"),
        "{}",
        first.describe()
    );
    assert_eq!(server.last_header("/rss.xml", "if-none-match"), None);

    let second = run(&mut sandbox.tidings(&["fetch"]), QUICK);
    second.expect_code(0);
    assert_eq!(server.hits("/rss.xml"), 2);
    assert_eq!(
        server.last_header("/rss.xml", "if-none-match").as_deref(),
        Some("\"v1\""),
        "the second request is conditional"
    );
    assert!(
        second.stdout.contains("✓ Rss: 2 articles"),
        "a 304 keeps the cached articles:\n{}",
        second.describe()
    );
    assert!(second.stdout.contains("1 feed(s) loaded, 0 failed"));

    let items = list_json(&sandbox, &[]);
    assert_eq!(
        server.hits("/rss.xml"),
        2,
        "list prints what is stored, without a request"
    );
    assert_eq!(
        server.last_header("/rss.xml", "if-none-match").as_deref(),
        Some("\"v1\"")
    );
    assert_eq!(titles(&items), ["First post", "Second post"]);
    assert_eq!(integrity(&sandbox.cache()), "ok");
}

#[test]
fn read_and_starred_flags_persist_across_runs() {
    let server = TestServer::start([
        (
            "/rss.xml",
            Response::ok(fixture("rss2.xml"), "application/rss+xml"),
        ),
        (
            "/atom.xml",
            Response::ok(fixture("atom.xml"), "application/atom+xml"),
        ),
    ]);
    let sandbox = Sandbox::new();
    sandbox.write_config(
        "",
        &[
            feed("Rss", server.url("/rss.xml"), &[]),
            feed("Atom", server.url("/atom.xml"), &[]),
        ],
    );
    run(&mut sandbox.tidings(&["fetch"]), QUICK).expect_code(0);

    // There is no command to mark an article read: set the flags in the cache, as the TUI would.
    {
        let db = Connection::open(sandbox.cache()).expect("open cache");
        let read = db
            .execute("UPDATE articles SET read = 1 WHERE id = 'post-1'", [])
            .expect("mark read");
        assert_eq!(read, 1, "the RSS article 'post-1' is in the cache");
        let starred = db
            .execute(
                "UPDATE articles SET starred = 1 WHERE id = 'tag:blog.example.org,2024:2'",
                [],
            )
            .expect("star");
        assert_eq!(starred, 1, "the Atom entry two is in the cache");
    }

    // Another fetch (the feeds still serve both articles) keeps the flags.
    let fetch = run(&mut sandbox.tidings(&["fetch"]), QUICK);
    fetch.expect_code(0);
    assert!(
        fetch.stdout.contains("✓ Rss: 2 articles, 1 unread"),
        "{}",
        fetch.describe()
    );

    let all = list_json(&sandbox, &[]);
    assert_eq!(all.len(), 4);
    for item in &all {
        let is_first = item["id"] == "post-1";
        let is_two = item["title"] == "Atom entry two";
        assert_eq!(item["read"], Value::Bool(is_first), "{item}");
        assert_eq!(item["starred"], Value::Bool(is_two), "{item}");
    }
    let unread = list_json(&sandbox, &["--unread"]);
    assert_eq!(unread.len(), 3);
    assert!(unread.iter().all(|i| i["id"] != "post-1"), "{unread:#?}");

    let plain = run(&mut sandbox.tidings(&["list", "--feed", "Rss"]), QUICK);
    plain.expect_code(0);
    let first_line = plain
        .stdout
        .lines()
        .find(|l| l.contains("First post"))
        .expect("First post listed");
    assert!(
        first_line.starts_with(' '),
        "read: no unread mark: {first_line:?}"
    );
    let second_line = plain
        .stdout
        .lines()
        .find(|l| l.contains("Second post"))
        .expect("Second post listed");
    assert!(second_line.starts_with('*'), "unread mark: {second_line:?}");
}

const BIG_FEEDS: usize = 60;
const BIG_ITEMS: usize = 200;

#[test]
fn kill_9_during_a_large_refresh_leaves_an_intact_database() {
    let bodies: Vec<(String, Response)> = (0..BIG_FEEDS)
        .map(|i| {
            let xml = rss_feed(&format!("Big {i}"), &format!("big{i}"), BIG_ITEMS, 1);
            (
                format!("/big{i}.xml"),
                Response::ok(xml, "application/rss+xml").delay(Duration::from_millis(150)),
            )
        })
        .collect();
    let server = TestServer::start(bodies.iter().map(|(p, r)| (p.as_str(), r.clone())));
    let sandbox = Sandbox::new();
    let feeds: Vec<_> = (0..BIG_FEEDS)
        .map(|i| {
            feed(
                &format!("Big {i}"),
                server.url(&format!("/big{i}.xml")),
                &[],
            )
        })
        .collect();
    sandbox.write_config("concurrency = 4", &feeds);
    let cache = sandbox.cache();

    let mut child = sandbox
        .tidings(&["fetch"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn tidings fetch");
    let started = Instant::now();
    // Wait until some feeds are committed (read-only peeks; WAL lets a reader in beside the writer),
    // and at least ~1 s, then kill mid-refresh.
    let committed = wait_for(Duration::from_secs(10), || {
        if !cache.exists() {
            return None;
        }
        let db = Connection::open_with_flags(&cache, OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
        let n: i64 = db
            .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
            .ok()?;
        (n > 0 && started.elapsed() >= Duration::from_secs(1)).then_some(n)
    });
    let still_running = child.try_wait().expect("poll child").is_none();
    child.kill().expect("SIGKILL tidings");
    let status = child.wait().expect("reap tidings");
    let committed = committed.expect("some articles were committed within 10 s");
    assert!(
        still_running,
        "the refresh finished before the kill ({status:?}); the test did not kill it mid-way"
    );
    let served = server.requests().len();
    assert!(
        served < BIG_FEEDS,
        "killed in the middle: {served} of {BIG_FEEDS} feeds requested"
    );

    assert_eq!(integrity(&cache), "ok", "the database survives kill -9");
    let kept = article_count(&cache);
    assert!(
        kept >= committed,
        "committed articles survive: {kept} < {committed}"
    );

    let again = run(&mut sandbox.tidings(&["fetch"]), Duration::from_secs(40));
    again.expect_code(0);
    assert!(
        again.stdout.contains(&format!(
            "{BIG_FEEDS} feed(s) loaded, 0 failed, {} articles",
            BIG_FEEDS * BIG_ITEMS
        )),
        "{}",
        again.describe()
    );
    assert_eq!(integrity(&cache), "ok");
    assert_eq!(article_count(&cache), (BIG_FEEDS * BIG_ITEMS) as i64);
}

fn assert_moved_aside(fixture_name: &str) {
    let server = TestServer::start([(
        "/rss.xml",
        Response::ok(fixture("rss2.xml"), "application/rss+xml"),
    )]);
    let sandbox = Sandbox::new();
    sandbox.write_config("", &[feed("Rss", server.url("/rss.xml"), &[])]);
    let junk = fixture(fixture_name);
    std::fs::write(sandbox.cache(), &junk).expect("write the bad cache");

    let out = run(&mut sandbox.tidings(&["fetch"]), QUICK);
    out.expect_code(0);
    assert!(
        out.stdout.contains("✓ Rss: 2 articles"),
        "{}",
        out.describe()
    );

    let aside: Vec<_> = std::fs::read_dir(sandbox.dir.path())
        .expect("list sandbox")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with("cache.db.corrupt-") && !n.ends_with("-wal") && !n.ends_with("-shm")
            })
        })
        .collect();
    assert_eq!(
        aside.len(),
        1,
        "one moved-aside file: {aside:?}\n{}",
        out.describe()
    );
    assert_eq!(
        std::fs::read(&aside[0]).expect("read moved file"),
        junk,
        "the damaged file is kept byte for byte"
    );
    assert!(
        out.stderr.contains(&aside[0].display().to_string()),
        "stderr says where the file went:\n{}",
        out.describe()
    );
    assert_eq!(
        integrity(&sandbox.cache()),
        "ok",
        "a fresh cache replaced it"
    );
    assert_eq!(article_count(&sandbox.cache()), 2);

    // The next run uses the fresh cache quietly.
    let again = run(&mut sandbox.tidings(&["list", "--json"]), QUICK);
    again.expect_code(0);
    assert!(!again.stderr.contains("corrupt"), "{}", again.describe());
}

#[test]
fn garbage_cache_file_is_moved_aside_and_replaced() {
    assert_moved_aside("garbage.db");
}

#[test]
fn truncated_cache_file_is_moved_aside_and_replaced() {
    assert_moved_aside("truncated-sqlite.db");
}

#[test]
fn retry_after_is_honoured_by_the_next_run_too() {
    let server = TestServer::start([
        (
            "/busy.xml",
            Response::status(429).header("Retry-After", "120"),
        ),
        (
            "/rss.xml",
            Response::ok(fixture("rss2.xml"), "application/rss+xml"),
        ),
    ]);
    let sandbox = Sandbox::new();
    sandbox.write_config(
        "",
        &[
            feed("Busy", server.url("/busy.xml"), &[]),
            feed("Rss", server.url("/rss.xml"), &[]),
        ],
    );
    let first = run(&mut sandbox.tidings(&["fetch"]), QUICK);
    first.expect_code(0);
    assert!(
        first.stdout.contains("✗ Busy: HTTP 429"),
        "{}",
        first.describe()
    );
    // A second run (cron, say) two seconds later leaves the busy server alone.
    let second = run(&mut sandbox.tidings(&["fetch"]), QUICK);
    second.expect_code(0);
    assert!(
        second.stdout.contains("asked to wait until"),
        "{}",
        second.describe()
    );
    assert!(
        second.stdout.contains("✓ Rss: 2 articles"),
        "{}",
        second.describe()
    );
    assert_eq!(server.hits("/busy.xml"), 1, "no retry before Retry-After");
    assert_eq!(server.hits("/rss.xml"), 2);
}
