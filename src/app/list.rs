//! Selection and scroll offset of a list for a given viewport height.

/// A list's selected row and the first visible row; kept in state so `draw` stays pure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListCursor {
    /// Index of the highlighted row (0 when the list is empty).
    pub selected: usize,
    /// Index of the row drawn at the top of the viewport.
    pub offset: usize,
}

impl ListCursor {
    /// Move the selection by `delta` rows within `len`, keeping it visible in `height` rows.
    pub fn move_by(&mut self, delta: isize, len: usize, height: usize) {
        if len == 0 {
            *self = ListCursor::default();
            return;
        }
        let target = (self.selected as isize).saturating_add(delta);
        self.selected = target.clamp(0, len as isize - 1) as usize;
        self.keep_visible(len, height);
    }

    /// Select row `index` (clamped).
    pub fn select(&mut self, index: usize, len: usize, height: usize) {
        self.selected = index.min(len.saturating_sub(1));
        self.keep_visible(len, height);
    }

    /// Adjust the offset so the selection is on screen and no space is wasted past the end.
    pub fn keep_visible(&mut self, len: usize, height: usize) {
        let height = height.max(1);
        if len == 0 {
            *self = ListCursor::default();
            return;
        }
        self.selected = self.selected.min(len - 1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_clamp_and_scroll() {
        let mut c = ListCursor::default();
        c.move_by(5, 20, 4);
        assert_eq!(
            c,
            ListCursor {
                selected: 5,
                offset: 2
            }
        );
        c.move_by(100, 20, 4);
        assert_eq!(
            c,
            ListCursor {
                selected: 19,
                offset: 16
            }
        );
        c.move_by(-100, 20, 4);
        assert_eq!(
            c,
            ListCursor {
                selected: 0,
                offset: 0
            }
        );
        c.move_by(1, 0, 4);
        assert_eq!(c, ListCursor::default());
    }

    #[test]
    fn shrinking_list_clamps_selection() {
        let mut c = ListCursor {
            selected: 9,
            offset: 6,
        };
        c.keep_visible(3, 4);
        assert_eq!(
            c,
            ListCursor {
                selected: 2,
                offset: 0
            }
        );
    }
}
