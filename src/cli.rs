//! The command line: clap definitions, the TUI entry and the scriptable commands.

use crate::app::{App, StatusNote};
use crate::cache::{Bodies, Cache, CacheWriter, FeedSnapshot, Retention};
use crate::config::{self, Config, ConfigError};
use crate::feed::{self, http::HttpClient, http::Limits, RefreshJob};
use crate::model::{Feed, FeedId, FeedStatus, FeedUpdate};
use crate::store::{Store, View};
use anyhow::Context;
use chrono::Utc;
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

mod add;
mod config_file;
mod export;
mod import;
mod output;
mod remove;

/// tidings: a fast, safe terminal news reader.
#[derive(Debug, Parser)]
#[command(name = "tidings", version, about)]
pub struct Cli {
    /// Feed list to read (default: $TIDINGS_CONFIG, $XDG_CONFIG_HOME/tidings/feeds.toml, ./feeds.toml).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Cache database (default: settings.cache, else $XDG_DATA_HOME/tidings/cache.db).
    #[arg(long, global = true, value_name = "PATH")]
    pub cache: Option<PathBuf>,
    /// Keep nothing between runs: no cache is read or written.
    #[arg(long, global = true)]
    pub no_cache: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Scriptable commands; without one, the interactive reader opens.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Refresh every feed once and print one line per feed and a total.
    Fetch,
    /// Fetch and print headlines.
    List {
        /// Only this feed (its name or URL).
        #[arg(long)]
        feed: Option<String>,
        /// Only feeds with this tag.
        #[arg(long)]
        tag: Option<String>,
        /// Only unread articles.
        #[arg(long)]
        unread: bool,
        /// At most N articles.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// Print one JSON array of article objects.
        #[arg(long)]
        json: bool,
    },
    /// Validate the config and print what it holds.
    Check,
    /// Print the article text of a web page (URL) or a saved HTML file.
    Read {
        /// http(s) URL or path to an .html file.
        target: String,
        /// One line per paragraph, blank line between, no wrapping.
        #[arg(long)]
        plain: bool,
        /// Print {title, byline, published, text} as JSON.
        #[arg(long)]
        json: bool,
        /// Wrap to this many columns (default: the terminal's width, at most 100).
        #[arg(long)]
        width: Option<usize>,
    },
    /// Append the feeds of an OPML file or a newsboat urls file to the config (comments kept).
    Import {
        /// OPML 1.0/2.0 or newsboat urls file.
        file: PathBuf,
    },
    /// Print the config's feeds as OPML 2.0.
    Export,
    /// Add a feed, or the feed a web page links to, after fetching and parsing it.
    Add {
        /// A feed's URL or a web page's.
        url: String,
        /// Name to write (default: the feed's own title).
        #[arg(long, conflicts_with = "all")]
        name: Option<String>,
        /// Tag for the new feed; repeat for more.
        #[arg(long = "tag", value_name = "T")]
        tags: Vec<String>,
        /// Add every feed the page links to, not only the first.
        #[arg(long)]
        all: bool,
    },
    /// Remove a feed (by name or URL) from the config, keeping the file's comments.
    Remove {
        /// The feed's name or URL.
        target: String,
    },
}

/// A failure with the exit code it maps to (2: usage or config, 1: the operation failed).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ExitError {
    pub code: i32,
    pub message: String,
}

/// Run tidings; returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    crate::tui::install_panic_hook();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(run_async(cli))
}

