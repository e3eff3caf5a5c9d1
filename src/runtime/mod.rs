//! The loop: terminal events, feed updates and async replies become `Msg`s; `update` runs; effects run;
//! the screen is drawn once per batch, only when something changed. Generic over the ratatui backend
//! and the event source, so a test drives the real loop into a `TestBackend`.

use crate::app::keys::Keymap;
use crate::app::{App, Msg};
use crate::config::{Config, ConfigError};
use crate::session::Session;
use crate::tui::TerminalGuard;
use crate::ui::theme::{ColorMode, Theme};
use crossterm::event::{Event, EventStream, KeyEventKind};
use futures_util::{Stream, StreamExt};
use ratatui::backend::Backend;
use ratatui::Terminal;
use std::future::Future;

use std::time::Duration;

mod runner;
mod subscriptions;

pub use runner::{Inbox, Runner};

const TICK: Duration = Duration::from_millis(250);

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
        ..
    } = session;
    let mut app = App::new(store, config.settings.clone())
        .with_cache(cache.is_some())
        .with_query_feeds(&config.queries)
        .with_config_path(config.path.clone());
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
    let mut guard = TerminalGuard::enter(app.settings.mouse)?;
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
        Event::Mouse(mouse) => Some(Msg::Mouse(mouse)),
        _ => None,
    }
}
