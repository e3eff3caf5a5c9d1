//! Drawing only: reads `App`, writes the frame, never mutates or does IO.

mod article;
mod errors;
mod feeds;
mod headlines;
mod help;
mod pick;
mod pictures;
mod prompt;
mod status;
pub mod theme;

use crate::app::{App, Focus, MainView};
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders};
use ratatui::Frame;

/// Draw the whole screen for the current state.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    // The app's idea of the size is what update laid out for; draw with the same layout.
    let panes = crate::app::layout(area.width, area.height, app.focus);
    if let Some(feeds_area) = panes.feeds {
        feeds::draw(frame, app, feeds_area, app.focus == Focus::Feeds);
    }
    match panes.main_view {
        MainView::Feeds => feeds::draw(frame, app, panes.main, true),
        MainView::Headlines => {
            headlines::draw(frame, app, panes.main, app.focus == Focus::Headlines)
        }
        MainView::Article => article::draw(frame, app, panes.main),
    }
    if let Some(view) = &app.errors {
        let over = Rect {
            height: area.height.saturating_sub(panes.status.height),
            ..area
        };
        errors::draw(frame, app, view, over);
    }
    if let Some(pick) = &app.subscriptions.pick {
        pick::draw(frame, app, pick, area);
    }
    status::draw(frame, app, panes.status);
    prompt::draw(frame, app, area);
    if app.show_help {
        help::draw(frame, app, area);
    }
}

/// A bordered pane with a title, highlighted when focused.
fn pane(title: String, focused: bool) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(if focused {
            theme::border_focused()
        } else {
            theme::border()
        })
        .title(title)
}

/// The inner area of a bordered pane, or None when there is no room inside.
fn inner(block: &Block, area: Rect) -> Option<Rect> {
    let inner = block.inner(area);
    (inner.width > 0 && inner.height > 0).then_some(inner)
}
