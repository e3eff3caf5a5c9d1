//! Load/save the store and read state to SQLite (issue 3).
//!
//! - One file (default `$XDG_DATA_HOME/tidings/cache.db`), WAL mode, `synchronous = NORMAL`: a killed
//!   process never corrupts it and loses nothing that was committed.
//! - The schema version lives in `PRAGMA user_version`; `schema.rs` holds the migrations from v1 on.
//! - The reader's headlines are read once, at start-up, on the caller's thread ([`Cache::load`]);
//!   `fetch` and `list` read only feed metadata ([`Cache::load_feeds_only`]) and then one feed's, or
//!   one row's, headlines at a time ([`read::CacheReader`]). Every write, and the reader's body reads,
//!   go through [`CacheWorker`], a thread of its own that commits queued work in one transaction and
//!   answers reads in queue order.
//! - A second tidings on the same file is allowed: WAL lets readers and one writer work at once and the
//!   busy timeout serialises writers. Writes merge instead of replacing (flags are OR-ed on feed saves,
//!   rows are only deleted by retention), so two instances, or `tidings fetch` from cron beside the
//!   TUI, never erase each other's articles.
//! - A file that is not a database, or is damaged, is moved aside to `<name>.corrupt-<time>` (never
//!   deleted) and a fresh cache is created; the caller gets a notice to show.

mod load;
pub mod read;
mod rows;
mod schema;
pub mod search;
mod word_counts;
mod worker;
mod write;

pub use crate::store::{FeedSnapshot, FlagWrite, Retention};
pub use load::{Bodies, LoadReport};
pub use schema::SCHEMA_VERSION;
pub use worker::{
    BodyReply, CacheWorker, ForgetReply, FullTextReply, StoredBody, SHUTDOWN_TIMEOUT,
};

use crate::store::Store;
use rusqlite::{Connection, ErrorCode};
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

    /// `open`, then `load`; damage found while loading is handled like damage found on open
    /// (file moved aside, fresh cache, notice), leaving `store` as it was.
    pub fn open_and_load(
        path: &Path,
        store: &mut Store,
        bodies: Bodies,
    ) -> Result<(Cache, Option<String>), CacheError> {
        Cache::open_reading(path, |cache| cache.load(store, bodies).map(drop))
    }

    /// `open`, then `load_feeds_only`, recovering from damage like [`Cache::open_and_load`].
    pub fn open_and_load_feeds_only(
        path: &Path,
        store: &mut Store,
    ) -> Result<(Cache, Option<String>), CacheError> {
        Cache::open_reading(path, |cache| cache.load_feeds_only(store).map(drop))
    }

    /// `open`, then `read`; a file found damaged by `read` is moved aside and a fresh one started.
    fn open_reading(
        path: &Path,
        read: impl FnOnce(&Cache) -> Result<(), CacheError>,
    ) -> Result<(Cache, Option<String>), CacheError> {
        let (cache, notice) = Cache::open(path)?;
        match read(&cache) {
            Ok(()) => Ok((cache, notice)),
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

/// Delete a feed's unstarred articles; how many went. One place for `tidings remove` and the TUI.
/// The feed's validators and failure count go too: were it added again, a 304 against them would
/// leave it showing only its starred articles.
fn forget_rows(conn: &Connection, url: &str) -> rusqlite::Result<usize> {
    let dropped = conn.execute(
        "DELETE FROM articles WHERE feed_url = ?1 AND starred = 0",
        [url],
    )?;
    conn.execute(
        "UPDATE feeds SET etag = NULL, last_modified = NULL, failures = 0 WHERE url = ?1",
        [url],
    )?;
    Ok(dropped)
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
