//! The full-text index behind the query language's `text:` terms: FTS5 tables over each article's
//! title and body words, kept up to date by SQL triggers on `articles` and `article_bodies` (so the
//! writer needs no code of its own), and the lookup that turns a `text:` term into matching articles.
//!
//! Bodies are stored as HTML; the triggers index them through `tidings_index_text(summary, content)`, a
//! SQL function backed by [`crate::query::index_text`] that every read-write connection registers
//! (see `schema::connect`). Rows of the index are keyed through `article_search_keys`, whose
//! `INTEGER PRIMARY KEY` survives `VACUUM` (the implicit rowid of `articles` would not).

use super::{schema, CacheError};
use crate::query::{index_text, ArticleSet, Query, TextHits, TextTerm};
use rusqlite::functions::FunctionFlags;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// Schema step v3 → v4: the key table, two contentless FTS5 tables (titles, body words: a title update
/// then needs no body and no SQL function, and `contentless_delete` drops a row without re-reading its
/// text), the triggers, and the index filled from what is stored.
pub(super) const MIGRATION: &str = "
    CREATE TABLE article_search_keys (
        key INTEGER PRIMARY KEY,
        feed_url TEXT NOT NULL,
        id TEXT NOT NULL,
        UNIQUE (feed_url, id)
    );
    CREATE VIRTUAL TABLE article_title_words USING fts5(
        title, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0'
    );
    CREATE VIRTUAL TABLE article_body_words USING fts5(
        body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0'
    );
    INSERT INTO article_search_keys (feed_url, id) SELECT feed_url, id FROM articles;
    INSERT INTO article_title_words (rowid, title)
        SELECT k.key, a.title FROM article_search_keys k
        JOIN articles a ON a.feed_url = k.feed_url AND a.id = k.id;
    INSERT INTO article_body_words (rowid, body)
        SELECT k.key, tidings_index_text(b.summary, b.content) FROM article_search_keys k
        JOIN article_bodies b ON b.feed_url = k.feed_url AND b.id = k.id;
    CREATE TRIGGER article_search_on_insert AFTER INSERT ON articles BEGIN
        INSERT OR IGNORE INTO article_search_keys (feed_url, id) VALUES (new.feed_url, new.id);
        DELETE FROM article_title_words WHERE rowid =
            (SELECT key FROM article_search_keys WHERE feed_url = new.feed_url AND id = new.id);
        DELETE FROM article_body_words WHERE rowid =
            (SELECT key FROM article_search_keys WHERE feed_url = new.feed_url AND id = new.id);
        INSERT INTO article_title_words (rowid, title)
            SELECT key, new.title FROM article_search_keys
            WHERE feed_url = new.feed_url AND id = new.id;
        INSERT INTO article_body_words (rowid, body)
            SELECT k.key, tidings_index_text(b.summary, b.content)
            FROM article_search_keys k JOIN article_bodies b ON b.feed_url = k.feed_url AND b.id = k.id
            WHERE k.feed_url = new.feed_url AND k.id = new.id;
    END;
    CREATE TRIGGER article_search_on_title AFTER UPDATE OF title ON articles
    WHEN old.title IS NOT new.title BEGIN
        DELETE FROM article_title_words WHERE rowid =
            (SELECT key FROM article_search_keys WHERE feed_url = new.feed_url AND id = new.id);
        INSERT INTO article_title_words (rowid, title)
            SELECT key, new.title FROM article_search_keys
            WHERE feed_url = new.feed_url AND id = new.id;
    END;
    CREATE TRIGGER article_search_on_delete AFTER DELETE ON articles BEGIN
        DELETE FROM article_title_words WHERE rowid =
            (SELECT key FROM article_search_keys WHERE feed_url = old.feed_url AND id = old.id);
        DELETE FROM article_body_words WHERE rowid =
            (SELECT key FROM article_search_keys WHERE feed_url = old.feed_url AND id = old.id);
        DELETE FROM article_search_keys WHERE feed_url = old.feed_url AND id = old.id;
    END;
    CREATE TRIGGER article_search_on_body_insert AFTER INSERT ON article_bodies BEGIN
        DELETE FROM article_body_words WHERE rowid =
            (SELECT key FROM article_search_keys WHERE feed_url = new.feed_url AND id = new.id);
        INSERT INTO article_body_words (rowid, body)
            SELECT key, tidings_index_text(new.summary, new.content) FROM article_search_keys
            WHERE feed_url = new.feed_url AND id = new.id;
    END;
    CREATE TRIGGER article_search_on_body_update AFTER UPDATE OF summary, content ON article_bodies
    WHEN old.summary IS NOT new.summary OR old.content IS NOT new.content BEGIN
        DELETE FROM article_body_words WHERE rowid =
            (SELECT key FROM article_search_keys WHERE feed_url = new.feed_url AND id = new.id);
        INSERT INTO article_body_words (rowid, body)
            SELECT key, tidings_index_text(new.summary, new.content) FROM article_search_keys
            WHERE feed_url = new.feed_url AND id = new.id;
    END;
    CREATE TRIGGER article_search_on_body_delete AFTER DELETE ON article_bodies BEGIN
        DELETE FROM article_body_words WHERE rowid =
            (SELECT key FROM article_search_keys WHERE feed_url = old.feed_url AND id = old.id);
    END;
