//! Width-aware wrapping of rendered blocks (textwrap + unicode-width). Callers cache by width.

use super::html::{Block, Rendered};
use unicode_width::UnicodeWidthStr;

/// What a wrapped line is, so the UI can style it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// A heading line (also the "Links" title of the footnote section).
    Heading,
    /// Ordinary paragraph text.
    Body,
    /// A line of a quote, starting with "│ " when the width allows.
    Quote,
    /// A line of preformatted text (hard-cut, not re-flowed).
    Code,
    /// A list item line, hanging-indented by depth.
    ListItem,
    /// A horizontal rule of '─'.
    Rule,
    /// A `[n] url` link footnote line (or its continuation).
    Footnote,
    /// The empty line between blocks.
    Blank,
    /// The one line standing for a `Block::Image` (its placeholder); a reader may draw the picture
    /// in a box starting here.
    Image,
}

/// One terminal line of article text, never wider than the width it was wrapped to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrappedLine {
    /// The sanitised text of the line, at most the wrap width in columns.
    pub text: String,
    /// How the line should be styled.
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
        let w = safe_width(c);
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
///
/// Guarantees: no line is wider than `width` (by unicode-width; width 0 is treated as 1), long words are
/// broken rather than lost, code is hard-cut instead of re-flowed. Only at a width smaller than a wide
/// character (CJK, emoji at width 1) is that character shown as `?`.
pub fn wrap_rendered(doc: &Rendered, width: usize) -> Vec<WrappedLine> {
    let width = width.max(1);
    let mut lines = Vec::new();
    for (i, block) in doc.blocks.iter().enumerate() {
        let in_list = i > 0
            && matches!(block, Block::ListItem { .. })
            && matches!(doc.blocks[i - 1], Block::ListItem { .. });
        if i > 0 && !in_list {
            push(&mut lines, String::new(), LineKind::Blank);
        }
        match block {
            Block::Paragraph(t) => wrap_text(&mut lines, t, width, ("", ""), LineKind::Body),
            Block::Heading { text, .. } => {
                wrap_text(&mut lines, text, width, ("", ""), LineKind::Heading)
            }
            Block::Quote(t) => {
                let bar = if width >= 6 { QUOTE_BAR } else { "" };
                wrap_text(&mut lines, t, width, (bar, bar), LineKind::Quote);
            }
            Block::ListItem {
                depth,
                marker,
                text,
            } => {
                let (first, rest) = list_prefixes(*depth, marker, width);
                wrap_text(&mut lines, text, width, (&first, &rest), LineKind::ListItem);
            }
            Block::Code(t) => {
                for line in t.split('\n') {
                    for piece in fit(line, width) {
                        push(&mut lines, piece, LineKind::Code);
                    }
                }
            }
            Block::Rule => push(&mut lines, "─".repeat(width), LineKind::Rule),
            Block::Image { alt, .. } => push(
                &mut lines,
                truncate_to_width(&super::html::image_placeholder(alt), width),
                LineKind::Image,
            ),
        }
    }
    if !doc.links.is_empty() {
        if !lines.is_empty() {
            push(&mut lines, String::new(), LineKind::Blank);
        }
        for piece in fit("Links", width) {
            push(&mut lines, piece, LineKind::Heading);
        }
        for (i, url) in doc.links.iter().enumerate() {
            for piece in fit(&format!("[{}] {url}", i + 1), width) {
                push(&mut lines, piece, LineKind::Footnote);
            }
        }
    }
    lines
}

/// Prefix of quote lines (first and continuation alike).
const QUOTE_BAR: &str = "│ ";

/// Most list levels that still indent further.
const MAX_INDENT_DEPTH: usize = 8;

/// Append one line.
fn push(lines: &mut Vec<WrappedLine>, text: String, kind: LineKind) {
    lines.push(WrappedLine { text, kind });
}

/// Word-wrap `text` with the given first/continuation prefixes; every line then goes through [`fit`].
fn wrap_text(
    lines: &mut Vec<WrappedLine>,
    text: &str,
    width: usize,
    prefix: (&str, &str),
    kind: LineKind,
) {
    let opts = textwrap::Options::new(width)
        .initial_indent(prefix.0)
        .subsequent_indent(prefix.1)
        .break_words(true)
        .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit);
    for line in textwrap::wrap(text, opts) {
        for piece in fit(&line, width) {
            push(lines, piece, kind);
        }
    }
}

/// Hanging-indent prefixes for a list item, shrunk (indent, then marker) when the width is too small.
fn list_prefixes(depth: usize, marker: &str, width: usize) -> (String, String) {
    let full = format!("{}{marker} ", "  ".repeat(depth.min(MAX_INDENT_DEPTH)));
    let short = format!("{marker} ");
    for first in [full, short] {
        let w = first.width();
        if w <= width / 2 {
            let rest = " ".repeat(w);
            return (first, rest);
        }
    }
    (String::new(), String::new())
}

/// Width of one char as counted for fitting: never less than what it can add to a string's width
/// (U+FE0F may widen the char before it, controls count 1), and never more than 2.
fn safe_width(c: char) -> usize {
    if c == '\u{FE0F}' {
        return 1;
    }
    unicode_width::UnicodeWidthChar::width(c).unwrap_or(1)
}

