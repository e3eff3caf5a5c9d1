//! Refreshing: which feeds to fetch (the jobs, as values), and what a feed's outcome does to the view.

use super::{App, Effect, Focus};
use crate::feed::RefreshJob;
use crate::model::{FeedId, FeedUpdate};
use crate::store::{BodyHome, Retention, View};
use chrono::Utc;

impl App {
    pub(super) fn all_feed_ids(&self) -> Vec<FeedId> {
        self.store.listed_feeds().map(|f| f.id).collect()
    }

    /// The feeds whose auto-refresh interval has passed (each feed's own, else the setting).
    pub(super) fn feeds_due(&self) -> Vec<FeedId> {
        let now = Utc::now();
        let default = self.settings.refresh_minutes;
        self.store
            .listed_feeds()
            .filter(|f| f.auto_refresh_due(default, now))
            .map(|f| f.id)
            .collect()
    }

    /// Ask for a refresh of `feeds`, skipping those in flight or asked to wait (Retry-After).
    pub(super) fn refresh(&mut self, feeds: Vec<FeedId>) -> Vec<Effect> {
        let now = Utc::now();
        let is_waiting = |f: &FeedId| self.store.feed(*f).is_some_and(|feed| feed.waiting_at(now));
        let waiting = feeds.iter().filter(|f| is_waiting(f)).count();
        let feeds: Vec<FeedId> = feeds
            .into_iter()
            .filter(|f| !self.refresh.in_flight.contains(f) && !is_waiting(f))
            .collect();
        // A note, but never over the latest error (auto-refresh would otherwise hide it every time).
        if waiting > 0 && !self.status.as_ref().is_some_and(|n| n.is_error) {
            self.note(format!(
                "{waiting} feed(s) asked to wait (Retry-After); skipped"
            ));
        }
        let jobs: Vec<RefreshJob> = feeds
            .iter()
            .filter_map(|f| RefreshJob::for_feed(self.store.feed(*f)?))
            .collect();
        if jobs.is_empty() {
            return Vec::new();
        }
        if self.refresh.in_flight.is_empty() {
            self.refresh.done = 0;
            self.refresh.total = 0;
        }
        self.refresh.total += jobs.len();
        self.refresh.in_flight.extend(jobs.iter().map(|j| j.feed));
        vec![Effect::Refresh(jobs)]
    }

    /// The retention rule in force now.
    fn retention(&self) -> Retention {
        Retention::new(
            self.settings.max_articles_per_feed,
            self.settings.keep_days,
            Utc::now(),
        )
    }

    pub(super) fn on_feed_update(&mut self, update: FeedUpdate) -> Vec<Effect> {
        let feed = update.feed();
        let finished = !matches!(update, FeedUpdate::Started(_));
        if self.store.is_removed(feed) {
            // A reply for a feed removed while it was being fetched: nothing to show or save.
            if finished && self.refresh.in_flight.remove(&feed) {
                self.refresh.done += 1;
            }
            return Vec::new();
        }
        if let FeedUpdate::Failed { message, .. } = &update {
            let name = self
                .store
                .feed(feed)
                .map(|f| f.display_name().to_string())
                .unwrap_or_default();
            self.note_error(format!("{name}: {message}"));
        }
        let loaded = matches!(update, FeedUpdate::Loaded { .. });
        let selected = self.selected_id();
        let had_title = self.store.feed(feed).and_then(|f| f.feed_title.clone());
        let bodies = if self.cache_in_use {
            BodyHome::Cache
        } else {
            BodyHome::Memory
        };
        let ingested = self
            .store
            .ingest(update, self.retention(), bodies, Utc::now());
        if let Some(warning) = self.store.warning(feed).filter(|_| loaded) {
            let name = self
                .store
                .feed(feed)
                .map(|f| f.display_name().to_string())
                .unwrap_or_default();
            self.note(format!("{name}: {warning}"));
        }
        if finished && self.refresh.in_flight.remove(&feed) {
            self.refresh.done += 1;
        }
        if self.store.feed(feed).and_then(|f| f.feed_title.clone()) != had_title {
            self.rebuild_entries();
        }
        // Status-only outcomes (started, 304, failed) change no row: no re-query of a big view.
        let applied = ingested.applied;
        let rows_changed = applied.added + applied.updated > 0 || !ingested.dropped.is_empty();
        if rows_changed && self.current_view_includes(feed) {
            self.reload_headlines_keeping(selected);
        }
        self.close_reader_if_gone();
        if finished {
            self.refresh_error_rows();
        }
        ingested.save.map(Effect::SaveFeed).into_iter().collect()
    }

    /// Retention may drop the article being read: close the reader rather than act on nothing.
    fn close_reader_if_gone(&mut self) {
        let gone = self
            .reader
            .as_ref()
            .is_some_and(|r| self.store.find(r.feed, &r.id).is_none());
        if gone {
            self.reader = None;
            if self.focus == Focus::Article {
                self.focus = Focus::Headlines;
            }
            self.note("the open article was removed by retention".into());
        }
    }

    fn current_view_includes(&self, feed: FeedId) -> bool {
        match self.current_view() {
            View::Feed(id) => id == feed,
            View::Tag(tag) => self.store.feed(feed).is_some_and(|f| f.tags.contains(&tag)),
            View::All | View::Starred => true,
        }
    }
}
