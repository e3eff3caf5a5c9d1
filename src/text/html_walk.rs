//! The DOM walk behind [`super::render_html`]: iterative (explicit stack, never recursion), one visit per
//! node, so work is linear in the (already size- and depth-capped) document.

use super::html::{Block, Rendered};
use super::sanitize::{sanitize_line, sanitize_text, sanitize_url};
use dom_query::{Document, NodeRef};
use std::collections::HashMap;
use url::Url;

/// Most link footnotes per document; later links keep their text but get no `[n]`.
pub const MAX_LINKS: usize = 1000;
/// Most pictures drawn in one article; later ones stay `[image: alt]` in the text.
pub const MAX_IMAGES: usize = 32;

/// Elements whose whole subtree is dropped (code, chrome, forms, embedded documents).
const SKIP: &[&str] = &[
    "script", "style", "noscript", "iframe", "form", "nav", "head", "template", "title", "svg",
    "math", "object", "embed", "select", "button", "textarea", "canvas", "audio", "video",
    "frameset", "frame",
];

/// Block-level elements: they end the current block when they open and when they close (and make a
/// `div` that holds one a container, in extraction).
pub const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "figure",
    "figcaption",
    "address",
    "details",
    "summary",
    "center",
    "fieldset",
    "legend",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "dl",
    "dt",
    "dd",
    "body",
    "html",
    "table",
    "tr",
    "li",
    "ul",
    "ol",
    "menu",
    "blockquote",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
];

/// An open list: ordered or not, and the last number used.
struct ListCtx {
    ordered: bool,
    n: u64,
}

/// A traversal step.
enum Ev<'a> {
    Enter(NodeRef<'a>),
    Exit(String),
}

/// Walker state: the inline text being gathered and the block context it will become.
pub(super) struct Walker<'u> {
    base: Option<&'u Url>,
    out: Rendered,
    link_index: HashMap<String, usize>,
    buf: String,
    code: String,
    pre_depth: usize,
    quote_depth: usize,
    heading: Option<u8>,
    lists: Vec<ListCtx>,
    /// The open `<li>` whose marker has not been used yet: (depth, marker).
    item: Option<(usize, String)>,
    /// Cells seen in the current row of each open table.
    cells: Vec<usize>,
    /// Footnote number of each open `<a>` (None: not a followable link).
    anchors: Vec<Option<usize>>,
    /// Whether `[n]` link markers and `[image: alt]` are written into the text.
    markers: bool,
    /// Whether a picture outside headings and lists becomes a `Block::Image` of its own.
    images: bool,
    /// `Block::Image`s made so far.
    image_count: usize,
}

impl<'u> Walker<'u> {
    /// A walker resolving relative links against `base`.
    pub(super) fn new(base: Option<&'u Url>, markers: bool) -> Self {
        Walker {
            base,
            out: Rendered::default(),
            link_index: HashMap::new(),
            buf: String::new(),
            code: String::new(),
            pre_depth: 0,
            quote_depth: 0,
            heading: None,
            lists: Vec::new(),
            item: None,
            cells: Vec::new(),
            anchors: Vec::new(),
            markers,
            images: false,
            image_count: 0,
        }
    }

    /// Pictures become `Block::Image`s (at most [`MAX_IMAGES`]), so a reader can draw them in place.
    pub(super) fn with_images(mut self) -> Self {
        self.images = true;
        self
    }

    /// Walk the whole document and return what it renders to.
    pub(super) fn run(mut self, doc: &Document) -> Rendered {
        let mut stack = vec![Ev::Enter(doc.root())];
        while let Some(ev) = stack.pop() {
            match ev {
                Ev::Exit(name) => self.exit(&name),
                Ev::Enter(node) => {
                    if node.is_text() {
                        let text = node.text();
                        self.push_inline(&text);
                        continue;
                    }
                    if !(node.is_element() || node.is_document() || node.is_fragment()) {
                        continue;
                    }
                    let name = node
                        .node_name()
                        .map(|n| n.to_ascii_lowercase())
                        .unwrap_or_default();
                    if SKIP.contains(&name.as_str()) || !self.enter(&name, &node) {
                        continue;
                    }
                    stack.push(Ev::Exit(name));
                    let mut child = node.last_child();
                    while let Some(c) = child {
                        child = c.prev_sibling();
                        stack.push(Ev::Enter(c));
                    }
                }
            }
        }
        self.flush();
        self.flush_code();
        self.out
    }

