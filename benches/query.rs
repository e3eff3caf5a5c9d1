//! The query language (issue 12): (a) re-filtering 50,000 in-memory headlines with a typical query, as
//! each keystroke of `/` search does (goal < 20 ms); (b) `text:WORD` over 25,000 stored bodies through
//! the cache's FTS5 index, then filtering the store with the answer (goal < 200 ms).

use chrono::{Duration as Days, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;
use tidings::cache::search::SearchIndex;
use tidings::cache::{Bodies, Cache, FeedSnapshot, Retention};
use tidings::model::{Article, ArticleId, Feed, FeedId, FeedStatus, Validators};
use tidings::query::{parse, ArticleSubject, Query, TextHits};
use tidings::store::{ArticleKey, Store, View};

const PER_FEED: usize = 250;

fn feeds(n: usize) -> Vec<Feed> {
    (0..n)
        .map(|i| Feed {
            configured_name: Some(format!("News source {i}")),
            tags: vec![["world", "tech", "science"][i % 3].to_string()],
            ..Feed::new(FeedId(i), format!("https://news{i}.example.org/feed.xml"))
        })
        .collect()
}

/// The start-up benchmark's articles, with one rarer word per story for `text:`.
fn article(feed: usize, i: usize) -> Article {
    let base = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let paragraph =
        "<p>Lorem ipsum dolor sit amet, <a href=\"https://example.org/x\">consectetur</a> \
        adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</p>\n";
    let rare = ["harbour", "glacier", "tariff", "vaccine", "satellite"][(i + feed) % 5];
    Article {
        link: Some(format!("https://news{feed}.example.org/2026/01/story-{i}")),
        authors: vec![format!("Reporter {}", i % 17)],
        published: Some(base + Days::minutes((i * 37 + feed) as i64)),
        body: tidings::model::Body::new(
            Some(format!(
                "<p>Summary of story {i}, about two hundred bytes of teaser text \
            that a feed puts in its description element for readers who skim.</p>"
            )),
            Some(format!(
                "{}<p>A note on the {rare}.</p>",
                paragraph.repeat(12)
            )),
        ),
        categories: vec!["news".into(), format!("topic{}", i % 9)],
        comments: Some((i % 50) as u32),
        words: Some(((i % 40) * 50) as u32),
        read: i % 3 == 0,
        starred: i % 97 == 0,
        ..Article::new(
            ArticleId(format!("https://news{feed}.example.org/2026/01/story-{i}")),
            FeedId(feed),
            format!("Story number {i} from source {feed}: a headline of realistic length"),
            base + Days::days(30),
        )
    }
}

fn store_of(n_feeds: usize) -> Store {
    let mut store = Store::new(feeds(n_feeds));
    let now = Utc::now();
    for f in 0..n_feeds {
        let list = (0..PER_FEED).map(|i| article(f, i)).collect();
        store.load_cached(FeedId(f), list, now);
    }
    store
}

/// The keys of the view that match, as the `/` search computes them per keystroke.
fn filter(store: &Store, view: &[ArticleKey], query: &Query, hits: Option<&TextHits>) -> usize {
    let now = Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap();
    view.iter()
        .filter(|&&key| {
            let (Some(feed), Some(article)) = (store.feed(key.feed), store.get(key)) else {
                return false;
            };
            let subject = ArticleSubject {
                feed,
                article,
                word_count: None,
            };
            query.matches_with(&subject, now, hits)
        })
        .count()
}

fn in_memory(c: &mut Criterion) {
    let store = store_of(200);
    let view = store.query(&View::All, false);
    assert_eq!(view.len(), 50_000);
    let mut group = c.benchmark_group("query_filter_50k");
    group.sample_size(20);
    for text in [
        "story",
        "unread and (tag:tech or title:\"number 12\") -author:\"reporter 3\" age<30d",
        "title~\"number 1[0-9]+ from\" or comments>=45",
    ] {
        let query = parse(text).expect("the bench query parses");
        assert!(filter(&store, &view, &query, None) > 0, "{text} matches");
        group.bench_function(text, |b| {
            b.iter(|| filter(&store, &view, black_box(&query), None))
        });
    }
    group.finish();
}

/// The `/` search as the app runs it: one keystroke (typed, then erased) re-filters the view's 50,000
/// headlines through `App::update`, and a second query makes the words stored beside headlines count.
fn keystroke(c: &mut Criterion) {
    use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};
    use tidings::app::{App, Msg};
    let press = |code| {
        Msg::Key(KeyEvent {
            code,
            modifiers: KeyModifiers::NONE,
            kind: KeyEventKind::Press,
            state: KeyEventState::NONE,
        })
    };
    let mut group = c.benchmark_group("search_keystroke_50k");
    group.sample_size(20);
    for typed in ["stor", "unread words>5 number"] {
        let mut app = App::new(store_of(200), tidings::config::Settings::default());
        app.update(Msg::Resize {
            width: 120,
            height: 40,
        });
        app.update(press(KeyCode::Tab));
        app.update(press(KeyCode::Char('/')));
        for ch in typed.chars() {
            app.update(press(KeyCode::Char(ch)));
        }
        assert!(!app.headlines.is_empty(), "{typed} matches");
        group.bench_function(typed, |b| {
            b.iter(|| {
                app.update(press(KeyCode::Char('y')));
                app.update(press(KeyCode::Backspace));
            })
        });
    }
    group.finish();
}

fn full_text(c: &mut Criterion) {
    const FEEDS: usize = 100;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cache.db");
    write_cache(&path, FEEDS);
    let mut store = Store::new(feeds(FEEDS));
    let (cache, _) = Cache::open(&path).expect("cache opens");
    cache.load(&mut store, Bodies::Defer).expect("cache loads");
    drop(cache);
    let view = store.query(&View::All, false);
    assert_eq!(view.len(), FEEDS * PER_FEED);
    let index = SearchIndex::open(&path).expect("index opens");

    let mut group = c.benchmark_group("query_text_25k");
    group.sample_size(10);
    for text in [
        "text:glacier",
        "text:lorem",
        "text:sat*",
        "text:\"the tariff\"",
    ] {
        let query = parse(text).expect("the bench query parses");
        let hits = index.resolve(&query).expect("search runs");
        assert!(
            filter(&store, &view, &query, Some(&hits)) > 0,
            "{text} matches"
        );
        group.bench_function(text, |b| {
            b.iter(|| {
                let hits = index.resolve(black_box(&query)).expect("search runs");
                filter(&store, &view, &query, Some(&hits))
            })
        });
    }
    group.finish();
}

fn write_cache(path: &Path, n_feeds: usize) {
    let (cache, _) = Cache::open(path).expect("cache opens");
    let writer = cache.into_worker();
    let at = Utc::now();
    for f in feeds(n_feeds) {
        writer.save_feed(FeedSnapshot {
            url: f.url.clone(),
            title: None,
            site: None,
            validators: Validators::default(),
            status: FeedStatus::Ok { at },
            retry_not_before: None,
            articles: (0..PER_FEED).map(|i| article(f.id.0, i)).collect(),
            retention: Retention {
                max: 500,
                cutoff: None,
            },
        });
    }
    writer.flush(Duration::from_secs(600)).expect("flushed");
}

criterion_group!(benches, in_memory, keystroke, full_text);
criterion_main!(benches);
