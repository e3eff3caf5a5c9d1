//! Behaviour of the state machine, driven by messages: no terminal, no network.

mod builders;

use builders::*;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};
use std::time::Duration;
use tidings::app::{Effect, Focus, Msg};
use tidings::model::{FeedId, FeedStatus, FeedUpdate};

/// The refresh jobs of these feeds: each feed's URL and validators, as the runtime will run them.
fn jobs(app: &tidings::app::App, feeds: &[usize]) -> Vec<tidings::feed::RefreshJob> {
    feeds
        .iter()
        .map(|&i| tidings::feed::RefreshJob {
            feed: FeedId(i),
            url: url::Url::parse(&app.store.feed(FeedId(i)).unwrap().url).unwrap(),
            validators: Default::default(),
            options: Default::default(),
        })
        .collect()
}

fn open_first_article(app: &mut tidings::app::App) -> Vec<Effect> {
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Enter))
}

#[test]
fn start_refreshes_every_feed_once() {
    let mut app = sample_app(100, 30);
    let effects = app.update(Msg::Start);
    assert_eq!(effects, vec![Effect::Refresh(jobs(&app, &[0, 1]))]);
    assert_eq!(app.refresh.total, 2);
    // A second R while both are in flight asks for nothing more.
    assert!(app.update(ch('R')).is_empty());
    app.update(Msg::Feed(FeedUpdate::Started(FeedId(0))));
    app.update(Msg::Feed(FeedUpdate::NotModified { feed: FeedId(0) }));
    assert_eq!(app.refresh.done, 1);
    app.update(Msg::Feed(FeedUpdate::Failed {
        feed: FeedId(1),
        message: "HTTP 500 Internal Server Error".into(),
        retry_after: None,
    }));
    assert!(app.refresh.in_flight.is_empty());
    assert!(matches!(
        app.store.feed(FeedId(1)).unwrap().status,
        FeedStatus::Error { .. }
    ));
    assert_eq!(
        app.store.counts(FeedId(1)).total,
        2,
        "a failed refresh keeps the articles"
    );
    let note = app.status.clone().unwrap();
    assert!(note.is_error && note.text.contains("Tech Daily") && note.text.contains("HTTP 500"));
}

#[test]
fn retry_after_delays_that_feed_only() {
    let mut app = sample_app(100, 30);
    app.update(Msg::Start);
    app.update(Msg::Feed(FeedUpdate::Failed {
        feed: FeedId(0),
        message: "HTTP 429 Too Many Requests".into(),
        retry_after: Some(Duration::from_secs(600)),
    }));
    app.update(Msg::Feed(FeedUpdate::NotModified { feed: FeedId(1) }));
    assert_eq!(app.update(ch('R')), vec![Effect::Refresh(jobs(&app, &[1]))]);
}

#[test]
fn opening_marks_read_and_n_walks_unread() {
    let mut app = sample_app(100, 30);
    let effects = open_first_article(&mut app);
    assert_eq!(app.focus, Focus::Article);
    assert!(effects
        .iter()
        .any(|e| matches!(e, Effect::SaveFlags(c) if c[0].read)));
    assert_eq!(app.store.total_counts().unread, 4);
    let first = app.reader.as_ref().unwrap().id.clone();
    app.update(ch('n'));
    let second = app.reader.as_ref().unwrap().id.clone();
    assert_ne!(first, second);
    assert_eq!(app.store.total_counts().unread, 3);
    // m toggles read back, s stars.
    app.update(ch('m'));
    assert_eq!(app.store.total_counts().unread, 4);
    app.update(ch('s'));
    assert_eq!(app.store.starred_counts().total, 1);
    // Esc back to headlines, q back to feeds, q quits.
    app.update(key(KeyCode::Esc));
    assert_eq!(app.focus, Focus::Headlines);
    app.update(ch('q'));
    assert_eq!(app.focus, Focus::Feeds);
    assert_eq!(app.update(ch('q')), vec![Effect::Quit]);
    assert!(app.should_quit);
}

