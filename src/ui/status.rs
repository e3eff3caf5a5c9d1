//! The status bar: counts, refresh progress, the latest message, and the help hint.

use super::theme;
use crate::app::App;
use crate::text::{display_width, truncate_to_width};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

const SPINNER: [&str; 4] = ["⠋", "⠙", "⠸", "⠴"];

/// Draw the one-line status bar.
pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let counts = app.store.total_counts();
    let mut left = format!(
        " {} feeds · {} articles · {} unread",
        app.store.listed_feeds().count(),
        counts.total,
        counts.unread
    );
    if !app.refresh.in_flight.is_empty() {
        let spin = SPINNER[app.spinner % SPINNER.len()];
        left.push_str(&format!(
            " · {spin} refreshing {}/{}",
            app.refresh.done, app.refresh.total
        ));
    }
    let errors = app
        .store
        .listed_feeds()
        .filter(|f| f.status.is_error())
        .count();
    if errors > 0 {
        left.push_str(&format!(" · {errors} failed"));
    }
    if let Some(filter) = &app.finding.filter {
        left.push_str(&format!(" · filter: {}", filter.text));
    }
    let right = " ? help ";
    let width = area.width as usize;
    let mut spans = vec![Span::raw(truncate_to_width(&left, width))];
    let used = display_width(&spans[0].content);
    if let Some(note) = &app.status {
        let room = width.saturating_sub(used + 3 + right.len());
        if room > 3 {
            let style = if note.is_error {
                theme::error()
            } else {
                theme::status_bar()
            };
            spans.push(Span::raw(" │ "));
            spans.push(Span::styled(truncate_to_width(&note.text, room), style));
        }
    }
    let used: usize = spans.iter().map(|s| display_width(&s.content)).sum();
    if used + right.len() <= width {
        spans.push(Span::raw(" ".repeat(width - used - right.len())));
        spans.push(Span::raw(right));
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(theme::status_bar()),
        area,
    );
}
