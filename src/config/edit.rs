//! Editing feeds.toml in place (toml_edit): append feeds, remove one, keeping every comment, the order
//! and the formatting of everything else.

use std::path::{Path, PathBuf};

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, Value};
use url::Url;

use super::feed_url::resolve_url;
use super::validate::base_dir;
use super::{display_path, line_col};
use crate::text::sanitize_line;

/// One feed to write into feeds.toml (from an import, `tidings add`, the TUI).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFeed {
    /// The URL as found; written normalised (absolute http(s) or file URL).
    pub url: String,
    /// Name to write; sanitised to one line, dropped when empty.
    pub name: Option<String>,
    /// Tags to write, sanitised, empty and repeated ones dropped.
    pub tags: Vec<String>,
}

/// What [`FeedsFile::append`] did with each feed, in the order given.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Appended {
    /// Written, with the URL as it now stands in the file.
    pub added: Vec<NewFeed>,
    /// Skipped: the URL (after normalisation) is in the file already, or earlier in the same batch.
    pub already_present: Vec<NewFeed>,
    /// Skipped: the URL is not usable (a reason each, one clean line).
    pub invalid: Vec<(NewFeed, String)>,
}

/// The entry [`FeedsFile::remove`] took out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    /// Its URL, normalised (the key the cache uses for the feed's articles).
    pub url: String,
    /// Its configured name, if it had one.
    pub name: Option<String>,
}

/// Why feeds.toml could not be edited. Display is one line naming the file.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The file is not valid TOML, or `feed` is not a list of tables.
    #[error("{path}:{line}:{col}: {message}")]
    Invalid {
        /// The config file, as shown to the user.
        path: String,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        col: usize,
        /// What is wrong, one sanitised line.
        message: String,
    },
    /// `remove` found no feed with that name or URL.
    #[error("no feed named or at `{0}` in the config")]
    NotFound(String),
    /// `remove` found several feeds with that name.
    #[error("several feeds are named `{name}` (lines {lines}); remove one by its URL")]
    Ambiguous {
        /// The name that more than one feed has.
        name: String,
        /// The line numbers of those feeds, comma-separated.
        lines: String,
    },
    /// Reading or writing the file failed.
    #[error("cannot {action} {path}: {reason}")]
    Io {
        /// The verb that failed, such as "read" or "write".
        action: &'static str,
        /// The file, as shown to the user.
        path: String,
        /// The operating system's explanation, one sanitised line.
        reason: String,
    },
}

/// feeds.toml as an editable document.
#[derive(Debug, Clone)]
pub struct FeedsFile {
    doc: DocumentMut,
    base_dir: Option<PathBuf>,
}

impl FeedsFile {
    /// Parse `text`; `path` names the file in errors and anchors relative feed paths.
    pub fn parse(text: &str, path: Option<&Path>) -> Result<FeedsFile, EditError> {
        let shown = display_path(path);
        let spanned = toml_edit::Document::parse(text).map_err(|err| {
            let (line, col) = line_col(text, err.span().map_or(0, |s| s.start));
            EditError::Invalid {
                path: shown.clone(),
                line,
                col,
                message: sanitize_line(err.message()),
            }
        })?;
        check_feed_shape(spanned.as_table(), text, &shown)?;
        Ok(FeedsFile {
            doc: spanned.into_mut(),
            base_dir: base_dir(path),
        })
    }

