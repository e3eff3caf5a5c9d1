//! The full-text index behind `text:` (issue 12): the v3 → v4 migration fills it from what is stored,
//! triggers keep it in step with saves, body changes and retention, and lookups are injection-proof.

use chrono::{DateTime, TimeZone, Utc};
use std::path::Path;
use std::time::Duration;
use tidings::cache::search::{find_text, SearchIndex};
use tidings::cache::{Cache, CacheWorker, FeedSnapshot, Retention};
use tidings::model::{Article, ArticleId, Feed, FeedId, FeedStatus, Validators};
use tidings::query::{parse, ArticleSubject, Query, TextTerm};
use tidings::store::{Store, View};

const FLUSH: Duration = Duration::from_secs(10);
const KEEP_ALL: Retention = Retention {
    max: 500,
    cutoff: None,
};

fn url(i: usize) -> String {
    format!("http://127.0.0.1:1/feed{i}.xml")
}

fn day(d: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + chrono::Duration::days(d)
}

fn article(id: &str, title: &str, content: &str, d: i64) -> Article {
    Article {
        published: Some(day(d)),
        body: tidings::model::Body::new(Some("<p>teaser</p>".into()), Some(content.into())),
        ..Article::new(ArticleId(id.into()), FeedId(0), title.into(), day(d))
    }
}

fn save(w: &CacheWorker, articles: Vec<Article>, retention: Retention) {
    w.save_feed(FeedSnapshot {
        url: url(0),
        title: Some("Feed".into()),
        site: None,
        validators: Validators::default(),
        status: FeedStatus::Ok { at: day(90) },
        retry_not_before: None,
        articles,
        retention,
    });
    w.flush(FLUSH).expect("writer flushes");
}

fn writer(path: &Path) -> CacheWorker {
    let (cache, notice) = Cache::open(path).expect("cache opens");
    assert_eq!(notice, None);
    cache.into_worker()
}

/// The ids that `text:VALUE` finds, sorted.
fn found(index: &SearchIndex, value: &str) -> Vec<String> {
    let query = parse(&format!("text:{value}")).expect("a text: term");
    let term = query.text_terms()[0].clone();
    let set = index.find(&term).expect("search runs");
    let mut ids: Vec<String> = ["a", "b", "c", "old-1", "old-2"]
        .into_iter()
        .filter(|id| set.contains(&url(0), id))
        .map(String::from)
        .collect();
    ids.sort();
    assert_eq!(set.len(), ids.len(), "only known articles of feed 0");
    ids
}

#[test]
fn saved_articles_are_indexed_by_title_and_body_words_without_markup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let w = writer(&path);
    save(
        &w,
        vec![
            article(
                "a",
                "Treaty signed",
                "<p class=\"lede\">Fish &amp; <b>chips</b></p>",
                1,
            ),
            article(
                "b",
                "Weather",
                "<div>treatment of <em>sun</em>burn</div>",
                2,
            ),
            article("c", "Café culture", "", 3),
        ],
        KEEP_ALL,
    );
    let index = SearchIndex::open(&path).expect("index opens");
    assert_eq!(found(&index, "treaty"), ["a"]);
    assert_eq!(found(&index, "TREAT*"), ["a", "b"]);
    assert_eq!(found(&index, "chips"), ["a"]);
    assert_eq!(
        found(&index, "sunburn"),
        ["b"],
        "inline tags do not split words"
    );
    assert_eq!(found(&index, "\"fish chips\""), ["a"]);
    assert_eq!(found(&index, "\"chips fish\""), Vec::<String>::new());
    assert_eq!(
        found(&index, "lede"),
        Vec::<String>::new(),
        "attributes are not text"
    );
    assert_eq!(
        found(&index, "amp"),
        Vec::<String>::new(),
        "entities are decoded"
    );
    assert_eq!(
        found(&index, "teaser"),
        ["c"],
        "a blank content falls back to the summary"
    );
    assert_eq!(found(&index, "café"), ["c"]);
    assert_eq!(
        found(&index, "cafe"),
        Vec::<String>::new(),
        "accents count, as in memory"
    );
}

