//! Subscribing and unsubscribing from the reader. `a` asks for a URL, finds its feeds off the UI
//! thread, lets the user pick when a page announces several, appends the feed to the config file and
//! fetches it at once. `d` asks first, then takes the feed out of the config file, the cache and every
//! view. The config file is written before the store changes, so a failed write changes nothing.

use super::msg::ConfigAdd;
use super::prompt::{Prompt, PromptKind};
use super::{Action, App, Effect, FeedEntry, Focus, ListCursor};
use crate::config::NewFeed;
use crate::feed::discover::FoundFeed;
use crate::model::{Feed, FeedId};
use crate::text::sanitize_line;
use std::path::PathBuf;
use url::Url;

/// The pick list shown when a page announces several feeds.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedPick {
    /// The feeds found (fetched and parsed), in page order.
    pub candidates: Vec<FoundFeed>,
    /// Selection and scroll, indexing `candidates`.
    pub cursor: ListCursor,
}

/// Where subscriptions are written and what is in flight.
#[derive(Debug, Default)]
pub struct Subscriptions {
    /// The config file in use; `None` (a config built in code) means `a` and `d` cannot write.
    pub config_path: Option<PathBuf>,
    /// The pick list, while open.
    pub pick: Option<FeedPick>,
    /// The discovery whose answer is awaited; an older one's answer is dropped.
    discovery: Option<u64>,
}

impl App {
    /// Write subscriptions (`a`, `d`) to the config file at `path`.
    pub fn with_config_path(mut self, path: Option<PathBuf>) -> Self {
        self.subscriptions.config_path = path;
        self
    }

    /// The config path, or why `a`/`d` cannot write (in the status bar).
    fn writable_config(&mut self) -> Option<PathBuf> {
        let path = self.subscriptions.config_path.clone();
        if path.is_none() {
            self.note_error("no config file in use: start tidings with --config PATH".into());
        }
        path
    }

    /// `a`: ask for the URL of a feed or a page.
    pub(super) fn start_add_feed(&mut self) -> Vec<Effect> {
        if self.writable_config().is_some() {
            self.finding.prompt = Some(Prompt::new(PromptKind::AddFeed, String::new()));
        }
        Vec::new()
    }

    /// Enter in the URL prompt: look for feeds there (unless the config has it already).
    pub(super) fn add_feed_submitted(&mut self) -> Vec<Effect> {
        let typed = self
            .finding
            .prompt
            .take()
            .map(|p| p.input.trim().to_string())
            .unwrap_or_default();
        if typed.is_empty() {
            return Vec::new();
        }
        let Some(url) = Url::parse(&typed)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
        else {
            self.note_error(format!(
                "expected an http(s):// URL of a feed or a web page, found `{}`",
                sanitize_line(&typed)
            ));
            return Vec::new();
        };
        if let Some(name) = self.listed_name(url.as_str()) {
            self.note(format!("{url} is already in the config ({name})"));
            return Vec::new();
        }
        let generation = self.next_generation();
        self.subscriptions.discovery = Some(generation);
        self.note(format!("looking for feeds at {url}…"));
        vec![Effect::DiscoverFeeds {
            generation,
            url: url.to_string(),
        }]
    }

    /// The display name of the listed feed at `url`, if one is.
    fn listed_name(&self, url: &str) -> Option<String> {
        self.store
            .listed_feeds()
            .find(|f| f.url == url)
            .map(|f| f.display_name().to_string())
    }

    /// The feeds found at the URL: add the one, or let the user pick among several.
    pub(super) fn on_discovered(
        &mut self,
        generation: u64,
        result: Result<Vec<FoundFeed>, String>,
    ) -> Vec<Effect> {
        if self.subscriptions.discovery != Some(generation) {
            return Vec::new();
        }
        self.subscriptions.discovery = None;
        let found = match result {
            Ok(found) => found,
            Err(e) => {
                self.note_error(format!("{e}; the config is unchanged"));
                return Vec::new();
            }
        };
        let (present, new): (Vec<FoundFeed>, Vec<FoundFeed>) = found
            .into_iter()
            .partition(|f| self.listed_name(f.url.as_str()).is_some());
        match new.len() {
            0 => {
                let url = present
                    .first()
                    .map(|f| f.url.to_string())
                    .unwrap_or_default();
                self.note(format!("{url} is already in the config"));
                Vec::new()
            }
            1 => new
                .into_iter()
                .next()
                .map(|f| self.add_candidate(f))
                .unwrap_or_default(),
            n => {
                self.note(format!(
                    "{n} feeds found: j/k choose, Enter adds, Esc cancels"
                ));
                self.subscriptions.pick = Some(FeedPick {
                    candidates: new,
                    cursor: ListCursor::default(),
                });
                Vec::new()
            }
        }
    }

    /// Rows of the pick list shown at once (it is drawn over the panes, with a border).
    pub fn pick_height(&self) -> usize {
        usize::from(self.height).saturating_sub(4).clamp(1, 12)
    }

    /// A key while the pick list is open.
    pub(super) fn act_in_pick(&mut self, action: Action) -> Vec<Effect> {
        let height = self.pick_height();
        let Some(pick) = self.subscriptions.pick.as_mut() else {
            return Vec::new();
        };
        match action {
            Action::ForceQuit => return self.quit(),
            Action::Back | Action::Quit => {
                self.subscriptions.pick = None;
                self.note("nothing added".into());
            }
            Action::Open => {
                let chosen = pick.candidates.get(pick.cursor.selected).cloned();
                self.subscriptions.pick = None;
                if let Some(feed) = chosen {
                    return self.add_candidate(feed);
                }
            }
            other => {
                let len = pick.candidates.len();
                super::actions::move_cursor(&mut pick.cursor, other, len, height);
            }
        }
        Vec::new()
    }

