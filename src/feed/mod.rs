//! The feed-fetching layer: refresh many feeds concurrently, each outcome sent as a `FeedUpdate`.

pub mod bodies;
pub mod cdf;
pub mod dates;
pub mod decode;
pub mod entities;
pub mod extras;
pub mod http;
pub mod http_error;
pub mod items;
pub mod json;
pub mod legacy;
pub mod links;
pub mod normalise;
pub mod parse;
pub mod recover;
pub mod repair;

use crate::model::{FeedId, FeedUpdate, Validators};
use crate::text::sanitize_line;
use futures_util::stream::{self, StreamExt};
use std::sync::Arc;
use tokio::sync::mpsc;
use url::Url;

/// One feed to refresh.
#[derive(Debug, Clone)]
pub struct RefreshJob {
    /// Which feed this is.
    pub feed: FeedId,
    /// Where to fetch it (http, https or file).
    pub url: Url,
    /// Validators from the last successful fetch, for conditional GET.
    pub validators: Validators,
}

/// Refresh `jobs` with at most `concurrency` in flight. Sends `Started`, then exactly one of
/// `Loaded`/`NotModified`/`Failed` per job, each as soon as that feed is done. Returns when all are done.
pub async fn refresh_all(
    client: Arc<http::HttpClient>,
    jobs: Vec<RefreshJob>,
    concurrency: usize,
    updates: mpsc::Sender<FeedUpdate>,
) {
    let concurrency = concurrency.max(1);
    stream::iter(jobs)
        .map(|job| {
            let client = Arc::clone(&client);
            let updates = updates.clone();
            async move {
                // A closed channel only means nobody listens any more; the refresh still completes.
                let _ = updates.send(FeedUpdate::Started(job.feed)).await;
                let outcome = refresh_one(&client, &job).await;
                let _ = updates.send(outcome).await;
            }
        })
        .buffer_unordered(concurrency)
        .for_each(|()| async {})
        .await;
}

/// Fetch and parse one feed into the update that ends its refresh.
pub async fn refresh_one(client: &http::HttpClient, job: &RefreshJob) -> FeedUpdate {
    let feed = job.feed;
    let failed = |message: &str, retry_after| FeedUpdate::Failed {
        feed,
        message: sanitize_line(message),
        retry_after,
    };
    let body = match client.fetch(&job.url, &job.validators).await {
        Ok(http::Fetched::NotModified) => return FeedUpdate::NotModified { feed },
        Ok(http::Fetched::Body(body)) => body,
        Err(e) => return failed(&e.to_string(), e.retry_after()),
    };
    let http::Body {
        bytes,
        content_type,
        final_url,
        validators,
    } = body;
    let parsed = tokio::task::spawn_blocking(move || {
        parse::parse_feed(&bytes, content_type.as_deref(), &final_url, feed)
    })
    .await;
    match parsed {
        Ok(Ok(parsed)) => FeedUpdate::Loaded {
            feed,
            parsed,
            validators,
        },
        Ok(Err(e)) => failed(&e.to_string(), None),
        Err(join) => failed(&format!("could not parse: parser crashed ({join})"), None),
    }
}
