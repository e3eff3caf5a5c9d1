//! Small reads: a body, a stored full text, one feed's headlines, the feeds' sites. Used by the worker
//! (queued behind saves), by `list`, which streams bodies one row at a time instead of loading them all,
//! by `fetch`, which brings in one feed's headlines only while it refreshes that feed, and by `export`.

use super::worker::StoredBody;
use super::CacheError;
use crate::model::{Article, ArticleId, FeedId};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// A read-only connection of its own, for reading on the caller's thread beside the worker (no
/// memory map: memory stays flat however many bodies pass through).
pub struct CacheReader {
    conn: Connection,
    path: PathBuf,
}

impl CacheReader {
    /// Open the cache at `path` (already created by [`super::Cache::open`]) for reading.
    pub fn open(path: &Path) -> Result<CacheReader, CacheError> {
        let conn = super::schema::reader(path).map_err(|e| CacheError::from_sqlite(path, e))?;
        Ok(CacheReader {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// One article's (summary, content), sanitised; `(None, None)` when it is not stored.
    pub fn body(&self, feed_url: &str, id: &ArticleId) -> Result<StoredBody, CacheError> {
        body(&self.conn, feed_url, id).map_err(|e| CacheError::from_sqlite(&self.path, e))
    }

    /// Each feed's web site as last stated by the feed (feed URL → absolute http(s) site), for
    /// `tidings export`; empty for a file written before the cache kept sites.
    pub fn sites(&self) -> Result<HashMap<String, String>, CacheError> {
        sites(&self.conn).map_err(|e| CacheError::from_sqlite(&self.path, e))
    }

    /// The headlines and flags stored for the feed at `feed_url`, as `feed`'s articles (bodies stay
    /// in the file), in no particular order.
    pub fn headlines(&self, feed_url: &str, feed: FeedId) -> Result<Vec<Article>, CacheError> {
        headlines(&self.conn, feed_url, feed).map_err(|e| CacheError::from_sqlite(&self.path, e))
    }
}

/// Where a stored headline is, in the order `list` prints: newest first (by the date the store
/// sorts by), then the feed's place in the config, then the order it was saved in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct HeadlineRow {
    newest_first: std::cmp::Reverse<i64>,
    /// The feed it belongs to.
    pub feed: FeedId,
    rowid: i64,
}

impl CacheReader {
    /// Read from one snapshot of the file from now on (a read transaction; WAL keeps it whole while
    /// others write): positions taken by [`CacheReader::newest_first`] then stay valid, even if a
    /// refresh beside us deletes rows and SQLite hands their rowids to new ones.
    pub fn snapshot(&self) -> Result<(), CacheError> {
        self.conn
            .execute_batch("BEGIN DEFERRED")
            .map_err(|e| CacheError::from_sqlite(&self.path, e))
    }

    /// Where the headlines of `feeds` (URL → id) are, newest first; `unread_only` skips read ones.
    /// Only positions are held (24 bytes a row): each headline is read when it is printed.
    pub fn newest_first(
        &self,
        feeds: &HashMap<&str, FeedId>,
        unread_only: bool,
    ) -> Result<Vec<HeadlineRow>, CacheError> {
        let run = || -> rusqlite::Result<Vec<HeadlineRow>> {
            let mut stmt = self.conn.prepare(
                "SELECT feed_url, sort_key, rowid FROM articles WHERE ?1 = 0 OR read = 0",
            )?;
            let mut rows = stmt.query([unread_only])?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                let url = row.get_ref(0)?.as_str().unwrap_or("");
                if let Some(&feed) = feeds.get(url) {
                    out.push(HeadlineRow {
                        newest_first: std::cmp::Reverse(row.get(1)?),
                        feed,
                        rowid: row.get(2)?,
                    });
                }
            }
            out.sort_unstable();
            Ok(out)
        };
        run().map_err(|e| CacheError::from_sqlite(&self.path, e))
    }

    /// The headline at `row` (its body stays in the file), or `None` when it is gone since.
    pub fn headline(&self, row: HeadlineRow) -> Result<Option<Article>, CacheError> {
        let run = || -> rusqlite::Result<Option<Article>> {
            let mut stmt = self.conn.prepare_cached(&HEADLINE_AT)?;
            let mut rows = stmt.query([row.rowid])?;
            rows.next()?
                .map(|r| super::rows::read_article(r, 0, row.feed, true))
                .transpose()
        };
        run().map_err(|e| CacheError::from_sqlite(&self.path, e))
    }
}

fn sites(conn: &Connection) -> rusqlite::Result<HashMap<String, String>> {
    let has_column: bool = conn.query_row(
        "SELECT count(*) > 0 FROM pragma_table_info('feeds') WHERE name = 'site_url'",
        [],
        |r| r.get(0),
    )?;
    if !has_column {
        return Ok(HashMap::new());
    }
    let mut stmt = conn.prepare("SELECT url, site_url FROM feeds WHERE site_url IS NOT NULL")?;
    let mut rows = stmt.query([])?;
    let mut out = HashMap::new();
    while let Some(row) = rows.next()? {
        let (Some(url), Some(site)) =
            (row.get_ref(0)?.as_str().ok(), row.get_ref(1)?.as_str().ok())
        else {
            continue;
        };
        if let Some(site) = super::rows::read_site(site) {
            out.insert(url.to_string(), site);
        }
    }
    Ok(out)
}

/// One headline by rowid (built once: `list` asks for it per printed row).
static HEADLINE_AT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {} FROM articles a WHERE a.rowid = ?1",
        super::rows::ARTICLE_COLUMNS_WITHOUT_BODIES
    )
});

/// One feed's headlines.
static HEADLINES_OF: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {} FROM articles a WHERE a.feed_url = ?1",
        super::rows::ARTICLE_COLUMNS_WITHOUT_BODIES
    )
});

fn headlines(conn: &Connection, feed_url: &str, feed: FeedId) -> rusqlite::Result<Vec<Article>> {
    let mut stmt = conn.prepare_cached(&HEADLINES_OF)?;
    let mut rows = stmt.query([feed_url])?;
    let mut list = Vec::new();
    while let Some(row) = rows.next()? {
        list.push(super::rows::read_article(row, 0, feed, true)?);
    }
    Ok(list)
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
