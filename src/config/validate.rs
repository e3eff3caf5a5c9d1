//! Text → [`Config`]: TOML into raw spanned structs, then every value checked with its line:col.

use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;
use url::Url;

use super::{display_path, line_col, Config, ConfigError, FeedConfig, Settings};
use crate::text::sanitize_line;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    settings: Option<RawSettings>,
    #[serde(default)]
    feed: Vec<RawFeed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    refresh_minutes: Option<Spanned<u64>>,
    concurrency: Option<Spanned<u64>>,
    timeout_seconds: Option<Spanned<u64>>,
    max_feed_bytes: Option<Spanned<u64>>,
    max_articles_per_feed: Option<Spanned<u64>>,
    keep_days: Option<Spanned<u64>>,
    cache: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeed {
    url: Spanned<String>,
    name: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    full_text: bool,
}

/// Longest URL echoed back in a message; the rest is elided so errors stay one readable line.
const MAX_SHOWN_URL: usize = 120;

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

    fn line_of(&self, offset: usize) -> usize {
        line_col(self.text, offset).0
    }
}

pub(super) fn parse_and_validate(text: &str, path: Option<&Path>) -> Result<Config, ConfigError> {
    let loc = Locator {
        text,
        path: display_path(path),
    };
    let raw: RawConfig = toml::from_str(text).map_err(|err| {
        let offset = err.span().map_or(0, |span| span.start);
        loc.at(offset, hint_for(err.message()))
    })?;
    let base_dir = base_dir(path);

    let settings = match raw.settings {
        Some(raw) => validate_settings(raw, &loc, base_dir.as_deref())?,
        None => Settings::default(),
    };

    let mut feeds = Vec::with_capacity(raw.feed.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for raw_feed in raw.feed {
        let offset = raw_feed.url.span().start;
        let url = resolve_url(raw_feed.url.get_ref(), base_dir.as_deref())
            .map_err(|message| loc.at(offset, message))?;
        let line = loc.line_of(offset);
        if let Some(first) = seen.insert(url.as_str().to_string(), line) {
            return Err(loc.at(
                offset,
                format!(
                    "feed URL `{}` appears twice (lines {first} and {line}); remove one",
                    shown(url.as_str())
                ),
            ));
        }
        let name = raw_feed
            .name
            .map(|n| sanitize_line(&n))
            .filter(|n| !n.is_empty());
        let mut tags: Vec<String> = Vec::new();
        for tag in raw_feed.tags.iter().map(|t| sanitize_line(t)) {
            if !tag.is_empty() && !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        feeds.push(FeedConfig {
            url,
            name,
            tags,
            full_text: raw_feed.full_text,
        });
    }

    Ok(Config {
        path: path.map(Path::to_path_buf),
        settings,
        feeds,
    })
}

/// Adds what to do to the TOML messages people hit most.
fn hint_for(message: &str) -> String {
    let message = sanitize_line(message);
    if message.contains("expected one of `settings`, `feed`") {
        format!("{message} (top-level tables are [settings] and [[feed]])")
    } else if message.starts_with("invalid type: map, expected a sequence") {
        format!("{message} (write each feed as [[feed]], with double brackets)")
    } else {
        message
    }
}

/// Folder that relative feed paths and the cache path are resolved against.
fn base_dir(path: Option<&Path>) -> Option<PathBuf> {
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
    loc: &Locator<'_>,
    base_dir: Option<&Path>,
) -> Result<Settings, ConfigError> {
    let defaults = Settings::default();
    let check =
        |key: &str, value: Option<Spanned<u64>>, range: RangeInclusive<u64>, default: u64| {
            let Some(value) = value else {
                return Ok(default);
            };
            let n = *value.get_ref();
            if range.contains(&n) {
                Ok(n)
            } else {
                Err(loc.at(
                    value.span().start,
                    format!(
                        "`{key}` = {n} is out of range; use {} to {}",
                        range.start(),
                        range.end()
                    ),
                ))
            }
        };
    let as_usize = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    let keep_days = match raw.keep_days {
        Some(days) => Some(check("keep_days", Some(days), 1..=36_500, 0)?),
        None => None,
    };
    let cache = match raw.cache {
        Some(cache) => {
            let text = cache.get_ref().trim();
            if text.is_empty() || text.chars().any(char::is_control) {
                return Err(loc.at(
                    cache.span().start,
                    "`cache` must be a file path without control characters",
                ));
            }
            let p = Path::new(text);
            Some(match base_dir {
                Some(dir) if p.is_relative() => normalise(&dir.join(p)),
                _ => p.to_path_buf(),
            })
        }
        None => None,
    };
    Ok(Settings {
        refresh_minutes: check(
            "refresh_minutes",
            raw.refresh_minutes,
            0..=10_080,
            defaults.refresh_minutes,
        )?,
        concurrency: as_usize(check(
            "concurrency",
            raw.concurrency,
            1..=256,
            defaults.concurrency as u64,
        )?),
        timeout_seconds: check(
            "timeout_seconds",
            raw.timeout_seconds,
            1..=600,
            defaults.timeout_seconds,
        )?,
        max_feed_bytes: check(
            "max_feed_bytes",
            raw.max_feed_bytes,
            1_024..=1_000_000_000,
            defaults.max_feed_bytes,
        )?,
        max_articles_per_feed: as_usize(check(
            "max_articles_per_feed",
            raw.max_articles_per_feed,
            1..=1_000_000,
            defaults.max_articles_per_feed as u64,
        )?),
        keep_days,
        cache,
    })
}

/// A feed URL as written → absolute http(s) or file URL. Paths without a scheme become file URLs.
fn resolve_url(raw: &str, base_dir: Option<&Path>) -> Result<Url, String> {
    let text = raw.trim();
    if text.is_empty() {
        return Err("feed `url` is empty; give an http(s):// address or a file path".into());
    }
    if text.chars().any(char::is_control) {
        return Err(format!(
            "feed URL `{}` contains control characters; remove them",
            shown(text)
        ));
    }
    match Url::parse(text) {
        // A one-letter scheme is a Windows drive (`C:\feeds\x.xml`), not a URL.
        Ok(url) if url.scheme().len() == 1 => path_to_url(text, base_dir),
        Ok(url) => match url.scheme() {
            "http" | "https" if url.host_str().is_some_and(|h| !h.is_empty()) => Ok(url),
            "http" | "https" => Err(format!("feed URL `{}` has no host", shown(text))),
            "file" => Ok(url),
            other => Err(format!(
                "unsupported URL scheme `{}` (use http://, https:// or a file path)",
                shown(other)
            )),
        },
        Err(url::ParseError::RelativeUrlWithoutBase) => path_to_url(text, base_dir),
        Err(err) => Err(format!("invalid feed URL `{}`: {err}", shown(text))),
    }
}

fn path_to_url(text: &str, base_dir: Option<&Path>) -> Result<Url, String> {
    let path = Path::new(text);
    let absolute = if path.is_absolute() {
        normalise(path)
    } else {
        let dir = base_dir.ok_or_else(|| {
            format!(
                "cannot resolve relative path `{}`: the current folder is unknown",
                shown(text)
            )
        })?;
        let absolute = normalise(&dir.join(path));
        if looks_like_host(path) && !absolute.exists() {
            return Err(format!(
                "`{}` looks like a web address without a scheme; write https://{}",
                shown(text),
                shown(text)
            ));
        }
        absolute
    };
    Url::from_file_path(&absolute)
        .map_err(|()| format!("cannot turn path `{}` into a file URL", shown(text)))
}

/// `example.org/rss.xml`: a first segment with an inner dot, followed by more path.
fn looks_like_host(path: &Path) -> bool {
    let mut parts = path.components();
    match (parts.next(), parts.next()) {
        (Some(Component::Normal(first)), Some(_)) => {
            let first = first.to_string_lossy();
            first.contains('.') && !first.starts_with('.') && !first.ends_with('.')
        }
        _ => false,
    }
}

/// Removes `.` and `..` without touching the file system (the file may not exist yet).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push(part);
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Text quoted in a message: one clean line, elided past [`MAX_SHOWN_URL`] characters.
fn shown(text: &str) -> String {
    let clean = sanitize_line(text);
    if clean.chars().count() > MAX_SHOWN_URL {
        let cut: String = clean.chars().take(MAX_SHOWN_URL).collect();
        format!("{cut}…")
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_like_relative_paths_are_spotted() {
        assert!(looks_like_host(Path::new("example.org/rss.xml")));
        assert!(!looks_like_host(Path::new("feeds.xml")));
        assert!(!looks_like_host(Path::new("./local/feed.xml")));
        assert!(!looks_like_host(Path::new("local/feed.xml")));
    }

    #[test]
    fn normalise_drops_dot_segments() {
        assert_eq!(normalise(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }
}
