//! The conversation under an article: `c` shows the item's comment feed in the reader (threaded,
//! rendered and sanitised like any body) and `c` again or Esc goes back; `C` opens the comments page.
//! The fetch is an effect; its reply is matched by generation, so a late answer never lands on
//! another article.

use super::reader::{BodySource, BodyView, Reader};
use super::{App, Effect};
use crate::feed::comments::Comment;
use crate::text::{self, Block, Rendered};

impl App {
    /// `c`: fetch and show the comments, or go back to the article when they are shown.
    pub(super) fn toggle_comments(&mut self) -> Vec<Effect> {
        let width = Reader::text_width(self.panes().main_inner_width());
        let generation = self.next_generation();
        let comment_feed = self
            .focused_article()
            .and_then(|k| self.store.get(k))
            .and_then(|a| a.comment_feed.clone());
        let Some(reader) = self.reader.as_mut() else {
            return Vec::new();
        };
        if reader.source == BodySource::Comments {
            let Some((body, source, scroll)) = reader.stash.take() else {
                return Vec::new();
            };
            reader.generation = generation;
            if matches!(body, BodyView::Pending(_)) {
                // The body was still coming when `c` was pressed; its reply was dropped: ask again.
                reader.source = BodySource::Feed;
                let effects = self.rerender_reader_body(generation);
                if let Some(reader) = self.reader.as_mut() {
                    reader.ensure_wrapped(width);
                }
                return effects;
            }
            reader.source = source;
            reader.set_body(body);
            reader.scroll = scroll;
            reader.ensure_wrapped(width);
            return Vec::new();
        }
        let Some(url) = comment_feed.as_deref().and_then(text::sanitize_url) else {
            self.note(
                "this article has no comment feed (C opens its comments page, if any)".into(),
            );
            return Vec::new();
        };
        let body = std::mem::replace(&mut reader.body, BodyView::Pending(String::new()));
        reader.stash = Some((body, reader.source.clone(), reader.scroll));
        reader.source = BodySource::Comments;
        reader.generation = generation;
        reader.set_body(BodyView::Pending(format!("fetching comments from {url} …")));
        reader.ensure_wrapped(width);
        vec![Effect::FetchComments { generation, url }]
    }

    /// The comments arrived (or failed): shown when still wanted; a failure goes back to the article.
    pub(super) fn on_comments(
        &mut self,
        generation: u64,
        result: Result<Vec<Comment>, String>,
    ) -> Vec<Effect> {
        let Some(reader) = self
            .reader
            .as_mut()
            .filter(|r| r.generation == generation && r.source == BodySource::Comments)
        else {
            return Vec::new();
        };
        match result {
            Ok(comments) => {
                let n = comments.len();
                reader.set_body(BodyView::Ready(render_comments(&comments)));
                self.note(format!("{n} comment(s); c or Esc: back to the article"));
                Vec::new()
            }
            Err(message) => {
                let effects = self.toggle_comments();
                self.note_error(message);
                effects
            }
        }
    }

    /// `C`: the comments page with the system opener (http(s) only, one argument).
    pub(super) fn open_comments_page(&mut self) -> Vec<Effect> {
        let page = self
            .focused_article()
            .and_then(|k| self.store.get(k))
            .and_then(|a| a.comments_page.clone());
        match page.as_deref().and_then(text::sanitize_url) {
            Some(url) => {
                self.note(format!("opening {url}"));
                vec![Effect::OpenLink(url)]
            }
            None => {
                self.note("nothing to open: this article has no comments page".into());
                Vec::new()
            }
        }
    }
}

/// Comments as a document for the reader: each one's author and date, then its text, indented by
/// its depth in the thread; a rule between top-level conversations.
pub fn render_comments(comments: &[Comment]) -> Rendered {
    let mut blocks = vec![Block::Heading {
        level: 2,
        text: format!("Comments ({})", comments.len()),
    }];
    if comments.is_empty() {
        blocks.push(Block::Paragraph("No comments yet.".into()));
    }
    for (i, comment) in comments.iter().enumerate() {
        if comment.depth == 0 && i > 0 {
            blocks.push(Block::Rule);
        }
        let author = comment.author.as_deref().unwrap_or("anonymous");
        let date = comment
            .published
            .map(|d| d.format(" · %a %d %b %Y %H:%M").to_string())
            .unwrap_or_default();
        blocks.push(Block::ListItem {
            depth: comment.depth,
            marker: if comment.depth == 0 { "•" } else { "↳" }.into(),
            text: text::sanitize_line(&format!("{author}{date}")),
        });
        for block in text::render_html_text(&comment.html).blocks {
            let line = match block {
                Block::Heading { text, .. }
                | Block::Paragraph(text)
                | Block::Quote(text)
                | Block::Code(text) => text,
                Block::ListItem { marker, text, .. } => format!("{marker} {text}"),
                Block::Rule | Block::Image { .. } => continue,
            };
            blocks.push(Block::ListItem {
                depth: comment.depth,
                marker: " ".into(),
                text: line,
            });
        }
    }
    Rendered {
        blocks,
        links: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(depth: usize, author: &str, html: &str) -> Comment {
        Comment {
            depth,
            author: Some(author.into()),
            published: None,
            html: html.into(),
        }
    }

    #[test]
    fn replies_are_indented_under_their_parent() {
        let doc = render_comments(&[
            comment(0, "Al", "<p>Top</p>"),
            comment(1, "Bo", "<p>Reply</p>"),
            comment(0, "Di", "Next"),
        ]);
        let lines: Vec<String> = text::wrap_rendered(&doc, 40)
            .into_iter()
            .map(|l| l.text)
            .collect();
        let at = |needle: &str| {
            lines
                .iter()
                .find(|l| l.contains(needle))
                .map(|l| l.len() - l.trim_start().len())
                .unwrap_or_else(|| panic!("{needle} in {lines:?}"))
        };
        assert!(at("Bo") > at("Al"), "{lines:?}");
        assert!(at("Reply") > at("Top"), "{lines:?}");
        assert_eq!(at("Di"), at("Al"));
        assert!(lines[0].contains("Comments (3)"));
    }
}
