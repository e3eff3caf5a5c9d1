//! Full text of a linked page: fetch it through `feed::http`, pick the main content, render it.

use crate::feed::http::{Fetched, HttpClient};
use crate::model::Validators;
use crate::text::{render_html, Rendered};
use url::Url;

/// Why the full text could not be shown. Display is one line for the status bar.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("{0}")]
    Fetch(#[from] crate::feed::http::FetchError),
    #[error("not an HTML page ({0})")]
    NotHtml(String),
    #[error("no article found on the page")]
    NoArticle,
}

/// Fetch `url` and render its main text.
pub async fn fetch_full_text(client: &HttpClient, url: &Url) -> Result<Rendered, ExtractError> {
    let body = match client.fetch(url, &Validators::default()).await? {
        Fetched::Body(body) => body,
        Fetched::NotModified => return Err(ExtractError::NoArticle),
    };
    if let Some(ct) = body.content_type.as_deref() {
        if !ct.contains("html") {
            return Err(ExtractError::NotHtml(crate::text::sanitize_line(ct)));
        }
    }
    let html = String::from_utf8_lossy(&body.bytes);
    let rendered = render_html(&html, Some(&body.final_url));
    if rendered.blocks.is_empty() {
        return Err(ExtractError::NoArticle);
    }
    Ok(rendered)
}
