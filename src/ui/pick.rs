//! The pick list of `a` when a page announces several feeds: each feed's title and URL, centred over
//! the panes; j/k choose, Enter adds, Esc cancels.

use super::theme;
use crate::app::{App, FeedPick};
use crate::text::{display_width, sanitize_line, truncate_to_width};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

/// Draw the list centred in `area` (the whole screen), above the status bar.
pub fn draw(frame: &mut Frame, app: &App, pick: &FeedPick, area: Rect) {
    if area.width < 8 || area.height < 4 {
        return;
    }
    let rows = pick.candidates.len().min(app.pick_height());
    let width = area.width.min(76);
    let height = (rows as u16 + 2).min(area.height.saturating_sub(1));
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height.saturating_sub(1) - height) / 2,
        width,
        height,
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border_focused())
        .title(format!(
            " {} feeds found — j/k choose · Enter adds · Esc cancels ",
            pick.candidates.len()
        ));
    let inner_width = block.inner(popup).width as usize;
    let lines: Vec<Line> = pick
        .candidates
        .iter()
        .enumerate()
        .skip(pick.cursor.offset)
        .take(rows)
        .map(|(i, feed)| {
            let title = sanitize_line(feed.title.as_deref().unwrap_or("(untitled)"));
            let text = format!("{title}  {}", sanitize_line(feed.url.as_str()));
            let text = truncate_to_width(&text, inner_width);
            let pad = " ".repeat(inner_width.saturating_sub(display_width(&text)));
            let style = if i == pick.cursor.selected {
                theme::selected()
            } else {
                theme::unread()
            };
            Line::styled(format!("{text}{pad}"), style)
        })
        .collect();
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