#[test]
fn the_index_follows_changed_bodies_titles_and_dropped_articles() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let w = writer(&path);
    save(
        &w,
        vec![
            article("a", "First", "<p>alpha</p>", 1),
            article("b", "Second", "<p>beta</p>", 2),
        ],
        KEEP_ALL,
    );
    let index = SearchIndex::open(&path).unwrap();
    assert_eq!(found(&index, "alpha"), ["a"]);

    let mut changed = article("a", "Renamed", "<p>gamma</p>", 1);
    changed.read = true;
    save(
        &w,
        vec![changed, article("b", "Second", "<p>beta</p>", 2)],
        KEEP_ALL,
    );
    // A search opened after the save indexes the changed body first.
    let index = SearchIndex::open(&path).unwrap();
    assert_eq!(found(&index, "alpha"), Vec::<String>::new());
    assert_eq!(found(&index, "gamma"), ["a"]);
    assert_eq!(found(&index, "first"), Vec::<String>::new());
    assert_eq!(found(&index, "renamed"), ["a"]);

    // Retention keeps the newest one: "a" goes, and with it its index row.
    save(
        &w,
        vec![],
        Retention {
            max: 1,
            cutoff: None,
        },
    );
    assert_eq!(found(&index, "gamma"), Vec::<String>::new());
    assert_eq!(found(&index, "beta"), ["b"]);
    drop(w);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let rows: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM article_title_words) + (SELECT count(*) FROM article_body_words)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let keys: i64 = conn
        .query_row("SELECT count(*) FROM article_search_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!((rows, keys), (2, 1), "no orphans left behind");
}

#[test]
fn a_v3_cache_migrates_and_indexes_what_it_holds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v3.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    // The v3 schema as the release before the index wrote it.
    conn.execute_batch(
        "CREATE TABLE feeds (url TEXT PRIMARY KEY NOT NULL, title TEXT, etag TEXT, last_modified TEXT,
            last_success INTEGER, last_error TEXT, last_error_at INTEGER, retry_not_before INTEGER);
         CREATE TABLE articles (feed_url TEXT NOT NULL, id TEXT NOT NULL, title TEXT NOT NULL, link TEXT,
            authors TEXT NOT NULL DEFAULT '[]', published INTEGER, updated INTEGER,
            categories TEXT NOT NULL DEFAULT '[]', comments INTEGER,
            enclosures TEXT NOT NULL DEFAULT '[]', read INTEGER NOT NULL DEFAULT 0,
            starred INTEGER NOT NULL DEFAULT 0, first_seen INTEGER NOT NULL, sort_key INTEGER NOT NULL,
            PRIMARY KEY (feed_url, id));
         CREATE TABLE article_bodies (feed_url TEXT NOT NULL, id TEXT NOT NULL, summary TEXT,
            content TEXT, full_text TEXT, PRIMARY KEY (feed_url, id));
         CREATE TRIGGER article_bodies_follow_deletes AFTER DELETE ON articles BEGIN
            DELETE FROM article_bodies WHERE feed_url = old.feed_url AND id = old.id;
         END;
         INSERT INTO feeds (url, title, last_success) VALUES ('http://127.0.0.1:1/feed0.xml', 'Old', 1);
         INSERT INTO articles (feed_url, id, title, first_seen, sort_key)
            VALUES ('http://127.0.0.1:1/feed0.xml', 'old-1', 'Harbour news', 1, 1),
                   ('http://127.0.0.1:1/feed0.xml', 'old-2', 'Headline only', 2, 2);
         INSERT INTO article_bodies (feed_url, id, summary, content)
            VALUES ('http://127.0.0.1:1/feed0.xml', 'old-1', NULL, '<p>Lighthouse <i>keepers</i></p>');
         PRAGMA user_version = 3;",
    )
    .unwrap();
    drop(conn);

    let (cache, notice) = Cache::open(&path).expect("a v3 cache opens");
    assert_eq!(notice, None);
    assert_eq!(cache.schema_version().unwrap(), 8);
    assert_eq!(tidings::cache::SCHEMA_VERSION, 8);
    drop(cache);
    let index = SearchIndex::open(&path).unwrap();
    assert_eq!(found(&index, "lighthouse"), ["old-1"]);
    assert_eq!(found(&index, "harbour"), ["old-1"]);
    assert_eq!(found(&index, "headline"), ["old-2"]);

    // And the triggers work on the migrated file: a saved body is queued, and a search opened after
    // the save indexes the queue first.
    let w = writer(&path);
    save(
        &w,
        vec![article("c", "New", "<p>lighthouse</p>", 5)],
        KEEP_ALL,
    );
    let index = SearchIndex::open(&path).unwrap();
    assert_eq!(found(&index, "lighthouse"), ["c", "old-1"]);
}

