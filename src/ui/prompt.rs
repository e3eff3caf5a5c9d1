//! The prompt of `/`, `F`, `a`, `d` and `Ctrl-a`: the bottom two rows of the screen, the input on the first and,
//! under it, the query's mistake (with a caret at its column) or what Enter and Esc do.

use super::theme;
use crate::app::{App, PromptKind};
use crate::text::{display_width, sanitize_line, truncate_to_width};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

/// Draw the open prompt, if any, over the bottom of `area` (the whole screen).
pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let Some(prompt) = &app.finding.prompt else {
        return;
    };
    if area.height < 2 || area.width < 4 {
        return;
    }
    let width = area.width as usize;
    let input_row = Rect::new(area.x, area.y + area.height - 2, area.width, 1);
    let note_row = Rect::new(area.x, area.y + area.height - 1, area.width, 1);
    frame.render_widget(Clear, input_row);
    frame.render_widget(Clear, note_row);

    let label = prompt.label();
    let label_width = display_width(&label);
    // Keep the cursor on screen: show the input from where it fits.
    let room = width.saturating_sub(label_width + 1).max(1);
    let before_cursor: String = prompt.input.chars().take(prompt.cursor).collect();
    let mut skip = 0;
    while display_width(&before_cursor.chars().skip(skip).collect::<String>()) >= room {
        skip += 1;
    }
    let shown: String = prompt.input.chars().skip(skip).collect();
    let shown = truncate_to_width(&sanitize_line(&shown), room);
    let line = Line::from(vec![
        Span::styled(truncate_to_width(&label, width), theme::status_bar()),
        Span::raw(shown),
    ]);
    frame.render_widget(Paragraph::new(line), input_row);
    let cursor_x =
        label_width + display_width(&before_cursor.chars().skip(skip).collect::<String>());
    if cursor_x < width {
        frame.set_cursor_position(Position::new(input_row.x + cursor_x as u16, input_row.y));
    }

    let note = match (&prompt.error, &prompt.kind) {
        (Some(error), _) => {
            let caret = (label_width + error.column().saturating_sub(1)).saturating_sub(skip);
            let text = format!("{}^ {}", " ".repeat(caret.min(width / 2)), error.message());
            Span::styled(truncate_to_width(&text, width), theme::error())
        }
        (None, PromptKind::Search) => Span::styled(
            "Enter keeps the search · Esc cancels · words, or a query: unread tag:x text:word",
            theme::dim(),
        ),
        (None, PromptKind::Filter) => Span::styled(
            "Enter applies to every view · empty Enter clears · Esc leaves it as it was",
            theme::dim(),
        ),
        (None, PromptKind::ConfirmMarkRead { .. }) => Span::styled(
            "y marks them read (U undoes) · any other key cancels",
            theme::dim(),
        ),
        (None, PromptKind::AddFeed) => Span::styled(
            "Enter looks for feeds there and adds one · Esc cancels",
            theme::dim(),
        ),
        (None, PromptKind::ConfirmRemoveFeed { .. }) => Span::styled(
            "y removes it from the config and the cache (starred articles stay) · any other key cancels",
            theme::dim(),
        ),
    };
    let note = Span::styled(truncate_to_width(&note.content, width), note.style);
    frame.render_widget(Paragraph::new(Line::from(note)), note_row);
}
