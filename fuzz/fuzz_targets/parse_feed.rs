//! Feed bytes → parse → render → wrap must never panic, hang or let a control character into a title.
//! AFL++ on stable (cargo-afl); seeds are the fixtures and the hostile corpus (`fuzz/seed.sh`).

use tidings::feed::parse::parse_feed;
use tidings::model::FeedId;
use tidings::text::{display_width, render_html, render_html_text, wrap_rendered};

/// Characters that must never reach a terminal from feed text (newline is not allowed in a title).
fn is_forbidden(c: char) -> bool {
    c.is_control()
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

fn check(data: &[u8]) {
    let url = url::Url::parse("http://127.0.0.1:8999/feeds/fuzz.xml").expect("static URL");
    let Ok(parsed) = parse_feed(data, None, &url, FeedId(0)) else {
        return;
    };
    if let Some(title) = &parsed.title {
        assert!(!title.chars().any(is_forbidden), "feed title {title:?}");
    }
    for article in &parsed.articles {
        assert!(
            !article.title.chars().any(is_forbidden),
            "article title {:?}",
            article.title
        );
        for author in &article.authors {
            assert!(!author.chars().any(is_forbidden), "author {author:?}");
        }
        if let Some(link) = &article.link {
            assert!(link.starts_with("http://") || link.starts_with("https://"), "link {link:?}");
        }
        let rendered = render_html(article.body_html(), Some(&url));
        for line in wrap_rendered(&rendered, 60) {
            assert!(
                !line.text.chars().any(|c| c.is_control() && c != '\n'),
                "wrapped line {:?}",
                line.text
            );
            assert!(display_width(&line.text) <= 60, "too wide: {:?}", line.text);
        }
        let plain = render_html_text(article.summary().unwrap_or("")).to_plain();
        assert!(!plain.chars().any(|c| c.is_control() && c != '\n'), "summary {plain:?}");
    }
}

fn main() {
    afl::fuzz!(|data: &[u8]| {
        check(data);
    });
}
