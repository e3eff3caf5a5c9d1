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
    let (rule, _) = find_row(&screen, "│────────").expect("header rule");
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

fn podcast_item() -> tidings::model::Article {
    let mut item = article(0, "ep1", "Episode 1", 3);
    item.enclosures = vec![
        tidings::model::Enclosure {
            url: "http://127.0.0.1:9/ep1.mp3?a=1&b=two words;$(touch pwned)".into(),
            mime: Some("audio/mpeg".into()),
            length: Some(12_300_000),
            duration: Some(3723),
        },
        tidings::model::Enclosure {
            url: "http://127.0.0.1:9/notes.pdf".into(),
            mime: Some("application/pdf".into()),
            length: Some(240_000),
            duration: None,
        },
    ];
    item
}

#[test]
fn attachments_are_listed_in_the_header_numbered() {
    let app = open_app(vec![podcast_item()], 120, 30);
    let screen = buffer(&app);
    let (first, _) = find_row(
        &screen,
        "Attached: [1] audio · 12.3 MB · 1:02:03 · http://127.0.0.1:9/ep1.mp3",
    )
    .expect("first attachment line");
    let (second, _) = find_row(
        &screen,
        "Attached: [2] pdf · 240.0 kB · http://127.0.0.1:9/notes.pdf",
    )
    .expect("second attachment line");
    let (rule, _) = find_row(&screen, "│────────").expect("header rule");
    assert!(first < second && second < rule);
}

#[test]
fn a_count_picks_the_attachment_and_a_missing_one_is_named() {
    let mut app = open_app(vec![podcast_item()], 120, 30);
    let effects = app.update(ch('e'));
    assert!(matches!(&effects[..], [tidings::app::Effect::OpenLink(u)] if u.contains("ep1.mp3")));
    app.update(ch('2'));
    let effects = app.update(ch('e'));
    assert!(
        matches!(&effects[..], [tidings::app::Effect::OpenLink(u)] if u.ends_with("notes.pdf"))
    );
    app.update(ch('3'));
    assert!(app.update(ch('e')).is_empty());
    let status = app.status.as_ref().expect("a note");
    assert!(status.text.contains("no attachment 3"), "{}", status.text);
    // A count is used once: the next `e` opens the first again.
    let effects = app.update(ch('e'));
    assert!(matches!(&effects[..], [tidings::app::Effect::OpenLink(u)] if u.contains("ep1.mp3")));
}

/// A "player" that records its arguments, one per line, NUL-terminated, then exits.
fn recording_player(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let script = dir.join("player.sh");
    let out = dir.join("argv");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\0' \"$@\" > '{}.tmp' && mv '{0}.tmp' '{0}'\n",
            out.display()
        ),
    )
    .expect("write script");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    (script, out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e_runs_the_player_with_exactly_one_url_argument() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (script, out) = recording_player(dir.path());
    let settings = Settings {
        player: Some(vec![
            script.display().to_string(),
            "--no-video".into(),
            "{url}".into(),
        ]),
        ..Settings::default()
    };
    let store = Store::new(vec![feed(0, "World News", &[])]);
    let mut app = App::new(store, settings);
    app.update(Msg::Resize {
        width: 120,
        height: 30,
    });
    app.update(loaded(0, vec![podcast_item()]));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Enter));
    let effects = app.update(ch('e'));
    assert_eq!(effects.len(), 1, "{effects:?}");
    let client = std::sync::Arc::new(
        tidings::feed::http::HttpClient::new(tidings::feed::http::Limits {
            timeout: std::time::Duration::from_secs(5),
            max_bytes: 1_000_000,
        })
        .expect("client"),
    );
    let (runner, _inbox) = tidings::runtime::Runner::new(client, 1, None);
    for effect in effects {
        runner.run(effect);
    }
    // Wait for the player to write its record (it renames the file into place when done).
    let mut recorded = None;
    for _ in 0..500 {
        if let Ok(bytes) = std::fs::read(&out) {
            recorded = Some(bytes);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let recorded = recorded.expect("the player ran");
    let args: Vec<&[u8]> = recorded
        .split(|b| *b == 0)
        .filter(|a| !a.is_empty())
        .collect();
    assert_eq!(
        args,
        vec![
            b"--no-video".as_slice(),
            b"http://127.0.0.1:9/ep1.mp3?a=1&b=two%20words;$(touch%20pwned)".as_slice()
        ]
    );
    assert!(!dir.path().join("pwned").exists());
}
