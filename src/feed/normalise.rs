//! feed-rs entries (plus what `extras` read beside them) → `model::Article`: stable ids, absolute
//! http(s) links, titles rendered from their markup, sane dates, sanitised and length-capped fields.

use crate::feed::bodies::summary_and_content;
use crate::feed::extras::{DocExtras, ItemExtras};
use crate::model::{Article, ArticleId, Body, Enclosure, FeedId, ParsedFeed};
use crate::text::{html_line, sanitize_line};
use chrono::{DateTime, Datelike, Utc};
use feed_rs::model::{FeedType, Text};
use std::collections::HashSet;
use url::Url;

pub use crate::feed::bodies::MAX_BODY_BYTES;
pub use crate::feed::links::web_url;

/// Most articles kept from one feed document (the first ones, usually the newest).
pub const MAX_ITEMS: usize = 5_000;
/// Longest title, author, category (chars).
pub const MAX_TITLE_CHARS: usize = 1_000;
/// Longest author or category name (chars).
const MAX_NAME_CHARS: usize = 200;
/// Most authors, categories and enclosures kept per article.
const MAX_LIST: usize = 32;
/// Chars of the summary used as a title when an item has none.
const FALLBACK_TITLE_CHARS: usize = 80;

/// Turn a parsed feed into articles; `extras.items[i]` (when the scan ran) belongs to entry `i`.
pub fn normalise(
    parsed: feed_rs::model::Feed,
    extras: &DocExtras,
    base: &Url,
    feed: FeedId,
) -> ParsedFeed {
    let now = Utc::now();
    let feed_type = parsed.feed_type.clone();
    let title = parsed
        .title
        .as_ref()
        .map(|t| title_line(t, &feed_type))
        .filter(|t| !t.is_empty())
        .or_else(|| extras.title.as_deref().map(html_line))
        .map(|t| cap_chars(&t, MAX_TITLE_CHARS))
        .filter(|t| !t.is_empty());
    let site = super::links::site_link(&parsed.links, &feed_type, base);
    let aligned = extras.items.len() == parsed.entries.len();
    let none = ItemExtras::default();
    let mut seen = HashSet::new();
    let mut articles = Vec::new();
    for (index, entry) in parsed.entries.into_iter().enumerate() {
        if articles.len() >= MAX_ITEMS {
            break;
        }
        let more = if aligned { &extras.items[index] } else { &none };
        let article = article_from(entry, &feed_type, more, base, feed, now);
        if seen.insert(article.id.clone()) {
            articles.push(article);
        }
    }
    ParsedFeed {
        title,
        site,
        articles,
        skipped: 0,
    }
}

/// A title as one display line: Atom `type="text"` and JSON Feed titles are literal text; Atom
/// html/xhtml titles and RSS titles (HTML in practice) go through the HTML → text path.
fn title_line(text: &Text, feed_type: &FeedType) -> String {
    let literal = match feed_type {
        FeedType::Atom => text.content_type.essence().to_string() == "text/plain",
        FeedType::JSON => true,
        _ => false,
    };
    if literal {
        sanitize_line(crate::text::cut_bytes(&text.content, MAX_BODY_BYTES))
    } else {
        html_line(&text.content)
    }
}

fn article_from(
    mut entry: feed_rs::model::Entry,
    feed_type: &FeedType,
    extras: &ItemExtras,
    base: &Url,
    feed: FeedId,
    now: DateTime<Utc>,
) -> Article {
    let link = pick_link(&entry.links, base)
        .or_else(|| extras.permalink.as_deref().and_then(|p| web_url(p, base)));
    let (comment_feed, comments_page) = super::comment_links::comment_links(&entry.links, base);
    let published = plausible_date(entry.published.or(extras.published), now);
    let updated = plausible_date(entry.updated.or(extras.updated), now);
    let mut title = match (&entry.title, &extras.title) {
        (Some(t), _) if !t.content.trim().is_empty() => title_line(t, feed_type),
        (_, Some(dc)) => html_line(dc),
        _ => String::new(),
    };
    title = cap_chars(&title, MAX_TITLE_CHARS);
    let raw_title = entry.title.as_ref().map_or("", |t| t.content.as_str());
    let id = stable_id(
        &entry.id,
        link.as_deref(),
        base,
        raw_title,
        published.or(updated),
        &entry,
    );
    // After the id: the bodies are moved out of the entry.
    let (summary, content) = summary_and_content(&mut entry, feed_type, extras);
    if title.is_empty() {
        title = fallback_title(summary.as_deref().or(content.as_deref()).unwrap_or(""));
    }
    let mut authors: Vec<String> = entry
        .authors
        .iter()
        .filter_map(|p| p.name.as_deref().or(p.email.as_deref()))
        .map(author_name)
        .collect();
    if authors.iter().all(|a| a.is_empty()) {
        authors = extras.authors.iter().map(|a| author_name(a)).collect();
    }
    authors.retain(|a| !a.is_empty());
    authors.truncate(MAX_LIST);
    let categories = entry
        .categories
        .iter()
        .map(|c| c.label.as_deref().unwrap_or(&c.term))
        .chain(extras.subjects.iter().map(String::as_str))
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
        comments: extras.comments,
        comment_feed,
        comments_page,
        words: None,
        enclosures: super::durations::with_durations(
            enclosures(&entry, extras, base),
            &entry,
            base,
        ),
        read: false,
        starred: false,
        first_seen: now,
    }
}

/// A person's display name: `jane@example.com (Jane Doe)` and `Jane Doe <jane@example.com>` show
/// the name; entities and markup are rendered.
fn author_name(raw: &str) -> String {
    let raw = raw.trim();
    let name = match (raw.find('('), raw.strip_suffix(')')) {
        (Some(open), Some(inner)) if open < inner.len() => {
            let (before, inside) = (&inner[..open], &inner[open + 1..]);
            if before.trim().is_empty() || before.contains('@') {
                inside
            } else {
                raw
            }
        }
        _ => match raw.find('<') {
            Some(lt) if raw.ends_with('>') && raw[lt..].contains('@') && lt > 0 => &raw[..lt],
            _ => raw,
        },
    };
    cap_chars(&html_line(name), MAX_NAME_CHARS)
}

/// The id from the document, else the link, else a hash of feed URL, title, date, summary and content
/// as written (so ids stay what they were before titles were rendered).
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

/// Every enclosure and `media:content` the scan found (resolved, http(s) only, deduplicated), else
/// those feed-rs kept.
fn enclosures(entry: &feed_rs::model::Entry, extras: &ItemExtras, base: &Url) -> Vec<Enclosure> {
    let mut out: Vec<Enclosure> = Vec::new();
    let from_extras = extras.enclosures.iter().filter_map(|e| {
        Some(Enclosure {
            url: web_url(&e.url, base)?,
            mime: e.mime.as_deref().map(sanitize_line),
            length: e.length,
            // Filled in by `durations` from what feed-rs kept for the same URL.
            duration: None,
        })
    });
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
    for enclosure in from_extras.chain(from_media).chain(from_links) {
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

/// First words of the (HTML) summary, or "(untitled)".
fn fallback_title(summary_html: &str) -> String {
    let line = html_line(crate::text::cut_bytes(summary_html, 4096));
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
    // A string has no more chars than bytes: short ones need no counting.
    if s.len() <= max {
        return s.to_string();
    }
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
}
