//! Plain data shared by every layer: feeds, articles, their status and the updates fetch tasks send.

use chrono::{DateTime, Utc};
use std::time::Duration;

/// Index of a feed in config order; stable for the life of the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FeedId(pub usize);

/// Stable article identity (guid, else link, else a content hash): the same on every refresh.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArticleId(pub String);

/// What the last refresh of a feed came to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum FeedStatus {
    /// Not fetched in this session yet (may still hold cached articles).
    #[default]
    NeverFetched,
    /// A request is in flight.
    Fetching,
    /// The last refresh succeeded (or the server said 304 Not Modified).
    Ok { at: DateTime<Utc> },
    /// The last refresh failed; the message is sanitised and names the cause.
    Error { message: String, at: DateTime<Utc> },
}

impl FeedStatus {
    /// True when the last refresh failed.
    pub fn is_error(&self) -> bool {
        matches!(self, FeedStatus::Error { .. })
    }
}

/// A feed as configured, plus what we learned from fetching it.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    pub id: FeedId,
    /// Absolute URL (http, https or file).
    pub url: String,
    /// Name from the config, if the user gave one.
    pub configured_name: Option<String>,
    /// Title the feed gives itself (sanitised).
    pub feed_title: Option<String>,
    pub tags: Vec<String>,
    /// Fetch the linked page's full text when an article is opened.
    pub full_text: bool,
    pub status: FeedStatus,
    /// Conditional GET validators from the last successful response.
    pub validators: Validators,
    /// The server asked us (429/503 `Retry-After`) not to fetch again before this; kept in the cache so
    /// `tidings fetch` from cron honours it too.
    pub retry_not_before: Option<DateTime<Utc>>,
}

impl Feed {
    /// True while the feed's server has asked us to wait.
    pub fn waiting_at(&self, now: DateTime<Utc>) -> bool {
        self.retry_not_before.is_some_and(|t| t > now)
    }

    /// Name to show: the configured name, else the feed's own title, else its URL without the scheme.
    pub fn display_name(&self) -> &str {
        self.configured_name
            .as_deref()
            .or(self.feed_title.as_deref())
            .unwrap_or_else(|| {
                self.url
                    .split_once("://")
                    .map_or(&self.url, |(_, rest)| rest)
            })
    }
}

/// HTTP validators for conditional GET.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A media attachment (podcast audio, image) that an item links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enclosure {
    pub url: String,
    pub mime: Option<String>,
    pub length: Option<u64>,
}

/// One normalised article. Every text field is already sanitised and length-capped.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub id: ArticleId,
    pub feed: FeedId,
    pub title: String,
    /// Absolute link (relative links are resolved against the feed URL / xml:base).
    pub link: Option<String>,
    pub authors: Vec<String>,
    pub published: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    /// Short description as HTML (may be plain text).
    pub summary: Option<String>,
    /// Full content as HTML, when the feed carries it.
    pub content: Option<String>,
    pub categories: Vec<String>,
    /// Comment count (`slash:comments`) where the feed gives it.
    pub comments: Option<u32>,
    pub enclosures: Vec<Enclosure>,
    pub read: bool,
    pub starred: bool,
    /// When this article was first seen by tidings.
    pub first_seen: DateTime<Utc>,
    /// `summary`/`content` live only in the cache (left there at start-up, or handed to the cache writer
    /// after a refresh); the reader loads them when the article is opened.
    pub body_deferred: bool,
}

/// An article's body moved out of the store on its way to the cache (see `Store::detach_bodies`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleBody {
    pub id: ArticleId,
    pub summary: Option<String>,
    pub content: Option<String>,
}

impl Article {
    /// The date used for ordering: published, else updated, else first seen.
    pub fn sort_date(&self) -> DateTime<Utc> {
        self.published.or(self.updated).unwrap_or(self.first_seen)
    }

    /// Whether everything but the body (`summary`, `content`, `body_deferred`) is equal.
    pub fn same_headline(&self, other: &Article) -> bool {
        // Destructured, so a new field cannot be forgotten here.
        let Article {
            id,
            feed,
            title,
            link,
            authors,
            published,
            updated,
            summary: _,
            content: _,
            categories,
            comments,
            enclosures,
            read,
            starred,
            first_seen,
            body_deferred: _,
        } = self;
        *id == other.id
            && *feed == other.feed
            && *title == other.title
            && *link == other.link
            && *authors == other.authors
            && *published == other.published
            && *updated == other.updated
            && *categories == other.categories
            && *comments == other.comments
            && *enclosures == other.enclosures
            && *read == other.read
            && *starred == other.starred
            && *first_seen == other.first_seen
    }

    /// The richest body the feed gives: content, else summary.
    pub fn body_html(&self) -> &str {
        richest_body(self.summary.as_deref(), self.content.as_deref())
    }
}

impl ArticleBody {
    /// The richest body: content, else summary (as `Article::body_html`).
    pub fn html(&self) -> &str {
        richest_body(self.summary.as_deref(), self.content.as_deref())
    }
}

fn richest_body<'a>(summary: Option<&'a str>, content: Option<&'a str>) -> &'a str {
    content
        .filter(|c| !c.trim().is_empty())
        .or(summary)
        .unwrap_or("")
}

/// Unread and total article counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub unread: usize,
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
    pub title: Option<String>,
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
        feed: FeedId,
        parsed: ParsedFeed,
        validators: Validators,
    },
    /// The server answered 304: the cached articles stand.
    NotModified { feed: FeedId },
    /// The refresh failed; `message` is one sanitised line naming the cause.
    Failed {
        feed: FeedId,
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
