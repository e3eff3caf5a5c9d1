//! The TUI state machine: `App` holds the state, `update` turns a `Msg` into state changes and `Effect`s.
//! No channels, handles or IO in here, so the whole behaviour is testable in a plain `#[test]`.

mod actions;
mod article;
pub mod attachments;
mod bindings;
mod comments;
mod errors;
mod full_text;
pub mod keys;
pub mod layout;
pub mod list;
mod mouse;
pub mod msg;
mod pictures;
pub mod prompt;
mod query_feeds;
pub mod reader;
mod refresh;
pub mod search;
mod selection;
pub mod standfirst;
mod subscriptions;
mod undo;

pub use errors::ErrorView;
pub use layout::{layout, Focus, MainView, Panes};
pub use list::ListCursor;
pub use msg::{Action, ConfigAdd, Effect, FullTextPage, Msg};
pub use prompt::{Prompt, PromptKind};
pub use query_feeds::QueryFeed;
pub use reader::Reader;
pub use search::{ActiveQuery, Finding};
pub use subscriptions::{FeedPick, Subscriptions};
pub use undo::UndoStack;

use crate::config::Settings;
use crate::model::{ArticleId, Body, FeedId};
use crate::store::{ArticleKey, Store};
use std::collections::{HashMap, HashSet};

pub use article::SYNC_RENDER_LIMIT;

/// A row of the feeds pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedEntry {
    /// Every article of every feed.
    All,
    /// The starred articles of every feed.
    Starred,
    /// A `[[query]]` feed, by index into `App::query_feeds`.
    Query(usize),
    /// The articles of the feeds given this tag in the config.
    Tag(String),
    /// One configured feed's articles.
    Feed(FeedId),
}

/// A one-line note for the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusNote {
    /// The note itself, one line (errors are sanitised before they get here).
    pub text: String,
    /// Drawn in the error style; an error is not hidden by later "feeds asked to wait" notes.
    pub is_error: bool,
}

/// Progress of the refresh in flight.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefreshProgress {
    /// Feeds whose refresh was asked for and has not finished; never fetched twice at once.
    pub in_flight: HashSet<FeedId>,
    /// Refreshes finished in this batch (the `done` of "refreshing done/total").
    pub done: usize,
    /// Refreshes asked for in this batch; the batch starts over once nothing is in flight.
    pub total: usize,
    /// A feed of this batch brought new articles: `text:` answers are asked again when it ends.
    pub loaded: bool,
}

/// The whole state of the reader.
#[derive(Debug)]
pub struct App {
    /// The feeds and their articles (headlines and flags; bodies too when no cache is in use).
    pub store: Store,
    /// The config's global settings (refresh interval, retention, images, player…).
    pub settings: Settings,
    /// The pane that has the keyboard.
    pub focus: Focus,
    /// The feeds pane's rows in display order: All, Starred, query feeds, tags, then feeds.
    pub entries: Vec<FeedEntry>,
    /// Selection and scroll of the feeds pane, indexing `entries`.
    pub feeds_cursor: ListCursor,
    /// The articles of the selected entry, computed when the selection or the data changes, not per frame.
    pub headlines: Vec<ArticleKey>,
    /// Selection and scroll of the headlines pane, indexing `headlines`.
    pub headlines_cursor: ListCursor,
    /// The open article, when one is open.
    pub reader: Option<Reader>,
    /// Terminal width in cells (80 until the first `Msg::Resize`).
    pub width: u16,
    /// Terminal height in cells (24 until the first `Msg::Resize`).
    pub height: u16,
    /// The help overlay is drawn over everything; the next key closes it.
    pub show_help: bool,
    /// The keys in effect (defaults, remapped by `[keys]`).
    pub keymap: keys::Keymap,
    /// The error view (`E`), when open.
    pub errors: Option<ErrorView>,
    /// Where and when the last mouse click was, to tell a double click.
    last_click: Option<((u16, u16), std::time::Instant)>,
    /// Headline lists hide read articles (toggled by a key).
    pub unread_only: bool,
    /// The latest note for the status bar; it stays until another replaces it.
    pub status: Option<StatusNote>,
    /// The refresh in flight, for the status bar's progress.
    pub refresh: RefreshProgress,
    /// Set when something visible changed; the runtime draws and clears it.
    pub dirty: bool,
    /// Set on quit; the runtime leaves its loop once the current messages are handled.
    pub should_quit: bool,
    /// Full texts fetched this session, so `f` does not fetch twice.
    full_texts: HashMap<ArticleId, crate::text::Rendered>,
    generation: u64,
    /// A cache takes every save: bodies leave the store once saved and are read back on open.
    cache_in_use: bool,
    /// Spinner phase, advanced by ticks while refreshing.
    pub spinner: usize,
    /// A count typed before a key (`2e`), taken by the next action.
    count: Option<usize>,
    /// `/` search, `F` filter and the prompt that edits them.
    pub finding: Finding,
    /// The `[[query]]` feeds and their counts.
    pub query_feeds: Vec<QueryFeed>,
    /// Read/star changes made with a key, for `U`.
    pub undo: UndoStack,
    /// The store revision the query feeds were last counted at.
    counted_revision: u64,
    /// `a` and `d`: the config file they write, the pick list, the discovery awaited.
    pub subscriptions: Subscriptions,
}

