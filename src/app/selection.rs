//! What the panes list: the feeds pane's entries and their counts, the headlines of the selected
//! entry, and keeping the cursor on the same article when the headlines are recomputed.

use super::{App, FeedEntry};
use crate::model::{ArticleId, Counts, FeedId};
use crate::store::{ArticleKey, View};

impl App {
    /// Counts shown beside a feeds-pane entry.
    pub fn entry_counts(&self, entry: &FeedEntry) -> Counts {
        match entry {
            FeedEntry::All => self.store.total_counts(),
            FeedEntry::Starred => self.store.starred_counts(),
            FeedEntry::Query(i) => self
                .query_feeds
                .get(*i)
                .map(|q| q.counts)
                .unwrap_or_default(),
            FeedEntry::Tag(tag) => self.store.tag_counts(tag),
            FeedEntry::Feed(id) => self.store.counts(*id),
        }
    }

    /// The selected feeds-pane entry.
    pub fn selected_entry(&self) -> Option<&FeedEntry> {
        self.entries.get(self.feeds_cursor.selected)
    }

    /// The view the headlines pane shows.
    pub fn current_view(&self) -> View {
        match self.selected_entry() {
            Some(FeedEntry::Starred) => View::Starred,
            Some(FeedEntry::Tag(tag)) => View::Tag(tag.clone()),
            Some(FeedEntry::Feed(id)) => View::Feed(*id),
            // A query feed lists matches from every feed (see `search::view_keys`).
            Some(FeedEntry::All | FeedEntry::Query(_)) | None => View::All,
        }
    }

    /// The selected headline's key.
    pub fn selected_article(&self) -> Option<ArticleKey> {
        self.headlines.get(self.headlines_cursor.selected).copied()
    }

    pub(super) fn rebuild_entries(&mut self) {
        let mut entries = vec![FeedEntry::All, FeedEntry::Starred];
        entries.extend((0..self.query_feeds.len()).map(FeedEntry::Query));
        entries.extend(self.store.tags().into_iter().map(FeedEntry::Tag));
        entries.extend(self.store.listed_feeds().map(|f| FeedEntry::Feed(f.id)));
        self.entries = entries;
    }

    /// The selected headline's identity (keys are positions and change when a feed re-sorts).
    pub(super) fn selected_id(&self) -> Option<(FeedId, ArticleId)> {
        self.selected_article()
            .and_then(|k| self.store.get(k))
            .map(|a| (a.feed, a.id.clone()))
    }

    /// Recompute the headlines of the selected entry, keeping the selected article.
    pub(super) fn reload_headlines(&mut self) {
        let selected = self.selected_id();
        self.reload_headlines_keeping(selected);
    }

    /// Recompute the headlines, selecting `selected` (taken before the store changed) when it is still
    /// listed. A cursor at the top stays at the top, so arriving articles do not push it down.
    pub(super) fn reload_headlines_keeping(&mut self, selected: Option<(FeedId, ArticleId)>) {
        let at_top = self.headlines_cursor.selected == 0;
        self.compute_headlines();
        let fallback = self.headlines_cursor.selected;
        self.reselect(selected, at_top, fallback);
    }

    /// After the headlines changed: the cursor on `selected` (taken before) when it is still listed,
    /// else on row `fallback`; a cursor that was at the top stays there.
    pub(super) fn reselect(
        &mut self,
        selected: Option<(FeedId, ArticleId)>,
        at_top: bool,
        fallback: usize,
    ) {
        let index = if at_top {
            0
        } else {
            selected
                .and_then(|(feed, id)| {
                    let key = self.store.find(feed, &id)?;
                    self.headlines.iter().position(|k| *k == key)
                })
                .unwrap_or(fallback)
        };
        let height = self.panes().main_inner_height();
        self.headlines_cursor
            .select(index, self.headlines.len(), height);
    }
}
