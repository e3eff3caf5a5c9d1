//! Text → [`Config`]: TOML into raw spanned structs, then every value checked with its line:col.

use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::{Spanned, Value};

use super::feed_entry::{validate_feed, RawFeed};
use super::feed_url::normalise;
use super::query_feed::{validate_query_feeds, RawQueryFeed};
use super::tables::{entries, RawTable};
use super::values::{expected, shown, whole_number, Problem};
use super::{display_path, line_col, Config, ConfigError, Settings};
use crate::text::sanitize_line;

/// Values are kept as spanned [`toml::Value`]s and type-checked by hand, so every problem is found
/// and the one earliest in the file is reported (serde visits keys alphabetically).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    settings: Option<RawSettings>,
    #[serde(default)]
    feed: Vec<RawFeed>,
    #[serde(default)]
    keys: Option<RawTable>,
    #[serde(default)]
    theme: Option<RawTable>,
    #[serde(default)]
    query: Vec<RawQueryFeed>,
}

type Field = Option<Spanned<Value>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    refresh_minutes: Field,
    concurrency: Field,
    timeout_seconds: Field,
    max_feed_bytes: Field,
    max_articles_per_feed: Field,
    keep_days: Field,
    cache: Field,
    player: Field,
    images: Field,
    mouse: Field,
}

/// Builds errors that point into one text.
struct Locator<'a> {
    text: &'a str,
    path: String,
}

impl Locator<'_> {
    fn at(&self, offset: usize, message: impl AsRef<str>) -> ConfigError {
        let (line, col) = line_col(self.text, offset);
        ConfigError::Invalid {
            path: self.path.clone(),
            line,
            col,
            message: sanitize_line(message.as_ref()),
        }
    }

    fn toml_error(&self, err: &toml::de::Error) -> ConfigError {
        let span = err.span().unwrap_or(0..0);
        let key = self.text.get(span.clone()).unwrap_or_default();
        self.at(span.start, hint_for(err.message(), key))
    }
}

pub(super) fn parse_and_validate(text: &str, path: Option<&Path>) -> Result<Config, ConfigError> {
    let loc = Locator {
        text,
        path: display_path(path),
    };
    // Syntax first, with recovery, so the earliest syntax error is the one reported.
    let (_, syntax_errors) = toml::de::DeTable::parse_recoverable(text);
    if let Some(first) = syntax_errors
        .iter()
        .min_by_key(|e| e.span().map_or(0, |s| s.start))
    {
        return Err(loc.toml_error(first));
    }
    let raw: RawConfig = toml::from_str(text).map_err(|err| loc.toml_error(&err))?;
    let base_dir = base_dir(path);
    let mut problems: Vec<Problem> = Vec::new();

    let settings = match raw.settings {
        Some(raw) => validate_settings(raw, base_dir.as_deref(), &mut problems),
        None => Settings::default(),
    };

    let mut feeds = Vec::with_capacity(raw.feed.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for raw_feed in raw.feed {
        let offset = raw_feed.url_offset();
        if let Some(feed) = validate_feed(raw_feed, base_dir.as_deref(), &mut problems) {
            let line = line_col(text, offset).0;
            if let Some(first) = seen.insert(feed.url.as_str().to_string(), line) {
                problems.push((
                    offset,
                    format!(
                        "url: `{}` appears twice (lines {first} and {line}); remove one",
                        shown(feed.url.as_str())
                    ),
                ));
            }
            feeds.push(feed);
        }
    }

    let keys = entries("keys", raw.keys.unwrap_or_default(), text, &mut problems);
    let theme = entries("theme", raw.theme.unwrap_or_default(), text, &mut problems);
    let feed_names: Vec<&str> = feeds.iter().filter_map(|f| f.name.as_deref()).collect();
    let queries = validate_query_feeds(raw.query, &feed_names, text, &mut problems);

    if let Some((offset, message)) = problems.into_iter().min_by_key(|p| p.0) {
        return Err(loc.at(offset, message));
    }
    Ok(Config {
        path: path.map(Path::to_path_buf),
        settings,
        feeds,
        keys,
        theme,
        queries,
    })
}

/// Adds what to do to the TOML messages people hit most.
fn hint_for(message: &str, spanned_text: &str) -> String {
    let message = sanitize_line(message);
    if message == "duplicate key" {
        format!("duplicate key `{}`; keep one", shown(spanned_text))
    } else if message.starts_with("missing field `url`") {
        format!("{message}: every [[feed]] needs a url")
    } else if message.contains("`settings`, `feed`") {
        format!(
            "{message} (top-level tables are [settings], [[feed]], [[query]], [keys] and [theme])"
        )
    } else if message.starts_with("invalid type: map, expected a sequence") {
        format!("{message} (write each feed as [[feed]], with double brackets)")
    } else {
        message
    }
}

/// Folder that relative feed paths and the cache path are resolved against.
pub(super) fn base_dir(path: Option<&Path>) -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok();
    let parent = path
        .and_then(Path::parent)
        .filter(|p| !p.as_os_str().is_empty());
    match parent {
        Some(dir) if dir.is_absolute() => Some(normalise(dir)),
        Some(dir) => cwd.map(|cwd| normalise(&cwd.join(dir))),
        None => cwd.map(|cwd| normalise(&cwd)),
    }
}

