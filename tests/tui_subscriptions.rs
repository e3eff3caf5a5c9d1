//! `a` and `d` in the reader: the flows through `App::update` (prompt → effect → message → state), the
//! pick list and the confirmation drawn into a `TestBackend`, and the real loop and runner against a
//! loopback server, with the config file on disk checked afterwards.

mod builders;
mod e2e_common;
mod support;

use builders::*;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{Response, TestServer};
use tidings::app::{App, ConfigAdd, Effect, Msg, PromptKind};
use tidings::config::NewFeed;
use tidings::feed::discover::FoundFeed;
use tidings::feed::http::HttpClient;
use tidings::model::FeedId;
use tidings::runtime::Runner;

/// Generous: a debug build on two busy cores; only decides how long a real failure takes to report.
const SOON: Duration = Duration::from_secs(30);

fn config_path() -> PathBuf {
    PathBuf::from("/tmp/tidings-test/feeds.toml")
}

/// The sample app, writing subscriptions to `config_path()` (the effects are only inspected here).
fn app() -> App {
    sample_app(100, 30).with_config_path(Some(config_path()))
}

fn type_text(app: &mut App, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        effects.extend(app.update(ch(c)));
    }
    effects
}

fn found(url: &str, title: &str) -> FoundFeed {
    FoundFeed {
        url: url::Url::parse(url).expect("test URL"),
        title: Some(title.into()),
    }
}

/// `a`, the URL, Enter: the discovery effect's generation.
fn ask_to_add(app: &mut App, url: &str) -> u64 {
    assert!(app.update(ch('a')).is_empty());
    assert_eq!(
        app.finding.prompt.as_ref().map(|p| p.kind.clone()),
        Some(PromptKind::AddFeed)
    );
    assert!(type_text(app, url).is_empty(), "typing asks for nothing");
    match app.update(key(KeyCode::Enter)).as_slice() {
        [Effect::DiscoverFeeds {
            generation,
            url: asked,
        }] => {
            assert_eq!(asked, url);
            *generation
        }
        other => panic!("expected one discovery, got {other:?}"),
    }
}

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[test]
fn a_with_one_feed_found_writes_it_lists_it_and_fetches_it_at_once() {
    let mut app = app();
    let generation = ask_to_add(&mut app, "http://127.0.0.1:9/blog/");
    assert!(app.finding.prompt.is_none());
    let effects = app.update(Msg::Discovered {
        generation,
        result: Ok(vec![found("http://127.0.0.1:9/blog/feed.xml", "A Blog")]),
    });
    assert_eq!(
        effects,
        vec![Effect::AddToConfig {
            path: config_path(),
            feed: NewFeed {
                url: "http://127.0.0.1:9/blog/feed.xml".into(),
                name: Some("A Blog".into()),
                tags: Vec::new(),
            },
        }]
    );
    assert_eq!(
        app.store.listed_feeds().count(),
        2,
        "nothing listed before the file says so"
    );
    let effects = app.update(Msg::FeedAdded(Ok(ConfigAdd::Added {
        url: "http://127.0.0.1:9/blog/feed.xml".into(),
        name: Some("A Blog".into()),
    })));
    let new = FeedId(2);
    match effects.as_slice() {
        [Effect::Refresh(jobs)] => {
            assert_eq!(jobs.len(), 1);
            assert_eq!(jobs[0].feed, new);
            assert_eq!(jobs[0].url.as_str(), "http://127.0.0.1:9/blog/feed.xml");
        }
        other => panic!("expected a refresh of the new feed, got {other:?}"),
    }
    assert_eq!(
        app.store.feed(new).map(|f| f.display_name()),
        Some("A Blog")
    );
    assert!(app.refresh.in_flight.contains(&new));
    assert_eq!(
        app.selected_entry(),
        Some(&tidings::app::FeedEntry::Feed(new))
    );
    app.update(loaded(
        2,
        vec![article(2, "b1", "First post on the blog", 6)],
    ));
    assert_eq!(app.store.counts(new).total, 1);
    let screen = render(&app).join("\n");
    assert!(screen.contains("A Blog"), "{screen}");
    assert!(screen.contains("First post on the blog"), "{screen}");
}

