//! Rows ⇄ model values: timestamps as integer microseconds, lists as JSON text, feed status as
//! last-success / last-error columns.

use crate::model::{Article, ArticleId, Body, Enclosure, FeedId, FeedStatus};
use crate::text::{is_clean_line, sanitize_line_owned, sanitize_text, sanitize_url};
use chrono::{DateTime, Utc};
use rusqlite::types::ValueRef;
use rusqlite::Row;
use serde::{Deserialize, Serialize};

/// The article columns (table `a`, bodies from table `b`) in the order `read_article` expects them
/// (after `feed_url`).
pub const ARTICLE_COLUMNS: &str =
    "a.id, a.title, a.link, a.authors, a.published, a.updated, b.summary, b.content, \
     a.categories, a.comments, a.enclosures, a.read, a.starred, a.first_seen, a.words, \
     a.comment_feed, a.comments_page";

/// The same columns with the bodies left in the file (read later with `CacheWorker::read_body`).
pub const ARTICLE_COLUMNS_WITHOUT_BODIES: &str =
    "a.id, a.title, a.link, a.authors, a.published, a.updated, NULL, NULL, \
     a.categories, a.comments, a.enclosures, a.read, a.starred, a.first_seen, a.words, \
     a.comment_feed, a.comments_page";

/// An enclosure as stored in the `enclosures` JSON column.
#[derive(Serialize, Deserialize)]
struct EnclosureJson {
    url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mime: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    length: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    duration: Option<u32>,
}

/// A timestamp as stored: microseconds since the Unix epoch.
pub fn to_micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

/// A stored timestamp back; out-of-range values become `None`.
pub fn from_micros(v: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_micros(v)
}

