//! The SQLite cache: restarts keep flags, retention, damaged files moved aside, two instances, schema
//! versions, and a process killed with SIGKILL in the middle of writing.

use chrono::{DateTime, TimeZone, Utc};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tidings::cache::{Bodies, Cache, CacheError, CacheWorker, FeedSnapshot, FlagWrite, Retention};
use tidings::model::{Article, ArticleId, Feed, FeedId, FeedStatus, Validators};
use tidings::store::Store;

const FLUSH: Duration = Duration::from_secs(10);

fn url(i: usize) -> String {
    format!("http://127.0.0.1:1/feed{i}.xml")
}

fn feeds(n: usize) -> Vec<Feed> {
    (0..n)
        .map(|i| Feed {
            ..Feed::new(FeedId(i), url(i))
        })
        .collect()
}

fn day(d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + chrono::Duration::days(i64::from(d))
}

fn article(feed: usize, id: &str, d: u32) -> Article {
    Article {
        id: ArticleId(id.into()),
        feed: FeedId(feed),
        title: format!("title {id} — ünïcode"),
        link: Some(format!("http://127.0.0.1:1/{id}")),
        authors: vec!["Ann \"A\" Author".into()],
        published: Some(day(d)),
        updated: None,
        body: tidings::model::Body::new(
            Some("<p>summary</p>".into()),
            Some(format!("<p>{}</p>", "body ".repeat(40))),
        ),
        categories: vec!["news".into()],
        comments: Some(3),
        words: None,
        enclosures: vec![tidings::model::Enclosure {
            url: "http://127.0.0.1:1/a.mp3".into(),
            mime: Some("audio/mpeg".into()),
            length: Some(1234),
            duration: Some(3723),
        }],
        read: false,
        starred: false,
        comment_feed: Some("http://127.0.0.1:1/a/comments.xml".into()),
        comments_page: Some("http://127.0.0.1:1/a#comments".into()),
        first_seen: day(40),
    }
}

fn snapshot(feed: usize, articles: Vec<Article>, status: FeedStatus) -> FeedSnapshot {
    FeedSnapshot {
        url: url(feed),
        title: Some(format!("Feed {feed}")),
        site: None,
        validators: Validators {
            etag: Some(format!("\"etag-{feed}\"")),
            last_modified: Some("Wed, 21 Oct 2015 07:28:00 GMT".into()),
        },
        status,
        retry_not_before: None,
        articles,
        retention: KEEP_ALL,
    }
}

/// Queue `snapshot` with `retention` applied on disk.
fn save(w: &CacheWorker, mut snapshot: FeedSnapshot, retention: Retention) {
    snapshot.retention = retention;
    w.save_feed(snapshot);
}

const KEEP_ALL: Retention = Retention {
    max: 500,
    cutoff: None,
};

fn writer(path: &Path) -> CacheWorker {
    let (cache, notice) = Cache::open(path).expect("cache opens");
    assert_eq!(notice, None);
    cache.into_worker()
}

fn reload(path: &Path, n: usize) -> Store {
    let mut store = Store::new(feeds(n));
    let (cache, notice) =
        Cache::open_and_load(path, &mut store, Bodies::Load).expect("cache reopens");
    assert_eq!(notice, None);
    drop(cache);
    store
}

fn ids(store: &Store, feed: usize) -> Vec<String> {
    let mut ids: Vec<String> = store
        .articles(FeedId(feed))
        .iter()
        .map(|a| a.id.0.clone())
        .collect();
    ids.sort();
    ids
}

fn find<'a>(store: &'a Store, feed: usize, id: &str) -> &'a Article {
    let key = store.find(FeedId(feed), &ArticleId(id.into())).unwrap();
    store.get(key).unwrap()
}

