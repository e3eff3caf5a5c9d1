//! The main content of a page: Readability (dom_smoothie) under `catch_unwind`, boilerplate removed,
//! with JSON-LD `articleBody` and `<article>` as fallbacks when Readability finds nothing usable.

use super::clean::{clean_content, text_len};
use super::ExtractError;
use dom_smoothie::{Config, Readability};
use std::panic::{catch_unwind, AssertUnwindSafe};
use url::Url;

/// Pages larger than this are cut before parsing, so one huge page cannot stall a worker.
pub const MAX_HTML_BYTES: usize = 5 * 1024 * 1024;

/// Content with fewer characters of text than this is not an article.
const MIN_ARTICLE_CHARS: usize = 200;

/// The article part of a page, ready for `text::render_html`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// The headline, as the page gives it (not yet sanitised).
    pub title: Option<String>,
    /// The author line, when the page names one.
    pub byline: Option<String>,
    /// The publication time as the page states it (usually ISO 8601).
    pub published: Option<String>,
    /// The main content as HTML.
    pub html: String,
}

/// Pick the main content of `html`; `url` is the page's address, used to resolve relative links.
/// Returns [`ExtractError::NoArticle`] when nothing that looks like an article is found. Never panics.
pub fn extract_article(html: &str, url: Option<&Url>) -> Result<Extracted, ExtractError> {
    let html = crate::text::cut_bytes(html, MAX_HTML_BYTES);
    // The same depth bound as the renderer's: parsing and scoring grow quadratically with nesting.
    let limited = crate::text::limit_depth(html);
    let html = limited.as_deref().unwrap_or(html);
    let base = url.filter(|u| matches!(u.scheme(), "http" | "https" | "file"));
    catch_unwind(AssertUnwindSafe(|| extract_unguarded(html, base)))
        .unwrap_or(Err(ExtractError::NoArticle))
}

fn extract_unguarded(html: &str, url: Option<&Url>) -> Result<Extracted, ExtractError> {
    let config = Config {
        max_elements_to_parse: 200_000,
        // Classes stay so that `clean` can recognise share bars and captions; the renderer ignores them.
        keep_classes: true,
        ..Config::default()
    };
    let readability = Readability::new(html, url.map(Url::as_str), Some(config));
    let article = readability.ok().and_then(|mut r| r.parse().ok());
    let mut extracted = Extracted::default();
    if let Some(article) = article {
        extracted.title = non_empty(article.title);
        extracted.byline = article.byline.and_then(non_empty);
        extracted.published = article.published_time.and_then(non_empty);
        extracted.html = clean_content(&article.content);
    }
    if text_len(&extracted.html) < MIN_ARTICLE_CHARS {
        if let Some(body) = super::fallback::fallback_content(html) {
            extracted.html = body;
        }
    }
    if text_len(&extracted.html) < MIN_ARTICLE_CHARS {
        return Err(ExtractError::NoArticle);
    }
    Ok(extracted)
}

fn non_empty(s: String) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}
