//! `tidings remove NAME|URL`: the feed's entry taken out of feeds.toml, every other comment kept, and
//! its unstarred articles taken out of the cache.

use super::config_file::{open_for_edit, save, shown};
use super::{Cli, ExitError};
use crate::cache::Cache;
use crate::config::{self, EditError};

/// Remove the feed named `target` (its name, any case, or its URL) from the config in use. Unknown
/// feed: exit 1; a name shared by several feeds: exit 2 (name the URL instead).
pub async fn run(cli: &Cli, target: &str) -> anyhow::Result<i32> {
    let config_path = cli.config.as_deref();
    let path = config::locate(config_path).map_err(|e| ExitError {
        code: 2,
        message: e.to_string(),
    })?;
    let (mut doc, before) = open_for_edit(&path)?;
    let removed = doc.remove(target).map_err(|e| ExitError {
        code: if matches!(e, EditError::NotFound(_)) {
            1
        } else {
            2
        },
        message: e.to_string(),
    })?;
    save(&doc, &path)?;
    // The feed's URL as the cache knows it (normalised by the config loader): the one that is gone.
    if let (Some(before), Ok(after)) = (before, config::load(&path)) {
        let kept: Vec<&url::Url> = after.feeds.iter().map(|f| &f.url).collect();
        let gone = before.feeds.iter().find(|f| !kept.contains(&&f.url));
        let cache = super::cache_path(cli, &before).filter(|p| p.exists());
        if let (Some(gone), Some(cache)) = (gone, cache) {
            let dropped = Cache::open(&cache)
                .and_then(|(cache, _)| cache.forget_feed(gone.url.as_str()))
                .map_err(|e| ExitError {
                    code: 1,
                    message: format!("removed from the config, but {e}"),
                })?;
            eprintln!("tidings: {dropped} unstarred article(s) removed from the cache");
        }
    }
    match &removed.name {
        Some(name) => println!("removed {name} ({}) from {}", removed.url, shown(&path)),
        None => println!("removed {} from {}", removed.url, shown(&path)),
    }
    Ok(0)
}
