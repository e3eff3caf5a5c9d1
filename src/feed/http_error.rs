//! `FetchError` and the translation of transport failures and status codes into one-line messages.

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;
use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

/// Upper bound for a server's `Retry-After` back-off.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(6 * 60 * 60);

/// Why a download failed. Display is one line for the user.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The total deadline passed (seconds).
    #[error("timed out after {0} s")]
    Timeout(u64),
    /// A non-2xx, non-304 status; `retry_after` from `Retry-After` on 429/503, capped.
    #[error("{}", status_message(*status, *retry_after))]
    Status {
        /// The HTTP status code.
        status: u16,
        /// Back-off the server asked for, capped at [`MAX_RETRY_AFTER`].
        retry_after: Option<Duration>,
    },
    /// The decompressed body passed the size cap (bytes).
    #[error("response too large (over {0} bytes)")]
    TooLarge(u64),
    /// A 2xx response without a body.
    #[error("empty response")]
    Empty,
    /// A redirect was refused (too many hops, non-http(s) target, no Location).
    #[error("{0}")]
    Redirect(String),
    /// A transport failure (connection, DNS, TLS, decompression), as one line.
    #[error("{0}")]
    Network(String),
    /// A `file://` URL could not be read.
    #[error("cannot read {path}: {reason}")]
    File {
        /// The local path.
        path: String,
        /// Why (from the OS).
        reason: String,
    },
    /// A URL scheme other than http, https or file.
    #[error("unsupported URL scheme: {0}")]
    Scheme(String),
    /// The client could not be built.
    #[error("cannot create the HTTP client: {0}")]
    Client(String),
}

impl FetchError {
    /// The server's requested back-off, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// "HTTP 404 Not Found", with a hint for the statuses that need one.
fn status_message(status: u16, retry_after: Option<Duration>) -> String {
    let reason = StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let mut msg = format!("HTTP {status} {reason}").trim_end().to_string();
    match status {
        401 | 407 => msg.push_str(": authentication required"),
        410 => msg.push_str(" (feed removed)"),
        300..=399 => msg.push_str(": redirect without a usable Location"),
        _ => {}
    }
    if let Some(d) = retry_after {
        msg.push_str(&format!(", retry after {}", human_duration(d)));
    } else if status == 429 {
        msg.push_str(", rate limited");
    }
    msg
}

fn human_duration(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 && s % 3600 == 0 {
        format!("{} h", s / 3600)
    } else if s >= 60 && s % 60 == 0 {
        format!("{} min", s / 60)
    } else {
        format!("{s} s")
    }
}

/// Marker error returned from the redirect policy so it can be found in the source chain.
#[derive(Debug)]
pub(crate) struct RedirectRefused(pub(crate) &'static str);

impl fmt::Display for RedirectRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl StdError for RedirectRefused {}

/// Parse `Retry-After` (delay in seconds or an HTTP-date), capped at [`MAX_RETRY_AFTER`]; garbage → None.
pub fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    parse_retry_after_value(headers.get(RETRY_AFTER)?.to_str().ok()?)
}

/// [`parse_retry_after`] on the header's text.
pub fn parse_retry_after_value(value: &str) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        let secs = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(secs).min(MAX_RETRY_AFTER));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let delta = date.with_timezone(&chrono::Utc) - chrono::Utc::now();
    let secs = delta.num_seconds().max(0);
    Some(Duration::from_secs(secs.unsigned_abs()).min(MAX_RETRY_AFTER))
}

/// Turn a reqwest error into a short, one-line cause.
pub(crate) fn map_reqwest(e: &reqwest::Error) -> FetchError {
    if let Some(refused) = find_source::<RedirectRefused>(e) {
        return FetchError::Redirect(refused.0.to_string());
    }
    if e.is_redirect() {
        return FetchError::Redirect("too many redirects".into());
    }
    if e.is_timeout() {
        return FetchError::Network("timed out".into());
    }
    FetchError::Network(describe(e))
}

fn find_source<'a, T: StdError + 'static>(e: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut cur: Option<&(dyn StdError + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(found) = err.downcast_ref::<T>() {
            return Some(found);
        }
        cur = err.source();
    }
    None
}

/// One line naming the cause, from the innermost error in the chain.
pub(crate) fn describe(e: &reqwest::Error) -> String {
    let mut innermost: &(dyn StdError + 'static) = e;
    let mut chain = String::new();
    let mut cur: Option<&(dyn StdError + 'static)> = Some(e);
    while let Some(err) = cur {
        innermost = err;
        chain.push_str(&err.to_string().to_lowercase());
        chain.push(' ');
        cur = err.source();
    }
    let inner = innermost.to_string();
    let io_kind = find_source::<std::io::Error>(e).map(|io| io.kind());
    let line = if io_kind == Some(std::io::ErrorKind::ConnectionRefused) {
        "connection refused".to_string()
    } else if io_kind == Some(std::io::ErrorKind::ConnectionReset) {
        "connection reset by the server".to_string()
    } else if chain.contains("dns error") || chain.contains("failed to lookup") {
        "could not resolve the host name".to_string()
    } else if chain.contains("connection closed before message completed")
        || chain.contains("end of file before message length reached")
        || chain.contains("incomplete")
    {
        "connection closed early".to_string()
    } else if e.is_decode() {
        format!("invalid compressed body: {inner}")
    } else if e.is_body() {
        format!("error reading the response: {inner}")
    } else if e.is_connect() {
        format!("could not connect: {inner}")
    } else if e.is_request() && chain.contains("invalid http") || chain.contains("parse") {
        format!("invalid HTTP response: {inner}")
    } else {
        inner
    };
    crate::text::sanitize_line(&line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        assert_eq!(
            parse_retry_after_value("120"),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after_value("99999999999999999999999"),
            Some(MAX_RETRY_AFTER)
        );
        assert_eq!(parse_retry_after_value("soon"), None);
        assert_eq!(parse_retry_after_value(""), None);
        assert_eq!(
            parse_retry_after_value("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        let later = (chrono::Utc::now() + chrono::Duration::seconds(600)).to_rfc2822();
        let d = parse_retry_after_value(&later).unwrap_or_default();
        assert!(d.as_secs() > 500 && d.as_secs() <= 600);
    }

    #[test]
    fn status_lines() {
        let e = FetchError::Status {
            status: 404,
            retry_after: None,
        };
        assert_eq!(e.to_string(), "HTTP 404 Not Found");
        let e = FetchError::Status {
            status: 429,
            retry_after: Some(Duration::from_secs(120)),
        };
        assert_eq!(
            e.to_string(),
            "HTTP 429 Too Many Requests, retry after 2 min"
        );
    }
}
