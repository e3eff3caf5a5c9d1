//! The headless core that the TUI and every command share: open the config's store and the cache,
//! load what is stored (headlines and flags; bodies stay on disk), and refresh (fetch → parse →
//! `Store::ingest` → save), streaming each feed's new bodies to the cache and letting them go.

use crate::cache::read::CacheReader;
use crate::cache::{Bodies, Cache, CacheError, CacheWorker, SHUTDOWN_TIMEOUT};
use crate::config::{Config, Settings};
use crate::feed::{self, http::HttpClient, http::Limits, RefreshJob};
use crate::model::{Feed, FeedId, FeedUpdate};
use crate::store::{BodyHome, Retention, Store};
use chrono::Utc;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// Why a session could not start or finish.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The cache could not be opened or read (the message names the file and what to do).
    #[error(transparent)]
    Cache(#[from] CacheError),
    /// The HTTP client could not be built.
    #[error("cannot set up HTTP: {0}")]
    Http(String),
    /// The refresh task stopped abnormally.
    #[error("the refresh stopped: {0}")]
    Refresh(String),
}

/// An open config, its store and (unless `--no-cache`) the cache worker.
pub struct Session {
    /// The feed list and settings in use.
    pub config: Config,
    /// Feeds and their headlines (and bodies, without a cache).
    pub store: Store,
    /// Where saves go and bodies are read from; `None` with `--no-cache`.
    pub cache: Option<CacheWorker>,
    /// Where the cache lives, for readers on another connection (`list`).
    pub cache_path: Option<PathBuf>,
    /// A one-line notice from opening the cache (a damaged file moved aside).
    pub notice: Option<String>,
    /// One HTTP client (one connection pool) for every request of the session.
    pub client: Arc<HttpClient>,
    /// With [`Headlines::FeedByFeed`]: where each feed's headlines are brought in from.
    feed_by_feed: Option<FeedByFeed>,
}

/// How much of the cache a session holds in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Headlines {
    /// Every stored headline, from the start (the reader and `list` show them all).
    All,
    /// None at the start; a feed's headlines come in when its refresh begins and leave once it is
    /// saved, keeping only its counts (`fetch`: memory does not grow with the cache). Without a
    /// cache this is the same as `All`.
    FeedByFeed,
}

/// Where a feed's headlines are in a [`Headlines::FeedByFeed`] session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Held {
    /// Still only in the cache.
    InCache,
    /// In the store while its refresh runs.
    InMemory,
    /// Saved and let go; the store keeps its counts.
    Parked,
}

/// The reader and the state of each feed for [`Headlines::FeedByFeed`].
struct FeedByFeed {
    reader: CacheReader,
    held: Vec<Held>,
}

/// The network limits of `settings`.
pub fn limits(settings: &Settings) -> Limits {
    Limits {
        timeout: Duration::from_secs(settings.timeout_seconds.max(1)),
        max_bytes: settings.max_feed_bytes,
    }
}

/// The store for a config: one feed per `[[feed]]`, in order, no articles yet.
pub fn store_for(config: &Config) -> Store {
    Store::new(
        config
            .feeds
            .iter()
            .enumerate()
            .map(|(i, f)| Feed {
                configured_name: f.name.clone(),
                tags: f.tags.clone(),
                full_text: f.full_text,
                enabled: f.enabled,
                max_articles: f.max_articles,
                refresh_minutes: f.refresh_minutes,
                options: crate::model::FetchOptions::new(
                    f.timeout_seconds,
                    f.user_agent.clone(),
                    f.headers.clone(),
                ),
                ..Feed::new(FeedId(i), f.url.to_string())
            })
            .collect(),
    )
}

impl Session {
    /// Open `config` with the cache at `cache_path` (none: everything in memory). With
    /// `Headlines::All` the store is filled with the cached headlines and flags; bodies stay in the
    /// file either way.
    pub fn open(
        config: Config,
        cache_path: Option<&Path>,
        headlines: Headlines,
    ) -> Result<Session, SessionError> {
        let client = Arc::new(
            HttpClient::new(limits(&config.settings))
                .map_err(|e| SessionError::Http(crate::text::sanitize_line(&e.to_string())))?,
        );
        let mut store = store_for(&config);
        let (cache, notice, feed_by_feed) = match (cache_path, headlines) {
            (Some(path), Headlines::All) => {
                let (cache, notice) = Cache::open_and_load(path, &mut store, Bodies::Defer)?;
                (Some(cache.into_worker()), notice, None)
            }
            (Some(path), Headlines::FeedByFeed) => {
                let (cache, notice) = Cache::open_and_load_feeds_only(path, &mut store)?;
                let reader = CacheReader::open(path)?;
                let held = vec![Held::InCache; store.feeds().len()];
                let feed_by_feed = FeedByFeed { reader, held };
                (Some(cache.into_worker()), notice, Some(feed_by_feed))
            }
            (None, _) => (None, None, None),
        };
        Ok(Session {
            config,
            store,
            cache,
            cache_path: cache_path.map(Path::to_path_buf),
            notice,
            client,
            feed_by_feed,
        })
    }

