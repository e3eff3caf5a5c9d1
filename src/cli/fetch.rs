//! `tidings fetch`: refresh every feed once (new bodies stream to the cache), then one line per feed
//! and a total; exit 0 when at least one feed loaded.

use crate::model::FeedStatus;
use crate::session::Session;
use crate::store::Store;

/// Refresh, report, and return the exit code.
pub async fn run(mut session: Session) -> anyhow::Result<i32> {
    session.refresh_all(false).await?;
    if let Some(error) = session.flush() {
        eprintln!("tidings: {}", crate::text::sanitize_line(&error));
    }
    Ok(print_summary(&session.store))
}

/// The error view's summary for the feeds that failed: cause, last success, failures in a row, and
/// when each is tried next (a command has no auto-refresh: the next `tidings fetch`, or Retry-After).
fn print_failures(store: &Store) {
    let now = chrono::Utc::now();
    let failing: Vec<_> = store
        .feeds()
        .iter()
        .filter_map(|f| Some((f, f.failure(None)?)))
        .collect();
    if failing.is_empty() {
        return;
    }
    println!("\nfailed feeds:");
    for (feed, failure) in failing {
        println!(
            "  {}: {}; last success: {}; failed {} time(s) in a row; next try: {}",
            feed.display_name(),
            failure.cause,
            failure.last_success_text(now),
            failure.failures,
            failure.next_try_text(now)
        );
    }
}

fn print_summary(store: &Store) -> i32 {
    let mut ok = 0;
    let mut failed = 0;
    for feed in store.feeds() {
        let counts = store.counts(feed.id);
        match &feed.status {
            FeedStatus::Error { message, .. } => {
                failed += 1;
                let waiting = feed
                    .retry_not_before
                    .filter(|t| *t > chrono::Utc::now())
                    .map(|t| {
                        format!(
                            " (not fetched: asked to wait until {})",
                            t.format("%H:%M UTC")
                        )
                    })
                    .unwrap_or_default();
                println!("✗ {}: {message}{waiting}", feed.display_name());
            }
            _ => {
                ok += 1;
                let warning = store
                    .warning(feed.id)
                    .map(|w| format!(" ({w})"))
                    .unwrap_or_default();
                println!(
                    "✓ {}: {} articles, {} unread{warning}",
                    feed.display_name(),
                    counts.total,
                    counts.unread
                );
            }
        }
    }
    let total = store.total_counts();
    println!(
        "{ok} feed(s) loaded, {failed} failed, {} articles",
        total.total
    );
    print_failures(store);
    if ok > 0 || store.feeds().is_empty() {
        0
    } else {
        1
    }
}
