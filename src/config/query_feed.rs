//! `[[query]]` entries: saved searches shown as feeds ("query feeds"), each a name and a query in the
//! query language, checked at load so a mistake is reported at its line and column inside the file.

use serde::Deserialize;
use toml::{Spanned, Value};

use super::values::{shown, string_of, Problem};
use crate::query::{parse, Query};
use crate::text::sanitize_line;

/// One `[[query]]` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawQueryFeed {
    name: Spanned<Value>,
    query: Spanned<Value>,
}

/// A validated `[[query]]`: a feeds-pane row whose articles are those of every feed matching `query`.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryFeedConfig {
    /// The row's name: one clean line, unique among query feeds and feeds' configured names.
    pub name: String,
    /// The parsed query.
    pub query: Query,
}

/// Validate the `[[query]]` entries against each other and the feeds' configured `feed_names`.
/// `text` is the whole file, to place a query's mistake at its own line and column.
pub(super) fn validate_query_feeds(
    raw: Vec<RawQueryFeed>,
    feed_names: &[&str],
    text: &str,
    problems: &mut Vec<Problem>,
) -> Vec<QueryFeedConfig> {
    let mut out: Vec<QueryFeedConfig> = Vec::new();
    for entry in raw {
        let name = match string_of("name", &entry.name).map(sanitize_line) {
            Ok(name) if !name.is_empty() => name,
            Ok(_) => {
                problems.push((
                    entry.name.span().start,
                    "name: expected a name, found an empty string".into(),
                ));
                continue;
            }
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let clash = if feed_names.iter().any(|f| f.eq_ignore_ascii_case(&name)) {
            Some("a feed")
        } else if out.iter().any(|q| q.name.eq_ignore_ascii_case(&name)) {
            Some("another [[query]]")
        } else {
            None
        };
        if let Some(other) = clash {
            problems.push((
                entry.name.span().start,
                format!("name: `{}` is already the name of {other}; query feeds need names of their own", shown(&name)),
            ));
            continue;
        }
        let source = match string_of("query", &entry.query) {
            Ok(source) => source,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        match parse(source) {
            Ok(query) => out.push(QueryFeedConfig { name, query }),
            Err(e) => {
                let at = error_offset(text, entry.query.span(), source, e.line(), e.column());
                problems.push((at, format!("query: {}", e.message())));
            }
        }
    }
    out
}

/// Byte offset in the file of line `line`, column `column` (1-based, characters) of the query `source`
/// whose TOML string spans `span`. Exact when the string is written without escapes (the usual case);
/// otherwise the string's first character, since escapes shift positions.
fn error_offset(
    text: &str,
    span: std::ops::Range<usize>,
    source: &str,
    line: usize,
    column: usize,
) -> usize {
    let raw = text.get(span.clone()).unwrap_or_default();
    let quote = ["\"\"\"", "'''", "\"", "'"]
        .into_iter()
        .find(|q| raw.starts_with(q))
        .map_or(0, str::len);
    let mut start = span.start + quote;
    let mut inner = raw
        .get(quote..raw.len().saturating_sub(quote))
        .unwrap_or_default();
    if quote == 3 {
        // A newline right after the opening quotes is not part of a multi-line string.
        let trimmed = inner.trim_start_matches('\r').strip_prefix('\n');
        if let Some(rest) = trimmed {
            start += inner.len() - rest.len();
            inner = rest;
        }
    }
    if inner != source {
        return start;
    }
    let mut offset = 0;
    for (i, text_line) in source.split('\n').enumerate() {
        if i + 1 == line {
            let in_line = text_line
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(text_line.len(), |(at, _)| at);
            return start + offset + in_line;
        }
        offset += text_line.len() + 1;
    }
    start + source.len()
}

#[cfg(test)]
mod tests {
    use crate::config::{parse, ConfigError};

    fn error(text: &str) -> String {
        match parse(text, None) {
            Err(ConfigError::Invalid { .. }) => parse(text, None).unwrap_err().to_string(),
            other => panic!("expected an invalid config, got {other:?}"),
        }
    }

    const FEED: &str = "[[feed]]\nurl = \"https://example.org/feed.xml\"\nname = \"World\"\n\n";

    #[test]
    fn query_feeds_load_in_file_order() {
        let text = format!(
            "{FEED}[[query]]\nname = \"Long reads\"\nquery = \"words > 1500 and unread\"\n\n\
             [[query]]\nname = \"Rust\"\nquery = 'title:rust'\n"
        );
        let config = parse(&text, None).unwrap();
        let names: Vec<&str> = config.queries.iter().map(|q| q.name.as_str()).collect();
        assert_eq!(names, ["Long reads", "Rust"]);
        assert_eq!(config.queries[0].query.to_string(), "words>1500 and unread");
    }

    #[test]
    fn a_query_mistake_points_into_the_file() {
        // Line 7; the query starts at column 10 and is missing its ')' at query column 16.
        let text = format!("{FEED}[[query]]\nname = \"World news\"\nquery = \"tag:world and (\"\n");
        assert_eq!(
            error(&text),
            "feeds.toml:7:25: query: expected ')' after 'tag:world and ('"
        );
    }

    #[test]
    fn multi_line_queries_count_lines_inside_the_string() {
        let text = format!(
            "{FEED}[[query]]\nname = \"Q\"\nquery = \"\"\"\nunread\nand title~\"(\"\"\"\"\n"
        );
        let message = error(&text);
        assert!(message.starts_with("feeds.toml:9:"), "{message}");
    }

    #[test]
    fn names_must_be_their_own() {
        let clash = format!("{FEED}[[query]]\nname = \"world\"\nquery = \"unread\"\n");
        assert!(error(&clash).contains("6:8: name: `world` is already the name of a feed"));
        let twice = "[[query]]\nname = \"A\"\nquery = \"unread\"\n[[query]]\nname = \"A\"\nquery = \"read\"\n";
        assert!(error(twice).contains("5:8: name: `A` is already the name of another [[query]]"));
        let empty = "[[query]]\nname = \"\"\nquery = \"unread\"\n";
        assert!(error(empty).contains("2:8: name: expected a name"));
    }
}
