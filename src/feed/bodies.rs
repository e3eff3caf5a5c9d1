//! Which text is an article's teaser and which its body, and in what markup: Atom `type="text"` is
//! escaped so it shows literally, base64 content is decoded (or dropped when it is no text), bodies
//! that feed-rs does not map (`xhtml:body`, `fullitem`, `dc:description`, `itunes:summary`) fill in,
//! and when both exist the shorter one is the summary.

use crate::feed::extras::ItemExtras;
use crate::feed::legacy::decode_base64_text;
use crate::text::sanitize_text_owned;
use feed_rs::model::{Entry, FeedType, Text};
use std::borrow::Cow;

/// Longest summary or content HTML (bytes).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// (summary, content) as sanitised HTML, either possibly absent. The entry's texts are taken, not
/// copied: a clean body keeps the allocation feed-rs made for it.
pub fn summary_and_content(
    entry: &mut Entry,
    feed_type: &FeedType,
    extras: &ItemExtras,
) -> (Option<String>, Option<String>) {
    let literal = matches!(feed_type, FeedType::Atom | FeedType::JSON);
    let summary = entry
        .summary
        .take()
        .and_then(|t| clean(text_html(t, literal)))
        .or_else(|| extras.description.clone().and_then(clean));
    let content = entry
        .content
        .take()
        .and_then(|c| {
            let mime = c.content_type.essence().to_string();
            content_html(c.body?, &mime)
        })
        .and_then(clean)
        .or_else(|| extras.body.clone().and_then(clean));
    match (summary, content) {
        // A teaser in the content slot and the full text in the summary's: swap them.
        (Some(s), Some(c)) if s.len() > c.len() => (Some(c), Some(s)),
        (None, Some(c)) => (None, Some(c)),
        other => other,
    }
}

/// A text construct as HTML: Atom and JSON Feed plain text is escaped (it means what it says); RSS
/// text is HTML in practice.
fn text_html(text: Text, literal: bool) -> String {
    if literal && text.content_type.essence().to_string() == "text/plain" {
        escaped(text.content)
    } else {
        text.content
    }
}

/// `text` with `&`, `<` and `>` escaped (the same allocation when there are none).
fn escaped(text: String) -> String {
    match html_escape::encode_text(&text) {
        Cow::Borrowed(_) => None,
        Cow::Owned(escaped) => Some(escaped),
    }
    .unwrap_or(text)
}

/// Content of a media type: HTML and XML as they are, plain text escaped, any other type is base64
/// (RFC 4287 4.1.3.3) and kept only when it decodes to text.
fn content_html(body: String, mime: &str) -> Option<String> {
    let is_markup = mime == "text/html"
        || mime.ends_with("xhtml")
        || mime.ends_with("+xml")
        || mime.ends_with("/xml");
    if is_markup {
        return Some(body);
    }
    if mime.starts_with("text/") {
        return Some(escaped(body));
    }
    let decoded = decode_base64_text(&body)?;
    if decoded.contains('\0') {
        return None;
    }
    Some(escaped(decoded))
}

/// Capped, sanitised HTML; None when blank.
fn clean(mut html: String) -> Option<String> {
    if html.len() > MAX_BODY_BYTES {
        let keep = crate::text::cut_bytes(&html, MAX_BODY_BYTES).len();
        html.truncate(keep);
    }
    let text = sanitize_text_owned(html);
    (!text.trim().is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types() {
        let html = |body: &str, mime: &str| content_html(body.to_string(), mime);
        assert_eq!(html("<b>x</b>", "text/html").as_deref(), Some("<b>x</b>"));
        assert_eq!(html("a<b", "text/plain").as_deref(), Some("a&lt;b"));
        assert_eq!(
            html("SGk8", "application/octet-stream").as_deref(),
            Some("Hi&lt;")
        );
        let gif = "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";
        assert_eq!(html(gif, "image/gif"), None);
    }
}
