//! Where the config lives: the lookup order, with the environment passed in so tests need no globals.

use std::path::{Path, PathBuf};

use super::ConfigError;

/// [`super::locate`] with the environment (`TIDINGS_CONFIG`, `XDG_CONFIG_HOME`, `HOME`) and working
/// directory supplied by the caller; an explicitly named file that is missing is an error, never skipped.
pub fn locate_with(
    explicit: Option<&Path>,
    env: impl Fn(&str) -> Option<String>,
    cwd: &Path,
) -> Result<PathBuf, ConfigError> {
    if let Some(path) = explicit {
        return explicit_file(path, "--config");
    }
    let non_empty = |key: &str| env(key).filter(|v| !v.is_empty());
    if let Some(path) = non_empty("TIDINGS_CONFIG") {
        return explicit_file(Path::new(&path), "$TIDINGS_CONFIG");
    }
    let config_dir = non_empty("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute())
        .or_else(|| non_empty("HOME").map(|home| Path::new(&home).join(".config")));
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(dir) = config_dir {
        candidates.push(dir.join("tidings").join("feeds.toml"));
    }
    candidates.push(cwd.join("feeds.toml"));
    for candidate in &candidates {
        // An existing entry we cannot even stat is returned, so `load` reports why instead of a silent skip.
        if candidate.try_exists().unwrap_or(true) {
            return Ok(candidate.clone());
        }
    }
    let looked = candidates
        .iter()
        .map(|p| crate::text::sanitize_line(&p.display().to_string()))
        .collect::<Vec<_>>()
        .join(", ");
    Err(ConfigError::NotFound { looked })
}

fn explicit_file(path: &Path, origin: &'static str) -> Result<PathBuf, ConfigError> {
    match path.try_exists() {
        Ok(false) => Err(ConfigError::Missing {
            path: crate::text::sanitize_line(&path.display().to_string()),
            origin,
        }),
        _ => Ok(path.to_path_buf()),
    }
}
