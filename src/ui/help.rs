//! The help overlay: every key from the one keymap, in two columns when one does not fit the height.

use super::theme;
use crate::text::{display_width, truncate_to_width};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

/// Draw the help popup centred in `area`, with the keys in effect.
pub fn draw(frame: &mut Frame, app: &crate::app::App, area: Rect) {
    let rows = app.keymap.help_rows();
    let key_width = rows
        .iter()
        .map(|(k, _)| display_width(k))
        .max()
        .unwrap_or(0);
    // Two columns when the terminal is too short for one and wide enough for two.
    let columns: usize = if rows.len() + 2 > area.height as usize && area.width >= 80 {
        2
    } else {
        1
    };
    let per_column = rows.len().div_ceil(columns);
    let width = area.width.min(64 * columns as u16);
    let height = area.height.min(per_column as u16 + 2);
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
    let cell_width = (block.inner(popup).width as usize / columns).saturating_sub(1);
    let cell = |(keys, help): &(String, &str)| -> Vec<Span<'static>> {
        let text = truncate_to_width(&format!("{keys:<key_width$}  {help}"), cell_width);
        let split = text
            .char_indices()
            .nth(key_width)
            .map_or(text.len(), |(i, _)| i);
        let pad = cell_width.saturating_sub(display_width(&text));
        vec![
            Span::styled(text[..split].to_string(), theme::heading()),
            Span::raw(format!("{}{}", &text[split..], " ".repeat(pad))),
        ]
    };
    let lines: Vec<Line> = (0..per_column)
        .map(|row| {
            let mut spans = Vec::new();
            for column in 0..columns {
                if let Some(entry) = rows.get(column * per_column + row) {
                    if column > 0 {
                        spans.push(Span::raw(" "));
                    }
                    spans.extend(cell(entry));
                }
            }
            Line::from(spans)
        })
        .collect();
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
