//! Views rendered into ratatui's TestBackend: what a user sees, at wide and narrow sizes.

mod builders;

use builders::*;
use crossterm::event::KeyCode;
use tidings::app::{Focus, Msg};
use tidings::text::display_width;
use unicode_width::UnicodeWidthStr;

fn screen_text(rows: &[String]) -> String {
    rows.join("\n")
}

#[test]
fn wide_layout_shows_feeds_counts_and_headlines() {
    let mut app = sample_app(100, 30);
    let rows = render(&app);
    let text = screen_text(&rows);
    assert!(text.contains("All articles"), "{text}");
    assert!(text.contains("World News"), "{text}");
    assert!(text.contains("3/3"), "feed counts shown: {text}");
    assert!(text.contains("5/5"), "total counts shown: {text}");
    // All articles view: newest first, with feed names.
    assert!(text.contains("Rust 2.0 announced"), "{text}");
    assert!(text.contains("Tech Daily"), "{text}");
    assert!(
        rows.last()
            .unwrap()
            .contains("2 feeds · 5 articles · 5 unread"),
        "{text}"
    );

    // Select "World News": only its headlines.
    for _ in 0..4 {
        app.update(ch('j'));
    }
    let text = screen_text(&render(&app));
    assert!(text.contains("Parliament passes the budget"), "{text}");
    assert!(!text.contains("Rust 2.0 announced"), "{text}");
}

#[test]
fn narrow_layout_shows_one_pane_at_a_time() {
    let mut app = sample_app(40, 12);
    let text = screen_text(&render(&app));
    assert!(text.contains("Feeds"), "{text}");
    assert!(
        !text.contains("Rust 2.0"),
        "headlines hidden in narrow feeds view: {text}"
    );
    app.update(key(KeyCode::Enter));
    assert_eq!(app.focus, Focus::Headlines);
    let text = screen_text(&render(&app));
    assert!(text.contains("Rust 2.0"), "{text}");
    for row in render(&app) {
        assert_eq!(row.width(), 40, "row fits the screen: {row:?}");
    }
}

#[test]
fn article_view_shows_header_and_wraps_without_losing_words() {
    for (width, height) in [(100u16, 30u16), (40, 12)] {
        let mut app = sample_app(width, height);
        app.update(key(KeyCode::Tab));
        app.update(key(KeyCode::Enter));
        assert_eq!(app.focus, Focus::Article);
        let text = screen_text(&render(&app));
        assert!(text.contains("Rust 2.0"), "title shown: {text}");
        assert!(text.contains("Ada Reporter"), "author shown: {text}");
        let header: Vec<&str> = app
            .reader
            .as_ref()
            .unwrap()
            .lines()
            .iter()
            .take(12)
            .map(|l| l.text.as_str())
            .collect();
        assert!(
            header.iter().any(|l| l.contains("42 comments")),
            "comment count in header: {header:?}"
        );
        assert!(
            header.iter().any(|l| l.contains("min read")),
            "reading time in header: {header:?}"
        );

        // Collect every body line by scrolling through the whole article.
        let reader = app.reader.as_ref().unwrap();
        let inner = app.panes().main_inner_width();
        for line in reader.lines() {
            assert!(
                display_width(&line.text) <= inner,
                "line wider than pane: {:?}",
                line.text
            );
        }
        let shown: Vec<&str> = reader
            .lines()
            .iter()
            .flat_map(|l| l.text.split_whitespace())
            .collect();
        let shown = shown.join(" ");
        for i in 0..12 {
            assert!(
                shown.contains(&format!("number{i}.")),
                "paragraph {i} ends intact at width {width}"
            );
        }
        let body_text = long_body().replace("<p>", " ").replace("</p>", " ");
        let body_text = body_text.replace("<strong>", "").replace("</strong>", "");
        let joined: String = reader
            .lines()
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("");
        let squashed: String = joined.chars().filter(|c| !c.is_whitespace()).collect();
        let expected: String = body_text.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(
            squashed.contains(&expected),
            "no character of the body lost by wrapping at {width}"
        );

        // Page down until the end, then the last paragraph is on screen.
        app.update(ch('G'));
        let text = screen_text(&render(&app));
        assert!(text.contains("100%"), "{text}");
    }
}

