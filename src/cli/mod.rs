//! The command line: clap definitions and dispatch. Each command has a file of its own and runs on
//! the shared core (`session`); the TUI (no subcommand) starts in `runtime`.

use crate::config::{self, Config, ConfigError};
use crate::session::{self, Headlines, Session, SessionError};
use anyhow::Context;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

mod add;
mod config_file;
mod export;
mod fetch;
mod import;
mod list;
mod read;
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
    /// Show pictures in articles as `[image: alt]` only, whatever settings.images says.
    #[arg(long, global = true)]
    pub no_images: bool,
    /// Colours in the reader: never, auto (unless NO_COLOR is set) or always.
    #[arg(long, global = true, value_enum, default_value_t, value_name = "WHEN")]
    pub color: crate::ui::theme::ColorMode,
    /// The command to run; `None` opens the interactive reader.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Scriptable commands; without one, the interactive reader opens.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Refresh every feed once and print one line per feed and a total.
    Fetch,
    /// Print the stored headlines (no network; with --no-cache the feeds are fetched first).
    List(list::ListArgs),
    /// Validate the config and print what it holds.
    Check,
    /// Print the article text of a web page (URL) or a saved HTML file.
    Read(read::ReadArgs),
    /// Append the feeds of an OPML file or a newsboat urls file to the config (comments kept).
    Import {
        /// OPML 1.0/2.0 or newsboat urls file.
        file: PathBuf,
    },
    /// Print the config's feeds as OPML 2.0 (htmlUrl from the cache, for feeds fetched before).
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
    /// Process exit status: 2 for usage or config mistakes, 1 when the operation failed.
    pub code: i32,
    /// One line for stderr, already naming what failed.
    pub message: String,
}

impl From<SessionError> for ExitError {
    fn from(e: SessionError) -> Self {
        ExitError {
            code: 1,
            message: e.to_string(),
        }
    }
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
    let config_path = cli.config.as_deref();
    match &cli.command {
        Some(Command::Read(args)) => return read::run(args, read_limits(&cli)?).await,
        Some(Command::Import { file }) => return import::run(config_path, file).await,
        Some(Command::Export) => return export::run(&cli).await,
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
        Some(Command::Remove { target }) => return remove::run(&cli, target).await,
        _ => {}
    }
    let mut config = load_config(&cli)?;
    if cli.no_images {
        config.settings.images = crate::config::ImageMode::Off;
    }
    let ui = crate::runtime::ui_settings(&config, cli.color).map_err(|e| ExitError {
        code: 2,
        message: e.to_string(),
    })?;
    if let Some(Command::Check) = &cli.command {
        return Ok(check(&config));
    }
    let cache = cache_path(&cli, &config);
    // `fetch` needs a feed's headlines only while it refreshes that feed, and `list` reads them from
    // the cache one at a time; the reader shows them all.
    let headlines = match cli.command {
        Some(Command::Fetch | Command::List(_)) => Headlines::FeedByFeed,
        _ => Headlines::All,
    };
    let session = Session::open(config, cache.as_deref(), headlines).map_err(ExitError::from)?;
    if let Some(notice) = &session.notice {
        eprintln!("tidings: {}", crate::text::sanitize_line(notice));
    }
    match cli.command {
        None => {
            crate::runtime::run_tui(session, ui).await?;
            Ok(0)
        }
        Some(Command::Fetch) => fetch::run(session).await,
        Some(Command::List(args)) => list::run(session, &args).await,
        Some(
            Command::Check
            | Command::Read(_)
            | Command::Import { .. }
            | Command::Export
            | Command::Add { .. }
            | Command::Remove { .. },
        ) => unreachable!("handled above"),
    }
}

/// `tidings check`: the config's path and feeds.
fn check(config: &Config) -> i32 {
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
    0
}

fn load_config(cli: &Cli) -> Result<Config, ExitError> {
    let to_exit = |e: ConfigError| ExitError {
        code: 2,
        message: e.to_string(),
    };
    let path = config::locate(cli.config.as_deref()).map_err(to_exit)?;
    config::load(&path).map_err(to_exit)
}

/// `read` honours the config's limits too, but needs no config: with none found it uses the defaults.
fn read_limits(cli: &Cli) -> Result<crate::feed::http::Limits, ExitError> {
    match load_config(cli) {
        Ok(config) => Ok(session::limits(&config.settings)),
        Err(_)
            if matches!(
                config::locate(cli.config.as_deref()),
                Err(ConfigError::NotFound { .. })
            ) =>
        {
            Ok(session::limits(&config::Settings::default()))
        }
        Err(e) => Err(e),
    }
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

/// Failed feeds on stderr, one line each (results go to stdout).
fn report_failures(store: &crate::store::Store) {
    for feed in store.feeds() {
        if let crate::model::FeedStatus::Error { message, .. } = &feed.status {
            eprintln!("tidings: {}: {message}", feed.display_name());
        }
    }
}
