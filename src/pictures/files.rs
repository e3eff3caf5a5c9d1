//! The picture file cache: one file per picture URL (named by its SHA-1) in a folder beside the
//! SQLite cache, so a re-read, also after a restart, does not fetch again. Failures to read or write
//! only cost a fetch.

use super::MAX_PICTURE_BYTES;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A folder of downloaded pictures.
#[derive(Debug, Clone)]
pub struct PictureFiles {
    dir: PathBuf,
}

impl PictureFiles {
    /// The folder beside the cache database `cache_path` (`cache.db` → `cache.pictures/`).
    pub fn beside(cache_path: &Path) -> Self {
        PictureFiles {
            dir: cache_path.with_extension("pictures"),
        }
    }

    /// Pictures in `dir`.
    pub fn in_dir(dir: PathBuf) -> Self {
        PictureFiles { dir }
    }

    fn path(&self, url: &str) -> PathBuf {
        self.dir
            .join(sha1_smol::Sha1::from(url.as_bytes()).digest().to_string())
    }

    /// The stored bytes of `url`, when kept (and not over the size cap).
    pub fn read(&self, url: &str) -> Option<Vec<u8>> {
        let file = std::fs::File::open(self.path(url)).ok()?;
        let mut bytes = Vec::new();
        file.take(MAX_PICTURE_BYTES + 1)
            .read_to_end(&mut bytes)
            .ok()?;
        (bytes.len() as u64 <= MAX_PICTURE_BYTES).then_some(bytes)
    }

    /// Keep `bytes` for `url` (written to a temporary name, then renamed: never half a file).
    pub fn write(&self, url: &str, bytes: &[u8]) {
        if std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let path = self.path(url);
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, &path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}