#[test]
fn restart_keeps_articles_flags_validators_and_status() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/folder/cache.db");
    let at = day(50);
    let w = writer(&path);
    let original = vec![article(0, "a", 1), article(0, "b", 2)];
    save(
        &w,
        snapshot(0, original.clone(), FeedStatus::Ok { at }),
        KEEP_ALL,
    );
    let failed = FeedStatus::Error {
        message: "HTTP 500".into(),
        at,
    };
    save(
        &w,
        snapshot(1, vec![article(1, "c", 3)], failed.clone()),
        KEEP_ALL,
    );
    w.save_flags(vec![
        FlagWrite {
            feed_url: url(0),
            id: ArticleId("a".into()),
            read: true,
            starred: false,
        },
        FlagWrite {
            feed_url: url(1),
            id: ArticleId("c".into()),
            read: false,
            starred: true,
        },
    ]);
    drop(w); // flushes

    let store = reload(&path, 2);
    assert!(find(&store, 0, "a").read);
    assert!(!find(&store, 0, "b").read);
    assert!(find(&store, 1, "c").starred);
    let mut expected = original[1].clone();
    expected.feed = FeedId(0);
    assert_eq!(find(&store, 0, "b"), &expected, "every field round-trips");
    let feed0 = store.feed(FeedId(0)).unwrap();
    assert_eq!(feed0.status, FeedStatus::Ok { at });
    assert_eq!(feed0.feed_title.as_deref(), Some("Feed 0"));
    assert_eq!(feed0.validators.etag.as_deref(), Some("\"etag-0\""));
    assert_eq!(store.feed(FeedId(1)).unwrap().status, failed);
    assert_eq!(store.counts(FeedId(0)).unread, 1);

    // Unread again and unstar: exact flag writes win over the OR-merge of feed saves.
    let w = writer(&path);
    w.save_flags(vec![FlagWrite {
        feed_url: url(0),
        id: ArticleId("a".into()),
        read: false,
        starred: false,
    }]);
    w.flush(FLUSH).unwrap();
    assert_eq!(w.take_error(), None);
    drop(w);
    assert!(!find(&reload(&path, 2), 0, "a").read);
}

#[test]
fn retention_drops_oldest_unstarred_and_keeps_vanished_articles() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let w = writer(&path);
    let mut list: Vec<Article> = (1..=6).map(|d| article(0, &format!("a{d}"), d)).collect();
    list[0].starred = true; // a1, the oldest
    save(&w, snapshot(0, list, FeedStatus::NeverFetched), KEEP_ALL);
    // The feed now carries only two new items; the old ones stay until retention drops them.
    let fresh = vec![article(0, "a7", 7), article(0, "a8", 8)];
    save(
        &w,
        snapshot(0, fresh, FeedStatus::NeverFetched),
        Retention {
            max: 3,
            cutoff: None,
        },
    );
    drop(w);
    assert_eq!(ids(&reload(&path, 1), 0), ["a1", "a6", "a7", "a8"]);

    let w = writer(&path);
    let cutoff = Some(day(8));
    save(
        &w,
        snapshot(0, vec![], FeedStatus::NeverFetched),
        Retention { max: 3, cutoff },
    );
    drop(w);
    assert_eq!(
        ids(&reload(&path, 1), 0),
        ["a1", "a8"],
        "keep_days, starred stays"
    );
    assert_eq!(
        Retention::new(5, Some(2), day(10)),
        Retention {
            max: 5,
            cutoff: Some(day(8))
        }
    );
}

fn recovers_from(fixture: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/state")
        .join(fixture);
    let bytes = std::fs::read(&source).unwrap();
    std::fs::write(&path, &bytes).unwrap();

    let mut store = Store::new(feeds(1));
    let (cache, notice) = Cache::open_and_load(&path, &mut store, Bodies::Load).expect("recovers");
    let notice = notice.expect("a notice says the file was moved");
    let moved: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("cache.db.corrupt-"))
        .collect();
    assert_eq!(
        moved.len(),
        1,
        "{fixture}: moved aside, not deleted: {moved:?}"
    );
    assert_eq!(
        std::fs::read(&moved[0]).unwrap(),
        bytes,
        "{fixture}: same bytes"
    );
    assert!(notice.contains(&*moved[0].to_string_lossy()), "{notice}");
    assert!(!notice.contains('\n'));
    assert_eq!(store.total_counts().total, 0);

    // The fresh cache works.
    let w = cache.into_worker();
    save(
        &w,
        snapshot(0, vec![article(0, "x", 1)], FeedStatus::NeverFetched),
        KEEP_ALL,
    );
    drop(w);
    assert_eq!(ids(&reload(&path, 1), 0), ["x"]);
}

#[test]
fn garbage_file_is_moved_aside() {
    recovers_from("garbage.db");
}

