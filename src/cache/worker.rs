//! The cache worker: a thread that owns the connection. Saves are queued and committed in batches, so
//! the UI never waits on the disk; reads are queued behind them and answered in order, so a body saved
//! a moment ago is found. Everything queued is committed as soon as it arrives.

use super::{read, write, CacheError};
use crate::backlog::Backlog;
use crate::model::ArticleId;
use crate::store::{FeedSnapshot, FlagWrite};
use rusqlite::Connection;
use std::path::PathBuf;
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long `Drop` waits for queued writes to be committed.
pub const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(5);

/// Most jobs taken into one transaction.
const MAX_BATCH: usize = 512;

/// Bodies indexed for search in one go while the worker is idle: small, so a save never waits long.
const INDEX_SLICE: usize = 64;

/// How long the worker must have had nothing to do before it indexes bodies for search.
const IDLE_BEFORE_INDEXING: Duration = Duration::from_millis(500);

/// (summary, content) of an article as stored; `(None, None)` when it is not in the file.
pub type StoredBody = (Option<String>, Option<String>);

/// Where a body read is delivered (called on the worker thread: send it on, do not work there).
pub type BodyReply = Box<dyn FnOnce(Result<StoredBody, CacheError>) + Send>;

/// Where a stored full text (extracted page HTML) is delivered (called on the worker thread).
pub type FullTextReply = Box<dyn FnOnce(Result<Option<String>, CacheError>) + Send>;

/// Where the count of a forgotten feed's dropped articles is delivered (called on the worker thread).
pub type ForgetReply = Box<dyn FnOnce(Result<usize, CacheError>) + Send>;

/// One queued unit of work.
pub(super) enum Job {
    Feed(Box<FeedSnapshot>),
    Flags(Vec<FlagWrite>),
    /// The extracted page of an article (`full_text = true` feeds fetch it once).
    FullText {
        feed_url: String,
        id: ArticleId,
        html: String,
    },
    Flush(mpsc::Sender<()>),
    ReadBody {
        feed_url: String,
        id: ArticleId,
        reply: BodyReply,
    },
    ReadFullText {
        feed_url: String,
        id: ArticleId,
        reply: FullTextReply,
    },
    /// A feed removed from the config: drop its unstarred articles (after the saves queued before).
    ForgetFeed {
        feed_url: String,
        reply: ForgetReply,
    },
}

/// Handle to the worker thread. Dropping it commits what is queued (waiting up to `SHUTDOWN_TIMEOUT`).
#[derive(Debug)]
pub struct CacheWorker {
    jobs: Option<mpsc::Sender<Job>>,
    done: mpsc::Receiver<()>,
    thread: Option<JoinHandle<()>>,
    last_error: Arc<Mutex<Option<String>>>,
    backlog: Backlog,
    path: PathBuf,
}

impl CacheWorker {
    pub(super) fn spawn(conn: Connection, path: PathBuf) -> CacheWorker {
        let (jobs, rx) = mpsc::channel();
        let (done_tx, done) = mpsc::channel();
        let last_error = Arc::new(Mutex::new(None));
        let backlog = Backlog::default();
        let worker = Worker {
            path: path.clone(),
            errors: Arc::clone(&last_error),
            backlog: backlog.clone(),
        };
        let thread = std::thread::Builder::new()
            .name("tidings-cache".into())
            .spawn(move || {
                worker.run(conn, &rx);
                let _ = done_tx.send(());
            })
            .ok();
        CacheWorker {
            jobs: thread.as_ref().map(|_| jobs),
            done,
            thread,
            last_error,
            backlog,
            path,
        }
    }

    /// The bytes of article text queued and not yet written; a refresh waits on it.
    pub fn backlog(&self) -> Backlog {
        self.backlog.clone()
    }

    /// Queue a feed save: its metadata, an upsert of `snapshot.articles` (flags OR-ed with what is on
    /// disk, like `Store::merge`), then the snapshot's retention on that feed's rows.
    pub fn save_feed(&self, snapshot: FeedSnapshot) {
        let bytes = snapshot.body_bytes();
        self.backlog.add(bytes);
        if !self.send(Job::Feed(Box::new(snapshot))) {
            self.backlog.drain(bytes);
        }
    }

    /// Queue an article's extracted full text (HTML), so it is fetched once.
    pub fn save_full_text(&self, feed_url: String, id: ArticleId, html: String) {
        self.send(Job::FullText { feed_url, id, html });
    }

