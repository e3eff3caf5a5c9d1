//! Start-up with a warm cache: 50,000 articles over 200 feeds (~2 KB of HTML each).
//! (a) open + load into a fresh store, (b) that plus `App::new` and the first frame (120×40),
//! (c) a full-refresh write of all 200 feeds through the cache writer.

use chrono::{Duration as Days, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::path::Path;
use std::time::Duration;
use tidings::app::{App, Msg};
use tidings::cache::{Bodies, Cache, FeedSnapshot, Retention};
use tidings::config::Settings;
use tidings::model::{Article, ArticleId, Body, Feed, FeedId, FeedStatus, Validators};
use tidings::store::Store;

const FEEDS: usize = 200;
const PER_FEED: usize = 250;

fn feeds() -> Vec<Feed> {
    (0..FEEDS)
        .map(|i| Feed {
            configured_name: Some(format!("News source {i}")),
            tags: vec![["world", "tech", "science"][i % 3].to_string()],
            ..Feed::new(FeedId(i), format!("https://news{i}.example.org/feed.xml"))
        })
        .collect()
}

fn article(feed: usize, i: usize) -> Article {
    let base = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let paragraph =
        "<p>Lorem ipsum dolor sit amet, <a href=\"https://example.org/x\">consectetur</a> \
        adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</p>\n";
    Article {
        link: Some(format!("https://news{feed}.example.org/2026/01/story-{i}")),
        authors: vec![format!("Reporter {}", i % 17)],
        published: Some(base + Days::minutes((i * 37 + feed) as i64)),
        body: Body::new(
            Some(format!(
                "<p>Summary of story {i}, about two hundred bytes of teaser text \
                that a feed puts in its description element for readers who skim.</p>"
            )),
            Some(paragraph.repeat(12)),
        ),
        categories: vec!["news".into(), format!("topic{}", i % 9)],
        comments: Some((i % 50) as u32),
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

fn snapshots() -> Vec<FeedSnapshot> {
    let at = Utc::now();
    feeds()
        .into_iter()
        .map(|f| FeedSnapshot {
            url: f.url.clone(),
            title: Some(format!("Feed {}", f.id.0)),
            site: None,
            validators: Validators {
                etag: Some(format!("\"v{}\"", f.id.0)),
                last_modified: None,
            },
            status: FeedStatus::Ok { at },
            retry_not_before: None,
            articles: (0..PER_FEED).map(|i| article(f.id.0, i)).collect(),
            retention: KEEP,
        })
        .collect()
}

const KEEP: Retention = Retention {
    max: 500,
    cutoff: None,
};

fn write_all(path: &Path, snaps: &[FeedSnapshot]) {
    let (cache, _) = Cache::open(path).expect("cache opens");
    let writer = cache.into_worker();
    for s in snaps {
        writer.save_feed(s.clone());
    }
    writer.flush(Duration::from_secs(120)).expect("flushed");
}

/// Load the cache the way the TUI does (`Bodies::Defer`) or the CLI does (`Bodies::Load`).
fn load(path: &Path, bodies: Bodies) -> Store {
    let mut store = Store::new(feeds());
    let (cache, _) = Cache::open(path).expect("cache opens");
    cache.load(&mut store, bodies).expect("cache loads");
    store
}

fn first_frame(path: &Path) -> (App, Terminal<TestBackend>) {
    let mut app = App::new(load(path, Bodies::Defer), Settings::default());
    app.update(Msg::Resize {
        width: 120,
        height: 40,
    });
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test backend");
    terminal
        .draw(|frame| tidings::ui::draw(frame, &app))
        .expect("drawn");
    (app, terminal)
}

fn startup(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cache.db");
    let snaps = snapshots();
    write_all(&path, &snaps);
    let store = load(&path, Bodies::Load);
    assert_eq!(store.total_counts().total, FEEDS * PER_FEED);
    drop(store);

    let mut group = c.benchmark_group("startup_50k");
    group.sample_size(10);
    group.bench_function("open_and_load_with_bodies", |b| {
        b.iter_with_large_drop(|| load(&path, Bodies::Load))
    });
    group.bench_function("open_and_load_headlines", |b| {
        b.iter_with_large_drop(|| load(&path, Bodies::Defer))
    });
    group.bench_function("load_to_first_frame", |b| {
        b.iter_with_large_drop(|| first_frame(&path))
    });
    group.bench_function("full_refresh_write_unchanged", |b| {
        b.iter(|| write_all(&path, &snaps))
    });
    let mut round = 0usize;
    group.bench_function("full_refresh_write_10pct_new", |b| {
        b.iter(|| {
            round += 1;
            let changed: Vec<FeedSnapshot> = snaps
                .iter()
                .map(|s| {
                    let mut s = s.clone();
                    for a in s.articles.iter_mut().take(PER_FEED / 10) {
                        a.body = tidings::model::Body::new(
                            None,
                            Some(format!("<p>revision {round}</p>{}", a.body_html())),
                        );
                    }
                    s
                })
                .collect();
            write_all(&path, &changed)
        })
    });
    group.finish();
}

criterion_group!(benches, startup);
criterion_main!(benches);
