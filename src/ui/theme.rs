//! Every style in one place, from one theme: a preset (`dark`, the default, or `light`) with colours
//! by role that `[theme]` can change (names or `#rrggbb`). Colours are off with `--color never`, or
//! with `NO_COLOR` unless `--color always`; modifiers such as bold stay.

use crate::config::TableEntry;
use ratatui::style::{Color, Modifier, Style};
use std::sync::OnceLock;

/// When to use colours (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorMode {
    /// Never.
    Never,
    /// Unless `NO_COLOR` is set (the default).
    #[default]
    Auto,
    /// Always, even with `NO_COLOR`.
    Always,
}

/// The colour of each role; `None` everywhere when colours are off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// Focused borders and article header fields.
    pub accent: Option<Color>,
    /// Unread rows (bold).
    pub unread: Option<Color>,
    /// Read rows.
    pub read: Option<Color>,
    /// The selected row's background (else reversed).
    pub selection: Option<Color>,
    /// Errors.
    pub error: Option<Color>,
    /// Dates, counts, other borders and other secondary text.
    pub dim: Option<Color>,
    /// The article title and the star.
    pub title: Option<Color>,
    /// Link footnotes.
    pub link: Option<Color>,
    /// Preformatted code.
    pub code: Option<Color>,
    /// Block quotes.
    pub quote: Option<Color>,
    /// The status bar's background.
    pub status: Option<Color>,
}

/// A `[theme]` entry that cannot be used; the caller names the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeError {
    /// 1-based line of the offending value in the config file.
    pub line: usize,
    /// 1-based column (in characters) of the offending value.
    pub col: usize,
    /// One line saying which entry is wrong and why.
    pub message: String,
}

const ROLES: &[&str] = &[
    "accent",
    "unread",
    "read",
    "selection",
    "error",
    "dim",
    "title",
    "link",
    "code",
    "quote",
    "status",
];

impl Theme {
    /// The dark preset (light text on a dark terminal).
    pub fn dark() -> Theme {
        Theme {
            accent: Some(Color::Cyan),
            unread: None,
            read: Some(Color::Gray),
            selection: None,
            error: Some(Color::Red),
            dim: Some(Color::DarkGray),
            title: Some(Color::Yellow),
            link: Some(Color::Blue),
            code: Some(Color::Green),
            quote: Some(Color::Gray),
            status: Some(Color::DarkGray),
        }
    }

    /// The light preset (dark text on a light terminal).
    pub fn light() -> Theme {
        Theme {
            accent: Some(Color::Blue),
            unread: Some(Color::Black),
            read: Some(Color::DarkGray),
            selection: None,
            error: Some(Color::Red),
            dim: Some(Color::Gray),
            title: Some(Color::Magenta),
            link: Some(Color::Blue),
            code: Some(Color::Green),
            quote: Some(Color::DarkGray),
            status: Some(Color::Gray),
        }
    }

    /// No colours at all.
    pub fn plain() -> Theme {
        Theme {
            accent: None,
            unread: None,
            read: None,
            selection: None,
            error: None,
            dim: None,
            title: None,
            link: None,
            code: None,
            quote: None,
            status: None,
        }
    }

    /// The theme `[theme]` asks for under `mode` (and `NO_COLOR`, which `mode` may overrule).
    pub fn from_entries(
        entries: &[TableEntry],
        mode: ColorMode,
        no_color_env: bool,
    ) -> Result<Theme, ThemeError> {
        let mut theme = Theme::dark();
        let error = |e: &TableEntry, message: String| ThemeError {
            line: e.line,
            col: e.col,
            message: format!("theme.{}: {message}", e.name),
        };
        if let Some(preset) = entries.iter().find(|e| e.name == "preset") {
            theme = match preset.values.as_slice() {
                [v] if v == "dark" => Theme::dark(),
                [v] if v == "light" => Theme::light(),
                _ => return Err(error(preset, "expected \"dark\" or \"light\"".into())),
            };
        }
        for entry in entries.iter().filter(|e| e.name != "preset") {
            let slot = match entry.name.as_str() {
                "accent" => &mut theme.accent,
                "unread" => &mut theme.unread,
                "read" => &mut theme.read,
                "selection" => &mut theme.selection,
                "error" => &mut theme.error,
                "dim" => &mut theme.dim,
                "title" => &mut theme.title,
                "link" => &mut theme.link,
                "code" => &mut theme.code,
                "quote" => &mut theme.quote,
                "status" => &mut theme.status,
                _ => {
                    return Err(error(
                        entry,
                        format!("unknown role; the roles are preset, {}", ROLES.join(", ")),
                    ))
                }
            };
            *slot = match entry.values.as_slice() {
                [value] => Some(parse_color(value).ok_or_else(|| {
                    error(
                        entry,
                        format!(
                            "expected a colour name (red, darkgray, …) or #rrggbb, found {value:?}"
                        ),
                    )
                })?),
                _ => return Err(error(entry, "expected one colour".into())),
            };
        }
        let colours = match mode {
            ColorMode::Never => false,
            ColorMode::Always => true,
            ColorMode::Auto => !no_color_env,
        };
        Ok(if colours { theme } else { Theme::plain() })
    }
}

