//! The `words` column (schema v5): counted as articles enter the store, written on save, read back with
//! the headlines (bodies left in the file), filled for rows stored before it existed, and equal to the
//! article header's count.

use chrono::{TimeZone, Utc};
use std::time::Duration;
use tidings::cache::{Bodies, Cache, FeedSnapshot, Retention};
use tidings::model::{Article, ArticleId, Body, Feed, FeedId, FeedStatus, Validators};
use tidings::store::Store;

const URL: &str = "http://127.0.0.1:1/feed0.xml";

fn article(id: &str, content: Option<&str>) -> Article {
    let at = Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).unwrap();
    Article {
        published: Some(at),
        body: Body::new(
            Some("<p>a short teaser</p>".into()),
            content.map(String::from),
        ),
        ..Article::new(ArticleId(id.into()), FeedId(0), format!("Title {id}"), at)
    }
}

fn store() -> Store {
    Store::new(vec![Feed {
        configured_name: Some("Feed".into()),
        ..Feed::new(FeedId(0), URL.into())
    }])
}

/// The articles as the store holds them after a refresh: counted on the way in.
fn counted(articles: Vec<Article>) -> Vec<Article> {
    let mut store = store();
    store.merge(FeedId(0), articles, Utc::now());
    let list = store.articles(FeedId(0)).to_vec();
    assert!(list.iter().all(|a| a.words.is_some()));
    list
}

fn words_of(store: &Store, id: &str) -> Option<u32> {
    let key = store
        .find(FeedId(0), &ArticleId(id.into()))
        .expect("loaded");
    store.get(key).and_then(|a| a.words)
}

#[test]
fn saved_word_counts_come_back_with_the_headlines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let long = "<p>one two three</p><p>four <em>five</em></p>";
    {
        let (cache, _) = Cache::open(&path).unwrap();
        let worker = cache.into_worker();
        worker.save_feed(FeedSnapshot {
            url: URL.into(),
            title: None,
            site: None,
            validators: Validators::default(),
            status: FeedStatus::Ok {
                at: Utc.with_ymd_and_hms(2026, 1, 6, 0, 0, 0).unwrap(),
            },
            retry_not_before: None,
            articles: counted(vec![article("long", Some(long)), article("teaser", None)]),
            retention: Retention {
                max: 500,
                cutoff: None,
            },
        });
        worker.flush(Duration::from_secs(10)).unwrap();
    }
    let mut store = store();
    let (_cache, _) = Cache::open_and_load(&path, &mut store, Bodies::Defer).unwrap();
    assert_eq!(words_of(&store, "long"), Some(5));
    assert_eq!(
        words_of(&store, "teaser"),
        Some(3),
        "the summary when no content"
    );
    let rendered = tidings::text::render_html_text(long).word_count();
    assert_eq!(rendered, 5, "the header counts the same");
}

#[test]
fn migration_fills_word_counts_of_stored_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v4.db");
    {
        // A v4 file: make one, then drop the column as if v5 never ran.
        let (cache, _) = Cache::open(&path).unwrap();
        let worker = cache.into_worker();
        worker.save_feed(FeedSnapshot {
            url: URL.into(),
            title: None,
            site: None,
            validators: Validators::default(),
            status: FeedStatus::NeverFetched,
            retry_not_before: None,
            articles: vec![
                article("a", Some("<p>alpha beta gamma delta</p>")),
                article("b", None),
                article("bare", None),
            ],
            retention: Retention {
                max: 500,
                cutoff: None,
            },
        });
        worker.flush(Duration::from_secs(10)).unwrap();
    }
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "ALTER TABLE articles DROP COLUMN words; \
         ALTER TABLE articles DROP COLUMN comment_feed; \
         ALTER TABLE articles DROP COLUMN comments_page; \
         ALTER TABLE feeds DROP COLUMN failures; \
         ALTER TABLE feeds DROP COLUMN site_url; \
         DELETE FROM article_bodies WHERE id = 'bare'; \
         DROP TABLE search_pending; \
         PRAGMA user_version = 4;",
    )
    .unwrap();
    drop(conn);
    let mut store = store();
    let (cache, _) = Cache::open_and_load(&path, &mut store, Bodies::Defer).unwrap();
    assert_eq!(cache.schema_version().unwrap(), 8);
    assert_eq!(words_of(&store, "a"), Some(4));
    assert_eq!(words_of(&store, "b"), Some(3));
    assert_eq!(words_of(&store, "bare"), Some(0));
}
