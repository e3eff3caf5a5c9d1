//! `FetchError` and the translation of transport failures and status codes into one-line messages.

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;
use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

/// Upper bound for a server's `Retry-After` back-off: one day.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);
/// Back-off after a 429/503 whose `Retry-After` is missing or unreadable.
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(5 * 60);

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
        /// Back-off before the next fetch: on 429/503 always set (the server's `Retry-After`, capped at
        /// [`MAX_RETRY_AFTER`], else [`DEFAULT_RETRY_AFTER`]); `None` for other statuses.
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

/// "HTTP 404 Not Found", with the cause spelled out for the statuses that need one.
fn status_message(status: u16, retry_after: Option<Duration>) -> String {
    let reason = StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let mut msg = format!("HTTP {status} {reason}").trim_end().to_string();
    match status {
        401 | 407 => msg.push_str(": authentication required"),
        403 => msg.push_str(": access denied"),
        410 => msg.push_str(" (feed removed)"),
        429 => msg.push_str(": rate limited"),
        304 => msg.push_str(" although no cached copy was offered"),
        300..=399 => msg.push_str(": redirect without a usable Location"),
        _ => {}
    }
    if let Some(d) = retry_after {
        msg.push_str(&format!(", retry after {}", human_duration(d)));
    }
    msg
}

/// The back-off a status asks for: on 429/503 `Retry-After` (capped), or [`DEFAULT_RETRY_AFTER`] when
/// the header is missing or garbage; `None` for every other status.
pub fn back_off(status: StatusCode, headers: &HeaderMap) -> Option<Duration> {
    (status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE)
        .then(|| parse_retry_after(headers).unwrap_or(DEFAULT_RETRY_AFTER))
}

fn human_duration(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 && s % 3600 == 0 {
        format!("{} h", s / 3600)
    } else if s >= 60 && s % 60 == 0 {
        format!("{} min", s / 60)
    } else if s >= 120 {
        format!("{} min", s.div_ceil(60))
    } else {
        format!("{s} s")
    }
}

/// Marker error returned from the redirect policy so it can be found in the source chain.
#[derive(Debug)]
pub(crate) struct RedirectRefused(pub(crate) String);

impl RedirectRefused {
    /// A redirect to a scheme other than http(s), named so the user sees where it pointed.
    pub(crate) fn scheme(scheme: &str) -> Self {
        let scheme: String = scheme.chars().take(20).collect();
        RedirectRefused(crate::text::sanitize_line(&format!(
            "redirect to {scheme}: refused (only http and https are followed)"
        )))
    }
}

impl fmt::Display for RedirectRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
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
    let date = http_date(value)?;
    let delta = date - chrono::Utc::now();
    let secs = delta.num_seconds().max(0);
    Some(Duration::from_secs(secs.unsigned_abs()).min(MAX_RETRY_AFTER))
}

/// An HTTP-date in any of its three forms (RFC 9110 §5.6.7): IMF-fixdate, RFC 850, asctime.
fn http_date(value: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    if let Ok(date) = chrono::DateTime::parse_from_rfc2822(value) {
        return Some(date.with_timezone(&chrono::Utc));
    }
    ["%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"]
        .iter()
        .find_map(|format| chrono::NaiveDateTime::parse_from_str(value, format).ok())
        .map(|naive| naive.and_utc())
}

/// Turn a reqwest error into a short, one-line cause.
pub(crate) fn map_reqwest(e: &reqwest::Error) -> FetchError {
    if let Some(refused) = find_source::<RedirectRefused>(e) {
        return FetchError::Redirect(refused.0.clone());
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
    } else if chain.contains("message head is too large") || chain.contains("too many headers") {
        "invalid HTTP response: headers too large".to_string()
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
        assert_eq!(
            parse_retry_after_value("Sunday, 06-Nov-94 08:49:37 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(
            parse_retry_after_value("Sun Nov  6 08:49:37 1994"),
            Some(Duration::ZERO)
        );
        let later = (chrono::Utc::now() + chrono::Duration::seconds(600)).to_rfc2822();
        let d = parse_retry_after_value(&later).unwrap_or_default();
        assert!(d.as_secs() > 500 && d.as_secs() <= 600);
    }

    #[test]
    fn back_off_defaults_and_caps() {
        let mut headers = HeaderMap::new();
        assert_eq!(
            back_off(StatusCode::TOO_MANY_REQUESTS, &headers),
            Some(DEFAULT_RETRY_AFTER)
        );
        assert_eq!(back_off(StatusCode::NOT_FOUND, &headers), None);
        headers.insert(RETRY_AFTER, "soon".parse().expect("static header"));
        assert_eq!(
            back_off(StatusCode::SERVICE_UNAVAILABLE, &headers),
            Some(DEFAULT_RETRY_AFTER)
        );
        headers.insert(RETRY_AFTER, "99999999999".parse().expect("static header"));
        assert_eq!(
            back_off(StatusCode::TOO_MANY_REQUESTS, &headers),
            Some(MAX_RETRY_AFTER)
        );
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
            "HTTP 429 Too Many Requests: rate limited, retry after 2 min"
        );
    }
}
