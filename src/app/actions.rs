//! What each key action does in each pane.

use super::{Action, App, Effect, FeedEntry, Focus, StatusNote};
use crate::model::FeedId;
use crate::store::ArticleKey;
use crate::text;

impl App {
    /// Perform a key action.
    pub(super) fn act(&mut self, action: Action) -> Vec<Effect> {
        let count = self.count.take();
        if self.show_help {
            // Any key closes the help; Ctrl-c still quits.
            self.show_help = false;
            return if action == Action::ForceQuit {
                self.quit()
            } else {
                Vec::new()
            };
        }
        if self.subscriptions.pick.is_some() {
            return self.act_in_pick(action);
        }
        if self.errors.is_some() {
            return self.act_in_errors(action);
        }
        match action {
            Action::ForceQuit => self.quit(),
            Action::Errors => self.toggle_errors(),
            Action::Help => {
                self.show_help = true;
                Vec::new()
            }
            Action::RefreshAll => self.refresh(self.all_feed_ids()),
            Action::RefreshFeed => {
                let feeds = self.feeds_in_focus();
                self.refresh(feeds)
            }
            Action::ToggleUnreadOnly => {
                self.unread_only = !self.unread_only;
                self.reload_headlines();
                self.note(
                    if self.unread_only {
                        "showing unread only"
                    } else {
                        "showing all articles"
                    }
                    .into(),
                );
                Vec::new()
            }
            Action::MarkFeedRead => self.mark_feed_read(),
            // `3o`: footnote [3] of the article on screen, as the text shows it.
            Action::OpenLink if count.is_some() && self.focus == Focus::Article => {
                match self.footnote(count) {
                    Some(url) => self.open_url(url),
                    None => Vec::new(),
                }
            }
            Action::CopyLink => self.copy_link(count),
            Action::OpenAttachment => self.open_attachment(count),
            Action::OpenCommentsPage => self.open_comments_page(),
            Action::Search => self.start_search(),
            Action::Filter => self.start_filter(),
            Action::Undo => self.undo_last(),
            Action::MarkViewRead => self.mark_view_read(),
            Action::AddFeed => self.start_add_feed(),
            Action::RemoveFeed => self.start_remove_feed(),
            _ => match self.focus {
                Focus::Feeds => self.act_in_feeds(action),
                Focus::Headlines => self.act_in_headlines(action),
                Focus::Article => self.act_in_article(action),
            },
        }
    }

    pub(super) fn quit(&mut self) -> Vec<Effect> {
        self.should_quit = true;
        vec![Effect::Quit]
    }

    fn act_in_feeds(&mut self, action: Action) -> Vec<Effect> {
        let height = self.panes().feeds_inner_height();
        let before = self.feeds_cursor.selected;
        let len = self.entries.len();
        match action {
            Action::Quit => return self.quit(),
            Action::Open | Action::SwitchPane => self.focus = Focus::Headlines,
            Action::NextUnread | Action::PrevUnread => {
                let forward = action == Action::NextUnread;
                if let Some(i) = self.next_entry_with_unread(forward) {
                    self.feeds_cursor.select(i, len, height);
                }
            }
            Action::ToggleRead
            | Action::ToggleStar
            | Action::OpenLink
            | Action::ToggleFullText
            | Action::ToggleComments => {
                self.note("that acts on an article: Enter opens this feed's headlines".into());
            }
            other => move_cursor(&mut self.feeds_cursor, other, len, height),
        }
        if self.feeds_cursor.selected != before {
            self.headlines_cursor = Default::default();
            self.reload_headlines();
        }
        Vec::new()
    }

    fn act_in_headlines(&mut self, action: Action) -> Vec<Effect> {
        let height = self.panes().main_inner_height();
        let len = self.headlines.len();
        match action {
            // Esc first clears a kept search, then goes back.
            Action::Back if self.clear_search() => {}
            Action::Quit | Action::Back | Action::SwitchPane => self.focus = Focus::Feeds,
            Action::Open => {
                if let Some(key) = self.selected_article() {
                    return self.open_article(key);
                }
            }
            Action::NextUnread | Action::PrevUnread => {
                if let Some(i) = self.next_unread_headline(action == Action::NextUnread) {
                    self.headlines_cursor.select(i, len, height);
                } else {
                    self.note("no more unread articles here".into());
                }
            }
            Action::ToggleRead => return self.toggle_read(),
            Action::ToggleStar => return self.toggle_star(),
            Action::OpenLink => return self.open_link(),
            Action::ToggleFullText | Action::ToggleComments => {
                self.note("open an article first (Enter), then f or c".into())
            }
            other => move_cursor(&mut self.headlines_cursor, other, len, height),
        }
        Vec::new()
    }

