//! Store behaviour: de-duplication, flags, counts, views, retention.
use super::*;
use crate::model::{Body, FeedStatus, FeedUpdate, ParsedFeed, Validators};
use chrono::TimeZone;

fn feed(i: usize, tags: &[&str]) -> Feed {
    Feed {
        tags: tags.iter().map(|t| t.to_string()).collect(),
        ..Feed::new(FeedId(i), format!("http://127.0.0.1/{i}.xml"))
    }
}

pub(super) fn article(feed: usize, id: &str, day: u32) -> Article {
    Article {
        published: Some(Utc.with_ymd_and_hms(2026, 1, day, 0, 0, 0).unwrap()),
        ..Article::new(
            ArticleId(id.into()),
            FeedId(feed),
            format!("title {id}"),
            Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap(),
        )
    }
}

fn loaded(feed: usize, articles: Vec<Article>) -> FeedUpdate {
    FeedUpdate::Loaded {
        feed: FeedId(feed),
        parsed: ParsedFeed {
            title: Some("T".into()),
            site: None,
            articles,
            skipped: 0,
        },
        validators: Validators::default(),
    }
}

#[test]
fn refresh_deduplicates_and_keeps_read_flags() {
    let mut store = Store::new(vec![feed(0, &[])]);
    let now = Utc::now();
    let applied = store.apply(loaded(0, vec![article(0, "a", 1), article(0, "b", 2)]), now);
    assert_eq!(applied.added, 2);
    let key = store.find(FeedId(0), &ArticleId("a".into())).unwrap();
    assert!(store.set_read(key, true));
    assert_eq!(
        store.counts(FeedId(0)),
        Counts {
            unread: 1,
            total: 2
        }
    );

    let mut changed = article(0, "a", 1);
    changed.title = "new title".into();
    let applied = store.apply(
        loaded(0, vec![changed, article(0, "b", 2), article(0, "c", 3)]),
        now,
    );
    assert_eq!(
        applied,
        Applied {
            added: 1,
            updated: 1
        }
    );
    assert_eq!(
        store.counts(FeedId(0)),
        Counts {
            unread: 2,
            total: 3
        }
    );
    let a = store
        .get(store.find(FeedId(0), &ArticleId("a".into())).unwrap())
        .unwrap();
    assert!(a.read, "read flag survives a refresh");
    assert_eq!(a.title, "new title");
    let titles: Vec<_> = store
        .articles(FeedId(0))
        .iter()
        .map(|a| a.id.0.as_str())
        .collect();
    assert_eq!(titles, ["c", "b", "a"], "newest first");
}

#[test]
fn views_merge_by_date_and_count_by_tag() {
    let mut store = Store::new(vec![
        feed(0, &["world"]),
        feed(1, &["tech", "world"]),
        feed(2, &[]),
    ]);
    let now = Utc::now();
    store.apply(loaded(0, vec![article(0, "a", 1), article(0, "c", 3)]), now);
    store.apply(loaded(1, vec![article(1, "b", 2)]), now);
    store.apply(loaded(2, vec![article(2, "d", 4)]), now);
    let all: Vec<_> = store
        .query(&View::All, false)
        .into_iter()
        .map(|k| store.get(k).unwrap().id.0.clone())
        .collect();
    assert_eq!(all, ["d", "c", "b", "a"]);
    assert_eq!(store.query(&View::Tag("world".into()), false).len(), 3);
    assert_eq!(
        store.tag_counts("world"),
        Counts {
            unread: 3,
            total: 3
        }
    );
    assert_eq!(store.tags(), ["world", "tech"]);
    assert_eq!(
        store.total_counts(),
        Counts {
            unread: 4,
            total: 4
        }
    );

    let key = store.find(FeedId(1), &ArticleId("b".into())).unwrap();
    store.set_read(key, true);
    assert_eq!(store.query(&View::All, true).len(), 3);
    store.toggle_starred(key);
    assert_eq!(store.query(&View::Starred, false).len(), 1);
    assert_eq!(
        store.starred_counts(),
        Counts {
            unread: 0,
            total: 1
        }
    );
    let feed_zero = store.keys_of(&[FeedId(0)]);
    assert_eq!(store.mark_read(&feed_zero).len(), 2);
    assert!(store.mark_read(&feed_zero).is_empty(), "already read");
    assert_eq!(
        store.total_counts(),
        Counts {
            unread: 1,
            total: 4
        }
    );
}

