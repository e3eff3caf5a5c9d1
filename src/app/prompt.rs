//! The one-line prompt at the bottom of the screen (`/` search, `F` filter, `a`'s URL, the
//! confirmations of `Ctrl-a` and `d`):
//! what is typed, where the cursor is, and the mistake in it. Editing only; what the text means is
//! decided by `search.rs`.

use crate::query::QueryError;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What the prompt is for.
#[derive(Debug, Clone, PartialEq)]
pub enum PromptKind {
    /// `/`: the headlines narrow as the query is typed.
    Search,
    /// `F`: a filter for every view, applied on Enter.
    Filter,
    /// `Ctrl-a` over several feeds: `y` marks `count` articles read.
    ConfirmMarkRead {
        /// Unread articles that would be marked read.
        count: usize,
        /// How many feeds they come from (always more than one).
        feeds: usize,
    },
    /// `a`: the URL of a feed or a web page to subscribe to.
    AddFeed,
    /// `d`: `y` removes the feed from the config and its unstarred articles from the cache.
    ConfirmRemoveFeed {
        /// The feed to remove.
        feed: crate::model::FeedId,
        /// Its display name (one clean line), as asked about.
        name: String,
    },
}

/// An open prompt.
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    /// What it asks for.
    pub kind: PromptKind,
    /// The text typed (one line, no control characters).
    pub input: String,
    /// Cursor position in characters.
    pub cursor: usize,
    /// The mistake in `input` as a query, shown under the prompt.
    pub error: Option<QueryError>,
}

/// What a key did to the prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// The text changed.
    Changed,
    /// Only the cursor moved, or nothing happened.
    Unchanged,
    /// Enter.
    Submit,
    /// Esc (or Ctrl-c, Ctrl-g).
    Cancel,
}

/// Longest input kept: a query longer than this is not typed by hand.
const MAX_INPUT_CHARS: usize = 1_000;

impl Prompt {
    /// A prompt of `kind` holding `input`, the cursor at its end.
    pub fn new(kind: PromptKind, input: String) -> Prompt {
        Prompt {
            kind,
            cursor: input.chars().count(),
            input,
            error: None,
        }
    }

    /// The label before the input.
    pub fn label(&self) -> String {
        match &self.kind {
            PromptKind::Search => "/".into(),
            PromptKind::Filter => "filter: ".into(),
            PromptKind::ConfirmMarkRead { count, feeds } => {
                format!("mark {count} article(s) in {feeds} feeds read? (y/n) ")
            }
            PromptKind::AddFeed => "add feed (URL of a feed or a page): ".into(),
            PromptKind::ConfirmRemoveFeed { name, .. } => {
                format!("Remove \"{name}\" and its unstarred articles? y/n ")
            }
        }
    }

    /// Apply one key press.
    pub fn edit(&mut self, key: &KeyEvent) -> Edit {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Enter => Edit::Submit,
            KeyCode::Esc => Edit::Cancel,
            KeyCode::Char('c' | 'g') if ctrl => Edit::Cancel,
            KeyCode::Char('u') if ctrl => self.replace_range(0, self.cursor, ""),
            KeyCode::Char('a') if ctrl => self.move_to(0),
            KeyCode::Char('e') if ctrl => self.move_to(self.len()),
            KeyCode::Char('w') if ctrl => {
                let chars: Vec<char> = self.input.chars().collect();
                let mut start = self.cursor;
                while start > 0 && chars[start - 1] == ' ' {
                    start -= 1;
                }
                while start > 0 && chars[start - 1] != ' ' {
                    start -= 1;
                }
                self.replace_range(start, self.cursor, "")
            }
            KeyCode::Char(c) if !ctrl && !c.is_control() => {
                if self.len() >= MAX_INPUT_CHARS {
                    return Edit::Unchanged;
                }
                self.replace_range(self.cursor, self.cursor, c.encode_utf8(&mut [0; 4]))
            }
            KeyCode::Backspace if self.cursor > 0 => {
                self.replace_range(self.cursor - 1, self.cursor, "")
            }
            KeyCode::Delete if self.cursor < self.len() => {
                self.replace_range(self.cursor, self.cursor + 1, "")
            }
            KeyCode::Left => self.move_to(self.cursor.saturating_sub(1)),
            KeyCode::Right => self.move_to((self.cursor + 1).min(self.len())),
            KeyCode::Home => self.move_to(0),
            KeyCode::End => self.move_to(self.len()),
            _ => Edit::Unchanged,
        }
    }

    fn len(&self) -> usize {
        self.input.chars().count()
    }

    fn move_to(&mut self, cursor: usize) -> Edit {
        self.cursor = cursor;
        Edit::Unchanged
    }

    /// Replace characters `from..to` with `with`, the cursor after it.
    fn replace_range(&mut self, from: usize, to: usize, with: &str) -> Edit {
        let byte = |i: usize| {
            self.input
                .char_indices()
                .nth(i)
                .map_or(self.input.len(), |(b, _)| b)
        };
        let (start, end) = (byte(from), byte(to));
        self.input.replace_range(start..end, with);
        self.cursor = from + with.chars().count();
        Edit::Changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyEventKind, KeyEventState};

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent {
            code,
            modifiers,
            kind: KeyEventKind::Press,
            state: KeyEventState::NONE,
        }
    }

    fn typed(prompt: &mut Prompt, text: &str) {
        for c in text.chars() {
            prompt.edit(&key(KeyCode::Char(c), KeyModifiers::NONE));
        }
    }

    #[test]
    fn edits_at_the_cursor_in_characters() {
        let mut p = Prompt::new(PromptKind::Search, String::new());
        typed(&mut p, "tïtle");
        assert_eq!(
            p.edit(&key(KeyCode::Left, KeyModifiers::NONE)),
            Edit::Unchanged
        );
        p.edit(&key(KeyCode::Backspace, KeyModifiers::NONE));
        assert_eq!((p.input.as_str(), p.cursor), ("tïte", 3));
        typed(&mut p, "l");
        p.edit(&key(KeyCode::End, KeyModifiers::NONE));
        typed(&mut p, ":rust now");
        p.edit(&key(KeyCode::Char('w'), KeyModifiers::CONTROL));
        assert_eq!(p.input, "tïtle:rust ");
        p.edit(&key(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert_eq!((p.input.as_str(), p.cursor), ("", 0));
        assert_eq!(
            p.edit(&key(KeyCode::Enter, KeyModifiers::NONE)),
            Edit::Submit
        );
        assert_eq!(p.edit(&key(KeyCode::Esc, KeyModifiers::NONE)), Edit::Cancel);
    }

    #[test]
    fn control_characters_are_never_typed() {
        let mut p = Prompt::new(PromptKind::Filter, "unread".into());
        assert_eq!(p.cursor, 6);
        typed(&mut p, "\u{1b}\u{7}");
        assert_eq!(p.input, "unread");
    }
}