    /// Queue flag changes; they are set exactly as given (this is how "mark unread" reaches disk).
    pub fn save_flags(&self, flags: Vec<FlagWrite>) {
        if !flags.is_empty() {
            self.send(Job::Flags(flags));
        }
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

    /// Read one article's body after every save queued before this call is committed; `reply` gets
    /// the result on the worker thread.
    ///
    /// The store drops a body from memory as soon as it is handed to `save_feed`; since the worker
    /// answers in queue order, an article opened right after its feed was saved still finds its body,
    /// with no sleeping and no second copy kept in flight. If those saves fail, the read finds what the
    /// file holds (the error is reported through `take_error`).
    pub fn read_body(&self, feed_url: String, id: ArticleId, reply: BodyReply) {
        self.send_read(Job::ReadBody {
            feed_url,
            id,
            reply,
        });
    }

    /// Drop a removed feed's unstarred articles, after every save queued before this call is committed
    /// (so a refresh saved a moment earlier does not bring them back); `reply` gets how many went.
    pub fn forget_feed(&self, feed_url: String, reply: ForgetReply) {
        self.send_read(Job::ForgetFeed { feed_url, reply });
    }

    /// Queue a read; when the worker has stopped, answer it at once with an error instead.
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
            Some(Job::ForgetFeed { reply, .. }) => reply(Err(stopped())),
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

    /// Queue a job; false (and an error recorded) when the worker has stopped.
    fn send(&self, job: Job) -> bool {
        let sent = self.jobs.as_ref().is_some_and(|j| j.send(job).is_ok());
        if !sent {
            self.record("the cache writer has stopped; changes are not being saved".into());
        }
        sent
    }

    fn record(&self, message: String) {
        if let Ok(mut slot) = self.last_error.lock() {
            *slot = Some(message);
        }
    }
}

impl Drop for CacheWorker {
    fn drop(&mut self) {
        self.shutdown(SHUTDOWN_TIMEOUT);
    }
}

/// The thread's side: where errors go and which backlog its commits drain.
struct Worker {
    path: PathBuf,
    errors: Arc<Mutex<Option<String>>>,
    backlog: Backlog,
}

impl Worker {
    /// Take a job (indexing queued bodies for search, a slice at a time, while there is none), take
    /// whatever else is queued, commit it all at once, then answer the reads.
    fn run(&self, mut conn: Connection, rx: &mpsc::Receiver<Job>) {
        let mut indexing = true;
        let mut last_job = Instant::now();
        while let Some(first) = self.next_job(&conn, rx, &mut indexing, last_job) {
            last_job = Instant::now();
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            let (writes, rest): (Vec<Job>, Vec<Job>) = batch
                .into_iter()
                .partition(|j| matches!(j, Job::Feed(_) | Job::Flags(_) | Job::FullText { .. }));
            if !writes.is_empty() {
                // New bodies may be waiting for the search index.
                indexing = true;
                if let Err(e) = write::commit_with_retry(&mut conn, &writes) {
                    self.record(CacheError::from_sqlite(&self.path, e).to_string());
                }
                let bytes = writes
                    .iter()
                    .map(|j| match j {
                        Job::Feed(s) => s.body_bytes(),
                        _ => 0,
                    })
                    .sum();
                drop(writes);
                self.backlog.drain(bytes);
            }
            // Answered after the commit, so every save queued before a read is visible to it.
            for job in rest {
                self.answer(&conn, job);
            }
        }
        // Nothing more will be written: let no refresh wait on this worker.
        self.backlog.drain(usize::MAX);
    }

    /// The next job; while none comes and the worker has been quiet for `IDLE_BEFORE_INDEXING`, index
    /// queued bodies for search a slice at a time (a refresh keeps the worker busy, so it is never
    /// slowed by indexing). `None` when the handle is gone.
    fn next_job(
        &self,
        conn: &Connection,
        rx: &mpsc::Receiver<Job>,
        indexing: &mut bool,
        last_job: Instant,
    ) -> Option<Job> {
        loop {
            if !*indexing {
                return rx.recv().ok();
            }
            let quiet = last_job.elapsed();
            if quiet < IDLE_BEFORE_INDEXING {
                match rx.recv_timeout(IDLE_BEFORE_INDEXING - quiet) {
                    Ok(job) => return Some(job),
                    Err(mpsc::RecvTimeoutError::Timeout) => continue,
                    Err(mpsc::RecvTimeoutError::Disconnected) => return None,
                }
            }
            match rx.try_recv() {
                Ok(job) => return Some(job),
                Err(mpsc::TryRecvError::Disconnected) => return None,
                Err(mpsc::TryRecvError::Empty) => {}
            }
            match super::search::index_pending(conn, INDEX_SLICE) {
                Ok(0) => *indexing = false,
                Ok(_) => {}
                Err(e) => {
                    *indexing = false;
                    self.record(CacheError::from_sqlite(&self.path, e).to_string());
                }
            }
        }
    }

    fn answer(&self, conn: &Connection, job: Job) {
        let err = |e| CacheError::from_sqlite(&self.path, e);
        match job {
            Job::ReadBody {
                feed_url,
                id,
                reply,
            } => reply(read::body(conn, &feed_url, &id).map_err(err)),
            Job::ReadFullText {
                feed_url,
                id,
                reply,
            } => reply(read::full_text(conn, &feed_url, &id).map_err(err)),
            Job::ForgetFeed { feed_url, reply } => {
                reply(super::forget_rows(conn, &feed_url).map_err(err))
            }
            Job::Flush(reply) => {
                let _ = reply.send(());
            }
            Job::Feed(_) | Job::Flags(_) | Job::FullText { .. } => {}
        }
    }

    fn record(&self, message: String) {
        if let Ok(mut slot) = self.errors.lock() {
            *slot = Some(message);
        }
    }
}
