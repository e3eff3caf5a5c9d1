//! A feed as configured and as last refreshed: its status, request settings, validators, and how
//! a failure is described.

use super::FeedId;
use chrono::{DateTime, Utc};
use std::time::Duration;

/// What the last refresh of a feed came to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum FeedStatus {
    /// Not fetched in this session yet (may still hold cached articles).
    #[default]
    NeverFetched,
    /// A request is in flight.
    Fetching,
    /// The last refresh succeeded (or the server said 304 Not Modified).
    Ok {
        /// When that refresh finished.
        at: DateTime<Utc>,
    },
    /// The last refresh failed; the message is sanitised and names the cause.
    Error {
        /// One sanitised line naming the cause, for the status bar and the error view.
        message: String,
        /// When that refresh failed.
        at: DateTime<Utc>,
    },
}

impl FeedStatus {
    /// True when the last refresh failed.
    pub fn is_error(&self) -> bool {
        matches!(self, FeedStatus::Error { .. })
    }
}

/// Per-feed request settings (`timeout_seconds`, `user_agent`, `headers` of a `[[feed]]`); the
/// default changes nothing, so the client's limits and `tidings/VERSION` User-Agent apply.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FetchOptions {
    /// Total deadline for this feed's fetch instead of the client's limit.
    pub timeout: Option<Duration>,
    /// User-Agent sent instead of the client's.
    pub user_agent: Option<String>,
    /// Extra headers; the values are secrets, never put into an error or a log line. Redirects to
    /// another host drop `Authorization` and `Cookie` (reqwest's rule), so a token never leaves its site.
    pub headers: Vec<(String, crate::secret::Secret)>,
}

impl FetchOptions {
    /// Options from a feed's settings as validated by `config` (seconds, agent, headers).
    pub fn new(
        timeout_seconds: Option<u64>,
        user_agent: Option<String>,
        headers: Vec<(String, crate::secret::Secret)>,
    ) -> FetchOptions {
        FetchOptions {
            timeout: timeout_seconds.map(|s| Duration::from_secs(s.max(1))),
            user_agent,
            headers,
        }
    }
}

/// A feed as configured, plus what we learned from fetching it.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    /// Its position in the config: how the store, views and messages refer to it (the cache uses the URL).
    pub id: FeedId,
    /// Absolute URL (http, https or file).
    pub url: String,
    /// Name from the config, if the user gave one.
    pub configured_name: Option<String>,
    /// Title the feed gives itself (sanitised).
    pub feed_title: Option<String>,
    /// The feed's own web site as it last stated it (absolute http(s)); OPML's `htmlUrl`.
    pub site_url: Option<String>,
    /// The config's `tags`: each also lists the feed under that tag in the feeds pane.
    pub tags: Vec<String>,
    /// Fetch the linked page's full text when an article is opened.
    pub full_text: bool,
    /// `enabled = false`: listed (dimmed), never fetched.
    pub enabled: bool,
    /// Newest unstarred articles kept, instead of `settings.max_articles_per_feed`.
    pub max_articles: Option<usize>,
    /// Auto-refresh interval in minutes, instead of `settings.refresh_minutes` (0: never).
    pub refresh_minutes: Option<u64>,
    /// This feed's own request settings (deadline, User-Agent, headers).
    pub options: FetchOptions,
    /// What its last refresh came to (fetching, ok, failed, or never tried).
    pub status: FeedStatus,
    /// Conditional GET validators from the last successful response.
    pub validators: Validators,
    /// The server asked us (429/503 `Retry-After`) not to fetch again before this; kept in the cache so
    /// `tidings fetch` from cron honours it too.
    pub retry_not_before: Option<DateTime<Utc>>,
    /// When a refresh last succeeded (a 304 counts), this session or an earlier one.
    pub last_success: Option<DateTime<Utc>>,
    /// Refreshes that failed in a row since the last success (at least 1 when the cache says the last
    /// one failed).
    pub failures: u32,
}

impl Feed {
    /// A feed at `url` with the config's defaults (no name, tags or per-feed settings), never fetched:
    /// what a constructor of a particular feed starts from (`Feed { tags, ..Feed::new(id, url) }`).
    pub fn new(id: FeedId, url: String) -> Feed {
        Feed {
            id,
            url,
            configured_name: None,
            feed_title: None,
            site_url: None,
            tags: Vec::new(),
            full_text: false,
            enabled: true,
            max_articles: None,
            refresh_minutes: None,
            options: FetchOptions::default(),
            status: FeedStatus::NeverFetched,
            retry_not_before: None,
            last_success: None,
            failures: 0,
            validators: Validators::default(),
        }
    }

