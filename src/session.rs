//! The headless core that the TUI and every command share: open the config's store and the cache,
//! load what is stored (headlines and flags; bodies stay on disk), and refresh (fetch → parse →
//! `Store::ingest` → save), streaming each feed's new bodies to the cache and letting them go.

use crate::cache::{Bodies, Cache, CacheError, CacheWorker, SHUTDOWN_TIMEOUT};
use crate::config::{Config, Settings};
use crate::feed::{self, http::HttpClient, http::Limits, RefreshJob};
use crate::model::{Feed, FeedId, FeedStatus, FeedUpdate};
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
                id: FeedId(i),
                url: f.url.to_string(),
                configured_name: f.name.clone(),
                feed_title: None,
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
                status: FeedStatus::NeverFetched,
                retry_not_before: None,
                last_success: None,
                failures: 0,
                validators: Default::default(),
            })
            .collect(),
    )
}

impl Session {
    /// Open `config` with the cache at `cache_path` (none: everything in memory): the store is filled
    /// with the cached headlines and flags; bodies stay in the file.
    pub fn open(config: Config, cache_path: Option<&Path>) -> Result<Session, SessionError> {
        let client = Arc::new(
            HttpClient::new(limits(&config.settings))
                .map_err(|e| SessionError::Http(crate::text::sanitize_line(&e.to_string())))?,
        );
        let mut store = store_for(&config);
        let (cache, notice) = match cache_path {
            Some(path) => {
                let (cache, notice) = Cache::open_and_load(path, &mut store, Bodies::Defer)?;
                (Some(cache.into_worker()), notice)
            }
            None => (None, None),
        };
        Ok(Session {
            config,
            store,
            cache,
            cache_path: cache_path.map(Path::to_path_buf),
            notice,
            client,
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
        // Small: a parsed feed waits here with its bodies until it is ingested.
        let (tx, mut rx) = mpsc::channel::<FeedUpdate>(4);
        let task = tokio::spawn(feed::refresh_paced(
            self.client.clone(),
            self.due_jobs(),
            self.config.settings.concurrency,
            tx,
            self.cache.as_ref().map(CacheWorker::backlog),
        ));
        while let Some(update) = rx.recv().await {
            let ingested = self
                .store
                .ingest(update, self.retention(), bodies, Utc::now());
            if let (Some(cache), Some(save)) = (&self.cache, ingested.save) {
                cache.save_feed(save);
            }
        }
        task.await.map_err(|e| SessionError::Refresh(e.to_string()))
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
