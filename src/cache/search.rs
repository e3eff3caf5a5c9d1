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
    /// Open the cache at `path` for searching; it must already be at the current schema (open it with
    /// `Cache::open` first, which migrates).
    pub fn open(path: &Path) -> Result<SearchIndex, CacheError> {
        let conn = schema::reader(path).map_err(|e| CacheError::from_sqlite(path, e))?;
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
