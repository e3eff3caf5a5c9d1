//! The real event loop, headless: key presses, a key release, mouse clicks and resizes go through `run_loop`
//! into a `TestBackend`, and the screen it drew is what a user would see.

mod builders;

use builders::*;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::sync::Arc;
use std::time::Duration;
use tidings::app::{App, Focus};
use tidings::feed::http::{HttpClient, Limits};
use tidings::model::FeedId;
use tidings::runtime::{run_loop, Runner};

fn press(code: KeyCode) -> std::io::Result<Event> {
    Ok(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn release(code: KeyCode) -> std::io::Result<Event> {
    let mut key = KeyEvent::new(code, KeyModifiers::NONE);
    key.kind = KeyEventKind::Release;
    Ok(Event::Key(key))
}

/// The sample app with its feeds disabled, so the start-up refresh asks for nothing and every
/// change on screen comes from the events.
fn offline_app() -> App {
    let mut app = sample_app(100, 30);
    for id in [FeedId(0), FeedId(1)] {
        if let Some(feed) = app.store.feed_mut(id) {
            feed.enabled = false;
        }
    }
    app
}

fn runner() -> (Runner, tidings::runtime::Inbox) {
    let limits = Limits {
        timeout: Duration::from_secs(5),
        max_bytes: 1_000_000,
    };
    let client = Arc::new(HttpClient::new(limits).expect("client"));
    Runner::new(client, 4, None)
}

fn screen(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Run the loop over `events` on a `width`×`height` TestBackend; it ends when the events do.
async fn drive(
    app: App,
    width: u16,
    height: u16,
    events: Vec<std::io::Result<Event>>,
) -> (App, Terminal<TestBackend>) {
    let (runner, inbox) = runner();
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    let app = run_loop(
        &mut terminal,
        futures_util::stream::iter(events),
        app,
        &runner,
        inbox,
        std::future::pending(),
    )
    .await
    .expect("the loop ends cleanly");
    (app, terminal)
}

#[tokio::test]
async fn keys_through_the_loop_open_an_article_and_releases_are_ignored() {
    let events = vec![
        press(KeyCode::Tab),
        // A release (Windows terminals send them) must not move the cursor a second time.
        press(KeyCode::Char('j')),
        release(KeyCode::Char('j')),
        press(KeyCode::Enter),
    ];
    let (app, terminal) = drive(offline_app(), 100, 30, events).await;
    assert_eq!(app.focus, Focus::Article);
    let shown = screen(&terminal);
    // Headlines newest first: t2 (day 5), t1 (day 4), w1 (day 3); j moved once, to t1.
    assert!(
        shown.contains("New chip doubles battery life"),
        "the second headline is open:\n{shown}"
    );
    assert!(shown.contains("min read"), "the article header:\n{shown}");
    assert!(!shown.contains("Rust 2.0 announced ·"), "{shown}");
}

#[tokio::test]
async fn a_resize_rewraps_the_open_article_and_q_quits() {
    let (app, _) = drive(
        offline_app(),
        100,
        30,
        vec![press(KeyCode::Tab), press(KeyCode::Enter)],
    )
    .await;
    assert_eq!(app.focus, Focus::Article);
    // The same app in a narrower terminal: the loop's first message is the new size, and an
    // explicit resize event after it re-wraps again.
    let (app, terminal) = drive(
        app,
        50,
        20,
        vec![Ok(Event::Resize(50, 20)), press(KeyCode::Char('j'))],
    )
    .await;
    assert_eq!((app.width, app.height), (50, 20));
    let shown = screen(&terminal);
    for line in shown.lines() {
        assert!(unicode_width::UnicodeWidthStr::width(line) <= 50, "{line}");
    }
    assert!(
        shown.contains("Paragraph"),
        "the body, wrapped narrow:\n{shown}"
    );
    let reader = app.reader.as_ref().expect("still reading");
    assert!(reader.lines().iter().all(|l| l.text.chars().count() <= 50));
    assert_eq!(reader.scroll, 1, "j scrolled one line");

    // q goes back, then quits at the top: the loop returns before the events run out.
    let keys = vec![
        press(KeyCode::Char('q')),
        press(KeyCode::Char('q')),
        press(KeyCode::Char('q')),
        press(KeyCode::Char('j')),
    ];
    let (app, _) = drive(app, 50, 20, keys).await;
    assert!(app.should_quit);
}

#[tokio::test]
async fn a_click_through_the_loop_selects_the_headline_enter_opens() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let app = offline_app();
    let main = app.panes().main;
    let click = |row: u16| {
        Ok(Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: main.x + 5,
            row,
            modifiers: KeyModifiers::NONE,
        }))
    };
    // A click selects the second headline and focuses its pane; Enter then opens it. (Not a double
    // click: that depends on two clicks landing within 400 ms of real time.)
    let first_row = main.y + 1;
    let (app, terminal) = drive(
        app,
        100,
        30,
        vec![click(first_row + 1), press(KeyCode::Enter)],
    )
    .await;
    assert_eq!(app.focus, Focus::Article);
    let shown = screen(&terminal);
    assert!(
        shown.contains("New chip doubles battery life"),
        "the clicked headline is open:\n{shown}"
    );
}