";

/// Schema step v5 → v6: bodies are indexed later, not as they are saved. Tokenising every body inside
/// the save made the writer the slowest step of a refresh (and the refresh waits for the writer, to
/// keep memory small). Saving a body now only queues its key in `search_pending`; the cache worker
/// indexes the queue in small slices whenever it has nothing to write ([`index_pending`]), and
/// `tidings list --query` finishes the queue before it searches ([`catch_up`]). Titles are short and
/// are still indexed as they are saved. The queue has no unique key on purpose: inside a trigger an
/// `OR IGNORE` gives way to the outer statement's conflict rule, and the saves are upserts; a key
/// queued twice is indexed once.
pub(super) const DEFER_BODIES: &str = "
    CREATE TABLE search_pending (key INTEGER NOT NULL);
    CREATE INDEX search_pending_keys ON search_pending (key);
    DROP TRIGGER article_search_on_insert;
    CREATE TRIGGER article_search_on_insert AFTER INSERT ON articles BEGIN
        INSERT OR IGNORE INTO article_search_keys (feed_url, id) VALUES (new.feed_url, new.id);
        DELETE FROM article_title_words WHERE rowid =
            (SELECT key FROM article_search_keys WHERE feed_url = new.feed_url AND id = new.id);
        INSERT INTO article_title_words (rowid, title)
            SELECT key, new.title FROM article_search_keys
            WHERE feed_url = new.feed_url AND id = new.id;
        INSERT INTO search_pending (key)
            SELECT key FROM article_search_keys WHERE feed_url = new.feed_url AND id = new.id;
    END;
    DROP TRIGGER article_search_on_delete;
    CREATE TRIGGER article_search_on_delete AFTER DELETE ON articles BEGIN
        DELETE FROM article_title_words WHERE rowid =
            (SELECT key FROM article_search_keys WHERE feed_url = old.feed_url AND id = old.id);
        DELETE FROM article_body_words WHERE rowid =
            (SELECT key FROM article_search_keys WHERE feed_url = old.feed_url AND id = old.id);
        DELETE FROM search_pending WHERE key =
            (SELECT key FROM article_search_keys WHERE feed_url = old.feed_url AND id = old.id);
        DELETE FROM article_search_keys WHERE feed_url = old.feed_url AND id = old.id;
    END;
    DROP TRIGGER article_search_on_body_insert;
    CREATE TRIGGER article_search_on_body_insert AFTER INSERT ON article_bodies BEGIN
        INSERT INTO search_pending (key)
            SELECT key FROM article_search_keys WHERE feed_url = new.feed_url AND id = new.id;
    END;
    DROP TRIGGER article_search_on_body_update;
    CREATE TRIGGER article_search_on_body_update AFTER UPDATE OF summary, content ON article_bodies
    WHEN old.summary IS NOT new.summary OR old.content IS NOT new.content BEGIN
        INSERT INTO search_pending (key)
            SELECT key FROM article_search_keys WHERE feed_url = new.feed_url AND id = new.id;
    END;
";

