//! The headlines pane: date, unread/star markers, title, and the feed name in merged views.

use super::{inner, pane, theme};
use crate::app::{App, FeedEntry};
use crate::store::View;
use crate::text::{display_width, truncate_to_width};
use chrono::{Datelike, Utc};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Draw the headlines of the selected entry into `area`.
pub fn draw(frame: &mut Frame, app: &App, area: Rect, focused: bool) {
    let view = app.current_view();
    let query_feed = match app.selected_entry() {
        Some(FeedEntry::Query(i)) => app.query_feeds.get(*i).map(|q| format!("⌕ {}", q.name)),
        _ => None,
    };
    let title = match &view {
        _ if query_feed.is_some() => query_feed.unwrap_or_default(),
        View::All => "All articles".to_string(),
        View::Starred => "Starred".to_string(),
        View::Tag(tag) => format!("#{tag}"),
        View::Feed(id) => app
            .store
            .feed(*id)
            .map(|f| f.display_name().to_string())
            .unwrap_or_default(),
    };
    let suffix = if app.unread_only { " (unread)" } else { "" };
    let title = match &app.finding.search {
        // The search and its matches among the view's articles.
        Some(search) => format!(
            " {} — /{} — {} of {}{} ",
            truncate_to_width(&title, 40),
            truncate_to_width(&search.text, 40),
            app.headlines.len(),
            app.finding.view_len(),
            suffix
        ),
        None => format!(
            " {} — {}{} ",
            truncate_to_width(&title, 60),
            app.headlines.len(),
            suffix
        ),
    };
    let block = pane(title, focused);
    let Some(inner_area) = inner(&block, area) else {
        frame.render_widget(block, area);
        return;
    };
    frame.render_widget(block, area);
    if app.headlines.is_empty() {
        let note = empty_note(app, &view);
        frame.render_widget(
            Paragraph::new(truncate_to_width(&note, inner_area.width as usize)),
            inner_area,
        );
        return;
    }
    let merged = !matches!(view, View::Feed(_));
    let width = inner_area.width as usize;
    let cursor = app.headlines_cursor;
    let this_year = Utc::now().year();
    // One column width for feed names on screen, so titles line up.
    let feed_column = if merged {
        app.headlines
            .iter()
            .skip(cursor.offset)
            .take(inner_area.height as usize)
            .filter_map(|k| app.store.feed(k.feed))
            .map(|f| display_width(f.display_name()))
            .max()
            .unwrap_or(0)
            .min(20)
            .min(width / 4)
    } else {
        0
    };
    let lines: Vec<Line> = app
        .headlines
        .iter()
        .enumerate()
        .skip(cursor.offset)
        .take(inner_area.height as usize)
        .filter_map(|(i, key)| {
            let article = app.store.get(*key)?;
            let date = article.published.or(article.updated).map_or_else(
                || "      ".to_string(),
                |d| {
                    if d.year() == this_year {
                        d.format("%b %d").to_string()
                    } else {
                        d.format("%Y-%m").to_string()
                    }
                },
            );
            let marker = if article.read { " " } else { "●" };
            let star = if article.starred { "★" } else { " " };
            let feed_name = if merged {
                app.store
                    .feed(key.feed)
                    .map(|f| truncate_to_width(f.display_name(), feed_column))
                    .unwrap_or_default()
            } else {
                String::new()
            };
            let feed_space = if merged { feed_column + 2 } else { 0 };
            let title_column = width.saturating_sub(display_width(&date) + 4 + feed_space);
            // The comment count, when there is one, beside the headline (it yields first to the title).
            let comments = article
                .comments
                .filter(|n| *n > 0)
                .map(|n| format!(" [{n}]"))
                .filter(|c| display_width(c) * 3 <= title_column)
                .unwrap_or_default();
            let title_column = title_column - display_width(&comments);
            let title = truncate_to_width(&article.title, title_column);
            let title_pad = title_column.saturating_sub(display_width(&title));
            let style = if article.read {
                theme::read()
            } else {
                theme::unread()
            };
            let mut spans = vec![
                Span::styled(marker, theme::unread()),
                Span::styled(star, theme::star()),
                Span::styled(format!("{date}  "), theme::dim()),
                Span::styled(title, style),
                Span::styled(comments, theme::dim()),
                Span::raw(" ".repeat(title_pad)),
            ];
            if merged && title_column > 0 {
                spans.push(Span::raw("  "));
                spans.push(Span::styled(feed_name, theme::dim()));
            }
            let line = Line::from(spans);
            Some(if i == cursor.selected {
                line.style(theme::selected())
            } else {
                line
            })
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner_area);
}

fn empty_note(app: &App, view: &View) -> String {
    if app.finding.search.is_some() || app.finding.filter.is_some() {
        return "Nothing matches (Esc clears the search, F the filter).".into();
    }
    if app.unread_only {
        return "No unread articles (u shows all).".into();
    }
    match view {
        View::Feed(id) => match app.store.feed(*id).map(|f| &f.status) {
            Some(crate::model::FeedStatus::Error { message, .. }) => {
                format!("Could not load: {message}")
            }
            Some(crate::model::FeedStatus::Fetching) => "Fetching…".into(),
            Some(crate::model::FeedStatus::NeverFetched) => "Not fetched yet (r refreshes).".into(),
            _ => "This feed has no articles.".into(),
        },
        View::Starred => "No starred articles (s stars one).".into(),
        _ if !app.refresh.in_flight.is_empty() => "Fetching feeds…".into(),
        _ => "No articles yet (R refreshes all feeds).".into(),
    }
}
