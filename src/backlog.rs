//! Bytes handed to the cache but not yet written. A refresh waits while too many are queued, so a fast
//! network never piles every article body up in memory ahead of a slower disk.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::Notify;

/// Queued article bytes: the cache worker adds on enqueue and drains on commit; producers wait.
#[derive(Debug, Clone, Default)]
pub struct Backlog(Arc<Inner>);

#[derive(Debug, Default)]
struct Inner {
    bytes: AtomicUsize,
    drained: Notify,
}

/// How many queued bytes a refresh lets pile up before it waits for the disk.
pub const BACKLOG_LIMIT: usize = 2 * 1024 * 1024;

impl Backlog {
    /// `n` more bytes are queued.
    pub fn add(&self, n: usize) {
        self.0.bytes.fetch_add(n, Ordering::AcqRel);
    }

    /// `n` queued bytes were written (or dropped): wake whoever waits.
    pub fn drain(&self, n: usize) {
        let _ = self
            .0
            .bytes
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |b| {
                Some(b.saturating_sub(n))
            });
        self.0.drained.notify_waiters();
    }

    /// Bytes queued now.
    pub fn bytes(&self) -> usize {
        self.0.bytes.load(Ordering::Acquire)
    }

    /// Resolve once fewer than `limit` bytes are queued.
    pub async fn wait_below(&self, limit: usize) {
        loop {
            let drained = self.0.drained.notified();
            tokio::pin!(drained);
            // Registered before the check, so a drain between the check and the await still wakes us.
            drained.as_mut().enable();
            if self.bytes() < limit {
                return;
            }
            drained.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn waiters_wake_when_the_backlog_drains() {
        let backlog = Backlog::default();
        backlog.add(10);
        let waiter = tokio::spawn({
            let backlog = backlog.clone();
            async move { backlog.wait_below(5).await }
        });
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished());
        backlog.drain(6);
        waiter.await.expect("the waiter returns");
        assert_eq!(backlog.bytes(), 4);
        backlog.drain(100);
        assert_eq!(backlog.bytes(), 0, "never below zero");
    }
}
