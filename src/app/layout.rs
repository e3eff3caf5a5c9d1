//! Where each pane goes for a terminal size. Used by `update` (page sizes, wrap width) and `draw` alike,
//! so both always agree.

use ratatui::layout::Rect;

/// Terminals at least this wide show the feeds pane beside the headlines or article.
pub const SIDE_BY_SIDE_MIN_WIDTH: u16 = 90;

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The feed list: moving picks which feed's headlines are listed.
    Feeds,
    /// The headline list of the chosen feed or view.
    Headlines,
    /// The open article: keys scroll its text.
    Article,
}

/// What the main (right or only) pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MainView {
    /// The feed list (only on narrow terminals, where it has no pane of its own).
    Feeds,
    /// The headline list.
    Headlines,
    /// The open article's text.
    Article,
}

/// Pane rectangles, borders included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panes {
    /// The feeds pane, when shown beside the main pane.
    pub feeds: Option<Rect>,
    /// The main pane: all of the width on narrow terminals, the rest beside the feeds otherwise.
    pub main: Rect,
    /// What the main pane shows, given the focus.
    pub main_view: MainView,
    /// The one-row status bar along the bottom.
    pub status: Rect,
}

impl Panes {
    /// Rows inside the main pane's border.
    pub fn main_inner_height(&self) -> usize {
        self.main.height.saturating_sub(2) as usize
    }

    /// Columns inside the main pane's border.
    pub fn main_inner_width(&self) -> usize {
        self.main.width.saturating_sub(2) as usize
    }

    /// Rows inside the feeds list's border (wherever it is drawn).
    pub fn feeds_inner_height(&self) -> usize {
        self.feeds.unwrap_or(self.main).height.saturating_sub(2) as usize
    }
}

/// Lay out a `width`×`height` terminal for the focused pane.
pub fn layout(width: u16, height: u16, focus: Focus) -> Panes {
    let status = Rect {
        x: 0,
        y: height.saturating_sub(1),
        width,
        height: height.min(1),
    };
    let body = Rect {
        x: 0,
        y: 0,
        width,
        height: height.saturating_sub(1),
    };
    let main_view = match focus {
        Focus::Article => MainView::Article,
        Focus::Feeds | Focus::Headlines => MainView::Headlines,
    };
    if width >= SIDE_BY_SIDE_MIN_WIDTH {
        let feeds_width = (width / 4).clamp(24, 40);
        let feeds = Rect {
            width: feeds_width,
            ..body
        };
        let main = Rect {
            x: feeds_width,
            width: width - feeds_width,
            ..body
        };
        Panes {
            feeds: Some(feeds),
            main,
            main_view,
            status,
        }
    } else {
        let main_view = if focus == Focus::Feeds {
            MainView::Feeds
        } else {
            main_view
        };
        Panes {
            feeds: None,
            main: body,
            main_view,
            status,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_is_side_by_side_narrow_is_one_pane() {
        let wide = layout(120, 40, Focus::Feeds);
        assert_eq!(wide.feeds.map(|r| r.width), Some(30));
        assert_eq!(wide.main.width, 90);
        assert_eq!(wide.main_view, MainView::Headlines);
        assert_eq!(wide.status.y, 39);
        let narrow = layout(40, 12, Focus::Feeds);
        assert_eq!(narrow.feeds, None);
        assert_eq!(narrow.main_view, MainView::Feeds);
        assert_eq!(layout(40, 12, Focus::Article).main_view, MainView::Article);
        let tiny = layout(1, 1, Focus::Article);
        assert_eq!(tiny.main.height, 0);
        assert_eq!(tiny.main_inner_height(), 0);
    }
}
