//! The loop: terminal events, feed updates and async replies become `Msg`s; `update` runs; effects run;
//! the screen is drawn once per batch, only when something changed.

use crate::app::{App, Effect, Msg, StatusNote};
use crate::cache::{CacheWriter, FeedSnapshot, FlagWrite, Retention};
use crate::feed::{self, http::HttpClient, RefreshJob};
use crate::model::FeedUpdate;
use crate::tui::TerminalGuard;
use crossterm::event::{Event, EventStream, KeyEventKind};
use futures_util::StreamExt;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use url::Url;

const TICK: Duration = Duration::from_millis(250);

/// Everything the effects need: the HTTP client and the channels replies come back on.
struct Runner {
    client: Arc<HttpClient>,
    concurrency: usize,
    updates: mpsc::Sender<FeedUpdate>,
    replies: mpsc::Sender<Msg>,
    /// Saves go here, and body reads too (see `CacheWriter::read_body`); `None` with `--no-cache`.
    /// Dropped (and so flushed) when the loop ends.
    cache: Option<CacheWriter>,
}

/// Run the interactive reader until the user quits; `cache` receives every save and is flushed on exit.
pub async fn run_tui(
    mut app: App,
    client: Arc<HttpClient>,
    cache: Option<CacheWriter>,
) -> anyhow::Result<()> {
    let mut guard = TerminalGuard::enter()?;
    let (update_tx, mut update_rx) = mpsc::channel::<FeedUpdate>(1024);
    let (reply_tx, mut reply_rx) = mpsc::channel::<Msg>(64);
    let runner = Runner {
        client,
        concurrency: app.settings.concurrency.max(1),
        updates: update_tx,
        replies: reply_tx,
        cache,
    };
    let size = guard.terminal.size()?;
    let mut pending = vec![
        Msg::Resize {
            width: size.width,
            height: size.height,
        },
        Msg::Start,
    ];
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(TICK);
    let auto_minutes = app.settings.refresh_minutes;
    let auto_period = Duration::from_secs(auto_minutes.max(1).saturating_mul(60));
    let mut auto_refresh =
        tokio::time::interval_at(tokio::time::Instant::now() + auto_period, auto_period);

    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        for msg in pending.drain(..) {
            for effect in app.update(msg) {
                runner.run(effect, &app);
            }
        }
        if let Some(error) = runner.cache.as_ref().and_then(CacheWriter::take_error) {
            app.status = Some(StatusNote {
                text: error,
                is_error: true,
            });
            app.dirty = true;
        }
        if app.should_quit {
            break;
        }
        if app.dirty {
            guard.terminal.draw(|frame| crate::ui::draw(frame, &app))?;
            app.dirty = false;
        }
        tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => pending.extend(translate(event)),
                Some(Err(e)) => return Err(e.into()),
                None => break,
            },
            Some(update) = update_rx.recv() => pending.push(Msg::Feed(update)),
            Some(reply) = reply_rx.recv() => pending.push(reply),
            _ = tick.tick() => pending.push(Msg::Tick),
            _ = auto_refresh.tick(), if auto_minutes > 0 => pending.push(Msg::AutoRefresh),
            // `kill PID` or a closed terminal window: leave like `q` does (terminal restored, saves flushed).
            _ = &mut shutdown => break,
        }
        // Coalesce: take everything already queued before drawing again.
        while let Ok(update) = update_rx.try_recv() {
            pending.push(Msg::Feed(update));
        }
        while let Ok(reply) = reply_rx.try_recv() {
            pending.push(reply);
        }
    }
    drop(guard);
    // The terminal is back; now wait (bounded) for the last saves to be committed.
    drop(runner);
    Ok(())
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

