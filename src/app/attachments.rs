//! Attachments (enclosures and Media RSS content): how the header describes them, and `e` / `2e`,
//! which open one with the user's player or the system opener. Pure: the program to run leaves as a
//! complete `Effect`, never a shell line.

use super::{App, Effect};
use crate::model::Enclosure;
use crate::text;

/// Longest count prefix taken (`123e`); more digits are ignored rather than overflowing.
const MAX_COUNT: usize = 9_999;

/// One header line for attachment `number` (1-based): kind, size, duration when known, and the URL.
pub fn describe(number: usize, enclosure: &Enclosure) -> String {
    let mut parts = vec![format!("[{number}] {}", kind(enclosure))];
    parts.extend(enclosure.length.filter(|n| *n > 0).map(size));
    parts.extend(enclosure.duration.map(clock));
    parts.push(enclosure.url.clone());
    parts.join(" · ")
}

/// What an attachment is, from its MIME type, else its URL's extension: audio, video, image, pdf…
pub fn kind(enclosure: &Enclosure) -> String {
    let mime = enclosure.mime.as_deref().unwrap_or("").to_ascii_lowercase();
    let (top, sub) = mime.split_once('/').unwrap_or((mime.as_str(), ""));
    match (top, sub) {
        ("audio" | "video" | "image", _) => return top.to_string(),
        (_, "pdf") => return "pdf".into(),
        _ => {}
    }
    let path = enclosure.url.split(['?', '#']).next().unwrap_or("");
    let ext = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "mp3" | "m4a" | "aac" | "ogg" | "oga" | "opus" | "flac" | "wav" => "audio".into(),
        "mp4" | "m4v" | "webm" | "mkv" | "mov" | "avi" => "video".into(),
        "jpg" | "jpeg" | "png" | "gif" | "webp" | "avif" | "svg" => "image".into(),
        "pdf" => "pdf".into(),
        _ if !sub.is_empty() => text::cap_chars(sub, 24),
        _ => "file".into(),
    }
}

/// A size in decimal units, one decimal from kB up: `950 B`, `12.3 MB`.
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 999.95 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// A playing time: `1:02:03` from an hour up, else `12:34`.
pub fn clock(seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// The player's program and arguments for `url`: `{url}` is replaced inside each argument, which
/// stays one argument whatever the URL holds; without `{url}` anywhere, the URL is appended.
pub fn player_command(player: &[String], url: &str) -> Option<(String, Vec<String>)> {
    let (program, args) = player.split_first()?;
    let mut args: Vec<String> = args.iter().map(|a| a.replace("{url}", url)).collect();
    if !player.iter().any(|w| w.contains("{url}")) {
        args.push(url.to_string());
    }
    Some((program.replace("{url}", url), args))
}

impl App {
    /// A digit typed before a key: the count it makes (`2e`). Returns false for anything else.
    pub(super) fn push_count_digit(&mut self, key: &crossterm::event::KeyEvent) -> bool {
        use crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};
        let KeyCode::Char(c) = key.code else {
            return false;
        };
        let Some(digit) = c.to_digit(10) else {
            return false;
        };
        if key.kind != KeyEventKind::Press
            || key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
            || (digit == 0 && self.count.is_none())
        {
            return false;
        }
        let count = self.count.unwrap_or(0) * 10 + digit as usize;
        self.count = Some(count.min(MAX_COUNT));
        self.dirty = false;
        true
    }

    /// `e` / `Ne`: open attachment N (the first without a count) of the article in focus.
    pub(super) fn open_attachment(&mut self, count: Option<usize>) -> Vec<Effect> {
        let number = count.unwrap_or(1).max(1);
        let Some(article) = self.focused_article().and_then(|k| self.store.get(k)) else {
            return Vec::new();
        };
        let total = article.enclosures.len();
        let Some(enclosure) = article.enclosures.get(number - 1) else {
            self.note_error(match total {
                0 => "this article has no attachments".to_string(),
                1 => format!("no attachment {number}: this article has one"),
                n => format!("no attachment {number}: this article has {n}"),
            });
            return Vec::new();
        };
        let Some(url) = text::sanitize_url(&enclosure.url) else {
            self.note_error(format!(
                "refused to open a non-http(s) attachment: {}",
                enclosure.url
            ));
            return Vec::new();
        };
        let what = kind(enclosure);
        match self
            .settings
            .player
            .as_deref()
            .and_then(|p| player_command(p, &url))
        {
            Some((program, args)) => {
                self.note(format!("playing {what} {number} with {program}"));
                vec![Effect::RunPlayer { program, args }]
            }
            None => {
                self.note(format!("opening {what} {number}: {url}"));
                vec![Effect::OpenLink(url)]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enclosure(url: &str, mime: Option<&str>) -> Enclosure {
        Enclosure {
            url: url.into(),
            mime: mime.map(str::to_string),
            length: None,
            duration: None,
        }
    }

    #[test]
    fn kinds_sizes_and_clocks() {
        assert_eq!(kind(&enclosure("http://h/a", Some("audio/mpeg"))), "audio");
        assert_eq!(
            kind(&enclosure("http://h/a", Some("application/pdf"))),
            "pdf"
        );
        assert_eq!(kind(&enclosure("http://h/ep.MP3?x=1", None)), "audio");
        assert_eq!(
            kind(&enclosure(
                "http://h/v.webm",
                Some("application/octet-stream")
            )),
            "video"
        );
        assert_eq!(
            kind(&enclosure("http://h/x", Some("application/zip"))),
            "zip"
        );
        assert_eq!(kind(&enclosure("http://h/x", None)), "file");
        assert_eq!(size(950), "950 B");
        assert_eq!(size(12_300_000), "12.3 MB");
        assert_eq!(size(999_999), "1.0 MB");
        assert_eq!(size(1_500), "1.5 kB");
        assert_eq!(clock(3723), "1:02:03");
        assert_eq!(clock(754), "12:34");
        assert_eq!(clock(5), "0:05");
    }

    #[test]
    fn the_header_line() {
        let mut e = enclosure("http://h/ep1.mp3", Some("audio/mpeg"));
        e.length = Some(12_300_000);
        e.duration = Some(3723);
        assert_eq!(
            describe(1, &e),
            "[1] audio · 12.3 MB · 1:02:03 · http://h/ep1.mp3"
        );
        assert_eq!(
            describe(2, &enclosure("http://h/a.pdf", None)),
            "[2] pdf · http://h/a.pdf"
        );
    }

    #[test]
    fn the_url_stays_one_argument() {
        let player: Vec<String> = ["mpv", "--no-video", "--title={url}"]
            .map(String::from)
            .to_vec();
        let url = "http://h/a b;rm -rf ~.mp3";
        let (program, args) = player_command(&player, url).expect("a program");
        assert_eq!(program, "mpv");
        assert_eq!(
            args,
            vec!["--no-video".to_string(), format!("--title={url}")]
        );
        let (_, args) = player_command(&["vlc".to_string()], url).expect("a program");
        assert_eq!(args, vec![url.to_string()]);
        assert_eq!(player_command(&[], url), None);
    }
}
