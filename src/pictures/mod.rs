//! Pictures in articles: fetched with the feed limits (deadline, redirects) and a 5 MB cap, kept in a
//! file cache beside the SQLite cache, decoded off the UI thread under a pixel cap, and encoded for
//! the terminal (`ratatui-image`: kitty, sixel or iTerm2 when detected, half-blocks elsewhere). What
//! cannot be shown (SVG, unknown types, 404, too big, an image bomb) is an error, and the reader keeps
//! the placeholder.

mod decode;
mod files;

pub use decode::{decode_limited, MAX_PIXELS, MAX_SIDE};
pub use files::PictureFiles;

use crate::feed::http::{FetchError, Fetched, HttpClient, Limits};
use crate::model::Validators;
use ratatui::layout::Rect;
use ratatui_image::picker::Picker;
use ratatui_image::protocol::Protocol;
use ratatui_image::Resize;
use url::Url;

/// Largest picture downloaded (bytes, after decompression).
pub const MAX_PICTURE_BYTES: u64 = 5_000_000;
/// Pictures loaded at once. Each costs at most its download, its decoded pixels and a scaled copy
/// (about 100 MB at the caps), so two at a time keep the peak bounded whatever an article holds.
const LOADS_AT_ONCE: usize = 2;

/// A picture encoded for a box of `cols`×`rows` cells: ready to draw, no work left.
#[derive(Clone)]
pub struct Picture {
    /// The encoded picture (its area is at most the box it was made for).
    pub protocol: Protocol,
    /// True for unicode half-blocks, which can be drawn in part (when scrolled half off screen).
    pub half_blocks: bool,
    /// The box (columns, rows) it was made for.
    pub size: (u16, u16),
}

impl std::fmt::Debug for Picture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let area = self.protocol.area();
        write!(f, "Picture({}x{} cells)", area.width, area.height)
    }
}

impl PartialEq for Picture {
    fn eq(&self, other: &Self) -> bool {
        self.protocol.area() == other.protocol.area()
            && self.half_blocks == other.half_blocks
            && self.size == other.size
    }
}

/// Why a picture is not shown; Display is one short line.
#[derive(Debug, thiserror::Error)]
pub enum PictureError {
    /// The link is not a valid URL, or not http(s).
    #[error("bad picture link: {0}")]
    BadUrl(String),
    /// The download failed (network, HTTP status, deadline, the 5 MB cap).
    #[error("{0}")]
    Fetch(#[from] FetchError),
    /// Not PNG, JPEG, GIF or WebP, or it could not be decoded; holds the format or the reason.
    #[error("not a picture tidings can draw ({0})")]
    Unsupported(String),
    /// Over the side or pixel cap ([`MAX_SIDE`], [`MAX_PIXELS`]); holds its dimensions.
    #[error("picture too large to decode ({0})")]
    TooLarge(String),
    /// Encoding for the terminal's graphics protocol failed.
    #[error("could not encode the picture: {0}")]
    Encode(String),
    /// The load was cut short: its task panicked or was cancelled, or the load limiter closed.
    #[error("picture task stopped: {0}")]
    Task(String),
}

/// How pictures are made: the terminal's protocol, the download client (5 MB cap) and the file cache.
#[derive(Debug, Clone)]
pub struct PictureMaker {
    picker: Picker,
    client: HttpClient,
    files: Option<PictureFiles>,
    /// Bounds the loads in flight (see [`LOADS_AT_ONCE`]).
    loads: std::sync::Arc<tokio::sync::Semaphore>,
}

impl PictureMaker {
    /// A maker drawing with `picker`, downloading with the feed deadline `timeout` and a 5 MB cap,
    /// keeping downloads in `files` (none: fetched every time).
    pub fn new(
        picker: Picker,
        timeout: std::time::Duration,
        files: Option<PictureFiles>,
    ) -> Result<Self, PictureError> {
        let client = HttpClient::new(Limits {
            timeout,
            max_bytes: MAX_PICTURE_BYTES,
        })?;
        Ok(PictureMaker {
            picker,
            client,
            files,
            loads: std::sync::Arc::new(tokio::sync::Semaphore::new(LOADS_AT_ONCE)),
        })
    }

    /// Unicode half-blocks: what every terminal with colours can show (and what tests use).
    pub fn half_blocks(
        timeout: std::time::Duration,
        files: Option<PictureFiles>,
    ) -> Result<Self, PictureError> {
        Self::new(Picker::halfblocks(), timeout, files)
    }

    /// Pictures as `settings.images` asks: none when "off"; half-blocks to begin with (the terminal's
    /// own protocol is detected once the screen is ours, see [`PictureMaker::detected`]); downloads
    /// kept beside the cache database at `cache_path`.
    pub fn for_settings(
        settings: &crate::config::Settings,
        cache_path: Option<&std::path::Path>,
    ) -> Option<Self> {
        if settings.images == crate::config::ImageMode::Off {
            return None;
        }
        let files = cache_path.map(PictureFiles::beside);
        let timeout = std::time::Duration::from_secs(settings.timeout_seconds.max(1));
        Self::half_blocks(timeout, files).ok()
    }