#[test]
fn unread_only_and_mark_feed_read() {
    let mut app = sample_app(100, 30);
    open_first_article(&mut app);
    app.update(key(KeyCode::Esc));
    app.update(ch('u'));
    assert_eq!(app.headlines.len(), 4);
    app.update(ch('u'));
    assert_eq!(app.headlines.len(), 5);
    // In the headlines, A marks the feed of the article in focus (Tech Daily: one unread left).
    let effects = app.update(ch('A'));
    assert!(matches!(&effects[..], [Effect::SaveFlags(c)] if c.len() == 1));
    assert_eq!(app.store.counts(FeedId(1)).unread, 0);
    assert_eq!(app.store.total_counts().unread, 3);
    // In the feeds pane on "All articles", A marks everything.
    app.update(key(KeyCode::Tab));
    let effects = app.update(ch('A'));
    assert!(matches!(&effects[..], [Effect::SaveFlags(c)] if c.len() == 3));
    assert_eq!(app.store.total_counts().unread, 0);
}

#[test]
fn open_link_only_for_http_links() {
    let mut app = sample_app(100, 30);
    app.update(key(KeyCode::Tab));
    assert_eq!(
        app.update(ch('o')),
        vec![Effect::OpenLink("https://example.org/t2".into())]
    );
    let mut bad = article(1, "js", "Click me", 28);
    bad.link = Some("javascript:alert(1)".into());
    app.update(loaded(1, vec![bad]));
    app.update(ch('g'));
    assert_eq!(
        app.store
            .get(app.selected_article().unwrap())
            .unwrap()
            .title,
        "Click me"
    );
    assert!(app.update(ch('o')).is_empty());
    assert!(app.status.as_ref().unwrap().text.contains("refused"));
}

#[test]
fn full_text_toggle_and_stale_replies() {
    let mut app = sample_app(100, 30);
    open_first_article(&mut app);
    let effects = app.update(ch('f'));
    let Some(Effect::FetchFullText { generation, url }) = effects.first().cloned() else {
        panic!("expected a full-text fetch, got {effects:?}");
    };
    assert_eq!(url, "https://example.org/t2");
    // A reply for an older request is dropped.
    app.update(Msg::FullText {
        generation: generation - 1,
        result: Ok(page("stale")),
    });
    assert!(!joined(&app).contains("stale"));
    app.update(Msg::FullText {
        generation,
        result: Ok(page("The whole story")),
    });
    assert!(joined(&app).contains("The whole story"));
    assert!(joined(&app).contains("full text"));
    // f again shows the feed's text; a third f uses the fetched copy without a new request.
    assert!(app.update(ch('f')).is_empty());
    assert!(joined(&app).contains("Paragraph 11"));
    assert!(app.update(ch('f')).is_empty());
    assert!(joined(&app).contains("The whole story"));
}

#[test]
fn full_text_failure_keeps_feed_text_and_says_why() {
    let mut app = sample_app(100, 30);
    open_first_article(&mut app);
    let Some(Effect::FetchFullText { generation, .. }) = app.update(ch('f')).first().cloned()
    else {
        panic!("expected a fetch");
    };
    app.update(Msg::FullText {
        generation,
        result: Err("HTTP 404 Not Found".into()),
    });
    assert!(joined(&app).contains("Paragraph 11"));
    assert!(app.status.as_ref().unwrap().text.contains("HTTP 404"));
}

#[test]
fn key_releases_are_ignored() {
    let mut app = sample_app(100, 30);
    let before = app.feeds_cursor;
    app.update(Msg::Key(KeyEvent {
        code: KeyCode::Char('j'),
        modifiers: KeyModifiers::NONE,
        kind: KeyEventKind::Release,
        state: KeyEventState::NONE,
    }));
    assert_eq!(app.feeds_cursor, before);
    app.update(ch('j'));
    assert_eq!(app.feeds_cursor.selected, before.selected + 1);
}