#[test]
fn truncated_database_is_moved_aside() {
    recovers_from("truncated-sqlite.db");
}

#[test]
fn empty_file_is_moved_aside() {
    recovers_from("empty.db");
}

#[test]
fn unwritable_location_names_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, b"x").unwrap();
    let path = blocker.join("cache.db");
    let err = Cache::open(&path).expect_err("cannot create a file under a file");
    assert!(matches!(err, CacheError::Unwritable { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains(&*path.to_string_lossy()), "{message}");
    assert!(message.contains("--no-cache"), "{message}");
    assert_eq!(std::fs::read(&blocker).unwrap(), b"x", "nothing touched");
}

#[test]
fn a_foreign_or_newer_database_is_refused_not_moved() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA user_version = 99; CREATE TABLE t(x);")
        .unwrap();
    drop(conn);
    let err = Cache::open(&path).expect_err("a newer schema is refused");
    assert!(err.to_string().contains("newer"), "{err}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "not moved"
    );
}

#[test]
fn two_instances_share_the_cache_without_erasing_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let first = writer(&path);
    let second = writer(&path);
    let a = std::thread::spawn({
        let list: Vec<Article> = (1..=200)
            .map(|d| article(0, &format!("a{d}"), d % 28))
            .collect();
        move || {
            for chunk in list.chunks(20) {
                save(
                    &first,
                    snapshot(0, chunk.to_vec(), FeedStatus::NeverFetched),
                    KEEP_ALL,
                );
            }
            first.flush(FLUSH).unwrap();
            first.take_error()
        }
    });
    let b = std::thread::spawn(move || {
        for d in 1..=50 {
            save(
                &second,
                snapshot(
                    0,
                    vec![article(0, &format!("b{d}"), d % 28)],
                    FeedStatus::NeverFetched,
                ),
                KEEP_ALL,
            );
        }
        second.flush(FLUSH).unwrap();
        second.take_error()
    });
    assert_eq!(a.join().unwrap(), None, "no busy errors");
    assert_eq!(b.join().unwrap(), None, "no busy errors");
    assert_eq!(reload(&path, 1).counts(FeedId(0)).total, 250);
}

#[test]
fn schema_version_is_set_and_a_v1_database_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let (cache, _) = Cache::open(&path).unwrap();
    assert_eq!(
        cache.schema_version().unwrap(),
        tidings::cache::SCHEMA_VERSION
    );
    assert_eq!(tidings::cache::SCHEMA_VERSION, 8);
    drop(cache);

    // A v1 file as the first release wrote it, built by hand so later migrations are tested against it.
    let v1 = dir.path().join("v1.db");
    let conn = rusqlite::Connection::open(&v1).unwrap();
    conn.execute_batch(
        "CREATE TABLE feeds (url TEXT PRIMARY KEY NOT NULL, title TEXT, etag TEXT, last_modified TEXT,
            last_success INTEGER, last_error TEXT, last_error_at INTEGER);
         CREATE TABLE articles (feed_url TEXT NOT NULL, id TEXT NOT NULL, title TEXT NOT NULL, link TEXT,
            authors TEXT NOT NULL DEFAULT '[]', published INTEGER, updated INTEGER, summary TEXT,
            content TEXT, categories TEXT NOT NULL DEFAULT '[]', comments INTEGER,
            enclosures TEXT NOT NULL DEFAULT '[]', read INTEGER NOT NULL DEFAULT 0,
            starred INTEGER NOT NULL DEFAULT 0, first_seen INTEGER NOT NULL, sort_key INTEGER NOT NULL,
            full_text TEXT, PRIMARY KEY (feed_url, id));
         INSERT INTO feeds (url, title, last_success) VALUES ('http://127.0.0.1:1/feed0.xml', 'Old', 1000000);
         INSERT INTO articles (feed_url, id, title, read, starred, first_seen, sort_key, content)
            VALUES ('http://127.0.0.1:1/feed0.xml', 'old-1', 'Old one', 1, 1, 1000000, 1000000,
                    '<p>kept through the v2 migration</p>');
         PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(conn);
    let store = reload(&v1, 1);
    let a = find(&store, 0, "old-1");
    assert!(a.read && a.starred);
    assert_eq!(a.title, "Old one");
    assert_eq!(a.content(), Some("<p>kept through the v2 migration</p>"));
    let migrated = rusqlite::Connection::open(&v1).unwrap();
    let version: u32 = migrated
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, tidings::cache::SCHEMA_VERSION);
    assert_eq!(
        store.feed(FeedId(0)).unwrap().feed_title.as_deref(),
        Some("Old")
    );
}

