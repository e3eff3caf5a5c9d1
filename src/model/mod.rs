//! Plain data shared by every layer: feeds, articles, their status and the updates fetch tasks send.

mod article;
mod feed;

pub use article::{Article, Body, BodyText, Enclosure};
pub use feed::{Failure, Feed, FeedStatus, FetchOptions, NextTry, Validators};
use std::time::Duration;

/// Index of a feed in config order; stable for the life of the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FeedId(pub usize);

/// Stable article identity (guid, else link, else a content hash): the same on every refresh.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArticleId(pub String);
/// Unread and total article counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Articles not marked read.
    pub unread: usize,
    /// All articles, read or not.
    pub total: usize,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, other: Counts) {
        self.unread += other.unread;
        self.total += other.total;
    }
}

/// What a feed parse yields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedFeed {
    /// The feed's own title, sanitised; `None` when absent or blank.
    pub title: Option<String>,
    /// The feed's own web site (RSS `<channel><link>`, Atom `rel="alternate"`, JSON Feed
    /// `home_page_url`): absolute http(s), checked; `None` when absent or unusable.
    pub site: Option<String>,
    /// Its items, normalised, in document order.
    pub articles: Vec<Article>,
    /// Items dropped because they could not be parsed (the rest of the feed was kept): "partly broken".
    pub skipped: usize,
}

/// The outcome of one feed's refresh, sent by value from the fetch task to `App::update`.
#[derive(Debug, Clone, PartialEq)]
pub enum FeedUpdate {
    /// The request for this feed has started.
    Started(FeedId),
    /// Fetched and parsed.
    Loaded {
        /// The feed refreshed.
        feed: FeedId,
        /// Its title and articles as just parsed.
        parsed: ParsedFeed,
        /// The response's validators, for the next conditional GET.
        validators: Validators,
    },
    /// The server answered 304: the cached articles stand.
    NotModified {
        /// The feed refreshed.
        feed: FeedId,
    },
    /// The refresh failed; `message` is one sanitised line naming the cause.
    Failed {
        /// The feed whose refresh failed.
        feed: FeedId,
        /// One sanitised line naming the cause.
        message: String,
        /// From `Retry-After` on 429/503, capped.
        retry_after: Option<Duration>,
    },
}

impl FeedUpdate {
    /// The feed this update is about.
    pub fn feed(&self) -> FeedId {
        match self {
            FeedUpdate::Started(feed)
            | FeedUpdate::Loaded { feed, .. }
            | FeedUpdate::NotModified { feed }
            | FeedUpdate::Failed { feed, .. } => *feed,
        }
    }
}