#[test]
fn resize_rewraps_the_open_article() {
    let mut app = sample_app(100, 30);
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Enter));
    let wide_lines = app.reader.as_ref().unwrap().lines().len();
    for _ in 0..3 {
        app.update(ch(' '));
    }
    let before = app.reader.as_ref().unwrap().scroll;
    assert!(before > 20);
    app.update(Msg::Resize {
        width: 50,
        height: 30,
    });
    let after = app.reader.as_ref().unwrap().scroll;
    assert!(
        after > before,
        "the reader keeps its place in the text: {before} → {after}"
    );
    let narrow = app.reader.as_ref().unwrap();
    assert!(
        narrow.lines().len() > wide_lines,
        "narrower window, more lines"
    );
    assert!(narrow.lines().iter().all(|l| display_width(&l.text) <= 48));
}

#[test]
fn help_overlay_lists_every_key() {
    // Tall enough for one column, where every help text shows in full (two columns truncate).
    let mut app = sample_app(100, 40);
    app.update(ch('?'));
    let text = screen_text(&render(&app));
    for (keys, help) in tidings::app::keys::Keymap::default().help_rows() {
        assert!(text.contains(&keys), "help lists {keys}: {text}");
        assert!(text.contains(help), "help explains {help}");
    }
    app.update(ch('x'));
    assert!(!app.show_help, "any key closes the help");
}

#[test]
fn escape_sequences_in_feed_text_never_reach_the_buffer() {
    // Raw bytes as a hostile server would send them, through the real parse path.
    let xml = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Evil \u{1b}]0;pwned\u{7}feed</title>\
        <item><title>Evil \u{1b}[2J\u{1b}]0;pwned\u{7}title \u{9b}31m here \u{202e}gpj.exe</title>\
        <link>https://example.org/evil</link><guid>evil</guid>\
        <description><![CDATA[<p>Body \u{1b}]52;c;Y3VybCB4fHNo\u{7} text &#27;[31m red</p>]]></description>\
        </item></channel></rss>";
    let base = url::Url::parse("http://127.0.0.1:9/evil.xml").unwrap();
    let parsed =
        tidings::feed::parse::parse_feed(xml.as_bytes(), None, &base, tidings::model::FeedId(0))
            .expect("parses");
    let mut app = sample_app(100, 30);
    app.update(Msg::Feed(tidings::model::FeedUpdate::Loaded {
        feed: tidings::model::FeedId(0),
        parsed,
        validators: Default::default(),
    }));
    let mut screens = vec![render(&app)];
    app.update(key(KeyCode::Tab));
    screens.push(render(&app));
    app.update(key(KeyCode::Enter));
    screens.push(render(&app));
    let article = screen_text(&screens[2]);
    assert!(article.contains("Evil title"), "{article}");
    for row in screens.iter().flatten() {
        assert!(
            !row.chars().any(|c| c.is_control()
                || ('\u{80}'..='\u{9f}').contains(&c)
                || ('\u{202a}'..='\u{202e}').contains(&c)),
            "control character in {row:?}"
        );
        for residue in ["[2J", "]0;", "]52;", "[31m", "31m"] {
            assert!(!row.contains(residue), "residue {residue:?} in {row:?}");
        }
    }
}

#[test]
fn every_size_from_one_by_one_draws_without_panic() {
    let mut app = sample_app(100, 30);
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Enter));
    for (w, h) in [
        (1, 1),
        (2, 1),
        (1, 5),
        (5, 2),
        (10, 3),
        (23, 7),
        (89, 20),
        (90, 4),
        (500, 200),
    ] {
        app.update(Msg::Resize {
            width: w,
            height: h,
        });
        let rows = render(&app);
        assert_eq!(rows.len(), h as usize);
        app.update(ch('?'));
        render(&app);
        app.update(ch('?'));
    }
}

