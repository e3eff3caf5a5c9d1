//! The feeds pane: All, Starred, query feeds, tags, then each feed with unread/total and an error marker.

use super::{inner, pane, theme};
use crate::app::{App, FeedEntry};
use crate::model::FeedStatus;
use crate::text::{display_width, truncate_to_width};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Draw the feeds list into `area`.
pub fn draw(frame: &mut Frame, app: &App, area: Rect, focused: bool) {
    let block = pane(" Feeds ".into(), focused);
    let Some(inner_area) = inner(&block, area) else {
        frame.render_widget(block, area);
        return;
    };
    frame.render_widget(block, area);
    let width = inner_area.width as usize;
    let cursor = app.feeds_cursor;
    let lines: Vec<Line> = app
        .entries
        .iter()
        .enumerate()
        .skip(cursor.offset)
        .take(inner_area.height as usize)
        .map(|(i, entry)| entry_line(app, entry, width, i == cursor.selected))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner_area);
}

fn entry_line(app: &App, entry: &FeedEntry, width: usize, selected: bool) -> Line<'static> {
    let counts = app.entry_counts(entry);
    let (name, marker) = match entry {
        FeedEntry::All => ("All articles".to_string(), ' '),
        FeedEntry::Starred => ("★ Starred".to_string(), ' '),
        FeedEntry::Query(i) => (
            format!(
                "⌕ {}",
                app.query_feeds.get(*i).map_or("", |q| q.name.as_str())
            ),
            ' ',
        ),
        FeedEntry::Tag(tag) => (format!("#{tag}"), ' '),
        FeedEntry::Feed(id) => match app.store.feed(*id) {
            Some(feed) => {
                let marker = match feed.status {
                    FeedStatus::Error { .. } => '!',
                    FeedStatus::Fetching => '↻',
                    _ => ' ',
                };
                (format!("  {}", feed.display_name()), marker)
            }
            None => (String::new(), ' '),
        },
    };
    let count_text = format!(" {}/{}", counts.unread, counts.total);
    let name_width = width.saturating_sub(display_width(&count_text) + 1);
    let name = truncate_to_width(&name, name_width);
    let pad = width.saturating_sub(display_width(&name) + display_width(&count_text) + 1);
    let disabled =
        matches!(entry, FeedEntry::Feed(id) if app.store.feed(*id).is_some_and(|f| !f.enabled));
    let base = if disabled {
        // `enabled = false`: listed, never fetched.
        theme::dim()
    } else if counts.unread > 0 {
        theme::unread()
    } else {
        theme::read()
    };
    let marker_style = if marker == '!' {
        theme::error()
    } else {
        theme::dim()
    };
    let mut spans = vec![
        Span::styled(marker.to_string(), marker_style),
        Span::styled(name, base),
        Span::raw(" ".repeat(pad)),
        Span::styled(count_text, theme::dim()),
    ];
    if width < 2 {
        spans.truncate(1);
    }
    let line = Line::from(spans);
    if selected {
        line.style(theme::selected())
    } else {
        line
    }
}
