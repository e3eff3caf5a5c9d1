//! Pictures in the open article: which to fetch (only the article on screen, each once), how tall a
//! picture's box is (fixed before it arrives, so the text never jumps), and the replies.

use super::reader::{PictureState, Reader};
use super::{App, Effect};
use crate::config::ImageMode;
use crate::model::ArticleId;
use crate::pictures::Picture;

/// Fewest and most rows a picture's box takes; within that, half the pane's height.
const MIN_ROWS: usize = 3;
const MAX_ROWS: usize = 24;

impl App {
    /// Whether article bodies are rendered with pictures in place.
    pub(super) fn pictures_on(&self) -> bool {
        self.settings.images != ImageMode::Off
    }

    /// Rows of a picture's box for the current pane (0: pictures off).
    pub(super) fn picture_rows(&self) -> usize {
        if !self.pictures_on() {
            return 0;
        }
        (self.panes().main_inner_height() / 2).clamp(MIN_ROWS, MAX_ROWS)
    }

    /// Ask for the open article's pictures not asked for yet: one effect each, for a box as wide as
    /// the text and as tall as `picture_rows`.
    pub(super) fn request_pictures(&mut self) -> Vec<Effect> {
        let width = Reader::text_width(self.panes().main_inner_width());
        let rows = self.picture_rows();
        let Some(reader) = self.reader.as_mut().filter(|_| rows > 0) else {
            return Vec::new();
        };
        let id = reader.id.clone();
        let size = (
            u16::try_from(width).unwrap_or(u16::MAX),
            u16::try_from(rows).unwrap_or(u16::MAX),
        );
        let mut effects = Vec::new();
        for (index, slot) in reader.pictures.iter_mut().enumerate() {
            // Asked for already, at this size (or not to be had): nothing to do. A new pane size asks
            // again (from the file cache), showing the old picture meanwhile.
            let resized = matches!(slot.state, PictureState::Ready(_) | PictureState::Requested)
                && slot.size != size;
            if slot.state != PictureState::Wanted && !resized {
                continue;
            }
            match &slot.url {
                Some(url) => {
                    if slot.state == PictureState::Wanted {
                        slot.state = PictureState::Requested;
                    }
                    slot.size = size;
                    effects.push(Effect::FetchPicture {
                        id: id.clone(),
                        index,
                        url: url.clone(),
                        cols: size.0,
                        rows: size.1,
                    });
                }
                None => slot.state = PictureState::Failed,
            }
        }
        effects
    }

    /// A picture arrived (or could not be had): kept when its article is still open.
    pub(super) fn on_picture(
        &mut self,
        id: ArticleId,
        index: usize,
        url: String,
        result: Result<Picture, String>,
    ) {
        let Some(slot) = self
            .reader
            .as_mut()
            .filter(|r| r.id == id)
            .and_then(|r| r.pictures.get_mut(index))
            .filter(|s| s.url.as_deref() == Some(url.as_str()))
        else {
            return;
        };
        slot.state = match result {
            // A picture for an older box size is dropped; the one asked for since is on its way.
            Ok(picture) if picture.size != slot.size => return,
            Ok(picture) => PictureState::Ready(picture),
            Err(_) => PictureState::Failed,
        };
    }
}
