//! feeds.toml: types, lookup order and validation. Errors carry file:line:col.

pub mod edit;
mod feed_entry;
mod feed_url;
mod locate;
mod query_feed;
mod reader_settings;
mod tables;
mod validate;
mod values;

use crate::text::line_col;
use std::path::{Path, PathBuf};
use url::Url;

use crate::secret::Secret;

pub use edit::{Appended, EditError, FeedsFile, NewFeed, Removed};
pub use locate::locate_with;
pub use query_feed::QueryFeedConfig;
pub use reader_settings::ImageMode;
pub use tables::TableEntry;

/// Global settings; every key optional.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Auto-refresh interval while the UI is open; 0 = off.
    pub refresh_minutes: u64,
    /// Feeds fetched at once.
    pub concurrency: usize,
    /// Total deadline per request (headers and body).
    pub timeout_seconds: u64,
    /// Decompressed size cap per download.
    pub max_feed_bytes: u64,
    /// Retention: newest unstarred articles kept per feed.
    pub max_articles_per_feed: usize,
    /// Retention by age; off unless set.
    pub keep_days: Option<u64>,
    /// Cache database path (relative to the config file).
    pub cache: Option<PathBuf>,
    /// Program and arguments that open attachments (`{url}` replaced); else the system opener.
    pub player: Option<Vec<String>>,
    /// How pictures in articles are drawn.
    pub images: ImageMode,
    /// Mouse in the reader (off by default, so the terminal's own text selection keeps working).
    pub mouse: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            refresh_minutes: 30,
            concurrency: 16,
            timeout_seconds: 20,
            max_feed_bytes: 10_000_000,
            max_articles_per_feed: 500,
            keep_days: None,
            cache: None,
            player: None,
            images: ImageMode::Auto,
            mouse: false,
        }
    }
}

/// One `[[feed]]` entry, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedConfig {
    /// Absolute http(s) or file URL (relative paths are resolved against the config file's folder).
    pub url: Url,
    /// Display name from the config, already sanitised to one clean line; `None` = use the feed's title.
    pub name: Option<String>,
    /// Tags for grouping, sanitised; empty ones dropped.
    pub tags: Vec<String>,
    /// Fetch the linked page's main text when an article is opened.
    pub full_text: bool,
    /// `enabled = false`: kept in the list (shown dimmed) but never fetched.
    pub enabled: bool,
    /// Auto-refresh interval for this feed, overriding `settings.refresh_minutes`; 0 = never.
    pub refresh_minutes: Option<u64>,
    /// Retention for this feed, overriding `settings.max_articles_per_feed`.
    pub max_articles: Option<usize>,
    /// Request deadline for this feed, overriding `settings.timeout_seconds`.
    pub timeout_seconds: Option<u64>,
    /// User-Agent sent for this feed instead of `tidings/VERSION` (some servers block unknown agents).
    pub user_agent: Option<String>,
    /// Extra request headers (e.g. `Authorization`), in file order; values are [`Secret`]s, so a
    /// `{:?}` of the config never shows them.
    pub headers: Vec<(String, Secret)>,
}

impl FeedConfig {
    /// A feed at `url` with every setting at its default (enabled, no overrides).
    pub fn new(url: Url) -> FeedConfig {
        FeedConfig {
            url,
            name: None,
            tags: Vec::new(),
            full_text: false,
            enabled: true,
            refresh_minutes: None,
            max_articles: None,
            timeout_seconds: None,
            user_agent: None,
            headers: Vec::new(),
        }
    }
}

/// A loaded, validated configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Where it was read from (None for a config built in code).
    pub path: Option<PathBuf>,
    /// Global settings, defaults filled in and ranges checked.
    pub settings: Settings,
    /// Feeds in file order; URLs are unique after normalisation.
    pub feeds: Vec<FeedConfig>,
    /// `[keys]`: `action = "key"` or `["key", …]`, checked by the keymap.
    pub keys: Vec<TableEntry>,
    /// `[theme]`: `preset` and colours by role, checked by the theme.
    pub theme: Vec<TableEntry>,
    /// `[[query]]` feeds in file order; names unique and distinct from the feeds' names.
    pub queries: Vec<QueryFeedConfig>,
}

impl Config {
    /// An error at `line`:`col` of this config's file, for entries checked outside `config`.
    pub fn error_at(&self, line: usize, col: usize, message: &str) -> ConfigError {
        ConfigError::Invalid {
            path: display_path(self.path.as_deref()),
            line,
            col,
            message: crate::text::sanitize_line(message),
        }
    }
}

