//! The standfirst: an item's teaser shown apart above its body, but only when it says something the
//! body's opening does not. Feeds often repeat the first paragraph (or its first words, cut with `…`)
//! as the teaser; shown twice it reads as a glitch, so those teasers are dropped.

use crate::text::{self, Block};

/// How much of the body is looked at: a teaser is compared with the body's opening, never all of it.
const BODY_PREFIX_BYTES: usize = 32 * 1024;
/// Longest teaser considered (bytes of HTML); a longer "teaser" is a second body, not a standfirst.
const MAX_TEASER_BYTES: usize = 16 * 1024;

/// The teaser to show as a standfirst, or `None` when there is no body besides it (the teaser is the
/// text, shown once) or the teaser is just the body's opening: the same words as its first paragraph,
/// or a prefix of the body, also when cut with `…`, `...` or `[…]`. Markup, case, punctuation and
/// whitespace are set aside for the comparison.
pub fn standfirst<'a>(summary: Option<&'a str>, content: Option<&str>) -> Option<&'a str> {
    standfirst_rendered(summary, content).and(summary)
}

/// [`standfirst`], rendered as text: the render the comparison made, so the reader does not make
/// it again.
pub fn standfirst_rendered(summary: Option<&str>, content: Option<&str>) -> Option<text::Rendered> {
    let summary = summary.filter(|s| !s.trim().is_empty() && s.len() <= MAX_TEASER_BYTES)?;
    let content = content.filter(|c| !c.trim().is_empty())?;
    let teaser = text::render_html_text(summary);
    let (teaser_words, cut) = teaser_words(&teaser.to_plain());
    if teaser_words.is_empty() {
        return None;
    }
    let body = text::render_html_text(text::cut_bytes(content, BODY_PREFIX_BYTES));
    let first_paragraph = body.blocks.iter().find_map(block_text).map(words);
    if first_paragraph.as_ref() == Some(&teaser_words) {
        return None;
    }
    let body_words = words(&body.to_plain());
    (!is_prefix(&teaser_words, &body_words, cut)).then_some(teaser)
}

fn block_text(block: &Block) -> Option<&str> {
    match block {
        Block::Paragraph(t) | Block::Quote(t) | Block::Heading { text: t, .. } => Some(t),
        Block::ListItem { text, .. } | Block::Code(text) => Some(text),
        Block::Rule | Block::Image { .. } => None,
    }
}

/// The teaser's words, and whether it ended in an ellipsis (so its last word may be cut short).
fn teaser_words(plain: &str) -> (Vec<String>, bool) {
    let mut trimmed = plain.trim_end();
    let mut cut = false;
    for tail in ["[…]", "[...]", "(…)", "…", "..."] {
        if let Some(rest) = trimmed.strip_suffix(tail) {
            trimmed = rest.trim_end();
            cut = true;
            break;
        }
    }
    (words(trimmed), cut)
}

/// Words lower-cased, with punctuation removed (`"Hello,` and `hello` are the same word).
fn words(plain: &str) -> Vec<String> {
    plain
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// True when `teaser` opens `body`; after an ellipsis the last word may be the start of a body word.
fn is_prefix(teaser: &[String], body: &[String], cut: bool) -> bool {
    if teaser.len() > body.len() {
        return false;
    }
    let (last, init) = match teaser.split_last() {
        Some(split) => split,
        None => return true,
    };
    init.iter().zip(body).all(|(a, b)| a == b)
        && (body[init.len()] == *last || (cut && body[init.len()].starts_with(last.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "<p>The council met on <b>Tuesday</b> to discuss the budget.</p>\
                        <p>Members argued for hours.</p>";

    #[test]
    fn a_distinct_teaser_is_a_standfirst() {
        let teaser = "<p>Money is tight, and everyone knows it.</p>";
        assert_eq!(standfirst(Some(teaser), Some(BODY)), Some(teaser));
    }

    #[test]
    fn the_first_paragraph_again_is_not() {
        let teaser = "The council met on Tuesday to discuss the budget.";
        assert_eq!(standfirst(Some(teaser), Some(BODY)), None);
        let marked_up = "<div>  the COUNCIL met on <i>Tuesday</i>\n to discuss the budget </div>";
        assert_eq!(standfirst(Some(marked_up), Some(BODY)), None);
    }

    #[test]
    fn a_prefix_of_the_body_is_not_even_when_cut() {
        for teaser in [
            "The council met on Tuesday",
            "The council met on Tuesday to discuss the budget. Members argued",
            "The council met on Tues…",
            "The council met on Tuesday to discuss […]",
            "<p>The council met on Tuesday ...</p>",
        ] {
            assert_eq!(standfirst(Some(teaser), Some(BODY)), None, "{teaser}");
        }
    }

    #[test]
    fn a_cut_word_counts_only_after_an_ellipsis() {
        assert_eq!(
            standfirst(Some("The council met on Tues"), Some(BODY)),
            Some("The council met on Tues")
        );
    }

    #[test]
    fn without_both_texts_there_is_no_standfirst() {
        assert_eq!(standfirst(Some("<p>Teaser</p>"), None), None);
        assert_eq!(standfirst(Some("<p>Teaser</p>"), Some("  ")), None);
        assert_eq!(standfirst(None, Some(BODY)), None);
        assert_eq!(standfirst(Some("<p> </p>"), Some(BODY)), None);
    }
}
