//! The loop: terminal events, feed updates and async replies become `Msg`s; `update` runs; effects run;
//! the screen is drawn once per batch, only when something changed. Generic over the ratatui backend
//! and the event source, so a test drives the real loop into a `TestBackend`.

use crate::app::keys::Keymap;
use crate::app::{App, Effect, FullTextPage, Msg};
use crate::backlog::Backlog;
use crate::cache::CacheWorker;
use crate::config::{Config, ConfigError};
use crate::feed::{self, http::HttpClient};
use crate::model::FeedUpdate;
use crate::session::Session;
use crate::tui::TerminalGuard;
use crate::ui::theme::{ColorMode, Theme};
use crossterm::event::{Event, EventStream, KeyEventKind};
use futures_util::{Stream, StreamExt};
use ratatui::backend::Backend;
use ratatui::Terminal;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use url::Url;

const TICK: Duration = Duration::from_millis(250);

/// Executes effects: the HTTP client, the cache worker and the channels replies come back on. It never
/// sees `App`; every effect carries what it needs.
pub struct Runner {
    client: Arc<HttpClient>,
    concurrency: usize,
    updates: mpsc::Sender<FeedUpdate>,
    replies: mpsc::Sender<Msg>,
    /// Saves and body reads go here; `None` with `--no-cache`. Dropped (and so flushed) with the runner.
    cache: Option<CacheWorker>,
    /// Fetches, keeps and encodes pictures; `None` when `settings.images` is "off".
    pictures: Option<Arc<crate::pictures::PictureMaker>>,
    /// The cache file, for full-text searches on a read-only connection of their own.
    search_index: Option<std::path::PathBuf>,
}

/// The receiving ends of a runner's channels, polled by the loop.
pub struct Inbox {
    updates: mpsc::Receiver<FeedUpdate>,
    replies: mpsc::Receiver<Msg>,
}

impl Runner {
    /// A runner over `client` and `cache`, and the inbox its replies arrive in.
    pub fn new(
        client: Arc<HttpClient>,
        concurrency: usize,
        cache: Option<CacheWorker>,
    ) -> (Runner, Inbox) {
        let (updates, update_rx) = mpsc::channel(1024);
        let (replies, reply_rx) = mpsc::channel(64);
        let runner = Runner {
            client,
            concurrency: concurrency.max(1),
            updates,
            replies,
            cache,
            pictures: None,
            search_index: None,
        };
        let inbox = Inbox {
            updates: update_rx,
            replies: reply_rx,
        };
        (runner, inbox)
    }

    /// Draw pictures with the terminal's own protocol (kitty, sixel, iTerm2) when it answers the
    /// query, else keep half-blocks. Call with the terminal in raw mode, before the loop reads input.
    pub fn detect_picture_protocol(&mut self) {
        if let Some(detected) = self.pictures.as_ref().and_then(|m| m.detected()) {
            self.pictures = Some(Arc::new(detected));
        }
    }

    /// Draw pictures with `maker` (without one, every picture keeps its placeholder).
    pub fn with_pictures(mut self, maker: crate::pictures::PictureMaker) -> Self {
        self.pictures = Some(Arc::new(maker));
        self
    }

    /// Answer `Effect::SearchText` from the cache at `path` (its full-text index).
    pub fn with_search_index(mut self, path: Option<std::path::PathBuf>) -> Runner {
        self.search_index = path;
        self
    }

    fn backlog(&self) -> Option<Backlog> {
        self.cache.as_ref().map(CacheWorker::backlog)
    }

