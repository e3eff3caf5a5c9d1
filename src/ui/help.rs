//! The help overlay: every key from the one keymap.

use super::theme;
use crate::app::keys::help_rows;
use crate::text::truncate_to_width;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

/// Draw the help popup centred in `area`.
pub fn draw(frame: &mut Frame, area: Rect) {
    let rows = help_rows();
    let key_width = rows
        .iter()
        .map(|(k, _)| crate::text::display_width(k))
        .max()
        .unwrap_or(0);
    let width = area.width.min(64);
    let height = area.height.min(rows.len() as u16 + 3);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border_focused())
        .title(" Keys — any key closes ");
    let inner_width = block.inner(popup).width as usize;
    let lines: Vec<Line> = rows
        .iter()
        .map(|(keys, help)| {
            let text = format!("{keys:<key_width$}  {help}");
            let text = truncate_to_width(&text, inner_width);
            let split = text
                .char_indices()
                .nth(key_width)
                .map_or(text.len(), |(i, _)| i);
            Line::from(vec![
                Span::styled(text[..split].to_string(), theme::heading()),
                Span::raw(text[split..].to_string()),
            ])
        })
        .collect();
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