/// A colour name (`red`, `lightblue`, `darkgray`, `reset`…) or `#rrggbb`.
fn parse_color(text: &str) -> Option<Color> {
    let text = text.trim();
    if let Some(hex) = text.strip_prefix('#') {
        if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let n = u32::from_str_radix(hex, 16).ok()?;
        return Some(Color::Rgb((n >> 16) as u8, (n >> 8) as u8, n as u8));
    }
    text.parse::<Color>()
        .ok()
        .filter(|c| !matches!(c, Color::Indexed(_) | Color::Rgb(..)))
}

static THEME: OnceLock<Theme> = OnceLock::new();

/// Use `theme` from now on (once, at start-up; later calls are ignored).
pub fn install(theme: Theme) {
    let _ = THEME.set(theme);
}

/// `NO_COLOR` as the environment sets it.
pub fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

fn theme() -> &'static Theme {
    THEME.get_or_init(|| {
        if no_color_env() {
            Theme::plain()
        } else {
            Theme::dark()
        }
    })
}

fn fg(color: Option<Color>) -> Style {
    color.map_or_else(Style::default, |c| Style::default().fg(c))
}

/// Border of the focused pane.
pub fn border_focused() -> Style {
    fg(theme().accent).add_modifier(Modifier::BOLD)
}
/// Border of other panes.
pub fn border() -> Style {
    fg(theme().dim)
}
/// The selected row.
pub fn selected() -> Style {
    match theme().selection {
        Some(bg) => Style::default().bg(bg),
        None => Style::default().add_modifier(Modifier::REVERSED),
    }
}
/// Unread rows.
pub fn unread() -> Style {
    fg(theme().unread).add_modifier(Modifier::BOLD)
}
/// Read rows.
pub fn read() -> Style {
    fg(theme().read)
}
/// Dates, counts and other secondary text.
pub fn dim() -> Style {
    fg(theme().dim)
}
/// Errors.
pub fn error() -> Style {
    fg(theme().error).add_modifier(Modifier::BOLD)
}
/// The article title.
pub fn title() -> Style {
    fg(theme().title).add_modifier(Modifier::BOLD)
}
/// Article header fields.
pub fn meta() -> Style {
    fg(theme().accent)
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
    fg(theme().quote).add_modifier(Modifier::ITALIC)
}
/// Preformatted code.
pub fn code() -> Style {
    fg(theme().code)
}
/// Footnote links.
pub fn footnote() -> Style {
    fg(theme().link)
}
/// The status bar.
pub fn status_bar() -> Style {
    match theme().status {
        Some(bg) => Style::default().bg(bg).fg(Color::White),
        None => Style::default().add_modifier(Modifier::REVERSED),
    }
}
/// Starred marker.
pub fn star() -> Style {
    fg(theme().title)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, value: &str, line: usize) -> TableEntry {
        TableEntry {
            name: name.into(),
            values: vec![value.into()],
            line,
            col: 9,
        }
    }

    #[test]
    fn presets_roles_and_colour_modes() {
        let light = Theme::from_entries(&[entry("preset", "light", 1)], ColorMode::Auto, false);
        assert_eq!(light, Ok(Theme::light()));
        let custom = Theme::from_entries(
            &[entry("accent", "#ff8800", 2), entry("error", "lightred", 3)],
            ColorMode::Auto,
            false,
        )
        .expect("valid");
        assert_eq!(custom.accent, Some(Color::Rgb(0xff, 0x88, 0)));
        assert_eq!(custom.error, Some(Color::LightRed));
        // NO_COLOR wins over the theme; --color wins over NO_COLOR.
        let entries = [entry("accent", "red", 2)];
        assert_eq!(
            Theme::from_entries(&entries, ColorMode::Auto, true),
            Ok(Theme::plain())
        );
        assert_eq!(
            Theme::from_entries(&entries, ColorMode::Always, true).map(|t| t.accent),
            Ok(Some(Color::Red))
        );
        assert_eq!(
            Theme::from_entries(&entries, ColorMode::Never, false),
            Ok(Theme::plain())
        );
    }

    #[test]
    fn bad_entries_name_their_line_and_what_was_expected() {
        let err = Theme::from_entries(&[entry("accent", "#12345", 4)], ColorMode::Auto, false)
            .expect_err("short hex");
        assert_eq!((err.line, err.col), (4, 9));
        assert!(
            err.message.starts_with("theme.accent: expected a colour"),
            "{}",
            err.message
        );
        let err = Theme::from_entries(&[entry("sparkle", "red", 5)], ColorMode::Auto, false)
            .expect_err("unknown role");
        assert!(err.message.contains("unknown role"), "{}", err.message);
        let err = Theme::from_entries(&[entry("preset", "solarized", 6)], ColorMode::Auto, false)
            .expect_err("unknown preset");
        assert!(
            err.message.contains("\"dark\" or \"light\""),
            "{}",
            err.message
        );
    }
}