#[test]
fn a_with_several_feeds_found_offers_a_pick_list() {
    let mut app = app();
    let generation = ask_to_add(&mut app, "http://127.0.0.1:9/site/");
    let effects = app.update(Msg::Discovered {
        generation,
        result: Ok(vec![
            found("http://127.0.0.1:9/site/rss.xml", "Site (RSS)"),
            found("http://127.0.0.1:9/site/atom.xml", "Site (Atom)"),
            found("http://127.0.0.1:9/site/comments.xml", "Site comments"),
        ]),
    });
    assert!(effects.is_empty());
    let pick = app.subscriptions.pick.as_ref().expect("a pick list");
    assert_eq!(pick.candidates.len(), 3);
    // The mouse does not reach the panes under the list.
    let (focus, selected) = (app.focus, app.feeds_cursor.selected);
    let feeds = app.panes().feeds.expect("side by side");
    for kind in [
        crossterm::event::MouseEventKind::Down(crossterm::event::MouseButton::Left),
        crossterm::event::MouseEventKind::ScrollDown,
    ] {
        let effects = app.update(Msg::Mouse(crossterm::event::MouseEvent {
            kind,
            column: feeds.x + 2,
            row: feeds.y + 3,
            modifiers: crossterm::event::KeyModifiers::NONE,
        }));
        assert!(effects.is_empty());
    }
    assert_eq!((app.focus, app.feeds_cursor.selected), (focus, selected));
    assert!(app.subscriptions.pick.is_some());
    // Keys go to the list: j moves within it, not the feeds pane.
    let feeds_cursor = app.feeds_cursor.selected;
    assert!(app.update(ch('j')).is_empty());
    assert!(app.update(ch('j')).is_empty());
    assert!(app.update(ch('k')).is_empty());
    assert_eq!(app.feeds_cursor.selected, feeds_cursor);
    let effects = app.update(key(KeyCode::Enter));
    assert!(app.subscriptions.pick.is_none());
    match effects.as_slice() {
        [Effect::AddToConfig { feed, .. }] => {
            assert_eq!(feed.url, "http://127.0.0.1:9/site/atom.xml");
            assert_eq!(feed.name.as_deref(), Some("Site (Atom)"));
        }
        other => panic!("expected the second feed added, got {other:?}"),
    }

    // Esc cancels a list: nothing is written.
    let generation = ask_to_add(&mut app, "http://127.0.0.1:9/other/");
    app.update(Msg::Discovered {
        generation,
        result: Ok(vec![
            found("http://127.0.0.1:9/other/a.xml", "A"),
            found("http://127.0.0.1:9/other/b.xml", "B"),
        ]),
    });
    assert!(app.update(key(KeyCode::Esc)).is_empty());
    assert!(app.subscriptions.pick.is_none());
    assert_eq!(status(&app), "nothing added");
}

#[test]
fn nothing_found_bad_urls_stale_replies_and_known_feeds_change_nothing() {
    let mut app = app();
    // An empty Enter just closes the prompt.
    app.update(ch('a'));
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    assert!(app.finding.prompt.is_none() && app.status.is_none());
    // Not a URL: said so, no request.
    app.update(ch('a'));
    type_text(&mut app, "example dot org");
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    assert!(app.status.as_ref().is_some_and(|s| s.is_error));
    assert!(status(&app).contains("expected an http(s):// URL"));

    // Already in the config: said so, no request.
    app.update(ch('a'));
    type_text(&mut app, "http://127.0.0.1:9/1.xml");
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    assert!(
        status(&app).contains("already in the config (Tech Daily)"),
        "{}",
        status(&app)
    );

    // Nothing found: the error in the status bar, nothing written.
    let generation = ask_to_add(&mut app, "http://127.0.0.1:9/empty/");
    let effects = app.update(Msg::Discovered {
        generation,
        result: Err("no feed found at http://127.0.0.1:9/empty/".into()),
    });
    assert!(effects.is_empty());
    assert!(app.status.as_ref().is_some_and(|s| s.is_error));
    assert!(status(&app).contains("no feed found") && status(&app).contains("unchanged"));

    // A stale answer (an older request) is dropped.
    let first = ask_to_add(&mut app, "http://127.0.0.1:9/one/");
    let second = ask_to_add(&mut app, "http://127.0.0.1:9/two/");
    assert_ne!(first, second);
    let effects = app.update(Msg::Discovered {
        generation: first,
        result: Ok(vec![found("http://127.0.0.1:9/one/feed", "One")]),
    });
    assert!(effects.is_empty(), "a superseded discovery adds nothing");

    // The config cannot be written: said so, nothing listed.
    let effects = app.update(Msg::FeedAdded(Err(
        "cannot write /tmp/tidings-test/feeds.toml: permission denied".into(),
    )));
    assert!(effects.is_empty());
    assert!(status(&app).contains("permission denied"));
    assert_eq!(app.store.listed_feeds().count(), 2);

    // The file has it already: nothing changes.
    app.update(Msg::FeedAdded(Ok(ConfigAdd::AlreadyPresent(
        "http://127.0.0.1:9/x.xml".into(),
    ))));
    assert!(status(&app).contains("already in the config"));
    assert_eq!(app.store.listed_feeds().count(), 2);
}

