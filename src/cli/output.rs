//! What the scriptable commands print: stdout for results, stderr for messages.

use super::ExitError;
use crate::extract::RenderStyle;
use crate::model::{Article, FeedStatus};
use crate::store::{ArticleKey, Store};
use crate::text::{self, LineKind};
use serde::Serialize;
use std::io::Write;

/// `tidings fetch`: one line per feed and a total; exit 0 when at least one feed loaded.
pub fn print_fetch(store: &Store) -> i32 {
    let mut ok = 0;
    let mut failed = 0;
    for feed in store.feeds() {
        let counts = store.counts(feed.id);
        match &feed.status {
            FeedStatus::Error { message, .. } => {
                failed += 1;
                let waiting = feed
                    .retry_not_before
                    .filter(|t| *t > chrono::Utc::now())
                    .map(|t| {
                        format!(
                            " (not fetched: asked to wait until {})",
                            t.format("%H:%M UTC")
                        )
                    })
                    .unwrap_or_default();
                println!("✗ {}: {message}{waiting}", feed.display_name());
            }
            _ => {
                ok += 1;
                println!(
                    "✓ {}: {} articles, {} unread",
                    feed.display_name(),
                    counts.total,
                    counts.unread
                );
            }
        }
    }
    let total = store.total_counts();
    println!(
        "{ok} feed(s) loaded, {failed} failed, {} articles",
        total.total
    );
    if ok > 0 || store.feeds().is_empty() {
        0
    } else {
        1
    }
}

/// An article as `list --json` prints it.
#[derive(Serialize)]
struct ArticleJson<'a> {
    id: &'a str,
    feed: &'a str,
    feed_url: &'a str,
    title: &'a str,
    link: Option<&'a str>,
    authors: &'a [String],
    published: Option<String>,
    updated: Option<String>,
    summary: Option<String>,
    categories: &'a [String],
    comments: Option<u32>,
    enclosures: Vec<&'a str>,
    read: bool,
    starred: bool,
}

/// `tidings list`: headlines as text lines or one JSON array.
pub fn print_list(store: &Store, keys: &[ArticleKey], json: bool) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if json {
        let items: Vec<ArticleJson> = keys
            .iter()
            .filter_map(|k| article_json(store, *k))
            .collect();
        serde_json::to_writer_pretty(&mut out, &items)?;
        writeln!(out)?;
        return Ok(());
    }
    for key in keys {
        let (Some(a), Some(feed)) = (store.get(*key), store.feed(key.feed)) else {
            continue;
        };
        let date = a
            .published
            .or(a.updated)
            .map_or("                ".to_string(), |d| {
                d.format("%Y-%m-%d %H:%M").to_string()
            });
        let mark = if a.read { ' ' } else { '*' };
        writeln!(out, "{mark} {date}  {}  {}", feed.display_name(), a.title)?;
    }
    Ok(())
}

fn article_json(store: &Store, key: ArticleKey) -> Option<ArticleJson<'_>> {
    let a: &Article = store.get(key)?;
    let feed = store.feed(key.feed)?;
    Some(ArticleJson {
        id: &a.id.0,
        feed: feed.display_name(),
        feed_url: &feed.url,
        title: &a.title,
        link: a.link.as_deref(),
        authors: &a.authors,
        published: a.published.map(|d| d.to_rfc3339()),
        updated: a.updated.map(|d| d.to_rfc3339()),
        summary: a
            .summary
            .as_deref()
            .map(|s| text::render_html_text(s).to_plain()),
        categories: &a.categories,
        comments: a.comments,
        enclosures: a.enclosures.iter().map(|e| e.url.as_str()).collect(),
        read: a.read,
        starred: a.starred,
    })
}

/// `tidings read URL|FILE`: the page's article (header + text), wrapped, plain, or JSON.
pub async fn read(
    target: &str,
    plain: bool,
    json: bool,
    width: Option<usize>,
    limits: crate::feed::http::Limits,
) -> anyhow::Result<i32> {
    let failed = |e: crate::extract::ExtractError| ExitError {
        code: 1,
        message: format!("{}: {e}", text::sanitize_line(target)),
    };
    // Wrapped reading shows link footnotes; plain and JSON output are text only.
    let style = if plain || json {
        RenderStyle::TextOnly
    } else {
        RenderStyle::Footnotes
    };
    let (extracted, rendered) = if target.starts_with("http://") || target.starts_with("https://") {
        let url = url::Url::parse(target).map_err(|e| ExitError {
            code: 2,
            message: format!("bad URL: {e}"),
        })?;
        let client = crate::feed::http::HttpClient::new(limits)?;
        crate::extract::fetch_article(&client, &url, style)
            .await
            .map_err(failed)?
    } else {
        let bytes = std::fs::read(target).map_err(|e| ExitError {
            code: 1,
            message: format!("cannot read {}: {e}", text::sanitize_line(target)),
        })?;
        crate::extract::extract_page(&bytes, None, None, style).map_err(failed)?
    };
    let title = extracted.title.as_deref().map(text::sanitize_line);
    let byline = extracted.byline.as_deref().map(text::sanitize_line);
    let published = extracted.published.as_deref().map(text::sanitize_line);
    let mut out = std::io::stdout().lock();
    if json {
        let value = serde_json::json!({
            "title": title, "byline": byline, "published": published, "text": rendered.to_plain()
        });
        serde_json::to_writer_pretty(&mut out, &value)?;
        writeln!(out)?;
    } else if plain {
        writeln!(out, "{}", rendered.to_plain())?;
    } else {
        let width = width.unwrap_or_else(terminal_width).clamp(10, 100);
        let meta: Vec<&str> = [byline.as_deref(), published.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if let Some(title) = &title {
            for line in textwrap::wrap(title, width) {
                writeln!(out, "{line}")?;
            }
        }
        if !meta.is_empty() {
            for line in textwrap::wrap(&meta.join(" · "), width) {
                writeln!(out, "{line}")?;
            }
        }
        if title.is_some() || !meta.is_empty() {
            writeln!(out)?;
        }
        for line in text::wrap_rendered(&rendered, width) {
            if line.kind == LineKind::Blank {
                writeln!(out)?;
            } else {
                writeln!(out, "{}", line.text)?;
            }
        }
    }
    Ok(0)
}

fn terminal_width() -> usize {
    crossterm::terminal::size()
        .map(|(w, _)| w as usize)
        .unwrap_or(80)
}
