//! The in-memory store: feeds in config order, articles per feed newest first, de-duplicated by id,
//! read/starred flags, counts. No IO; only `App::update` (and the cache loader) write to it.

mod filter;
mod id_index;
mod membership;
mod merge;
mod retention;
mod save;

pub use merge::Applied;
pub use retention::Retention;
pub use save::{BodyHome, FeedSnapshot, FlagWrite, Ingested};

use crate::model::{Article, ArticleId, Counts, Feed, FeedId};
use chrono::{DateTime, Utc};
use id_index::IdIndex;

/// Which articles a headlines list shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum View {
    /// Every feed merged, newest first.
    All,
    /// Starred articles from every feed.
    Starred,
    /// One feed.
    Feed(FeedId),
    /// Feeds carrying this tag, merged.
    Tag(String),
}

impl View {
    /// Whether `feed`'s articles belong in this view (for `Starred`, its starred ones).
    pub fn shows(&self, feed: &Feed) -> bool {
        match self {
            View::All | View::Starred => true,
            View::Feed(id) => feed.id == *id,
            View::Tag(tag) => feed.tags.iter().any(|t| t == tag),
        }
    }
}

/// A cheap handle to one article: its feed and its position in that feed's list at query time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArticleKey {
    /// The feed the article belongs to.
    pub feed: FeedId,
    /// Position in that feed's article list; stale once the list changes.
    pub index: usize,
}

/// Feeds and their articles.
#[derive(Debug, Default)]
pub struct Store {
    feeds: Vec<Feed>,
    /// Per feed, sorted newest first.
    articles: Vec<Vec<Article>>,
    /// Per feed, id → index into `articles[feed]`. Rebuilt when a feed's list is re-sorted.
    index: Vec<IdIndex>,
    counts: Vec<Counts>,
    /// Per feed, counts of its starred articles (kept up to date, so drawing never scans articles).
    starred: Vec<Counts>,
    /// Bumped on every change of articles or flags, so derived values (query feeds' counts) are
    /// recomputed when the store changed and not otherwise.
    revision: u64,
    /// Per feed, what its last successful parse said beside the articles ("partly broken: N items
    /// skipped", "no articles in this feed").
    warnings: Vec<Option<String>>,
    /// Per feed, taken out of the config this session: a tombstone that keeps later ids valid.
    removed: Vec<bool>,
}

impl Store {
    /// A store holding `feeds` (their `id`s must be 0..n in order) and no articles.
    pub fn new(feeds: Vec<Feed>) -> Self {
        let n = feeds.len();
        debug_assert!(feeds.iter().enumerate().all(|(i, f)| f.id.0 == i));
        Store {
            feeds,
            articles: vec![Vec::new(); n],
            index: vec![IdIndex::default(); n],
            counts: vec![Counts::default(); n],
            starred: vec![Counts::default(); n],
            revision: 0,
            warnings: vec![None; n],
            removed: vec![false; n],
        }
    }

    /// What the feed's last parse said beside its articles, if anything.
    pub fn warning(&self, feed: FeedId) -> Option<&str> {
        self.warnings.get(feed.0)?.as_deref()
    }

    /// A number that changes whenever articles or flags change (never the same after a change).
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Every feed, in config order.
    pub fn feeds(&self) -> &[Feed] {
        &self.feeds
    }

    /// One feed.
    pub fn feed(&self, id: FeedId) -> Option<&Feed> {
        self.feeds.get(id.0)
    }

    /// Mutable access to a feed's metadata (status, validators).
    pub fn feed_mut(&mut self, id: FeedId) -> Option<&mut Feed> {
        self.feeds.get_mut(id.0)
    }

