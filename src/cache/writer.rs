//! The cache writer: a thread that owns the connection and commits queued saves in batches, so the UI
//! never waits on the disk. Everything queued is committed within one batch as soon as it arrives.

use super::rows::{enclosures_to_json, list_to_json, to_micros};
use super::CacheError;
use crate::model::{Article, ArticleBody, ArticleId, FeedStatus, Validators};
use chrono::{DateTime, Utc};
use rusqlite::{
    params, Connection, ErrorCode, OptionalExtension, Transaction, TransactionBehavior,
};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long `Drop` waits for queued writes to be committed.
pub const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(5);

/// Most jobs taken into one transaction.
const MAX_BATCH: usize = 512;

/// One feed as it should be on disk: metadata plus its current articles.
#[derive(Debug, Clone)]
pub struct FeedSnapshot {
    pub url: String,
    pub title: Option<String>,
    pub validators: Validators,
    /// `Ok`/`Error` update the last success/error; `NeverFetched`/`Fetching` leave them as they are.
    pub status: FeedStatus,
    /// Retry-After: no fetch before this.
    pub retry_not_before: Option<DateTime<Utc>>,
    pub articles: Vec<Article>,
}

/// Retention applied on disk after a feed is saved (the same rule as `Store::retain`).
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
}

impl FeedSnapshot {
    /// A copy of one feed of `store` as it should be saved.
    pub fn of(store: &crate::store::Store, feed: crate::model::FeedId) -> Option<Self> {
        let f = store.feed(feed)?;
        Some(FeedSnapshot {
            url: f.url.clone(),
            title: f.feed_title.clone(),
            validators: f.validators.clone(),
            status: f.status.clone(),
            retry_not_before: f.retry_not_before,
            articles: store.articles(feed).to_vec(),
        })
    }
}

impl FeedSnapshot {
    /// Put bodies detached from the store (`Store::detach_bodies`) back into the articles they belong
    /// to, so the writer stores them; articles without one stay as they are.
    pub fn attach_bodies(&mut self, bodies: Vec<ArticleBody>) {
        if bodies.is_empty() {
            return;
        }
        let mut by_id: HashMap<ArticleId, ArticleBody> =
            bodies.into_iter().map(|b| (b.id.clone(), b)).collect();
        for a in &mut self.articles {
            if let Some(body) = by_id.remove(&a.id) {
                a.summary = body.summary;
                a.content = body.content;
                a.body_deferred = false;
            }
        }
    }
}

/// One article's flags as they should be on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagWrite {
    pub feed_url: String,
    pub id: ArticleId,
    pub read: bool,
    pub starred: bool,
}

/// Where a body read through the writer is delivered (called on the writer thread).
pub type BodyReply = Box<dyn FnOnce(Result<StoredBody, CacheError>) + Send>;

/// (summary, content) of an article as stored; `(None, None)` when it is not in the file.
pub type StoredBody = (Option<String>, Option<String>);

/// Where a stored full text (extracted page HTML) is delivered (called on the writer thread).
pub type FullTextReply = Box<dyn FnOnce(Result<Option<String>, CacheError>) + Send>;

enum Job {
    Feed(Box<FeedSnapshot>, Retention),
    Flags(Vec<FlagWrite>),
    Flush(mpsc::Sender<()>),
    ReadBody {
        feed_url: String,
        id: ArticleId,
        reply: BodyReply,
    },
    /// The extracted page of an article (`full_text = true` feeds fetch it once).
    SaveFullText {
        feed_url: String,
        id: ArticleId,
        html: String,
    },
    ReadFullText {
        feed_url: String,
        id: ArticleId,
        reply: FullTextReply,
    },
}

/// Handle to the writer thread. Dropping it commits what is queued (waiting up to `SHUTDOWN_TIMEOUT`).
#[derive(Debug)]
pub struct CacheWriter {
    jobs: Option<mpsc::Sender<Job>>,
    done: mpsc::Receiver<()>,
    thread: Option<JoinHandle<()>>,
    last_error: Arc<Mutex<Option<String>>>,
    path: PathBuf,
}

impl CacheWriter {
    pub(super) fn spawn(conn: Connection, path: PathBuf) -> CacheWriter {
        let (jobs, rx) = mpsc::channel();
        let (done_tx, done) = mpsc::channel();
        let last_error = Arc::new(Mutex::new(None));
        let errors = Arc::clone(&last_error);
        let thread_path = path.clone();
        let thread = std::thread::Builder::new()
            .name("tidings-cache".into())
            .spawn(move || {
                run(conn, &rx, &thread_path, &errors);
                let _ = done_tx.send(());
            })
            .ok();
        CacheWriter {
            jobs: thread.as_ref().map(|_| jobs),
            done,
            thread,
            last_error,
            path,
        }
    }

