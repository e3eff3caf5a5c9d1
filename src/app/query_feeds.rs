//! Query feeds (`[[query]]` in feeds.toml): feeds-pane rows listing the articles of every feed that
//! match a saved query, with unread/total counts recomputed when the store changes (never per frame),
//! evaluated on borrowed headlines.

use super::App;
use crate::config::QueryFeedConfig;
use crate::model::Counts;
use crate::query::{Query, TextHits};
use chrono::Utc;

/// One query feed and its counts.
#[derive(Debug, Clone)]
pub struct QueryFeed {
    /// The row's name from feeds.toml.
    pub name: String,
    /// Its query.
    pub query: Query,
    /// The index's answers to the query's `text:` terms (empty until they arrive).
    pub(super) hits: TextHits,
    /// Unread and total matches, as of the store revision last counted.
    pub counts: Counts,
}

impl QueryFeed {
    /// What answers the `text:` terms: the index's hits with a cache in use, else the bodies in memory.
    pub(super) fn hits(&self, cache_in_use: bool) -> Option<&TextHits> {
        (cache_in_use && !self.query.text_terms().is_empty()).then_some(&self.hits)
    }
}

impl App {
    /// Add the `[[query]]` feeds of the config as rows after All articles and Starred. Call after
    /// `with_cache`; `text:` terms are then answered once `Msg::Start` has asked the index.
    pub fn with_query_feeds(mut self, configs: &[QueryFeedConfig]) -> Self {
        self.query_feeds = configs
            .iter()
            .map(|c| QueryFeed {
                name: c.name.clone(),
                query: c.query.clone(),
                hits: TextHits::default(),
                counts: Counts::default(),
            })
            .collect();
        self.rebuild_entries();
        self.recount_query_feeds();
        self.reload_headlines();
        self
    }

    /// Count every query feed's matches now.
    pub(super) fn recount_query_feeds(&mut self) {
        let now = Utc::now();
        for i in 0..self.query_feeds.len() {
            let feed = &self.query_feeds[i];
            let counts = self
                .store
                .query_counts(&feed.query, feed.hits(self.cache_in_use), now);
            self.query_feeds[i].counts = counts;
        }
        self.counted_revision = self.store.revision();
    }

    /// Recount when the store changed since the last count (checked after every message; O(1) when not).
    pub(super) fn recount_if_store_changed(&mut self) {
        if self.store.revision() != self.counted_revision && !self.query_feeds.is_empty() {
            self.recount_query_feeds();
        }
    }
}
