//! The whole article in the reader (issue 14), rendered into a TestBackend: the standfirst, the
//! attachment lines, the headline's comment count.

mod builders;

use builders::*;
use crossterm::event::KeyCode;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Modifier;
use ratatui::Terminal;
use tidings::app::{App, Focus, Msg};
use tidings::config::Settings;
use tidings::model::Body;
use tidings::store::Store;

/// An app with one feed holding `articles`, the first one opened in the reader.
pub fn open_app(articles: Vec<tidings::model::Article>, width: u16, height: u16) -> App {
    let store = Store::new(vec![feed(0, "World News", &[])]);
    let mut app = App::new(store, Settings::default());
    app.update(Msg::Resize { width, height });
    app.update(loaded(0, articles));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Enter));
    assert_eq!(app.focus, Focus::Article);
    app
}

fn buffer(app: &App) -> Buffer {
    let mut terminal =
        Terminal::new(TestBackend::new(app.width, app.height)).expect("test backend");
    terminal.draw(|f| tidings::ui::draw(f, app)).expect("draw");
    terminal.backend().buffer().clone()
}

fn row_text(buffer: &Buffer, y: u16) -> String {
    (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol())
        .collect()
}

/// The row holding `needle`, and whether its first letter is drawn in italics.
fn find_row(buffer: &Buffer, needle: &str) -> Option<(u16, bool)> {
    (0..buffer.area.height).find_map(|y| {
        let row = row_text(buffer, y);
        let col = row.find(needle)?;
        let x = row[..col].chars().count() as u16;
        Some((y, buffer[(x, y)].modifier.contains(Modifier::ITALIC)))
    })
}

fn occurrences(buffer: &Buffer, needle: &str) -> usize {
    (0..buffer.area.height)
        .map(|y| row_text(buffer, y).matches(needle).count())
        .sum()
}

const BODY: &str = "<p>The council met on Tuesday to discuss the budget.</p><p>Members argued.</p>";

#[test]
fn a_standfirst_is_shown_once_apart_between_the_rule_and_the_body() {
    let mut item = article(0, "a1", "Budget talks", 3);
    item.body = Body::new(
        Some("<p><b>Money is tight</b>, and everyone knows it.</p>".into()),
        Some(BODY.into()),
    );
    let app = open_app(vec![item], 100, 30);
    let screen = buffer(&app);
    let (rule, _) = find_row(&screen, "────────").expect("header rule");
    let (teaser, italic) = find_row(&screen, "Money is tight").expect("standfirst shown");
    let (body, body_italic) = find_row(&screen, "The council met").expect("body shown");
    assert!(rule < teaser && teaser < body, "{rule} < {teaser} < {body}");
    assert!(italic, "the standfirst is set apart in italics");
    assert!(!body_italic, "the body is not");
    assert_eq!(occurrences(&screen, "Money is tight"), 1);
    assert!(body > teaser + 1, "a blank line sets it apart");
    assert!(row_text(&screen, teaser + 1)
        .trim_matches([' ', '│'])
        .is_empty());
}

#[test]
fn a_teaser_that_is_the_opening_is_shown_once() {
    let mut item = article(0, "a1", "Budget talks", 3);
    item.body = Body::new(
        Some("The council met on Tuesday to discuss …".into()),
        Some(BODY.into()),
    );
    let app = open_app(vec![item], 100, 30);
    let screen = buffer(&app);
    assert_eq!(occurrences(&screen, "The council met"), 1);
    let (_, italic) = find_row(&screen, "The council met").expect("body shown");
    assert!(!italic);
}

#[test]
fn the_standfirst_wraps_like_the_body_at_any_width() {
    let mut item = article(0, "a1", "Budget talks", 3);
    let teaser =
        "A long teaser that says something new about money, councils and the weather. ".repeat(3);
    item.body = Body::new(Some(teaser), Some(BODY.into()));
    for (width, height) in [(100u16, 40u16), (30, 40)] {
        let app = open_app(vec![item.clone()], width, height);
        let reader = app.reader.as_ref().expect("reader");
        let inner = app.panes().main_inner_width();
        let lines: Vec<&str> = reader
            .lines()
            .iter()
            .filter(|l| matches!(l.kind, tidings::app::reader::ReaderLineKind::Standfirst(_)))
            .map(|l| l.text.as_str())
            .collect();
        assert!(lines.len() >= 2, "wrapped over lines at {width}: {lines:?}");
        assert!(lines
            .iter()
            .all(|l| tidings::text::display_width(l) <= inner));
        assert_eq!(lines.join(" ").matches("weather").count(), 3);
    }
}