    /// The retention rule in force now.
    pub fn retention(&self) -> Retention {
        Retention::new(
            self.config.settings.max_articles_per_feed,
            self.config.settings.keep_days,
            Utc::now(),
        )
    }

    /// Jobs for every feed, except those whose server asked us to wait (Retry-After), across runs too.
    pub fn due_jobs(&self) -> Vec<RefreshJob> {
        let now = Utc::now();
        self.store
            .feeds()
            .iter()
            .filter(|f| !f.waiting_at(now))
            .filter_map(RefreshJob::for_feed)
            .collect()
    }

    /// Refresh every due feed once, ingesting each as it finishes. With a cache, new bodies go to it
    /// and leave memory (the refresh waits while too many are queued); without one, `keep_bodies`
    /// decides whether they stay in the store.
    pub async fn refresh_all(&mut self, keep_bodies: bool) -> Result<(), SessionError> {
        let bodies = match (&self.cache, keep_bodies) {
            (Some(_), _) => BodyHome::Cache,
            (None, true) => BodyHome::Memory,
            (None, false) => BodyHome::Discard,
        };
        // One: a parsed feed waits here with its bodies until it is ingested (ingesting is quick).
        let (tx, mut rx) = mpsc::channel::<FeedUpdate>(1);
        let task = tokio::spawn(feed::refresh_paced(
            self.client.clone(),
            self.due_jobs(),
            self.config.settings.concurrency,
            tx,
            self.cache.as_ref().map(CacheWorker::backlog),
        ));
        while let Some(update) = rx.recv().await {
            let feed = update.feed();
            let finished = !matches!(update, FeedUpdate::Started(_));
            self.bring_in(feed)?;
            let ingested = self
                .store
                .ingest(update, self.retention(), bodies, Utc::now());
            if let (Some(cache), Some(save)) = (&self.cache, ingested.save) {
                cache.save_feed(save);
            }
            if finished {
                self.let_go(feed);
            }
        }
        task.await
            .map_err(|e| SessionError::Refresh(e.to_string()))?;
        // Feeds that were not refreshed (disabled, asked to wait) still have counts to report.
        let untouched: Vec<FeedId> = self
            .feed_by_feed
            .iter()
            .flat_map(|lazy| {
                lazy.held
                    .iter()
                    .enumerate()
                    .filter(|(_, h)| **h == Held::InCache)
                    .map(|(i, _)| FeedId(i))
            })
            .collect();
        for feed in untouched {
            self.bring_in(feed)?;
            self.let_go(feed);
        }
        Ok(())
    }

    /// Feed by feed: bring `feed`'s stored headlines into the store before its refresh touches it.
    fn bring_in(&mut self, feed: FeedId) -> Result<(), SessionError> {
        let Some(lazy) = &mut self.feed_by_feed else {
            return Ok(());
        };
        let Some(held) = lazy.held.get_mut(feed.0) else {
            return Ok(());
        };
        match *held {
            Held::InMemory => return Ok(()),
            // A second refresh of the same feed: what was saved must be on disk before it is read.
            Held::Parked => {
                if let Some(cache) = &self.cache {
                    cache.flush(SHUTDOWN_TIMEOUT)?;
                }
            }
            Held::InCache => {}
        }
        *held = Held::InMemory;
        let Some(url) = self.store.feed(feed).map(|f| f.url.clone()) else {
            return Ok(());
        };
        let list = lazy.reader.headlines(&url, feed)?;
        self.store.load_cached(feed, list, Utc::now());
        Ok(())
    }

    /// Feed by feed: `feed` is saved (or queued to be), so its headlines leave memory.
    fn let_go(&mut self, feed: FeedId) {
        if let Some(held) = self
            .feed_by_feed
            .as_mut()
            .and_then(|lazy| lazy.held.get_mut(feed.0))
        {
            *held = Held::Parked;
            self.store.park(feed);
        }
    }

    /// Wait (bounded) until every queued save is committed; the cache's last error, if any.
    pub fn flush(&self) -> Option<String> {
        let cache = self.cache.as_ref()?;
        match cache.flush(SHUTDOWN_TIMEOUT) {
            Ok(()) => cache.take_error(),
            Err(e) => Some(e.to_string()),
        }
    }
}
