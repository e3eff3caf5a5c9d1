//! The error view: every feed, failing ones first, with the cause, the last success, the failures in
//! a row and the next try; drawn over the panes, above the status bar.

use super::{inner, pane, theme};
use crate::app::{App, ErrorView};
use crate::text::{display_width, truncate_to_width};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

/// Draw the view over `area`.
pub fn draw(frame: &mut Frame, app: &App, view: &ErrorView, area: Rect) {
    let title = format!(
        " Feed errors — {} of {} failing · r retry · Enter open · Esc close ",
        view.failing,
        view.rows.len()
    );
    let block = pane(title, true);
    frame.render_widget(Clear, area);
    let Some(inner_area) = inner(&block, area) else {
        frame.render_widget(block, area);
        return;
    };
    frame.render_widget(block, area);
    let width = inner_area.width as usize;
    let name_width = (width / 4).clamp(8, 28);
    let mut lines = vec![Line::styled(
        truncate_to_width(
            &format!(
                "  {:<name_width$}  {}",
                "feed", "cause · last success · failed in a row · next try"
            ),
            width,
        ),
        theme::heading(),
    )];
    let now = chrono::Utc::now();
    let auto = app.auto_refresh();
    lines.extend(
        view.rows
            .iter()
            .enumerate()
            .skip(view.cursor.offset)
            .take(inner_area.height.saturating_sub(1) as usize)
            .filter_map(|(i, id)| {
                let feed = app.store.feed(*id)?;
                let name = truncate_to_width(feed.display_name(), name_width);
                let pad = " ".repeat(name_width.saturating_sub(display_width(&name)));
                let (detail, style) = match feed.failure(auto) {
                    Some(f) => (
                        format!(
                            "{} · last success {} · {} in a row · next {}",
                            f.cause,
                            f.last_success_text(now),
                            f.failures,
                            f.next_try_text(now)
                        ),
                        theme::error(),
                    ),
                    None if !feed.enabled => ("disabled: never fetched".into(), theme::dim()),
                    None => ("ok".into(), theme::dim()),
                };
                let marker = if i == view.cursor.selected {
                    '›'
                } else {
                    ' '
                };
                let text = truncate_to_width(&format!("{marker} {name}{pad}  {detail}"), width);
                let style = if i == view.cursor.selected {
                    theme::selected()
                } else {
                    style
                };
                Some(Line::from(Span::styled(text, style)))
            }),
    );
    frame.render_widget(Paragraph::new(lines).style(Style::default()), inner_area);
}
