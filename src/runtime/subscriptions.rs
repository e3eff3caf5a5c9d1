//! The IO behind `a` and `d`: discovery with the session's client, and the config file edited in place
//! through the same `config::edit` path as `tidings add`/`remove` (comments kept; a config with
//! mistakes is never edited). Each returns one clean line on failure, for the status bar.

use crate::app::ConfigAdd;
use crate::config::{self, FeedsFile, NewFeed};
use crate::feed::discover::{discover, FoundFeed};
use crate::feed::http::HttpClient;
use crate::text::sanitize_line;
use std::path::Path;
use std::sync::Mutex;
use url::Url;

/// One config edit at a time: an `a` and a `d` finishing together would otherwise each read the file,
/// change it and write it back, and the last write would undo the other.
static CONFIG_EDITS: Mutex<()> = Mutex::new(());

/// The feeds at `url` (a feed, or the feeds a page announces).
pub(super) async fn discover_feeds(
    client: &HttpClient,
    url: &str,
) -> Result<Vec<FoundFeed>, String> {
    let url = Url::parse(url).map_err(|e| format!("bad URL: {e}"))?;
    discover(client, &url).await.map_err(|e| e.to_string())
}

/// The file at `path` for editing, refused when it no longer loads as a valid config.
fn open_for_edit(path: &Path) -> Result<FeedsFile, String> {
    if path.try_exists().unwrap_or(false) {
        config::load(path).map_err(|e| sanitize_line(&e.to_string()))?;
    }
    FeedsFile::read_or_empty(path).map_err(|e| e.to_string())
}

/// Append `feed` to the config at `path` unless its URL is there already.
pub(super) fn append_to_config(path: &Path, feed: NewFeed) -> Result<ConfigAdd, String> {
    // A poisoned lock only means another edit panicked; the file itself is whole (saves are atomic).
    let _one_at_a_time = CONFIG_EDITS.lock().unwrap_or_else(|e| e.into_inner());
    let mut file = open_for_edit(path)?;
    let report = file.append([feed]);
    if let Some(added) = report.added.into_iter().next() {
        file.save(path).map_err(|e| e.to_string())?;
        return Ok(ConfigAdd::Added {
            url: added.url,
            name: added.name,
        });
    }
    if let Some(present) = report.already_present.into_iter().next() {
        return Ok(ConfigAdd::AlreadyPresent(sanitize_line(&present.url)));
    }
    Err(report
        .invalid
        .into_iter()
        .next()
        .map(|(feed, reason)| format!("{}: {reason}", sanitize_line(&feed.url)))
        .unwrap_or_else(|| "nothing to add".into()))
}

/// Take the feed at `url` out of the config at `path`.
pub(super) fn remove_from_config(path: &Path, url: &str) -> Result<(), String> {
    let _one_at_a_time = CONFIG_EDITS.lock().unwrap_or_else(|e| e.into_inner());
    let mut file = open_for_edit(path)?;
    file.remove(url).map_err(|e| e.to_string())?;
    file.save(path).map_err(|e| e.to_string())
}
