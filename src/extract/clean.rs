//! Generic boilerplate removal on extracted content: share bars, subscribe prompts, related links,
//! captions, bylines, comment forms and cookie notices that Readability sometimes keeps.

use super::boilerplate::{is_boilerplate_line, is_furniture_name, BlockKind};
use dom_query::{Document, NodeRef};

/// A furniture-named element holding more than this share of the content's text is kept: it is
/// probably the article's own wrapper with an unlucky class name.
const MAX_FURNITURE_SHARE: f64 = 0.3;

/// Links covering more than this share of a block's text make it a link block ("related stories").
const MAX_LINK_DENSITY: f64 = 0.75;

/// Elements that never hold article prose.
const NEVER_CONTENT: &str =
    "script, style, noscript, template, form, button, input, select, textarea, nav, aside, footer, \
     figcaption, iframe, svg, [hidden], [aria-hidden=true], [role=navigation], [role=complementary]";

/// Block-level elements whose own text is judged as one line.
const TEXT_BLOCKS: &str = "p, li, dt, dd, h1, h2, h3, h4, h5, h6, blockquote, div, span, section";

/// Characters of visible text in an HTML fragment (whitespace runs count once).
pub fn text_len(html: &str) -> usize {
    if html.is_empty() {
        return 0;
    }
    let doc = Document::from(html);
    let text = doc.select("body").text();
    count_chars(&text)
}

fn count_chars(text: &str) -> usize {
    text.split_whitespace().map(|w| w.chars().count() + 1).sum()
}

/// The content with boilerplate blocks removed, as HTML.
pub fn clean_content(html: &str) -> String {
    let doc = Document::from(html);
    doc.select(NEVER_CONTENT).remove();
    remove_captioned_figures(&doc);
    let total = count_chars(&doc.select("body").text()).max(1) as f64;
    for node in doc.select("[class], [id]").nodes() {
        let names = [node.attr("class"), node.attr("id")];
        let furniture = names.iter().flatten().any(|n| is_furniture_name(n));
        if furniture && (count_chars(&node.text()) as f64) / total <= MAX_FURNITURE_SHARE {
            node.remove_from_parent();
        }
    }
    for node in doc.select(TEXT_BLOCKS).nodes() {
        // Tables are data: a cell's short text says nothing about boilerplate.
        if is_container(node) || node.ancestors(None).iter().any(|a| a.has_name("table")) {
            continue;
        }
        let text = node.text();
        let kind = match node.node_name().as_deref() {
            Some("h1" | "h2" | "h3" | "h4" | "h5" | "h6") => BlockKind::Heading,
            Some("li" | "dt" | "dd") => BlockKind::Item,
            _ => BlockKind::Plain,
        };
        if is_boilerplate_line(&text, kind) || is_link_block(node, &text) {
            node.remove_from_parent();
        }
    }
    remove_link_lists(&doc);
    doc.select("body").inner_html().to_string()
}

/// Figures are images with captions; those that hold prose, quotes, code or tables stay.
fn remove_captioned_figures(doc: &Document) {
    for figure in doc.select("figure").nodes() {
        let holds_text = figure.descendants().iter().any(|n| {
            matches!(
                n.node_name().as_deref(),
                Some("p" | "pre" | "blockquote" | "table" | "ul" | "ol")
            )
        });
        if !holds_text {
            figure.remove_from_parent();
        }
    }
}

fn is_container(node: &NodeRef) -> bool {
    matches!(
        node.node_name().as_deref(),
        Some("div" | "span" | "section" | "li" | "blockquote")
    ) && node.descendants().iter().any(|d| {
        d.node_name()
            .is_some_and(|name| crate::text::BLOCK_TAGS.contains(&name.as_ref()))
    })
}

/// A block that is (almost) all link text: a teaser for another story.
fn is_link_block(node: &NodeRef, text: &str) -> bool {
    let total = count_chars(text);
    if total == 0 {
        return false;
    }
    let linked: usize = node
        .descendants()
        .iter()
        .filter(|d| d.has_name("a"))
        .map(|a| count_chars(&a.text()))
        .sum();
    linked as f64 / total as f64 > MAX_LINK_DENSITY
}

/// Lists whose items are all links (or now empty) are link farms ("More stories").
fn remove_link_lists(doc: &Document) {
    for list in doc.select("ul, ol").nodes() {
        if count_chars(&list.text()) == 0 {
            list.remove_from_parent();
        }
    }
}
