//! The reader's own settings: `player` (the program attachments open with) and `images` (how
//! pictures are drawn). Kept apart from the fetch and retention settings they have nothing to do with.

use toml::{Spanned, Value};

use super::values::{expected, Problem};

/// Most words in a `player` command; a longer one is a mistake.
const MAX_PLAYER_WORDS: usize = 32;
/// Longest word of a `player` command (bytes).
const MAX_PLAYER_WORD_BYTES: usize = 4096;

/// How article pictures are drawn (`settings.images`); `--no-images` turns them off whatever is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImageMode {
    /// The terminal's graphics protocol (kitty, sixel, iTerm2) when detected, else half-blocks.
    #[default]
    Auto,
    /// Unicode half-blocks: works in every terminal with colours.
    HalfBlocks,
    /// No pictures: `[image: alt]` as before.
    Off,
}

/// `player = ["mpv", "--no-video", "{url}"]`: a program and its arguments, never a shell line; every
/// word a non-empty string without control characters.
pub(super) fn validate_player(value: &Spanned<Value>) -> Result<Vec<String>, Problem> {
    const WHAT: &str = "a list of strings, the program first (e.g. [\"mpv\", \"{url}\"])";
    let words = value
        .get_ref()
        .as_array()
        .filter(|a| !a.is_empty() && a.len() <= MAX_PLAYER_WORDS)
        .ok_or_else(|| expected("player", WHAT, value))?;
    let words: Option<Vec<String>> = words
        .iter()
        .map(|w| {
            w.as_str()
                .filter(|s| s.len() <= MAX_PLAYER_WORD_BYTES && !s.chars().any(char::is_control))
                .map(str::to_string)
        })
        .collect();
    match words {
        Some(words) if !words[0].trim().is_empty() => Ok(words),
        _ => Err(expected("player", WHAT, value)),
    }
}

/// `images = "auto" | "halfblocks" | "off"`.
pub(super) fn validate_images(value: &Spanned<Value>) -> Result<ImageMode, Problem> {
    match value.get_ref().as_str() {
        Some("auto") => Ok(ImageMode::Auto),
        Some("halfblocks") => Ok(ImageMode::HalfBlocks),
        Some("off") => Ok(ImageMode::Off),
        _ => Err(expected(
            "images",
            "\"auto\", \"halfblocks\" or \"off\"",
            value,
        )),
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{parse, ImageMode};

    #[test]
    fn player_and_images_are_read_and_checked() {
        let config = parse(
            "[settings]\nplayer = [\"mpv\", \"--no-video\", \"{url}\"]\nimages = \"halfblocks\"\n",
            None,
        )
        .expect("valid");
        assert_eq!(
            config.settings.player,
            Some(vec!["mpv".into(), "--no-video".into(), "{url}".into()])
        );
        assert_eq!(config.settings.images, ImageMode::HalfBlocks);
        assert_eq!(
            parse("", None).expect("valid").settings.images,
            ImageMode::Auto
        );
        for bad in [
            "player = \"mpv {url}\"",
            "player = []",
            "player = [\"\", \"{url}\"]",
            "player = [\"mpv\", 3]",
            "images = \"sixel\"",
        ] {
            let err = parse(&format!("[settings]\n{bad}\n"), None).expect_err(bad);
            assert!(err.to_string().contains(":2:"), "{bad}: {err}");
        }
    }
}