#[test]
fn without_a_config_file_a_and_d_say_why_and_ask_nothing() {
    let mut app = sample_app(100, 30);
    assert!(app.update(ch('a')).is_empty());
    assert!(app.finding.prompt.is_none());
    assert!(status(&app).contains("--config"));
}

/// Select Tech Daily (the last row of the feeds pane) and press `d`.
fn ask_to_remove_tech_daily(app: &mut App) {
    app.update(ch('G'));
    assert_eq!(
        app.selected_entry(),
        Some(&tidings::app::FeedEntry::Feed(FeedId(1)))
    );
    assert!(app.update(ch('d')).is_empty());
    assert_eq!(
        app.finding.prompt.as_ref().map(|p| p.label()),
        Some("Remove \"Tech Daily\" and its unstarred articles? y/n ".to_string())
    );
}

#[test]
fn d_asks_then_removes_the_feed_from_the_config_the_cache_and_every_view() {
    let mut app = sample_app_with_cache(100, 30, true).with_config_path(Some(config_path()));
    let all_before = app.store.total_counts().total;
    ask_to_remove_tech_daily(&mut app);
    let effects = app.update(ch('y'));
    assert_eq!(
        effects,
        vec![Effect::RemoveFromConfig {
            path: config_path(),
            feed: FeedId(1),
            url: "http://127.0.0.1:9/1.xml".into(),
        }]
    );
    // Nothing leaves the view until the file is written.
    assert_eq!(app.store.listed_feeds().count(), 2);
    let effects = app.update(Msg::FeedRemoved {
        feed: FeedId(1),
        result: Ok(()),
    });
    assert_eq!(
        effects,
        vec![Effect::ForgetFeed {
            url: "http://127.0.0.1:9/1.xml".into(),
            name: "Tech Daily".into(),
        }]
    );
    assert!(!app
        .entries
        .contains(&tidings::app::FeedEntry::Feed(FeedId(1))));
    assert!(!app
        .entries
        .contains(&tidings::app::FeedEntry::Tag("tech".into())));
    assert_eq!(app.store.total_counts().total, all_before - 2);
    let rows = render(&app);
    let (panes, status_row) = rows.split_at(rows.len() - 1);
    let panes = panes.join("\n");
    assert!(!panes.contains("Tech Daily"), "{panes}");
    assert!(!panes.contains("Rust 2.0 announced"), "{panes}");
    assert!(status_row[0].contains("1 feeds"), "{}", status_row[0]);
    assert!(
        status_row[0].contains("removed Tech Daily"),
        "{}",
        status_row[0]
    );

    // Refresh-all never asks for it; a late reply for it is dropped.
    match app.update(ch('R')).as_slice() {
        [Effect::Refresh(jobs)] => assert!(jobs.iter().all(|j| j.feed != FeedId(1))),
        other => panic!("expected a refresh, got {other:?}"),
    }
    let effects = app.update(loaded(1, sample_articles(1)));
    assert!(effects.is_empty(), "no save for a removed feed");
    assert_eq!(app.store.total_counts().total, all_before - 2);

    app.update(Msg::FeedForgotten {
        name: "Tech Daily".into(),
        result: Ok(2),
    });
    assert!(status(&app).contains("2 unstarred article(s) dropped"));
}