    /// Append `found` to the config file (its own title as the name).
    fn add_candidate(&mut self, found: FoundFeed) -> Vec<Effect> {
        let Some(path) = self.writable_config() else {
            return Vec::new();
        };
        self.note(format!("adding {}…", found.url));
        vec![Effect::AddToConfig {
            path,
            feed: NewFeed {
                url: found.url.to_string(),
                name: found.title,
                tags: Vec::new(),
            },
        }]
    }

    /// The config file has the feed: list it, select it and fetch it at once.
    pub(super) fn on_feed_added(&mut self, result: Result<ConfigAdd, String>) -> Vec<Effect> {
        let (url, name) = match result {
            Err(e) => {
                self.note_error(format!("could not add the feed: {e}"));
                return Vec::new();
            }
            Ok(ConfigAdd::AlreadyPresent(url)) => {
                self.note(format!("{url} is already in the config; nothing changed"));
                return Vec::new();
            }
            Ok(ConfigAdd::Added { url, name }) => (url, name),
        };
        if let Some(existing) = self.listed_name(&url) {
            self.note(format!("{url} is already listed ({existing})"));
            return Vec::new();
        }
        let id = self.store.add_feed(new_feed(url, name));
        self.rebuild_entries();
        if let Some(index) = self.entries.iter().position(|e| *e == FeedEntry::Feed(id)) {
            let height = self.panes().feeds_inner_height();
            self.feeds_cursor.select(index, self.entries.len(), height);
            self.headlines_cursor = ListCursor::default();
            self.reload_headlines();
        }
        let shown = self
            .store
            .feed(id)
            .map(|f| f.display_name().to_string())
            .unwrap_or_default();
        let effects = self.refresh(vec![id]);
        self.note(format!("added {shown}; fetching it"));
        effects
    }

    /// `d`: ask before removing the feed under the cursor in the feeds pane.
    pub(super) fn start_remove_feed(&mut self) -> Vec<Effect> {
        let selected = match (self.focus, self.selected_entry()) {
            (Focus::Feeds, Some(FeedEntry::Feed(id))) => *id,
            _ => {
                self.note("d removes the feed under the cursor in the feeds pane".into());
                return Vec::new();
            }
        };
        if self.writable_config().is_none() {
            return Vec::new();
        }
        let name = self
            .store
            .feed(selected)
            .map(|f| sanitize_line(f.display_name()))
            .unwrap_or_default();
        self.finding.prompt = Some(Prompt::new(
            PromptKind::ConfirmRemoveFeed {
                feed: selected,
                name,
            },
            String::new(),
        ));
        Vec::new()
    }

    /// The answer to `d`'s question: `y` takes the feed out of the config file first.
    pub(super) fn remove_feed_answered(&mut self, feed: FeedId, yes: bool) -> Vec<Effect> {
        if !yes {
            self.note("nothing removed".into());
            return Vec::new();
        }
        let Some(url) = self.store.feed(feed).map(|f| f.url.clone()) else {
            return Vec::new();
        };
        let Some(path) = self.writable_config() else {
            return Vec::new();
        };
        vec![Effect::RemoveFromConfig { path, feed, url }]
    }

    /// The config file no longer lists the feed: take it out of every view, then out of the cache.
    pub(super) fn on_feed_removed(
        &mut self,
        feed: FeedId,
        result: Result<(), String>,
    ) -> Vec<Effect> {
        let Some((name, url)) = self
            .store
            .feed(feed)
            .map(|f| (f.display_name().to_string(), f.url.clone()))
        else {
            return Vec::new();
        };
        if let Err(e) = result {
            self.note_error(format!("could not remove {name}: {e}"));
            return Vec::new();
        }
        if !self.store.remove_feed(feed) {
            return Vec::new();
        }
        if self.refresh.in_flight.remove(&feed) {
            self.refresh.done += 1;
        }
        if self.reader.as_ref().is_some_and(|r| r.feed == feed) {
            self.reader = None;
            if self.focus == Focus::Article {
                self.focus = Focus::Feeds;
            }
        }
        let selected = self.feeds_cursor.selected;
        self.rebuild_entries();
        let height = self.panes().feeds_inner_height();
        self.feeds_cursor
            .select(selected, self.entries.len(), height);
        self.headlines_cursor = ListCursor::default();
        self.reload_headlines();
        self.refresh_error_rows();
        self.note(format!("removed {name}"));
        if self.cache_in_use {
            vec![Effect::ForgetFeed { url, name }]
        } else {
            Vec::new()
        }
    }

    /// The cache dropped the removed feed's unstarred articles (or could not).
    pub(super) fn on_feed_forgotten(&mut self, name: String, result: Result<usize, String>) {
        match result {
            Ok(n) => self.note(format!(
                "removed {name} ({n} unstarred article(s) dropped from the cache)"
            )),
            Err(e) => self.note_error(format!(
                "removed {name} from the config, but the cache kept its articles: {e}"
            )),
        }
    }
}

/// A feed just added from the reader: the config's defaults (no per-feed settings), never fetched.
fn new_feed(url: String, name: Option<String>) -> Feed {
    Feed {
        configured_name: name,
        ..Feed::new(FeedId(0), url)
    }
}
