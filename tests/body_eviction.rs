//! Bodies leave memory once handed to the cache worker and are read back through its queue: a real
//! cache file, the worker thread, and the app driven the way the runtime drives it.

mod builders;

use builders::*;
use crossterm::event::KeyCode;
use std::sync::mpsc;
use std::time::Duration;
use tidings::app::{Effect, Msg};
use tidings::cache::{Cache, CacheWorker, FeedSnapshot, Retention, StoredBody};
use tidings::model::{ArticleId, FeedStatus, Validators};

const WAIT: Duration = Duration::from_secs(10);

const KEEP_ALL: Retention = Retention {
    max: 500,
    cutoff: None,
};

fn writer(path: &std::path::Path) -> CacheWorker {
    let (cache, notice) = Cache::open(path).expect("cache opens");
    assert_eq!(notice, None);
    cache.into_worker()
}

/// Ask the writer for a body and wait for its answer.
fn read_through(writer: &CacheWorker, feed_url: &str, id: &ArticleId) -> StoredBody {
    let (tx, rx) = mpsc::channel();
    writer.read_body(
        feed_url.to_string(),
        id.clone(),
        Box::new(move |body| {
            let _ = tx.send(body);
        }),
    );
    rx.recv_timeout(WAIT)
        .expect("the writer answers")
        .expect("the read succeeds")
}

#[test]
fn a_body_saved_then_read_at_once_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let w = writer(&path);
    // Many saves queued back to back, each followed at once by a read of what it saved, with no
    // flush in between: every read must see its save.
    for i in 0..200 {
        let url = format!("http://127.0.0.1:9/{i}.xml");
        let mut a = article(0, &format!("a{i}"), "Headline", 1);
        let content = format!("<p>body number {i}</p>{}", long_body());
        a.body = tidings::model::Body::new(None, Some(content));
        let snapshot = FeedSnapshot {
            url: url.clone(),
            title: None,
            site: None,
            validators: Validators::default(),
            status: FeedStatus::NeverFetched,
            retry_not_before: None,
            articles: vec![a.clone()],
            retention: KEEP_ALL,
        };
        w.save_feed(snapshot);
        let (summary, content) = read_through(&w, &url, &a.id);
        assert_eq!(summary.as_deref(), a.summary(), "save {i}");
        assert_eq!(content.as_deref(), a.content(), "save {i}");
    }
    // And the file holds them after a restart.
    drop(w);
    let w = writer(&path);
    let (_, content) = read_through(&w, "http://127.0.0.1:9/7.xml", &ArticleId("a7".into()));
    assert!(content.unwrap().starts_with("<p>body number 7</p>"));
}

#[test]
fn the_app_drops_bodies_on_save_and_shows_them_again_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let w = writer(&path);
    let mut app = sample_app_with_cache(100, 30, true);
    // The effects are complete values: run them without looking at the app, as the runtime does.
    let run = |effects: Vec<Effect>| -> Vec<Msg> {
        let mut replies = Vec::new();
        for effect in effects {
            match effect {
                Effect::SaveFeed(snapshot) => w.save_feed(snapshot),
                Effect::LoadBody {
                    generation,
                    feed,
                    feed_url,
                    id,
                } => {
                    let (summary, content) = read_through(&w, &feed_url, &id);
                    replies.push(Msg::BodyLoaded {
                        generation,
                        feed,
                        id,
                        summary,
                        content,
                    });
                }
                _ => {}
            }
        }
        replies
    };
    // A fresh load of feed 0, saved; then the article is opened straight away.
    let effects = app.update(loaded(
        0,
        vec![article(0, "w9", "Straight off the wire", 9)],
    ));
    assert!(run(effects).is_empty());
    assert!(app
        .store
        .articles(tidings::model::FeedId(0))
        .iter()
        .all(|a| a.body.is_in_cache()));
    app.update(key(KeyCode::Tab));
    let effects = app.update(key(KeyCode::Enter));
    assert_eq!(app.reader.as_ref().unwrap().id.0, "w9");
    let replies = run(effects);
    assert_eq!(replies.len(), 1, "one body load");
    for msg in replies {
        app.update(msg);
    }
    let shown: Vec<String> = app
        .reader
        .as_ref()
        .unwrap()
        .lines()
        .iter()
        .map(|l| l.text.clone())
        .collect();
    assert!(
        shown.iter().any(|l| l.contains("Paragraph 11")),
        "body read back from the cache: {shown:?}"
    );
}