#[test]
fn ingest_moves_new_bodies_into_the_save_and_out_of_memory() {
    let mut store = Store::new(vec![feed(0, &[])]);
    let now = Utc::now();
    let keep_all = Retention::new(100, None, now);
    let with_body = |id: &str, day: u32| Article {
        body: Body::new(None, Some(format!("<p>{id}</p>"))),
        ..article(0, id, day)
    };
    let ingested = store.ingest(
        loaded(0, vec![with_body("a", 1), with_body("b", 2)]),
        keep_all,
        BodyHome::Cache,
        now,
    );
    let save = ingested.save.expect("a finished refresh is saved");
    assert_eq!(save.articles.len(), 2);
    assert_eq!(save.body_bytes(), "<p>a</p><p>b</p>".len());
    assert!(store
        .articles(FeedId(0))
        .iter()
        .all(|a| a.body.is_in_cache()));

    // The same articles again: their bodies go to the cache again, but nothing changed.
    let again = store.ingest(
        loaded(0, vec![with_body("a", 1), with_body("b", 2)]),
        keep_all,
        BodyHome::Cache,
        now,
    );
    assert_eq!(again.applied, Applied::default());
    assert!(store
        .articles(FeedId(0))
        .iter()
        .all(|a| a.body.is_in_cache()));

    // A changed headline is an update.
    let mut renamed = with_body("a", 1);
    renamed.title = "renamed".into();
    let applied = store
        .ingest(
            loaded(0, vec![renamed, with_body("b", 2)]),
            keep_all,
            BodyHome::Cache,
            now,
        )
        .applied;
    assert_eq!(applied.updated, 1);

    // A 304 saves the feed's metadata with no copy of its articles.
    let not_modified = FeedUpdate::NotModified { feed: FeedId(0) };
    let save = store
        .ingest(not_modified, keep_all, BodyHome::Cache, now)
        .save
        .expect("metadata is saved");
    assert!(save.articles.is_empty());
    assert_eq!(save.status, FeedStatus::Ok { at: now });
}

#[test]
fn ingest_without_a_cache_keeps_or_discards_bodies_and_saves_nothing() {
    let now = Utc::now();
    let keep_all = Retention::new(100, None, now);
    let with_body = Article {
        body: Body::new(Some("teaser".into()), None),
        ..article(0, "a", 1)
    };
    for (home, kept) in [(BodyHome::Memory, true), (BodyHome::Discard, false)] {
        let mut store = Store::new(vec![feed(0, &[])]);
        let ingested = store.ingest(loaded(0, vec![with_body.clone()]), keep_all, home, now);
        assert!(ingested.save.is_none(), "{home:?}");
        assert_eq!(
            store.articles(FeedId(0))[0].summary().is_some(),
            kept,
            "{home:?}"
        );
    }
}

#[test]
fn failed_refresh_keeps_articles_and_records_error() {
    let mut store = Store::new(vec![feed(0, &[])]);
    let now = Utc::now();
    store.apply(loaded(0, vec![article(0, "a", 1)]), now);
    store.apply(
        FeedUpdate::Failed {
            feed: FeedId(0),
            message: "HTTP 500".into(),
            retry_after: None,
        },
        now,
    );
    assert_eq!(store.counts(FeedId(0)).total, 1);
    assert!(store.feed(FeedId(0)).unwrap().status.is_error());
}

#[test]
fn retention_keeps_starred_and_newest() {
    let mut store = Store::new(vec![feed(0, &[])]);
    let now = Utc::now();
    let arts: Vec<_> = (1..=5).map(|d| article(0, &format!("a{d}"), d)).collect();
    store.apply(loaded(0, arts), now);
    let oldest = store.find(FeedId(0), &ArticleId("a1".into())).unwrap();
    store.toggle_starred(oldest);
    let dropped = store.retain(FeedId(0), Retention::new(2, None, now));
    assert_eq!(dropped.len(), 2);
    let ids: Vec<_> = store
        .articles(FeedId(0))
        .iter()
        .map(|a| a.id.0.as_str())
        .collect();
    assert_eq!(ids, ["a5", "a4", "a1"]);
    assert!(store.find(FeedId(0), &ArticleId("a1".into())).is_some());
}

#[test]
fn a_refresh_without_a_site_keeps_the_one_known() {
    let mut store = Store::new(vec![feed(0, &[])]);
    let now = Utc::now();
    let with_site = |site: Option<&str>| FeedUpdate::Loaded {
        feed: FeedId(0),
        parsed: ParsedFeed {
            title: None,
            site: site.map(String::from),
            articles: vec![],
            skipped: 0,
        },
        validators: Validators::default(),
    };
    store.apply(with_site(Some("https://a.example/")), now);
    store.apply(with_site(None), now);
    let site = |store: &Store| store.feeds()[0].site_url.clone();
    assert_eq!(site(&store).as_deref(), Some("https://a.example/"));
    store.apply(with_site(Some("https://b.example/")), now);
    assert_eq!(site(&store).as_deref(), Some("https://b.example/"));
}
