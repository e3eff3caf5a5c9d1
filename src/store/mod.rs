//! The in-memory store: feeds in config order, articles per feed newest first, de-duplicated by id,
//! read/starred flags, counts. No IO; only `App::update` (and the cache loader) write to it.

use crate::model::{Article, ArticleBody, ArticleId, Counts, Feed, FeedId, FeedStatus, FeedUpdate};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// The longest a server's `Retry-After` may keep us away from a feed.
const MAX_RETRY_WAIT: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

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

/// A cheap handle to one article: its feed and its position in that feed's list at query time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArticleKey {
    pub feed: FeedId,
    pub index: usize,
}

/// What applying a `FeedUpdate` changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Applied {
    /// Articles not seen before.
    pub added: usize,
    /// Known articles whose content changed.
    pub updated: usize,
}

/// Feeds and their articles.
#[derive(Debug, Default)]
pub struct Store {
    feeds: Vec<Feed>,
    /// Per feed, sorted newest first.
    articles: Vec<Vec<Article>>,
    /// Per feed, id → index into `articles[feed]`. Rebuilt when a feed's list is re-sorted.
    index: Vec<HashMap<ArticleId, usize>>,
    counts: Vec<Counts>,
    /// Per feed, counts of its starred articles (kept up to date, so drawing never scans articles).
    starred: Vec<Counts>,
}

