//! Full text: `f` toggles between the feed's text and the linked page's, replies are matched by
//! generation, and a failure falls back to the feed's text with the reason in the status bar.

use super::reader::{Body, BodySource, Reader};
use super::{App, Effect};
use crate::text::Rendered;

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
        let key = self.store.find(reader.feed, &reader.id);
        let link = key
            .and_then(|k| self.store.get(k))
            .and_then(|a| a.link.clone());
        let Some(url) = link.as_deref().and_then(crate::text::sanitize_url) else {
            self.note_error("this article has no web link to fetch".into());
            return Vec::new();
        };
        let reader = self.reader.as_mut().expect("reader checked above");
        reader.feed_body = match &reader.body {
            Body::Ready(r) => Some(r.clone()),
            Body::Pending(_) => None,
        };
        reader.source = BodySource::FullText;
        reader.generation = generation;
        reader.scroll = 0;
        if let Some(cached) = self.full_texts.get(&reader.id) {
            reader.set_body(Body::Ready(cached.clone()));
            return Vec::new();
        }
        reader.set_body(Body::Pending(format!("fetching full text of {url} …")));
        reader.ensure_wrapped(width);
        vec![Effect::FetchFullText { generation, url }]
    }

    /// Show the feed's own text again (kept from before the full-text request, else rendered anew).
    fn restore_feed_body(&mut self, generation: u64) -> Vec<Effect> {
        let Some(reader) = self.reader.as_mut() else {
            return Vec::new();
        };
        reader.source = BodySource::Feed;
        reader.generation = generation;
        if let Some(feed_body) = reader.feed_body.take() {
            reader.set_body(Body::Ready(feed_body));
            return Vec::new();
        }
        let Some(key) = self.store.find(reader.feed, &reader.id) else {
            return Vec::new();
        };
        let (body, effect) = self.render_body(key, generation);
        if let Some(reader) = self.reader.as_mut() {
            reader.set_body(body);
        }
        effect.into_iter().collect()
    }

    /// A full-text reply: show it, or go back to the feed text with the reason in the status bar.
    pub(super) fn on_full_text(
        &mut self,
        generation: u64,
        result: Result<Rendered, String>,
    ) -> Vec<Effect> {
        let Some(reader) = self.reader.as_mut().filter(|r| r.generation == generation) else {
            return Vec::new();
        };
        match result {
            Ok(rendered) => {
                self.full_texts.insert(reader.id.clone(), rendered.clone());
                reader.set_body(Body::Ready(rendered));
                Vec::new()
            }
            Err(reason) => {
                self.note_error(format!("full text failed: {reason}"));
                self.restore_feed_body(generation)
            }
        }
    }
}
