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
    /// A mouse event (only with `settings.mouse = true`).
    Mouse(crossterm::event::MouseEvent),
    /// The terminal has a new size.
    Resize {
        /// New width in cells.
        width: u16,
        /// New height in cells.
        height: u16,
    },
    /// ~250 ms heartbeat: spinners, auto-refresh, retry-after expiry.
    Tick,
    /// Start-up: kick off the first refresh.
    Start,
    /// The auto-refresh timer (once a minute): refresh the feeds whose interval has passed.
    AutoRefresh,
    /// A fetch task reports on one feed.
    Feed(FeedUpdate),
    /// A body rendered off the UI thread (large articles); stale generations are dropped.
    Rendered {
        /// The reader generation the render was asked for.
        generation: u64,
        /// The body, ready for the reader.
        rendered: Rendered,
    },
    /// The stored copy of an article's full text, if the cache has one (reply to
    /// `Effect::ReadStoredFullText`): shown when there, else the page is fetched.
    StoredFullText {
        /// The reader generation the lookup was asked for.
        generation: u64,
        /// The stored page's HTML; `None` when none is stored or it could not be read.
        html: Option<String>,
    },
    /// A full-text fetch finished; stale generations are dropped. A fetched page is also saved.
    FullText {
        /// The reader generation the fetch was asked for.
        generation: u64,
        /// The extracted page, or one line saying why not.
        result: Result<FullTextPage, String>,
    },
    /// An article body read from the cache. With a cache in use it is rendered for the reader and not
    /// kept; without one it fills the store. Stale generations are not shown.
    BodyLoaded {
        /// The reader generation the read was asked for.
        generation: u64,
        /// The article's feed.
        feed: FeedId,
        /// The article whose body this is.
        id: ArticleId,
        /// The stored teaser HTML, if any.
        summary: Option<String>,
        /// The stored full body HTML, if any (a one-paragraph note when the cache could not be read).
        content: Option<String>,
    },
    /// A comment feed fetched and threaded (reply to `Effect::FetchComments`); stale generations are
    /// dropped, a failure is one line for the status bar.
    Comments {
        /// The reader generation the fetch was asked for.
        generation: u64,
        /// The comments in thread order, or one line saying why not.
        result: Result<Vec<crate::feed::comments::Comment>, String>,
    },
    /// A picture of an article fetched, decoded and encoded (reply to `Effect::FetchPicture`), or why
    /// not; kept only when that article is still open.
    Picture {
        /// The article the picture belongs to.
        id: ArticleId,
        /// Its index among the article's pictures (`Reader::pictures`).
        index: usize,
        /// The URL fetched; a slot that now holds another URL ignores the reply.
        url: String,
        /// The encoded picture, or one line saying why not.
        result: Result<crate::pictures::Picture, String>,
    },
    /// The feeds found at a URL typed after `a` (reply to `Effect::DiscoverFeeds`), or why none.
    Discovered {
        /// The request this answers; only the latest is used.
        generation: u64,
        /// The feeds found, fetched and parsed, in page order; or one line saying why not.
        result: Result<Vec<crate::feed::discover::FoundFeed>, String>,
    },
    /// The config file was edited for `a` (reply to `Effect::AddToConfig`), or why not.
    FeedAdded(Result<ConfigAdd, String>),
    /// The config file was edited for `d` (reply to `Effect::RemoveFromConfig`), or why not.
    FeedRemoved {
        /// The feed that was asked to go.
        feed: FeedId,
        /// Ok once its entry is out of the file; one line saying why not otherwise.
        result: Result<(), String>,
    },
    /// A removed feed's unstarred articles were dropped from the cache (reply to `Effect::ForgetFeed`):
    /// how many, or why not.
    FeedForgotten {
        /// The feed's display name, for the status bar.
        name: String,
        /// How many articles went, or one line saying why none did.
        result: Result<usize, String>,
    },
    /// The cache could not save something; one line for the status bar.
    CacheFailed(String),
    /// The opener could not open a link.
    OpenFailed(String),
    /// The full-text index's answers for a query's `text:` terms (reply to `Effect::SearchText`);
    /// only the latest request of its purpose is used.
    TextHits {
        /// The generation of the request; unknown or superseded ones are dropped.
        generation: u64,
        /// The matching articles, or one line saying why the search failed.
        result: Result<crate::query::TextHits, String>,
    },
}

/// What appending a feed to the config file came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigAdd {
    /// Written; the URL as it now stands in the file (the key the cache uses) and the name written.
    Added {
        /// The feed's URL, normalised.
        url: String,
        /// The name written (the feed's own title), if it had one.
        name: Option<String>,
    },
    /// The file lists that URL already; nothing was written.
    AlreadyPresent(String),
}

