//! Which feeds.toml the editing commands (`import`, `add`, `remove`) change, and opening it safely:
//! an existing file must be a valid config before anything is written to it.

use std::path::{Path, PathBuf};

use super::ExitError;
use crate::config::{self, Config, ConfigError, FeedsFile};

/// The file to edit: `--config PATH` (created when missing), else the config in use, else
/// `$XDG_CONFIG_HOME/tidings/feeds.toml` (`~/.config/tidings/feeds.toml`) when there is none anywhere.
pub fn editable_path(explicit: Option<&Path>) -> Result<PathBuf, ExitError> {
    if let Some(path) = explicit {
        return Ok(path.to_path_buf());
    }
    match config::locate(None) {
        Ok(path) => Ok(path),
        Err(ConfigError::Missing { path, .. }) => Ok(PathBuf::from(path)),
        Err(ConfigError::NotFound { .. }) => default_path().ok_or_else(|| ExitError {
            code: 2,
            message: "no config folder ($XDG_CONFIG_HOME and $HOME are unset); pass --config PATH"
                .into(),
        }),
        Err(e) => Err(usage(e.to_string())),
    }
}

/// `$XDG_CONFIG_HOME/tidings/feeds.toml`, else `$HOME/.config/tidings/feeds.toml`.
fn default_path() -> Option<PathBuf> {
    let non_empty = |key| {
        std::env::var_os(key)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let dir = non_empty("XDG_CONFIG_HOME")
        .filter(|d| d.is_absolute())
        .or_else(|| non_empty("HOME").map(|home| home.join(".config")))?;
    Some(dir.join("tidings").join("feeds.toml"))
}

/// The document at `path` for editing (empty when the file does not exist yet) and, when it exists,
/// its validated config; a config with mistakes is never edited (exit 2, its own message).
pub fn open_for_edit(path: &Path) -> Result<(FeedsFile, Option<Config>), ExitError> {
    let config = match path.try_exists() {
        Ok(true) => Some(config::load(path).map_err(|e| usage(e.to_string()))?),
        _ => None,
    };
    let file = FeedsFile::read_or_empty(path).map_err(|e| usage(e.to_string()))?;
    Ok((file, config))
}

/// Save `file` to `path`; a failure is exit 1 (the operation failed, the usage was fine).
pub fn save(file: &FeedsFile, path: &Path) -> Result<(), ExitError> {
    file.save(path).map_err(|e| ExitError {
        code: 1,
        message: e.to_string(),
    })
}

/// The path as printed: one clean line.
pub fn shown(path: &Path) -> String {
    crate::text::sanitize_line(&path.display().to_string())
}

fn usage(message: String) -> ExitError {
    ExitError { code: 2, message }
}
