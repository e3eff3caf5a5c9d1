//! `tidings remove NAME|URL`: the feed's entry taken out of feeds.toml, every other comment kept.

use std::path::Path;

use super::config_file::{open_for_edit, save, shown};
use super::ExitError;
use crate::config::{self, EditError};

/// Remove the feed named `target` (its name, any case, or its URL) from the config in use. Unknown
/// feed: exit 1; a name shared by several feeds: exit 2 (name the URL instead).
pub async fn run(config_path: Option<&Path>, target: &str) -> anyhow::Result<i32> {
    let path = config::locate(config_path).map_err(|e| ExitError {
        code: 2,
        message: e.to_string(),
    })?;
    let (mut doc, _) = open_for_edit(&path)?;
    let removed = doc.remove(target).map_err(|e| ExitError {
        code: if matches!(e, EditError::NotFound(_)) {
            1
        } else {
            2
        },
        message: e.to_string(),
    })?;
    save(&doc, &path)?;
    // Lead's part: the feed's unstarred articles leave the cache here, e.g.
    // `cache::forget_feed(cache_path, &removed.url, KeepStarred)` (cache/ is outside this change).
    match &removed.name {
        Some(name) => println!("removed {name} ({}) from {}", removed.url, shown(&path)),
        None => println!("removed {} from {}", removed.url, shown(&path)),
    }
    Ok(0)
}
