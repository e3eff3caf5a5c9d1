//! One `[[feed]]` entry: its raw spanned form and its validation, per-feed settings included.

use std::path::Path;

use serde::Deserialize;
use toml::{Spanned, Value};

use super::feed_url::resolve_url;
use super::values::{bool_of, expected, expected_hidden, string_of, whole_number, Problem};
use super::FeedConfig;
use crate::secret::Secret;
use crate::text::sanitize_line;

type Field = Option<Spanned<Value>>;

/// A `[[feed]]` as written; values are checked by hand so every problem has its position.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFeed {
    url: Spanned<Value>,
    name: Field,
    tags: Field,
    full_text: Field,
    enabled: Field,
    refresh_minutes: Field,
    max_articles: Field,
    timeout_seconds: Field,
    user_agent: Field,
    headers: Field,
}

impl RawFeed {
    /// Offset of the `url` value: where messages about the whole entry point.
    pub(super) fn url_offset(&self) -> usize {
        self.url.span().start
    }
}

/// Headers a feed may not set: they belong to the connection or to conditional GET.
const RESERVED_HEADERS: &[&str] = &[
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "te",
    "upgrade",
    "if-none-match",
    "if-modified-since",
    "accept-encoding",
];

/// Longest `user_agent` accepted.
const MAX_USER_AGENT: usize = 512;

/// A raw entry → the feed, or `None` with every problem recorded.
pub(super) fn validate_feed(
    raw: RawFeed,
    base_dir: Option<&Path>,
    problems: &mut Vec<Problem>,
) -> Option<FeedConfig> {
    let before = problems.len();
    let offset = raw.url.span().start;
    let url = keep(
        problems,
        string_of("url", &raw.url).and_then(|text| {
            resolve_url(text, base_dir).map_err(|m| (offset, format!("url: {m}")))
        }),
    );
    let name = raw
        .name
        .as_ref()
        .and_then(|v| keep(problems, string_of("name", v)))
        .map(sanitize_line)
        .filter(|n| !n.is_empty());
    let tags = raw
        .tags
        .as_ref()
        .and_then(|v| keep(problems, tags_of(v)))
        .unwrap_or_default();
    let flag =
        |key, value: &Field, default| value.as_ref().map_or(Ok(default), |v| bool_of(key, v));
    let full_text = keep(problems, flag("full_text", &raw.full_text, false)).unwrap_or(false);
    let enabled = keep(problems, flag("enabled", &raw.enabled, true)).unwrap_or(true);
    let number = |key, unit, value: &Field, range| {
        value
            .as_ref()
            .map(|v| whole_number(key, unit, v, &range))
            .transpose()
    };
    let refresh_minutes = keep(
        problems,
        number(
            "refresh_minutes",
            "minutes",
            &raw.refresh_minutes,
            0..=10_080,
        ),
    )
    .flatten();
    let max_articles = keep(
        problems,
        number("max_articles", "articles", &raw.max_articles, 1..=1_000_000),
    )
    .flatten()
    .map(|n| usize::try_from(n).unwrap_or(usize::MAX));
    let timeout_seconds = keep(
        problems,
        number("timeout_seconds", "seconds", &raw.timeout_seconds, 1..=600),
    )
    .flatten();
    let user_agent = raw
        .user_agent
        .as_ref()
        .and_then(|v| keep(problems, user_agent_of(v)));
    let headers = raw
        .headers
        .as_ref()
        .and_then(|v| keep(problems, headers_of(v)))
        .unwrap_or_default();
    if problems.len() > before {
        return None;
    }
    Some(FeedConfig {
        url: url?,
        name,
        tags,
        full_text,
        enabled,
        refresh_minutes,
        max_articles,
        timeout_seconds,
        user_agent,
        headers,
    })
}

/// The value, or `None` with its problem recorded.
fn keep<T>(problems: &mut Vec<Problem>, result: Result<T, Problem>) -> Option<T> {
    result.map_err(|p| problems.push(p)).ok()
}

fn tags_of(value: &Spanned<Value>) -> Result<Vec<String>, Problem> {
    let Some(items) = value
        .get_ref()
        .as_array()
        .filter(|i| i.iter().all(Value::is_str))
    else {
        return Err(expected(
            "tags",
            "a list of strings, e.g. [\"world\", \"tech\"]",
            value,
        ));
    };
    let mut tags: Vec<String> = Vec::new();
    for tag in items.iter().filter_map(Value::as_str).map(sanitize_line) {
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    Ok(tags)
}

fn user_agent_of(value: &Spanned<Value>) -> Result<String, Problem> {
    let text = string_of("user_agent", value)?.trim();
    if text.is_empty() || text.len() > MAX_USER_AGENT || text.chars().any(char::is_control) {
        return Err(expected(
            "user_agent",
            &format!("one line of at most {MAX_USER_AGENT} bytes without control characters"),
            value,
        ));
    }
    Ok(text.to_string())
}

/// `headers = { Name = "value", … }`: names are HTTP tokens, values strings without control
/// characters. No message ever shows a value.
fn headers_of(value: &Spanned<Value>) -> Result<Vec<(String, Secret)>, Problem> {
    let Some(table) = value.get_ref().as_table() else {
        return Err(expected_hidden(
            "headers",
            "a table of strings, e.g. { Authorization = \"…\" }",
            value,
        ));
    };
    let at = |message: String| (value.span().start, message);
    let mut headers: Vec<(String, Secret)> = Vec::new();
    for (name, item) in table {
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            return Err(at(format!(
                "headers: expected header names of letters, digits and -, found `{}`",
                super::values::shown(name)
            )));
        }
        let lower = name.to_ascii_lowercase();
        if lower == "user-agent" {
            return Err(at(format!(
                "headers.{name}: set it with the feed's user_agent key instead"
            )));
        }
        if RESERVED_HEADERS.contains(&lower.as_str()) {
            return Err(at(format!(
                "headers.{name}: expected a header tidings does not set itself, found a reserved one"
            )));
        }
        if headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
            return Err(at(format!(
                "headers.{name}: appears twice (names ignore case); keep one"
            )));
        }
        let text = match item {
            Value::String(text) => text,
            other => {
                return Err(at(format!(
                    "headers.{name}: expected a string, found {}",
                    super::values::kind(other)
                )))
            }
        };
        if text.chars().any(|c| c.is_control() && c != '\t') {
            return Err(at(format!(
                "headers.{name}: expected a value without control characters (line breaks included)"
            )));
        }
        headers.push((name.clone(), Secret::new(text.trim())));
    }
    Ok(headers)
}

/// RFC 9110 `tchar`: what an HTTP header name may contain.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}
