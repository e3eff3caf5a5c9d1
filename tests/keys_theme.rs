//! `[keys]` and `[theme]`: remapped keys drive the app, and every bad entry is an error at its line.

mod builders;
mod e2e_common;

use builders::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use e2e_common::{run, Sandbox};
use std::time::Duration;
use tidings::app::keys::Keymap;
use tidings::app::Msg;
use tidings::runtime::ui_settings;
use tidings::ui::theme::ColorMode;

fn config(text: &str) -> tidings::config::Config {
    tidings::config::parse(text, None).expect("the file parses")
}

fn ui_error(text: &str) -> String {
    match ui_settings(&config(text), ColorMode::Auto) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_remap_replaces_the_actions_default_keys() {
    let ui = ui_settings(
        &config("[keys]\ndown = [\"J\", \"Ctrl-n\"]\nhelp = \"F1\"\n"),
        ColorMode::Auto,
    )
    .expect("valid keys");
    let mut app = sample_app(100, 30);
    app.keymap = ui.keymap;
    app.update(key(KeyCode::Tab));
    app.update(ch('j'));
    assert_eq!(app.headlines_cursor.selected, 0, "j no longer moves");
    app.update(ch('J'));
    assert_eq!(app.headlines_cursor.selected, 1);
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('n'),
        KeyModifiers::CONTROL,
    )));
    assert_eq!(app.headlines_cursor.selected, 2);
    app.update(key(KeyCode::F(1)));
    assert!(app.show_help, "F1 opens the help");
    // The help shows the keys in effect.
    let help = app.keymap.help_rows();
    assert!(help.contains(&("J Ctrl-n".to_string(), "next row / scroll down")));
    assert!(help.contains(&("F1".to_string(), "this help")));
}

#[test]
fn bad_entries_are_errors_at_their_line() {
    let err = ui_error("[keys]\nquitt = \"x\"\n");
    assert!(
        err.starts_with("feeds.toml:2:9: keys.quitt: unknown action"),
        "{err}"
    );
    let err = ui_error("[keys]\ndown = \"j\"\nup = \"Hyper-k\"\n");
    assert!(
        err.starts_with("feeds.toml:3:6: keys.up: unknown key \"Hyper-k\""),
        "{err}"
    );
    // quit = "j" while down keeps j: j would belong to two actions.
    let err = ui_error("[settings]\n\n[keys]\nquit = \"j\"\n");
    assert!(err.starts_with("feeds.toml:4:8: keys:"), "{err}");
    assert!(
        err.contains("j would belong to both down and quit"),
        "{err}"
    );
    // A value of the wrong type is caught by the config loader itself.
    let err = tidings::config::parse("[keys]\ndown = 3\n", None)
        .expect_err("a number is no key")
        .to_string();
    assert_eq!(
        err,
        "feeds.toml:2:8: keys.down: expected a string or an array of strings"
    );
    let err = ui_error("[theme]\npreset = \"dark\"\naccent = \"#12\"\n");
    assert!(
        err.starts_with("feeds.toml:3:10: theme.accent: expected a colour"),
        "{err}"
    );
    // The default keymap has no key twice.
    assert!(Keymap::from_entries(&[]).is_ok());
}

#[test]
fn check_reports_a_bad_key_with_exit_2() {
    let sandbox = Sandbox::new();
    std::fs::write(
        sandbox.config(),
        "[[feed]]\nurl = \"https://a.example/rss\"\n\n[keys]\nquit = \"j\"\n",
    )
    .expect("write feeds.toml");
    let out = run(&mut sandbox.tidings(&["check"]), Duration::from_secs(15));
    out.expect_code(2);
    assert!(
        out.stderr.contains("feeds.toml:5:8: keys:"),
        "{}",
        out.describe()
    );
}
