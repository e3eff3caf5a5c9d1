//! Full text of a linked page: pick the main content and hand back HTML for `text::html` (issue 4).