/// Index up to `limit` queued bodies in one transaction; returns how many were indexed (0: the index
/// is up to date).
pub fn index_pending(conn: &Connection, limit: usize) -> rusqlite::Result<usize> {
    let tx = conn.unchecked_transaction()?;
    let keys: Vec<i64> = {
        let mut stmt =
            tx.prepare_cached("SELECT DISTINCT key FROM search_pending ORDER BY key LIMIT ?1")?;
        let rows = stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    {
        let mut forget = tx.prepare_cached("DELETE FROM article_body_words WHERE rowid = ?1")?;
        let mut index = tx.prepare_cached(
            "INSERT INTO article_body_words (rowid, body)
             SELECT k.key, tidings_index_text(b.summary, b.content) FROM article_search_keys k
             JOIN article_bodies b ON b.feed_url = k.feed_url AND b.id = k.id WHERE k.key = ?1",
        )?;
        let mut done = tx.prepare_cached("DELETE FROM search_pending WHERE key = ?1")?;
        for key in &keys {
            forget.execute([key])?;
            index.execute([key])?;
            done.execute([key])?;
        }
    }
    tx.commit()?;
    Ok(keys.len())
}

/// Index every queued body on `conn` (for a search that must see every body).
fn catch_up(conn: &Connection) -> rusqlite::Result<usize> {
    let mut total = 0;
    loop {
        let n = index_pending(conn, 2_000)?;
        total += n;
        if n == 0 {
            return Ok(total);
        }
    }
}

/// Register `tidings_index_text(summary, content)`: the text of the richest body (content unless it
/// is blank, else summary) with tags stripped, or NULL without either. Pure and deterministic, marked
/// innocuous so the triggers may call it even with `trusted_schema` off.
pub(super) fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        "tidings_index_text",
        2,
        FunctionFlags::SQLITE_UTF8
            | FunctionFlags::SQLITE_DETERMINISTIC
            | FunctionFlags::SQLITE_INNOCUOUS,
        |ctx| {
            let summary = ctx.get_raw(0).as_str_or_null().ok().flatten();
            let content = ctx.get_raw(1).as_str_or_null().ok().flatten();
            let richest = content.filter(|c| !c.trim().is_empty()).or(summary);
            Ok(richest.map(index_text))
        },
    )
}

/// The articles whose title or body holds `term` (a word, a prefix or a phrase), by (feed URL, id).
/// The term becomes one quoted FTS5 phrase ([`TextTerm::to_fts5`]), so no input is FTS5 syntax.
/// Any connection to an up-to-date cache works, the writer's own included.
pub fn find_text(conn: &Connection, term: &TextTerm) -> rusqlite::Result<ArticleSet> {
    let mut stmt = conn.prepare_cached(
        "SELECT feed_url, id FROM article_search_keys WHERE key IN (
             SELECT rowid FROM article_title_words WHERE article_title_words MATCH ?1
             UNION SELECT rowid FROM article_body_words WHERE article_body_words MATCH ?1)",
    )?;
    let mut rows = stmt.query([term.to_fts5()])?;
    let mut set = ArticleSet::default();
    while let Some(row) = rows.next()? {
        set.insert(row.get(0)?, row.get(1)?);
    }
    Ok(set)
}

/// Answer every `text:` term of `query` on `conn`, ready for [`Query::matches_with`].
pub fn resolve_text(conn: &Connection, query: &Query) -> rusqlite::Result<TextHits> {
    let mut hits = TextHits::default();
    for term in query.text_terms() {
        hits.insert(term.clone(), find_text(conn, term)?);
    }
    Ok(hits)
}

/// A read-only connection to the index, for `tidings list --query` or a search thread beside the
/// writer (WAL lets it read while the writer commits).
#[derive(Debug)]
pub struct SearchIndex {
    conn: Connection,
    path: PathBuf,
}

impl SearchIndex {
    /// Open the cache at `path` for searching, first indexing the bodies saved since the cache worker
    /// last had time to (so a search sees every stored body).
    pub fn open(path: &Path) -> Result<SearchIndex, CacheError> {
        let conn = schema::connect(path)?;
        catch_up(&conn).map_err(|e| CacheError::from_sqlite(path, e))?;
        Ok(SearchIndex {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// [`find_text`] on this connection.
    pub fn find(&self, term: &TextTerm) -> Result<ArticleSet, CacheError> {
        find_text(&self.conn, term).map_err(|e| CacheError::from_sqlite(&self.path, e))
    }

    /// [`resolve_text`] on this connection.
    pub fn resolve(&self, query: &Query) -> Result<TextHits, CacheError> {
        resolve_text(&self.conn, query).map_err(|e| CacheError::from_sqlite(&self.path, e))
    }
}
