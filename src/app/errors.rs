//! The error view (`E`): every feed, failing ones first, with why it failed, when it last succeeded,
//! how many refreshes in a row failed and when it is tried next. `r` retries the feed under the
//! cursor, Enter opens it, Esc (or `E`) closes the view.

use super::{Action, App, Effect, FeedEntry, Focus, ListCursor};
use crate::model::FeedId;

/// The open error view: its rows (feed ids, failing first) and cursor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorView {
    /// Feeds in display order: failing ones first (most failures first), then the rest.
    pub rows: Vec<FeedId>,
    /// Selection and scroll, indexing `rows`.
    pub cursor: ListCursor,
    /// How many of `rows` are failing.
    pub failing: usize,
}

impl App {
    /// The auto-refresh interval, for "next try" (`None`: off).
    pub fn auto_refresh(&self) -> Option<chrono::Duration> {
        let minutes = i64::try_from(self.settings.refresh_minutes).ok()?;
        (minutes > 0).then(|| chrono::Duration::minutes(minutes))
    }

    /// Rows for the error view, failing feeds first.
    fn error_rows(&self) -> (Vec<FeedId>, usize) {
        let mut failing: Vec<(u32, FeedId)> = Vec::new();
        let mut others = Vec::new();
        for feed in self.store.listed_feeds() {
            match feed.failure(None) {
                Some(f) => failing.push((f.failures, feed.id)),
                None => others.push(feed.id),
            }
        }
        // Most failures in a row first; config order among equals.
        failing.sort_by_key(|(n, id)| (std::cmp::Reverse(*n), *id));
        let count = failing.len();
        (
            failing
                .into_iter()
                .map(|(_, id)| id)
                .chain(others)
                .collect(),
            count,
        )
    }

    /// Open the error view (or close it when open).
    pub(super) fn toggle_errors(&mut self) -> Vec<Effect> {
        if self.errors.take().is_none() {
            let (rows, failing) = self.error_rows();
            self.errors = Some(ErrorView {
                rows,
                cursor: ListCursor::default(),
                failing,
            });
            if failing == 0 {
                self.note("every feed's last refresh succeeded".into());
            }
        }
        Vec::new()
    }

    /// Keep the rows current as refreshes finish, the cursor on the same feed.
    pub(super) fn refresh_error_rows(&mut self) {
        let Some(selected) = self
            .errors
            .as_ref()
            .map(|v| v.rows.get(v.cursor.selected).copied())
        else {
            return;
        };
        let (rows, failing) = self.error_rows();
        let height = self.error_view_height();
        if let Some(view) = self.errors.as_mut() {
            let index = selected
                .and_then(|id| rows.iter().position(|r| *r == id))
                .unwrap_or(0);
            view.cursor.select(index, rows.len(), height);
            view.rows = rows;
            view.failing = failing;
        }
    }

    /// Rows of feeds the view shows at once (the screen minus its border, header line and status bar).
    pub fn error_view_height(&self) -> usize {
        usize::from(self.height).saturating_sub(4).max(1)
    }

    /// A key while the error view is open.
    pub(super) fn act_in_errors(&mut self, action: Action) -> Vec<Effect> {
        let height = self.error_view_height();
        let Some(view) = self.errors.as_mut() else {
            return Vec::new();
        };
        let len = view.rows.len();
        let selected = view.rows.get(view.cursor.selected).copied();
        match action {
            Action::Errors | Action::Back | Action::Quit => self.errors = None,
            Action::ForceQuit => return self.quit(),
            Action::Help => self.show_help = true,
            Action::RefreshFeed => {
                if let Some(id) = selected {
                    return self.refresh(vec![id]);
                }
            }
            Action::RefreshAll => return self.refresh(self.all_feed_ids()),
            Action::Open => {
                if let Some(id) = selected {
                    self.errors = None;
                    self.open_feed(id);
                }
            }
            other => super::actions::move_cursor(&mut view.cursor, other, len, height),
        }
        Vec::new()
    }

    /// Select `feed` in the feeds pane and show its headlines.
    fn open_feed(&mut self, feed: FeedId) {
        if let Some(index) = self
            .entries
            .iter()
            .position(|e| *e == FeedEntry::Feed(feed))
        {
            let height = self.panes().feeds_inner_height();
            self.feeds_cursor.select(index, self.entries.len(), height);
            self.headlines_cursor = ListCursor::default();
            self.reader = None;
            self.reload_headlines();
            self.focus = Focus::Headlines;
        }
    }
}
