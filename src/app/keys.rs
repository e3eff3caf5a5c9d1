//! The keymap in effect: the defaults of `bindings.rs` with `[keys]` remaps applied, key names parsed
//! and shown, and the help rows (the help overlay and the README table come from here).

pub use super::bindings::{Binding, Key, BINDINGS};
use super::msg::Action;
use crate::config::TableEntry;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use Key::{Char, Code, Ctrl};

/// The keymap in effect: the defaults, with `[keys]` remaps applied (a remap replaces that action's
/// default keys).
#[derive(Debug, Clone)]
pub struct Keymap {
    rows: Vec<(Vec<Key>, &'static Binding)>,
}

/// A `[keys]` entry that cannot be used; the caller names the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapError {
    /// 1-based line of the offending value in the config file.
    pub line: usize,
    /// 1-based column (in characters) of the offending value.
    pub col: usize,
    /// One line saying which entry is wrong and why.
    pub message: String,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap {
            rows: BINDINGS.iter().map(|b| (b.keys.to_vec(), b)).collect(),
        }
    }
}

impl Keymap {
    /// The defaults with `entries` applied: an unknown action, an unknown key, or a key that would
    /// then belong to two actions is an error at that entry.
    pub fn from_entries(entries: &[TableEntry]) -> Result<Keymap, KeymapError> {
        let mut map = Keymap::default();
        let mut remapped_at: Vec<Option<&TableEntry>> = vec![None; map.rows.len()];
        for entry in entries {
            let error = |message: String| KeymapError {
                line: entry.line,
                col: entry.col,
                message: format!("keys.{}: {message}", entry.name),
            };
            let Some(row) = map.rows.iter().position(|(_, b)| b.name == entry.name) else {
                return Err(error(format!(
                    "unknown action; the actions are {}",
                    action_names().join(", ")
                )));
            };
            let mut keys = Vec::new();
            for text in &entry.values {
                let key = parse_key(text).ok_or_else(|| {
                    error(format!(
                        "unknown key {text:?}; write keys as in the README's key table \
                         (j, G, Ctrl-d, Enter, Esc, F1, Space, …)"
                    ))
                })?;
                keys.push(key);
            }
            if keys.is_empty() {
                return Err(error("expected at least one key".into()));
            }
            map.rows[row].0 = keys;
            remapped_at[row] = Some(entry);
        }
        for (i, (keys, binding)) in map.rows.iter().enumerate() {
            for key in keys {
                let Some((_, other)) = map.rows[..i].iter().find(|(k, _)| k.contains(key)) else {
                    continue;
                };
                let other_index = map.rows.iter().position(|(_, b)| b.name == other.name);
                let entry = remapped_at[i].or(other_index.and_then(|j| remapped_at[j]));
                let (line, col) = entry.map_or((1, 1), |e| (e.line, e.col));
                return Err(KeymapError {
                    line,
                    col,
                    message: format!(
                        "keys: {} would belong to both {} and {}; remap one of them",
                        key_label(*key),
                        other.name,
                        binding.name
                    ),
                });
            }
        }
        Ok(map)
    }

    /// The action a key press asks for; `None` for releases and unbound keys (no key is bound with
    /// Alt: see `split_alt`).
    pub fn action_for(&self, event: &KeyEvent) -> Option<Action> {
        if event.kind != KeyEventKind::Press || event.modifiers.contains(KeyModifiers::ALT) {
            return None;
        }
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        self.rows
            .iter()
            .find(|(keys, _)| keys.iter().any(|k| matches(*k, event.code, ctrl)))
            .map(|(_, b)| b.action)
    }

    /// Over a slow link, Esc and the next key arrive in one read and are decoded as Alt+key. An
    /// Alt+key that nothing is bound to is that: Esc, then the key.
    pub fn split_alt(&self, event: &KeyEvent) -> Option<(KeyEvent, KeyEvent)> {
        if !event.modifiers.contains(KeyModifiers::ALT) || self.action_for(event).is_some() {
            return None;
        }
        let esc = KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE);
        let mut key = *event;
        key.modifiers.remove(KeyModifiers::ALT);
        Some((esc, key))
    }

    /// Help rows: ("j ↓", "next row / scroll down"), in keymap order, with the keys in effect.
    pub fn help_rows(&self) -> Vec<(String, &'static str)> {
        self.rows
            .iter()
            .map(|(keys, b)| {
                let keys: Vec<String> = keys.iter().map(|k| key_label(*k)).collect();
                (keys.join(" "), b.help)
            })
            .collect()
    }
}

/// Every action's name, as `[keys]` takes them.
pub fn action_names() -> Vec<&'static str> {
    BINDINGS.iter().map(|b| b.name).collect()
}

/// The action a key press asks for in the default keymap.
pub fn action_for(event: &KeyEvent) -> Option<Action> {
    Keymap::default().action_for(event)
}

/// A key written as in the README's key table: `j`, `G`, `Ctrl-d`, `Enter`, `Esc`, `F1`, `Space`,
/// `Tab`, `PgDn`, `↓` or `Down`, …
pub fn parse_key(text: &str) -> Option<Key> {
    let mut chars = text.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return match c {
            '↓' => Some(Code(KeyCode::Down)),
            '↑' => Some(Code(KeyCode::Up)),
            '←' => Some(Code(KeyCode::Left)),
            '→' => Some(Code(KeyCode::Right)),
            c if c.is_control() => None,
            c => Some(Char(c)),
        };
    }
    if let Some(rest) = text
        .strip_prefix("Ctrl-")
        .or_else(|| text.strip_prefix("ctrl-"))
    {
        let mut chars = rest.chars();
        return match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_ascii_alphanumeric() => Some(Ctrl(c.to_ascii_lowercase())),
            _ => None,
        };
    }
    if let Some(n) = text.strip_prefix('F').and_then(|n| n.parse::<u8>().ok()) {
        return (1..=12).contains(&n).then_some(Code(KeyCode::F(n)));
    }
    let code = match text.to_ascii_lowercase().as_str() {
        "space" => return Some(Char(' ')),
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "pgup" | "pageup" => KeyCode::PageUp,
        "pgdn" | "pagedown" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        _ => return None,
    };
    Some(Code(code))
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
        Code(KeyCode::F(n)) => format!("F{n}"),
        Code(other) => format!("{other:?}"),
    }
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
        for ((keys, help), binding) in Keymap::default().help_rows().into_iter().zip(BINDINGS) {
            let row = format!("| `{keys}` | `{}` | {help} |", binding.name);
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
