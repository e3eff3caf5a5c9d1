//! Running effects: each `Effect` is executed without looking at `App`, and its result comes back
//! through the inbox as a `Msg`.

use crate::app::{Effect, FullTextPage, Msg};
use crate::backlog::Backlog;
use crate::cache::CacheWorker;
use crate::feed::{self, http::HttpClient};
use crate::model::FeedUpdate;
use std::sync::Arc;
use tokio::sync::mpsc;
use url::Url;

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
    pub(super) updates: mpsc::Receiver<FeedUpdate>,
    pub(super) replies: mpsc::Receiver<Msg>,
}

impl Runner {
    /// A runner over `client` and `cache`, and the inbox its replies arrive in.
    pub fn new(
        client: Arc<HttpClient>,
        concurrency: usize,
        cache: Option<CacheWorker>,
    ) -> (Runner, Inbox) {
        // One: a parsed feed waits here with its bodies until `update` ingests it, and the parsers
        // wait for it (measured: 4 places cost the first run 4-8 MB at 500 feeds; speed unchanged).
        let (updates, update_rx) = mpsc::channel(1);
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
            Effect::CopyToClipboard(text) => {
                // OSC 52: the terminal puts the (base64) text on the clipboard. Only a sanitised URL
                // ever gets here, and only when the user pressed `y`.
                use base64::Engine;
                use std::io::Write;
                let encoded = base64::engine::general_purpose::STANDARD.encode(text);
                let mut out = std::io::stdout().lock();
                let _ = write!(out, "\x1b]52;c;{encoded}\x07").and_then(|()| out.flush());
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
                    let rendered = crate::text::render_body(&html, base.as_deref(), images);
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
            Effect::DiscoverFeeds { generation, url } => {
                let replies = self.replies.clone();
                let client = self.client.clone();
                tokio::spawn(async move {
                    let result = super::subscriptions::discover_feeds(&client, &url).await;
                    let _ = replies.send(Msg::Discovered { generation, result }).await;
                });
            }
            Effect::AddToConfig { path, feed } => {
                let replies = self.replies.clone();
                tokio::task::spawn_blocking(move || {
                    let result = super::subscriptions::append_to_config(&path, feed);
                    let _ = replies.blocking_send(Msg::FeedAdded(result));
                });
            }
            Effect::RemoveFromConfig { path, feed, url } => {
                let replies = self.replies.clone();
                tokio::task::spawn_blocking(move || {
                    let result = super::subscriptions::remove_from_config(&path, &url);
                    let _ = replies.blocking_send(Msg::FeedRemoved { feed, result });
                });
            }
            Effect::ForgetFeed { url, name } => {
                let replies = self.replies.clone();
                // Called on the worker thread, outside tokio: blocking here is allowed.
                let reply = move |result: Result<usize, crate::cache::CacheError>| {
                    let result = result.map_err(|e| e.to_string());
                    let _ = replies.blocking_send(Msg::FeedForgotten { name, result });
                };
                match &self.cache {
                    Some(cache) => cache.forget_feed(url, Box::new(reply)),
                    None => drop(tokio::task::spawn_blocking(move || reply(Ok(0)))),
                }
            }
            Effect::Quit => {}
        }
    }

    /// The cache's latest failure, as a message for `update`.
    pub(super) fn cache_failure(&self) -> Option<Msg> {
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
