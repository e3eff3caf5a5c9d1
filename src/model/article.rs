//! An article as the store holds it: its headline fields, its attachments, and a body that says
//! whether the text is in memory or in the cache.

use super::{ArticleId, FeedId};
use chrono::{DateTime, Utc};

/// A media attachment (podcast audio, image) that an item links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enclosure {
    /// Absolute http(s) URL of the file.
    pub url: String,
    /// Media type the feed declares (e.g. `audio/mpeg`), sanitised; not checked against the file.
    pub mime: Option<String>,
    /// Size in bytes as the feed declares it; not checked against the file.
    pub length: Option<u64>,
    /// Playing time in seconds (`itunes:duration`, `media:content duration`), shown in the header.
    pub duration: Option<u32>,
}

/// An article's text, and where it is: in memory, or left in the cache (read back when the article is
/// opened). The TUI and the commands keep headlines in memory and bodies in the cache, so nothing holds
/// every body at once; without a cache (`--no-cache`) bodies stay in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// The teaser and the full body as HTML, either possibly absent (boxed: most articles' bodies
    /// are in the cache, and an `Article` then carries one word for it, not six).
    InMemory(Box<BodyText>),
    /// Only in the cache.
    InCache,
}

/// The text of a body held in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyText {
    /// The teaser HTML (RSS `description`, Atom `summary`).
    pub summary: Option<String>,
    /// The full body HTML (`content:encoded`, Atom `content`).
    pub content: Option<String>,
}

impl Body {
    /// A body held in memory.
    pub fn new(summary: Option<String>, content: Option<String>) -> Self {
        Body::InMemory(Box::new(BodyText { summary, content }))
    }

    /// No text at all (in memory).
    pub fn empty() -> Self {
        Body::new(None, None)
    }

    /// The teaser, when in memory.
    pub fn summary(&self) -> Option<&str> {
        match self {
            Body::InMemory(text) => text.summary.as_deref(),
            Body::InCache => None,
        }
    }

    /// The full body, when in memory.
    pub fn content(&self) -> Option<&str> {
        match self {
            Body::InMemory(text) => text.content.as_deref(),
            Body::InCache => None,
        }
    }

    /// The richest text: content, else summary ("" when neither is in memory).
    pub fn html(&self) -> &str {
        self.content()
            .filter(|c| !c.trim().is_empty())
            .or(self.summary())
            .unwrap_or("")
    }

    /// True when the text is left in the cache.
    pub fn is_in_cache(&self) -> bool {
        matches!(self, Body::InCache)
    }

    /// Bytes of text held in memory (what a queued save costs).
    pub fn len(&self) -> usize {
        self.summary().map_or(0, str::len) + self.content().map_or(0, str::len)
    }

    /// True when no text is held in memory.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One normalised article. Every text field is already sanitised and length-capped.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// Stable identity within its feed, the same on every refresh.
    pub id: ArticleId,
    /// The feed it came from.
    pub feed: FeedId,
    /// One line, never empty: the item's title, else the summary's first words, else "(untitled)".
    pub title: String,
    /// Absolute link (relative links are resolved against the feed URL / xml:base).
    pub link: Option<String>,
    /// Author names in the feed's order (at most 32).
    pub authors: Vec<String>,
    /// When the item says it was published; implausible dates (before 1971, over a year ahead) are dropped.
    pub published: Option<DateTime<Utc>>,
    /// When the item says it was last updated; implausible dates are dropped likewise.
    pub updated: Option<DateTime<Utc>>,
    /// The text, in memory or in the cache.
    pub body: Body,
    /// The item's own categories (at most 32), shown as its tags in the reader header.
    pub categories: Vec<String>,
    /// Comment count (`slash:comments`) where the feed gives it.
    pub comments: Option<u32>,
    /// The body's word count as the article header shows it (`query::word_count`), for the query
    /// language's `words>N` without loading bodies; `None` = not known yet.
    pub words: Option<u32>,
    /// Attached files (podcast audio, images), at most 32; the reader numbers them from 1.
    pub enclosures: Vec<Enclosure>,
    /// The item's comment feed (`wfw:commentRss`, or an Atom `link rel="replies"` of a feed type):
    /// what `c` fetches and shows in the reader.
    pub comment_feed: Option<String>,
    /// The item's comments page (RSS `<comments>`, or a replies link of HTML type): what `C` opens.
    pub comments_page: Option<String>,
    /// Marked read; new articles start unread, and the flag is kept in the cache.
    pub read: bool,
    /// Starred: kept in the cache, and never dropped by the per-feed article limit.
    pub starred: bool,
    /// When this article was first seen by tidings.
    pub first_seen: DateTime<Utc>,
}

impl Article {
    /// An article with only its identity, title and first sighting: no link, dates, body, lists or
    /// flags; what a constructor of a particular article starts from
    /// (`Article { published, ..Article::new(id, feed, title, first_seen) }`).
    pub fn new(id: ArticleId, feed: FeedId, title: String, first_seen: DateTime<Utc>) -> Article {
        Article {
            id,
            feed,
            title,
            link: None,
            authors: Vec::new(),
            published: None,
            updated: None,
            body: Body::empty(),
            categories: Vec::new(),
            comments: None,
            words: None,
            enclosures: Vec::new(),
            comment_feed: None,
            comments_page: None,
            read: false,
            starred: false,
            first_seen,
        }
    }

    /// The date used for ordering: published, else updated, else first seen.
    pub fn sort_date(&self) -> DateTime<Utc> {
        self.published.or(self.updated).unwrap_or(self.first_seen)
    }

    /// Whether everything but the body is equal.
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
            body: _,
            categories,
            comments,
            // Follows the body, like it.
            words: _,
            enclosures,
            comment_feed,
            comments_page,
            read,
            starred,
            first_seen,
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
            && *comment_feed == other.comment_feed
            && *comments_page == other.comments_page
            && *read == other.read
            && *starred == other.starred
            && *first_seen == other.first_seen
    }

    /// The teaser, when in memory.
    pub fn summary(&self) -> Option<&str> {
        self.body.summary()
    }

    /// The full body, when in memory.
    pub fn content(&self) -> Option<&str> {
        self.body.content()
    }

    /// The richest body in memory: content, else summary.
    pub fn body_html(&self) -> &str {
        self.body.html()
    }
}
