//! Subscription lists brought from other readers (OPML 1.0/2.0, newsboat `urls` files) → plain
//! entries, and the format sniffing that tells them apart from a feed, an image or broken XML.

use crate::text::line_col;
use crate::text::sanitize_line;

/// Largest import file read; a subscription list is a few hundred KB at most.
pub const MAX_IMPORT_BYTES: usize = 16 * 1024 * 1024;
/// Most feeds one import may hold.
pub const MAX_IMPORT_FEEDS: usize = 100_000;

/// One subscribed feed as a list states it; every string is already one clean line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// The feed's URL as written (validated when it is written to feeds.toml).
    pub url: String,
    /// The name the list gives it, if any.
    pub name: Option<String>,
    /// Folders and categories (OPML) or tags (urls file), outermost first, without repeats.
    pub tags: Vec<String>,
    /// The site's address (OPML `htmlUrl`), when the list knows it.
    pub html_url: Option<String>,
}

/// Everything a list held, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubscriptionList {
    /// Which format it was ("OPML" or "newsboat urls").
    pub format: &'static str,
    /// The feeds.
    pub feeds: Vec<Subscription>,
    /// newsboat `query:` lines, kept for the query language (`[[query]]` entries later).
    pub queries: Vec<String>,
    /// Lines tidings does not take over (`exec:`, `filter:`), each with its line number and reason.
    pub skipped: Vec<String>,
}

/// Why a file is not a subscription list; `line`/`col` are 1-based, in characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{col}: {message}")]
pub struct ImportError {
    /// Line of the problem (1 when it is the file as a whole).
    pub line: usize,
    /// Column of the problem.
    pub col: usize,
    /// What is wrong, one clean line.
    pub message: String,
}

impl ImportError {
    /// An error at byte `offset` of `text`.
    pub(crate) fn at(text: &str, offset: usize, message: impl AsRef<str>) -> ImportError {
        let (line, col) = line_col(text, offset);
        ImportError {
            line,
            col,
            message: sanitize_line(message.as_ref()),
        }
    }
}

/// Read an OPML document or a newsboat urls file; anything else (a feed, an image, truncated XML, an
/// empty file) is an error with its position.
pub fn read_subscriptions(bytes: &[u8]) -> Result<SubscriptionList, ImportError> {
    let whole = |message: &str| ImportError {
        line: 1,
        col: 1,
        message: message.to_string(),
    };
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(whole(&format!(
            "the file is larger than {} MB: not a subscription list",
            MAX_IMPORT_BYTES / (1024 * 1024)
        )));
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) && !looks_like_utf16(head) {
        return Err(whole(
            "binary data (an image or an archive?), neither OPML nor a newsboat urls file",
        ));
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    match first {
        None => Err(whole(
            "the file is empty: neither OPML nor a newsboat urls file",
        )),
        Some(b'<') | Some(0xFE) | Some(0xFF) => {
            let text = super::decode::decode_to_utf8(bytes, None);
            super::opml::parse_opml(&text)
        }
        Some(_) => match std::str::from_utf8(body) {
            Ok(text) => super::urls::parse_urls(text),
            Err(e) => {
                let valid = std::str::from_utf8(&body[..e.valid_up_to()]).unwrap_or_default();
                Err(ImportError::at(
                    valid,
                    valid.len(),
                    "not valid UTF-8 text: neither OPML nor a newsboat urls file",
                ))
            }
        },
    }
}

fn looks_like_utf16(head: &[u8]) -> bool {
    head.starts_with(&[0xFE, 0xFF]) || head.starts_with(&[0xFF, 0xFE])
}

/// A tag list without empty or repeated tags, each one clean line.
pub(crate) fn push_tag(tags: &mut Vec<String>, tag: &str) {
    let tag = sanitize_line(tag);
    if !tag.is_empty() && !tags.contains(&tag) {
        tags.push(tag);
    }
}
