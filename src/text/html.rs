//! HTML → a list of text blocks plus numbered link footnotes. Never panics, bounded work on hostile input.

use url::Url;

/// One block of rendered article text. Text inside is sanitised and has no newlines except in `Code`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading; `level` is 1–6 as in `<h1>`–`<h6>`.
    Heading {
        /// 1 for `<h1>` down to 6 for `<h6>`.
        level: u8,
        /// The heading's text, one line.
        text: String,
    },
    /// Body text (also one table row, cells joined by " | ").
    Paragraph(String),
    /// A list item; `marker` is "•" or "3." and `depth` starts at 0.
    ListItem {
        /// Nesting level: 0 for a top-level list, one more per enclosing list.
        depth: usize,
        /// "•" in an unordered list, the item's number and a dot in an ordered one.
        marker: String,
        /// The item's text, one line.
        text: String,
    },
    /// Text inside `<blockquote>`.
    Quote(String),
    /// Preformatted text, kept verbatim (newlines preserved, tabs expanded).
    Code(String),
    /// A horizontal rule (`<hr>`).
    Rule,
    /// A picture standing on its own (only from [`render_html_with_images`]): an http(s) URL when it
    /// has a usable one, and its alt text.
    Image {
        /// Absolute http(s) URL of the picture; `None` when it has no usable one.
        url: Option<String>,
        /// The `alt` text, one sanitised line (possibly empty).
        alt: String,
    },
}

/// A rendered document: blocks in order and the link targets referenced as `[n]` (1-based).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rendered {
    /// The blocks in document order.
    pub blocks: Vec<Block>,
    /// Link targets (http(s) or mailto, absolute, sanitised); `[n]` in the text refers to `links[n - 1]`.
    pub links: Vec<String>,
}

