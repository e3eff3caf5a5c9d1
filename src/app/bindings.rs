//! The default keymap as data: every action with its keys, its name in `[keys]` and its help line
//! (the help overlay and the README's key table list them in this order). `keys.rs` applies remaps.

use super::msg::Action;
use crossterm::event::KeyCode;

/// A key as the user types it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A printable character, pressed without Ctrl (case and shift included).
    Char(char),
    /// Ctrl with a letter or digit, stored lowercase; matched case-insensitively.
    Ctrl(char),
    /// A key without a character: arrows, Enter, Esc, F1–F12 and the like.
    Code(KeyCode),
}

/// One row of the default keymap: the keys, what they do, the action's name in `[keys]`, and the
/// help text.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// Default keys, the first one shown first in help.
    pub keys: &'static [Key],
    /// What pressing any of the keys does.
    pub action: Action,
    /// The left-hand side of a `[keys]` remap for this action.
    pub name: &'static str,
    /// The description shown in the help overlay and the README.
    pub help: &'static str,
}

use Key::{Char, Code, Ctrl};

/// Every binding, in the order the help overlay lists them.
pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: &[Char('j'), Code(KeyCode::Down)],
        action: Action::Down,
        name: "down",
        help: "next row / scroll down",
    },
    Binding {
        keys: &[Char('k'), Code(KeyCode::Up)],
        action: Action::Up,
        name: "up",
        help: "previous row / scroll up",
    },
    Binding {
        keys: &[Code(KeyCode::PageDown), Char(' ')],
        action: Action::PageDown,
        name: "page_down",
        help: "page down",
    },
    Binding {
        keys: &[Code(KeyCode::PageUp), Char('b')],
        action: Action::PageUp,
        name: "page_up",
        help: "page up",
    },
    Binding {
        keys: &[Ctrl('d')],
        action: Action::HalfPageDown,
        name: "half_down",
        help: "half page down",
    },
    Binding {
        keys: &[Ctrl('u')],
        action: Action::HalfPageUp,
        name: "half_up",
        help: "half page up",
    },
    Binding {
        keys: &[Char('g'), Code(KeyCode::Home)],
        action: Action::Top,
        name: "top",
        help: "first row / top",
    },
    Binding {
        keys: &[Char('G'), Code(KeyCode::End)],
        action: Action::Bottom,
        name: "bottom",
        help: "last row / bottom",
    },
    Binding {
        keys: &[Code(KeyCode::Enter), Char('l'), Code(KeyCode::Right)],
        action: Action::Open,
        name: "open",
        help: "open feed / article",
    },
    Binding {
        keys: &[Code(KeyCode::Esc), Char('h'), Code(KeyCode::Left)],
        action: Action::Back,
        name: "back",
        help: "back",
    },
    Binding {
        keys: &[Code(KeyCode::Tab)],
        action: Action::SwitchPane,
        name: "switch_pane",
        help: "switch pane",
    },
    Binding {
        keys: &[Char('n')],
        action: Action::NextUnread,
        name: "next_unread",
        help: "next unread article",
    },
    Binding {
        keys: &[Char('N')],
        action: Action::PrevUnread,
        name: "prev_unread",
        help: "previous unread article",
    },
    Binding {
        keys: &[Char('r')],
        action: Action::RefreshFeed,
        name: "refresh",
        help: "refresh selected feed",
    },
    Binding {
        keys: &[Char('R')],
        action: Action::RefreshAll,
        name: "refresh_all",
        help: "refresh all feeds",
    },
    Binding {
        keys: &[Char('m')],
        action: Action::ToggleRead,
        name: "toggle_read",
        help: "toggle read",
    },
    Binding {
        keys: &[Char('A')],
        action: Action::MarkFeedRead,
        name: "mark_feed_read",
        help: "mark feed read",
    },
    Binding {
        keys: &[Char('s')],
        action: Action::ToggleStar,
        name: "star",
        help: "star / unstar",
    },
    Binding {
        keys: &[Char('u')],
        action: Action::ToggleUnreadOnly,
        name: "unread_only",
        help: "show only unread / all",
    },
    Binding {
        keys: &[Char('E')],
        action: Action::Errors,
        name: "errors",
        help: "feed errors (r retries, Enter opens)",
    },
    Binding {
        keys: &[Char('o')],
        action: Action::OpenLink,
        name: "open_link",
        help: "open link in browser",
    },
    Binding {
        keys: &[Char('f')],
        action: Action::ToggleFullText,
        name: "full_text",
        help: "full text of the linked page / feed text",
    },
    Binding {
        keys: &[Char('c')],
        action: Action::ToggleComments,
        name: "comments",
        help: "comments in the reader / back to the article",
    },
    Binding {
        keys: &[Char('C')],
        action: Action::OpenCommentsPage,
        name: "comments_page",
        help: "open the comments page in the browser",
    },
    Binding {
        keys: &[Char('e')],
        action: Action::OpenAttachment,
        name: "attachment",
        help: "open attachment (2e: the second)",
    },
    Binding {
        keys: &[Char('y')],
        action: Action::CopyLink,
        name: "copy_link",
        help: "copy the link (3y: footnote [3]) to the clipboard",
    },
    Binding {
        keys: &[Char('/')],
        action: Action::Search,
        name: "search",
        help: "search headlines as you type",
    },
    Binding {
        keys: &[Char('F')],
        action: Action::Filter,
        name: "filter",
        help: "filter every view by a query",
    },
    Binding {
        keys: &[Ctrl('a')],
        action: Action::MarkViewRead,
        name: "mark_view_read",
        help: "mark the articles in view read",
    },
    Binding {
        keys: &[Char('U')],
        action: Action::Undo,
        name: "undo",
        help: "undo the last read/star change",
    },
    Binding {
        keys: &[Char('a')],
        action: Action::AddFeed,
        name: "add_feed",
        help: "add a feed (URL of a feed or a web page)",
    },
    Binding {
        keys: &[Char('d')],
        action: Action::RemoveFeed,
        name: "remove_feed",
        help: "remove the feed under the cursor (asks first)",
    },
    Binding {
        keys: &[Char('?')],
        action: Action::Help,
        name: "help",
        help: "this help",
    },
    Binding {
        keys: &[Char('q')],
        action: Action::Quit,
        name: "quit",
        help: "back / quit at top",
    },
    Binding {
        keys: &[Ctrl('c')],
        action: Action::ForceQuit,
        name: "force_quit",
        help: "quit",
    },
];