#[test]
fn full_text_toggle_shows_the_page_text_marked_full_text() {
    let mut app = sample_app(100, 30);
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Enter));
    let effects = app.update(ch('f'));
    let Some(tidings::app::Effect::FetchFullText { generation, .. }) = effects.first().cloned()
    else {
        panic!("f asks for the full text: {effects:?}");
    };
    let text = screen_text(&render(&app));
    assert!(text.contains("fetching full text"), "{text}");
    let html = "<h2>The whole story</h2><p>Everything the teaser left out, at length.</p>";
    let page = tidings::app::FullTextPage {
        html: html.into(),
        rendered: tidings::text::render_html(html, None),
    };
    app.update(Msg::FullText {
        generation,
        result: Ok(page),
    });
    let text = screen_text(&render(&app));
    assert!(text.contains("full text"), "marked as full text: {text}");
    assert!(text.contains("Everything the teaser left out"), "{text}");
    assert!(
        !text.contains("Paragraph 0 begins"),
        "feed text replaced: {text}"
    );
    app.update(ch('f'));
    let text = screen_text(&render(&app));
    assert!(
        text.contains("Paragraph 0 begins"),
        "f goes back to the feed text: {text}"
    );
    assert!(!text.contains("Everything the teaser left out"), "{text}");
}

#[test]
fn help_overlay_fits_a_short_terminal_in_two_columns() {
    let mut app = sample_app(100, 20);
    app.update(ch('?'));
    let text = screen_text(&render(&app));
    for (keys, _) in tidings::app::keys::Keymap::default().help_rows() {
        assert!(
            text.contains(&format!("{keys} ")),
            "help lists {keys} at 100×20: {text}"
        );
    }
    assert!(text.contains("quit"), "the last row is on screen: {text}");
}

#[test]
fn error_view_lists_failing_feeds_first_with_cause_and_next_try() {
    let mut app = sample_app(120, 20);
    for _ in 0..2 {
        app.update(Msg::Feed(tidings::model::FeedUpdate::Failed {
            feed: tidings::model::FeedId(1),
            message: "HTTP 500 Internal Server Error".into(),
            retry_after: None,
        }));
    }
    app.update(ch('E'));
    let rows = render(&app);
    let text = screen_text(&rows);
    assert!(text.contains("Feed errors — 1 of 2 failing"), "{text}");
    let tech = rows
        .iter()
        .position(|r| r.contains("Tech Daily"))
        .expect("the failing feed is listed");
    let world = rows
        .iter()
        .position(|r| r.contains("World News") && r.contains("ok"))
        .expect("the healthy feed is listed");
    assert!(tech < world, "failing feeds first:\n{text}");
    let line = &rows[tech];
    assert!(line.contains("HTTP 500"), "{line}");
    assert!(line.contains("2 in a row"), "{line}");
    assert!(line.contains("last success 0 s ago"), "{line}");
    assert!(line.contains("next in 30 min"), "{line}");
    for row in &rows {
        assert!(display_width(row) <= 120);
    }

    // r retries the feed under the cursor (the failing one, first).
    let effects = app.update(ch('r'));
    let feeds: Vec<_> = effects
        .iter()
        .flat_map(|e| match e {
            tidings::app::Effect::Refresh(jobs) => jobs.iter().map(|j| j.feed.0).collect(),
            _ => Vec::new(),
        })
        .collect();
    assert_eq!(feeds, [1]);
    // Enter opens it: the view closes on that feed's headlines.
    app.update(key(KeyCode::Enter));
    assert!(app.errors.is_none());
    assert_eq!(app.focus, Focus::Headlines);
    let text = screen_text(&render(&app));
    assert!(text.contains("New chip doubles battery life"), "{text}");
    assert!(!text.contains("Parliament passes the budget"), "{text}");
}
