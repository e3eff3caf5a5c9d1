//! Content → terminal text: the one sanitising edge, HTML → blocks, and width-aware wrapping.

pub mod charset;
pub mod html;
mod html_prescan;
mod html_walk;
mod plain_scan;
pub mod sanitize;
pub mod title;
pub mod wrap;

pub use html::{
    image_placeholder, render_body, render_html, render_html_text, render_html_with_images, Block,
    Rendered,
};
pub use html_prescan::limit_depth;
pub use html_walk::BLOCK_TAGS;
pub use sanitize::{
    cap_chars, cut_bytes, is_clean_line, sanitize_line, sanitize_line_owned, sanitize_text,
    sanitize_text_owned, sanitize_url,
};
pub use title::html_line;
pub use wrap::{display_width, truncate_to_width, wrap_rendered, LineKind, WrappedLine};

/// 1-based line and column (in characters) of byte `offset` in `text`; clamped to the text.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}