    /// Queue a feed save: its metadata, an upsert of `snapshot.articles` (flags OR-ed with what is on
    /// disk, like `Store::merge`), then `retention` on that feed's rows.
    pub fn save_feed(&self, snapshot: FeedSnapshot, retention: Retention) {
        self.send(Job::Feed(Box::new(snapshot), retention));
    }

    /// Queue an article's extracted full text (HTML), so it is fetched once.
    pub fn save_full_text(&self, feed_url: String, id: ArticleId, html: String) {
        self.send(Job::SaveFullText { feed_url, id, html });
    }

    /// Read an article's stored full text after the saves queued before this call; `reply` gets
    /// `Ok(None)` when there is none.
    pub fn read_full_text(&self, feed_url: String, id: ArticleId, reply: FullTextReply) {
        self.send_read(Job::ReadFullText {
            feed_url,
            id,
            reply,
        });
    }

    /// Queue flag changes; they are set exactly as given (this is how "mark unread" reaches disk).
    pub fn save_flags(&self, flags: Vec<FlagWrite>) {
        if !flags.is_empty() {
            self.send(Job::Flags(flags));
        }
    }

    /// Read one article's body on the writer's own connection, after every save queued before this
    /// call is committed; `reply` gets the result on the writer thread.
    ///
    /// This is how the TUI reads bodies: it drops a body from memory as soon as it hands it to
    /// `save_feed`, and since the writer answers in queue order, an article opened right after its
    /// feed was saved still finds its body, with no sleeping and no second copy kept in flight. The
    /// price is that a read waits behind the saves queued before it. If those saves fail, the read
    /// finds what the file holds (the error is reported through `take_error`).
    pub fn read_body(&self, feed_url: String, id: ArticleId, reply: BodyReply) {
        self.send_read(Job::ReadBody {
            feed_url,
            id,
            reply,
        });
    }

    /// Queue a read; when the writer has stopped, answer it at once with an error instead.
    fn send_read(&self, job: Job) {
        let unsent = match &self.jobs {
            Some(jobs) => jobs.send(job).err().map(|e| e.0),
            None => Some(job),
        };
        let stopped = || CacheError::Writer {
            path: self.path.clone(),
            reason: "has stopped".into(),
        };
        match unsent {
            Some(Job::ReadBody { reply, .. }) => reply(Err(stopped())),
            Some(Job::ReadFullText { reply, .. }) => reply(Err(stopped())),
            _ => {}
        }
    }

    /// Wait until everything queued so far is committed (or failed; see `take_error`).
    pub fn flush(&self, timeout: Duration) -> Result<(), CacheError> {
        let (tx, rx) = mpsc::channel();
        self.send(Job::Flush(tx));
        rx.recv_timeout(timeout).map_err(|_| CacheError::Writer {
            path: self.path.clone(),
            reason: format!("did not finish within {} s", timeout.as_secs_f32()),
        })
    }

    /// The last write failure since the previous call, as one line for the status bar.
    pub fn take_error(&self) -> Option<String> {
        self.last_error.lock().ok()?.take()
    }

    /// Commit what is queued and stop the thread; false when it did not finish within `timeout`.
    pub fn shutdown(&mut self, timeout: Duration) -> bool {
        self.jobs = None;
        let Some(thread) = self.thread.take() else {
            return true;
        };
        if self.done.recv_timeout(timeout).is_ok() {
            let _ = thread.join();
            true
        } else {
            false
        }
    }

    fn send(&self, job: Job) {
        let sent = self.jobs.as_ref().is_some_and(|j| j.send(job).is_ok());
        if !sent {
            self.record("the cache writer has stopped; changes are not being saved".into());
        }
    }

    fn record(&self, message: String) {
        if let Ok(mut slot) = self.last_error.lock() {
            *slot = Some(message);
        }
    }
}

impl Drop for CacheWriter {
    fn drop(&mut self) {
        self.shutdown(SHUTDOWN_TIMEOUT);
    }
}