#[test]
fn fetch_and_list_use_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache.db");
    let config = dir.path().join("feeds.toml");
    std::fs::write(&config, format!("[[feed]]\nurl = \"{}\"\n", url(0))).unwrap();
    let w = writer(&cache);
    let mut read = article(0, "seen", 2);
    read.read = true;
    save(
        &w,
        snapshot(
            0,
            vec![read, article(0, "new", 1)],
            FeedStatus::NeverFetched,
        ),
        KEEP_ALL,
    );
    drop(w);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("--cache")
        .arg(&cache)
        .arg("--config")
        .arg(&config)
        .args(["list", "--json"])
        .output()
        .unwrap();
    let items: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let flags: Vec<(String, bool)> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["id"].as_str().unwrap().to_string(),
                a["read"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        flags,
        [("seen".to_string(), true), ("new".to_string(), false)]
    );
    // `list` printed what is stored without a request: no refresh was recorded.
    let store = reload(&cache, 1);
    assert_eq!(
        store.feed(FeedId(0)).unwrap().status,
        FeedStatus::NeverFetched
    );
    // `list --refresh` refreshes first: the failure is recorded, and the articles are still there.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("--cache")
        .arg(&cache)
        .arg("--config")
        .arg(&config)
        .args(["list", "--refresh", "--json"])
        .output()
        .unwrap();
    let items: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(items.as_array().map(Vec::len), Some(2));
    let store = reload(&cache, 1);
    assert!(store.feed(FeedId(0)).unwrap().status.is_error());
    assert_eq!(store.counts(FeedId(0)).total, 2);
}

const CHILD: &str = "TIDINGS_CACHE_CHILD";