/// Split `line` into pieces no wider than `width` columns (hard cut, no text lost; a char wider than
/// the whole width becomes `?`). Lines that already fit are returned as they are.
pub(crate) fn fit(line: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    if line.width() <= width {
        return vec![line.to_string()];
    }
    // Caps chars per piece so a rare exact re-check below stays cheap even for stacked combining marks.
    let max_chars = width * 4 + 16;
    let mut pieces = Vec::new();
    let mut cur = String::new();
    let (mut cur_w, mut cur_n) = (0, 0);
    for c in line.chars() {
        let (c, w) = match safe_width(c) {
            w if w > width => ('?', 1),
            w => (c, w),
        };
        if cur_n > 0 && (cur_w + w > width || cur_n >= max_chars) {
            pieces.push(std::mem::take(&mut cur));
            cur_w = 0;
            cur_n = 0;
        }
        cur.push(c);
        cur_w += w;
        cur_n += 1;
    }
    if !cur.is_empty() {
        pieces.push(cur);
    }
    if pieces.iter().all(|p| p.width() <= width) {
        return pieces;
    }
    pieces
        .into_iter()
        .flat_map(|p| exact_split(&p, width))
        .collect()
}

/// Greedy split by exact string width (quadratic, only used on short pieces [`fit`] could not settle).
fn exact_split(piece: &str, width: usize) -> Vec<String> {
    if piece.width() <= width {
        return vec![piece.to_string()];
    }
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in piece.chars() {
        let mut next = cur.clone();
        next.push(c);
        if next.width() > width && !cur.is_empty() {
            out.push(std::mem::replace(&mut cur, c.to_string()));
        } else {
            cur = next;
        }
    }
    out.push(cur);
    out.into_iter()
        .map(|p| {
            if p.width() > width {
                "?".to_string()
            } else {
                p
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(blocks: Vec<Block>, links: Vec<&str>) -> Rendered {
        Rendered {
            blocks,
            links: links.into_iter().map(String::from).collect(),
        }
    }

    fn assert_fits(lines: &[WrappedLine], width: usize) {
        for l in lines {
            assert!(l.text.width() <= width, "{:?} wider than {width}", l.text);
        }
    }

    #[test]
    fn blocks_get_prefixes_blank_lines_and_footnotes() {
        let d = doc(
            vec![
                Block::Heading {
                    level: 1,
                    text: "Head".into(),
                },
                Block::Quote("one two three four five six".into()),
                Block::ListItem {
                    depth: 1,
                    marker: "•".into(),
                    text: "alpha beta gamma delta".into(),
                },
                Block::Code("let x = 1;    // a long comment here".into()),
                Block::Rule,
            ],
            vec!["https://example.com/a/very/long/path"],
        );
        let lines = wrap_rendered(&d, 16);
        assert_fits(&lines, 16);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts[0], "Head");
        assert_eq!(lines[1].kind, LineKind::Blank);
        assert!(lines
            .iter()
            .filter(|l| l.kind == LineKind::Quote)
            .all(|l| l.text.starts_with("│ ")));
        let items: Vec<&str> = lines
            .iter()
            .filter(|l| l.kind == LineKind::ListItem)
            .map(|l| l.text.as_str())
            .collect();
        assert_eq!(items, vec!["  • alpha beta", "    gamma delta"]);
        assert!(texts.contains(&"let x = 1;    //"), "{texts:?}");
        assert!(texts.contains(&"─".repeat(16).as_str()));
        let notes: String = lines
            .iter()
            .filter(|l| l.kind == LineKind::Footnote)
            .map(|l| l.text.as_str())
            .collect();
        assert_eq!(notes, "[1] https://example.com/a/very/long/path");
        assert!(texts.contains(&"Links"));
    }

    #[test]
    fn long_word_is_broken_not_lost() {
        // Its cost is checked as linear in tests/text_props.rs (time for 4n over time for n).
        let word = "x".repeat(1_000_000);
        let d = doc(vec![Block::Paragraph(format!("a {word} b"))], vec![]);
        let lines = wrap_rendered(&d, 80);
        assert_fits(&lines, 80);
        let joined: String = lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<String>()
            .replace(' ', "");
        assert_eq!(joined, format!("a{word}b"));
    }

    #[test]
    fn wide_chars_never_overflow_tiny_widths() {
        let d = doc(
            vec![
                Block::Paragraph("日本語のテキスト 👨‍👩‍👧 ❤\u{fe0f} 1\u{fe0f}\u{20e3} 🇩🇪".into()),
                Block::Quote("引用 テキスト".into()),
                Block::ListItem {
                    depth: 30,
                    marker: "12.".into(),
                    text: "項目 テキスト".into(),
                },
                Block::Code("コード\tx".into()),
            ],
            vec!["https://例え.example/パス"],
        );
        for width in 0..12 {
            assert_fits(&wrap_rendered(&d, width), width.max(1));
        }
    }

    #[test]
    fn article_wraps_into_paragraphs() {
        // How fast: `cargo bench --bench render` (render+wrap of a typical article).
        let para = "The quick brown fox jumps over the lazy dog. ".repeat(20);
        let d = doc(
            (0..12).map(|_| Block::Paragraph(para.clone())).collect(),
            vec![],
        );
        let lines = wrap_rendered(&d, 72);
        assert_fits(&lines, 72);
        let blank = lines.iter().filter(|l| l.text.is_empty()).count();
        assert_eq!(blank, 11, "one blank line between paragraphs");
        let words: usize = lines
            .iter()
            .map(|l| l.text.split_whitespace().count())
            .sum();
        assert_eq!(words, 12 * 20 * 9, "every word kept");
    }

    #[test]
    fn truncate_respects_width() {
        assert_eq!(truncate_to_width("hello world", 6), "hello…");
        assert_eq!(truncate_to_width("日本語", 4), "日…");
        assert_eq!(truncate_to_width("abc", 0), "");
        assert!(display_width(&truncate_to_width("❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}", 4)) <= 4);
    }
}