impl Rendered {
    /// One line per block, blank line between blocks, no wrapping (the `read --plain` format).
    pub fn to_plain(&self) -> String {
        let mut out: Vec<String> = Vec::new();
        for block in &self.blocks {
            out.push(match block {
                Block::Heading { text, .. } | Block::Paragraph(text) | Block::Quote(text) => {
                    text.clone()
                }
                Block::ListItem { marker, text, .. } => format!("{marker} {text}"),
                Block::Code(text) => text.clone(),
                Block::Rule => "---".to_string(),
                Block::Image { alt, .. } => image_placeholder(alt),
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
                Block::Rule | Block::Image { .. } => 0,
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
    render(html, base, true)
}

/// Like [`render_html`], but pictures outside headings, lists and tables become [`Block::Image`]s
/// of their own, for a reader that draws them in place.
pub fn render_html_with_images(html: &str, base: Option<&Url>) -> Rendered {
    render_with(html, base, true, true)
}

/// An article body as the reader shows it: links resolved against `base` (when it is a URL), pictures
/// in place or as `[image: alt]` as `images` says. One choice for the UI thread and the render worker.
pub fn render_body(html: &str, base: Option<&str>, images: bool) -> Rendered {
    let base = base.and_then(|b| Url::parse(b).ok());
    if images {
        render_html_with_images(html, base.as_ref())
    } else {
        render_html(html, base.as_ref())
    }
}

/// The text that stands for a picture: `[image: alt]`, or `[image]` without alt text.
pub fn image_placeholder(alt: &str) -> String {
    if alt.is_empty() {
        "[image]".to_string()
    } else {
        format!("[image: {alt}]")
    }
}

/// Like [`render_html`] but text only: no `[n]` link markers, no footnotes, no `[image: alt]`
/// (the `read --plain`/`--json` format, and summaries in `list --json`).
pub fn render_html_text(html: &str) -> Rendered {
    render(html, None, false)
}

fn render(html: &str, base: Option<&Url>, markers: bool) -> Rendered {
    render_with(html, base, markers, false)
}

fn render_with(html: &str, base: Option<&Url>, markers: bool, images: bool) -> Rendered {
    let html = crate::text::cut_bytes(html, MAX_HTML_BYTES);
    if !looks_like_html(html) {
        return render_plain(html);
    }
    let limited = super::html_prescan::limit_depth(html);
    let source = limited.as_deref().unwrap_or(html);
    // The HTML parser is a dependency and dependencies can panic: that costs this article, not the reader.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let doc = dom_query::Document::fragment(source);
        let walker = super::html_walk::Walker::new(base, markers);
        let walker = if images { walker.with_images() } else { walker };
        walker.run(&doc)
    }))
    .unwrap_or_else(|_| Rendered {
        blocks: vec![Block::Paragraph(
            "(this article could not be rendered)".to_string(),
        )],
        links: Vec::new(),
    })
}

/// True if `s` has anything that looks like a tag or comment (`<a`, `</`, `<!`).
fn looks_like_html(s: &str) -> bool {
    s.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'))
}

/// Plain text: paragraphs are separated by blank lines; lines inside a paragraph are joined. Character
/// references (`&amp;`) are decoded per paragraph, then the result is sanitised.
fn render_plain(text: &str) -> Rendered {
    let mut blocks = Vec::new();
    let mut para = String::new();
    for line in text.split('\n') {
        if line.trim().is_empty() {
            push_para(&mut blocks, &mut para);
        } else {
            para.push_str(line);
            para.push('\n');
        }
    }
    push_para(&mut blocks, &mut para);
    Rendered {
        blocks,
        links: Vec::new(),
    }
}

/// Emit `para` as a paragraph block (if it has any text) and clear it.
fn push_para(blocks: &mut Vec<Block>, para: &mut String) {
    let text = if para.contains('&') {
        super::sanitize_line(&dom_query::Document::fragment(para.as_str()).root().text())
    } else {
        super::sanitize_line(para)
    };
    para.clear();
    if !text.is_empty() {
        blocks.push(Block::Paragraph(text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(r: &Rendered) -> Vec<String> {
        r.blocks.iter().map(|b| format!("{b:?}")).collect()
    }

    #[test]
    fn structure_is_rendered() {
        let html = "<h2>Title</h2><p>Some <b>bold</b>\n text.</p><ul><li>one</li><li>two<ol><li>a</li>\
                    <li>b</li></ol></li></ul><blockquote><p>quoted</p></blockquote><hr><pre>fn x() {\n\tok\n}</pre>";
        let r = render_html(html, None);
        assert_eq!(
            r.blocks,
            vec![
                Block::Heading {
                    level: 2,
                    text: "Title".into()
                },
                Block::Paragraph("Some bold text.".into()),
                Block::ListItem {
                    depth: 0,
                    marker: "•".into(),
                    text: "one".into()
                },
                Block::ListItem {
                    depth: 0,
                    marker: "•".into(),
                    text: "two".into()
                },
                Block::ListItem {
                    depth: 1,
                    marker: "1.".into(),
                    text: "a".into()
                },
                Block::ListItem {
                    depth: 1,
                    marker: "2.".into(),
                    text: "b".into()
                },
                Block::Quote("quoted".into()),
                Block::Rule,
                Block::Code("fn x() {\n    ok\n}".into()),
            ]
        );
    }

    #[test]
    fn br_splits_paragraph() {
        let r = render_html("<p>line one<br>line two</p>", None);
        assert_eq!(
            r.blocks,
            vec![
                Block::Paragraph("line one".into()),
                Block::Paragraph("line two".into())
            ]
        );
        let r = render_html("<h1>a<br>b</h1>", None);
        assert_eq!(
            r.blocks,
            vec![Block::Heading {
                level: 1,
                text: "a b".into()
            }]
        );
    }

    #[test]
    fn links_become_deduplicated_footnotes() {
        let base = Url::parse("https://ex.example/blog/post.html").ok();
        let html = r##"<p><a href="../a">A</a> <a href="/b">B</a> <a href="https://ex.example/a">again</a>
            <a href="javascript:alert(1)">js</a> <a href="#top">top</a> <a href="mailto:x@ex.example">mail</a>
            <a href="file:///etc/passwd">f</a></p>"##;
        let r = render_html(html, base.as_ref());
        assert_eq!(
            r.links,
            vec![
                "https://ex.example/a",
                "https://ex.example/b",
                "mailto:x@ex.example"
            ]
        );
        assert_eq!(r.to_plain(), "A [1] B [2] again [1] js top mail [3] f");
    }

    #[test]
    fn images_tables_and_removed_elements() {
        let html = "<p>x<img src=a.png alt='A cat'>y<img src=b></p><script>evil()</script><style>p{}</style>\
                    <nav>menu</nav><table><tr><th>h1</th><th>h2</th></tr><tr><td colspan=1000000>c</td>\
                    <td rowspan=99999>d</td></tr></table>";
        let r = render_html(html, None);
        assert_eq!(paras(&r).len(), 3, "{r:?}");
        assert_eq!(
            r.to_plain(),
            "x [image: A cat] y [image]\n\nh1 | h2\n\nc | d"
        );
    }

    #[test]
    fn plain_text_splits_on_blank_lines() {
        let r = render_html("First line\ncontinues.\n\n  \nSecond\tpara.\r\n", None);
        assert_eq!(
            r.blocks,
            vec![
                Block::Paragraph("First line continues.".into()),
                Block::Paragraph("Second para.".into())
            ]
        );
        assert_eq!(r.word_count(), 5);
        let r = render_html("AT&T &amp; Tom &lt;3 &#27;[2Jx\n\nnext", None);
        assert_eq!(
            r.blocks,
            vec![
                Block::Paragraph("AT&T & Tom <3 x".into()),
                Block::Paragraph("next".into())
            ]
        );
    }

    #[test]
    fn controls_from_entities_are_removed_after_decoding() {
        let html = "<p>a&#27;[2Jb&#x1b;]52;c;Y3VybA==&#7;c&#155;31md&#0;e&#x202E;f</p>";
        let text = render_html(html, None).to_plain();
        assert!(!text.chars().any(|c| c.is_control()), "{text:?}");
        assert!(!text.contains("[2J") && !text.contains("52;"), "{text:?}");
    }

    #[test]
    fn deep_nesting_keeps_text() {
        // Its cost is checked as linear in tests/text_props.rs (time for 4n over time for n).
        let n = 100_000;
        let html = format!("{}deep text{}", "<div>".repeat(n), "</div>".repeat(n));
        let r = render_html(&html, None);
        assert_eq!(r.to_plain(), "deep text");
        let lists = format!("{}x", "<ul><li>".repeat(n));
        let r = render_html(&lists, None);
        assert!(r.to_plain().ends_with('x'));
    }

    #[test]
    fn huge_input_is_capped_and_links_capped() {
        let html = "<p><a href='https://e.example/X'>l</a></p>"
            .repeat(3000)
            .replace('X', "");
        let r = render_html(&html, None);
        assert_eq!(r.links.len(), 1);
        let many: String = (0..3000)
            .map(|i| format!("<a href='https://e.example/{i}'>l</a>"))
            .collect();
        assert_eq!(
            render_html(&many, None).links.len(),
            super::super::html_walk::MAX_LINKS
        );
        let big = "é".repeat(MAX_HTML_BYTES);
        assert!(render_html(&big, None).to_plain().len() <= MAX_HTML_BYTES);
    }
}