    /// Read the file at `path`; a file that does not exist yet is an empty document.
    pub fn read_or_empty(path: &Path) -> Result<FeedsFile, EditError> {
        match std::fs::read(path) {
            Ok(bytes) => {
                let text = String::from_utf8(bytes).map_err(|_| EditError::Io {
                    action: "read",
                    path: display_path(Some(path)),
                    reason: "not valid UTF-8".into(),
                })?;
                FeedsFile::parse(&text, Some(path))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => FeedsFile::parse("", Some(path)),
            Err(e) => Err(io_error("read", path, &e)),
        }
    }

    /// Append `feeds` after the last `[[feed]]`, skipping URLs already present (compared normalised).
    pub fn append(&mut self, feeds: impl IntoIterator<Item = NewFeed>) -> Appended {
        let mut present: Vec<String> = self.entries().into_iter().filter_map(|e| e.url).collect();
        let mut report = Appended::default();
        for feed in feeds {
            let url = match resolve_url(&feed.url, self.base_dir.as_deref()) {
                Ok(url) => url,
                Err(reason) => {
                    report.invalid.push((feed, sanitize_line(&reason)));
                    continue;
                }
            };
            if present.iter().any(|p| p == url.as_str()) {
                report.already_present.push(feed);
                continue;
            }
            present.push(url.to_string());
            let written = clean(feed, &url);
            self.push_entry(&written);
            report.added.push(written);
        }
        report
    }

    /// Remove the feed whose URL (normalised) or name (ignoring ASCII case) is `name_or_url`. Comments
    /// directly above its `[[feed]]` line go with it; every other comment stays.
    pub fn remove(&mut self, name_or_url: &str) -> Result<Removed, EditError> {
        let wanted = name_or_url.trim();
        let wanted_url = resolve_url(wanted, self.base_dir.as_deref()).ok();
        let entries = self.entries();
        let by_url: Vec<&Entry> = entries
            .iter()
            .filter(|e| {
                wanted_url
                    .as_ref()
                    .is_some_and(|u| e.url.as_deref() == Some(u.as_str()))
            })
            .collect();
        let by_name: Vec<&Entry> = entries
            .iter()
            .filter(|e| {
                e.name
                    .as_deref()
                    .is_some_and(|n| n.trim().eq_ignore_ascii_case(wanted))
            })
            .collect();
        let found = match (by_url.first(), by_name.as_slice()) {
            (Some(entry), _) => (*entry).clone(),
            (None, [one]) => (*one).clone(),
            (None, []) => return Err(EditError::NotFound(sanitize_line(wanted))),
            (None, many) => {
                let lines: Vec<String> = many.iter().map(|e| e.line.to_string()).collect();
                return Err(EditError::Ambiguous {
                    name: sanitize_line(wanted),
                    lines: lines.join(", "),
                });
            }
        };
        self.remove_at(found.index);
        Ok(Removed {
            url: found.url.unwrap_or_default(),
            name: found.name.map(|n| sanitize_line(&n)),
        })
    }

    /// The document as it would be saved.
    pub fn render(&self) -> String {
        self.doc.to_string()
    }

    /// Write the document to `path` (folders created), through a temporary file and a rename, so a
    /// crash never leaves half a config.
    pub fn save(&self, path: &Path) -> Result<(), EditError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| io_error("create the folder of", path, &e))?;
        }
        let mut temp = path.as_os_str().to_owned();
        temp.push(format!(".tmp-{}", std::process::id()));
        let temp = PathBuf::from(temp);
        std::fs::write(&temp, self.render()).map_err(|e| io_error("write", &temp, &e))?;
        std::fs::rename(&temp, path).map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            io_error("replace", path, &e)
        })
    }

    /// Every feed entry's index, normalised URL (None when unusable), name and line.
    fn entries(&self) -> Vec<Entry> {
        let base = self.base_dir.as_deref();
        // A fresh parse of the current text carries the spans (for line numbers) that edits drop.
        let text = self.render();
        let Ok(spanned) = toml_edit::Document::parse(text.as_str()) else {
            return Vec::new();
        };
        let entry = |index, url: Option<&str>, name: Option<&str>, offset: Option<usize>| Entry {
            index,
            url: url
                .and_then(|u| resolve_url(u, base).ok())
                .map(String::from),
            name: name.map(str::to_string),
            line: line_col(&text, offset.unwrap_or(0)).0,
        };
        match spanned.get("feed") {
            Some(Item::ArrayOfTables(array)) => array
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let url = t.get("url").and_then(Item::as_str);
                    let offset = t.get("url").and_then(Item::span).map(|s| s.start);
                    entry(i, url, t.get("name").and_then(Item::as_str), offset)
                })
                .collect(),
            Some(Item::Value(Value::Array(items))) => items
                .iter()
                .enumerate()
                .filter_map(|(i, v)| Some((i, v.as_inline_table()?)))
                .map(|(i, t)| {
                    let url = t.get("url").and_then(Value::as_str);
                    let offset = t.get("url").and_then(Value::span).map(|s| s.start);
                    entry(i, url, t.get("name").and_then(Value::as_str), offset)
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    fn push_entry(&mut self, feed: &NewFeed) {
        let mut table = Table::new();
        table.insert("url", toml_edit::value(feed.url.as_str()));
        if let Some(name) = &feed.name {
            table.insert("name", toml_edit::value(name.as_str()));
        }
        if !feed.tags.is_empty() {
            let tags: toml_edit::Array = feed.tags.iter().map(String::as_str).collect();
            table.insert("tags", toml_edit::value(tags));
        }
        match self.doc.get_mut("feed") {
            Some(Item::ArrayOfTables(array)) => {
                table.decor_mut().set_prefix("\n");
                array.push(table);
            }
            Some(Item::Value(Value::Array(items))) => {
                let mut inline = table.into_inline_table();
                inline.fmt();
                items.push(inline);
            }
            _ => {
                // First feed: after every table already in the file, a blank line before it.
                let last = self
                    .doc
                    .as_table()
                    .iter()
                    .filter_map(|(_, item)| max_position(item))
                    .max();
                table.set_position(last.map(|p| p + 1));
                // Comments at the end of the file stay above the new entry, not below it.
                let trailing = self.doc.trailing().as_str().unwrap_or("").to_string();
                let mut prefix = trailing.clone();
                if !self.doc.as_table().is_empty() || !trailing.trim().is_empty() {
                    prefix.push('\n');
                }
                table.decor_mut().set_prefix(prefix);
                self.doc.set_trailing("");
                let mut array = ArrayOfTables::new();
                array.push(table);
                self.doc.insert("feed", Item::ArrayOfTables(array));
            }
        }
    }

    fn remove_at(&mut self, index: usize) {
        let mut orphaned = String::new();
        let mut now_empty = false;
        match self.doc.get_mut("feed") {
            Some(Item::ArrayOfTables(array)) => {
                let kept = array
                    .get(index)
                    .map(|t| detached_comments(t.decor().prefix().and_then(|p| p.as_str())))
                    .unwrap_or_default();
                array.remove(index);
                match array.get_mut(index) {
                    Some(next) if !kept.is_empty() => {
                        let rest = next.decor().prefix().and_then(|p| p.as_str()).unwrap_or("");
                        let joined = format!("{kept}{rest}");
                        next.decor_mut().set_prefix(joined);
                    }
                    _ => orphaned = kept,
                }
                now_empty = array.is_empty();
            }
            Some(Item::Value(Value::Array(items))) => {
                items.remove(index);
            }
            _ => {}
        }
        if now_empty {
            self.doc.remove("feed");
        }
        if !orphaned.is_empty() {
            // The last feed's section comments have no entry below them: they end the file.
            let trailing = self.doc.trailing().as_str().unwrap_or("").to_string();
            self.doc.set_trailing(format!("{orphaned}{trailing}"));
        }
    }
}

/// One existing entry, as [`FeedsFile::remove`] and the duplicate check see it.
#[derive(Debug, Clone)]
struct Entry {
    index: usize,
    url: Option<String>,
    name: Option<String>,
    line: usize,
}

/// `feed` must be `[[feed]]` tables (or an inline array of tables) for edits to make sense.
fn check_feed_shape(root: &Table, text: &str, path: &str) -> Result<(), EditError> {
    match root.get("feed") {
        None | Some(Item::ArrayOfTables(_)) => Ok(()),
        Some(Item::Value(Value::Array(items))) if items.iter().all(Value::is_inline_table) => {
            Ok(())
        }
        Some(item) => {
            let offset = item.span().map_or(0, |s| s.start);
            let (line, col) = line_col(text, offset);
            Err(EditError::Invalid {
                path: path.to_string(),
                line,
                col,
                message: "feed: expected a list of [[feed]] tables".into(),
            })
        }
    }
}

/// The part of a table's prefix that is separated from its header by a blank line: comments that
/// belong to what is above, not to this entry.
fn detached_comments(prefix: Option<&str>) -> String {
    let prefix = prefix.unwrap_or("");
    let lines: Vec<&str> = prefix.split_inclusive('\n').collect();
    match lines.iter().rposition(|l| l.trim().is_empty()) {
        Some(blank)
            if lines[..blank]
                .iter()
                .any(|l| l.trim_start().starts_with('#')) =>
        {
            lines[..=blank].concat()
        }
        _ => String::new(),
    }
}

fn max_position(item: &Item) -> Option<isize> {
    match item {
        Item::Table(t) => t.position(),
        Item::ArrayOfTables(a) => a.iter().filter_map(Table::position).max(),
        _ => None,
    }
}

/// A feed as it will be written: normalised URL, one-line name, clean distinct tags.
fn clean(feed: NewFeed, url: &Url) -> NewFeed {
    let mut tags: Vec<String> = Vec::new();
    for tag in feed.tags.iter().map(|t| sanitize_line(t)) {
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    NewFeed {
        url: url.to_string(),
        name: feed
            .name
            .map(|n| sanitize_line(&n))
            .filter(|n| !n.is_empty()),
        tags,
    }
}

fn io_error(action: &'static str, path: &Path, err: &std::io::Error) -> EditError {
    EditError::Io {
        action,
        path: display_path(Some(path)),
        reason: sanitize_line(&err.to_string()),
    }
}

#[cfg(test)]
#[path = "edit_tests.rs"]
mod tests;
