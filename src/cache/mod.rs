//! Load/save the store and read state to SQLite (issue 3).
//!
//! - One file (default `$XDG_DATA_HOME/tidings/cache.db`), WAL mode, `synchronous = NORMAL`: a killed
//!   process never corrupts it and loses nothing that was committed.
//! - The schema version lives in `PRAGMA user_version`; `schema.rs` holds the migrations from v1 on.
//! - Headlines are read once, at start-up, on the caller's thread ([`Cache::load`]); after that every
//!   write, and every body read, goes through [`CacheWorker`], a thread of its own that commits queued
//!   work in one transaction and answers reads in queue order.
//! - A second tidings on the same file is allowed: WAL lets readers and one writer work at once and the
//!   busy timeout serialises writers. Writes merge instead of replacing (flags are OR-ed on feed saves,
//!   rows are only deleted by retention), so two instances, or `tidings fetch` from cron beside the
//!   TUI, never erase each other's articles.
//! - A file that is not a database, or is damaged, is moved aside to `<name>.corrupt-<time>` (never
//!   deleted) and a fresh cache is created; the caller gets a notice to show.

pub mod read;
mod rows;
mod schema;
pub mod search;
mod word_counts;
mod worker;
mod write;

pub use crate::store::{FeedSnapshot, FlagWrite, Retention};
pub use schema::SCHEMA_VERSION;
pub use worker::{
    BodyReply, CacheWorker, ForgetReply, FullTextReply, StoredBody, SHUTDOWN_TIMEOUT,
};

use crate::model::{Article, FeedId};
use crate::store::Store;
use rusqlite::{Connection, ErrorCode};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Why the cache cannot be used. Display is one line naming the file and what to do.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// The file or its folder cannot be created or written.
    #[error("cannot write the cache at {path}: {reason}; fix the permissions, pass --cache PATH for another place, or --no-cache")]
    Unwritable {
        /// The cache file that could not be created or written.
        path: PathBuf,
        /// The operating system's explanation, one line.
        reason: String,
    },
    /// Another process held the write lock for longer than the busy timeout.
    #[error(
        "cache {path} is busy (another tidings is writing to it); try again, or pass --no-cache"
    )]
    Busy {
        /// The cache file whose lock could not be taken.
        path: PathBuf,
    },
    /// The file is not a database or is damaged (recovered automatically by `open`).
    #[error("cache {path} is damaged ({reason}); move it away or pass --no-cache")]
    Corrupt {
        /// The damaged cache file.
        path: PathBuf,
        /// What SQLite reported about the damage.
        reason: String,
    },
    /// A damaged file could not be moved aside, so nothing was touched.
    #[error("cache {path} is damaged and could not be moved aside ({reason}); move it away by hand, or pass --no-cache")]
    MoveAside {
        /// The damaged cache file, still in place.
        path: PathBuf,
        /// Why the rename failed.
        reason: String,
    },
    /// Any other database failure (e.g. a schema from a newer tidings, a file that is not our cache).
    #[error("cache {path}: {reason}; pass --cache PATH to use another file, or --no-cache")]
    Sqlite {
        /// The cache file the failure concerns.
        path: PathBuf,
        /// SQLite's message, one line.
        reason: String,
    },
    /// The writer thread stopped or did not answer in time.
    #[error("cache {path}: the writer {reason}")]
    Writer {
        /// The cache file the writer thread serves.
        path: PathBuf,
        /// What went wrong with the thread, phrased to follow "the writer".
        reason: String,
    },
}

impl CacheError {
    /// Classify a SQLite error for `path`.
    pub(crate) fn from_sqlite(path: &Path, err: rusqlite::Error) -> Self {
        let path = path.to_path_buf();
        let reason = crate::text::sanitize_line(&err.to_string());
        if schema::is_corruption(&err) {
            return CacheError::Corrupt { path, reason };
        }
        match err.sqlite_error_code() {
            Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly | ErrorCode::PermissionDenied) => {
                CacheError::Unwritable { path, reason }
            }
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => CacheError::Busy { path },
            _ => CacheError::Sqlite { path, reason },
        }
    }
}

