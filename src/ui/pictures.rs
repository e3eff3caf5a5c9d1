//! Pictures drawn into their boxes in the article view. A box is part of the reader's lines (so the
//! text around it never moves); a ready picture is painted over it. Half-block pictures are drawn in
//! part when their box is partly on screen; the terminal protocols (kitty, sixel, iTerm2) only whole.

use crate::app::reader::{PictureState, Reader};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use ratatui_image::Image;

/// Paint the ready pictures whose boxes are on screen into `area` (the reader's text area).
pub fn draw(reader: &Reader, area: Rect, buf: &mut Buffer) {
    let rows = reader.picture_rows();
    let (top, height) = (reader.scroll, area.height as usize);
    for (index, start) in reader.picture_starts().iter().copied().enumerate() {
        let Some(PictureState::Ready(picture)) = reader.pictures.get(index).map(|p| &p.state)
        else {
            continue;
        };
        let (from, to) = (start.max(top), (start + rows).min(top + height));
        if from >= to {
            continue;
        }
        let y = area.y + (from - top) as u16;
        if !picture.half_blocks {
            if from == start && to == start + rows {
                let whole = Rect::new(area.x, y, area.width, rows as u16);
                clear(buf, whole);
                Image::new(&picture.protocol).render(whole, buf);
            }
            continue;
        }
        // Draw the whole picture aside, then copy the rows that are on screen.
        let full = Rect::new(0, 0, area.width, rows as u16);
        let mut scratch = Buffer::empty(full);
        Image::new(&picture.protocol).render(full, &mut scratch);
        let visible = Rect::new(area.x, y, area.width, (to - from) as u16);
        clear(buf, visible);
        for row in 0..visible.height {
            for col in 0..area.width {
                let src = (col, (from - start) as u16 + row);
                if let (Some(cell), Some(dst)) = (
                    scratch.cell(src),
                    buf.cell_mut((area.x + col, visible.y + row)),
                ) {
                    *dst = cell.clone();
                }
            }
        }
    }
}

fn clear(buf: &mut Buffer, area: Rect) {
    let area = area.intersection(buf.area);
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            if let Some(cell) = buf.cell_mut((x, y)) {
                cell.reset();
            }
        }
    }
}
