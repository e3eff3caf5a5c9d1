//! `tidings fetch` and `list` hold no more than one feed's headlines (`Headlines::FeedByFeed`).
//! fetch: after the refresh the store holds no article, yet every count is right, flags set earlier
//! survive, the next refresh asks conditionally (304 costs nothing), and failures in a row are counted
//! across runs. list: the headlines streamed from the cache come in the reader's order.

mod support;

use support::{Response, TestServer};
use tidings::model::{FeedId, FeedStatus};
use tidings::session::{Headlines, Session};

fn rss(items: &[&str]) -> String {
    rss_dated(&items.iter().map(|id| (*id, None)).collect::<Vec<_>>())
}

/// An RSS feed of `(guid, pubDate)` items.
fn rss_dated(items: &[(&str, Option<&str>)]) -> String {
    let items: String = items
        .iter()
        .map(|(id, date)| {
            let date = date
                .map(|d| format!("<pubDate>{d}</pubDate>"))
                .unwrap_or_default();
            format!(
                "<item><guid>{id}</guid><title>Title {id}</title><link>https://example.org/{id}</link>\
                 {date}<description>Body of {id}, long enough to be a body.</description></item>"
            )
        })
        .collect();
    format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>{items}</channel></rss>")
}

struct Setup {
    server: TestServer,
    config: std::path::PathBuf,
    cache: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

fn setup() -> Setup {
    let server = TestServer::start([
        (
            "/a.xml",
            Response::ok(rss(&["a1", "a2", "a3"]), "application/rss+xml").etag("\"a-1\""),
        ),
        (
            "/b.xml",
            Response::ok(rss(&["b1", "b2"]), "application/rss+xml").etag("\"b-1\""),
        ),
        ("/gone.xml", Response::status(404)),
    ]);
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("feeds.toml");
    let cache = dir.path().join("cache.db");
    let setup = Setup {
        server,
        config,
        cache,
        _dir: dir,
    };
    write_config(&setup, &[]);
    setup
}

/// The config of feeds a, b and gone, with `disabled` ones `enabled = false`.
fn write_config(setup: &Setup, disabled: &[&str]) {
    let feeds: String = ["a", "b", "gone"]
        .iter()
        .map(|n| {
            format!(
                "[[feed]]\nurl = \"{}\"\nname = \"{n}\"\nenabled = {}\n\n",
                setup.server.url(&format!("/{n}.xml")),
                !disabled.contains(n)
            )
        })
        .collect();
    std::fs::write(&setup.config, feeds).expect("write config");
}

fn open(setup: &Setup, headlines: Headlines) -> Session {
    let config = tidings::config::load(&setup.config).expect("config loads");
    Session::open(config, Some(&setup.cache), headlines).expect("session opens")
}

async fn fetch(setup: &Setup) -> Session {
    let mut session = open(setup, Headlines::FeedByFeed);
    session.refresh_all(false).await.expect("refresh runs");
    assert_eq!(session.flush(), None, "every save committed");
    session
}

/// Mark `keys` read in the reader's store, save the flags, and close the session.
fn mark_read_and_save(mut reader: Session, keys: &[tidings::store::ArticleKey]) {
    let marked = reader.store.mark_read(keys);
    let flags = marked
        .iter()
        .filter_map(|k| reader.store.flag_write(*k))
        .collect();
    reader.cache.as_ref().expect("cache").save_flags(flags);
    assert_eq!(reader.flush(), None);
}

fn held(session: &Session) -> usize {
    (0..3)
        .map(|i| session.store.articles(FeedId(i)).len())
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetch_keeps_counts_but_no_headlines_and_keeps_flags() {
    let setup = setup();

    // First fetch, empty cache: everything is saved, nothing stays in memory but the counts.
    let session = fetch(&setup).await;
    assert_eq!(held(&session), 0, "no headline is held after the refresh");
    assert_eq!(session.store.counts(FeedId(0)).total, 3);
    assert_eq!(session.store.counts(FeedId(0)).unread, 3);
    assert_eq!(session.store.counts(FeedId(1)).total, 2);
    assert_eq!(session.store.total_counts().total, 5);
    let gone = session.store.feed(FeedId(2)).expect("third feed");
    assert!(
        matches!(&gone.status, FeedStatus::Error { message, .. } if message.contains("404")),
        "the failing feed says why: {:?}",
        gone.status
    );
    drop(session);

    // The reader's view of the same cache: all five headlines, and mark two of them read.
    let reader = open(&setup, Headlines::All);
    assert_eq!(reader.store.total_counts().total, 5);
    let keys = reader.store.keys_of(&[FeedId(0)]);
    mark_read_and_save(reader, &keys[..2]);

    // Second fetch: conditional requests, 304s, the flags set in the reader still counted.
    let before = setup.server.hits("/a.xml");
    let session = fetch(&setup).await;
    assert_eq!(setup.server.hits("/a.xml"), before + 1);
    assert_eq!(
        setup
            .server
            .last_header("/a.xml", "if-none-match")
            .as_deref(),
        Some("\"a-1\""),
        "the stored validator is sent"
    );
    assert_eq!(held(&session), 0);
    assert_eq!(session.store.counts(FeedId(0)).total, 3);
    assert_eq!(session.store.counts(FeedId(0)).unread, 1, "flags survive");
    assert_eq!(session.store.counts(FeedId(1)).unread, 2);
    let gone = |s: &Session| s.store.feed(FeedId(2)).map(|f| f.failures);
    assert_eq!(gone(&session), Some(2), "the second failure in a row");
    drop(session);

    // The count lives in the cache: the next process, reader or command, starts from it.
    let reader = open(&setup, Headlines::All);
    assert_eq!(gone(&reader), Some(2));
    assert_eq!(reader.store.feed(FeedId(0)).map(|f| f.failures), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feeds_not_refreshed_are_counted_from_the_cache() {
    let setup = setup();
    drop(fetch(&setup).await);

    // b disabled: never requested, yet its stored articles are counted.
    write_config(&setup, &["b"]);
    let hits_b = setup.server.hits("/b.xml");
    let mut session = open(&setup, Headlines::FeedByFeed);
    session.refresh_all(false).await.expect("refresh runs");
    assert_eq!(
        setup.server.hits("/b.xml"),
        hits_b,
        "a disabled feed is not requested"
    );
    assert_eq!(
        session.store.counts(FeedId(1)).total,
        2,
        "counted from the cache"
    );
    assert_eq!(session.store.counts(FeedId(0)).total, 3);

    assert_eq!(held(&session), 0);
    assert_eq!(session.flush(), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_refresh_in_one_session_reads_back_what_the_first_saved() {
    // A fresh cache: the first refresh gets 200s and queues its saves; the second gets 304s, so
    // every count after it comes from reading back those saves (which must be on disk by then).
    let setup = setup();
    let mut session = open(&setup, Headlines::FeedByFeed);
    session
        .refresh_all(false)
        .await
        .expect("first refresh runs");
    session
        .refresh_all(false)
        .await
        .expect("second refresh runs");
    assert_eq!(
        setup
            .server
            .last_header("/a.xml", "if-none-match")
            .as_deref(),
        Some("\"a-1\""),
        "the second refresh is conditional"
    );
    assert_eq!(session.store.counts(FeedId(0)).total, 3);
    assert_eq!(session.store.counts(FeedId(0)).unread, 3);
    assert_eq!(session.store.counts(FeedId(1)).total, 2);
    assert_eq!(held(&session), 0);
    assert_eq!(session.flush(), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_feed_is_fetched_whole_again() {
    let setup = setup();
    drop(fetch(&setup).await);
    let (cache, _) = tidings::cache::Cache::open(&setup.cache).expect("cache opens");
    let dropped = cache
        .forget_feed(&setup.server.url("/a.xml"))
        .expect("forgotten");
    assert_eq!(dropped, 3);
    drop(cache);

    // Its validators went with its articles: a plain GET, not a 304 that would leave it empty.
    let session = fetch(&setup).await;
    assert_eq!(setup.server.last_header("/a.xml", "if-none-match"), None);
    assert_eq!(session.store.counts(FeedId(0)).total, 3);
    assert_eq!(
        setup
            .server
            .last_header("/b.xml", "if-none-match")
            .as_deref(),
        Some("\"b-1\""),
        "the other feeds keep theirs"
    );
}

/// Run the real binary; its stdout.
fn tidings(config: &std::path::Path, cache: &std::path::Path, args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("--config")
        .arg(config)
        .arg("--cache")
        .arg(cache)
        .args(args)
        .output()
        .expect("tidings runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn ids(json: &str) -> Vec<String> {
    let list: Vec<serde_json::Value> = serde_json::from_str(json).expect("a JSON array");
    list.iter()
        .map(|a| a["id"].as_str().expect("an id").to_string())
        .collect()
}

#[test]
fn list_streams_the_cache_in_the_readers_order() {
    let server = TestServer::start([
        (
            "/x.xml",
            Response::ok(
                rss_dated(&[
                    ("x1", Some("Mon, 02 Nov 2026 10:00:00 GMT")),
                    ("x2", Some("Wed, 04 Nov 2026 10:00:00 GMT")),
                    ("x3", None),
                ]),
                "application/rss+xml",
            ),
        ),
        (
            "/y.xml",
            Response::ok(
                rss_dated(&[
                    ("y1", Some("Tue, 03 Nov 2026 10:00:00 GMT")),
                    ("y2", Some("Wed, 04 Nov 2026 10:00:00 GMT")),
                    ("y3", Some("Sun, 01 Nov 2026 10:00:00 GMT")),
                ]),
                "application/rss+xml",
            ),
        ),
    ]);
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("feeds.toml");
    std::fs::write(
        &config,
        format!(
            "[[feed]]\nurl = \"{}\"\nname = \"X\"\ntags = [\"news\"]\n\n[[feed]]\nurl = \"{}\"\nname = \"Y\"\n",
            server.url("/x.xml"),
            server.url("/y.xml")
        ),
    )
    .expect("write config");
    let cache = dir.path().join("cache.db");
    tidings(&config, &cache, &["fetch"]);

    // The reader's order of the same cache (everything in memory), with two articles read.
    let config_loaded = tidings::config::load(&config).expect("config loads");
    let reader = Session::open(config_loaded, Some(&cache), Headlines::All).expect("opens");
    let keys = reader.store.query(&tidings::store::View::All, false);
    let expected: Vec<String> = keys
        .iter()
        .filter_map(|k| reader.store.get(*k))
        .map(|a| a.id.0.clone())
        .collect();
    assert_eq!(expected.len(), 6);
    // x3 has no date: it sorts by when it was first seen (now).
    assert_eq!(
        &expected[..3],
        ["x3", "x2", "y2"],
        "newest first, ties in config order"
    );
    let read: Vec<_> = keys
        .iter()
        .copied()
        .filter(|k| {
            reader
                .store
                .get(*k)
                .is_some_and(|a| a.id.0 == "x2" || a.id.0 == "y1")
        })
        .collect();
    mark_read_and_save(reader, &read);

    assert_eq!(
        ids(&tidings(&config, &cache, &["list", "--json"])),
        expected
    );
    let unread: Vec<String> = expected
        .iter()
        .filter(|id| *id != "x2" && *id != "y1")
        .cloned()
        .collect();
    assert_eq!(
        ids(&tidings(&config, &cache, &["list", "--json", "--unread"])),
        unread
    );
    assert_eq!(
        ids(&tidings(
            &config,
            &cache,
            &["list", "--json", "--limit", "3"]
        )),
        expected[..3]
    );
    let tagged: Vec<String> = expected
        .iter()
        .filter(|id| id.starts_with('x'))
        .cloned()
        .collect();
    assert_eq!(
        ids(&tidings(
            &config,
            &cache,
            &["list", "--json", "--tag", "news"]
        )),
        tagged
    );
    let text = tidings(&config, &cache, &["list", "--query", "title:y3"]);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("Title y3"), "{text}");
}
