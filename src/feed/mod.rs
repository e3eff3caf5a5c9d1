//! The feed-fetching layer: refresh many feeds concurrently, each outcome sent as a `FeedUpdate`.

pub mod bodies;
pub mod cdf;
pub mod comment_links;
pub mod comments;
pub mod dates;
pub mod decode;
pub mod discover;
pub mod durations;
pub mod entities;
pub mod extras;
pub mod http;
pub mod http_error;
pub mod items;
pub mod json;
pub mod legacy;
pub mod links;
pub mod normalise;
pub mod opml;
pub mod parse;
pub mod people;
pub mod recover;
pub mod repair;
pub mod subscriptions;
pub mod urls;
pub mod xml_text;

use crate::backlog::{Backlog, BACKLOG_LIMIT};
use crate::model::{Feed, FeedId, FeedUpdate, Validators};
use crate::text::sanitize_line;
use futures_util::stream::{self, StreamExt};
use std::sync::Arc;
use std::sync::OnceLock;
use tokio::sync::{mpsc, Semaphore};
use url::Url;

/// One feed to refresh.
#[derive(Debug, Clone, PartialEq)]
pub struct RefreshJob {
    /// Which feed this is.
    pub feed: FeedId,
    /// Where to fetch it (http, https or file).
    pub url: Url,
    /// Validators from the last successful fetch, for conditional GET.
    pub validators: Validators,
    /// The feed's own request settings (deadline, User-Agent, headers); default: none.
    pub options: http::FetchOptions,
}

impl RefreshJob {
    /// The job for a configured feed: its URL, validators and request settings; `None` for a
    /// disabled feed (never fetched) or a URL that no longer parses.
    pub fn for_feed(feed: &Feed) -> Option<RefreshJob> {
        if !feed.enabled {
            return None;
        }
        Some(RefreshJob {
            feed: feed.id,
            url: Url::parse(&feed.url).ok()?,
            validators: feed.validators.clone(),
            options: feed.options.clone(),
        })
    }
}

/// Refresh `jobs` with at most `concurrency` in flight. Sends `Started`, then exactly one of
/// `Loaded`/`NotModified`/`Failed` per job, each as soon as that feed is done. Returns when all are done.
pub async fn refresh_all(
    client: Arc<http::HttpClient>,
    jobs: Vec<RefreshJob>,
    concurrency: usize,
    updates: mpsc::Sender<FeedUpdate>,
) {
    refresh_paced(client, jobs, concurrency, updates, None).await;
}

/// `refresh_all`, paced by the cache: a feed is fetched only while fewer than `BACKLOG_LIMIT` bytes of
/// earlier feeds wait to be written, so memory holds a few feeds' bodies, not all of them.
pub async fn refresh_paced(
    client: Arc<http::HttpClient>,
    jobs: Vec<RefreshJob>,
    concurrency: usize,
    updates: mpsc::Sender<FeedUpdate>,
    backlog: Option<Backlog>,
) {
    let concurrency = concurrency.max(1);
    stream::iter(jobs)
        .map(|job| {
            let client = Arc::clone(&client);
            let updates = updates.clone();
            let backlog = backlog.clone();
            async move {
                if let Some(backlog) = &backlog {
                    backlog.wait_below(BACKLOG_LIMIT).await;
                }
                // A closed channel only means nobody listens any more; the refresh still completes.
                let _ = updates.send(FeedUpdate::Started(job.feed)).await;
                let (outcome, parse_permit) = refresh_one_parsing(&client, &job).await;
                let _ = updates.send(outcome).await;
                drop(parse_permit);
            }
        })
        .buffer_unordered(concurrency)
        .for_each(|()| async {})
        .await;
}

/// The permits for parsing: as many as the machine has cores.
fn parsers() -> &'static Semaphore {
    static PARSERS: OnceLock<Semaphore> = OnceLock::new();
    PARSERS.get_or_init(|| {
        Semaphore::new(std::thread::available_parallelism().map_or(2, std::num::NonZero::get))
    })
}

/// Fetch and parse one feed into the update that ends its refresh.
pub async fn refresh_one(client: &http::HttpClient, job: &RefreshJob) -> FeedUpdate {
    refresh_one_parsing(client, job).await.0
}

/// `refresh_one`, returning also the parse permit it still holds (for a parsed feed): the caller
/// keeps it until the update is handed on, so at most one parsed feed per core waits in memory.
async fn refresh_one_parsing(
    client: &http::HttpClient,
    job: &RefreshJob,
) -> (FeedUpdate, Option<tokio::sync::SemaphorePermit<'static>>) {
    let feed = job.feed;
    let failed = |message: &str, retry_after| FeedUpdate::Failed {
        feed,
        message: sanitize_line(message),
        retry_after,
    };
    let body = match client
        .fetch_with(&job.url, &job.validators, &job.options)
        .await
    {
        Ok(http::Fetched::NotModified) => return (FeedUpdate::NotModified { feed }, None),
        Ok(http::Fetched::Body(body)) => body,
        Err(e) => return (failed(&e.to_string(), e.retry_after()), None),
    };
    let http::Body {
        bytes,
        content_type,
        final_url,
        validators,
    } = body;
    // Parsing is CPU work: one feed per core at a time. More would not finish sooner, and each parse
    // in flight holds a document, its tree and its articles in memory.
    let permit = parsers().acquire().await.ok();
    let parsed = tokio::task::spawn_blocking(move || {
        parse::parse_feed(&bytes, content_type.as_deref(), &final_url, feed)
    })
    .await;
    let update = match parsed {
        Ok(Ok(parsed)) => FeedUpdate::Loaded {
            feed,
            parsed,
            validators,
        },
        Ok(Err(e)) => failed(&e.to_string(), None),
        Err(join) => failed(&format!("could not parse: parser crashed ({join})"), None),
    };
    (update, permit)
}
