//! `tidings export`: the config's feeds as OPML 2.0 on stdout.

use std::path::Path;

use super::ExitError;
use crate::config;
use crate::feed::opml::write_opml;
use crate::feed::subscriptions::Subscription;

/// Print the feeds of the config in use as OPML 2.0 (names, URLs, tags as `category`). `htmlUrl` is
/// not written yet: the config does not know a feed's site (the cache's feed link could supply it).
pub async fn run(config_path: Option<&Path>) -> anyhow::Result<i32> {
    let usage = |e: config::ConfigError| ExitError {
        code: 2,
        message: e.to_string(),
    };
    let path = config::locate(config_path).map_err(usage)?;
    let config = config::load(&path).map_err(usage)?;
    let feeds: Vec<Subscription> = config
        .feeds
        .iter()
        .map(|f| Subscription {
            url: f.url.to_string(),
            name: f.name.clone(),
            tags: f.tags.clone(),
            html_url: None,
        })
        .collect();
    print!("{}", write_opml(&feeds));
    Ok(0)
}
