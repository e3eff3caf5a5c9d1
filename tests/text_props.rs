//! Property and corpus tests for `tidings::text`: sanitising, HTML rendering and wrapping.

use proptest::prelude::*;
use tidings::text::{
    display_width, render_html, sanitize_line, sanitize_text, wrap_rendered, Block, Rendered,
};

mod scaling;

/// A char that must never survive sanitising.
fn forbidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || c == '\u{1b}'
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Strings rich in escape bytes, controls, bidi marks, wide chars and combining marks.
fn hostile_string() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<char>().prop_map(String::from),
        Just("\u{1b}[".to_string()),
        Just("\u{1b}]52;c;".to_string()),
        Just("\u{1b}\\".to_string()),
        Just("\u{9b}".to_string()),
        Just("\u{9d}".to_string()),
        Just("\u{7}".to_string()),
        Just("\r\n".to_string()),
        Just("\u{202e}".to_string()),
        Just("日本".to_string()),
        Just("👨‍👩‍👧".to_string()),
        Just("e\u{301}".to_string()),
        Just(" ".to_string()),
        "[a-z]{1,12}",
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

/// The hostile feed corpus, copied byte-exact into the repository.
fn hostile_feeds() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile")
}

/// Text without whitespace removed, for content comparison.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

proptest! {
    #[test]
    fn sanitize_text_leaves_no_controls(s in hostile_string()) {
        let out = sanitize_text(&s);
        prop_assert!(!out.chars().any(forbidden), "{:?}", out);
    }

    #[test]
    fn sanitize_line_has_no_newline_or_controls(s in hostile_string()) {
        let out = sanitize_line(&s);
        prop_assert!(!out.contains('\n'));
        prop_assert!(!out.chars().any(forbidden));
        prop_assert_eq!(out.trim(), out.as_str());
    }

    #[test]
    fn printable_ascii_is_kept(s in "[ -~]{0,200}") {
        prop_assert_eq!(sanitize_text(&s), s);
    }

    #[test]
    fn wrap_never_exceeds_width_and_keeps_text(s in hostile_string(), width in 1usize..200) {
        let text = sanitize_line(&s);
        let doc = Rendered { blocks: vec![Block::Paragraph(text.clone())], links: vec![] };
        let lines = wrap_rendered(&doc, width);
        for l in &lines {
            prop_assert!(display_width(&l.text) <= width, "{:?} > {}", l.text, width);
        }
        // Below the width of a wide char that char is shown as '?', so compare from width 2 on.
        if width >= 2 {
            let joined: String = lines.iter().map(|l| l.text.as_str()).collect();
            prop_assert_eq!(squash(&joined), squash(&text));
        }
    }

    #[test]
    fn wrap_any_block_kind_fits(s in hostile_string(), width in 1usize..120, depth in 0usize..50) {
        let t = sanitize_line(&s);
        let doc = Rendered {
            blocks: vec![
                Block::Heading { level: 1, text: t.clone() },
                Block::Quote(t.clone()),
                Block::ListItem { depth, marker: "10.".into(), text: t.clone() },
                Block::Code(sanitize_text(&s)),
                Block::Rule,
            ],
            links: vec![format!("https://example.com/{}", t.replace(' ', "_"))],
        };
        for l in wrap_rendered(&doc, width) {
            prop_assert!(display_width(&l.text) <= width, "{:?} > {}", l.text, width);
        }
    }

    #[test]
    fn render_html_output_is_clean(s in hostile_string()) {
        let html = format!("<p>{s}</p><pre>{s}</pre><a href=\"{s}\">{s}</a>");
        let r = render_html(&html, None);
        let plain = r.to_plain();
        prop_assert!(!plain.chars().any(forbidden), "{:?}", plain);
        prop_assert!(!r.links.iter().any(|l| l.chars().any(|c| c.is_control() || c.is_whitespace())));
    }
}

#[test]
fn escape_sequences_leave_no_residue() {
    let s = "A\u{1b}[2JB\u{1b}]52;c;Y3VybCB4fHNo\u{7}C\u{1b}]0;title\u{1b}\\D\u{9b}2JE\u{9d}0;t\u{9c}F\u{1b}P1$r\u{1b}\\G";
    let out = sanitize_text(s);
    assert_eq!(out, "ABCDEFG");
    for residue in ["[2J", "]52;", "]0;", "52;c;", "2J"] {
        assert!(!out.contains(residue), "{residue}");
    }
}

/// A copied hostile case in `tests/fixtures/text`.
fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/text")
        .join(name)
}

/// Hostile inputs: the copies in `tests/fixtures/text` plus the whole hostile feed corpus.
fn hostile_files() -> Vec<std::path::PathBuf> {
    let own = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/text");
    let files: Vec<_> = [own, hostile_feeds()]
        .into_iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flat_map(|entries| entries.flatten().map(|e| e.path()))
        .collect();
    assert!(
        files.len() > 50,
        "hostile fixtures are present: {}",
        files.len()
    );
    files
}

