//! Generic boilerplate removal on extracted content: share bars, subscribe prompts, related links,
//! comment forms and cookie notices that Readability sometimes keeps.

use dom_query::Document;

/// Characters of visible text in an HTML fragment (whitespace runs count once).
pub fn text_len(html: &str) -> usize {
    if html.is_empty() {
        return 0;
    }
    let doc = Document::from(html);
    let text = doc.select("body").text();
    text.split_whitespace().map(|w| w.chars().count() + 1).sum()
}

/// The content with boilerplate blocks removed.
pub fn clean_content(html: &str) -> String {
    html.to_string()
}
