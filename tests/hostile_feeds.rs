//! Promise 3 of the hostile corpus: whatever a feed holds, the parse → sanitise → store → render path
//! puts no control character, escape residue or bidi override on screen, and never panics.

mod builders;

use builders::*;
use crossterm::event::KeyCode;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tidings::app::{App, Msg};
use tidings::config::Settings;
use tidings::feed::parse::parse_feed;
use tidings::model::{FeedId, FeedUpdate, Validators};
use tidings::store::Store;

/// Characters that must never reach a terminal from feed text.
fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || ('\u{80}'..='\u{9f}').contains(&c)
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Leftovers of escape sequences whose ESC was dropped but whose body was not.
const RESIDUE: &[&str] = &["[2J", "]52;", "]0;", "]2;", "]8;;", "[31m", "[?1049", "[0m"];

fn assert_clean(what: &str, text: &str) {
    if let Some(c) = text.chars().find(|c| is_forbidden(*c)) {
        panic!(
            "{what}: forbidden U+{:04X} in {:?}",
            c as u32,
            text.chars().take(200).collect::<String>()
        );
    }
    for residue in RESIDUE {
        // A percent-encoded ESC inside a URL ("%1B[0m") is inert text, not residue of a stripped sequence.
        for (at, _) in text.match_indices(residue) {
            let before = &text[..at];
            let encoded =
                before.len() >= 3 && before[before.len() - 3..].eq_ignore_ascii_case("%1b");
            assert!(encoded, "{what}: escape residue {residue:?} in {text:?}");
        }
    }
}

/// Parse one file, load it into an app, open every article (up to a bound) and check every screen.
fn check_file(path: &Path) {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let bytes = std::fs::read(path).unwrap();
    let base = url::Url::parse(&format!("http://127.0.0.1:8999/feeds/{name}")).unwrap();
    let started = Instant::now();
    let result = parse_feed(&bytes, None, &base, FeedId(0));
    let parse_time = started.elapsed();
    let mut store = Store::new(vec![feed(0, "Hostile", &[])]);
    let update = match result {
        Ok(parsed) => FeedUpdate::Loaded {
            feed: FeedId(0),
            parsed,
            validators: Validators::default(),
        },
        Err(e) => {
            let message = e.to_string();
            assert_clean(&format!("{name} error"), &message);
            assert!(
                !message.contains('\n'),
                "{name}: error is one line: {message:?}"
            );
            FeedUpdate::Failed {
                feed: FeedId(0),
                message,
                retry_after: None,
            }
        }
    };
    store.apply(update, chrono::Utc::now());
    let mut app = App::new(store, Settings::default());
    app.update(Msg::Resize {
        width: 100,
        height: 30,
    });
    for row in render(&app) {
        assert_clean(&format!("{name} feeds view"), &row);
    }
    app.update(key(KeyCode::Tab));
    let count = app.headlines.len().min(20);
    for i in 0..count {
        app.update(ch('g'));
        for _ in 0..i {
            app.update(ch('j'));
        }
        for row in render(&app) {
            assert_clean(&format!("{name} headlines"), &row);
        }
        // Large bodies render off the UI thread: do here what the runtime would.
        for effect in app.update(key(KeyCode::Enter)) {
            if let tidings::app::Effect::Render {
                generation,
                html,
                base,
                ..
            } = effect
            {
                let base = base.as_deref().and_then(|b| url::Url::parse(b).ok());
                let rendered = tidings::text::render_html(&html, base.as_ref());
                app.update(Msg::Rendered {
                    generation,
                    rendered,
                });
            }
        }
        if let Some(reader) = &app.reader {
            for line in reader.lines() {
                assert_clean(&format!("{name} article line"), &line.text);
            }
        }
        for row in render(&app) {
            assert_clean(&format!("{name} article view"), &row);
        }
        app.update(key(KeyCode::Esc));
    }
    eprintln!(
        "{name}: {} articles, parsed in {parse_time:?}",
        app.headlines.len()
    );
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_hostile_feed_renders_clean() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile");
    let files = files_in(&dir);
    assert!(files.len() >= 40, "the corpus is there: {}", files.len());
    for file in files {
        check_file(&file);
    }
}

#[test]
fn big_hostile_cases_at_a_tenth_scale_render_clean() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile-big");
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile-tools/gen_big.py");
    let status = std::process::Command::new("python3")
        .arg(&script)
        .args(["--scale", "0.1", "--out"])
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs gen_big.py");
    assert!(status.success());
    for file in files_in(&out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
    {
        check_file(&file);
    }
}