    /// Handle an opening element; false means its children are not visited.
    fn enter(&mut self, name: &str, node: &NodeRef<'_>) -> bool {
        match name {
            "br" => {
                if self.pre_depth > 0 {
                    self.code.push('\n');
                } else if self.heading.is_some() || self.item.is_some() {
                    self.buf.push(' ');
                } else {
                    // Convention: <br> ends the paragraph (or quote) here; the rest is a new block.
                    self.flush();
                }
                return false;
            }
            "img" if !self.markers => return false,
            "img" if self.images && self.takes_image() => {
                let alt = sanitize_line(&node.attr("alt").unwrap_or_default());
                let url = node.attr("src").and_then(|src| self.image_url(&src));
                self.flush();
                self.image_count += 1;
                self.out.blocks.push(Block::Image { url, alt });
                return false;
            }
            "img" => {
                let alt = sanitize_line(&node.attr("alt").unwrap_or_default());
                if alt.is_empty() {
                    self.push_inline(" [image] ");
                } else {
                    self.push_inline(&format!(" [image: {alt}] "));
                }
                return false;
            }
            "a" => {
                let n = if self.markers {
                    node.attr("href").and_then(|h| self.footnote(&h))
                } else {
                    None
                };
                self.anchors.push(n);
                return true;
            }
            _ => {}
        }
        if self.pre_depth > 0 {
            // Inside <pre> structure is ignored: text stays verbatim.
            return true;
        }
        if BLOCK_TAGS.contains(&name) || name == "hr" {
            self.flush();
        }
        match name {
            "hr" => {
                self.out.blocks.push(Block::Rule);
                return false;
            }
            "pre" => self.pre_depth += 1,
            "blockquote" => self.quote_depth += 1,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.heading = name[1..].parse().ok();
            }
            "ul" | "ol" | "menu" => {
                let start = node
                    .attr("start")
                    .and_then(|s| s.trim().parse::<u64>().ok());
                self.lists.push(ListCtx {
                    ordered: name == "ol",
                    n: start.map_or(0, |s| s.saturating_sub(1)).min(1_000_000_000),
                });
            }
            "li" => {
                let depth = self.lists.len().saturating_sub(1);
                let marker = match self.lists.last_mut() {
                    Some(l) if l.ordered => {
                        l.n = l.n.saturating_add(1);
                        format!("{}.", l.n)
                    }
                    _ => "•".to_string(),
                };
                self.item = Some((depth, marker));
            }
            "table" => self.cells.push(0),
            "tr" => {
                if let Some(c) = self.cells.last_mut() {
                    *c = 0;
                }
            }
            "td" | "th" => {
                if let Some(c) = self.cells.last_mut() {
                    if *c > 0 {
                        self.buf.push_str(" | ");
                    }
                    *c += 1;
                }
            }
            _ => {}
        }
        true
    }

    /// Handle a closing element.
    fn exit(&mut self, name: &str) {
        if name == "a" {
            if let Some(Some(n)) = self.anchors.pop() {
                self.push_inline(&format!(" [{n}]"));
            }
            return;
        }
        if name == "pre" && self.pre_depth > 0 {
            self.pre_depth -= 1;
            if self.pre_depth == 0 {
                self.flush_code();
            }
            return;
        }
        if self.pre_depth > 0 {
            return;
        }
        if BLOCK_TAGS.contains(&name) {
            self.flush();
        }
        match name {
            "blockquote" => self.quote_depth = self.quote_depth.saturating_sub(1),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.heading = None,
            "ul" | "ol" | "menu" => {
                self.lists.pop();
            }
            "li" => self.item = None,
            "table" => {
                self.cells.pop();
            }
            _ => {}
        }
    }

    /// Append inline text to the code block inside `<pre>`, else to the current block.
    fn push_inline(&mut self, text: &str) {
        if self.pre_depth > 0 {
            self.code.push_str(text);
        } else {
            self.buf.push_str(text);
        }
    }

    /// End the current inline block: sanitise, collapse whitespace, and emit it with its context's kind.
    fn flush(&mut self) {
        if self.buf.is_empty() {
            return;
        }
        let text = sanitize_line(&self.buf);
        self.buf.clear();
        if text.is_empty() {
            return;
        }
        let block = if let Some(level) = self.heading {
            Block::Heading { level, text }
        } else if let Some((depth, marker)) = self.item.take() {
            Block::ListItem {
                depth,
                marker,
                text,
            }
        } else if self.quote_depth > 0 {
            Block::Quote(text)
        } else {
            Block::Paragraph(text)
        };
        self.out.blocks.push(block);
    }

    /// End the current `<pre>`: tabs → 4 spaces, sanitised, outer blank lines and trailing spaces dropped.
    fn flush_code(&mut self) {
        if self.code.is_empty() {
            return;
        }
        let text = sanitize_text(&self.code.replace('\t', "    "));
        self.code.clear();
        let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
        let first = lines.iter().position(|l| !l.is_empty());
        let last = lines.iter().rposition(|l| !l.is_empty());
        if let (Some(a), Some(b)) = (first, last) {
            self.out.blocks.push(Block::Code(lines[a..=b].join("\n")));
        }
    }

    /// True when a picture here can stand as a block: not inside a heading, list item, table or
    /// `<pre>`, and under the per-article cap.
    fn takes_image(&self) -> bool {
        self.heading.is_none()
            && self.item.is_none()
            && self.lists.is_empty()
            && self.cells.is_empty()
            && self.pre_depth == 0
            && self.image_count < MAX_IMAGES
    }

    /// A picture's `src` as an absolute http(s) URL.
    fn image_url(&self, src: &str) -> Option<String> {
        let src = sanitize_line(src);
        let joined = match self.base {
            Some(b) => b.join(&src).ok()?,
            None => Url::parse(&src).ok()?,
        };
        matches!(joined.scheme(), "http" | "https")
            .then(|| sanitize_url(joined.as_str()))
            .flatten()
    }

    /// Footnote number for `href` (1-based), adding it if new; None for non-followable or over the cap.
    fn footnote(&mut self, href: &str) -> Option<usize> {
        let href = sanitize_line(href);
        if href.is_empty() || href.starts_with('#') {
            return None;
        }
        let joined = match self.base {
            Some(b) => b.join(&href).ok()?,
            None => Url::parse(&href).ok()?,
        };
        let target = match joined.scheme() {
            "http" | "https" => sanitize_url(joined.as_str())?,
            "mailto" => sanitize_line(joined.as_str()),
            _ => return None,
        };
        if let Some(&n) = self.link_index.get(&target) {
            return Some(n);
        }
        if self.out.links.len() >= MAX_LINKS {
            return None;
        }
        self.out.links.push(target.clone());
        let n = self.out.links.len();
        self.link_index.insert(target, n);
        Some(n)
    }
}
