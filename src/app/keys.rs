//! The one keymap: key → action, and the help rows (the help overlay and the README table come from here).

use super::msg::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// A key as the user types it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Code(KeyCode),
}

/// One row of the keymap: the keys, what they do, and the help text.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub help: &'static str,
}

use Key::{Char, Code, Ctrl};

/// Every binding, in the order the help overlay lists them.
pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: &[Char('j'), Code(KeyCode::Down)],
        action: Action::Down,
        help: "next row / scroll down",
    },
    Binding {
        keys: &[Char('k'), Code(KeyCode::Up)],
        action: Action::Up,
        help: "previous row / scroll up",
    },
    Binding {
        keys: &[Code(KeyCode::PageDown), Char(' ')],
        action: Action::PageDown,
        help: "page down",
    },
    Binding {
        keys: &[Code(KeyCode::PageUp), Char('b')],
        action: Action::PageUp,
        help: "page up",
    },
    Binding {
        keys: &[Ctrl('d')],
        action: Action::HalfPageDown,
        help: "half page down",
    },
    Binding {
        keys: &[Ctrl('u')],
        action: Action::HalfPageUp,
        help: "half page up",
    },
    Binding {
        keys: &[Char('g'), Code(KeyCode::Home)],
        action: Action::Top,
        help: "first row / top",
    },
    Binding {
        keys: &[Char('G'), Code(KeyCode::End)],
        action: Action::Bottom,
        help: "last row / bottom",
    },
    Binding {
        keys: &[Code(KeyCode::Enter), Char('l'), Code(KeyCode::Right)],
        action: Action::Open,
        help: "open feed / article",
    },
    Binding {
        keys: &[Code(KeyCode::Esc), Char('h'), Code(KeyCode::Left)],
        action: Action::Back,
        help: "back",
    },
    Binding {
        keys: &[Code(KeyCode::Tab)],
        action: Action::SwitchPane,
        help: "switch pane",
    },
    Binding {
        keys: &[Char('n')],
        action: Action::NextUnread,
        help: "next unread article",
    },
    Binding {
        keys: &[Char('N')],
        action: Action::PrevUnread,
        help: "previous unread article",
    },
    Binding {
        keys: &[Char('r')],
        action: Action::RefreshFeed,
        help: "refresh selected feed",
    },
    Binding {
        keys: &[Char('R')],
        action: Action::RefreshAll,
        help: "refresh all feeds",
    },
    Binding {
        keys: &[Char('m')],
        action: Action::ToggleRead,
        help: "toggle read",
    },
    Binding {
        keys: &[Char('A')],
        action: Action::MarkFeedRead,
        help: "mark feed read",
    },
    Binding {
        keys: &[Char('s')],
        action: Action::ToggleStar,
        help: "star / unstar",
    },
    Binding {
        keys: &[Char('u')],
        action: Action::ToggleUnreadOnly,
        help: "show only unread / all",
    },
    Binding {
        keys: &[Char('E')],
        action: Action::Errors,
        help: "feed errors (r retries, Enter opens)",
    },
    Binding {
        keys: &[Char('o')],
        action: Action::OpenLink,
        help: "open link in browser",
    },
    Binding {
        keys: &[Char('f')],
        action: Action::ToggleFullText,
        help: "full text of the linked page / feed text",
    },
    Binding {
        keys: &[Char('?')],
        action: Action::Help,
        help: "this help",
    },
    Binding {
        keys: &[Char('q')],
        action: Action::Quit,
        help: "back / quit at top",
    },
    Binding {
        keys: &[Ctrl('c')],
        action: Action::ForceQuit,
        help: "quit",
    },
];

/// The action a key press asks for; `None` for releases and unbound keys (no key is bound with Alt:
/// see `split_alt`).
pub fn action_for(event: &KeyEvent) -> Option<Action> {
    if event.kind != KeyEventKind::Press || event.modifiers.contains(KeyModifiers::ALT) {
        return None;
    }
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    BINDINGS
        .iter()
        .find(|b| b.keys.iter().any(|k| matches(*k, event.code, ctrl)))
        .map(|b| b.action)
}

/// Over a slow link, Esc and the next key arrive in one read and are decoded as Alt+key. An Alt+key
/// that nothing is bound to is that: Esc, then the key.
pub fn split_alt(event: &KeyEvent) -> Option<(KeyEvent, KeyEvent)> {
    if !event.modifiers.contains(KeyModifiers::ALT) || action_for(event).is_some() {
        return None;
    }
    let esc = KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE);
    let mut key = *event;
    key.modifiers.remove(KeyModifiers::ALT);
    Some((esc, key))
}

fn matches(key: Key, code: KeyCode, ctrl: bool) -> bool {
    match (key, code) {
        (Ctrl(c), KeyCode::Char(got)) => ctrl && got.eq_ignore_ascii_case(&c),
        (Char(c), KeyCode::Char(got)) => !ctrl && got == c,
        (Code(want), got) => !ctrl && want == got,
        _ => false,
    }
}

/// How a key is written in help and the README.
pub fn key_label(key: Key) -> String {
    match key {
        Char(' ') => "Space".into(),
        Char(c) => c.to_string(),
        Ctrl(c) => format!("Ctrl-{c}"),
        Code(KeyCode::Down) => "↓".into(),
        Code(KeyCode::Up) => "↑".into(),
        Code(KeyCode::Left) => "←".into(),
        Code(KeyCode::Right) => "→".into(),
        Code(KeyCode::PageDown) => "PgDn".into(),
        Code(KeyCode::PageUp) => "PgUp".into(),
        Code(KeyCode::Home) => "Home".into(),
        Code(KeyCode::End) => "End".into(),
        Code(KeyCode::Enter) => "Enter".into(),
        Code(KeyCode::Esc) => "Esc".into(),
        Code(KeyCode::Tab) => "Tab".into(),
        Code(other) => format!("{other:?}"),
    }
}

/// Help rows: ("j ↓", "next row / scroll down"), in keymap order.
pub fn help_rows() -> Vec<(String, &'static str)> {
    BINDINGS
        .iter()
        .map(|b| {
            let keys: Vec<String> = b.keys.iter().map(|k| key_label(*k)).collect();
            (keys.join(" "), b.help)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEventState;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent {
            code,
            modifiers,
            kind: KeyEventKind::Press,
            state: KeyEventState::NONE,
        }
    }

    #[test]
    fn maps_keys_and_ignores_releases() {
        assert_eq!(
            action_for(&press(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(
            action_for(&press(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Bottom)
        );
        assert_eq!(
            action_for(&press(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::ForceQuit)
        );
        assert_eq!(
            action_for(&press(KeyCode::Char('d'), KeyModifiers::CONTROL)),
            Some(Action::HalfPageDown)
        );
        assert_eq!(
            action_for(&press(KeyCode::Char('z'), KeyModifiers::NONE)),
            None
        );
        let mut release = press(KeyCode::Char('j'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(action_for(&release), None);
    }

    #[test]
    fn every_action_has_one_binding_and_the_readme_lists_it() {
        let readme = include_str!("../../README.md");
        for (keys, help) in help_rows() {
            let row = format!("| `{keys}` | {help} |");
            assert!(readme.contains(&row), "README key table lacks: {row}");
        }
        let actions: std::collections::HashSet<_> = BINDINGS.iter().map(|b| b.action).collect();
        assert_eq!(
            actions.len(),
            BINDINGS.len(),
            "each action is bound in one row"
        );
    }
}
