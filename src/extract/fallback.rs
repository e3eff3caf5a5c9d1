//! Where to look when Readability finds nothing: the page's JSON-LD `articleBody`, then its largest
//! `<article>` element.

use super::clean::{clean_content, text_len};
use dom_query::Document;

/// Content recovered without Readability, as HTML, or `None` when the page offers neither source.
pub fn fallback_content(html: &str) -> Option<String> {
    let doc = Document::from(html);
    let from_json_ld = doc
        .select(r#"script[type="application/ld+json"]"#)
        .iter()
        .filter_map(|script| serde_json::from_str::<serde_json::Value>(&script.text()).ok())
        .filter_map(|value| find_article_body(&value, 0))
        .max_by_key(|body| body.len())
        .map(|body| paragraphs_to_html(&body));
    let from_article = doc
        .select("article")
        .iter()
        .map(|article| {
            article
                .select("script, style, noscript, nav, aside, footer, form, button")
                .remove();
            clean_content(&article.html())
        })
        .max_by_key(|content| text_len(content));
    [from_json_ld, from_article]
        .into_iter()
        .flatten()
        .max_by_key(|content| text_len(content))
}

/// The longest `articleBody` string anywhere in a JSON-LD value (also inside `@graph` and arrays).
fn find_article_body(value: &serde_json::Value, depth: usize) -> Option<String> {
    if depth > 8 {
        return None;
    }
    match value {
        serde_json::Value::Object(map) => {
            let own = map
                .get("articleBody")
                .and_then(|v| v.as_str())
                .map(str::to_string);
            map.values()
                .filter_map(|v| find_article_body(v, depth + 1))
                .chain(own)
                .max_by_key(String::len)
        }
        serde_json::Value::Array(items) => items
            .iter()
            .filter_map(|v| find_article_body(v, depth + 1))
            .max_by_key(String::len),
        _ => None,
    }
}

/// Plain text with line breaks → `<p>` per non-empty line, HTML-escaped.
fn paragraphs_to_html(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        out.push_str("<p>");
        for c in line.chars() {
            match c {
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                _ => out.push(c),
            }
        }
        out.push_str("</p>\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_article_body_in_graph() {
        let body = "First paragraph of the story.\nSecond <one> & more.";
        let page = format!(
            r#"<script type="application/ld+json">{{"@graph":[{{"@type":"NewsArticle","articleBody":{}}}]}}</script>"#,
            serde_json::Value::String(body.into())
        );
        let html = fallback_content(&page).unwrap_or_default();
        assert!(html.contains("<p>First paragraph of the story.</p>"));
        assert!(html.contains("Second &lt;one&gt; &amp; more."));
    }

    #[test]
    fn nothing_to_fall_back_on() {
        assert_eq!(fallback_content("<p>hello</p>"), None);
    }
}
