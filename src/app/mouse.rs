//! The mouse (with `settings.mouse = true`): a click selects a row and focuses its pane, a double click
//! opens it, the wheel scrolls the pane under the pointer (marking nothing read), and a click on a
//! `[n]` link footnote in the article opens that link.

use super::{Action, App, Effect, Focus, MainView};
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;
use std::time::{Duration, Instant};

/// Two clicks on the same row within this are a double click.
const DOUBLE_CLICK: Duration = Duration::from_millis(400);

/// Rows the wheel moves per notch.
const WHEEL_ROWS: isize = 3;

/// Which pane a point is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Under {
    Feeds,
    Headlines,
    Article,
}

impl App {
    /// One mouse event.
    pub(super) fn on_mouse(&mut self, event: MouseEvent) -> Vec<Effect> {
        // A prompt, the pick list or the help overlay is answered with keys: the panes under it do
        // not move while it is open.
        let modal =
            self.finding.prompt.is_some() || self.subscriptions.pick.is_some() || self.show_help;
        let Some((under, area)) = self.pane_at(event.column, event.row).filter(|_| !modal) else {
            self.dirty = false;
            return Vec::new();
        };
        // The row inside the pane's border, if the point is on one.
        let row = usize::from(event.row.saturating_sub(area.y + 1));
        let inside = event.row > area.y && event.row + 1 < area.y + area.height;
        match event.kind {
            MouseEventKind::ScrollDown => self.wheel(under, WHEEL_ROWS),
            MouseEventKind::ScrollUp => self.wheel(under, -WHEEL_ROWS),
            MouseEventKind::Down(MouseButton::Left) if inside => {
                let column = usize::from(event.column.saturating_sub(area.x + 1));
                self.click(under, row, column, (event.column, event.row))
            }
            _ => {
                self.dirty = false;
                Vec::new()
            }
        }
    }

    /// The pane under a screen point.
    fn pane_at(&self, x: u16, y: u16) -> Option<(Under, Rect)> {
        let panes = self.panes();
        let hit = |r: Rect| x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height;
        if let Some(feeds) = panes.feeds.filter(|r| hit(*r)) {
            return Some((Under::Feeds, feeds));
        }
        if !hit(panes.main) {
            return None;
        }
        let under = match panes.main_view {
            MainView::Feeds => Under::Feeds,
            MainView::Headlines => Under::Headlines,
            MainView::Article => Under::Article,
        };
        Some((under, panes.main))
    }

    fn wheel(&mut self, under: Under, rows: isize) -> Vec<Effect> {
        let panes = self.panes();
        match under {
            Under::Feeds => {
                let before = self.feeds_cursor.selected;
                let (len, height) = (self.entries.len(), panes.feeds_inner_height());
                self.feeds_cursor.move_by(rows, len, height);
                if self.feeds_cursor.selected != before {
                    self.headlines_cursor = Default::default();
                    self.reload_headlines();
                }
            }
            Under::Headlines => {
                let (len, height) = (self.headlines.len(), panes.main_inner_height());
                self.headlines_cursor.move_by(rows, len, height);
            }
            Under::Article => {
                if let Some(reader) = self.reader.as_mut() {
                    reader.scroll_by(rows, panes.main_inner_height());
                }
            }
        }
        Vec::new()
    }

    fn click(&mut self, under: Under, row: usize, column: usize, at: (u16, u16)) -> Vec<Effect> {
        let now = Instant::now();
        let double = self
            .last_click
            .is_some_and(|(pos, when)| pos == at && now.duration_since(when) < DOUBLE_CLICK);
        self.last_click = (!double).then_some((at, now));
        let panes = self.panes();
        match under {
            Under::Feeds => {
                let index = self.feeds_cursor.offset + row;
                if index >= self.entries.len() {
                    return Vec::new();
                }
                let before = self.feeds_cursor.selected;
                self.focus = Focus::Feeds;
                let height = panes.feeds_inner_height();
                self.feeds_cursor.select(index, self.entries.len(), height);
                if self.feeds_cursor.selected != before {
                    self.headlines_cursor = Default::default();
                    self.reload_headlines();
                }
                if double {
                    return self.act(Action::Open);
                }
                Vec::new()
            }
            Under::Headlines => {
                let index = self.headlines_cursor.offset + row;
                if index >= self.headlines.len() {
                    return Vec::new();
                }
                self.focus = Focus::Headlines;
                let height = panes.main_inner_height();
                self.headlines_cursor
                    .select(index, self.headlines.len(), height);
                if double {
                    return self.act(Action::Open);
                }
                Vec::new()
            }
            Under::Article => {
                let footnote = self.reader.as_ref().and_then(|r| {
                    let line = r.lines().get(r.scroll + row)?;
                    footnote_at(&line.text, column)
                });
                // A marker clicked is `3o`: the same checks, the same note.
                match footnote.and_then(|n| self.footnote(Some(n))) {
                    Some(url) => self.open_url(url),
                    None => Vec::new(),
                }
            }
        }
    }
}

/// The number of the `[n]` marker that covers display column `column` of `text`, if one does.
fn footnote_at(text: &str, column: usize) -> Option<usize> {
    let mut start_col = 0;
    let mut open: Option<(usize, String)> = None;
    for c in text.chars() {
        let width = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        match (c, &mut open) {
            ('[', _) => open = Some((start_col, String::new())),
            (d, Some((_, digits))) if d.is_ascii_digit() => digits.push(d),
            (']', Some((from, digits))) if !digits.is_empty() => {
                if (*from..=start_col).contains(&column) {
                    return digits.parse().ok();
                }
                open = None;
            }
            _ => open = None,
        }
        start_col += width;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::footnote_at;

    #[test]
    fn finds_the_marker_under_the_column() {
        let line = "see the report [12] and [3].";
        assert_eq!(footnote_at(line, 15), Some(12));
        assert_eq!(footnote_at(line, 18), Some(12));
        assert_eq!(footnote_at(line, 25), Some(3));
        assert_eq!(footnote_at(line, 5), None);
        assert_eq!(footnote_at("[x] [] [4", 1), None);
    }
}