    fn act_in_article(&mut self, action: Action) -> Vec<Effect> {
        let height = self.panes().main_inner_height();
        let page = height.max(2) as isize - 1;
        let Some(reader) = self.reader.as_mut() else {
            self.focus = Focus::Headlines;
            return Vec::new();
        };
        match action {
            Action::Down => reader.scroll_by(1, height),
            Action::Up => reader.scroll_by(-1, height),
            Action::PageDown => reader.scroll_by(page, height),
            Action::PageUp => reader.scroll_by(-page, height),
            Action::HalfPageDown => reader.scroll_by(page / 2 + 1, height),
            Action::HalfPageUp => reader.scroll_by(-(page / 2 + 1), height),
            Action::Top => reader.scroll = 0,
            Action::Bottom => reader.scroll_by(isize::MAX / 2, height),
            Action::Quit | Action::Back if reader.source == super::reader::BodySource::Comments => {
                return self.toggle_comments();
            }
            Action::Quit | Action::Back => {
                self.reader = None;
                self.focus = Focus::Headlines;
            }
            Action::SwitchPane => self.focus = Focus::Feeds,
            Action::NextUnread | Action::PrevUnread => {
                match self.next_unread_headline(action == Action::NextUnread) {
                    Some(i) => {
                        let len = self.headlines.len();
                        self.headlines_cursor.select(i, len, height);
                        return self.open_article(self.headlines[i]);
                    }
                    None => self.note("no more unread articles here".into()),
                }
            }
            Action::ToggleRead => return self.toggle_read(),
            Action::ToggleStar => return self.toggle_star(),
            Action::OpenLink => return self.open_link(),
            Action::ToggleFullText => return self.toggle_full_text(),
            Action::ToggleComments => return self.toggle_comments(),
            _ => {}
        }
        Vec::new()
    }

    /// The article the keys act on: the open one in the reader, else the selected headline.
    pub(super) fn focused_article(&self) -> Option<ArticleKey> {
        match (&self.reader, self.focus) {
            (Some(r), Focus::Article) => self.store.find(r.feed, &r.id),
            _ => self.selected_article(),
        }
    }

    fn toggle_read(&mut self) -> Vec<Effect> {
        let Some(key) = self.focused_article() else {
            return Vec::new();
        };
        let read = self.store.get(key).is_some_and(|a| a.read);
        let before = self.flags_before(&[key]);
        self.store.set_read(key, !read);
        let what = if read { "marked unread" } else { "marked read" };
        self.record_undo(what.into(), before);
        self.flag_effect(key)
    }

    fn toggle_star(&mut self) -> Vec<Effect> {
        let Some(key) = self.focused_article() else {
            return Vec::new();
        };
        let before = self.flags_before(&[key]);
        if let Some(starred) = self.store.toggle_starred(key) {
            let what = if starred { "starred" } else { "unstarred" };
            self.note(what.into());
            self.record_undo(what.into(), before);
        }
        self.flag_effect(key)
    }

    pub(super) fn flag_effect(&self, key: ArticleKey) -> Vec<Effect> {
        self.store
            .flag_write(key)
            .map(|w| vec![Effect::SaveFlags(vec![w])])
            .unwrap_or_default()
    }

    fn open_link(&mut self) -> Vec<Effect> {
        match self.article_link() {
            Some(url) => self.open_url(url),
            None => Vec::new(),
        }
    }

    pub(super) fn open_url(&mut self, url: String) -> Vec<Effect> {
        self.status = Some(StatusNote {
            text: format!("opening {url}"),
            is_error: false,
        });
        vec![Effect::OpenLink(url)]
    }