/// Child half of `killed_mid_write_leaves_a_sound_database`: big refresh writes plus one flag per
/// ~10 ms, logging "<id> <ms since start>" after each flag is queued. Skipped unless `CHILD` is set.
#[test]
fn child_write_loop() {
    let Ok(dir) = std::env::var(CHILD) else {
        return;
    };
    let dir = PathBuf::from(dir);
    let w = writer(&dir.join("cache.db"));
    let start = Instant::now();
    let mut log = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(dir.join("queued.log"))
        .unwrap();
    for round in 0u32.. {
        let big: Vec<Article> = (0..500)
            .map(|i| {
                let mut a = article(1, &format!("r{i}"), i % 28);
                a.body = tidings::model::Body::new(
                    None,
                    Some(format!("<p>round {round} {}</p>", "x".repeat(2000))),
                );
                a
            })
            .collect();
        save(&w, snapshot(1, big, FeedStatus::NeverFetched), KEEP_ALL);
        for k in 0..5 {
            let id = format!("a{}", (round * 5 + k) % 1000);
            w.save_flags(vec![FlagWrite {
                feed_url: url(0),
                id: ArticleId(id.clone()),
                read: true,
                starred: false,
            }]);
            use std::io::Write;
            writeln!(log, "{id} {}", start.elapsed().as_millis()).unwrap();
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

#[test]
fn killed_mid_write_leaves_a_sound_database() {
    if std::env::var(CHILD).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let w = writer(&path);
    let list: Vec<Article> = (0..1000)
        .map(|i| article(0, &format!("a{i}"), i % 28))
        .collect();
    let keep = Retention {
        max: 5000,
        cutoff: None,
    };
    save(&w, snapshot(0, list, FeedStatus::NeverFetched), keep);
    drop(w);

    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "child_write_loop",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, dir.path())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    std::thread::sleep(Duration::from_millis(5000));
    child.kill().unwrap(); // SIGKILL
    let killed_at = start.elapsed().as_millis();
    child.wait().unwrap();

    let conn = rusqlite::Connection::open(&path).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(conn);
    let store = reload(&path, 2);
    let log = std::fs::read_to_string(dir.path().join("queued.log")).unwrap();
    let mut checked = 0;
    for line in log.lines() {
        let mut parts = line.split(' ');
        let (Some(id), Some(ms)) = (parts.next(), parts.next()) else {
            continue; // the last line may be torn by the kill
        };
        let Ok(ms) = ms.parse::<u128>() else { continue };
        // The child's clock starts after ours (process start-up), so this is conservative.
        // A flag reaches the disk within about a second; 3 s of slack keeps a loaded machine from
        // failing this, while a flag that never reached the disk still fails it.
        if ms + 3000 < killed_at.saturating_sub(500) {
            assert!(find(&store, 0, id).read, "{id} queued at {ms} ms, lost");
            checked += 1;
        }
    }
    eprintln!("killed at {killed_at} ms; {checked} flags queued >3 s before the kill, all on disk");
    assert!(
        checked > 10,
        "the child wrote for a while ({checked} flags checked)"
    );
    assert_eq!(store.counts(FeedId(1)).total, 500, "refresh rows intact");
}

#[test]
fn a_large_cache_loads_every_row_on_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let w = writer(&path);
    let keep = Retention {
        max: 5000,
        cutoff: None,
    };
    for feed in 0..3 {
        let mut list: Vec<Article> = (0..2500)
            .map(|i| article(feed, &format!("f{feed}-{i}"), i % 28))
            .collect();
        list[2499].starred = true;
        save(&w, snapshot(feed, list, FeedStatus::NeverFetched), keep);
    }
    drop(w);
    let store = reload(&path, 3);
    for feed in 0..3 {
        assert_eq!(store.counts(FeedId(feed)).total, 2500);
        assert!(find(&store, feed, &format!("f{feed}-2499")).starred);
    }
}

#[test]
fn bodies_stay_in_the_file_until_asked_for_and_survive_a_save_without_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let w = writer(&path);
    let at = day(50);
    save(
        &w,
        snapshot(0, vec![article(0, "a", 1)], FeedStatus::Ok { at }),
        KEEP_ALL,
    );
    w.flush(FLUSH).unwrap();
    drop(w);

    // The TUI's start-up: headlines and flags only.
    let mut store = Store::new(feeds(1));
    let (cache, _) = Cache::open_and_load(&path, &mut store, Bodies::Defer).unwrap();
    let lean = find(&store, 0, "a").clone();
    assert!(lean.body.is_in_cache() && lean.content().is_none() && lean.summary().is_none());
    assert_eq!(lean.title, "title a — ünïcode");

    // Opening the article reads its body on demand (through the writer, as the TUI does).
    let w = cache.into_worker();
    let (tx, rx) = std::sync::mpsc::channel();
    w.read_body(
        url(0),
        lean.id.clone(),
        Box::new(move |body| tx.send(body.map_err(|e| e.to_string())).unwrap()),
    );
    let (summary, content) = rx.recv_timeout(FLUSH).unwrap().unwrap();
    assert_eq!(summary.as_deref(), Some("<p>summary</p>"));
    assert!(content.unwrap().contains("body body"));

    // Saving the lean copy (a flag changed, say) must not erase the stored body.
    let mut read = lean.clone();
    read.read = true;
    save(&w, snapshot(0, vec![read], FeedStatus::Ok { at }), KEEP_ALL);
    w.flush(FLUSH).unwrap();
    drop(w);
    let full = reload(&path, 1);
    let a = find(&full, 0, "a");
    assert!(a.read);
    assert!(a.content().unwrap().contains("body body"));

    // Retention deletes bodies with their articles.
    let w = writer(&path);
    save(
        &w,
        snapshot(0, vec![article(0, "b", 9)], FeedStatus::Ok { at }),
        Retention {
            max: 1,
            cutoff: None,
        },
    );
    w.flush(FLUSH).unwrap();
    drop(w);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let bodies: i64 = conn
        .query_row("SELECT count(*) FROM article_bodies", [], |r| r.get(0))
        .unwrap();
    assert_eq!(bodies, 1);
}

