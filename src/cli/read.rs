//! `tidings read URL|FILE`: the article of a web page or a saved HTML file, wrapped for people,
//! plain (one line per paragraph) or JSON.

use super::ExitError;
use crate::extract::RenderStyle;
use crate::text::{self, LineKind};
use std::io::Write;

/// Arguments of `tidings read`.
#[derive(Debug, clap::Args)]
pub struct ReadArgs {
    /// http(s) URL or path to an .html file.
    pub target: String,
    /// One line per paragraph, blank line between, no wrapping.
    #[arg(long)]
    pub plain: bool,
    /// Print {title, byline, published, text} as JSON.
    #[arg(long)]
    pub json: bool,
    /// Wrap to this many columns (default: the terminal's width, at most 100).
    #[arg(long)]
    pub width: Option<usize>,
}

/// `tidings read URL|FILE`: the page's article (header + text), wrapped, plain, or JSON.
pub async fn run(args: &ReadArgs, limits: crate::feed::http::Limits) -> anyhow::Result<i32> {
    let ReadArgs {
        target,
        plain,
        json,
        width,
    } = args;
    let (plain, json, width) = (*plain, *json, *width);
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
    let page_url = url::Url::parse(target)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"));
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
        let images = image_list(&extracted.html, page_url.as_ref());
        let value = serde_json::json!({
            "title": title, "byline": byline, "published": published, "text": rendered.to_plain(),
            "images": images,
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

/// The article's pictures for `--json`: `{url, alt}` in document order (`url` null when unusable).
fn image_list(html: &str, base: Option<&url::Url>) -> Vec<serde_json::Value> {
    text::render_html_with_images(html, base)
        .blocks
        .into_iter()
        .filter_map(|b| match b {
            text::Block::Image { url, alt } => Some(serde_json::json!({ "url": url, "alt": alt })),
            _ => None,
        })
        .collect()
}
