//! Full text of a linked page: fetch it through `feed::http`, decode it, pick the main content
//! (Readability via dom_smoothie, plus generic boilerplate removal), render it with `text::render_html`.

mod article;
mod boilerplate;
mod clean;
mod decode;
mod fallback;

pub use article::{extract_article, Extracted, MAX_HTML_BYTES};
pub use decode::decode_page;

use crate::feed::http::{FetchError, Fetched, HttpClient};
use crate::model::Validators;
use crate::text::{render_html, Rendered};
use url::Url;

/// Why the full text could not be shown. Display is one line for the status bar.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// The download failed (timeout, HTTP status, too large, network).
    #[error("{0}")]
    Fetch(#[from] FetchError),
    /// The server answered with something other than HTML; holds the content type.
    #[error("not an HTML page ({0})")]
    NotHtml(String),
    /// The page had no recognisable article text.
    #[error("no article found on the page")]
    NoArticle,
}

/// Fetch `url`, extract its article and render it; also returns the metadata (title, byline, date).
pub async fn fetch_article(
    client: &HttpClient,
    url: &Url,
    style: RenderStyle,
) -> Result<(Extracted, Rendered), ExtractError> {
    let body = match client.fetch(url, &Validators::default()).await? {
        Fetched::Body(body) => body,
        // No validators were sent, so a 304 is a server bug; there is nothing to show.
        Fetched::NotModified => return Err(ExtractError::NoArticle),
    };
    if let Some(content_type) = body.content_type.as_deref() {
        if !is_html_type(content_type) {
            let mime = content_type.split(';').next().unwrap_or_default().trim();
            return Err(ExtractError::NotHtml(crate::text::sanitize_line(mime)));
        }
    }
    let final_url = body.final_url.clone();
    tokio::task::spawn_blocking(move || {
        extract_page(
            &body.bytes,
            body.content_type.as_deref(),
            Some(&final_url),
            style,
        )
    })
    .await
    .unwrap_or(Err(ExtractError::NoArticle))
}

/// How extracted HTML is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenderStyle {
    /// For reading: links as `[n]` footnotes, images as `[image: alt]`.
    Footnotes,
    /// Text only (`read --plain`, `--json`, the corpus benchmark).
    TextOnly,
}

/// Decode, extract and render a page already in memory: the one code path behind `read URL`,
/// `read FILE` and the corpus benchmark. Synchronous and CPU-bound.
pub fn extract_page(
    bytes: &[u8],
    content_type: Option<&str>,
    url: Option<&Url>,
    style: RenderStyle,
) -> Result<(Extracted, Rendered), ExtractError> {
    let html = decode_page(&bytes[..bytes.len().min(MAX_HTML_BYTES)], content_type);
    let extracted = extract_article(&html, url)?;
    let rendered = match style {
        RenderStyle::Footnotes => render_html(&extracted.html, url),
        RenderStyle::TextOnly => crate::text::render_html_text(&extracted.html),
    };
    if rendered.blocks.is_empty() {
        return Err(ExtractError::NoArticle);
    }
    Ok((extracted, rendered))
}

/// Whether a Content-Type names an HTML (or XHTML) document. A missing type is treated as HTML.
fn is_html_type(content_type: &str) -> bool {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    mime.is_empty()
        || mime == "text/html"
        || mime == "application/xhtml+xml"
        || mime.ends_with("+html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_types() {
        assert!(is_html_type("text/html; charset=utf-8"));
        assert!(is_html_type("application/xhtml+xml"));
        assert!(!is_html_type("application/pdf"));
        assert!(!is_html_type("image/png"));
    }
}