impl Store {
    /// A store holding `feeds` (their `id`s must be 0..n in order) and no articles.
    pub fn new(feeds: Vec<Feed>) -> Self {
        let n = feeds.len();
        debug_assert!(feeds.iter().enumerate().all(|(i, f)| f.id.0 == i));
        Store {
            feeds,
            articles: vec![Vec::new(); n],
            index: vec![HashMap::new(); n],
            counts: vec![Counts::default(); n],
            starred: vec![Counts::default(); n],
        }
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
        let index = *self.index.get(feed.0)?.get(id)?;
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
        let feeds: Vec<FeedId> = match view {
            View::Feed(id) => vec![*id],
            View::All | View::Starred => self.feeds.iter().map(|f| f.id).collect(),
            View::Tag(tag) => self
                .feeds
                .iter()
                .filter(|f| f.tags.iter().any(|t| t == tag))
                .map(|f| f.id)
                .collect(),
        };
        let mut keys: Vec<(DateTime<Utc>, ArticleKey)> = Vec::new();
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

    /// Apply a refresh outcome: merge articles (keeping read/starred/first-seen), set status.
    pub fn apply(&mut self, update: FeedUpdate, now: DateTime<Utc>) -> Applied {
        let feed_id = update.feed();
        let Some(feed) = self.feeds.get_mut(feed_id.0) else {
            return Applied::default();
        };
        match update {
            FeedUpdate::Started(_) => {
                feed.status = FeedStatus::Fetching;
                Applied::default()
            }
            FeedUpdate::NotModified { .. } => {
                feed.status = FeedStatus::Ok { at: now };
                feed.retry_not_before = None;
                Applied::default()
            }
            FeedUpdate::Failed {
                message,
                retry_after,
                ..
            } => {
                feed.status = FeedStatus::Error { message, at: now };
                feed.retry_not_before = retry_after
                    .map(|wait| wait.min(MAX_RETRY_WAIT))
                    .and_then(|wait| chrono::Duration::from_std(wait).ok())
                    .and_then(|wait| now.checked_add_signed(wait));
                Applied::default()
            }
            FeedUpdate::Loaded {
                parsed, validators, ..
            } => {
                feed.status = FeedStatus::Ok { at: now };
                feed.retry_not_before = None;
                feed.validators = validators;
                if parsed.title.is_some() {
                    feed.feed_title = parsed.title;
                }
                self.merge(feed_id, parsed.articles, now)
            }
        }
    }

    /// Insert articles as they come from a parse or the cache, keeping flags of known ones.
    pub fn merge(&mut self, feed: FeedId, incoming: Vec<Article>, now: DateTime<Utc>) -> Applied {
        let mut applied = Applied::default();
        let Some(list) = self.articles.get_mut(feed.0) else {
            return applied;
        };
        let index = &mut self.index[feed.0];
        for mut article in incoming {
            article.feed = feed;
            match index.get(&article.id) {
                Some(&i) => {
                    let old = &list[i];
                    article.read = old.read || article.read;
                    article.starred = old.starred || article.starred;
                    article.first_seen = old.first_seen.min(article.first_seen);
                    if article.published.is_none() {
                        article.published = old.published;
                    }
                    if old.body_deferred {
                        // The stored body is in the cache, not here: take the incoming one (the cache
                        // writer skips it when unchanged), but only a headline change is an update.
                        if !old.same_headline(&article) {
                            applied.updated += 1;
                        }
                        list[i] = article;
                    } else if *old != article {
                        applied.updated += 1;
                        list[i] = article;
                    }
                }
                None => {
                    if article.first_seen > now {
                        article.first_seen = now;
                    }
                    index.insert(article.id.clone(), list.len());
                    list.push(article);
                    applied.added += 1;
                }
            }
        }
        if applied.added > 0 || applied.updated > 0 {
            self.resort(feed);
        }
        applied
    }

    /// Fill a feed from the cache at start-up: like `merge`, but when the feed is still empty (the usual
    /// case) the list is sorted and indexed once, without a per-article lookup.
    pub fn load_cached(&mut self, feed: FeedId, mut articles: Vec<Article>, now: DateTime<Utc>) {
        if self.articles.get(feed.0).is_none_or(|l| !l.is_empty()) {
            self.merge(feed, articles, now);
            return;
        }
        for a in &mut articles {
            a.feed = feed;
        }
        self.articles[feed.0] = articles;
        self.resort(feed);
        if self.index[feed.0].len() != self.articles[feed.0].len() {
            // Duplicate ids: start over through `merge`, which folds them together.
            let list = std::mem::take(&mut self.articles[feed.0]);
            self.index[feed.0].clear();
            self.merge(feed, list, now);
        }
    }

    /// Keep the newest `max` articles of a feed (starred ones always stay) and those newer than `cutoff`.
    /// Returns the ids dropped.
    pub fn retain(
        &mut self,
        feed: FeedId,
        max: usize,
        cutoff: Option<DateTime<Utc>>,
    ) -> Vec<ArticleId> {
        let Some(list) = self.articles.get_mut(feed.0) else {
            return Vec::new();
        };
        let mut kept = 0usize;
        let mut dropped = Vec::new();
        list.retain(|a| {
            let too_old = cutoff.is_some_and(|c| a.sort_date() < c);
            let keep = a.starred || (kept < max && !too_old);
            if keep && !a.starred {
                kept += 1;
            }
            if !keep {
                dropped.push(a.id.clone());
            }
            keep
        });
        if !dropped.is_empty() {
            self.resort(feed);
        }
        dropped
    }

    /// Give a deferred article its body, read from the cache.
    pub fn set_body(&mut self, key: ArticleKey, summary: Option<String>, content: Option<String>) {
        if let Some(a) = self
            .articles
            .get_mut(key.feed.0)
            .and_then(|l| l.get_mut(key.index))
        {
            if a.body_deferred {
                a.summary = summary;
                a.content = content;
                a.body_deferred = false;
            }
        }
    }

    /// Move the bodies of a feed's articles out of the store (they are on their way to the cache) and
    /// mark those articles `body_deferred`, so memory holds headlines and flags only.
    pub fn detach_bodies(&mut self, feed: FeedId) -> Vec<ArticleBody> {
        let Some(list) = self.articles.get_mut(feed.0) else {
            return Vec::new();
        };
        list.iter_mut()
            .filter(|a| !a.body_deferred && (a.summary.is_some() || a.content.is_some()))
            .map(|a| {
                a.body_deferred = true;
                ArticleBody {
                    id: a.id.clone(),
                    summary: a.summary.take(),
                    content: a.content.take(),
                }
            })
            .collect()
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

    /// Mark every article of a feed read; returns the ids that changed.
    pub fn mark_feed_read(&mut self, feed: FeedId) -> Vec<ArticleId> {
        let mut changed = Vec::new();
        if let Some(list) = self.articles.get_mut(feed.0) {
            for a in list.iter_mut().filter(|a| !a.read) {
                a.read = true;
                changed.push(a.id.clone());
            }
        }
        self.recount(feed);
        changed
    }

    fn resort(&mut self, feed: FeedId) {
        let list = &mut self.articles[feed.0];
        list.sort_by_key(|a| std::cmp::Reverse(a.sort_date()));
        let index = &mut self.index[feed.0];
        index.clear();
        for (i, a) in list.iter().enumerate() {
            index.insert(a.id.clone(), i);
        }
        self.recount(feed);
    }

    fn recount(&mut self, feed: FeedId) {
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