/// A string list as JSON text.
pub fn list_to_json(list: &[String]) -> String {
    if list.is_empty() {
        return "[]".into();
    }
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

/// Enclosures as JSON text.
pub fn enclosures_to_json(list: &[Enclosure]) -> String {
    if list.is_empty() {
        return "[]".into();
    }
    let rows: Vec<EnclosureJson> = list
        .iter()
        .map(|e| EnclosureJson {
            url: e.url.clone(),
            mime: e.mime.clone(),
            length: e.length,
            duration: e.duration,
        })
        .collect();
    serde_json::to_string(&rows).unwrap_or_else(|_| "[]".into())
}

fn text(row: &Row, i: usize) -> rusqlite::Result<Option<String>> {
    Ok(match row.get_ref(i)? {
        // `from_utf8` has a fast path that the lossy decoder lacks; invalid bytes are rare here.
        ValueRef::Text(t) => Some(match std::str::from_utf8(t) {
            Ok(s) => s.to_owned(),
            Err(_) => String::from_utf8_lossy(t).into_owned(),
        }),
        _ => None,
    })
}

fn time(row: &Row, i: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    Ok(match row.get_ref(i)? {
        ValueRef::Integer(v) => from_micros(v),
        _ => None,
    })
}

fn flag(row: &Row, i: usize) -> rusqlite::Result<bool> {
    Ok(matches!(row.get_ref(i)?, ValueRef::Integer(v) if v != 0))
}

/// Decode a JSON list column; `[]` (the common case) costs nothing, bad JSON reads as empty.
fn json_list<T: for<'de> Deserialize<'de>>(row: &Row, i: usize) -> rusqlite::Result<Vec<T>> {
    Ok(match row.get_ref(i)? {
        ValueRef::Text(b"[]") => Vec::new(),
        ValueRef::Text(t) => serde_json::from_slice(t).unwrap_or_default(),
        _ => Vec::new(),
    })
}

/// One article from a row whose columns start at `base` in `ARTICLE_COLUMNS` order.
/// `body_in_cache` marks articles read with `ARTICLE_COLUMNS_WITHOUT_BODIES`.
pub fn read_article(
    row: &Row,
    base: usize,
    feed: FeedId,
    body_in_cache: bool,
) -> rusqlite::Result<Article> {
    // The file is outside data like any feed (it can be edited or planted): every string is cleaned
    // on the way in, cheaply when it is already clean.
    let line = |s: String| sanitize_line_owned(s);
    let lines = |v: Vec<String>| -> Vec<String> {
        v.into_iter().map(line).filter(|s| !s.is_empty()).collect()
    };
    let enclosures: Vec<EnclosureJson> = json_list(row, base + 10)?;
    Ok(Article {
        id: ArticleId(line(text(row, base)?.unwrap_or_default())),
        feed,
        title: line(text(row, base + 1)?.unwrap_or_default()),
        link: text(row, base + 2)?.and_then(clean_link),
        authors: lines(json_list(row, base + 3)?),
        published: time(row, base + 4)?,
        updated: time(row, base + 5)?,
        body: if body_in_cache {
            Body::InCache
        } else {
            Body::new(
                text(row, base + 6)?.map(|s| sanitize_text(&s)),
                text(row, base + 7)?.map(|s| sanitize_text(&s)),
            )
        },
        categories: lines(json_list(row, base + 8)?),
        comments: match row.get_ref(base + 9)? {
            ValueRef::Integer(v) => u32::try_from(v).ok(),
            _ => None,
        },
        enclosures: enclosures
            .into_iter()
            .filter_map(|e| {
                Some(Enclosure {
                    url: clean_link(e.url)?,
                    mime: e.mime.map(line),
                    length: e.length,
                    duration: e.duration,
                })
            })
            .collect(),
        words: match row.get_ref(base + 14)? {
            ValueRef::Integer(v) => u32::try_from(v).ok(),
            _ => None,
        },
        read: flag(row, base + 11)?,
        starred: flag(row, base + 12)?,
        first_seen: time(row, base + 13)?.unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
        comment_feed: text(row, base + 15)?.and_then(clean_link),
        comments_page: text(row, base + 16)?.and_then(clean_link),
    })
}

/// A stored link back as an http(s) URL. Links we wrote are already normalised, so plain printable
/// ASCII with an http(s) scheme is kept as it is (50,000 URL parses would cost the start-up dearly);
/// anything else goes through `sanitize_url`. (`o` checks again before opening.)
fn clean_link(link: String) -> Option<String> {
    let lower = link
        .get(..8)
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let http = lower.starts_with("http://") || lower.starts_with("https://");
    if http && is_clean_line(&link) && !link.contains(' ') {
        Some(link)
    } else {
        sanitize_url(&link)
    }
}

/// Longest stored site link taken back (bytes), as the parser bounds links.
const MAX_SITE_BYTES: usize = 32 * 1024;

/// A feed's stored site link back as an absolute http(s) URL (the file may have been edited), else
/// `None`.
pub fn read_site(site: &str) -> Option<String> {
    if site.len() > MAX_SITE_BYTES {
        return None;
    }
    sanitize_url(site)
}

/// The last outcome from the feeds table: an error when the last refresh failed, else the last success.
pub fn read_status(
    last_success: Option<i64>,
    last_error: Option<String>,
    last_error_at: Option<i64>,
) -> FeedStatus {
    match (last_error, last_success.and_then(from_micros)) {
        (Some(message), success) => FeedStatus::Error {
            message: sanitize_line_owned(message),
            at: last_error_at
                .and_then(from_micros)
                .or(success)
                .unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
        },
        (None, Some(at)) => FeedStatus::Ok { at },
        (None, None) => FeedStatus::NeverFetched,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_round_trips_through_columns() {
        let at = from_micros(1_700_000_000_000_000).unwrap();
        assert_eq!(
            read_status(Some(to_micros(at)), None, None),
            FeedStatus::Ok { at }
        );
        assert_eq!(
            read_status(Some(1), Some("HTTP 500".into()), Some(to_micros(at))),
            FeedStatus::Error {
                message: "HTTP 500".into(),
                at
            }
        );
        assert_eq!(read_status(None, None, None), FeedStatus::NeverFetched);
    }

    #[test]
    fn lists_encode_as_json() {
        assert_eq!(list_to_json(&[]), "[]");
        assert_eq!(list_to_json(&["a\"b".into()]), r#"["a\"b"]"#);
        let e = Enclosure {
            url: "http://x/a.mp3".into(),
            mime: Some("audio/mpeg".into()),
            length: None,
            duration: None,
        };
        assert_eq!(
            enclosures_to_json(&[e]),
            r#"[{"url":"http://x/a.mp3","mime":"audio/mpeg"}]"#
        );
    }
}