    /// Why the last refresh failed and what happens next, when it did; `auto_refresh` is the interval
    /// of automatic refreshes (`None`: off).
    pub fn failure(&self, auto_refresh: Option<chrono::Duration>) -> Option<Failure<'_>> {
        let FeedStatus::Error { message, at } = &self.status else {
            return None;
        };
        let next_try = match (self.retry_not_before, auto_refresh) {
            (Some(t), _) => NextTry::RetryAfter(t),
            (None, Some(every)) => NextTry::Auto(at.checked_add_signed(every).unwrap_or(*at)),
            (None, None) => NextTry::OnRefresh,
        };
        Some(Failure {
            cause: message,
            at: *at,
            last_success: self.last_success,
            failures: self.failures.max(1),
            next_try,
        })
    }

    /// Whether the auto-refresh should fetch this feed at `now`: its interval (its own, else
    /// `default_minutes`; 0 is off) has passed since its last refresh ended, or it never had one.
    pub fn auto_refresh_due(&self, default_minutes: u64, now: DateTime<Utc>) -> bool {
        let minutes = self.refresh_minutes.unwrap_or(default_minutes);
        if minutes == 0 || !self.enabled {
            return false;
        }
        let last = match &self.status {
            FeedStatus::Ok { at } | FeedStatus::Error { at, .. } => *at,
            FeedStatus::Fetching => return false,
            FeedStatus::NeverFetched => return true,
        };
        let every = chrono::Duration::minutes(i64::try_from(minutes).unwrap_or(i64::MAX / 60_000));
        // A minute early counts: the timer ticks once a minute.
        last.checked_add_signed(every - chrono::Duration::seconds(59))
            .is_none_or(|due| due <= now)
    }

    /// True while the feed's server has asked us to wait.
    pub fn waiting_at(&self, now: DateTime<Utc>) -> bool {
        self.retry_not_before.is_some_and(|t| t > now)
    }

    /// Name to show: the configured name, else the feed's own title, else its URL without the scheme.
    pub fn display_name(&self) -> &str {
        self.configured_name
            .as_deref()
            .or(self.feed_title.as_deref())
            .unwrap_or_else(|| {
                self.url
                    .split_once("://")
                    .map_or(&self.url, |(_, rest)| rest)
            })
    }
}

/// A failing feed, as the error view and `tidings fetch` show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure<'a> {
    /// The cause, one line: HTTP status and reason, DNS, refused, timeout, too big, not a feed, …
    pub cause: &'a str,
    /// When it failed last.
    pub at: DateTime<Utc>,
    /// When a refresh last succeeded; `None`: never.
    pub last_success: Option<DateTime<Utc>>,
    /// Refreshes that failed in a row.
    pub failures: u32,
    /// When it will be tried again.
    pub next_try: NextTry,
}

/// When a failing feed is tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextTry {
    /// Not before this: the server said so (`Retry-After`).
    RetryAfter(DateTime<Utc>),
    /// With the automatic refresh at this time.
    Auto(DateTime<Utc>),
    /// With the next refresh asked for (`r`, `R`, `tidings fetch`).
    OnRefresh,
}

impl Failure<'_> {
    /// "never", or how long ago the last success was (`3 h ago`).
    pub fn last_success_text(&self, now: DateTime<Utc>) -> String {
        self.last_success
            .map_or_else(|| "never".into(), |t| format!("{} ago", ago(now - t)))
    }

    /// When the next try is, in words.
    pub fn next_try_text(&self, now: DateTime<Utc>) -> String {
        match self.next_try {
            NextTry::RetryAfter(t) if t > now => {
                format!("in {} (the server asked to wait)", ago(t - now))
            }
            NextTry::Auto(t) if t > now => format!("in {} (auto-refresh)", ago(t - now)),
            NextTry::RetryAfter(_) | NextTry::Auto(_) | NextTry::OnRefresh => {
                "with the next refresh".into()
            }
        }
    }
}

/// A span as one unit, rounded to the nearest: `45 s`, `12 min`, `3 h`, `2 d`.
fn ago(span: chrono::Duration) -> String {
    let s = span.num_seconds().max(0);
    match s {
        0..60 => format!("{s} s"),
        60..3570 => format!("{} min", (s + 30) / 60),
        3570..84_600 => format!("{} h", ((s + 1800) / 3600).max(1)),
        _ => format!("{} d", ((s + 43_200) / 86_400).max(1)),
    }
}

/// HTTP validators for conditional GET.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Validators {
    /// The `ETag` the server sent, echoed back as `If-None-Match`.
    pub etag: Option<String>,
    /// The `Last-Modified` the server sent, echoed back as `If-Modified-Since`.
    pub last_modified: Option<String>,
}
