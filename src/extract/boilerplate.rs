//! Generic tests for boilerplate: class/id tokens of page furniture, and the short text lines sites put
//! around an article (bylines, dates, captions, share and subscribe prompts). Language-agnostic where it
//! can be, English phrases where it cannot.

/// Class or id tokens that mark page furniture rather than article text.
const FURNITURE_TOKENS: &[&str] = &[
    "share",
    "sharing",
    "social",
    "related",
    "newsletter",
    "subscribe",
    "subscription",
    "signup",
    "promo",
    "advert",
    "advertisement",
    "ad",
    "ads",
    "sponsor",
    "sponsored",
    "tags",
    "tag",
    "byline",
    "author",
    "bio",
    "caption",
    "credit",
    "credits",
    "comments",
    "comment",
    "timestamp",
    "dateline",
    "breadcrumb",
    "breadcrumbs",
    "sidebar",
    "cookie",
    "cookies",
    "consent",
    "popup",
    "modal",
    "toolbar",
    "recommended",
    "recirculation",
    "outbrain",
    "taboola",
    "disqus",
    "print",
    "hidden",
    "sr-only",
    "visually-hidden",
    "screen-reader-text",
    "slideshow",
    "gallery",
    "carousel",
    "meta",
    "metadata",
];

/// Whether a `class`/`id` value names page furniture (token match on `-`, `_` and whitespace).
pub fn is_furniture_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .any(|token| FURNITURE_TOKENS.contains(&token))
        || FURNITURE_TOKENS
            .iter()
            .filter(|t| t.contains('-'))
            .any(|t| lower.contains(t))
}

/// Line openings of prompts, credits and notices that are never article text.
const BOILERPLATE_STARTS: &[&str] = &[
    "related:",
    "related stories",
    "related articles",
    "read more",
    "read next",
    "see more",
    "see also:",
    "don't miss",
    "don’t miss",
    "also on ",
    "also read",
    "more from",
    "more on this",
    "share this",
    "share on",
    "sharing is caring",
    "subscribe",
    "sign up",
    "follow us",
    "follow @",
    "click here",
    "like this story",
    "leave a reply",
    "leave a comment",
    "post a comment",
    "you may also like",
    "you might also like",
    "image copyright",
    "image caption",
    "media caption",
    "media playback",
    "photo:",
    "image:",
    "(image:",
    "image 1 of",
    "photograph:",
    "copyright ©",
    "copyright (c)",
    "copyright 19",
    "copyright 20",
    "©",
    "all rights reserved",
    "advertisement",
    "this slideshow requires",
    "posted:",
    "posted by",
    "published:",
    "updated:",
    "last updated",
    "this post may contain",
    "this article contains affiliate",
    "we use cookies",
    "this site uses cookies",
    "by continuing to use",
    "accept cookies",
    "tell us what you think",
    "join the conversation",
    "more articles from",
    "about the author",
    "watch:",
    "video:",
    "loading...",
    "loading content",
];

/// Lines longer than this are treated as prose, never as boilerplate by text alone.
const MAX_BOILERPLATE_CHARS: usize = 160;

/// What kind of block a line of text comes from: labels are judged only in plain blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// `h1`–`h6`: short by nature.
    Heading,
    /// `li`, `dt`, `dd`: short items are normal in lists.
    Item,
    /// Paragraphs and other blocks.
    Plain,
}

/// Whether one block's text is boilerplate: a known prompt/credit opening, a bare date or byline line,
/// a slideshow counter, or (plain blocks only) a one-or-two-word label without punctuation.
pub fn is_boilerplate_line(text: &str, kind: BlockKind) -> bool {
    let text = text.trim();
    if text.is_empty() {
        return true;
    }
    if text.chars().count() > MAX_BOILERPLATE_CHARS {
        return false;
    }
    let lower = text.to_lowercase();
    if BOILERPLATE_STARTS.iter().any(|p| lower.starts_with(p)) {
        return true;
    }
    let words: Vec<&str> = lower.split_whitespace().collect();
    if is_date_line(&lower, &words) || is_byline(&words) || is_counter(&lower) {
        return true;
    }
    // Short labels ("Caption", "Close", "Latest", "Advert") — but headings and sentences stay.
    kind == BlockKind::Plain
        && words.len() <= 2
        && !text.ends_with(['.', '!', '?', ':', '"', '”', '»', ')'])
        && !text.chars().any(|c| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_alphabetic() || c.is_whitespace() || c == '\'' || c == '’')
}

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A short line that is mostly a date or time ("Nov. 20, 2019 1:35 a.m.", "05/10/2018 - Publicado por …").
fn is_date_line(lower: &str, words: &[&str]) -> bool {
    if words.len() > 12 {
        return false;
    }
    let has_year = lower
        .split(|c: char| !c.is_ascii_digit())
        .any(|n| n.len() == 4 && (n.starts_with("19") || n.starts_with("20")));
    let has_month = words.iter().any(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphabetic());
        w.len() >= 3 && MONTHS.iter().any(|m| w.starts_with(m))
    });
    let numeric_date = lower.split_whitespace().any(|w| {
        let parts: Vec<&str> = w.split(['/', '.', '-']).collect();
        parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    });
    (has_year && (has_month || numeric_date)) && words.len() <= 12
}

/// "By Jane Doe" / "By Jane Doe and John Roe, Reporters" — a short line opening with "by".
fn is_byline(words: &[&str]) -> bool {
    words.first() == Some(&"by") && words.len() <= 7
}

/// Slideshow counters: "1 of 9", "1of4 …", "Image 2 of 9".
fn is_counter(lower: &str) -> bool {
    let digits_end = lower.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
    digits_end > 0 && lower[digits_end..].trim_start().starts_with("of")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_names() {
        assert!(is_furniture_name("post-share-buttons"));
        assert!(is_furniture_name("related_stories"));
        assert!(is_furniture_name("sr-only"));
        assert!(!is_furniture_name("article-body"));
        assert!(!is_furniture_name("shareholder-news"));
    }

    #[test]
    fn boilerplate_lines() {
        for line in [
            "Leave a Reply",
            "Share this article",
            "Nov. 20, 2019 Updated: Nov. 20, 2019 1:35 a.m.",
            "By Paul Takahashi",
            "1of4 A shopper looks at extension cords",
            "Caption",
            "Published November 20th, 2019 - 07:50 GMT",
        ] {
            assert!(is_boilerplate_line(line, BlockKind::Plain), "{line}");
        }
    }

    #[test]
    fn prose_is_kept() {
        for line in [
            "The council voted on Tuesday to approve the plan.",
            "Yes.",
            "By the time the storm reached the coast, thousands had already left their homes in the area.",
            "In May 2019, the company said its profits had doubled over the previous twelve months, a record.",
        ] {
            assert!(!is_boilerplate_line(line, BlockKind::Plain), "{line}");
        }
        assert!(!is_boilerplate_line(
            "Domestic industry",
            BlockKind::Heading
        ));
    }
}