#[test]
fn scrolling_stays_within_the_article() {
    let mut app = sample_app(60, 20);
    open_first_article(&mut app);
    let height = app.panes().main_inner_height();
    for _ in 0..500 {
        app.update(ch('j'));
    }
    let reader = app.reader.as_ref().unwrap();
    assert_eq!(reader.scroll, reader.lines().len() - height);
    app.update(ch('g'));
    assert_eq!(app.reader.as_ref().unwrap().scroll, 0);
    app.update(ch(' '));
    assert_eq!(app.reader.as_ref().unwrap().scroll, height - 1);
}

fn page(text: &str) -> tidings::app::FullTextPage {
    let html = format!("<p>{text}</p>");
    tidings::app::FullTextPage {
        rendered: tidings::text::render_html(&html, None),
        html,
    }
}

fn joined(app: &tidings::app::App) -> String {
    app.reader
        .as_ref()
        .unwrap()
        .lines()
        .iter()
        .map(|l| l.text.clone())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn bodies_left_in_the_cache_load_on_open() {
    let mut app = sample_app(100, 30);
    let mut lean = article(1, "lean", "Loaded from the cache", 27);
    let content = lean.content().map(str::to_string);
    lean.body = tidings::model::Body::InCache;
    app.update(loaded(1, vec![lean]));
    let effects = open_first_article(&mut app);
    let (generation, feed, id) = body_load_of(&effects);
    assert_eq!(id.0, "lean");
    assert!(joined(&app).contains("loading"));
    app.update(Msg::BodyLoaded {
        generation,
        feed,
        id,
        summary: None,
        content,
    });
    assert!(joined(&app).contains("Paragraph 11"));
    // Reopening uses the body now in memory: no second load.
    app.update(key(KeyCode::Esc));
    let effects = app.update(key(KeyCode::Enter));
    assert!(!effects.iter().any(|e| matches!(e, Effect::LoadBody { .. })));
}

#[test]
fn selection_follows_the_article_when_new_ones_arrive() {
    let mut app = sample_app(100, 30);
    // Select "World News" (entries: All, Starred, #world, #tech, World News, Tech Daily).
    for _ in 0..4 {
        app.update(ch('j'));
    }
    app.update(key(KeyCode::Tab));
    app.update(ch('j'));
    app.update(ch('j'));
    let title = |app: &tidings::app::App| {
        app.store
            .get(app.selected_article().unwrap())
            .unwrap()
            .title
            .clone()
    };
    assert_eq!(title(&app), "Elections called for spring");
    app.update(loaded(
        0,
        vec![article(0, "w0", "Breaking: newer than all", 20)],
    ));
    assert_eq!(
        title(&app),
        "Elections called for spring",
        "the cursor stays on its article"
    );
    assert_eq!(app.headlines.len(), 4);
}

#[test]
fn reader_closes_when_retention_drops_its_article() {
    let store = tidings::store::Store::new(vec![feed(0, "World News", &[])]);
    let settings = tidings::config::Settings {
        max_articles_per_feed: 1,
        ..Default::default()
    };
    let mut app = tidings::app::App::new(store, settings);
    app.update(Msg::Resize {
        width: 100,
        height: 30,
    });
    app.update(loaded(0, vec![article(0, "old", "Old news", 1)]));
    open_first_article(&mut app);
    assert_eq!(app.focus, Focus::Article);
    app.update(loaded(0, vec![article(0, "new", "New news", 2)]));
    assert!(app.reader.is_none());
    assert_eq!(app.focus, Focus::Headlines);
    assert!(app.status.as_ref().unwrap().text.contains("removed"));
}

/// The `LoadBody` effect among `effects`, as (generation, feed, id).
fn body_load_of(effects: &[Effect]) -> (u64, FeedId, tidings::model::ArticleId) {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadBody {
                generation,
                feed,
                id,
                ..
            } => Some((*generation, *feed, id.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("expected a body load, got {effects:?}"))
}

/// The `SaveFeed` effect among `effects`.
fn save_of(effects: &[Effect]) -> tidings::store::FeedSnapshot {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::SaveFeed(snapshot) => Some(snapshot.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("expected a save, got {effects:?}"))
}

#[test]
fn with_a_cache_bodies_leave_the_store_with_the_save_and_load_on_open() {
    let mut app = sample_app_with_cache(100, 30, true);
    let fresh = vec![
        article(1, "t1", "New chip doubles battery life", 4),
        article(1, "t3", "A third story", 6),
    ];
    let effects = app.update(loaded(1, fresh.clone()));
    let save = save_of(&effects);
    assert_eq!(save.url, app.store.feed(FeedId(1)).unwrap().url);
    // The bodies that came with this update (t1 again, t3 new) go with the save, unchanged; t2's
    // went with the save of the first load.
    let mut with_bodies: Vec<&str> = save
        .articles
        .iter()
        .filter(|a| !a.body.is_in_cache())
        .map(|a| a.id.0.as_str())
        .collect();
    with_bodies.sort();
    assert_eq!(with_bodies, ["t1", "t3"]);
    for a in save.articles.iter().filter(|a| !a.body.is_in_cache()) {
        assert_eq!(a.body, fresh[0].body);
    }
    // The store keeps headlines and flags only.
    for a in app
        .store
        .articles(FeedId(0))
        .iter()
        .chain(app.store.articles(FeedId(1)))
    {
        assert!(a.body.is_in_cache(), "{} kept its body", a.id.0);
    }
    assert_eq!(app.store.counts(FeedId(1)).total, 3);

    // Opening one reads its body back; the body is shown but not kept in the store.
    let effects = open_first_article(&mut app);
    let (generation, feed, id) = body_load_of(&effects);
    assert!(joined(&app).contains("loading"));
    let body = save.articles.iter().find(|a| a.id == id).unwrap().clone();
    app.update(Msg::BodyLoaded {
        generation,
        feed,
        id: id.clone(),
        summary: body.summary().map(str::to_string),
        content: body.content().map(str::to_string),
    });
    assert!(joined(&app).contains("Paragraph 11"));
    let key = app.store.find(feed, &id).unwrap();
    assert!(app.store.get(key).unwrap().body.is_in_cache());

    // A refresh of the open article's feed evicts again; the reader keeps what it shows.
    let effects = app.update(loaded(feed.0, sample_articles(feed.0)));
    assert!(save_of(&effects).body_bytes() > 0);
    assert!(app
        .store
        .articles(feed)
        .iter()
        .all(|a| a.body.is_in_cache()));
    assert!(joined(&app).contains("Paragraph 11"));
}

#[test]
fn without_a_cache_nothing_is_evicted_or_saved() {
    let mut app = sample_app(100, 30);
    let effects = app.update(loaded(0, sample_articles(0)));
    assert_eq!(effects, vec![]);
    assert!(app
        .store
        .articles(FeedId(0))
        .iter()
        .all(|a| a.content().is_some()));
    let effects = open_first_article(&mut app);
    assert!(!effects.iter().any(|e| matches!(e, Effect::LoadBody { .. })));
    assert!(joined(&app).contains("Paragraph 11"));
}

#[test]
fn a_fetched_full_text_is_handed_to_the_cache_and_found_there_next_time() {
    let mut app = sample_app_with_cache(100, 30, true);
    let effects = open_first_article(&mut app);
    let (generation, feed, id) = body_load_of(&effects);
    app.update(Msg::BodyLoaded {
        generation,
        feed,
        id: id.clone(),
        summary: None,
        content: Some("<p>feed text</p>".into()),
    });
    // With a cache, `f` asks the cache first ...
    let effects = app.update(ch('f'));
    let Some(Effect::ReadStoredFullText {
        generation,
        feed_url,
        id: asked,
    }) = effects.first().cloned()
    else {
        panic!("expected a read of the stored full text, got {effects:?}");
    };
    assert_eq!(asked, id);
    assert_eq!(feed_url, app.store.feed(feed).unwrap().url);
    // ... and fetches the page when there is none.
    let effects = app.update(Msg::StoredFullText {
        generation,
        html: None,
    });
    let Some(Effect::FetchFullText { generation, .. }) = effects.first().cloned() else {
        panic!("expected a fetch, got {effects:?}");
    };
    let effects = app.update(Msg::FullText {
        generation,
        result: Ok(page("from the web")),
    });
    assert_eq!(
        effects,
        vec![Effect::SaveFullText {
            feed_url: feed_url.clone(),
            id: id.clone(),
            html: "<p>from the web</p>".into()
        }]
    );
    assert!(joined(&app).contains("from the web"));

    // Another article's stored copy is shown without a fetch.
    app.update(key(KeyCode::Esc));
    app.update(ch('j'));
    let effects = app.update(key(KeyCode::Enter));
    let (generation, feed, id) = body_load_of(&effects);
    app.update(Msg::BodyLoaded {
        generation,
        feed,
        id,
        summary: None,
        content: Some("<p>feed text</p>".into()),
    });
    let Some(Effect::ReadStoredFullText { generation, .. }) = app.update(ch('f')).first().cloned()
    else {
        panic!("expected a stored read");
    };
    let effects = app.update(Msg::StoredFullText {
        generation,
        html: Some("<p>stored page</p>".into()),
    });
    assert!(effects.is_empty(), "no fetch: {effects:?}");
    assert!(joined(&app).contains("stored page"));
}

#[test]
fn esc_and_a_key_read_together_as_alt_key_act_as_esc_then_the_key() {
    let mut app = sample_app(100, 30);
    open_first_article(&mut app);
    assert_eq!(app.focus, Focus::Article);
    // Esc then j in one read: crossterm reports Alt+j.
    let alt_j = Msg::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::ALT));
    app.update(alt_j);
    assert_eq!(app.focus, Focus::Headlines, "Esc went back");
    assert_eq!(app.headlines_cursor.selected, 1, "then j moved down");
    assert!(app.reader.is_none());
}