#[test]
fn text_planted_in_the_cache_is_cleaned_on_the_way_in() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let w = writer(&path);
    save(
        &w,
        snapshot(0, vec![article(0, "a", 1)], FeedStatus::Ok { at: day(50) }),
        KEEP_ALL,
    );
    w.flush(FLUSH).unwrap();
    drop(w);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "UPDATE articles SET title = ?1, link = 'javascript:alert(1)', authors = ?2",
        rusqlite::params![
            "Evil \u{1b}]0;pwned\u{7} \u{1b}[2J\u{202e}title",
            "[\"Bob\\u001b[31m\"]"
        ],
    )
    .unwrap();
    conn.execute(
        "UPDATE feeds SET title = ?1, etag = ?2",
        rusqlite::params!["Feed \u{9b}31m", "\"bad\netag\""],
    )
    .unwrap();
    drop(conn);
    let store = reload(&path, 1);
    let a = find(&store, 0, "a");
    assert_eq!(a.title, "Evil title");
    assert_eq!(a.link, None, "only http(s) links come back");
    assert_eq!(a.authors, ["Bob"]);
    let feed = store.feed(FeedId(0)).unwrap();
    assert_eq!(feed.feed_title.as_deref(), Some("Feed"));
    assert_eq!(
        feed.validators.etag, None,
        "an etag that cannot be sent is dropped"
    );
}

#[test]
fn full_text_is_stored_once_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let w = writer(&path);
    save(
        &w,
        snapshot(0, vec![article(0, "a", 1)], FeedStatus::Ok { at: day(50) }),
        KEEP_ALL,
    );
    let read = |w: &CacheWorker, id: &str| {
        let (tx, rx) = std::sync::mpsc::channel();
        w.read_full_text(
            url(0),
            ArticleId(id.into()),
            Box::new(move |r| tx.send(r.map_err(|e| e.to_string())).unwrap()),
        );
        rx.recv_timeout(FLUSH).unwrap()
    };
    assert_eq!(read(&w, "a"), Ok(None), "nothing stored yet");
    w.save_full_text(
        url(0),
        ArticleId("a".into()),
        "<p>The whole \u{1b}[31mstory.</p>".into(),
    );
    // Queued after the save, so it sees it (no flush needed); text is cleaned on the way out.
    assert_eq!(read(&w, "a"), Ok(Some("<p>The whole story.</p>".into())));
    drop(w);
    // It survives a restart, and a later save of the feed's own body leaves it alone.
    let w = writer(&path);
    save(
        &w,
        snapshot(0, vec![article(0, "a", 1)], FeedStatus::Ok { at: day(51) }),
        KEEP_ALL,
    );
    assert_eq!(read(&w, "a"), Ok(Some("<p>The whole story.</p>".into())));
}

#[test]
fn the_site_link_survives_saves_without_one_and_hostile_ones_never_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let w = writer(&path);
    let mut first = snapshot(0, vec![article(0, "a", 1)], FeedStatus::Ok { at: day(50) });
    first.site = Some("https://site.example/".into());
    save(&w, first, KEEP_ALL);
    let failed = FeedStatus::Error {
        message: "HTTP 500".into(),
        at: day(51),
    };
    save(&w, snapshot(0, vec![], failed), KEEP_ALL);
    save(
        &w,
        snapshot(1, vec![], FeedStatus::Ok { at: day(50) }),
        KEEP_ALL,
    );
    drop(w);
    let store = reload(&path, 2);
    let site = |store: &Store, feed: usize| store.feed(FeedId(feed)).unwrap().site_url.clone();
    assert_eq!(site(&store, 0).as_deref(), Some("https://site.example/"));
    assert_eq!(site(&store, 1), None);
    let reader = tidings::cache::read::CacheReader::open(&path).unwrap();
    let sites = reader.sites().unwrap();
    assert_eq!(sites.len(), 1, "{sites:?}");
    assert_eq!(sites[&url(0)], "https://site.example/");
    drop(reader);

    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "UPDATE feeds SET site_url = ?1",
        ["javascript:alert(1)\u{1b}[2J"],
    )
    .unwrap();
    drop(conn);
    assert_eq!(site(&reload(&path, 2), 0), None);
    let reader = tidings::cache::read::CacheReader::open(&path).unwrap();
    assert!(reader.sites().unwrap().is_empty());
    drop(reader);

    // A file from before the cache kept sites: no sites, no error.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("ALTER TABLE feeds DROP COLUMN site_url;")
        .unwrap();
    drop(conn);
    let reader = tidings::cache::read::CacheReader::open(&path).unwrap();
    assert!(reader.sites().unwrap().is_empty());
}
