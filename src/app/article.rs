//! Opening an article: the reader, its body (rendered now, off the UI thread, or read from the cache
//! first), and the read flag that opening sets.

use super::reader::{BodyView, Reader};
use super::{App, Effect, Focus};
use crate::model::{ArticleId, Body, FeedId};
use crate::store::ArticleKey;
use crate::text::{self, Rendered};

/// Bodies larger than this are rendered off the UI thread.
pub const SYNC_RENDER_LIMIT: usize = 64 * 1024;

impl App {
    /// Open an article: mark it read, render its body (off the UI thread when large), maybe fetch full text.
    pub(super) fn open_article(&mut self, key: ArticleKey) -> Vec<Effect> {
        let generation = self.next_generation();
        let mut effects = Vec::new();
        let Some(article) = self.store.get(key) else {
            return effects;
        };
        let feed = self.store.feed(key.feed);
        let feed_name = feed
            .map(|f| f.display_name().to_string())
            .unwrap_or_default();
        let wants_full_text = feed.is_some_and(|f| f.full_text) && article.link.is_some();
        let (body, effect) = self.render_body(key, generation);
        effects.extend(effect);
        let mut reader = Reader::new(article, &feed_name, body, generation);
        reader.set_picture_rows(self.picture_rows());
        reader.set_standfirst(standfirst_of(article.summary(), article.content()));
        let was_unread = !article.read;
        reader.ensure_wrapped(Reader::text_width(self.panes().main_inner_width()));
        self.reader = Some(reader);
        self.focus = Focus::Article;
        if was_unread && self.store.set_read(key, true) {
            effects.extend(self.flag_effect(key));
        }
        if wants_full_text {
            effects.extend(self.toggle_full_text());
        }
        effects
    }

    /// The body to show for an article: rendered now when small, else rendered off the UI thread, or
    /// read from the cache first when it is there.
    pub(super) fn render_body(
        &self,
        key: ArticleKey,
        generation: u64,
    ) -> (BodyView, Option<Effect>) {
        let (Some(article), Some(feed)) = (self.store.get(key), self.store.feed(key.feed)) else {
            return (BodyView::Ready(Rendered::default()), None);
        };
        if article.body.is_in_cache() {
            let effect = Effect::LoadBody {
                generation,
                feed: article.feed,
                feed_url: feed.url.clone(),
                id: article.id.clone(),
            };
            return (BodyView::Pending("loading…".into()), Some(effect));
        }
        render_feed_html(
            article.body_html(),
            article.link.clone(),
            generation,
            self.pictures_on(),
        )
    }

    /// Render the open article's feed body anew into the reader (an earlier render was dropped or
    /// replaced): now when small, else off the UI thread or from the cache.
    pub(super) fn rerender_reader_body(&mut self, generation: u64) -> Vec<Effect> {
        let Some(key) = self
            .reader
            .as_ref()
            .and_then(|r| self.store.find(r.feed, &r.id))
        else {
            return Vec::new();
        };
        let (body, effect) = self.render_body(key, generation);
        if let Some(reader) = self.reader.as_mut() {
            reader.set_body(body);
        }
        effect.into_iter().collect()
    }

    /// A body read from the cache: rendered for the reader (with a cache in use it is not kept).
    pub(super) fn on_body_loaded(
        &mut self,
        generation: u64,
        feed: FeedId,
        id: ArticleId,
        body: Body,
    ) -> Vec<Effect> {
        let Some(key) = self.store.find(feed, &id) else {
            return Vec::new();
        };
        let current = self
            .reader
            .as_ref()
            .is_some_and(|r| r.generation == generation && r.id == id);
        if !self.cache_in_use {
            self.store.set_body(key, body.clone());
        }
        if !current {
            return Vec::new();
        }
        let link = self.store.get(key).and_then(|a| a.link.clone());
        let (view, effect) = render_feed_html(body.html(), link, generation, self.pictures_on());
        if let Some(reader) = self.reader.as_mut() {
            reader.set_standfirst(standfirst_of(body.summary(), body.content()));
            reader.set_body(view);
        }
        effect.into_iter().collect()
    }
}

/// The teaser rendered as text, when it is a standfirst (see [`super::standfirst::standfirst`]).
fn standfirst_of(summary: Option<&str>, content: Option<&str>) -> Option<Rendered> {
    super::standfirst::standfirst_rendered(summary, content)
}

/// Render a body now when small, else off the UI thread; `link` is the base for relative links.
/// Pictures stay `[image: alt]` in the text (full text of a page).
pub(super) fn render_html(
    html: &str,
    link: Option<String>,
    generation: u64,
) -> (BodyView, Option<Effect>) {
    render_feed_html(html, link, generation, false)
}

/// [`render_html`], with pictures as blocks of their own when `images` (drawn in place).
pub(super) fn render_feed_html(
    html: &str,
    link: Option<String>,
    generation: u64,
    images: bool,
) -> (BodyView, Option<Effect>) {
    if html.len() > SYNC_RENDER_LIMIT {
        let effect = Effect::Render {
            generation,
            html: html.to_string(),
            base: link,
            images,
        };
        return (BodyView::Pending("rendering…".into()), Some(effect));
    }
    let rendered = text::render_body(html, link.as_deref(), images);
    (BodyView::Ready(rendered), None)
}
