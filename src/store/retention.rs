//! Retention, the one rule for which articles a feed keeps: the newest `max` (starred ones always
//! stay and do not count) and, with a cutoff, nothing unstarred older than it. The store applies it in
//! memory and the cache applies the same function to the rows on disk.

use super::Store;
use crate::model::{ArticleId, FeedId};
use chrono::{DateTime, Utc};

/// How many articles a feed keeps, and how old they may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Newest unstarred articles kept per feed.
    pub max: usize,
    /// Unstarred articles older than this are dropped.
    pub cutoff: Option<DateTime<Utc>>,
}

impl Retention {
    /// Keep `max` per feed and, when `keep_days` is set, nothing unstarred older than that many days.
    pub fn new(max: usize, keep_days: Option<u64>, now: DateTime<Utc>) -> Self {
        let cutoff = keep_days
            .and_then(|d| i64::try_from(d).ok())
            .and_then(|d| now.checked_sub_signed(chrono::Duration::days(d)));
        Retention { max, cutoff }
    }

    /// A judge for one feed's articles, fed newest first as (starred, sort date): true keeps one.
    pub fn judge(self) -> impl FnMut(bool, DateTime<Utc>) -> bool {
        let mut kept = 0usize;
        move |starred, date| {
            if starred {
                return true;
            }
            let keep = kept < self.max && self.cutoff.is_none_or(|c| date >= c);
            if keep {
                kept += 1;
            }
            keep
        }
    }
}

impl Store {
    /// Apply `retention` to a feed; returns the ids dropped.
    pub fn retain(&mut self, feed: FeedId, retention: Retention) -> Vec<ArticleId> {
        let Some(list) = self.articles.get_mut(feed.0) else {
            return Vec::new();
        };
        let mut keep = retention.judge();
        let mut dropped = Vec::new();
        // The list is sorted newest first, as the judge expects.
        list.retain(|a| {
            let kept = keep(a.starred, a.sort_date());
            if !kept {
                dropped.push(a.id.clone());
            }
            kept
        });
        if !dropped.is_empty() {
            self.resort(feed);
        }
        dropped
    }
}
