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
    image_placeholder, render_html, render_html_text, render_html_with_images, Block, Rendered,
};
pub use html_prescan::limit_depth;
pub use html_walk::BLOCK_TAGS;
pub use sanitize::{
    cap_chars, cut_bytes, is_clean_line, sanitize_line, sanitize_line_owned, sanitize_text,
    sanitize_text_owned, sanitize_url,
};
pub use title::html_line;
pub use wrap::{display_width, truncate_to_width, wrap_rendered, LineKind, WrappedLine};
