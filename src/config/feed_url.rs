//! Feed URLs as written → absolute http(s) or file URLs; other schemes and control characters refused.

use std::path::{Component, Path, PathBuf};

use url::Url;

use super::values::shown;

/// A feed URL as written → absolute http(s) or file URL. Paths without a scheme become file URLs.
pub(super) fn resolve_url(raw: &str, base_dir: Option<&Path>) -> Result<Url, String> {
    let text = raw.trim();
    if text.is_empty() {
        return Err("expected an http(s):// address or a file path, found an empty string".into());
    }
    if text.chars().any(char::is_control) {
        return Err(format!(
            "expected no control characters, found some in `{}`; remove them",
            shown(text)
        ));
    }
    match Url::parse(text) {
        // A one-letter scheme is a Windows drive (`C:\feeds\x.xml`), not a URL.
        Ok(url) if url.scheme().len() == 1 => path_to_url(text, base_dir),
        Ok(url) => match url.scheme() {
            "http" | "https" if url.host_str().is_some_and(|h| !h.is_empty()) => Ok(url),
            "http" | "https" => Err(format!(
                "expected a host after the scheme, found none in `{}`",
                shown(text)
            )),
            "file" => Ok(url),
            other => Err(format!(
                "expected http://, https://, file:// or a file path, found the unsupported URL scheme `{}`",
                shown(other)
            )),
        },
        Err(url::ParseError::RelativeUrlWithoutBase) => path_to_url(text, base_dir),
        Err(err) => Err(format!("expected a valid URL, found `{}` ({err})", shown(text))),
    }
}

fn path_to_url(text: &str, base_dir: Option<&Path>) -> Result<Url, String> {
    let path = Path::new(text);
    let absolute = if path.is_absolute() {
        normalise(path)
    } else {
        let dir = base_dir.ok_or_else(|| {
            format!(
                "cannot resolve relative path `{}`: the current folder is unknown",
                shown(text)
            )
        })?;
        let absolute = normalise(&dir.join(path));
        if looks_like_host(path) && !absolute.exists() {
            return Err(format!(
                "`{}` looks like a web address without a scheme; write https://{}",
                shown(text),
                shown(text)
            ));
        }
        absolute
    };
    Url::from_file_path(&absolute)
        .map_err(|()| format!("cannot turn path `{}` into a file URL", shown(text)))
}

/// `example.org/rss.xml`: a first segment with an inner dot, followed by more path.
fn looks_like_host(path: &Path) -> bool {
    let mut parts = path.components();
    match (parts.next(), parts.next()) {
        (Some(Component::Normal(first)), Some(_)) => {
            let first = first.to_string_lossy();
            first.contains('.') && !first.starts_with('.') && !first.ends_with('.')
        }
        _ => false,
    }
}

/// Removes `.` and `..` without touching the file system (the file may not exist yet).
pub(super) fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push(part);
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_like_relative_paths_are_spotted() {
        assert!(looks_like_host(Path::new("example.org/rss.xml")));
        assert!(!looks_like_host(Path::new("feeds.xml")));
        assert!(!looks_like_host(Path::new("./local/feed.xml")));
        assert!(!looks_like_host(Path::new("local/feed.xml")));
    }

    #[test]
    fn normalise_drops_dot_segments() {
        assert_eq!(normalise(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }
}
