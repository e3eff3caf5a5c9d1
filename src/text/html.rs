//! HTML → a list of text blocks plus numbered link footnotes. Never panics, bounded work on hostile input.

use url::Url;

/// One block of rendered article text. Text inside is sanitised and has no newlines except in `Code`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading { level: u8, text: String },
    Paragraph(String),
    /// A list item; `marker` is "•" or "3." and `depth` starts at 0.
    ListItem { depth: usize, marker: String, text: String },
    Quote(String),
    /// Preformatted text, kept verbatim (newlines preserved, tabs expanded).
    Code(String),
    Rule,
}

/// A rendered document: blocks in order and the link targets referenced as `[n]` (1-based).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rendered {
    pub blocks: Vec<Block>,
    pub links: Vec<String>,
}

impl Rendered {
    /// One line per block, blank line between blocks, no wrapping (the `read --plain` format).
    pub fn to_plain(&self) -> String {
        let mut out: Vec<String> = Vec::new();
        for block in &self.blocks {
            out.push(match block {
                Block::Heading { text, .. } | Block::Paragraph(text) | Block::Quote(text) => text.clone(),
                Block::ListItem { marker, text, .. } => format!("{marker} {text}"),
                Block::Code(text) => text.clone(),
                Block::Rule => "---".to_string(),
            });
        }
        out.join("\n\n")
    }

    /// Words in the body text (for the header's word count and reading time).
    pub fn word_count(&self) -> usize {
        self.blocks
            .iter()
            .map(|b| match b {
                Block::Heading { text, .. }
                | Block::Paragraph(text)
                | Block::Quote(text)
                | Block::Code(text)
                | Block::ListItem { text, .. } => text.split_whitespace().count(),
                Block::Rule => 0,
            })
            .sum()
    }
}

/// Largest HTML input rendered; longer input is cut (at a char boundary) before parsing.
pub const MAX_HTML_BYTES: usize = 2 * 1024 * 1024;

/// Render HTML (or plain text) to blocks; relative links resolve against `base`.
///
/// Input without tags becomes paragraphs split on blank lines. Bounded work on any input: at most
/// [`MAX_HTML_BYTES`] are parsed, nesting is capped before parsing (see `html_prescan`), the DOM walk is
/// iterative, and at most [`super::html_walk::MAX_LINKS`] footnotes are made. `<br>` ends the current
/// paragraph or quote (the rest becomes a new block); inside headings and list items it is a space.
/// Every block's final text is sanitised after entity decoding.
pub fn render_html(html: &str, base: Option<&Url>) -> Rendered {
    let html = cut_at(html, MAX_HTML_BYTES);
    if !looks_like_html(html) {
        return render_plain(html);
    }
    let limited = super::html_prescan::limit_depth(html);
    let source = limited.as_deref().unwrap_or(html);
    let doc = dom_query::Document::fragment(source);
    super::html_walk::Walker::new(base).run(&doc)
}

/// `s` cut to at most `max` bytes at a char boundary.
fn cut_at(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// True if `s` has anything that looks like a tag, comment or entity (`<a`, `</`, `<!`, `&x;`).
fn looks_like_html(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(2).any(|w| {
        (w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'))
            || (w[0] == b'&' && (w[1].is_ascii_alphanumeric() || w[1] == b'#'))
    })
}

/// Plain text: paragraphs are separated by blank lines; lines inside a paragraph are joined.
fn render_plain(text: &str) -> Rendered {
    let clean = super::sanitize_text(text);
    let mut blocks = Vec::new();
    let mut para = String::new();
    for line in clean.split('\n') {
        if line.trim().is_empty() {
            push_para(&mut blocks, &mut para);
        } else {
            para.push_str(line);
            para.push(' ');
        }
    }
    push_para(&mut blocks, &mut para);
    Rendered { blocks, links: Vec::new() }
}

/// Emit `para` as a paragraph block (if it has any text) and clear it.
fn push_para(blocks: &mut Vec<Block>, para: &mut String) {
    let text = super::sanitize_line(para);
    para.clear();
    if !text.is_empty() {
        blocks.push(Block::Paragraph(text));
    }
}
