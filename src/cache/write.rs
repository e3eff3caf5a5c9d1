//! The SQL of saving: feed metadata, article upserts (flags OR-ed with what is on disk), bodies, flags,
//! full texts, and retention through the store's one rule.

use super::rows::{enclosures_to_json, from_micros, list_to_json, to_micros};
use super::worker::Job;
use crate::model::{Body, FeedStatus};
use crate::store::{FeedSnapshot, FlagWrite};
use rusqlite::{params, Connection, ErrorCode, Transaction, TransactionBehavior};
use std::time::Duration;

/// Commit a batch; a busy database (another instance writing past the busy timeout) is retried twice.
pub(super) fn commit_with_retry(conn: &mut Connection, work: &[Job]) -> rusqlite::Result<()> {
    let mut attempt = 0;
    loop {
        match commit(conn, work) {
            Err(e)
                if attempt < 2
                    && matches!(
                        e.sqlite_error_code(),
                        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
                    ) =>
            {
                attempt += 1;
                std::thread::sleep(Duration::from_millis(200));
            }
            result => return result,
        }
    }
}

fn commit(conn: &mut Connection, work: &[Job]) -> rusqlite::Result<()> {
    let tx = Transaction::new(conn, TransactionBehavior::Immediate)?;
    for job in work {
        match job {
            Job::Feed(snapshot) => write_feed(&tx, snapshot)?,
            Job::Flags(flags) => write_flags(&tx, flags)?,
            Job::FullText { feed_url, id, html } => {
                tx.prepare_cached(
                    "INSERT INTO article_bodies (feed_url, id, full_text) VALUES (?1, ?2, ?3)
                     ON CONFLICT(feed_url, id) DO UPDATE SET full_text = excluded.full_text",
                )?
                .execute(params![feed_url, id.0, html])?;
            }
            Job::Flush(_)
            | Job::ReadBody { .. }
            | Job::ReadFullText { .. }
            | Job::ForgetFeed { .. } => {}
        }
    }
    tx.commit()
}

fn write_feed(tx: &Transaction, feed: &FeedSnapshot) -> rusqlite::Result<()> {
    write_meta(tx, feed)?;
    let mut upsert = tx.prepare_cached(
        "INSERT INTO articles (feed_url, id, title, link, authors, published, updated,
                               categories, comments, enclosures, read, starred, first_seen, sort_key,
                               words, comment_feed, comments_page)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
         ON CONFLICT(feed_url, id) DO UPDATE SET
           title = excluded.title, link = excluded.link, authors = excluded.authors,
           published = excluded.published, updated = excluded.updated,
           categories = excluded.categories, comments = excluded.comments,
           enclosures = excluded.enclosures, read = read OR excluded.read,
           starred = starred OR excluded.starred, first_seen = MIN(first_seen, excluded.first_seen),
           sort_key = excluded.sort_key, words = COALESCE(excluded.words, words),
           comment_feed = excluded.comment_feed, comments_page = excluded.comments_page
         WHERE title IS NOT excluded.title OR link IS NOT excluded.link
           OR authors IS NOT excluded.authors OR published IS NOT excluded.published
           OR updated IS NOT excluded.updated
           OR categories IS NOT excluded.categories
           OR comments IS NOT excluded.comments OR enclosures IS NOT excluded.enclosures
           OR (excluded.read AND NOT read) OR (excluded.starred AND NOT starred)
           OR excluded.first_seen < first_seen OR sort_key IS NOT excluded.sort_key
           OR (excluded.words IS NOT NULL AND excluded.words IS NOT words)
           OR comment_feed IS NOT excluded.comment_feed OR comments_page IS NOT excluded.comments_page",
    )?;
    // A body left in the cache (`Body::InCache`) is not in memory: the stored one stands.
    let mut upsert_body = tx.prepare_cached(
        "INSERT INTO article_bodies (feed_url, id, summary, content) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(feed_url, id) DO UPDATE SET summary = excluded.summary, content = excluded.content
         WHERE summary IS NOT excluded.summary OR content IS NOT excluded.content",
    )?;
    for a in &feed.articles {
        upsert.execute(params![
            feed.url,
            a.id.0,
            a.title,
            a.link,
            list_to_json(&a.authors),
            a.published.map(to_micros),
            a.updated.map(to_micros),
            list_to_json(&a.categories),
            a.comments,
            enclosures_to_json(&a.enclosures),
            a.read,
            a.starred,
            to_micros(a.first_seen),
            to_micros(a.sort_date()),
            // Counted when the article entered the store (`store::merge`), off this thread; a
            // snapshot without a count leaves the stored one.
            a.words,
            a.comment_feed,
            a.comments_page,
        ])?;
        if let Body::InMemory(text) = &a.body {
            upsert_body.execute(params![feed.url, a.id.0, text.summary, text.content])?;
        }
    }
    apply_retention(tx, feed)
}