#[test]
fn auto_refresh_takes_the_feeds_whose_own_interval_passed_and_never_a_disabled_one() {
    let mut app = sample_app(100, 30);
    let ten_minutes_ago = chrono::Utc::now() - chrono::Duration::minutes(10);
    for (id, minutes, enabled) in [(0, Some(5), true), (1, Some(0), true)] {
        let feed = app.store.feed_mut(FeedId(id)).unwrap();
        feed.refresh_minutes = minutes;
        feed.enabled = enabled;
        feed.status = FeedStatus::Ok {
            at: ten_minutes_ago,
        };
    }
    // Feed 0 every 5 minutes (due), feed 1 never by itself.
    assert_eq!(
        app.update(Msg::AutoRefresh),
        vec![Effect::Refresh(jobs(&app, &[0]))]
    );
    // A disabled feed is never requested, not even by R.
    app.update(Msg::Feed(FeedUpdate::NotModified { feed: FeedId(0) }));
    app.store.feed_mut(FeedId(1)).unwrap().enabled = false;
    assert_eq!(app.update(ch('R')), vec![Effect::Refresh(jobs(&app, &[0]))]);
}

#[test]
fn footnotes_by_number_open_and_copy_and_y_copies_the_article_link() {
    let mut app = sample_app(100, 30);
    let mut linked = article(1, "t9", "Links inside", 9);
    linked.body = tidings::model::Body::new(
        None,
        Some(
            "<p>See <a href=\"https://one.example/a\">one</a>, \
             <a href=\"javascript:alert(1)\">bad</a> and <a href=\"https://two.example/b\">two</a>.</p>"
                .into(),
        ),
    );
    app.update(loaded(1, vec![linked]));
    open_first_article(&mut app);
    assert_eq!(app.reader.as_ref().unwrap().id.0, "t9");
    // The body's footnotes are numbered as the text shows them; a script link is not one.
    let shown = joined(&app);
    assert!(shown.contains("two [2]"), "{shown}");
    let effects = [ch('2'), ch('o')]
        .into_iter()
        .flat_map(|m| app.update(m))
        .collect::<Vec<_>>();
    assert_eq!(
        effects,
        vec![Effect::OpenLink("https://two.example/b".into())]
    );
    let effects = [ch('1'), ch('y')]
        .into_iter()
        .flat_map(|m| app.update(m))
        .collect::<Vec<_>>();
    assert_eq!(
        effects,
        vec![Effect::CopyToClipboard("https://one.example/a".into())]
    );
    // No count: the article's own link; a footnote that does not exist says so and does nothing.
    assert_eq!(
        app.update(ch('y')),
        vec![Effect::CopyToClipboard("https://example.org/t9".into())]
    );
    let effects = [ch('7'), ch('o')]
        .into_iter()
        .flat_map(|m| app.update(m))
        .collect::<Vec<_>>();
    assert!(effects.is_empty());
    assert!(app
        .status
        .as_ref()
        .unwrap()
        .text
        .contains("no web link [7]"));
}

