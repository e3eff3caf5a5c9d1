//! Which text is an article's teaser and which its body, and in what markup: Atom `type="text"` is
//! escaped so it shows literally, base64 content is decoded (or dropped when it is no text), bodies
//! that feed-rs does not map (`xhtml:body`, `fullitem`, `dc:description`, `itunes:summary`) fill in,
//! and when both exist the shorter one is the summary.

use crate::feed::extras::ItemExtras;
use crate::feed::legacy::decode_base64_text;
use crate::text::{cut_bytes, sanitize_text};
use feed_rs::model::{Entry, FeedType, Text};
use std::borrow::Cow;

/// Longest summary or content HTML (bytes).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// (summary, content) as sanitised HTML, either possibly absent.
pub fn summary_and_content(
    entry: &Entry,
    feed_type: &FeedType,
    extras: &ItemExtras,
) -> (Option<String>, Option<String>) {
    let literal = matches!(feed_type, FeedType::Atom | FeedType::JSON);
    let summary = entry
        .summary
        .as_ref()
        .and_then(|t| clean(&text_html(t, literal)))
        .or_else(|| extras.description.as_deref().and_then(clean));
    let content = entry
        .content
        .as_ref()
        .and_then(|c| {
            let body = c.body.as_deref()?;
            content_html(body, c.content_type.essence().to_string().as_str())
        })
        .and_then(|html| clean(&html))
        .or_else(|| extras.body.as_deref().and_then(clean));
    match (summary, content) {
        // A teaser in the content slot and the full text in the summary's: swap them.
        (Some(s), Some(c)) if s.len() > c.len() => (Some(c), Some(s)),
        (None, Some(c)) => (None, Some(c)),
        other => other,
    }
}

/// A text construct as HTML: Atom and JSON Feed plain text is escaped (it means what it says); RSS
/// text is HTML in practice.
fn text_html(text: &Text, literal: bool) -> Cow<'_, str> {
    if literal && text.content_type.essence().to_string() == "text/plain" {
        html_escape::encode_text(&text.content)
    } else {
        Cow::Borrowed(&text.content)
    }
}

/// Content of a media type: HTML and XML as they are, plain text escaped, any other type is base64
/// (RFC 4287 4.1.3.3) and kept only when it decodes to text.
fn content_html<'a>(body: &'a str, mime: &str) -> Option<Cow<'a, str>> {
    let is_markup = mime == "text/html"
        || mime.ends_with("xhtml")
        || mime.ends_with("+xml")
        || mime.ends_with("/xml");
    if is_markup {
        return Some(Cow::Borrowed(body));
    }
    if mime.starts_with("text/") {
        return Some(html_escape::encode_text(body));
    }
    let decoded = decode_base64_text(body)?;
    if decoded.contains('\0') {
        return None;
    }
    Some(Cow::Owned(html_escape::encode_text(&decoded).into_owned()))
}

/// Capped, sanitised HTML; None when blank.
fn clean(html: &str) -> Option<String> {
    let text = sanitize_text(cut_bytes(html, MAX_BODY_BYTES));
    (!text.trim().is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types() {
        assert_eq!(
            content_html("<b>x</b>", "text/html").as_deref(),
            Some("<b>x</b>")
        );
        assert_eq!(content_html("a<b", "text/plain").as_deref(), Some("a&lt;b"));
        assert_eq!(
            content_html("SGk8", "application/octet-stream").as_deref(),
            Some("Hi&lt;")
        );
        assert_eq!(
            content_html(
                "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7",
                "image/gif"
            ),
            None
        );
    }
}