impl App {
    /// A new app over `store` (already filled from the cache, or empty).
    pub fn new(store: Store, settings: Settings) -> Self {
        let mut app = App {
            store,
            settings,
            focus: Focus::Feeds,
            entries: Vec::new(),
            feeds_cursor: ListCursor::default(),
            headlines: Vec::new(),
            headlines_cursor: ListCursor::default(),
            reader: None,
            width: 80,
            height: 24,
            show_help: false,
            keymap: keys::Keymap::default(),
            errors: None,
            last_click: None,
            unread_only: false,
            status: None,
            refresh: RefreshProgress::default(),
            dirty: true,
            should_quit: false,
            full_texts: HashMap::new(),
            generation: 0,
            cache_in_use: false,
            spinner: 0,
            count: None,
            finding: Finding::default(),
            query_feeds: Vec::new(),
            undo: UndoStack::default(),
            counted_revision: 0,
            subscriptions: Subscriptions::default(),
        };
        app.rebuild_entries();
        app.reload_headlines();
        app
    }

    /// Tell the app whether a cache takes its saves. When it does, article bodies leave memory once
    /// handed to the cache (`Effect::SaveFeed` carries them) and are read back when an article is opened,
    /// so the store holds headlines and flags only. Without a cache (`--no-cache`, tests) bodies stay
    /// and nothing is saved.
    pub fn with_cache(mut self, in_use: bool) -> Self {
        self.cache_in_use = in_use;
        self
    }

    /// Apply one message; returns what the runtime should do.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let mut effects = self.apply(msg);
        // Pictures of the article on screen, once each, whatever opened or re-rendered it.
        effects.extend(self.request_pictures());
        self.recount_if_store_changed();
        effects
    }

    fn apply(&mut self, msg: Msg) -> Vec<Effect> {
        self.dirty = true;
        match msg {
            Msg::Key(key) => self.on_key(key),
            Msg::Mouse(event) => self.on_mouse(event),
            Msg::Resize { width, height } => {
                self.width = width;
                self.height = height;
                self.fit_to_size();
                Vec::new()
            }
            Msg::Tick => {
                self.dirty = !self.refresh.in_flight.is_empty();
                self.spinner = self.spinner.wrapping_add(1);
                Vec::new()
            }
            Msg::Start => {
                let mut effects = self.refresh(self.all_feed_ids());
                effects.extend(self.resolve_text_again());
                effects
            }
            Msg::AutoRefresh => self.refresh(self.feeds_due()),
            Msg::Feed(update) => {
                self.refresh.loaded |= matches!(update, crate::model::FeedUpdate::Loaded { .. });
                let mut effects = self.on_feed_update(update);
                // Once per refresh, not per feed: each answer opens the index and catches it up.
                if self.refresh.in_flight.is_empty() && std::mem::take(&mut self.refresh.loaded) {
                    effects.extend(self.resolve_text_again());
                }
                effects
            }
            Msg::TextHits { generation, result } => self.on_text_hits(generation, result),
            Msg::Rendered {
                generation,
                rendered,
            } => {
                if let Some(reader) = self.reader.as_mut().filter(|r| r.generation == generation) {
                    reader.set_body(reader::BodyView::Ready(rendered));
                }
                Vec::new()
            }
            Msg::StoredFullText { generation, html } => self.on_stored_full_text(generation, html),
            Msg::FullText { generation, result } => self.on_full_text(generation, result),
            Msg::BodyLoaded {
                generation,
                feed,
                id,
                summary,
                content,
            } => self.on_body_loaded(generation, feed, id, Body::new(summary, content)),
            Msg::Comments { generation, result } => self.on_comments(generation, result),
            Msg::Picture {
                id,
                index,
                url,
                result,
            } => {
                self.on_picture(id, index, url, result);
                Vec::new()
            }
            Msg::Discovered { generation, result } => self.on_discovered(generation, result),
            Msg::FeedAdded(result) => self.on_feed_added(result),
            Msg::FeedRemoved { feed, result } => self.on_feed_removed(feed, result),
            Msg::FeedForgotten { name, result } => {
                self.on_feed_forgotten(name, result);
                Vec::new()
            }
            Msg::CacheFailed(message) | Msg::OpenFailed(message) => {
                self.note_error(message);
                Vec::new()
            }
        }
    }

    fn on_key(&mut self, key: crossterm::event::KeyEvent) -> Vec<Effect> {
        if let Some((esc, key)) = self.keymap.split_alt(&key) {
            let mut effects = self.on_key(esc);
            effects.extend(self.on_key(key));
            return effects;
        }
        if self.finding.prompt.is_some() && key.kind == crossterm::event::KeyEventKind::Press {
            return self.prompt_key(&key);
        }
        match self.keymap.action_for(&key) {
            Some(action) => self.act(action),
            None if self.push_count_digit(&key) => Vec::new(),
            None => {
                self.count = None;
                self.dirty = std::mem::take(&mut self.show_help);
                Vec::new()
            }
        }
    }

    /// The panes for the current size and focus.
    pub fn panes(&self) -> Panes {
        layout(self.width, self.height, self.focus)
    }

    fn fit_to_size(&mut self) {
        let panes = self.panes();
        self.feeds_cursor
            .keep_visible(self.entries.len(), panes.feeds_inner_height());
        self.headlines_cursor
            .keep_visible(self.headlines.len(), panes.main_inner_height());
        let picture_rows = self.picture_rows();
        if let Some(reader) = self.reader.as_mut() {
            reader.set_picture_rows(picture_rows);
            reader.ensure_wrapped(Reader::text_width(panes.main_inner_width()));
            reader.clamp_scroll(panes.main_inner_height());
        }
    }

    fn next_generation(&mut self) -> u64 {
        self.generation += 1;
        self.generation
    }

    fn note(&mut self, text: String) {
        self.status = Some(StatusNote {
            text,
            is_error: false,
        });
    }

    /// Show an error in the status bar (sanitised: it may quote outside text).
    pub fn note_error(&mut self, text: String) {
        self.status = Some(StatusNote {
            text: crate::text::sanitize_line(&text),
            is_error: true,
        });
    }
}
