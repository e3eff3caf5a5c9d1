//! Single-article reads: a body, a stored full text. Used by the worker (queued behind saves) and by
//! `list`, which streams bodies one row at a time instead of loading them all.

use super::worker::StoredBody;
use super::CacheError;
use crate::model::ArticleId;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};

/// A read-only connection of its own, for reading bodies one at a time on the caller's thread (no
/// memory map: memory stays flat however many bodies pass through).
pub struct BodyReader {
    conn: Connection,
    path: PathBuf,
}

impl BodyReader {
    /// Open the cache at `path` for reading.
    pub fn open(path: &Path) -> Result<BodyReader, CacheError> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| CacheError::from_sqlite(path, e))?;
        Ok(BodyReader {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// One article's (summary, content), sanitised; `(None, None)` when it is not stored.
    pub fn body(&self, feed_url: &str, id: &ArticleId) -> Result<StoredBody, CacheError> {
        body(&self.conn, feed_url, id).map_err(|e| CacheError::from_sqlite(&self.path, e))
    }
}

/// One article's (summary, content); `(None, None)` when it is not in the file.
pub fn body(conn: &Connection, feed_url: &str, id: &ArticleId) -> rusqlite::Result<StoredBody> {
    let mut stmt = conn.prepare_cached(
        "SELECT summary, content FROM article_bodies WHERE feed_url = ?1 AND id = ?2",
    )?;
    let mut rows = stmt.query(params![feed_url, id.0])?;
    match rows.next()? {
        Some(row) => Ok((
            row.get::<_, Option<String>>(0)?
                .map(|s| crate::text::sanitize_text(&s)),
            row.get::<_, Option<String>>(1)?
                .map(|s| crate::text::sanitize_text(&s)),
        )),
        None => Ok((None, None)),
    }
}

/// One article's stored full text (extracted page HTML), if any.
pub fn full_text(
    conn: &Connection,
    feed_url: &str,
    id: &ArticleId,
) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT full_text FROM article_bodies WHERE feed_url = ?1 AND id = ?2",
        params![feed_url, id.0],
        |row| row.get::<_, Option<String>>(0),
    )
    .optional()
    .map(|v| v.flatten().map(|html| crate::text::sanitize_text(&html)))
}
