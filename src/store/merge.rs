//! Folding refresh outcomes and cached articles into the store: merge by id, keep flags, set status.

use super::Store;
use crate::model::{Article, FeedId, FeedStatus, FeedUpdate};
use chrono::{DateTime, Utc};

/// Fill in the body's word count (for `words>N`) when the body is in memory and the count unknown.
/// Only for articles that enter the store, so an unchanged refresh counts nothing.
fn count_words(article: &mut Article) {
    if article.words.is_none() && !article.body.is_in_cache() {
        article.words = Some(crate::query::word_count(article.body_html()));
    }
}

/// The longest a server's `Retry-After` may keep us away from a feed.
const MAX_RETRY_WAIT: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// What applying a `FeedUpdate` changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Applied {
    /// Articles not seen before.
    pub added: usize,
    /// Known articles whose content changed.
    pub updated: usize,
}

impl Store {
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
                feed.last_success = Some(now);
                feed.failures = 0;
                feed.retry_not_before = None;
                Applied::default()
            }
            FeedUpdate::Failed {
                message,
                retry_after,
                ..
            } => {
                feed.status = FeedStatus::Error { message, at: now };
                feed.failures = feed.failures.saturating_add(1);
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
                feed.last_success = Some(now);
                feed.failures = 0;
                feed.retry_not_before = None;
                feed.validators = validators;
                if parsed.title.is_some() {
                    feed.feed_title = parsed.title;
                }
                if parsed.site.is_some() {
                    feed.site_url = parsed.site;
                }
                let warning = if parsed.skipped > 0 {
                    Some(format!("partly broken: {} item(s) skipped", parsed.skipped))
                } else if parsed.articles.is_empty() {
                    Some("no articles in this feed".to_string())
                } else {
                    None
                };
                if let Some(slot) = self.warnings.get_mut(feed_id.0) {
                    *slot = warning;
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
            match index.get(&article.id, list) {
                Some(i) => {
                    let old = &list[i];
                    article.read = old.read || article.read;
                    article.starred = old.starred || article.starred;
                    article.first_seen = old.first_seen.min(article.first_seen);
                    if article.published.is_none() {
                        article.published = old.published;
                    }
                    if old.body.is_in_cache() {
                        // The stored body is in the cache, not here: take the incoming one (the cache
                        // skips it when unchanged), but only a headline change is an update.
                        if !old.same_headline(&article) {
                            applied.updated += 1;
                        }
                        count_words(&mut article);
                        list[i] = article;
                    } else if !old.same_headline(&article) || old.body != article.body {
                        applied.updated += 1;
                        count_words(&mut article);
                        list[i] = article;
                    }
                }
                None => {
                    if article.first_seen > now {
                        article.first_seen = now;
                    }
                    count_words(&mut article);
                    index.insert(&article.id, list.len());
                    list.push(article);
                    applied.added += 1;
                }
            }
        }
        if applied.added > 0 || applied.updated > 0 {
            self.resort(feed);
        }
        if applied.added > 0 {
            self.fit(feed);
        }
        applied
    }

    /// Give back what growing a feed's list left unused (up to half of it, 25,000 headlines on 500
    /// feeds being held for the whole session).
    fn fit(&mut self, feed: FeedId) {
        if let (Some(list), Some(index)) =
            (self.articles.get_mut(feed.0), self.index.get_mut(feed.0))
        {
            list.shrink_to_fit();
            index.shrink_to_fit();
        }
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
        self.fit(feed);
        if self.index[feed.0].len() != self.articles[feed.0].len() {
            // Duplicate ids: start over through `merge`, which folds them together.
            let list = std::mem::take(&mut self.articles[feed.0]);
            self.index[feed.0].clear();
            self.merge(feed, list, now);
        }
    }

    /// Give an article whose body is in the cache its body back (no cache in use: the store keeps it).
    pub fn set_body(&mut self, key: crate::store::ArticleKey, body: crate::model::Body) {
        if let Some(a) = self
            .articles
            .get_mut(key.feed.0)
            .and_then(|l| l.get_mut(key.index))
        {
            if a.body.is_in_cache() {
                a.body = body;
            }
        }
    }
}
