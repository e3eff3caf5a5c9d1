//! The loop: terminal events, feed updates and async replies become `Msg`s; `update` runs; effects run;
//! the screen is drawn once per batch, only when something changed. Generic over the ratatui backend
//! and the event source, so a test drives the real loop into a `TestBackend`.

use crate::app::{App, Effect, FullTextPage, Msg};
use crate::backlog::Backlog;
use crate::cache::CacheWorker;
use crate::feed::{self, http::HttpClient};
use crate::model::FeedUpdate;
use crate::session::Session;
use crate::tui::TerminalGuard;
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
        };
        let inbox = Inbox {
            updates: update_rx,
            replies: reply_rx,
        };
        (runner, inbox)
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
            Effect::Render {
                generation,
                html,
                base,
            } => {
                let replies = self.replies.clone();
                tokio::task::spawn_blocking(move || {
                    let base = base.as_deref().and_then(|b| Url::parse(b).ok());
                    let rendered = crate::text::render_html(&html, base.as_ref());
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

/// Split a session into what the TUI runs on: the app (store, settings, whether a cache takes saves),
/// the runner that executes its effects, and the inbox their replies arrive in.
pub fn start(session: Session) -> (App, Runner, Inbox) {
    let Session {
        config,
        store,
        cache,
        notice,
        client,
        ..
    } = session;
    let mut app = App::new(store, config.settings.clone()).with_cache(cache.is_some());
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
    let (runner, inbox) = Runner::new(client, config.settings.concurrency, cache);
    (app, runner, inbox)
}

/// Run the interactive reader on an open session until the user quits; the cache is flushed on exit.
pub async fn run_tui(session: Session) -> anyhow::Result<()> {
    let (app, runner, inbox) = start(session);
    let mut guard = TerminalGuard::enter()?;
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
    let auto_minutes = app.settings.refresh_minutes;
    let auto_period = Duration::from_secs(auto_minutes.max(1).saturating_mul(60));
    let mut auto_refresh =
        tokio::time::interval_at(tokio::time::Instant::now() + auto_period, auto_period);
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
            _ = auto_refresh.tick(), if auto_minutes > 0 => pending.push(Msg::AutoRefresh),
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