    /// A feed's articles, newest first.
    pub fn articles(&self, feed: FeedId) -> &[Article] {
        self.articles.get(feed.0).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The article behind a key.
    pub fn get(&self, key: ArticleKey) -> Option<&Article> {
        self.articles.get(key.feed.0)?.get(key.index)
    }

    /// Look an article up by id within its feed.
    pub fn find(&self, feed: FeedId, id: &ArticleId) -> Option<ArticleKey> {
        let index = self.index.get(feed.0)?.get(id, self.articles(feed))?;
        Some(ArticleKey { feed, index })
    }

    /// Counts for one feed.
    pub fn counts(&self, feed: FeedId) -> Counts {
        self.counts.get(feed.0).copied().unwrap_or_default()
    }

    /// Counts over every feed.
    pub fn total_counts(&self) -> Counts {
        let mut total = Counts::default();
        for c in &self.counts {
            total += *c;
        }
        total
    }

    /// Counts over the feeds carrying `tag`.
    pub fn tag_counts(&self, tag: &str) -> Counts {
        let mut total = Counts::default();
        for feed in self
            .feeds
            .iter()
            .filter(|f| f.tags.iter().any(|t| t == tag))
        {
            total += self.counts(feed.id);
        }
        total
    }

    /// Counts of starred articles.
    pub fn starred_counts(&self) -> Counts {
        let mut total = Counts::default();
        for c in &self.starred {
            total += *c;
        }
        total
    }

    /// Every tag used by some feed, in first-use order.
    pub fn tags(&self) -> Vec<String> {
        let mut tags: Vec<String> = Vec::new();
        for tag in self.feeds.iter().flat_map(|f| &f.tags) {
            if !tags.contains(tag) {
                tags.push(tag.clone());
            }
        }
        tags
    }

    /// The articles a view shows, newest first; `unread_only` hides read ones.
    pub fn query(&self, view: &View, unread_only: bool) -> Vec<ArticleKey> {
        let feeds: Vec<FeedId> = self
            .feeds
            .iter()
            .filter(|f| view.shows(f))
            .map(|f| f.id)
            .collect();
        let held = feeds.iter().map(|f| self.articles(*f).len()).sum();
        let mut keys: Vec<(DateTime<Utc>, ArticleKey)> = Vec::with_capacity(held);
        for feed in feeds {
            for (index, a) in self.articles(feed).iter().enumerate() {
                if unread_only && a.read {
                    continue;
                }
                if matches!(view, View::Starred) && !a.starred {
                    continue;
                }
                keys.push((a.sort_date(), ArticleKey { feed, index }));
            }
        }
        if !matches!(view, View::Feed(_)) {
            // Stable sort keeps each feed's own order among equal dates.
            keys.sort_by_key(|k| std::cmp::Reverse(k.0));
        }
        keys.into_iter().map(|(_, k)| k).collect()
    }

    /// Set an article's read flag; returns whether it changed.
    pub fn set_read(&mut self, key: ArticleKey, read: bool) -> bool {
        let changed = match self
            .articles
            .get_mut(key.feed.0)
            .and_then(|l| l.get_mut(key.index))
        {
            Some(a) if a.read != read => {
                a.read = read;
                true
            }
            _ => false,
        };
        if changed {
            self.recount(key.feed);
        }
        changed
    }

    /// Flip an article's starred flag; returns the new value.
    pub fn toggle_starred(&mut self, key: ArticleKey) -> Option<bool> {
        let a = self.articles.get_mut(key.feed.0)?.get_mut(key.index)?;
        a.starred = !a.starred;
        let starred = a.starred;
        self.recount(key.feed);
        Some(starred)
    }

    /// Mark these articles read; returns the keys that changed (one recount per feed touched).
    pub fn mark_read(&mut self, keys: &[ArticleKey]) -> Vec<ArticleKey> {
        let mut changed = Vec::new();
        for key in keys {
            if let Some(a) = self
                .articles
                .get_mut(key.feed.0)
                .and_then(|l| l.get_mut(key.index))
                .filter(|a| !a.read)
            {
                a.read = true;
                changed.push(*key);
            }
        }
        let mut feeds: Vec<FeedId> = changed.iter().map(|k| k.feed).collect();
        feeds.dedup();
        for feed in feeds {
            self.recount(feed);
        }
        changed
    }

    /// Every article of these feeds, as keys.
    pub fn keys_of(&self, feeds: &[FeedId]) -> Vec<ArticleKey> {
        feeds
            .iter()
            .flat_map(|&feed| {
                (0..self.articles(feed).len()).map(move |index| ArticleKey { feed, index })
            })
            .collect()
    }

    fn resort(&mut self, feed: FeedId) {
        let list = &mut self.articles[feed.0];
        list.sort_by_key(|a| std::cmp::Reverse(a.sort_date()));
        self.index[feed.0].rebuild(list);
        self.recount(feed);
    }

    /// Let a feed's articles go and keep its counts: for a command that works feed by feed and has
    /// saved this one (`session::Headlines::FeedByFeed`). The feed then lists no articles, but `counts`,
    /// `total_counts` and the warning still describe what it holds in the cache.
    pub fn park(&mut self, feed: FeedId) {
        if let (Some(list), Some(index)) =
            (self.articles.get_mut(feed.0), self.index.get_mut(feed.0))
        {
            *list = Vec::new();
            index.release();
        }
    }

    fn recount(&mut self, feed: FeedId) {
        self.revision += 1;
        let list = &self.articles[feed.0];
        self.counts[feed.0] = Counts {
            unread: list.iter().filter(|a| !a.read).count(),
            total: list.len(),
        };
        let starred = list.iter().filter(|a| a.starred);
        self.starred[feed.0] = Counts {
            unread: starred.clone().filter(|a| !a.read).count(),
            total: starred.count(),
        };
    }
}

#[cfg(test)]
mod tests;
