//! Builders for stores, articles and apps used by the UI and behaviour tests.
#![allow(dead_code)]

use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use tidings::app::{App, Msg};
use tidings::config::Settings;
use tidings::model::{Article, ArticleId, Feed, FeedId, FeedUpdate, ParsedFeed, Validators};
use tidings::store::Store;

/// A typical long article: headline, standfirst, then a dozen long paragraphs.
pub fn long_body() -> String {
    let mut html = String::from(
        "<p><strong>A one-paragraph standfirst that sets the scene for the reader.</strong></p>",
    );
    for i in 0..12 {
        html.push_str(&format!(
            "<p>Paragraph {i} begins here and carries on with enough ordinary words to wrap across several \
             lines of a terminal window, mentioning councils, budgets, rainfall, satellites and the \
             occasional unusually-long-hyphenated-compound to make wrapping interesting number{i}.</p>"
        ));
    }
    html
}

/// An article in `feed` published on `day` of January 2026.
pub fn article(feed: usize, id: &str, title: &str, day: u32) -> Article {
    Article {
        link: Some(format!("https://example.org/{id}")),
        authors: vec!["Ada Reporter".into()],
        published: Some(Utc.with_ymd_and_hms(2026, 1, day, 9, 30, 0).unwrap()),
        body: tidings::model::Body::new(Some("<p>Summary.</p>".into()), Some(long_body())),
        categories: vec!["politics".into()],
        comments: Some(42),
        ..Article::new(
            ArticleId(id.into()),
            FeedId(feed),
            title.into(),
            Utc.with_ymd_and_hms(2026, 1, 20, 0, 0, 0).unwrap(),
        )
    }
}

/// A feed entry as the config would create it.
pub fn feed(i: usize, name: &str, tags: &[&str]) -> Feed {
    Feed {
        configured_name: Some(name.into()),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        ..Feed::new(FeedId(i), format!("http://127.0.0.1:9/{i}.xml"))
    }
}

/// A Loaded update for `feed`.
pub fn loaded(feed: usize, articles: Vec<Article>) -> Msg {
    Msg::Feed(FeedUpdate::Loaded {
        feed: FeedId(feed),
        parsed: ParsedFeed {
            title: None,
            site: None,
            articles,
            skipped: 0,
        },
        validators: Validators::default(),
    })
}

/// An app with two feeds: "World News" (3 articles) and "Tech Daily" (2 articles), at `width`×`height`.
pub fn sample_app(width: u16, height: u16) -> App {
    sample_app_with_cache(width, height, false)
}

/// `sample_app`, told whether a cache takes its saves (`App::with_cache`).
pub fn sample_app_with_cache(width: u16, height: u16, cache: bool) -> App {
    let store = Store::new(vec![
        feed(0, "World News", &["world"]),
        feed(1, "Tech Daily", &["tech"]),
    ]);
    let mut app = App::new(store, Settings::default()).with_cache(cache);
    app.update(Msg::Resize { width, height });
    app.update(loaded(0, sample_articles(0)));
    app.update(loaded(1, sample_articles(1)));
    app
}

/// The articles `sample_app` loads into feed 0 ("World News") or 1 ("Tech Daily").
pub fn sample_articles(feed: usize) -> Vec<Article> {
    match feed {
        0 => vec![
            article(0, "w1", "Parliament passes the budget", 3),
            article(0, "w2", "Floods recede in the north", 2),
            article(0, "w3", "Elections called for spring", 1),
        ],
        _ => vec![
            article(1, "t1", "New chip doubles battery life", 4),
            article(1, "t2", "Rust 2.0 announced", 5),
        ],
    }
}

/// A key press.
pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent {
        code,
        modifiers: KeyModifiers::NONE,
        kind: KeyEventKind::Press,
        state: KeyEventState::NONE,
    })
}

/// A character key press.
pub fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

/// Render the app into a TestBackend of its size and return the screen rows.
pub fn render(app: &App) -> Vec<String> {
    let backend = TestBackend::new(app.width, app.height);
    let mut terminal = Terminal::new(backend).expect("test backend");
    terminal.draw(|f| tidings::ui::draw(f, app)).expect("draw");
    let buffer = terminal.backend().buffer().clone();
    (0..buffer.area.height)
        .map(|y| {
            let mut row = String::new();
            let mut x = 0;
            while x < buffer.area.width {
                let cell = &buffer[(x, y)];
                row.push_str(cell.symbol());
                x += 1;
            }
            row
        })
        .collect()
}