fn mouse(kind: crossterm::event::MouseEventKind, column: u16, row: u16) -> Msg {
    Msg::Mouse(crossterm::event::MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

#[test]
fn the_mouse_selects_opens_scrolls_and_follows_footnotes() {
    use crossterm::event::{MouseButton, MouseEventKind};
    let mut app = sample_app(100, 30);
    let main = app.panes().main;
    let (x, first_row) = (main.x + 5, main.y + 1);
    let click = MouseEventKind::Down(MouseButton::Left);
    // A click on the second headline selects it and focuses the pane; nothing is read.
    app.update(mouse(click, x, first_row + 1));
    assert_eq!(app.focus, Focus::Headlines);
    assert_eq!(app.headlines_cursor.selected, 1);
    assert_eq!(app.store.total_counts().unread, 5);
    // The wheel over the headlines moves the selection, still marking nothing read.
    app.update(mouse(MouseEventKind::ScrollDown, x, first_row));
    assert_eq!(app.headlines_cursor.selected, 4);
    assert_eq!(app.store.total_counts().unread, 5);
    // A double click opens the headline under the pointer.
    app.update(mouse(click, x, first_row));
    app.update(mouse(click, x, first_row));
    assert_eq!(app.focus, Focus::Article);
    // The wheel over the article scrolls it.
    app.update(mouse(MouseEventKind::ScrollDown, x, first_row + 3));
    assert_eq!(app.reader.as_ref().unwrap().scroll, 3);
    // A click on a feed row in the feeds pane selects that entry.
    let feeds = app.panes().feeds.expect("side by side at 100 columns");
    app.update(mouse(click, feeds.x + 2, feeds.y + 1 + 5));
    assert_eq!(app.focus, Focus::Feeds);
    assert_eq!(app.feeds_cursor.selected, 5);
}

#[test]
fn a_click_on_a_footnote_marker_opens_its_link() {
    use crossterm::event::{MouseButton, MouseEventKind};
    let mut app = sample_app(100, 30);
    let mut linked = article(1, "t9", "Links inside", 9);
    linked.body = tidings::model::Body::new(
        None,
        Some("<p>See <a href=\"https://one.example/a\">the source</a>.</p>".into()),
    );
    app.update(loaded(1, vec![linked]));
    open_first_article(&mut app);
    let reader = app.reader.as_ref().unwrap();
    let (row, line) = reader
        .lines()
        .iter()
        .enumerate()
        .find(|(_, l)| l.text.contains("[1]"))
        .expect("the marker is shown");
    let column =
        unicode_width::UnicodeWidthStr::width(&line.text[..line.text.find("[1]").unwrap()]);
    let main = app.panes().main;
    let at = |c: usize| {
        mouse(
            MouseEventKind::Down(MouseButton::Left),
            main.x + 1 + c as u16,
            main.y + 1 + row as u16,
        )
    };
    assert_eq!(
        app.update(at(column + 1)),
        vec![Effect::OpenLink("https://one.example/a".into())]
    );
    // As with `1o`, the status bar says what is being opened.
    assert_eq!(
        app.status.as_ref().map(|s| s.text.as_str()),
        Some("opening https://one.example/a")
    );
    assert!(
        app.update(at(0)).is_empty(),
        "a click beside it opens nothing"
    );
}
