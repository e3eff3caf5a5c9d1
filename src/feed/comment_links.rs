//! Where an item's conversation is: its comment feed (`wfw:commentRss`, or an Atom
//! `link rel="replies"` of a feed type, RFC 4685) and its comments page (RSS `<comments>`, or a
//! replies link of HTML type). feed-rs keeps both among the item's links; they are told apart here.

use feed_rs::model::{Link, LinkTarget};
use url::Url;

/// (comment feed, comments page) of an item, each an absolute http(s) URL; the first of each kind.
pub fn comment_links(links: &[Link], base: &Url) -> (Option<String>, Option<String>) {
    let mut feed = None;
    let mut page = None;
    for link in links {
        let is_replies = link
            .rel
            .as_deref()
            .is_some_and(|r| r.eq_ignore_ascii_case("replies"));
        let slot = match (&link.target, is_replies) {
            (Some(LinkTarget::CommentsFeed), _) => &mut feed,
            (Some(LinkTarget::Comments), _) => &mut page,
            (None, true) if is_html(link.media_type.as_deref()) => &mut page,
            // A replies link names a feed of replies unless it says it is a page.
            (None, true) => &mut feed,
            _ => continue,
        };
        if slot.is_none() {
            *slot = super::normalise::web_url(&link.href, base);
        }
    }
    (feed, page)
}

fn is_html(media_type: Option<&str>) -> bool {
    media_type.is_some_and(|t| {
        let t = t.trim().to_ascii_lowercase();
        t.starts_with("text/html") || t.starts_with("application/xhtml")
    })
}

#[cfg(test)]
mod tests {
    use crate::feed::parse::parse_feed;
    use crate::model::FeedId;
    use url::Url;

    fn links(xml: &str) -> (Option<String>, Option<String>) {
        let base = Url::parse("http://h/feed.xml").expect("static URL");
        let parsed = parse_feed(xml.as_bytes(), None, &base, FeedId(0)).expect("parses");
        let a = &parsed.articles[0];
        (a.comment_feed.clone(), a.comments_page.clone())
    }

    #[test]
    fn rss_comment_rss_and_comments() {
        let xml = r#"<rss version="2.0" xmlns:wfw="http://wellformedweb.org/CommentAPI/">
            <channel><title>B</title><item><title>Post</title><link>http://h/post</link>
            <comments>http://h/post#comments</comments>
            <wfw:commentRss>http://h/post/feed/</wfw:commentRss></item></channel></rss>"#;
        assert_eq!(
            links(xml),
            (
                Some("http://h/post/feed/".into()),
                Some("http://h/post#comments".into())
            )
        );
    }

    #[test]
    fn atom_replies_links_by_type() {
        let xml = r#"<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0">
            <title>B</title><id>urn:b</id><updated>2026-01-01T00:00:00Z</updated>
            <entry><title>Post</title><id>urn:p</id><updated>2026-01-01T00:00:00Z</updated>
            <link rel="alternate" href="http://h/post"/>
            <link rel="replies" type="text/html" href="/post#comments" thr:count="3"/>
            <link rel="replies" type="application/atom+xml" href="/post/comments.xml" thr:count="3"/>
            </entry></feed>"#;
        assert_eq!(
            links(xml),
            (
                Some("http://h/post/comments.xml".into()),
                Some("http://h/post#comments".into())
            )
        );
    }

    #[test]
    fn none_without_links_and_never_a_script() {
        let xml = r#"<rss version="2.0" xmlns:wfw="http://wellformedweb.org/CommentAPI/">
            <channel><title>B</title><item><title>Post</title><link>http://h/post</link>
            <wfw:commentRss>javascript:alert(1)</wfw:commentRss></item></channel></rss>"#;
        assert_eq!(links(xml), (None, None));
    }
}