#[test]
fn hostile_terms_are_phrases_never_fts5_syntax() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let w = writer(&path);
    save(
        &w,
        vec![article("a", "near or not", "<p>title body</p>", 1)],
        KEEP_ALL,
    );
    drop(w);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let hostile = [
        "\"",
        "\"\"",
        "*",
        "NEAR(a b)",
        "a OR b",
        "title:x",
        "^x",
        "{title}: x",
        "x\" OR \"y",
        "-",
        "AND",
        "(",
        "'; DROP TABLE articles; --",
    ];
    for word in hostile {
        let term = TextTerm::new(vec![word.to_string()], false).unwrap();
        let result = find_text(&conn, &term);
        assert!(result.is_ok(), "{word}: {result:?}");
        let prefixed = TextTerm::new(vec![word.to_string(), "x".into()], true).unwrap();
        assert!(find_text(&conn, &prefixed).is_ok(), "{word}*");
    }
    // Words that are FTS5 keywords are just words.
    for (word, hits) in [("or", 1), ("not", 1), ("near", 1), ("and", 0)] {
        let term = TextTerm::new(vec![word.into()], false).unwrap();
        assert_eq!(find_text(&conn, &term).unwrap().len(), hits, "{word}");
    }
    let count: i64 = conn
        .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 1);
}

#[test]
fn a_query_is_resolved_through_the_index_then_evaluated_on_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let w = writer(&path);
    let mut read = article("b", "Tide tables", "<p>harbour pilots</p>", 2);
    read.read = true;
    save(
        &w,
        vec![
            article("a", "Storm", "<p>harbour walls</p>", 1),
            read,
            article("c", "Calm", "<p>x</p>", 3),
        ],
        KEEP_ALL,
    );
    drop(w);
    let feed = Feed {
        ..Feed::new(FeedId(0), url(0))
    };
    let mut store = Store::new(vec![feed]);
    let (cache, _) =
        Cache::open_and_load(&path, &mut store, tidings::cache::Bodies::Defer).unwrap();
    drop(cache);
    let query: Query = "text:harbour and unread".parse().unwrap();
    let hits = SearchIndex::open(&path).unwrap().resolve(&query).unwrap();
    let now = day(10);
    let feed = &store.feeds()[0];
    let titles: Vec<&str> = store
        .query(&View::All, false)
        .into_iter()
        .filter_map(|key| store.get(key))
        .filter(|a| {
            let subject = ArticleSubject {
                feed,
                article: a,
                word_count: None,
            };
            query.matches_with(&subject, now, Some(&hits))
        })
        .map(|a| a.title.as_str())
        .collect();
    assert_eq!(
        titles,
        ["Storm"],
        "bodies are deferred: only the index can answer"
    );
}