/// A fetched and extracted page: its HTML (kept in the cache) and its rendering (shown).
#[derive(Debug, Clone, PartialEq)]
pub struct FullTextPage {
    /// The extracted article HTML, saved in the cache so the page is fetched once.
    pub html: String,
    /// That HTML rendered for the reader.
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
    /// Copy the article's link (or footnote N after a count: `3y`) to the clipboard (OSC 52).
    CopyLink,
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
    /// Subscribe to a feed, or the feeds a web page announces (asks for the URL).
    AddFeed,
    /// Unsubscribe from the feed under the cursor (asks first).
    RemoveFeed,
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
    RunPlayer {
        /// The first word of `settings.player`.
        program: String,
        /// The rest, with the attachment's URL put in for `{url}` (or appended when there is none).
        args: Vec<String>,
    },
    /// Fetch picture `index` of the open article and encode it for a `cols`×`rows` box (reply:
    /// `Msg::Picture`); a 5 MB cap, the feed deadline, the file cache first.
    FetchPicture {
        /// The open article the picture belongs to.
        id: ArticleId,
        /// Its index among the article's pictures.
        index: usize,
        /// Where to fetch it (only http(s) is fetched).
        url: String,
        /// Width of the box in cells.
        cols: u16,
        /// Height of the box in cells.
        rows: u16,
    },
    /// Fetch an item's comment feed with the feed limits and thread it (reply: `Msg::Comments`).
    FetchComments {
        /// The reader generation to answer with.
        generation: u64,
        /// The comment feed's URL.
        url: String,
    },
    /// Render a large article body off the UI thread (reply: `Msg::Rendered`).
    Render {
        /// The reader generation to answer with.
        generation: u64,
        /// The body HTML.
        html: String,
        /// URL that relative links and pictures resolve against (the article's link).
        base: Option<String>,
        /// Pictures become blocks of their own (`settings.images` is not "off").
        images: bool,
    },
    /// Read an article's body from the cache (reply: `Msg::BodyLoaded`).
    LoadBody {
        /// The reader generation to answer with.
        generation: u64,
        /// The article's feed, passed back in the reply.
        feed: FeedId,
        /// The feed's URL: the cache keys articles by it.
        feed_url: String,
        /// The article to read.
        id: ArticleId,
    },
    /// Look for a stored full text of the article (reply: `Msg::StoredFullText`).
    ReadStoredFullText {
        /// The reader generation to answer with.
        generation: u64,
        /// The feed's URL: the cache keys articles by it.
        feed_url: String,
        /// The article whose full text is wanted.
        id: ArticleId,
    },
    /// Fetch and extract the page at `url` (reply: `Msg::FullText`).
    FetchFullText {
        /// The reader generation to answer with.
        generation: u64,
        /// The article's link.
        url: String,
    },
    /// A finished refresh: write the feed's metadata, new articles and bodies, apply retention.
    SaveFeed(FeedSnapshot),
    /// Store an article's extracted full text (HTML) in the cache, so it is fetched once.
    SaveFullText {
        /// The feed's URL: the cache keys articles by it.
        feed_url: String,
        /// The article the text belongs to.
        id: ArticleId,
        /// The extracted page's HTML.
        html: String,
    },
    /// Read/starred flags changed: write them to the cache.
    SaveFlags(Vec<FlagWrite>),
    /// Answer a query's `text:` terms through the cache's full-text index, off the UI thread
    /// (reply: `Msg::TextHits`).
    SearchText {
        /// Identifies the request; the reply carries it back.
        generation: u64,
        /// The parsed query whose `text:` terms are looked up.
        query: crate::query::Query,
    },
    /// Find the feeds at `url` (a feed or a web page) with the session's HTTP client, off the UI thread
    /// (reply: `Msg::Discovered`).
    DiscoverFeeds {
        /// Identifies the request; the reply carries it back.
        generation: u64,
        /// The http(s) URL the user typed.
        url: String,
    },
    /// Append one feed to the config file at `path`, comments kept (reply: `Msg::FeedAdded`).
    AddToConfig {
        /// The config file in use.
        path: std::path::PathBuf,
        /// The feed to write (URL and its own title as the name).
        feed: crate::config::NewFeed,
    },
    /// Take the feed at `url` out of the config file at `path`, comments kept (reply: `Msg::FeedRemoved`).
    RemoveFromConfig {
        /// The config file in use.
        path: std::path::PathBuf,
        /// The feed being removed, passed back in the reply.
        feed: FeedId,
        /// Its URL, which names its entry in the file.
        url: String,
    },
    /// Drop a removed feed's unstarred articles from the cache (reply: `Msg::FeedForgotten`).
    ForgetFeed {
        /// The feed's URL: the cache keys articles by it.
        url: String,
        /// Its display name, passed back in the reply.
        name: String,
    },
    /// Put this text on the terminal's clipboard (OSC 52); only ever a sanitised http(s) URL.
    CopyToClipboard(String),
    /// Leave the program.
    Quit,
}