/// Whether start-up reads article bodies or leaves them in the file until an article is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bodies {
    /// Read everything (the scriptable commands print summaries).
    Load,
    /// Leave `summary`/`content` in the file (the TUI: fast first frame, small memory).
    Defer,
}

/// What `load_into` brought back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// Configured feeds found in the cache.
    pub feeds: usize,
    /// Articles inserted into the store.
    pub articles: usize,
}

/// An open cache database. Read with [`Cache::load`], then hand it to [`Cache::into_worker`].
#[derive(Debug)]
pub struct Cache {
    conn: Connection,
    path: PathBuf,
}

impl Cache {
    /// Open (or create) the cache at `path`, creating parent folders. A file that is not a usable
    /// database is moved aside and replaced by a fresh one; the returned notice says so.
    pub fn open(path: &Path) -> Result<(Cache, Option<String>), CacheError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| CacheError::Unwritable {
                path: path.to_path_buf(),
                reason: io_reason(&e),
            })?;
        }
        if path.is_dir() {
            return Err(CacheError::Unwritable {
                path: path.to_path_buf(),
                reason: "is a directory, not a file".into(),
            });
        }
        let empty = std::fs::metadata(path).is_ok_and(|m| m.len() == 0)
            && !path.with_file_name(wal_name(path)).exists();
        if empty {
            // A crash right after the file was created: nothing to lose, but keep it all the same.
            let notice = recover(path, "was empty (0 bytes)")?;
            return Ok((Cache::connect(path)?, Some(notice)));
        }
        match Cache::connect(path) {
            Ok(cache) => Ok((cache, None)),
            Err(CacheError::Corrupt { reason, .. }) => {
                let notice = recover(path, &reason)?;
                Ok((Cache::connect(path)?, Some(notice)))
            }
            Err(e) => Err(e),
        }
    }

    /// `open`, then `load_into`; damage found while loading is handled like damage found on open
    /// (file moved aside, fresh cache, notice), leaving `store` as it was.
    pub fn open_and_load(
        path: &Path,
        store: &mut Store,
        bodies: Bodies,
    ) -> Result<(Cache, Option<String>), CacheError> {
        let (cache, notice) = Cache::open(path)?;
        match cache.load(store, bodies) {
            Ok(_) => Ok((cache, notice)),
            Err(CacheError::Corrupt { reason, .. }) => {
                drop(cache);
                let notice = recover(path, &reason)?;
                Ok((Cache::connect(path)?, Some(notice)))
            }
            Err(e) => Err(e),
        }
    }

    fn connect(path: &Path) -> Result<Cache, CacheError> {
        Ok(Cache {
            conn: schema::connect(path)?,
            path: path.to_path_buf(),
        })
    }

    /// Where the database lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version stored in the file.
    pub fn schema_version(&self) -> Result<u32, CacheError> {
        schema::version(&self.conn).map_err(|e| CacheError::from_sqlite(&self.path, e))
    }

    /// Fill `store` from the cache: feeds are matched by URL (feeds no longer configured stay in the
    /// file, untouched), articles arrive with their flags, and each feed gets its validators and last
    /// outcome back. All or nothing: on error the store is unchanged.
    pub fn load_into(&self, store: &mut Store) -> Result<LoadReport, CacheError> {
        self.load(store, Bodies::Load)
    }

    /// `load_into`, choosing whether article bodies are read now or on demand.
    pub fn load(&self, store: &mut Store, bodies: Bodies) -> Result<LoadReport, CacheError> {
        let err = |e| CacheError::from_sqlite(&self.path, e);
        let by_url: HashMap<&str, FeedId> = store
            .feeds()
            .iter()
            .map(|f| (f.url.as_str(), f.id))
            .collect();
        let (low, high): (i64, i64) = self
            .conn
            .query_row(
                "SELECT coalesce(min(rowid), 0), coalesce(max(rowid), 0) FROM articles",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(err)?;
        let mid = low + (high - low) / 2;
        let feeds = store.feeds().len();
        // Two cores, two halves: the upper half of the rows is read on a second connection.
        let (mut lists, upper) = if high - low > PARALLEL_LOAD_ROWS {
            let path = self.path.as_path();
            let by_url = &by_url;
            std::thread::scope(|scope| {
                let upper = scope.spawn(move || {
                    let conn = schema::reader(path)?;
                    scan(&conn, by_url, feeds, mid + 1, high, bodies)
                });
                let lower = scan(&self.conn, by_url, feeds, low, mid, bodies);
                let upper = upper.join().unwrap_or_else(|_| {
                    Err(rusqlite::Error::InvalidParameterName(
                        "reader panicked".into(),
                    ))
                });
                Ok::<_, rusqlite::Error>((lower?, upper?))
            })
            .map_err(err)?
        } else {
            (
                scan(&self.conn, &by_url, feeds, low, high, bodies).map_err(err)?,
                Vec::new(),
            )
        };
        for (mine, more) in lists.iter_mut().zip(upper) {
            mine.extend(more);
        }
        let articles = lists.iter().map(Vec::len).sum();
        let metas = self.read_feeds(&by_url).map_err(err)?;
        drop(by_url);
        let report = LoadReport {
            feeds: metas.len(),
            articles,
        };
        apply_meta(store, metas, |feed| {
            lists.get(feed.0).is_some_and(|l| !l.is_empty())
        });
        let now = chrono::Utc::now();
        for (i, list) in lists.into_iter().enumerate() {
            if !list.is_empty() {
                store.load_cached(FeedId(i), list, now);
            }
        }
        Ok(report)
    }

    /// Fill `store` with what the cache knows of each feed (title, validators, last outcome) but no
    /// articles: for commands that bring a feed's headlines in only while they work on it
    /// ([`read::CacheReader::headlines`]), so memory does not grow with the cache.
    pub fn load_feeds_only(&self, store: &mut Store) -> Result<LoadReport, CacheError> {
        let err = |e| CacheError::from_sqlite(&self.path, e);
        let by_url: HashMap<&str, FeedId> = store
            .feeds()
            .iter()
            .map(|f| (f.url.as_str(), f.id))
            .collect();
        let mut with_articles = vec![false; store.feeds().len()];
        {
            let mut stmt = self
                .conn
                .prepare("SELECT DISTINCT feed_url FROM articles")
                .map_err(err)?;
            let mut rows = stmt.query([]).map_err(err)?;
            while let Some(row) = rows.next().map_err(err)? {
                let url = row.get_ref(0).map_err(err)?.as_str().unwrap_or("");
                if let Some(&feed) = by_url.get(url) {
                    with_articles[feed.0] = true;
                }
            }
        }
        let metas = self.read_feeds(&by_url).map_err(err)?;
        drop(by_url);
        let report = LoadReport {
            feeds: metas.len(),
            articles: 0,
        };
        apply_meta(store, metas, |feed| with_articles[feed.0]);
        Ok(report)
    }

    fn read_feeds(&self, by_url: &HashMap<&str, FeedId>) -> rusqlite::Result<Vec<(FeedId, Meta)>> {
        let mut stmt = self.conn.prepare(
            "SELECT url, title, etag, last_modified, last_success, last_error, last_error_at,
                    retry_not_before, failures FROM feeds",
        )?;
        let mut query = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(row) = query.next()? {
            let url = row.get_ref(0)?.as_str().unwrap_or("");
            let Some(&feed) = by_url.get(url) else {
                continue;
            };
            out.push((
                feed,
                Meta {
                    title: row
                        .get::<_, Option<String>>(1)?
                        .map(crate::text::sanitize_line_owned),
                    validators: crate::model::Validators {
                        etag: row
                            .get::<_, Option<String>>(2)?
                            .filter(|v| is_header_value(v)),
                        last_modified: row
                            .get::<_, Option<String>>(3)?
                            .filter(|v| is_header_value(v)),
                    },
                    status: rows::read_status(row.get(4)?, row.get(5)?, row.get(6)?),
                    last_success: row.get::<_, Option<i64>>(4)?.and_then(rows::from_micros),
                    retry_not_before: row.get::<_, Option<i64>>(7)?.and_then(rows::from_micros),
                    failures: u32::try_from(row.get::<_, i64>(8)?).unwrap_or(0),
                },
            ));
        }
        Ok(out)
    }

    /// Hand the connection to a worker thread; every later save and body read goes through it.
    pub fn into_worker(self) -> CacheWorker {
        CacheWorker::spawn(self.conn, self.path)
    }

    /// Drop a feed's unstarred articles (and their bodies) from the file: the feed was removed from
    /// the config. Starred articles stay. Returns how many were dropped.
    pub fn forget_feed(&self, url: &str) -> Result<usize, CacheError> {
        forget_rows(&self.conn, url).map_err(|e| CacheError::from_sqlite(&self.path, e))
    }
}