#[test]
fn d_answered_no_or_failing_to_write_keeps_the_feed() {
    let mut app = app();
    ask_to_remove_tech_daily(&mut app);
    assert!(app.update(ch('n')).is_empty());
    assert_eq!(status(&app), "nothing removed");
    ask_to_remove_tech_daily(&mut app);
    app.update(ch('y'));
    let effects = app.update(Msg::FeedRemoved {
        feed: FeedId(1),
        result: Err("cannot replace /tmp/tidings-test/feeds.toml: read-only file system".into()),
    });
    assert!(effects.is_empty());
    assert!(app.status.as_ref().is_some_and(|s| s.is_error));
    assert!(status(&app).contains("read-only file system"));
    assert_eq!(app.store.listed_feeds().count(), 2);
    assert!(app
        .entries
        .contains(&tidings::app::FeedEntry::Feed(FeedId(1))));
    // `d` on something that is not a feed says what it acts on.
    app.update(ch('g'));
    assert!(app.update(ch('d')).is_empty());
    assert!(app.finding.prompt.is_none());
    assert!(status(&app).contains("feed under the cursor"));
}

#[test]
fn remapped_add_and_remove_keys_drive_the_same_flows() {
    let text = "[keys]\nadd_feed = \"+\"\nremove_feed = [\"x\", \"Delete\"]\n";
    let config = tidings::config::parse(text, None).expect("config");
    let keymap = tidings::app::keys::Keymap::from_entries(&config.keys).expect("keymap");
    let mut app = app();
    app.keymap = keymap;
    assert!(app.update(ch('a')).is_empty());
    assert!(app.finding.prompt.is_none(), "a no longer adds");
    app.update(ch('+'));
    assert_eq!(
        app.finding.prompt.as_ref().map(|p| p.kind.clone()),
        Some(PromptKind::AddFeed)
    );
    app.update(key(KeyCode::Esc));
    app.update(ch('G'));
    app.update(key(KeyCode::Delete));
    assert!(matches!(
        app.finding.prompt.as_ref().map(|p| &p.kind),
        Some(PromptKind::ConfirmRemoveFeed { .. })
    ));
    let help = app.keymap.help_rows();
    assert!(help.contains(&("+".into(), "add a feed (URL of a feed or a web page)")));
    assert!(help.contains(&(
        "x Delete".into(),
        "remove the feed under the cursor (asks first)"
    )));
}

#[test]
fn the_pick_list_and_the_confirmation_are_drawn() {
    let mut app = app();
    let generation = ask_to_add(&mut app, "http://127.0.0.1:9/site/");
    app.update(Msg::Discovered {
        generation,
        result: Ok(vec![
            found("http://127.0.0.1:9/site/rss.xml", "Site \u{1b}[31m(RSS)"),
            found("http://127.0.0.1:9/site/atom.xml", "Site (Atom)"),
        ]),
    });
    app.update(ch('j'));
    let screen = render(&app);
    let joined = screen.join("\n");
    assert!(joined.contains("2 feeds found"), "{joined}");
    assert!(
        joined.contains("Site (RSS)  http://127.0.0.1:9/site/rss.xml"),
        "{joined}"
    );
    assert!(
        joined.contains("Site (Atom)  http://127.0.0.1:9/site/atom.xml"),
        "{joined}"
    );
    assert!(
        !joined.chars().any(|c| c.is_control() && c != '\n'),
        "{joined:?}"
    );
    assert!(screen
        .iter()
        .all(|row| tidings::text::display_width(row) == 100));

    app.update(key(KeyCode::Esc));
    ask_to_remove_tech_daily(&mut app);
    let screen = render(&app);
    let bottom = screen[screen.len() - 2..].join("\n");
    assert!(
        bottom.contains("Remove \"Tech Daily\" and its unstarred articles? y/n"),
        "{bottom}"
    );
    assert!(bottom.contains("y removes it"), "{bottom}");

    app.update(ch('n'));
    app.update(ch('?'));
    let help = render(&app).join("\n");
    assert!(help.contains("add a feed"), "{help}");
    assert!(help.contains("remove the feed under the cursor"), "{help}");
}

/// A page that announces one feed, and that feed, on a loopback server.
fn blog_server() -> TestServer {
    let page = "<!doctype html><html><head><title>Loopback blog</title>\
        <link rel=\"alternate\" type=\"application/rss+xml\" href=\"/blog/feed.xml\"></head>\
        <body><p>Hello.</p></body></html>";
    TestServer::start([
        (
            "/one.xml",
            Response::ok(
                e2e_common::rss_feed("First Feed", "first", 2, 1),
                "application/rss+xml",
            ),
        ),
        ("/blog/", Response::ok(page, "text/html; charset=utf-8")),
        (
            "/blog/feed.xml",
            Response::ok(
                e2e_common::rss_feed("Loopback Blog", "blog", 3, 1),
                "application/rss+xml",
            ),
        ),
    ])
}