/// Why a config could not be used. Display is one line naming the file (and line:col where known).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// No config in any of the default places.
    #[error("no feeds.toml found (looked in: {looked}); create one, e.g. copy the feeds.toml from the tidings repository, or pass --config PATH")]
    NotFound {
        /// The places searched, in order, comma-separated.
        looked: String,
    },
    /// A config named explicitly (`--config` or `$TIDINGS_CONFIG`) does not exist.
    #[error("config file {path} (from {origin}) does not exist; check the path")]
    Missing {
        /// The path as given.
        path: String,
        /// Where the path came from: the option or the environment variable.
        origin: &'static str,
    },
    /// The file exists but could not be read (permissions, a directory, I/O).
    #[error("cannot read {path}: {}", io_reason(source))]
    Read {
        /// The file that could not be read.
        path: String,
        /// The underlying I/O failure.
        #[source]
        source: std::io::Error,
    },
    /// The file was read but is not a valid config; points at the offending spot.
    #[error("{path}:{line}:{col}: {message}")]
    Invalid {
        /// The config file, as shown to the user.
        path: String,
        /// 1-based line of the offending spot.
        line: usize,
        /// 1-based column of the offending spot.
        col: usize,
        /// What is wrong there, one sanitised line.
        message: String,
    },
}

impl ConfigError {
    /// Process exit code for this error: a bad or missing config is bad usage, always 2.
    pub fn exit_code(&self) -> i32 {
        2
    }
}

/// An io error kind in plain lower-case words, for one-line messages.
fn io_reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let words = match err.kind() {
        ErrorKind::PermissionDenied => "permission denied",
        ErrorKind::NotFound => "no such file",
        ErrorKind::IsADirectory => "is a directory, not a file",
        ErrorKind::InvalidData => "invalid data",
        ErrorKind::Interrupted => "interrupted",
        ErrorKind::OutOfMemory => "out of memory",
        _ => return crate::text::sanitize_line(&err.to_string().to_lowercase()),
    };
    words.to_string()
}

/// Find the config: `--config`, else `$TIDINGS_CONFIG`, else `$XDG_CONFIG_HOME/tidings/feeds.toml`
/// (or `~/.config/tidings/feeds.toml`), else `./feeds.toml`.
pub fn locate(explicit: Option<&Path>) -> Result<PathBuf, ConfigError> {
    let env = |key: &str| -> Option<String> {
        let value = std::env::var_os(key).map(|v| v.to_string_lossy().into_owned());
        match (key, value) {
            ("HOME", None) => directories::BaseDirs::new()
                .map(|dirs| dirs.home_dir().to_string_lossy().into_owned()),
            (_, value) => value,
        }
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    locate_with(explicit, env, &cwd)
}

/// Read and validate a config file; bytes that are not UTF-8 are reported with their line:col.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let bytes = std::fs::read(path).map_err(|source| ConfigError::Read {
        path: display_path(Some(path)),
        source,
    })?;
    let text = std::str::from_utf8(&bytes).map_err(|err| {
        let valid = &bytes[..err.valid_up_to()];
        // The prefix is valid UTF-8 by definition of `valid_up_to`.
        let prefix = std::str::from_utf8(valid).unwrap_or_default();
        let (line, col) = line_col(prefix, prefix.len());
        ConfigError::Invalid {
            path: display_path(Some(path)),
            line,
            col,
            message: format!(
                "not valid UTF-8 at line {line}, column {col} (byte offset {}); save the file as UTF-8",
                err.valid_up_to()
            ),
        }
    })?;
    parse(text, Some(path))
}

/// Parse and validate config text; `path` names the file in errors and anchors relative feed paths.
pub fn parse(text: &str, path: Option<&Path>) -> Result<Config, ConfigError> {
    validate::parse_and_validate(text, path)
}

/// The path as shown in messages: one clean line; `feeds.toml` when the text came from elsewhere.
fn display_path(path: Option<&Path>) -> String {
    match path {
        Some(p) => crate::text::sanitize_line(&p.display().to_string()),
        None => "feeds.toml".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_in_characters() {
        assert_eq!(line_col("", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 3), (2, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("é\néx", 5), (2, 2));
        assert_eq!(line_col("ab", 99), (1, 3));
    }

    #[test]
    fn every_error_is_exit_code_two_and_one_line() {
        let err = ConfigError::Read {
            path: "x".into(),
            source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        };
        assert_eq!(err.exit_code(), 2);
        assert_eq!(err.to_string(), "cannot read x: permission denied");
    }
}
