//! What the store hands to the cache: a finished refresh becomes one `FeedSnapshot` (metadata, the
//! feed's headlines, and the bodies that just arrived, moved out of memory), flags become `FlagWrite`s.
//! Plain values, so `App::update` can put them in effects and the runtime never reads the store.

use super::{Retention, Store};
use crate::model::{Article, ArticleId, Body, FeedId, FeedStatus, FeedUpdate, Validators};
use chrono::{DateTime, Utc};

/// One feed as it should be on disk: metadata plus the articles to upsert.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedSnapshot {
    /// The feed's configured URL, which keys its rows in the cache.
    pub url: String,
    /// The title the feed gives itself, if any.
    pub title: Option<String>,
    /// The feed's own web site, if it has stated one (`None` keeps what the cache holds).
    pub site: Option<String>,
    /// ETag and Last-Modified for the next conditional fetch.
    pub validators: Validators,
    /// `Ok`/`Error` update the last success/error; `NeverFetched`/`Fetching` leave them as they are.
    pub status: FeedStatus,
    /// Retry-After: no fetch before this.
    pub retry_not_before: Option<DateTime<Utc>>,
    /// Articles to upsert: empty for a 304 or a failure (metadata only). An article whose body is
    /// `InCache` keeps the stored body.
    pub articles: Vec<Article>,
    /// Retention, applied to the feed's rows on disk after the upsert.
    pub retention: Retention,
}

impl FeedSnapshot {
    /// Bytes of article text this snapshot holds (what it costs while queued).
    pub fn body_bytes(&self) -> usize {
        self.articles.iter().map(|a| a.body.len()).sum()
    }
}

/// One article's flags as they should be on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagWrite {
    /// The configured URL of the article's feed.
    pub feed_url: String,
    /// The article's stable identity within that feed.
    pub id: ArticleId,
    /// Whether the article has been read.
    pub read: bool,
    /// Whether the article is starred.
    pub starred: bool,
}

/// Where the bodies of arriving articles go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyHome {
    /// Kept in the store (no cache: the reader shows them from memory).
    Memory,
    /// Moved into the feed's save and out of memory; read back from the cache when needed.
    Cache,
    /// Dropped: nobody will show them (`tidings fetch --no-cache` prints counts only).
    Discard,
}

/// What one refresh outcome did to the store.
#[derive(Debug, Clone, PartialEq)]
pub struct Ingested {
    /// Articles added and updated.
    pub applied: super::Applied,
    /// Articles retention dropped.
    pub dropped: Vec<ArticleId>,
    /// The save that carries the outcome to disk (a finished refresh with a cache in use).
    pub save: Option<FeedSnapshot>,
}

impl Store {
    /// The one refresh step shared by the TUI and the commands: apply `update`, apply `retention`, and,
    /// when bodies go to the cache and the refresh is finished, build its save. Bodies that arrived move
    /// into the save and leave memory (their articles keep `Body::InCache`); a 304 or a failure saves
    /// the feed's metadata only, with no copy of its articles.
    pub fn ingest(
        &mut self,
        update: FeedUpdate,
        retention: Retention,
        bodies: BodyHome,
        now: DateTime<Utc>,
    ) -> Ingested {
        let feed = update.feed();
        // A feed's own `max_articles` wins over the setting for all feeds.
        let retention = Retention {
            max: self
                .feed(feed)
                .and_then(|f| f.max_articles)
                .unwrap_or(retention.max),
            ..retention
        };
        let finished = !matches!(update, FeedUpdate::Started(_));
        let loaded = matches!(update, FeedUpdate::Loaded { .. });
        let applied = self.apply(update, now);
        let dropped = if finished {
            self.retain(feed, retention)
        } else {
            Vec::new()
        };
        let save = match bodies {
            BodyHome::Cache if finished => self.snapshot(feed, loaded, retention),
            BodyHome::Discard if loaded => {
                for a in self.articles.get_mut(feed.0).into_iter().flatten() {
                    a.body = Body::empty();
                }
                None
            }
            _ => None,
        };
        Ingested {
            applied,
            dropped,
            save,
        }
    }

    /// A feed's save: metadata, and with `articles` its headlines with the in-memory bodies moved out.
    fn snapshot(
        &mut self,
        feed: FeedId,
        articles: bool,
        retention: Retention,
    ) -> Option<FeedSnapshot> {
        let f = self.feeds.get(feed.0)?;
        let mut snapshot = FeedSnapshot {
            url: f.url.clone(),
            title: f.feed_title.clone(),
            site: f.site_url.clone(),
            validators: f.validators.clone(),
            status: f.status.clone(),
            retry_not_before: f.retry_not_before,
            articles: Vec::new(),
            retention,
        };
        if articles {
            let list = self.articles.get_mut(feed.0)?;
            snapshot.articles = list
                .iter_mut()
                .map(|a| {
                    let body = std::mem::replace(&mut a.body, Body::InCache);
                    Article { body, ..a.clone() }
                })
                .collect();
        }
        Some(snapshot)
    }

    /// The flags of `key`'s article as they should be written.
    pub fn flag_write(&self, key: super::ArticleKey) -> Option<FlagWrite> {
        let a = self.get(key)?;
        Some(FlagWrite {
            feed_url: self.feed(key.feed)?.url.clone(),
            id: a.id.clone(),
            read: a.read,
            starred: a.starred,
        })
    }
}
