//! Content → terminal text: the one sanitising edge, HTML → blocks, and width-aware wrapping.

pub mod html;
pub mod sanitize;
pub mod wrap;

pub use html::{render_html, Block, Rendered};
pub use sanitize::{sanitize_line, sanitize_text};
pub use wrap::{display_width, truncate_to_width, wrap_rendered, LineKind, WrappedLine};
