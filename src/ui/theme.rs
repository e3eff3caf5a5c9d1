//! Every style in one place; `NO_COLOR` turns colours off (modifiers like bold stay).

use ratatui::style::{Color, Modifier, Style};
use std::sync::OnceLock;

fn no_color() -> bool {
    static NO_COLOR: OnceLock<bool> = OnceLock::new();
    *NO_COLOR.get_or_init(|| std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()))
}

fn fg(color: Color) -> Style {
    if no_color() {
        Style::default()
    } else {
        Style::default().fg(color)
    }
}

/// Border of the focused pane.
pub fn border_focused() -> Style {
    fg(Color::Cyan).add_modifier(Modifier::BOLD)
}
/// Border of other panes.
pub fn border() -> Style {
    fg(Color::DarkGray)
}
/// The selected row.
pub fn selected() -> Style {
    Style::default().add_modifier(Modifier::REVERSED)
}
/// Unread rows.
pub fn unread() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}
/// Read rows.
pub fn read() -> Style {
    fg(Color::Gray)
}
/// Dates, counts and other secondary text.
pub fn dim() -> Style {
    fg(Color::DarkGray)
}
/// Errors.
pub fn error() -> Style {
    fg(Color::Red).add_modifier(Modifier::BOLD)
}
/// The article title.
pub fn title() -> Style {
    fg(Color::Yellow).add_modifier(Modifier::BOLD)
}
/// Article header fields.
pub fn meta() -> Style {
    fg(Color::Cyan)
}
/// Headings inside the body.
pub fn heading() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}
/// The standfirst: italic, so it reads as set apart from the body.
pub fn standfirst() -> Style {
    Style::default().add_modifier(Modifier::ITALIC)
}
/// Block quotes.
pub fn quote() -> Style {
    fg(Color::Gray).add_modifier(Modifier::ITALIC)
}
/// Preformatted code.
pub fn code() -> Style {
    fg(Color::Green)
}
/// Footnote links.
pub fn footnote() -> Style {
    fg(Color::Blue)
}
/// The status bar.
pub fn status_bar() -> Style {
    if no_color() {
        Style::default().add_modifier(Modifier::REVERSED)
    } else {
        Style::default().bg(Color::DarkGray).fg(Color::White)
    }
}
/// Starred marker.
pub fn star() -> Style {
    fg(Color::Yellow)
}