/// The feed row: title, site, validators, last outcome, Retry-After, and failures in a row (counted here,
/// so two instances refreshing the same file add up instead of overwriting each other).
fn write_meta(tx: &Transaction, feed: &FeedSnapshot) -> rusqlite::Result<()> {
    // Status kind: 0 leaves the last outcome alone, 1 records a success, 2 an error.
    let (kind, success, error, error_at) = match &feed.status {
        FeedStatus::Ok { at } => (1, Some(to_micros(*at)), None, None),
        FeedStatus::Error { message, at } => {
            (2, None, Some(message.as_str()), Some(to_micros(*at)))
        }
        FeedStatus::NeverFetched | FeedStatus::Fetching => (0, None, None, None),
    };
    tx.prepare_cached(
        "INSERT INTO feeds (url, title, etag, last_modified, last_success, last_error, last_error_at,
                            retry_not_before, failures, site_url)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?9, CASE ?8 WHEN 2 THEN 1 ELSE 0 END, ?10)
         ON CONFLICT(url) DO UPDATE SET
           failures = CASE ?8 WHEN 1 THEN 0 WHEN 2 THEN failures + 1 ELSE failures END,
           retry_not_before = CASE ?8 WHEN 0 THEN retry_not_before ELSE excluded.retry_not_before END,
           title = COALESCE(excluded.title, title),
           site_url = COALESCE(excluded.site_url, site_url),
           etag = excluded.etag,
           last_modified = excluded.last_modified,
           last_success = CASE ?8 WHEN 1 THEN excluded.last_success ELSE last_success END,
           last_error = CASE ?8 WHEN 1 THEN NULL WHEN 2 THEN excluded.last_error ELSE last_error END,
           last_error_at = CASE ?8 WHEN 1 THEN NULL WHEN 2 THEN excluded.last_error_at ELSE last_error_at END",
    )?
    .execute(params![
        feed.url,
        feed.title,
        feed.validators.etag,
        feed.validators.last_modified,
        success,
        error,
        error_at,
        kind,
        feed.retry_not_before.map(to_micros),
        feed.site
    ])?;
    Ok(())
}

/// Drop what `feed.retention` does not keep among the feed's rows on disk (the same judge the store
/// uses in memory), bodies with their articles.
fn apply_retention(tx: &Transaction, feed: &FeedSnapshot) -> rusqlite::Result<()> {
    let mut keep = feed.retention.judge();
    let mut doomed = Vec::new();
    {
        let mut rows = tx.prepare_cached(
            "SELECT id, starred, sort_key FROM articles WHERE feed_url = ?1 ORDER BY sort_key DESC",
        )?;
        let mut query = rows.query(params![feed.url])?;
        while let Some(row) = query.next()? {
            let starred: bool = row.get(1)?;
            let date = from_micros(row.get(2)?).unwrap_or_default();
            if !keep(starred, date) {
                doomed.push(row.get::<_, String>(0)?);
            }
        }
    }
    let mut delete = tx.prepare_cached("DELETE FROM articles WHERE feed_url = ?1 AND id = ?2")?;
    for id in doomed {
        delete.execute(params![feed.url, id])?;
    }
    Ok(())
}

fn write_flags(tx: &Transaction, flags: &[FlagWrite]) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare_cached(
        "UPDATE articles SET read = ?3, starred = ?4 WHERE feed_url = ?1 AND id = ?2",
    )?;
    for f in flags {
        stmt.execute(params![f.feed_url, f.id.0, f.read, f.starred])?;
    }
    Ok(())
}
