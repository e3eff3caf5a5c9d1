//! Messages into `App::update`, the actions keys map to, and the effects `update` asks the runtime for.

use crate::feed::RefreshJob;
use crate::model::{ArticleId, FeedId, FeedUpdate};
use crate::store::{FeedSnapshot, FlagWrite};
use crate::text::Rendered;
use crossterm::event::KeyEvent;

/// Everything that can happen to the app.
#[derive(Debug, Clone)]
pub enum Msg {
    /// A key was pressed (releases are filtered out by the runtime and ignored here too).
    Key(KeyEvent),
    /// The terminal has a new size.
    Resize { width: u16, height: u16 },
    /// ~250 ms heartbeat: spinners, auto-refresh, retry-after expiry.
    Tick,
    /// Start-up: kick off the first refresh.
    Start,
    /// The auto-refresh timer (once a minute): refresh the feeds whose interval has passed.
    AutoRefresh,
    /// A fetch task reports on one feed.
    Feed(FeedUpdate),
    /// A body rendered off the UI thread (large articles); stale generations are dropped.
    Rendered { generation: u64, rendered: Rendered },
    /// The stored copy of an article's full text, if the cache has one (reply to
    /// `Effect::ReadStoredFullText`): shown when there, else the page is fetched.
    StoredFullText {
        generation: u64,
        html: Option<String>,
    },
    /// A full-text fetch finished; stale generations are dropped. A fetched page is also saved.
    FullText {
        generation: u64,
        result: Result<FullTextPage, String>,
    },
    /// An article body read from the cache. With a cache in use it is rendered for the reader and not
    /// kept; without one it fills the store. Stale generations are not shown.
    BodyLoaded {
        generation: u64,
        feed: FeedId,
        id: ArticleId,
        summary: Option<String>,
        content: Option<String>,
    },
    /// A comment feed fetched and threaded (reply to `Effect::FetchComments`); stale generations are
    /// dropped, a failure is one line for the status bar.
    Comments {
        generation: u64,
        result: Result<Vec<crate::feed::comments::Comment>, String>,
    },
    /// A picture of an article fetched, decoded and encoded (reply to `Effect::FetchPicture`), or why
    /// not; kept only when that article is still open.
    Picture {
        id: ArticleId,
        index: usize,
        url: String,
        result: Result<crate::pictures::Picture, String>,
    },
    /// The cache could not save something; one line for the status bar.
    CacheFailed(String),
    /// The opener could not open a link.
    OpenFailed(String),
    /// The full-text index's answers for a query's `text:` terms (reply to `Effect::SearchText`);
    /// only the latest request of its purpose is used.
    TextHits {
        generation: u64,
        result: Result<crate::query::TextHits, String>,
    },
}

/// A fetched and extracted page: its HTML (kept in the cache) and its rendering (shown).
#[derive(Debug, Clone, PartialEq)]
pub struct FullTextPage {
    pub html: String,
    pub rendered: Rendered,
}

/// What a key asks for; its meaning depends on the focused pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Move the selection (or scroll) one row down.
    Down,
    /// Move the selection (or scroll) one row up.
    Up,
    /// One page down.
    PageDown,
    /// One page up.
    PageUp,
    /// Half a page down.
    HalfPageDown,
    /// Half a page up.
    HalfPageUp,
    /// First row.
    Top,
    /// Last row.
    Bottom,
    /// Open the selected feed or article.
    Open,
    /// Go back one level.
    Back,
    /// Switch between the feeds and headlines panes.
    SwitchPane,
    /// Next unread article.
    NextUnread,
    /// Previous unread article.
    PrevUnread,
    /// Refresh the selected feed.
    RefreshFeed,
    /// Refresh every feed.
    RefreshAll,
    /// Toggle the read flag of the selected article.
    ToggleRead,
    /// Mark every article in the selected feed read.
    MarkFeedRead,
    /// Toggle the star of the selected article.
    ToggleStar,
    /// Show only unread articles, or all.
    ToggleUnreadOnly,
    /// Open the article's link in the browser.
    OpenLink,
    /// Show the full text of the linked page instead of the feed's content.
    ToggleFullText,
    /// Show the item's comments in the reader (from its comment feed), or the article again.
    ToggleComments,
    /// Open the item's comments page with the system opener.
    OpenCommentsPage,
    /// Open an attachment (the first, or the Nth after a count: `2e`) with the player or opener.
    OpenAttachment,
    /// Show or hide the help overlay.
    Help,
    /// Show or hide the error view: every feed, failing ones first, with why.
    Errors,
    /// Back, or quit from the top level.
    Quit,
    /// Quit from anywhere.
    ForceQuit,
    /// Search the headlines as you type (`/`).
    Search,
    /// Set the filter applied to every view (`F`).
    Filter,
    /// Mark every article of the view read (asks when it spans feeds).
    MarkViewRead,
    /// Undo the last read/star change made with a key.
    Undo,
}

/// Work outside the state machine that `update` asks the runtime to do. Each is a complete value: the
/// runtime executes it without looking at `App`, and its result comes back as a `Msg`.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Fetch these feeds (replies arrive as `Msg::Feed`).
    Refresh(Vec<RefreshJob>),
    /// Open an http(s) URL with the system opener, as one argument, never through a shell.
    OpenLink(String),
    /// Run the user's `player` on an attachment: the program and its arguments, the URL already inside
    /// one of them; started directly, never through a shell (failure: `Msg::OpenFailed`).
    RunPlayer { program: String, args: Vec<String> },
    /// Fetch picture `index` of the open article and encode it for a `cols`×`rows` box (reply:
    /// `Msg::Picture`); a 5 MB cap, the feed deadline, the file cache first.
    FetchPicture {
        id: ArticleId,
        index: usize,
        url: String,
        cols: u16,
        rows: u16,
    },
    /// Fetch an item's comment feed with the feed limits and thread it (reply: `Msg::Comments`).
    FetchComments { generation: u64, url: String },
    /// Render a large article body off the UI thread (reply: `Msg::Rendered`).
    Render {
        generation: u64,
        html: String,
        base: Option<String>,
        /// Pictures become blocks of their own (`settings.images` is not "off").
        images: bool,
    },
    /// Read an article's body from the cache (reply: `Msg::BodyLoaded`).
    LoadBody {
        generation: u64,
        feed: FeedId,
        feed_url: String,
        id: ArticleId,
    },
    /// Look for a stored full text of the article (reply: `Msg::StoredFullText`).
    ReadStoredFullText {
        generation: u64,
        feed_url: String,
        id: ArticleId,
    },
    /// Fetch and extract the page at `url` (reply: `Msg::FullText`).
    FetchFullText { generation: u64, url: String },
    /// A finished refresh: write the feed's metadata, new articles and bodies, apply retention.
    SaveFeed(FeedSnapshot),
    /// Store an article's extracted full text (HTML) in the cache, so it is fetched once.
    SaveFullText {
        feed_url: String,
        id: ArticleId,
        html: String,
    },
    /// Read/starred flags changed: write them to the cache.
    SaveFlags(Vec<FlagWrite>),
    /// Answer a query's `text:` terms through the cache's full-text index, off the UI thread
    /// (reply: `Msg::TextHits`).
    SearchText {
        generation: u64,
        query: crate::query::Query,
    },
    /// Leave the program.
    Quit,
}