impl Runner {
    /// Full text for the open article: the copy stored in the cache when there is one (fetched once),
    /// else the page, extracted; a fetched page is also handed back for saving.
    fn fetch_full_text(&self, generation: u64, url: String, app: &App) {
        let replies = self.replies.clone();
        let client = self.client.clone();
        let article = app
            .reader
            .as_ref()
            .filter(|r| r.generation == generation)
            .map(|r| (r.feed, r.id.clone()));
        let base = Url::parse(&url).ok();
        let fetch = {
            let replies = replies.clone();
            let article = article.clone();
            async move {
                let result = match Url::parse(&url) {
                    Ok(url) => crate::extract::fetch_article(
                        &client,
                        &url,
                        crate::extract::RenderStyle::Footnotes,
                    )
                    .await
                    .map_err(|e| e.to_string()),
                    Err(e) => Err(format!("bad link: {e}")),
                };
                let result = match result {
                    Ok((extracted, rendered)) => {
                        if let Some((feed, id)) = article {
                            let html = extracted.html;
                            let _ = replies.send(Msg::FullTextFetched { feed, id, html }).await;
                        }
                        Ok(rendered)
                    }
                    Err(e) => Err(e),
                };
                let _ = replies.send(Msg::FullText { generation, result }).await;
            }
        };
        let stored_in = article.and_then(|(feed, id)| {
            Some((self.cache.as_ref()?, app.store.feed(feed)?.url.clone(), id))
        });
        let Some((cache, feed_url, id)) = stored_in else {
            tokio::spawn(fetch);
            return;
        };
        let handle = tokio::runtime::Handle::current();
        cache.read_full_text(
            feed_url,
            id,
            Box::new(move |stored| match stored {
                Ok(Some(html)) => {
                    let rendered = crate::text::render_html(&html, base.as_ref());
                    let result = Ok(rendered);
                    let _ = replies.blocking_send(Msg::FullText { generation, result });
                }
                _ => drop(handle.spawn(fetch)),
            }),
        );
    }

    fn run(&self, effect: Effect, app: &App) {
        match effect {
            Effect::Refresh(feeds) => {
                let jobs: Vec<RefreshJob> = feeds
                    .into_iter()
                    .filter_map(|id| {
                        let feed = app.store.feed(id)?;
                        Some(RefreshJob {
                            feed: id,
                            url: Url::parse(&feed.url).ok()?,
                            validators: feed.validators.clone(),
                            // Per-feed request settings: the lead's session wires them (config → Feed).
                            options: Default::default(),
                        })
                    })
                    .collect();
                tokio::spawn(feed::refresh_all(
                    self.client.clone(),
                    jobs,
                    self.concurrency,
                    self.updates.clone(),
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
                id,
            } => {
                let replies = self.replies.clone();
                let feed_url = app
                    .store
                    .feed(feed)
                    .map(|f| f.url.clone())
                    .unwrap_or_default();
                let wanted = id.clone();
                let reply = move |body: Result<crate::cache::StoredBody, _>| {
                    let (summary, content) = match body {
                        Ok(body) => body,
                        Err(e) => (
                            None,
                            Some(format!("<p>(could not read the cache: {e})</p>")),
                        ),
                    };
                    let msg = Msg::BodyLoaded {
                        generation,
                        feed,
                        id,
                        summary,
                        content,
                    };
                    // Runs on the writer thread, outside tokio: blocking here is allowed.
                    let _ = replies.blocking_send(msg);
                };
                match &self.cache {
                    // Through the writer's queue, so a body saved a moment ago is found.
                    Some(cache) => cache.read_body(feed_url, wanted, Box::new(reply)),
                    // No cache, nothing deferred; answer off this (async) thread all the same.
                    None => drop(tokio::task::spawn_blocking(move || reply(Ok((None, None))))),
                }
            }
            Effect::FetchFullText { generation, url } => self.fetch_full_text(generation, url, app),
            Effect::SaveFullText { feed, id, html } => {
                if let (Some(cache), Some(f)) = (&self.cache, app.store.feed(feed)) {
                    cache.save_full_text(f.url.clone(), id, html);
                }
            }
            Effect::SaveFeed { feed, bodies } => {
                if let (Some(cache), Some(mut snapshot)) =
                    (&self.cache, FeedSnapshot::of(&app.store, feed))
                {
                    snapshot.attach_bodies(bodies);
                    let retention = Retention::new(
                        app.settings.max_articles_per_feed,
                        app.settings.keep_days,
                        chrono::Utc::now(),
                    );
                    cache.save_feed(snapshot, retention);
                }
            }
            Effect::SaveFlags(changes) => {
                if let Some(cache) = &self.cache {
                    let flags = changes
                        .into_iter()
                        .filter_map(|c| {
                            Some(FlagWrite {
                                feed_url: app.store.feed(c.feed)?.url.clone(),
                                id: c.id,
                                read: c.read,
                                starred: c.starred,
                            })
                        })
                        .collect();
                    cache.save_flags(flags);
                }
            }
            Effect::Quit => {}
        }
    }
}
