//! The article view: the reader's pre-wrapped lines from the scroll position; no wrapping here.

use super::{inner, pane, theme};
use crate::app::reader::ReaderLineKind;
use crate::app::App;
use crate::text::LineKind;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Draw the open article into `area`.
pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let Some(reader) = &app.reader else { return };
    let total = reader.lines().len();
    let block = pane(" Article ".into(), true);
    let Some(inner_area) = inner(&block, area) else {
        frame.render_widget(block, area);
        return;
    };
    let height = inner_area.height as usize;
    let shown_to = (reader.scroll + height).min(total);
    let percent = if total <= height {
        100
    } else {
        shown_to * 100 / total.max(1)
    };
    let block = block.title_bottom(Line::from(format!(" {percent}% ")).right_aligned());
    frame.render_widget(block, area);
    let lines: Vec<Line> = reader
        .lines()
        .iter()
        .skip(reader.scroll)
        .take(height)
        .map(|l| Line::styled(l.text.as_str(), style_for(l.kind)))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner_area);
    super::pictures::draw(reader, inner_area, frame.buffer_mut());
}

fn style_for(kind: ReaderLineKind) -> Style {
    match kind {
        ReaderLineKind::Title => theme::title(),
        ReaderLineKind::Meta => theme::meta(),
        ReaderLineKind::Standfirst(_) => theme::standfirst(),
        ReaderLineKind::Picture { .. } => theme::dim(),
        ReaderLineKind::Body(LineKind::Heading) => theme::heading(),
        ReaderLineKind::Body(LineKind::Quote) => theme::quote(),
        ReaderLineKind::Body(LineKind::Code) => theme::code(),
        ReaderLineKind::Body(LineKind::Footnote) => theme::footnote(),
        ReaderLineKind::Body(LineKind::Rule) => theme::dim(),
        ReaderLineKind::Body(_) => Style::default(),
    }
}