async fn run_async(cli: Cli) -> anyhow::Result<i32> {
    if let Some(Command::Read {
        target,
        plain,
        json,
        width,
    }) = &cli.command
    {
        let limits = read_limits(&cli)?;
        return output::read(target, *plain, *json, *width, limits).await;
    }
    let config_path = cli.config.as_deref();
    match &cli.command {
        Some(Command::Import { file }) => return import::run(config_path, file).await,
        Some(Command::Export) => return export::run(config_path).await,
        Some(Command::Add {
            url,
            name,
            tags,
            all,
        }) => {
            let request = add::AddRequest {
                url,
                name: name.as_deref(),
                tags,
                all: *all,
            };
            return add::run(config_path, request).await;
        }
        Some(Command::Remove { target }) => return remove::run(config_path, target).await,
        _ => {}
    }
    let config = load_config(&cli)?;
    let cache = cache_path(&cli, &config);
    match cli.command {
        None => {
            // Shown in the status bar: stderr would vanish behind the alternate screen.
            let empty_hint = config.feeds.is_empty().then(|| {
                let path = config
                    .path
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                format!(
                    "{path} has no [[feed]] entries yet: add one with a url = \"https://…\" line"
                )
            });
            let client = Arc::new(http_client(&config)?);
            let mut store = store_for(&config);
            let (writer, notice) = open_cache(cache.as_deref(), &mut store, Bodies::Defer)?;
            let mut app = App::new(store, config.settings.clone()).with_cache(writer.is_some());
            if let Some(notice) = notice.or(empty_hint) {
                app.status = Some(StatusNote {
                    text: crate::text::sanitize_line(&notice),
                    is_error: true,
                });
            }
            crate::runtime::run_tui(app, client, writer).await?;
            Ok(0)
        }
        Some(Command::Check) => {
            let path = config
                .path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            println!("{path}: ok, {} feed(s)", config.feeds.len());
            for feed in &config.feeds {
                let name = feed.name.as_deref().unwrap_or("");
                println!("  {}  {}", feed.url, crate::text::sanitize_line(name));
            }
            Ok(0)
        }
        Some(Command::Fetch) => {
            let store = fetch_once(cache.as_deref(), &config).await?;
            Ok(output::print_fetch(&store))
        }
        Some(Command::List {
            feed,
            tag,
            unread,
            limit,
            json,
        }) => {
            let store = fetch_once(cache.as_deref(), &config).await?;
            let view = match (&feed, &tag) {
                (Some(name), _) => View::Feed(find_feed(&store, name)?),
                (None, Some(tag)) => View::Tag(tag.clone()),
                (None, None) => View::All,
            };
            let mut keys = store.query(&view, unread);
            keys.truncate(limit.unwrap_or(usize::MAX));
            output::print_list(&store, &keys, json)?;
            // Failures are messages, not results: stderr, one line per feed.
            for feed in store.feeds() {
                if let FeedStatus::Error { message, .. } = &feed.status {
                    eprintln!("tidings: {}: {message}", feed.display_name());
                }
            }
            let any_loaded = store
                .feeds()
                .iter()
                .any(|f| matches!(f.status, FeedStatus::Ok { .. }));
            Ok(if any_loaded || store.feeds().is_empty() {
                0
            } else {
                1
            })
        }
        Some(
            Command::Read { .. }
            | Command::Import { .. }
            | Command::Export
            | Command::Add { .. }
            | Command::Remove { .. },
        ) => unreachable!("handled above"),
    }
}

fn load_config(cli: &Cli) -> Result<Config, ExitError> {
    let to_exit = |e: ConfigError| ExitError {
        code: 2,
        message: e.to_string(),
    };
    let path = config::locate(cli.config.as_deref()).map_err(to_exit)?;
    config::load(&path).map_err(to_exit)
}

/// The network limits of `settings`.
fn limits(settings: &config::Settings) -> Limits {
    Limits {
        timeout: Duration::from_secs(settings.timeout_seconds.max(1)),
        max_bytes: settings.max_feed_bytes,
    }
}

/// `read` honours the config's limits too, but needs no config: with none found it uses the defaults.
fn read_limits(cli: &Cli) -> Result<Limits, ExitError> {
    match load_config(cli) {
        Ok(config) => Ok(limits(&config.settings)),
        Err(_)
            if matches!(
                config::locate(cli.config.as_deref()),
                Err(ConfigError::NotFound { .. })
            ) =>
        {
            Ok(limits(&config::Settings::default()))
        }
        Err(e) => Err(e),
    }
}

fn http_client(config: &Config) -> Result<HttpClient, ExitError> {
    HttpClient::new(limits(&config.settings)).map_err(|e| ExitError {
        code: 1,
        message: format!("cannot set up HTTP: {e}"),
    })
}

/// The store for a config: one feed per `[[feed]]`, in order, no articles yet.
pub fn store_for(config: &Config) -> Store {
    Store::new(
        config
            .feeds
            .iter()
            .enumerate()
            .map(|(i, f)| Feed {
                id: FeedId(i),
                url: f.url.to_string(),
                configured_name: f.name.clone(),
                feed_title: None,
                tags: f.tags.clone(),
                full_text: f.full_text,
                status: FeedStatus::NeverFetched,
                retry_not_before: None,
                validators: Default::default(),
            })
            .collect(),
    )
}

