//! The feed-fetching layer: refresh many feeds concurrently, each outcome sent as a `FeedUpdate`.

pub mod http;
pub mod parse;

use crate::model::{FeedId, FeedUpdate, Validators};
use std::sync::Arc;
use tokio::sync::mpsc;
use url::Url;

/// One feed to refresh.
#[derive(Debug, Clone)]
pub struct RefreshJob {
    pub feed: FeedId,
    pub url: Url,
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
    // STUB
    let _ = (client, concurrency);
    for job in jobs {
        let _ = updates
            .send(FeedUpdate::Failed {
                feed: job.feed,
                message: "not implemented".into(),
                retry_after: None,
            })
            .await;
    }
}