/// Delete a feed's unstarred articles; how many went. One statement for `tidings remove` and the TUI.
fn forget_rows(conn: &Connection, url: &str) -> rusqlite::Result<usize> {
    conn.execute(
        "DELETE FROM articles WHERE feed_url = ?1 AND starred = 0",
        [url],
    )
}

/// Above this many rows, `load_into` reads on two threads.
const PARALLEL_LOAD_ROWS: i64 = 5_000;

/// Read the articles with rowid in `low..=high`, grouped by configured feed (others are skipped).
fn scan(
    conn: &Connection,
    by_url: &HashMap<&str, FeedId>,
    feeds: usize,
    low: i64,
    high: i64,
    bodies: Bodies,
) -> rusqlite::Result<Vec<Vec<Article>>> {
    let mut lists: Vec<Vec<Article>> = vec![Vec::new(); feeds];
    let (columns, join, deferred) = match bodies {
        Bodies::Load => (
            rows::ARTICLE_COLUMNS,
            "LEFT JOIN article_bodies b ON b.feed_url = a.feed_url AND b.id = a.id",
            false,
        ),
        Bodies::Defer => (rows::ARTICLE_COLUMNS_WITHOUT_BODIES, "", true),
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT a.feed_url, {columns} FROM articles a {join} WHERE a.rowid BETWEEN ?1 AND ?2"
    ))?;
    let mut query = stmt.query([low, high])?;
    while let Some(row) = query.next()? {
        let url = row.get_ref(0)?.as_str().unwrap_or("");
        if let Some(&feed) = by_url.get(url) {
            lists[feed.0].push(rows::read_article(row, 1, feed, deferred)?);
        }
    }
    Ok(lists)
}

