//! newsboat `urls` files: one feed per line, `URL tag… "~Name"`; `#` comments; `query:` lines kept for
//! later; `exec:` and `filter:` lines reported as skipped (tidings runs no commands).

use super::subscriptions::{
    push_tag, ImportError, Subscription, SubscriptionList, MAX_IMPORT_FEEDS,
};
use crate::text::sanitize_line;

/// Parse a urls file; a line that is none of the known forms is an error at its position.
pub fn parse_urls(text: &str) -> Result<SubscriptionList, ImportError> {
    let mut list = SubscriptionList {
        format: "newsboat urls",
        ..SubscriptionList::default()
    };
    let mut offset = 0;
    for (index, raw_line) in text.split_inclusive('\n').enumerate() {
        let line_start = offset;
        offset += raw_line.len();
        let line = raw_line.trim_end_matches(['\n', '\r']);
        let indent = line.len() - line.trim_start().len();
        let content = line.trim();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let at = line_start + indent;
        let mut tokens = tokenize(content).into_iter();
        let first = tokens.next().unwrap_or_default();
        let lower = first.to_ascii_lowercase();
        let line_no = index + 1;
        if lower.starts_with("query:") {
            list.queries.push(sanitize_line(&first));
        } else if lower.starts_with("exec:") || lower.starts_with("filter:") {
            let kind = if lower.starts_with("exec:") {
                "exec:"
            } else {
                "filter:"
            };
            list.skipped.push(format!(
                "line {line_no}: {kind} (tidings does not run commands)"
            ));
        } else if lower.starts_with("http://") || lower.starts_with("https://") {
            if list.feeds.len() >= MAX_IMPORT_FEEDS {
                return Err(ImportError::at(
                    text,
                    at,
                    format!("more than {MAX_IMPORT_FEEDS} feeds: not a subscription list a reader can use"),
                ));
            }
            let mut feed = Subscription {
                url: sanitize_line(&first),
                name: None,
                tags: Vec::new(),
                html_url: None,
            };
            for token in tokens {
                if let Some(name) = token.strip_prefix('~') {
                    feed.name = Some(sanitize_line(name)).filter(|n| !n.is_empty());
                } else {
                    // `!tag` hides a feed in newsboat; the tag itself is what carries over.
                    push_tag(&mut feed.tags, token.trim_start_matches('!'));
                }
            }
            list.feeds.push(feed);
        } else {
            let shown: String = sanitize_line(&first).chars().take(60).collect();
            return Err(ImportError::at(
                text,
                at,
                format!(
                    "expected a feed URL (http:// or https://), query:, exec: or filter: at the start of the line, found `{shown}`: neither OPML nor a newsboat urls file"
                ),
            ));
        }
    }
    if list.feeds.is_empty() && list.queries.is_empty() && list.skipped.is_empty() {
        return Err(ImportError::at(
            text,
            0,
            "no feeds in this file (only comments): nothing to import",
        ));
    }
    Ok(list)
}

/// Split a line as newsboat does: whitespace between tokens, `"…"` quotes a token (`\"` and `\\`
/// inside), a `#` outside quotes starts a comment.
fn tokenize(line: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut in_quotes = false;
    let mut started = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if in_quotes => {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            '"' => {
                in_quotes = !in_quotes;
                started = true;
            }
            '#' if !in_quotes && !started => break,
            c if c.is_whitespace() && !in_quotes => {
                if started {
                    tokens.push(std::mem::take(&mut current));
                    started = false;
                }
            }
            c => {
                current.push(c);
                started = true;
            }
        }
    }
    if started {
        tokens.push(current);
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_follow_newsboat_quoting() {
        assert_eq!(
            tokenize(r#"https://a.org/rss tech "~My \"Blog\"" "two words" # note"#),
            vec!["https://a.org/rss", "tech", "~My \"Blog\"", "two words"]
        );
        assert_eq!(
            tokenize("\"query:Unread:unread = \\\"yes\\\"\""),
            vec!["query:Unread:unread = \"yes\""]
        );
    }
}
