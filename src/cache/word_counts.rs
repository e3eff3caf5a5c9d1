//! The `words` column of `articles` (schema v5): each body's word count as the article header shows it,
//! kept beside the headline so the query language's `words>N` needs no body. Written on save from the
//! body in memory; existing rows are filled by the migration through `tidings_word_count`.

use crate::query::word_count;
use rusqlite::functions::FunctionFlags;
use rusqlite::Connection;

/// Schema step v4 → v5: the column, filled from the stored bodies (a row without a body row has no
/// text: 0 words).
pub(super) const MIGRATION: &str = "
    ALTER TABLE articles ADD COLUMN words INTEGER;
    UPDATE articles SET words = COALESCE(
        (SELECT tidings_word_count(b.summary, b.content) FROM article_bodies b
         WHERE b.feed_url = articles.feed_url AND b.id = articles.id), 0);
";

/// Register `tidings_word_count(summary, content)`: [`word_count`] of the richest body (content
/// unless blank, else summary), 0 without either. Pure, so marked deterministic and innocuous.
pub(super) fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        "tidings_word_count",
        2,
        FunctionFlags::SQLITE_UTF8
            | FunctionFlags::SQLITE_DETERMINISTIC
            | FunctionFlags::SQLITE_INNOCUOUS,
        |ctx| {
            let summary = ctx.get_raw(0).as_str_or_null().ok().flatten();
            let content = ctx.get_raw(1).as_str_or_null().ok().flatten();
            let richest = content.filter(|c| !c.trim().is_empty()).or(summary);
            Ok(richest.map_or(0, word_count))
        },
    )
}