/// The thread body: block for a job, take whatever else is queued, commit it all at once.
fn run(
    mut conn: Connection,
    rx: &mpsc::Receiver<Job>,
    path: &std::path::Path,
    errors: &Mutex<Option<String>>,
) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let mut flushes = Vec::new();
        let mut reads = Vec::new();
        let mut full_text_reads = Vec::new();
        let mut work = Vec::with_capacity(batch.len());
        for job in batch {
            match job {
                Job::Flush(reply) => flushes.push(reply),
                Job::ReadBody {
                    feed_url,
                    id,
                    reply,
                } => reads.push((feed_url, id, reply)),
                Job::ReadFullText {
                    feed_url,
                    id,
                    reply,
                } => full_text_reads.push((feed_url, id, reply)),
                job => work.push(job),
            }
        }
        if !work.is_empty() {
            if let Err(e) = commit_with_retry(&mut conn, &work) {
                let message = CacheError::from_sqlite(path, e).to_string();
                if let Ok(mut slot) = errors.lock() {
                    *slot = Some(message);
                }
            }
        }
        // Answered after the commit, so every save queued before a read is visible to it.
        drop(work);
        for (feed_url, id, reply) in reads {
            let body = super::select_body(&conn, &feed_url, &id)
                .map_err(|e| CacheError::from_sqlite(path, e));
            reply(body);
        }
        for (feed_url, id, reply) in full_text_reads {
            let stored = conn
                .query_row(
                    "SELECT full_text FROM article_bodies WHERE feed_url = ?1 AND id = ?2",
                    params![feed_url, id.0],
                    |row| row.get::<_, Option<String>>(0),
                )
                .optional()
                .map(|v| v.flatten().map(|html| crate::text::sanitize_text(&html)))
                .map_err(|e| CacheError::from_sqlite(path, e));
            reply(stored);
        }
        for reply in flushes {
            let _ = reply.send(());
        }
    }
}

/// Commit a batch; a busy database (another instance writing past the busy timeout) is retried twice.
fn commit_with_retry(conn: &mut Connection, work: &[Job]) -> rusqlite::Result<()> {
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
            Job::Feed(snapshot, retention) => write_feed(&tx, snapshot, *retention)?,
            Job::Flags(flags) => write_flags(&tx, flags)?,
            Job::SaveFullText { feed_url, id, html } => {
                tx.prepare_cached(
                    "INSERT INTO article_bodies (feed_url, id, full_text) VALUES (?1, ?2, ?3)
                     ON CONFLICT(feed_url, id) DO UPDATE SET full_text = excluded.full_text",
                )?
                .execute(params![feed_url, id.0, html])?;
            }
            Job::Flush(_) | Job::ReadBody { .. } | Job::ReadFullText { .. } => {}
        }
    }
    tx.commit()
}

fn write_feed(tx: &Transaction, feed: &FeedSnapshot, retention: Retention) -> rusqlite::Result<()> {
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
                            retry_not_before)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?9)
         ON CONFLICT(url) DO UPDATE SET
           retry_not_before = CASE ?8 WHEN 0 THEN retry_not_before ELSE excluded.retry_not_before END,
           title = COALESCE(excluded.title, title),
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
        feed.retry_not_before.map(to_micros)
    ])?;
    let mut upsert = tx.prepare_cached(
        "INSERT INTO articles (feed_url, id, title, link, authors, published, updated,
                               categories, comments, enclosures, read, starred, first_seen, sort_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
         ON CONFLICT(feed_url, id) DO UPDATE SET
           title = excluded.title, link = excluded.link, authors = excluded.authors,
           published = excluded.published, updated = excluded.updated,
           categories = excluded.categories, comments = excluded.comments,
           enclosures = excluded.enclosures, read = read OR excluded.read,
           starred = starred OR excluded.starred, first_seen = MIN(first_seen, excluded.first_seen),
           sort_key = excluded.sort_key
         WHERE title IS NOT excluded.title OR link IS NOT excluded.link
           OR authors IS NOT excluded.authors OR published IS NOT excluded.published
           OR updated IS NOT excluded.updated
           OR categories IS NOT excluded.categories
           OR comments IS NOT excluded.comments OR enclosures IS NOT excluded.enclosures
           OR (excluded.read AND NOT read) OR (excluded.starred AND NOT starred)
           OR excluded.first_seen < first_seen OR sort_key IS NOT excluded.sort_key",
    )?;
    // A body left in the file at start-up (`body_deferred`) is not in memory: the stored one stands.
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
        ])?;
        if !a.body_deferred {
            upsert_body.execute(params![feed.url, a.id.0, a.summary, a.content])?;
        }
    }
    tx.prepare_cached(
        "DELETE FROM articles WHERE feed_url = ?1 AND starred = 0 AND (sort_key < ?2 OR rowid NOT IN (
            SELECT rowid FROM articles WHERE feed_url = ?1 AND starred = 0 AND sort_key >= ?2
            ORDER BY sort_key DESC LIMIT ?3))",
    )?
    .execute(params![
        feed.url,
        retention.cutoff.map_or(i64::MIN, to_micros),
        i64::try_from(retention.max).unwrap_or(i64::MAX)
    ])?;
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