    /// Run one effect; its result comes back through the inbox as a `Msg`.
    pub fn run(&self, effect: Effect) {
        match effect {
            Effect::Refresh(jobs) => {
                tokio::spawn(feed::refresh_paced(
                    self.client.clone(),
                    jobs,
                    self.concurrency,
                    self.updates.clone(),
                    self.backlog(),
                ));
            }
            Effect::OpenLink(url) => {
                let replies = self.replies.clone();
                tokio::task::spawn_blocking(move || {
                    // `open` runs the platform opener with the URL as a single argument: no shell.
                    if let Err(e) = open::that_detached(&url) {
                        let _ = replies
                            .blocking_send(Msg::OpenFailed(format!("could not open link: {e}")));
                    }
                });
            }
            Effect::RunPlayer { program, args } => {
                let replies = self.replies.clone();
                tokio::task::spawn_blocking(move || {
                    if let Err(e) = crate::opener::run_player(&program, &args) {
                        let _ = replies.blocking_send(Msg::OpenFailed(e.to_string()));
                    }
                });
            }
            Effect::Render {
                generation,
                html,
                base,
                images,
            } => {
                let replies = self.replies.clone();
                tokio::task::spawn_blocking(move || {
                    let base = base.as_deref().and_then(|b| Url::parse(b).ok());
                    let rendered = if images {
                        crate::text::render_html_with_images(&html, base.as_ref())
                    } else {
                        crate::text::render_html(&html, base.as_ref())
                    };
                    let _ = replies.blocking_send(Msg::Rendered {
                        generation,
                        rendered,
                    });
                });
            }
            Effect::LoadBody {
                generation,
                feed,
                feed_url,
                id,
            } => {
                let replies = self.replies.clone();
                let wanted = id.clone();
                // Called on the worker thread, outside tokio: blocking here is allowed; no work is done.
                let reply = move |body: Result<crate::cache::StoredBody, _>| {
                    let (summary, content) = body.unwrap_or_else(|e| {
                        (
                            None,
                            Some(format!("<p>(could not read the cache: {e})</p>")),
                        )
                    });
                    let _ = replies.blocking_send(Msg::BodyLoaded {
                        generation,
                        feed,
                        id,
                        summary,
                        content,
                    });
                };
                match &self.cache {
                    Some(cache) => cache.read_body(feed_url, wanted, Box::new(reply)),
                    None => drop(tokio::task::spawn_blocking(move || reply(Ok((None, None))))),
                }
            }
            Effect::ReadStoredFullText {
                generation,
                feed_url,
                id,
            } => {
                let replies = self.replies.clone();
                let reply = move |stored: Result<Option<String>, _>| {
                    let html = stored.ok().flatten();
                    let _ = replies.blocking_send(Msg::StoredFullText { generation, html });
                };
                match &self.cache {
                    Some(cache) => cache.read_full_text(feed_url, id, Box::new(reply)),
                    None => drop(tokio::task::spawn_blocking(move || reply(Ok(None)))),
                }
            }
            Effect::FetchFullText { generation, url } => {
                let replies = self.replies.clone();
                let client = self.client.clone();
                tokio::spawn(async move {
                    let result = fetch_full_text(&client, &url).await;
                    let _ = replies.send(Msg::FullText { generation, result }).await;
                });
            }
            Effect::FetchComments { generation, url } => {
                let replies = self.replies.clone();
                let client = self.client.clone();
                tokio::spawn(async move {
                    let result = feed::comments::fetch_comments(&client, &url)
                        .await
                        .map_err(|e| e.to_string());
                    let _ = replies.send(Msg::Comments { generation, result }).await;
                });
            }
            Effect::FetchPicture {
                id,
                index,
                url,
                cols,
                rows,
            } => {
                let replies = self.replies.clone();
                let maker = self.pictures.clone();
                tokio::spawn(async move {
                    let result = match maker {
                        Some(maker) => maker
                            .load(&url, cols, rows)
                            .await
                            .map_err(|e| e.to_string()),
                        None => Err("pictures are off".to_string()),
                    };
                    let msg = Msg::Picture {
                        id,
                        index,
                        url,
                        result,
                    };
                    let _ = replies.send(msg).await;
                });
            }
            Effect::SaveFeed(snapshot) => {
                if let Some(cache) = &self.cache {
                    cache.save_feed(snapshot);
                }
            }
            Effect::SaveFullText { feed_url, id, html } => {
                if let Some(cache) = &self.cache {
                    cache.save_full_text(feed_url, id, html);
                }
            }
            Effect::SaveFlags(flags) => {
                if let Some(cache) = &self.cache {
                    cache.save_flags(flags);
                }
            }
            Effect::SearchText { generation, query } => {
                let replies = self.replies.clone();
                let path = self.search_index.clone();
                tokio::task::spawn_blocking(move || {
                    let result = match path {
                        Some(path) => crate::cache::search::SearchIndex::open(&path)
                            .and_then(|index| index.resolve(&query))
                            .map_err(|e| e.to_string()),
                        None => Err("no cache to search".to_string()),
                    };
                    let _ = replies.blocking_send(Msg::TextHits { generation, result });
                });
            }
            Effect::Quit => {}
        }
    }

    /// The cache's latest failure, as a message for `update`.
    fn cache_failure(&self) -> Option<Msg> {
        self.cache
            .as_ref()
            .and_then(CacheWorker::take_error)
            .map(Msg::CacheFailed)
    }
}

/// Fetch and extract a page (rendering happens in the extraction task, off the UI thread).
async fn fetch_full_text(client: &HttpClient, url: &str) -> Result<FullTextPage, String> {
    let url = Url::parse(url).map_err(|e| format!("bad link: {e}"))?;
    let (extracted, rendered) =
        crate::extract::fetch_article(client, &url, crate::extract::RenderStyle::Footnotes)
            .await
            .map_err(|e| e.to_string())?;
    Ok(FullTextPage {
        html: extracted.html,
        rendered,
    })
}

/// The keys and colours a config asks for, checked before the terminal is taken.
pub struct UiSettings {
    /// The keymap in effect.
    pub keymap: Keymap,
    /// The colours in effect.
    pub theme: Theme,
}

/// Check `[keys]` and `[theme]`: a bad entry is an error at its line and column (exit 2).
pub fn ui_settings(config: &Config, color: ColorMode) -> Result<UiSettings, ConfigError> {
    let keymap = Keymap::from_entries(&config.keys)
        .map_err(|e| config.error_at(e.line, e.col, &e.message))?;
    let theme = Theme::from_entries(&config.theme, color, crate::ui::theme::no_color_env())
        .map_err(|e| config.error_at(e.line, e.col, &e.message))?;
    Ok(UiSettings { keymap, theme })
}