    /// The focused article's link as an http(s) URL; the status bar says why when there is none.
    fn article_link(&mut self) -> Option<String> {
        let key = self.focused_article()?;
        let Some(link) = self.store.get(key).and_then(|a| a.link.clone()) else {
            self.note_error("this article has no link".into());
            return None;
        };
        let url = text::sanitize_url(&link);
        if url.is_none() {
            self.note_error(format!("refused to open a non-http(s) link: {link}"));
        }
        url
    }

    /// Footnote `[n]` of the article on screen, as an http(s) URL; the status bar says why when there
    /// is none.
    pub(super) fn footnote(&mut self, n: Option<usize>) -> Option<String> {
        let n = n?;
        let link = self
            .reader
            .as_ref()
            .filter(|_| self.focus == Focus::Article)
            .and_then(|r| r.footnote(n))
            .map(str::to_string);
        match link.as_deref().and_then(text::sanitize_url) {
            Some(url) => Some(url),
            None => {
                self.note_error(format!("there is no web link [{n}] in this article"));
                None
            }
        }
    }

    /// `y` copies the article's link, `3y` footnote [3], to the clipboard: only when asked, only a URL.
    fn copy_link(&mut self, count: Option<usize>) -> Vec<Effect> {
        let url = match count {
            Some(_) => self.footnote(count),
            None => self.article_link(),
        };
        match url {
            Some(url) => {
                self.note(format!("copied {url}"));
                vec![Effect::CopyToClipboard(url)]
            }
            None => Vec::new(),
        }
    }

    /// `A`: in the feeds pane, every article behind the selected entry (a feed, a tag, a query feed,
    /// or all); elsewhere, the feed of the article in focus. On "Starred", the starred articles.
    fn mark_feed_read(&mut self) -> Vec<Effect> {
        let entry = self.selected_entry().cloned();
        let keys: Vec<ArticleKey> = match entry {
            Some(FeedEntry::Starred) if self.focus == Focus::Feeds => self.headlines.clone(),
            Some(FeedEntry::Query(_)) if self.focus == Focus::Feeds => self.view_keys(),
            _ => self.store.keys_of(&self.feeds_in_focus()),
        };
        self.mark_read_undoably(&keys, "marked feed read")
    }

    /// Feeds behind the focused entry (or the selected article's feed in the headlines).
    fn feeds_in_focus(&self) -> Vec<FeedId> {
        if self.focus != Focus::Feeds {
            if let Some(key) = self.focused_article() {
                return vec![key.feed];
            }
        }
        match self.selected_entry() {
            Some(FeedEntry::Feed(id)) => vec![*id],
            Some(FeedEntry::Tag(tag)) => self
                .store
                .listed_feeds()
                .filter(|f| f.tags.contains(tag))
                .map(|f| f.id)
                .collect(),
            _ => self.all_feed_ids(),
        }
    }

    fn next_entry_with_unread(&self, forward: bool) -> Option<usize> {
        let current = self.feeds_cursor.selected;
        let has_unread = |i: &usize| {
            matches!(self.entries.get(*i), Some(FeedEntry::Feed(_)))
                && self.entry_counts(&self.entries[*i]).unread > 0
        };
        if forward {
            (current + 1..self.entries.len()).find(has_unread)
        } else {
            (0..current).rev().find(has_unread)
        }
    }

    fn next_unread_headline(&self, forward: bool) -> Option<usize> {
        let current = self.headlines_cursor.selected;
        let unread = |i: &usize| self.store.get(self.headlines[*i]).is_some_and(|a| !a.read);
        if forward {
            (current + 1..self.headlines.len()).find(unread)
        } else {
            (0..current).rev().find(unread)
        }
    }
}

/// Move a list cursor for a movement action (other actions are ignored).
pub(super) fn move_cursor(
    cursor: &mut super::ListCursor,
    action: Action,
    len: usize,
    height: usize,
) {
    let page = height.max(1) as isize;
    let delta = match action {
        Action::Down => 1,
        Action::Up => -1,
        Action::PageDown => page,
        Action::PageUp => -page,
        Action::HalfPageDown => page / 2 + 1,
        Action::HalfPageUp => -(page / 2 + 1),
        Action::Top => isize::MIN / 2,
        Action::Bottom => isize::MAX / 2,
        _ => return,
    };
    cursor.move_by(delta, len, height);
}
