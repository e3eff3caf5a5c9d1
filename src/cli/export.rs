//! `tidings export`: the config's feeds as OPML 2.0 on stdout.

use std::collections::HashMap;
use std::path::Path;

use super::Cli;
use crate::cache::read::CacheReader;
use crate::feed::opml::write_opml;
use crate::feed::subscriptions::Subscription;

/// Print the feeds of the config in use as OPML 2.0: names, URLs, tags as `category`, and `htmlUrl`
/// where the cache holds the site the feed links to (so only for feeds fetched at least once). The
/// cache is only read: a missing file is not created, an unreadable one is a warning on stderr, and
/// `--no-cache` leaves it alone; the export happens either way.
pub async fn run(cli: &Cli) -> anyhow::Result<i32> {
    let config = super::load_config(cli)?;
    let sites = super::cache_path(cli, &config)
        .map(|cache| stored_sites(&cache))
        .unwrap_or_default();
    let feeds: Vec<Subscription> = config
        .feeds
        .iter()
        .map(|f| Subscription {
            url: f.url.to_string(),
            name: f.name.clone(),
            tags: f.tags.clone(),
            html_url: sites.get(f.url.as_str()).cloned(),
        })
        .collect();
    print!("{}", write_opml(&feeds));
    Ok(0)
}

/// The sites the cache at `path` holds, by feed URL; empty when there is no such file, and with a
/// warning when it cannot be read.
fn stored_sites(path: &Path) -> HashMap<String, String> {
    if !path.is_file() {
        return HashMap::new();
    }
    match CacheReader::open(path).and_then(|reader| reader.sites()) {
        Ok(sites) => sites,
        Err(e) => {
            eprintln!(
                "tidings: {}; exporting without htmlUrl",
                crate::text::sanitize_line(&e.to_string())
            );
            HashMap::new()
        }
    }
}
