//! Feeds joining and leaving the store while the reader runs (`a` and `d` in the TUI).
//!
//! A `FeedId` is a position, and ids travel in refresh jobs, replies and keys that may still be in
//! flight; renumbering would send a late reply to the wrong feed. So a feed is appended at the end,
//! and a removed feed stays as a tombstone: no articles, no tags, disabled, and skipped by
//! [`Store::listed_feeds`], so it shows in no view or count and is never refreshed.

use super::Store;
use crate::model::{Counts, Feed, FeedId};

impl Store {
    /// Append `feed` with the next id (its `id` is overwritten) and no articles; returns that id.
    pub fn add_feed(&mut self, mut feed: Feed) -> FeedId {
        let id = FeedId(self.feeds.len());
        feed.id = id;
        self.feeds.push(feed);
        self.articles.push(Vec::new());
        self.index.push(super::IdIndex::default());
        self.counts.push(Counts::default());
        self.starred.push(Counts::default());
        self.warnings.push(None);
        self.removed.resize(self.feeds.len(), false);
        self.revision += 1;
        id
    }

    /// Take `id` out of every view: its articles leave memory (the cache keeps the starred ones), its
    /// tags go, it is never fetched again. False when there is no such feed or it was removed already.
    pub fn remove_feed(&mut self, id: FeedId) -> bool {
        if self.is_removed(id) || id.0 >= self.feeds.len() {
            return false;
        }
        self.removed.resize(self.feeds.len(), false);
        self.removed[id.0] = true;
        let feed = &mut self.feeds[id.0];
        feed.enabled = false;
        feed.tags.clear();
        self.articles[id.0].clear();
        self.index[id.0].clear();
        self.warnings[id.0] = None;
        self.recount(id);
        true
    }

    /// Whether `id` was removed this session.
    pub fn is_removed(&self, id: FeedId) -> bool {
        self.removed.get(id.0).copied().unwrap_or(false)
    }

    /// The feeds a user sees, in config order: every feed except the removed ones.
    pub fn listed_feeds(&self) -> impl Iterator<Item = &Feed> + '_ {
        self.feeds.iter().filter(|f| !self.is_removed(f.id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(url: &str, tags: &[&str]) -> Feed {
        Feed {
            tags: tags.iter().map(|t| t.to_string()).collect(),
            ..Feed::new(FeedId(0), url.into())
        }
    }

    #[test]
    fn added_feeds_take_the_next_id_and_removed_ones_keep_theirs() {
        let mut store = Store::new(Vec::new());
        let a = store.add_feed(feed("https://a.example/feed", &["news"]));
        let b = store.add_feed(feed("https://b.example/feed", &[]));
        assert_eq!((a, b), (FeedId(0), FeedId(1)));
        assert_eq!(store.tags(), vec!["news".to_string()]);
        assert!(store.remove_feed(a));
        assert!(!store.remove_feed(a), "removed once");
        assert!(store.tags().is_empty());
        let listed: Vec<FeedId> = store.listed_feeds().map(|f| f.id).collect();
        assert_eq!(listed, vec![b]);
        assert_eq!(
            store.feed(b).map(|f| f.url.as_str()),
            Some("https://b.example/feed")
        );
        assert!(!store.feed(a).is_some_and(|f| f.enabled));
    }
}
