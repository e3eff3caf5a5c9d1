//! Titles and other one-line fields that may hold HTML: the same HTML → text path as article bodies,
//! flattened to one sanitised line. Every HTML5 named entity and numeric reference is decoded.

use super::{render_html_text, sanitize_line};

/// One display line from HTML (an Atom `type="html"`/`xhtml` title, an RSS title with markup or
/// entities): tags rendered away, entities decoded once, the result sanitised and on one line.
pub fn html_line(html: &str) -> String {
    let html = super::cut_bytes(html, super::html::MAX_HTML_BYTES);
    if has_tag(html) {
        sanitize_line(&render_html_text(html).to_plain())
    } else if html.contains('&') {
        sanitize_line(&html_escape::decode_html_entities(html))
    } else {
        sanitize_line(html)
    }
}

/// `<` followed by a letter, `/` or `!`: something an HTML parser treats as markup.
fn has_tag(s: &str) -> bool {
    memchr::memchr_iter(b'<', s.as_bytes()).any(|i| {
        s.as_bytes()
            .get(i + 1)
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'/' || *b == b'!')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_render_once() {
        assert_eq!(
            html_line("<b>Bold</b> &amp; &eacute;t&eacute; &#8230;"),
            "Bold & été …"
        );
        assert_eq!(html_line("AT&amp;T &#38; &#x26; &hearts;"), "AT&T & & ♥");
        assert_eq!(html_line("<p>one</p><p>two</p>"), "one two");
        assert_eq!(html_line("a < b and AT&T"), "a < b and AT&T");
        assert!(!html_line("x &#27;[2J <b>&#x1b;]0;t&#7;</b> y").contains(char::is_control));
    }
}