fn press(c: char) -> std::io::Result<Event> {
    Ok(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    )))
}

/// Open `config` the way the reader does (its store, its settings, its path; no cache) and run the real
/// loop and runner over `keys` into a TestBackend until `done` says the outside world shows the result
/// (or `SOON` passes). Built by hand rather than through `Session::open`, whose signature is changing.
async fn run_keys(
    config: &std::path::Path,
    keys: Vec<std::io::Result<Event>>,
    mut done: impl FnMut() -> bool,
) -> App {
    let loaded = tidings::config::load(config).expect("the config loads");
    let app = App::new(
        tidings::session::store_for(&loaded),
        loaded.settings.clone(),
    )
    .with_config_path(loaded.path.clone());
    let client = HttpClient::new(tidings::session::limits(&loaded.settings)).expect("client");
    let (runner, inbox) = Runner::new(Arc::new(client), 4, None);
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    let events = futures_util::StreamExt::chain(
        futures_util::stream::iter(keys),
        futures_util::stream::pending(),
    );
    let stop = async move {
        let start = Instant::now();
        while !done() && start.elapsed() < SOON {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tidings::runtime::run_loop(&mut terminal, events, app, &runner, inbox, stop)
        .await
        .expect("the loop ends cleanly")
}

#[tokio::test]
async fn a_through_the_runner_discovers_on_loopback_and_the_config_keeps_its_comments() {
    let server = blog_server();
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("feeds.toml");
    let original = format!(
        "# my feeds, by hand\n[settings]\ntimeout_seconds = 5 # short\n\n\
         # the first one\n[[feed]]\nurl = \"{}\" # keep this\nname = \"First Feed\"\n",
        server.url("/one.xml")
    );
    std::fs::write(&config, &original).expect("write config");
    let page = server.url("/blog/");
    let mut keys = vec![press('a')];
    keys.extend(page.chars().map(press));
    keys.push(Ok(Event::Key(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    ))));
    let feed_url = server.url("/blog/feed.xml");
    let app = run_keys(&config, keys, || {
        // Discovery fetched the feed once; the refresh asked at once fetches it again.
        std::fs::read_to_string(&config).is_ok_and(|t| t.contains(&feed_url))
            && server.hits("/blog/feed.xml") >= 2
    })
    .await;
    let written = std::fs::read_to_string(&config).expect("config");
    assert!(
        written.starts_with(&original),
        "the old text is kept as it was:\n{written}"
    );
    assert!(
        written.contains(&format!("url = \"{feed_url}\"")),
        "{written}"
    );
    assert!(written.contains("name = \"Loopback Blog\""), "{written}");
    assert!(
        server.hits("/blog/feed.xml") >= 2,
        "fetched at once after adding"
    );
    let added = app
        .store
        .listed_feeds()
        .find(|f| f.url == feed_url)
        .expect("the new feed is listed");
    assert_eq!(added.display_name(), "Loopback Blog");
    // The file loads again, with both feeds.
    let reloaded = tidings::config::load(&config).expect("still a valid config");
    assert_eq!(reloaded.feeds.len(), 2);
}

#[tokio::test]
async fn d_through_the_runner_takes_the_entry_out_and_keeps_other_comments() {
    let server = blog_server();
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("feeds.toml");
    let blog = server.url("/blog/feed.xml");
    std::fs::write(
        &config,
        format!(
            "# my feeds\n[[feed]]\nurl = \"{}\" # first, keep\n\n[[feed]]\nurl = \"{blog}\"\nname = \"Loopback Blog\"\n",
            server.url("/one.xml")
        ),
    )
    .expect("write config");
    // G: the last row of the feeds pane is the last feed.
    let keys = vec![press('G'), press('d'), press('y')];
    // The app's side of the reply is covered above; its view may lag the file by a message here.
    run_keys(&config, keys, || {
        std::fs::read_to_string(&config).is_ok_and(|t| !t.contains(&blog))
    })
    .await;
    let written = std::fs::read_to_string(&config).expect("config");
    assert!(!written.contains(&blog), "{written}");
    assert!(
        written.contains("# my feeds") && written.contains("# first, keep"),
        "{written}"
    );
    assert!(written.contains(&server.url("/one.xml")), "{written}");
}
