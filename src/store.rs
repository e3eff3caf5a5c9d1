//! The in-memory store: feeds in config order, articles per feed newest first, de-duplicated by id,
//! read/starred flags, counts. No IO; only `App::update` (and the cache loader) write to it.

use crate::model::{Article, ArticleBody, ArticleId, Counts, Feed, FeedId, FeedStatus, FeedUpdate};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

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
                Applied::default()
            }
            FeedUpdate::Failed { message, .. } => {
                feed.status = FeedStatus::Error { message, at: now };
                Applied::default()
            }
            FeedUpdate::Loaded {
                parsed, validators, ..
            } => {
                feed.status = FeedStatus::Ok { at: now };
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
mod tests {
    use super::*;
    use crate::model::{ParsedFeed, Validators};
    use chrono::TimeZone;

    fn feed(i: usize, tags: &[&str]) -> Feed {
        Feed {
            id: FeedId(i),
            url: format!("http://127.0.0.1/{i}.xml"),
            configured_name: None,
            feed_title: None,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            full_text: false,
            status: FeedStatus::NeverFetched,
            validators: Validators::default(),
        }
    }

    fn article(feed: usize, id: &str, day: u32) -> Article {
        Article {
            id: ArticleId(id.into()),
            feed: FeedId(feed),
            title: format!("title {id}"),
            link: None,
            authors: vec![],
            published: Some(Utc.with_ymd_and_hms(2026, 1, day, 0, 0, 0).unwrap()),
            updated: None,
            summary: None,
            content: None,
            categories: vec![],
            comments: None,
            enclosures: vec![],
            read: false,
            starred: false,
            first_seen: Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap(),
            body_deferred: false,
        }
    }

    fn loaded(feed: usize, articles: Vec<Article>) -> FeedUpdate {
        FeedUpdate::Loaded {
            feed: FeedId(feed),
            parsed: ParsedFeed {
                title: Some("T".into()),
                articles,
            },
            validators: Validators::default(),
        }
    }

    #[test]
    fn refresh_deduplicates_and_keeps_read_flags() {
        let mut store = Store::new(vec![feed(0, &[])]);
        let now = Utc::now();
        let applied = store.apply(loaded(0, vec![article(0, "a", 1), article(0, "b", 2)]), now);
        assert_eq!(applied.added, 2);
        let key = store.find(FeedId(0), &ArticleId("a".into())).unwrap();
        assert!(store.set_read(key, true));
        assert_eq!(
            store.counts(FeedId(0)),
            Counts {
                unread: 1,
                total: 2
            }
        );

        let mut changed = article(0, "a", 1);
        changed.title = "new title".into();
        let applied = store.apply(
            loaded(0, vec![changed, article(0, "b", 2), article(0, "c", 3)]),
            now,
        );
        assert_eq!(
            applied,
            Applied {
                added: 1,
                updated: 1
            }
        );
        assert_eq!(
            store.counts(FeedId(0)),
            Counts {
                unread: 2,
                total: 3
            }
        );
        let a = store
            .get(store.find(FeedId(0), &ArticleId("a".into())).unwrap())
            .unwrap();
        assert!(a.read, "read flag survives a refresh");
        assert_eq!(a.title, "new title");
        let titles: Vec<_> = store
            .articles(FeedId(0))
            .iter()
            .map(|a| a.id.0.as_str())
            .collect();
        assert_eq!(titles, ["c", "b", "a"], "newest first");
    }

    #[test]
    fn views_merge_by_date_and_count_by_tag() {
        let mut store = Store::new(vec![
            feed(0, &["world"]),
            feed(1, &["tech", "world"]),
            feed(2, &[]),
        ]);
        let now = Utc::now();
        store.apply(loaded(0, vec![article(0, "a", 1), article(0, "c", 3)]), now);
        store.apply(loaded(1, vec![article(1, "b", 2)]), now);
        store.apply(loaded(2, vec![article(2, "d", 4)]), now);
        let all: Vec<_> = store
            .query(&View::All, false)
            .into_iter()
            .map(|k| store.get(k).unwrap().id.0.clone())
            .collect();
        assert_eq!(all, ["d", "c", "b", "a"]);
        assert_eq!(store.query(&View::Tag("world".into()), false).len(), 3);
        assert_eq!(
            store.tag_counts("world"),
            Counts {
                unread: 3,
                total: 3
            }
        );
        assert_eq!(store.tags(), ["world", "tech"]);
        assert_eq!(
            store.total_counts(),
            Counts {
                unread: 4,
                total: 4
            }
        );

        let key = store.find(FeedId(1), &ArticleId("b".into())).unwrap();
        store.set_read(key, true);
        assert_eq!(store.query(&View::All, true).len(), 3);
        store.toggle_starred(key);
        assert_eq!(store.query(&View::Starred, false).len(), 1);
        assert_eq!(
            store.starred_counts(),
            Counts {
                unread: 0,
                total: 1
            }
        );
        assert_eq!(store.mark_feed_read(FeedId(0)).len(), 2);
        assert_eq!(
            store.total_counts(),
            Counts {
                unread: 1,
                total: 4
            }
        );
    }

    #[test]
    fn detached_bodies_come_back_with_a_refresh_without_counting_as_updates() {
        let mut store = Store::new(vec![feed(0, &[])]);
        let now = Utc::now();
        let with_body = |id: &str, day: u32| Article {
            content: Some(format!("<p>{id}</p>")),
            ..article(0, id, day)
        };
        store.apply(loaded(0, vec![with_body("a", 1), with_body("b", 2)]), now);
        let bodies = store.detach_bodies(FeedId(0));
        assert_eq!(bodies.len(), 2);
        assert!(store
            .articles(FeedId(0))
            .iter()
            .all(|a| a.body_deferred && a.content.is_none()));
        assert!(
            store.detach_bodies(FeedId(0)).is_empty(),
            "nothing left to detach"
        );

        // The same articles again: their bodies replace the deferred copies, but nothing changed.
        let applied = store.apply(loaded(0, vec![with_body("a", 1), with_body("b", 2)]), now);
        assert_eq!(applied, Applied::default());
        let a = store
            .get(store.find(FeedId(0), &ArticleId("a".into())).unwrap())
            .unwrap();
        assert!(!a.body_deferred);
        assert_eq!(a.content.as_deref(), Some("<p>a</p>"));

        // A changed headline is an update.
        store.detach_bodies(FeedId(0));
        let mut renamed = with_body("a", 1);
        renamed.title = "renamed".into();
        let applied = store.apply(loaded(0, vec![renamed, with_body("b", 2)]), now);
        assert_eq!(applied.updated, 1);
    }

    #[test]
    fn failed_refresh_keeps_articles_and_records_error() {
        let mut store = Store::new(vec![feed(0, &[])]);
        let now = Utc::now();
        store.apply(loaded(0, vec![article(0, "a", 1)]), now);
        store.apply(
            FeedUpdate::Failed {
                feed: FeedId(0),
                message: "HTTP 500".into(),
                retry_after: None,
            },
            now,
        );
        assert_eq!(store.counts(FeedId(0)).total, 1);
        assert!(store.feed(FeedId(0)).unwrap().status.is_error());
    }

    #[test]
    fn retention_keeps_starred_and_newest() {
        let mut store = Store::new(vec![feed(0, &[])]);
        let now = Utc::now();
        let arts: Vec<_> = (1..=5).map(|d| article(0, &format!("a{d}"), d)).collect();
        store.apply(loaded(0, arts), now);
        let oldest = store.find(FeedId(0), &ArticleId("a1".into())).unwrap();
        store.toggle_starred(oldest);
        let dropped = store.retain(FeedId(0), 2, None);
        assert_eq!(dropped.len(), 2);
        let ids: Vec<_> = store
            .articles(FeedId(0))
            .iter()
            .map(|a| a.id.0.as_str())
            .collect();
        assert_eq!(ids, ["a5", "a4", "a1"]);
        assert!(store.find(FeedId(0), &ArticleId("a1".into())).is_some());
    }
}
