//! Full text: `f` toggles between the feed's text and the linked page's. The page comes from the
//! cache when it was fetched before (a read, then a message), else from the web; replies are matched by
//! generation, and a failure falls back to the feed's text with the reason in the status bar.

use super::article::render_html;
use super::reader::{BodySource, BodyView, Reader};
use super::{App, Effect, FullTextPage};

impl App {
    pub(super) fn toggle_full_text(&mut self) -> Vec<Effect> {
        let width = Reader::text_width(self.panes().main_inner_width());
        let generation = self.next_generation();
        let Some(reader) = self.reader.as_mut() else {
            return Vec::new();
        };
        if reader.source == BodySource::FullText {
            return self.restore_feed_body(generation);
        }
        let Some(url) = self.full_text_url() else {
            self.note_error("this article has no web link to fetch".into());
            return Vec::new();
        };
        let feed_url = self.reader_feed_url();
        let reader = self.reader.as_mut().expect("reader checked above");
        reader.feed_body = match &reader.body {
            BodyView::Ready(r) => Some(r.clone()),
            BodyView::Pending(_) => None,
        };
        reader.source = BodySource::FullText;
        reader.generation = generation;
        reader.scroll = 0;
        if let Some(cached) = self.full_texts.get(&reader.id) {
            reader.set_body(BodyView::Ready(cached.clone()));
            return Vec::new();
        }
        reader.set_body(BodyView::Pending(format!("fetching full text of {url} …")));
        reader.ensure_wrapped(width);
        // The stored copy first (one read, then `Msg::StoredFullText`), else the page itself.
        match feed_url.filter(|_| self.cache_in_use) {
            Some(feed_url) => vec![Effect::ReadStoredFullText {
                generation,
                feed_url,
                id: reader.id.clone(),
            }],
            None => vec![Effect::FetchFullText { generation, url }],
        }
    }

    /// The open article's link, when it is one we may fetch.
    fn full_text_url(&self) -> Option<String> {
        let reader = self.reader.as_ref()?;
        let key = self.store.find(reader.feed, &reader.id)?;
        let link = self.store.get(key)?.link.as_deref()?;
        crate::text::sanitize_url(link)
    }

    fn reader_feed_url(&self) -> Option<String> {
        let reader = self.reader.as_ref()?;
        Some(self.store.feed(reader.feed)?.url.clone())
    }

    /// Show the feed's own text again (kept from before the full-text request, else rendered anew).
    fn restore_feed_body(&mut self, generation: u64) -> Vec<Effect> {
        let Some(reader) = self.reader.as_mut() else {
            return Vec::new();
        };
        reader.source = BodySource::Feed;
        reader.generation = generation;
        if let Some(feed_body) = reader.feed_body.take() {
            reader.set_body(BodyView::Ready(feed_body));
            return Vec::new();
        }
        self.rerender_reader_body(generation)
    }

    /// The cache's answer: its copy is shown (rendered here, or off the UI thread when large); without
    /// one the page is fetched.
    pub(super) fn on_stored_full_text(
        &mut self,
        generation: u64,
        html: Option<String>,
    ) -> Vec<Effect> {
        if self
            .reader
            .as_ref()
            .is_none_or(|r| r.generation != generation)
        {
            return Vec::new();
        }
        let Some(html) = html else {
            return match self.full_text_url() {
                Some(url) => vec![Effect::FetchFullText { generation, url }],
                None => self.restore_feed_body(generation),
            };
        };
        let (view, effect) = render_html(&html, self.full_text_url(), generation);
        if let (Some(reader), BodyView::Ready(rendered)) = (self.reader.as_mut(), &view) {
            self.full_texts.insert(reader.id.clone(), rendered.clone());
        }
        if let Some(reader) = self.reader.as_mut() {
            reader.set_body(view);
        }
        effect.into_iter().collect()
    }

    /// A fetched page: show it and keep it (in memory, and in the cache when there is one); or go back
    /// to the feed text with the reason in the status bar.
    pub(super) fn on_full_text(
        &mut self,
        generation: u64,
        result: Result<FullTextPage, String>,
    ) -> Vec<Effect> {
        let feed_url = self.reader_feed_url();
        let Some(reader) = self.reader.as_mut().filter(|r| r.generation == generation) else {
            return Vec::new();
        };
        match result {
            Ok(page) => {
                let id = reader.id.clone();
                self.full_texts.insert(id.clone(), page.rendered.clone());
                reader.set_body(BodyView::Ready(page.rendered));
                match feed_url.filter(|_| self.cache_in_use) {
                    Some(feed_url) => vec![Effect::SaveFullText {
                        feed_url,
                        id,
                        html: page.html,
                    }],
                    None => Vec::new(),
                }
            }
            Err(reason) => {
                self.note_error(format!("full text failed: {reason}"));
                self.restore_feed_body(generation)
            }
        }
    }
}