/// Where the cache lives: none with `--no-cache`, else `--cache`, else `settings.cache`, else
/// `$XDG_DATA_HOME/tidings/cache.db` (the platform's data folder).
pub fn cache_path(cli: &Cli, config: &Config) -> Option<PathBuf> {
    if cli.no_cache {
        return None;
    }
    let path = cli
        .cache
        .clone()
        .or_else(|| config.settings.cache.clone())
        .or_else(|| {
            directories::ProjectDirs::from("", "", "tidings").map(|d| d.data_dir().join("cache.db"))
        });
    if path.is_none() {
        eprintln!("tidings: no data folder for the cache; running without one (pass --cache PATH)");
    }
    path
}

/// Open the cache at `path` (none: run in memory) and fill `store` from it; a recovery notice also
/// goes to stderr.
fn open_cache(
    path: Option<&Path>,
    store: &mut Store,
    bodies: Bodies,
) -> Result<(Option<CacheWriter>, Option<String>), ExitError> {
    let Some(path) = path else {
        return Ok((None, None));
    };
    let (cache, notice) = Cache::open_and_load(path, store, bodies).map_err(|e| ExitError {
        code: 1,
        message: e.to_string(),
    })?;
    if let Some(notice) = &notice {
        eprintln!("tidings: {}", crate::text::sanitize_line(notice));
    }
    Ok((Some(cache.into_writer()), notice))
}

/// Refresh every feed once (conditionally, with the cached validators), save each feed as it finishes,
/// and return the filled store.
async fn fetch_once(cache: Option<&Path>, config: &Config) -> anyhow::Result<Store> {
    let client = Arc::new(http_client(config)?);
    let mut store = store_for(config);
    let (writer, _) = open_cache(cache, &mut store, Bodies::Load)?;
    // A server that answered 429/503 with Retry-After is left alone until then, across runs too.
    let now = Utc::now();
    let jobs: Vec<RefreshJob> = store
        .feeds()
        .iter()
        .filter(|f| !f.waiting_at(now))
        .filter_map(|f| {
            // `store_for` numbers feeds by config index; a disabled feed is never requested.
            let settings = config.feeds.get(f.id.0).filter(|s| s.enabled)?;
            Some(RefreshJob {
                feed: f.id,
                url: url::Url::parse(&f.url).ok()?,
                validators: f.validators.clone(),
                options: feed::http::FetchOptions::new(
                    settings.timeout_seconds,
                    settings.user_agent.clone(),
                    settings.headers.clone(),
                ),
            })
        })
        .collect();
    let (tx, mut rx) = mpsc::channel::<FeedUpdate>(1024);
    let task = tokio::spawn(feed::refresh_all(
        client,
        jobs,
        config.settings.concurrency.max(1),
        tx,
    ));
    while let Some(update) = rx.recv().await {
        let feed = update.feed();
        let finished = !matches!(update, FeedUpdate::Started(_));
        store.apply(update, Utc::now());
        if finished {
            let retention = Retention::new(
                config.settings.max_articles_per_feed,
                config.settings.keep_days,
                Utc::now(),
            );
            store.retain(feed, retention.max, retention.cutoff);
            if let (Some(writer), Some(snapshot)) = (&writer, FeedSnapshot::of(&store, feed)) {
                writer.save_feed(snapshot, retention);
            }
        }
    }
    task.await.context("refresh task failed")?;
    if let Some(mut writer) = writer {
        let finished = writer.shutdown(crate::cache::SHUTDOWN_TIMEOUT);
        match writer.take_error() {
            Some(error) => eprintln!("tidings: {}", crate::text::sanitize_line(&error)),
            None if !finished => eprintln!("tidings: the cache writer did not finish in time"),
            None => {}
        }
    }
    Ok(store)
}

fn find_feed(store: &Store, name: &str) -> Result<FeedId, ExitError> {
    store
        .feeds()
        .iter()
        .find(|f| f.display_name().eq_ignore_ascii_case(name) || f.url == name)
        .map(|f| f.id)
        .ok_or_else(|| ExitError {
            code: 2,
            message: format!(
                "no feed named {:?} in the config",
                crate::text::sanitize_line(name)
            ),
        })
}