fn validate_settings(
    raw: RawSettings,
    base_dir: Option<&Path>,
    problems: &mut Vec<Problem>,
) -> Settings {
    let defaults = Settings::default();
    let mut number = |key: &str, unit: &str, value: Field, range: RangeInclusive<u64>, default| {
        let Some(value) = value else {
            return default;
        };
        whole_number(key, unit, &value, &range).unwrap_or_else(|problem| {
            problems.push(problem);
            default
        })
    };
    let as_usize = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    let refresh_minutes = number(
        "refresh_minutes",
        "minutes",
        raw.refresh_minutes,
        0..=10_080,
        defaults.refresh_minutes,
    );
    let concurrency = as_usize(number(
        "concurrency",
        "feeds",
        raw.concurrency,
        1..=256,
        defaults.concurrency as u64,
    ));
    let timeout_seconds = number(
        "timeout_seconds",
        "seconds",
        raw.timeout_seconds,
        1..=600,
        defaults.timeout_seconds,
    );
    let max_feed_bytes = number(
        "max_feed_bytes",
        "bytes",
        raw.max_feed_bytes,
        1_024..=1_000_000_000,
        defaults.max_feed_bytes,
    );
    let max_articles_per_feed = as_usize(number(
        "max_articles_per_feed",
        "articles",
        raw.max_articles_per_feed,
        1..=1_000_000,
        defaults.max_articles_per_feed as u64,
    ));
    let keep_days = raw
        .keep_days
        .map(|days| number("keep_days", "days", Some(days), 1..=36_500, 0));
    let cache = raw.cache.and_then(|value| {
        let text = value.get_ref().as_str().map(str::trim);
        match text {
            Some(text) if !text.is_empty() && !text.chars().any(char::is_control) => {
                let p = Path::new(text);
                Some(match base_dir {
                    Some(dir) if p.is_relative() => normalise(&dir.join(p)),
                    _ => p.to_path_buf(),
                })
            }
            _ => {
                problems.push(expected(
                    "cache",
                    "a file path in quotes, without control characters",
                    &value,
                ));
                None
            }
        }
    });
    let player = raw.player.and_then(|v| {
        super::reader_settings::validate_player(&v)
            .map_err(|p| problems.push(p))
            .ok()
    });
    let images = raw
        .images
        .and_then(|v| {
            super::reader_settings::validate_images(&v)
                .map_err(|p| problems.push(p))
                .ok()
        })
        .unwrap_or_default();
    let mouse = raw.mouse.is_some_and(|v| {
        super::values::bool_of("mouse", &v)
            .map_err(|p| problems.push(p))
            .unwrap_or(false)
    });
    Settings {
        refresh_minutes,
        concurrency,
        timeout_seconds,
        max_feed_bytes,
        max_articles_per_feed,
        keep_days,
        cache,
        player,
        images,
        mouse,
    }
}
