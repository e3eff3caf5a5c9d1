//! Start-up reads: every stored headline into the store (on two threads when there are many), or
//! only what the cache knows of each feed (title, validators, last outcome) for commands that bring a
//! feed's headlines in while they work on it.

use super::{rows, schema, Cache, CacheError};
use crate::model::{Article, FeedId};
use crate::store::Store;
use rusqlite::Connection;
use std::collections::HashMap;

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

impl Cache {
    /// Fill `store` from the cache: feeds are matched by URL (feeds no longer configured stay in the
    /// file, untouched), articles arrive with their flags, and each feed gets its validators and last
    /// outcome back. All or nothing: on error the store is unchanged.
    pub fn load_into(&self, store: &mut Store) -> Result<LoadReport, CacheError> {
        self.load(store, Bodies::Load)
    }

    /// `load_into`, choosing whether article bodies are read now or on demand.
    pub fn load(&self, store: &mut Store, bodies: Bodies) -> Result<LoadReport, CacheError> {
        let err = |e| CacheError::from_sqlite(&self.path, e);
        let by_url = feeds_by_url(store);
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
        let by_url = feeds_by_url(store);
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
                    retry_not_before, failures, site_url FROM feeds",
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
                    site: row
                        .get::<_, Option<String>>(9)?
                        .and_then(|s| rows::read_site(&s)),
                },
            ));
        }
        Ok(out)
    }
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
            if meta.site.is_some() {
                f.site_url = meta.site;
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
    site: Option<String>,
    validators: crate::model::Validators,
    status: crate::model::FeedStatus,
    retry_not_before: Option<chrono::DateTime<chrono::Utc>>,
    last_success: Option<chrono::DateTime<chrono::Utc>>,
    failures: u32,
}

/// The store's feeds by configured URL, the key of every row in the cache.
fn feeds_by_url(store: &Store) -> HashMap<&str, FeedId> {
    store
        .feeds()
        .iter()
        .map(|f| (f.url.as_str(), f.id))
        .collect()
}
