//! feed-rs entries → `model::Article`: stable ids, absolute http(s) links, sane dates, sanitised and
//! length-capped fields.

use crate::model::{Article, ArticleId, Body, Enclosure, FeedId, ParsedFeed};
use crate::text::{sanitize_line, sanitize_text};
use chrono::{DateTime, Datelike, Utc};
use std::collections::HashSet;
use url::Url;

/// Most articles kept from one feed document (the first ones, usually the newest).
pub const MAX_ITEMS: usize = 5_000;
/// Longest title, author, category (chars).
pub const MAX_TITLE_CHARS: usize = 1_000;
/// Longest author or category name (chars).
const MAX_NAME_CHARS: usize = 200;
/// Longest summary or content HTML (bytes).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// Longest link kept (bytes); longer ones are dropped.
const MAX_LINK_BYTES: usize = 32 * 1024;
/// Most authors, categories and enclosures kept per article.
const MAX_LIST: usize = 32;
/// Chars of the summary used as a title when an item has none.
const FALLBACK_TITLE_CHARS: usize = 80;

/// Turn a parsed feed into articles. `comments[i]` is the `slash:comments` count of entry `i`.
pub fn normalise(
    parsed: feed_rs::model::Feed,
    base: &Url,
    feed: FeedId,
    comments: &[Option<u32>],
) -> ParsedFeed {
    let now = Utc::now();
    let title = parsed
        .title
        .as_ref()
        .map(|t| cap_chars(&sanitize_line(&t.content), MAX_TITLE_CHARS))
        .filter(|t| !t.is_empty());
    let mut seen = HashSet::new();
    let mut articles = Vec::new();
    for (index, entry) in parsed.entries.into_iter().enumerate() {
        if articles.len() >= MAX_ITEMS {
            break;
        }
        let article = article_from(
            entry,
            base,
            feed,
            now,
            comments.get(index).copied().flatten(),
        );
        if seen.insert(article.id.clone()) {
            articles.push(article);
        }
    }
    ParsedFeed { title, articles }
}

fn article_from(
    entry: feed_rs::model::Entry,
    base: &Url,
    feed: FeedId,
    now: DateTime<Utc>,
    comments: Option<u32>,
) -> Article {
    let link = pick_link(&entry.links, base);
    let (comment_feed, comments_page) = super::comment_links::comment_links(&entry.links, base);
    let raw_title = entry.title.as_ref().map(title_text).unwrap_or_default();
    let raw_title = raw_title.as_str();
    let raw_summary = entry
        .summary
        .as_ref()
        .map(|t| t.content.as_str())
        .unwrap_or("");
    let published = plausible_date(entry.published, now);
    let updated = plausible_date(entry.updated, now);
    let id = stable_id(
        &entry.id,
        link.as_deref(),
        base,
        raw_title,
        published.or(updated),
        &entry,
    );
    let summary = body(raw_summary);
    let content = entry
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .and_then(body);
    let mut title = cap_chars(&sanitize_line(raw_title), MAX_TITLE_CHARS);
    if title.is_empty() {
        title = fallback_title(summary.as_deref().or(content.as_deref()).unwrap_or(""));
    }
    let authors = entry
        .authors
        .iter()
        .filter_map(|p| p.name.as_deref().or(p.email.as_deref()))
        .map(|n| cap_chars(&sanitize_line(n), MAX_NAME_CHARS))
        .filter(|n| !n.is_empty())
        .take(MAX_LIST)
        .collect();
    let categories = entry
        .categories
        .iter()
        .map(|c| c.label.as_deref().unwrap_or(&c.term))
        .map(|n| cap_chars(&sanitize_line(n), MAX_NAME_CHARS))
        .filter(|n| !n.is_empty())
        .take(MAX_LIST)
        .collect();
    Article {
        id,
        feed,
        title,
        link,
        authors,
        published,
        updated,
        body: Body::new(summary, content),
        categories,
        comments,
        comment_feed,
        comments_page,
        words: None,
        enclosures: super::durations::with_durations(enclosures(&entry, base), &entry, base),
        read: false,
        starred: false,
        first_seen: now,
    }
}

/// The id from the document, else the link, else a hash of feed URL, title, date and summary.
fn stable_id(
    source_id: &str,
    link: Option<&str>,
    base: &Url,
    title: &str,
    date: Option<DateTime<Utc>>,
    entry: &feed_rs::model::Entry,
) -> ArticleId {
    let cleaned = cap_chars(&sanitize_line(source_id), 2_000);
    if !cleaned.is_empty() {
        return ArticleId(cleaned);
    }
    if let Some(link) = link {
        return ArticleId(link.to_string());
    }
    let mut hasher = sha1_smol::Sha1::new();
    hasher.update(base.as_str().as_bytes());
    hasher.update(b"\n");
    hasher.update(title.as_bytes());
    hasher.update(b"\n");
    hasher.update(date.map(|d| d.to_rfc3339()).unwrap_or_default().as_bytes());
    hasher.update(b"\n");
    if let Some(summary) = &entry.summary {
        hasher.update(summary.content.as_bytes());
    }
    hasher.update(b"\n");
    if let Some(body) = entry.content.as_ref().and_then(|c| c.body.as_deref()) {
        hasher.update(body.as_bytes());
    }
    ArticleId(hasher.digest().to_string())
}