/// Give each feed what the cache knows of it; `has_articles` says whether its headlines are stored.
fn apply_meta(
    store: &mut Store,
    metas: Vec<(FeedId, Meta)>,
    has_articles: impl Fn(FeedId) -> bool,
) {
    for (feed, meta) in metas {
        let has_articles = has_articles(feed);
        if let Some(f) = store.feed_mut(feed) {
            if meta.title.is_some() {
                f.feed_title = meta.title;
            }
            // Without articles a 304 would leave the feed empty: only ask conditionally with them.
            if has_articles {
                f.validators = meta.validators;
            }
            // A failing feed has failed at least once, whatever an older file says.
            f.failures = if meta.status.is_error() {
                meta.failures.max(1)
            } else {
                0
            };
            f.status = meta.status;
            f.last_success = meta.last_success;
            f.retry_not_before = meta.retry_not_before;
        }
    }
}

/// A validator we can send back in a header: visible ASCII only (anything else would fail every request).
fn is_header_value(v: &str) -> bool {
    !v.is_empty() && v.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// Feed metadata as cached.
struct Meta {
    title: Option<String>,
    validators: crate::model::Validators,
    status: crate::model::FeedStatus,
    retry_not_before: Option<chrono::DateTime<chrono::Utc>>,
    last_success: Option<chrono::DateTime<chrono::Utc>>,
    failures: u32,
}

fn wal_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{name}-wal")
}

/// Move a bad file aside and say so in one line.
fn recover(path: &Path, reason: &str) -> Result<String, CacheError> {
    let moved = schema::move_aside(path).map_err(|e| CacheError::MoveAside {
        path: path.to_path_buf(),
        reason: io_reason(&e),
    })?;
    Ok(format!(
        "cache {} {reason}; kept it as {} and started a new cache (feeds will be fetched again)",
        path.display(),
        moved.display()
    ))
}

fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::ReadOnlyFilesystem => "read-only file system".into(),
        std::io::ErrorKind::NotADirectory => "a parent is not a directory".into(),
        _ => crate::text::sanitize_line(&err.to_string()),
    }
}