#[test]
fn every_hostile_feed_renders_clean() {
    let files = hostile_files();
    let base = url::Url::parse("http://127.0.0.1:8999/blog/").ok();
    let mut n = 0;
    for path in &files {
        let bytes = std::fs::read(path).unwrap_or_default();
        let raw = String::from_utf8_lossy(&bytes);
        for input in [raw.to_string(), sanitize_text(&raw)] {
            let r = render_html(&input, base.as_ref());
            let plain = r.to_plain();
            assert!(!plain.chars().any(forbidden), "{:?}", path);
            for l in &r.links {
                assert!(
                    l.starts_with("http://")
                        || l.starts_with("https://")
                        || l.starts_with("mailto:"),
                    "{l}"
                );
                assert!(!l.chars().any(|c| c.is_control()), "{l:?}");
            }
            for width in [1, 2, 20, 80] {
                for line in wrap_rendered(&r, width) {
                    assert!(display_width(&line.text) <= width);
                    assert!(!line.text.chars().any(forbidden));
                }
            }
        }
        n += 1;
    }
    assert!(n >= 10, "only {n} files");
}

#[test]
fn html_entity_escapes_feed_decodes_then_sanitises() {
    let raw = std::fs::read(fixture("html-entity-escapes.xml")).expect("fixture present");
    let raw = String::from_utf8_lossy(&raw);
    // The feed escapes its HTML once; undo that (as a feed parser would) and render the HTML.
    let html = raw
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let plain = render_html(&html, None).to_plain();
    assert!(!plain.chars().any(forbidden), "{plain:?}");
}

fn deep_divs(n: usize) -> String {
    format!(
        "<p>start</p>{}middle{}<p>end</p>",
        "<div>".repeat(n),
        "</div>".repeat(n)
    )
}

#[test]
fn deep_div_100k_keeps_its_text() {
    let r = render_html(&deep_divs(100_000), None);
    assert_eq!(r.to_plain(), "start\n\nmiddle\n\nend");
}

#[test]
fn deep_nesting_renders_in_linear_time() {
    scaling::assert_linear("render nested divs", 25_000, deep_divs, |html| {
        render_html(html, None);
    });
    let lists = |n: usize| format!("{}x", "<ul><li>".repeat(n));
    scaling::assert_linear("render nested lists", 25_000, lists, |html| {
        render_html(html, None);
    });
}

#[test]
fn nested_tables_lists_feed_is_bounded() {
    let raw = std::fs::read(fixture("nested-tables-lists.xml")).expect("fixture present");
    let raw = String::from_utf8_lossy(&raw);
    for chunk in raw.split("<![CDATA[").skip(1) {
        let html = chunk.split("]]>").next().unwrap_or_default();
        let r = render_html(html, None);
        let lines = wrap_rendered(&r, 80);
        assert!(lines.iter().all(|l| display_width(&l.text) <= 80));
    }
}

fn many_links(n: usize) -> String {
    (0..n)
        .map(|i| format!("<a href=\"https://e.example/{i}\">link {i}</a> "))
        .collect()
}

fn many_entities(n: usize) -> String {
    format!("<p>{}</p>", "&amp;&lt;&#27;&#x9b;".repeat(n))
}

fn many_paragraphs(n: usize) -> String {
    "<p>".repeat(n)
}

#[test]
fn many_links_and_entities_are_bounded() {
    for html in [
        many_links(50_000),
        many_entities(250_000),
        many_paragraphs(600_000),
    ] {
        let r = render_html(&html, None);
        let lines = wrap_rendered(&r, 100);
        assert!(r.links.len() <= 1000);
        assert!(lines.iter().all(|l| !l.text.chars().any(forbidden)));
    }
}

#[test]
fn links_entities_and_empty_paragraphs_render_in_linear_time() {
    let render_and_wrap = |html: &String| {
        wrap_rendered(&render_html(html, None), 100);
    };
    scaling::assert_linear("many links", 2_000, many_links, render_and_wrap);
    scaling::assert_linear("many entities", 4_000, many_entities, render_and_wrap);
    scaling::assert_linear("empty paragraphs", 20_000, many_paragraphs, render_and_wrap);
}

#[test]
fn a_long_word_wraps_in_linear_time() {
    let doc = |n: usize| Rendered {
        blocks: vec![Block::Paragraph(format!("a {} b", "x".repeat(n)))],
        links: Vec::new(),
    };
    scaling::assert_linear("one long word", 250_000, doc, |d| {
        wrap_rendered(d, 80);
    });
}

#[test]
fn sanitising_runs_in_linear_time() {
    let text = |n: usize| "title \u{1b}[2J text\u{7} more 日本 ".repeat(n);
    scaling::assert_linear("sanitize", 50_000, text, |t| {
        sanitize_text(t);
        sanitize_line(t);
    });
}