/// Prefer `rel="alternate"` (or no rel); resolve against the feed URL; http(s) only.
fn pick_link(links: &[feed_rs::model::Link], base: &Url) -> Option<String> {
    let preferred = links
        .iter()
        .filter(|l| {
            l.rel
                .as_deref()
                .is_none_or(|r| r.eq_ignore_ascii_case("alternate"))
        })
        .chain(links.iter().filter(|l| {
            l.rel.as_deref().is_some_and(|r| {
                !r.eq_ignore_ascii_case("enclosure") && !r.eq_ignore_ascii_case("self")
            })
        }));
    // A blank <link/> resolves to the feed's own URL, which is never the article.
    preferred
        .filter_map(|l| web_url(&l.href, base))
        .find(|u| u != base.as_str())
}

/// Resolve `href` against `base` and keep it only when it is http(s) and of sane length.
pub fn web_url(href: &str, base: &Url) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.len() > MAX_LINK_BYTES {
        return None;
    }
    let url = base.join(href).ok()?;
    matches!(url.scheme(), "http" | "https")
        .then(|| url.to_string())
        .filter(|u| u.len() <= MAX_LINK_BYTES && !u.chars().any(char::is_control))
}

fn enclosures(entry: &feed_rs::model::Entry, base: &Url) -> Vec<Enclosure> {
    let mut out: Vec<Enclosure> = Vec::new();
    let from_media = entry
        .media
        .iter()
        .flat_map(|m| m.content.iter())
        .filter_map(|c| {
            let url = web_url(c.url.as_ref()?.as_str(), base)?;
            Some(Enclosure {
                url,
                mime: c.content_type.as_ref().map(|m| sanitize_line(m.as_ref())),
                length: c.size,
                duration: None,
            })
        });
    let from_links = entry
        .links
        .iter()
        .filter(|l| {
            l.rel
                .as_deref()
                .is_some_and(|r| r.eq_ignore_ascii_case("enclosure"))
        })
        .filter_map(|l| {
            Some(Enclosure {
                url: web_url(&l.href, base)?,
                mime: l.media_type.as_deref().map(sanitize_line),
                length: l.length,
                duration: None,
            })
        });
    for enclosure in from_media.chain(from_links) {
        if out.len() >= MAX_LIST {
            break;
        }
        if !out.iter().any(|e| e.url == enclosure.url) {
            out.push(enclosure);
        }
    }
    out
}

/// Dates before 1971 or more than a year ahead are treated as absent.
fn plausible_date(date: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    date.filter(|d| d.year() >= 1971 && *d <= now + chrono::Duration::days(366))
}

fn body(html: &str) -> Option<String> {
    let text = sanitize_text(crate::text::cut_bytes(html, MAX_BODY_BYTES));
    (!text.trim().is_empty()).then_some(text)
}

/// A title as plain text: `type="html"` titles lose their tags and basic entities are decoded.
fn title_text(text: &feed_rs::model::Text) -> String {
    if !text.content_type.to_string().starts_with("text/html") {
        return text.content.clone();
    }
    strip_tags(crate::text::cut_bytes(&text.content, MAX_BODY_BYTES))
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// Text with `<…>` tags replaced by spaces (good enough for titles and placeholders).
fn strip_tags(html: &str) -> String {
    let mut plain = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                plain.push(' ');
            }
            _ if !in_tag => plain.push(c),
            _ => {}
        }
    }
    plain
}

/// First words of the (HTML) summary, or "(untitled)".
fn fallback_title(summary_html: &str) -> String {
    let line = sanitize_line(&strip_tags(crate::text::cut_bytes(summary_html, 4096)));
    if line.is_empty() {
        return "(untitled)".to_string();
    }
    if line.chars().count() <= FALLBACK_TITLE_CHARS {
        return line;
    }
    let cut = cap_chars(&line, FALLBACK_TITLE_CHARS);
    let at_word = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", at_word.trim_end())
}

/// At most `max` chars, cut with an ellipsis.
pub fn cap_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((idx, _)) => {
            let mut out = s[..idx].to_string();
            out.pop();
            out.push('…');
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps() {
        assert_eq!(cap_chars("abcdef", 4), "abc…");
        assert_eq!(cap_chars("abc", 4), "abc");
        assert_eq!(crate::text::cut_bytes("ééé", 3), "é");
    }

    #[test]
    fn fallback_titles() {
        assert_eq!(fallback_title("<p>Hello <b>world</b></p>"), "Hello world");
        assert_eq!(fallback_title("  "), "(untitled)");
        let long = "word ".repeat(40);
        let t = fallback_title(&long);
        assert!(t.ends_with('…') && t.chars().count() <= FALLBACK_TITLE_CHARS + 1);
    }

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
    }
}
