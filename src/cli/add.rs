//! `tidings add URL`: a feed, or the feeds a web page announces, added to feeds.toml after they were
//! fetched and parsed.

use std::path::Path;
use std::time::Duration;

use url::Url;

use super::config_file::{editable_path, open_for_edit, save, shown};
use super::ExitError;
use crate::config::{NewFeed, Settings};
use crate::feed::discover::discover;
use crate::feed::http::{HttpClient, Limits};
use crate::text::sanitize_line;

/// What `tidings add` was asked to do.
#[derive(Debug, Clone)]
pub struct AddRequest<'a> {
    /// A feed or a page (http or https).
    pub url: &'a str,
    /// Name to write instead of the feed's own title.
    pub name: Option<&'a str>,
    /// Tags for the new feed(s).
    pub tags: &'a [String],
    /// Add every feed the page announces, not only the first.
    pub all: bool,
}

/// Find the feed(s) at `request.url`, then append them to the config (`--config` or the one in use,
/// created when missing). Nothing found: exit 1 and the config untouched.
pub async fn run(config: Option<&Path>, request: AddRequest<'_>) -> anyhow::Result<i32> {
    let url = Url::parse(request.url.trim())
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .ok_or_else(|| ExitError {
            code: 2,
            message: format!(
                "expected an http(s):// URL of a feed or a web page, found `{}`",
                sanitize_line(request.url)
            ),
        })?;
    let path = editable_path(config)?;
    let (mut doc, existing) = open_for_edit(&path)?;
    let settings = existing
        .map(|c| c.settings)
        .unwrap_or_else(Settings::default);
    let client = HttpClient::new(Limits {
        timeout: Duration::from_secs(settings.timeout_seconds.max(1)),
        max_bytes: settings.max_feed_bytes,
    })
    .map_err(|e| ExitError {
        code: 1,
        message: format!("cannot set up HTTP: {e}"),
    })?;
    let found = match discover(&client, &url).await {
        Ok(found) => found,
        Err(e) => {
            eprintln!("tidings: {e}; {} unchanged", shown(&path));
            return Ok(1);
        }
    };
    if found.len() > 1 {
        println!("{} feeds found:", found.len());
        for feed in &found {
            println!("  {}  {}", feed.url, feed.title.as_deref().unwrap_or(""));
        }
        if !request.all {
            println!("adding the first (--all adds every one)");
        }
    }
    let take = if request.all { found.len() } else { 1 };
    let chosen = found.into_iter().take(take).map(|feed| NewFeed {
        url: feed.url.to_string(),
        name: request.name.map(str::to_string).or(feed.title),
        tags: request.tags.to_vec(),
    });
    let report = doc.append(chosen);
    if !report.added.is_empty() {
        save(&doc, &path)?;
    }
    for feed in &report.added {
        let name = feed.name.as_deref().unwrap_or("(untitled)");
        println!("added {name} ({}) to {}", feed.url, shown(&path));
    }
    for feed in &report.already_present {
        println!("already present: {}", sanitize_line(&feed.url));
    }
    for (feed, reason) in &report.invalid {
        eprintln!("tidings: not added {}: {reason}", sanitize_line(&feed.url));
    }
    Ok(0)
}
