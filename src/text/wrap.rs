//! Width-aware wrapping of rendered blocks (textwrap + unicode-width). Callers cache by width.

use super::html::{Block, Rendered};
use unicode_width::UnicodeWidthStr;

/// What a wrapped line is, so the UI can style it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Heading,
    Body,
    Quote,
    Code,
    ListItem,
    Rule,
    Footnote,
    Blank,
}

/// One terminal line of article text, never wider than the width it was wrapped to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrappedLine {
    pub text: String,
    pub kind: LineKind,
}

/// Display width in terminal columns.
pub fn display_width(s: &str) -> usize {
    s.width()
}

/// Cut `s` to at most `width` columns, ending in "…" when cut.
pub fn truncate_to_width(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// Wrap a rendered document to `width` columns: blocks separated by blank lines, footnotes at the end.
pub fn wrap_rendered(doc: &Rendered, width: usize) -> Vec<WrappedLine> {
    // STUB: replaced by the real implementation.
    let width = width.max(1);
    let mut lines = Vec::new();
    for block in &doc.blocks {
        let (text, kind) = match block {
            Block::Paragraph(t) => (t.clone(), LineKind::Body),
            Block::Heading { text, .. } => (text.clone(), LineKind::Heading),
            Block::Quote(t) => (t.clone(), LineKind::Quote),
            Block::Code(t) => (t.clone(), LineKind::Code),
            Block::ListItem { marker, text, .. } => {
                (format!("{marker} {text}"), LineKind::ListItem)
            }
            Block::Rule => ("─".repeat(width), LineKind::Rule),
        };
        for l in textwrap::wrap(&text, width) {
            lines.push(WrappedLine {
                text: l.into_owned(),
                kind,
            });
        }
        lines.push(WrappedLine {
            text: String::new(),
            kind: LineKind::Blank,
        });
    }
    lines
}
