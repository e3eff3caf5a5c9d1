//! Article and enclosure links: resolved against the feed URL, http(s) only, bounded. Most feeds write
//! links that are already in the form the `url` crate would print; those are recognised by a strict
//! byte check and kept as written, which saves a full URL parse per link on the parse path.

use url::Url;

/// Longest link kept (bytes); longer ones are dropped.
pub const MAX_LINK_BYTES: usize = 32 * 1024;

/// Resolve `href` against `base` and keep it only when it is http(s) and of sane length.
pub fn web_url(href: &str, base: &Url) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.len() > MAX_LINK_BYTES {
        return None;
    }
    if is_canonical_web_url(href) {
        return Some(href.to_string());
    }
    let url = base.join(href).ok()?;
    matches!(url.scheme(), "http" | "https")
        .then(|| url.to_string())
        .filter(|u| u.len() <= MAX_LINK_BYTES && !u.chars().any(char::is_control))
}

/// Media types of feeds: an `alternate` link of one of these is another format of the feed, not
/// its web site.
const FEED_MEDIA_TYPES: [&str; 7] = [
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/json",
    "application/xml",
    "text/xml",
];

/// The feed's own web site among feed-rs's feed-level `links`: for JSON Feed its first link (feed-rs
/// pushes `home_page_url`, then `feed_url`, both without `rel`; the caller drops it when the document
/// has no `home_page_url`); otherwise the first link without `rel` (RSS `<channel><link>`) or with
/// `rel="alternate"` (feed-rs gives an Atom link without `rel` that value), that is not of a feed
/// media type and is not the feed itself. Resolved with [`web_url`]; a link that hides a control
/// character (percent-encoded: feed-rs has already parsed it) is dropped.
pub fn site_link(
    links: &[feed_rs::model::Link],
    feed_type: &feed_rs::model::FeedType,
    base: &Url,
) -> Option<String> {
    let candidates: Vec<&feed_rs::model::Link> = match feed_type {
        feed_rs::model::FeedType::JSON => links.iter().take(1).collect(),
        _ => links
            .iter()
            .filter(|l| {
                l.rel
                    .as_deref()
                    .is_none_or(|r| r.trim().eq_ignore_ascii_case("alternate"))
            })
            .filter(|l| {
                l.media_type.as_deref().is_none_or(|t| {
                    let essence = t.split(';').next().unwrap_or("").trim();
                    !FEED_MEDIA_TYPES
                        .iter()
                        .any(|f| f.eq_ignore_ascii_case(essence))
                })
            })
            .collect(),
    };
    candidates
        .into_iter()
        .filter_map(|l| web_url(&l.href, base))
        .find(|u| u != base.as_str() && !hides_control(u))
}

/// True when `url` holds a percent-encoded C0 control or DEL (`%1B` is an escape sequence once a
/// program decodes the link).
fn hides_control(url: &str) -> bool {
    url.as_bytes().windows(3).any(|w| {
        w[0] == b'%'
            && matches!(
                (w[1].to_ascii_uppercase(), w[2].to_ascii_uppercase()),
                (b'0' | b'1', b'0'..=b'9' | b'A'..=b'F') | (b'7', b'F')
            )
    })
}

/// True when `href` is an absolute http(s) URL that the `url` crate would print unchanged: lowercase
/// scheme and host name (letters, digits, `-`, `.`; not an IP address, not punycode), no port, user
/// or dot segments, a path, and only characters that are never escaped or rewritten. Anything else
/// takes the full parse.
pub fn is_canonical_web_url(href: &str) -> bool {
    let Some(rest) = href
        .strip_prefix("https://")
        .or_else(|| href.strip_prefix("http://"))
    else {
        return false;
    };
    let Some(slash) = rest.find('/') else {
        return false;
    };
    let (host, path) = rest.split_at(slash);
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && !host.starts_with(['.', '-'])
        && !host.contains("..")
        && !host.contains("xn--")
        // A last label that starts with a digit makes the `url` crate read an IPv4 address.
        && host
            .trim_end_matches('.')
            .rsplit('.')
            .next()
            .is_some_and(|label| label.starts_with(|c: char| c.is_ascii_lowercase()));
    let path_ok = path.bytes().all(|b| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b':'
                    | b'@'
                    | b'/'
                    | b'?'
                    | b'#'
            )
    }) && !path.contains("/.")
        && !path.contains("%");
    host_ok && path_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn links_are_web_only() {
        let base = Url::parse("http://h/dir/feed.xml").expect("static URL");
        assert_eq!(
            web_url("a.html", &base).as_deref(),
            Some("http://h/dir/a.html")
        );
        assert_eq!(web_url("javascript:alert(1)", &base), None);
        assert_eq!(web_url("file:///etc/passwd", &base), None);
        assert_eq!(web_url("", &base), None);
        assert_eq!(
            web_url("HTTP://Example.COM", &base).as_deref(),
            Some("http://example.com/")
        );
        assert!(is_canonical_web_url("https://news.example.org/a/b?c=d&e#f"));
        for odd in [
            "http://127.0.0.1/",
            "http://h.example.com",
            "http://a/./b",
            "http://a/%7e",
            "http://xn--nxasmq6b/",
            "http://a b/",
            "http://a/b c",
        ] {
            assert!(!is_canonical_web_url(odd), "{odd}");
        }
    }

    #[test]
    fn hidden_controls_are_seen() {
        for hostile in [
            "https://a/%1B[31m",
            "https://a/%7f",
            "https://a/?q=%00",
            "https://a/%0a",
        ] {
            assert!(hides_control(hostile), "{hostile}");
        }
        for fine in [
            "https://a/%20",
            "https://a/%E2%80%94",
            "https://a/100%25",
            "https://a/%",
        ] {
            assert!(!hides_control(fine), "{fine}");
        }
    }

    proptest! {
        #[test]
        fn canonical_links_are_what_the_url_crate_prints(
            host in "[a-z0-9.-]{1,12}", path in "[a-zA-Z0-9._~!$&()*+,;=:@/?#%'\\[\\] -]{0,24}",
            https in any::<bool>()
        ) {
            let href = format!("{}://{host}/{path}", if https { "https" } else { "http" });
            if is_canonical_web_url(&href) {
                let parsed = Url::parse(&href).map(String::from);
                prop_assert_eq!(parsed.as_deref(), Ok(href.as_str()));
            }
        }

        #[test]
        fn plain_links_take_the_fast_path_correctly(
            host in "[a-z][a-z0-9-]{0,8}(\\.[a-z][a-z0-9-]{0,8}){0,2}",
            path in "[a-zA-Z0-9._~!$&()*+,;=:@/?#-]{0,24}"
        ) {
            let href = format!("https://{host}/{path}");
            prop_assert!(is_canonical_web_url(&href) || href.contains("/.") || href.contains("--"));
            if is_canonical_web_url(&href) {
                let parsed = Url::parse(&href).map(String::from);
                prop_assert_eq!(parsed.as_deref(), Ok(href.as_str()));
            }
        }
    }
}
