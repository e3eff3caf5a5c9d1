//! `tidings import FILE`: OPML or a newsboat urls file appended to feeds.toml, comments kept.

use std::path::Path;

use super::config_file::{editable_path, open_for_edit, save, shown};
use super::ExitError;
use crate::config::NewFeed;
use crate::feed::subscriptions::{read_subscriptions, MAX_IMPORT_BYTES};

/// Import `file` into the config (`--config` or the one in use); prints what was done. A file that is
/// not a subscription list is exit 2 with `file:line:col`, and nothing is changed or created.
pub async fn run(config: Option<&Path>, file: &Path) -> anyhow::Result<i32> {
    let bytes = read_capped(file)?;
    let list = read_subscriptions(&bytes).map_err(|e| ExitError {
        code: 2,
        message: format!("{}:{e}", shown(file)),
    })?;
    let path = editable_path(config)?;
    let (mut doc, _) = open_for_edit(&path)?;
    let (web, other): (Vec<_>, Vec<_>) = list.feeds.into_iter().partition(|f| {
        let lower = f.url.to_ascii_lowercase();
        lower.starts_with("http://") || lower.starts_with("https://")
    });
    let report = doc.append(web.into_iter().map(|f| NewFeed {
        url: f.url,
        name: f.name,
        tags: f.tags,
    }));
    if !report.added.is_empty() {
        save(&doc, &path)?;
    }
    for feed in &other {
        eprintln!("tidings: skipped {}: not an http(s) URL", feed.url);
    }
    for (feed, reason) in &report.invalid {
        eprintln!(
            "tidings: skipped {}: {reason}",
            crate::text::sanitize_line(&feed.url)
        );
    }
    for line in &list.skipped {
        eprintln!("tidings: skipped {line}");
    }
    if !list.queries.is_empty() {
        eprintln!(
            "tidings: {} query: line(s) noted for later (they become [[query]] entries once the query language exists): {}",
            list.queries.len(),
            list.queries.join(" | ")
        );
    }
    let skipped = other.len() + report.invalid.len();
    println!(
        "imported {} feed{}, {} already present{} ({} from {} into {})",
        report.added.len(),
        if report.added.len() == 1 { "" } else { "s" },
        report.already_present.len(),
        if skipped > 0 {
            format!(", {skipped} skipped")
        } else {
            String::new()
        },
        list.format,
        shown(file),
        shown(&path),
    );
    Ok(0)
}

/// The file's bytes, refusing one too large to be a subscription list before reading it all.
fn read_capped(file: &Path) -> Result<Vec<u8>, ExitError> {
    let fail = |reason: String| ExitError {
        code: 2,
        message: format!("cannot read {}: {reason}", shown(file)),
    };
    let meta = std::fs::metadata(file).map_err(|e| fail(e.to_string().to_lowercase()))?;
    if meta.len() > MAX_IMPORT_BYTES as u64 {
        return Err(ExitError {
            code: 2,
            message: format!(
                "{}:1:1: the file is larger than {} MB: not a subscription list",
                shown(file),
                MAX_IMPORT_BYTES / (1024 * 1024)
            ),
        });
    }
    std::fs::read(file).map_err(|e| fail(e.to_string().to_lowercase()))
}