    /// This maker with the terminal's graphics protocol, when the terminal may have one (see
    /// [`may_have_graphics`]) and answers the query; call in raw mode, before input is read.
    pub fn detected(&self) -> Option<Self> {
        if !may_have_graphics(|name| std::env::var(name).ok()) {
            return None;
        }
        Picker::from_query_stdio()
            .ok()
            .map(|picker| self.with_picker(picker))
    }

    /// The same maker drawing with `picker` (e.g. the protocol detected once the terminal is ours).
    pub fn with_picker(&self, picker: Picker) -> Self {
        PictureMaker {
            picker,
            ..self.clone()
        }
    }

    /// The picture at `url` for a box of `cols`×`rows` cells: from the file cache, else fetched (and
    /// kept); the files are read and written, and the picture decoded and encoded, off the async
    /// workers (a file may be 5 MB, and the workers also carry the feeds' downloads).
    pub async fn load(&self, url: &str, cols: u16, rows: u16) -> Result<Picture, PictureError> {
        let task = |e: tokio::task::JoinError| PictureError::Task(e.to_string());
        let _permit = self
            .loads
            .acquire()
            .await
            .map_err(|e| PictureError::Task(e.to_string()))?;
        let stored = match self.files.clone() {
            Some(files) => {
                let url = url.to_string();
                tokio::task::spawn_blocking(move || files.read(&url))
                    .await
                    .map_err(task)?
            }
            None => None,
        };
        let (bytes, keep) = match stored {
            Some(bytes) => (bytes, None),
            None => (self.fetch(url).await?, self.files.clone()),
        };
        let picker = self.picker.clone();
        let url = url.to_string();
        tokio::task::spawn_blocking(move || {
            if let Some(files) = keep {
                files.write(&url, &bytes);
            }
            encode(&picker, &bytes, cols, rows)
        })
        .await
        .map_err(task)?
    }

    async fn fetch(&self, url: &str) -> Result<Vec<u8>, PictureError> {
        let parsed = Url::parse(url).map_err(|e| PictureError::BadUrl(e.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(PictureError::BadUrl(format!(
                "{} is not http(s)",
                parsed.scheme()
            )));
        }
        match self.client.fetch(&parsed, &Validators::default()).await? {
            Fetched::Body(body) => Ok(body.bytes),
            Fetched::NotModified => Err(PictureError::Unsupported("304 to a plain request".into())),
        }
    }
}

/// Whether the terminal may speak a graphics protocol (kitty, sixel, iTerm2), from its environment.
/// Only then is it queried: a terminal that never answers would leave the query's reader holding
/// stdin, and inside tmux or screen the protocols need passthrough that is rarely set up.
pub fn may_have_graphics(env: impl Fn(&str) -> Option<String>) -> bool {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
    if set("TMUX") || env("TERM").is_some_and(|t| t.starts_with("screen") || t.starts_with("tmux"))
    {
        return false;
    }
    let term = env("TERM").unwrap_or_default();
    let program = env("TERM_PROGRAM").unwrap_or_default();
    set("KITTY_WINDOW_ID")
        || set("WEZTERM_EXECUTABLE")
        || set("KONSOLE_VERSION")
        || term.contains("kitty")
        || term.contains("ghostty")
        || term.starts_with("foot")
        || term.contains("mlterm")
        || ["iTerm.app", "WezTerm", "ghostty", "WarpTerminal", "vscode"].contains(&program.as_str())
}

/// Decode `bytes` under the pixel cap and encode them to fit `cols`×`rows` cells.
pub fn encode(
    picker: &Picker,
    bytes: &[u8],
    cols: u16,
    rows: u16,
) -> Result<Picture, PictureError> {
    let image = decode_limited(bytes)?;
    let area = Rect::new(0, 0, cols.max(1), rows.max(1));
    let protocol = picker
        .new_protocol(
            image,
            area,
            Resize::Fit(Some(image::imageops::FilterType::Triangle)),
        )
        .map_err(|e| PictureError::Encode(crate::text::sanitize_line(&e.to_string())))?;
    Ok(Picture {
        protocol,
        half_blocks: picker.protocol_type() == ratatui_image::picker::ProtocolType::Halfblocks,
        size: (cols.max(1), rows.max(1)),
    })
}

#[cfg(test)]
mod tests {
    use super::may_have_graphics;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn only_likely_graphics_terminals_are_queried() {
        assert!(may_have_graphics(env(&[("TERM", "xterm-kitty")])));
        assert!(may_have_graphics(env(&[("TERM_PROGRAM", "iTerm.app")])));
        assert!(!may_have_graphics(env(&[("TERM", "xterm-256color")])));
        assert!(!may_have_graphics(env(&[
            ("TERM", "xterm-kitty"),
            ("TMUX", "/tmp/t,1,0")
        ])));
        assert!(!may_have_graphics(env(&[("TERM", "screen-256color")])));
    }
}