/// Split a session into what the TUI runs on: the app (store, settings, whether a cache takes saves),
/// the runner that executes its effects, and the inbox their replies arrive in.
pub fn start(session: Session) -> (App, Runner, Inbox) {
    let Session {
        config,
        store,
        cache,
        notice,
        client,
        cache_path,
    } = session;
    let mut app = App::new(store, config.settings.clone())
        .with_cache(cache.is_some())
        .with_query_feeds(&config.queries);
    // Shown in the status bar: stderr would vanish behind the alternate screen.
    let empty_hint = config.feeds.is_empty().then(|| {
        let path = config
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        format!("{path} has no [[feed]] entries yet: add one with a url = \"https://…\" line")
    });
    if let Some(notice) = notice.or(empty_hint) {
        app.note_error(notice);
    }
    let search_index = cache_path.clone().filter(|_| cache.is_some());
    let (runner, inbox) = Runner::new(client, config.settings.concurrency, cache);
    let runner = match crate::pictures::PictureMaker::for_settings(
        &config.settings,
        cache_path.as_deref(),
    ) {
        Some(maker) => runner.with_pictures(maker),
        None => runner,
    };
    let runner = runner.with_search_index(search_index);
    (app, runner, inbox)
}

/// Run the interactive reader on an open session until the user quits; the cache is flushed on exit.
pub async fn run_tui(session: Session, ui: UiSettings) -> anyhow::Result<()> {
    let (mut app, mut runner, inbox) = start(session);
    app.keymap = ui.keymap;
    crate::ui::theme::install(ui.theme);
    let mut guard = TerminalGuard::enter()?;
    if app.settings.images == crate::config::ImageMode::Auto {
        runner.detect_picture_protocol();
    }
    let result = run_loop(
        &mut guard.terminal,
        EventStream::new(),
        app,
        &runner,
        inbox,
        shutdown_signal(),
    )
    .await;
    drop(guard);
    // The terminal is back; now wait (bounded) for the last saves to be committed.
    drop(runner);
    result.map(drop)
}

/// The loop itself, over any backend and any event source; returns the app when the user quits, the
/// events end, or `stop` resolves.
pub async fn run_loop<B, E>(
    terminal: &mut Terminal<B>,
    mut events: E,
    mut app: App,
    runner: &Runner,
    mut inbox: Inbox,
    stop: impl Future<Output = ()>,
) -> anyhow::Result<App>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
    E: Stream<Item = std::io::Result<Event>> + Unpin,
{
    let size = terminal.size()?;
    let mut pending = vec![
        Msg::Resize {
            width: size.width,
            height: size.height,
        },
        Msg::Start,
    ];
    let mut tick = tokio::time::interval(TICK);
    // Once a minute, while any feed refreshes by itself; `update` picks the feeds that are due.
    let auto_on = app.settings.refresh_minutes > 0
        || app
            .store
            .feeds()
            .iter()
            .any(|f| f.refresh_minutes.unwrap_or(0) > 0);
    let minute = Duration::from_secs(60);
    let mut auto_refresh = tokio::time::interval_at(tokio::time::Instant::now() + minute, minute);
    tokio::pin!(stop);
    loop {
        pending.extend(runner.cache_failure());
        for msg in pending.drain(..) {
            for effect in app.update(msg) {
                runner.run(effect);
            }
        }
        if app.should_quit {
            break;
        }
        if app.dirty {
            terminal.draw(|frame| crate::ui::draw(frame, &app))?;
            app.dirty = false;
        }
        tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => pending.extend(translate(event)),
                Some(Err(e)) => return Err(e.into()),
                None => break,
            },
            Some(update) = inbox.updates.recv() => pending.push(Msg::Feed(update)),
            Some(reply) = inbox.replies.recv() => pending.push(reply),
            _ = tick.tick() => pending.push(Msg::Tick),
            _ = auto_refresh.tick(), if auto_on => pending.push(Msg::AutoRefresh),
            // `kill PID` or a closed terminal window: leave like `q` does (terminal restored, saves flushed).
            _ = &mut stop => break,
        }
        // Coalesce: take everything already queued before drawing again.
        while let Ok(update) = inbox.updates.try_recv() {
            pending.push(Msg::Feed(update));
        }
        while let Ok(reply) = inbox.replies.try_recv() {
            pending.push(reply);
        }
    }
    Ok(app)
}

/// Resolves on SIGTERM or SIGHUP (never elsewhere), so the loop can leave as cleanly as on `q`.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) {
            (Ok(mut term), Ok(mut hup)) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = hup.recv() => {}
                }
            }
            _ => std::future::pending::<()>().await,
        }
    }
    #[cfg(not(unix))]
    std::future::pending::<()>().await
}

/// Terminal event → message; key releases and repeats-as-releases are dropped here.
fn translate(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) if key.kind == KeyEventKind::Press => Some(Msg::Key(key)),
        Event::Resize(width, height) => Some(Msg::Resize { width, height }),
        _ => None,
    }
}
