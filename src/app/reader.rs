//! The open article: its header, its rendered body, lines wrapped once per width, and the scroll position.

use crate::model::{Article, ArticleId, FeedId};
use crate::text::{self, LineKind, Rendered, WrappedLine};

/// Readable line length: bodies are never wrapped wider than this, however wide the window.
pub const MAX_TEXT_WIDTH: usize = 100;
/// Reading speed behind "N min read".
const WORDS_PER_MINUTE: usize = 230;

/// How a reader line is styled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReaderLineKind {
    /// The article's title, at the top.
    Title,
    /// Header and status lines: feed, author, date, word count, the rule, "rendering…" notes.
    Meta,
    /// The teaser shown apart between the header and the body (see `app::standfirst`).
    Standfirst(LineKind),
    /// A line of the body, styled by its block kind.
    Body(LineKind),
    /// A row of the box of picture `index` (the first row holds its placeholder text).
    Picture {
        /// Index into `Reader::pictures`.
        index: usize,
    },
}

/// Where a picture of the open article is.
#[derive(Debug, Clone, PartialEq)]
pub enum PictureState {
    /// Not asked for yet.
    Wanted,
    /// Being fetched and decoded.
    Requested,
    /// Ready to draw.
    Ready(crate::pictures::Picture),
    /// Cannot be shown (no usable URL, fetch failed, not a picture, too big): the placeholder stays.
    Failed,
}

/// One picture of the body, in document order.
#[derive(Debug, Clone, PartialEq)]
pub struct PictureSlot {
    /// Absolute http(s) URL; `None` when the picture has no usable one (it is never fetched).
    pub url: Option<String>,
    /// Alt text, sanitised; shown in the placeholder.
    pub alt: String,
    /// Whether it is wanted, on its way, ready or failed.
    pub state: PictureState,
    /// The box (columns, rows) the picture was asked for; another size asks again.
    pub size: (u16, u16),
}

/// One line of the article view, never wider than the width it was wrapped for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderLine {
    /// The line's text, already wrapped.
    pub text: String,
    /// How it is styled.
    pub kind: ReaderLineKind,
}

/// Where the body shown comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodySource {
    /// The feed's own content (or summary).
    Feed,
    /// The linked page's extracted text (`f`).
    FullText,
    /// The item's comments (`c`), threaded; the article's own body waits in `Reader::stash`.
    Comments,
}

/// The body as the reader shows it: still coming, or rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyView {
    /// Rendering off the UI thread (large article) or fetching the full text.
    Pending(String),
    /// Rendered and ready to wrap.
    Ready(Rendered),
}

/// The article view's state.
#[derive(Debug, Clone)]
pub struct Reader {
    /// The open article's feed.
    pub feed: FeedId,
    /// The open article.
    pub id: ArticleId,
    /// Header fields as (label, value), sanitised at ingest.
    header: Vec<(&'static str, String)>,
    title: String,
    comments: Option<u32>,
    /// The body shown: still coming (with a note saying what it waits for) or rendered.
    pub body: BodyView,
    /// Where that body comes from: the feed, the full text or the comments.
    pub source: BodySource,
    /// The feed body kept while full text is shown, so `f` toggles back without re-rendering.
    pub feed_body: Option<Rendered>,
    /// The article's body, its source and scroll, kept while the comments are shown.
    pub stash: Option<(BodyView, BodySource, usize)>,
    /// The body's pictures, in order; their boxes are `picture_rows` tall (0: pictures off).
    pub pictures: Vec<PictureSlot>,
    picture_rows: usize,
    /// The first wrapped line of each picture's box, by picture index.
    picture_starts: Vec<usize>,
    /// The teaser shown above the feed's body when it is not just the body's opening.
    standfirst: Option<Rendered>,
    /// Generation of the last async request (render or full text); older replies are dropped.
    pub generation: u64,
    /// Index of the wrapped line at the top of the view; kept within the text.
    pub scroll: usize,
    /// Wrapped lines and the width they were wrapped for.
    wrapped: Vec<ReaderLine>,
    wrapped_width: usize,
}

impl Reader {
    /// A reader for `article` whose body is `body` (Ready, or Pending while it renders elsewhere).
    pub fn new(article: &Article, feed_name: &str, body: BodyView, generation: u64) -> Self {
        let mut header = vec![("Feed", feed_name.to_string())];
        if !article.authors.is_empty() {
            header.push(("Author", article.authors.join(", ")));
        }
        if let Some(date) = article.published.or(article.updated) {
            header.push(("Date", date.format("%a %d %b %Y %H:%M UTC").to_string()));
        }
        if let Some(link) = &article.link {
            header.push(("Link", link.clone()));
        }
        if !article.categories.is_empty() {
            header.push(("Tags", article.categories.join(", ")));
        }
        for (i, enclosure) in article.enclosures.iter().enumerate() {
            header.push(("Attached", super::attachments::describe(i + 1, enclosure)));
        }
        let mut reader = Reader {
            feed: article.feed,
            id: article.id.clone(),
            header,
            title: article.title.clone(),
            comments: article.comments,
            body,
            source: BodySource::Feed,
            feed_body: None,
            standfirst: None,
            stash: None,
            pictures: Vec::new(),
            picture_rows: 0,
            picture_starts: Vec::new(),
            generation,
            scroll: 0,
            wrapped: Vec::new(),
            wrapped_width: 0,
        };
        reader.collect_pictures();
        reader
    }

    /// The text width used for a pane `pane_width` columns wide.
    pub fn text_width(pane_width: usize) -> usize {
        pane_width.clamp(1, MAX_TEXT_WIDTH)
    }

    /// Replace the body (and re-wrap at the current width), back at the top.
    pub fn set_body(&mut self, body: BodyView) {
        self.body = body;
        self.collect_pictures();
        self.scroll = 0;
        let width = self.wrapped_width;
        self.wrapped_width = 0;
        if width > 0 {
            self.ensure_wrapped(width);
        }
    }

    /// Give pictures boxes `rows` tall (0: no boxes, the placeholder line only); re-wraps on change.
    pub fn set_picture_rows(&mut self, rows: usize) {
        if rows != self.picture_rows {
            self.picture_rows = rows;
            let width = self.wrapped_width;
            self.wrapped_width = 0;
            if width > 0 {
                self.ensure_wrapped(width);
            }
        }
    }

    /// The first line of each picture's box (by picture index), for the last wrap.
    pub fn picture_starts(&self) -> &[usize] {
        &self.picture_starts
    }

    /// The rows of each picture's box.
    pub fn picture_rows(&self) -> usize {
        self.picture_rows
    }

    /// Footnote `[n]` (1-based) of the body now shown, as the text numbers it.
    pub fn footnote(&self, n: usize) -> Option<&str> {
        let BodyView::Ready(doc) = &self.body else {
            return None;
        };
        doc.links.get(n.checked_sub(1)?).map(String::as_str)
    }

    /// The pictures of the body now shown, keeping what is known of those already there.
    fn collect_pictures(&mut self) {
        let BodyView::Ready(doc) = &self.body else {
            self.pictures.clear();
            return;
        };
        let old = std::mem::take(&mut self.pictures);
        self.pictures = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                text::Block::Image { url, alt } => Some((url, alt)),
                _ => None,
            })
            .enumerate()
            .map(|(i, (url, alt))| PictureSlot {
                url: url.clone(),
                alt: alt.clone(),
                state: old
                    .get(i)
                    .filter(|o| o.url == *url)
                    .map_or(PictureState::Wanted, |o| o.state.clone()),
                size: old
                    .get(i)
                    .filter(|o| o.url == *url)
                    .map_or((0, 0), |o| o.size),
            })
            .collect();
    }

    /// Show `standfirst` (text only) between the header and the feed's body; `None` removes it.
    pub fn set_standfirst(&mut self, standfirst: Option<Rendered>) {
        self.standfirst = standfirst.filter(|s| !s.blocks.is_empty());
        let width = self.wrapped_width;
        self.wrapped_width = 0;
        if width > 0 {
            self.ensure_wrapped(width);
        }
    }

    /// Wrap for `width` unless already wrapped for it: called on open, resize and body change, never per frame.
    pub fn ensure_wrapped(&mut self, width: usize) {
        let width = width.max(1);
        if self.wrapped_width == width {
            return;
        }
        // Keep the reader's place: the same fraction of the text stays at the top after a re-wrap.
        let old_len = self.wrapped.len().max(1);
        self.wrapped = self.build_lines(width);
        self.wrapped_width = width;
        self.picture_starts = self
            .wrapped
            .iter()
            .enumerate()
            .filter(|(i, l)| {
                matches!(l.kind, ReaderLineKind::Picture { .. })
                    && (*i == 0 || self.wrapped[i - 1].kind != l.kind)
            })
            .map(|(i, _)| i)
            .collect();
        self.scroll = self.scroll * self.wrapped.len() / old_len;
        self.scroll = self.scroll.min(self.wrapped.len().saturating_sub(1));
    }

    /// The wrapped lines for the last width given to `ensure_wrapped`.
    pub fn lines(&self) -> &[ReaderLine] {
        &self.wrapped
    }

    /// Scroll by `delta` lines, staying within the text for a viewport of `height` lines.
    pub fn scroll_by(&mut self, delta: isize, height: usize) {
        let target = (self.scroll as isize).saturating_add(delta).max(0) as usize;
        self.scroll = target;
        self.clamp_scroll(height);
    }

    /// Keep the scroll position within the text.
    pub fn clamp_scroll(&mut self, height: usize) {
        let max = self
            .wrapped
            .len()
            .saturating_sub(height.clamp(1, self.wrapped.len().max(1)));
        self.scroll = self.scroll.min(max);
    }

    /// Words in the body currently shown.
    pub fn word_count(&self) -> usize {
        let body = match (&self.source, &self.stash) {
            (BodySource::Comments, Some((article, _, _))) => article,
            _ => &self.body,
        };
        match body {
            BodyView::Ready(r) => r.word_count(),
            BodyView::Pending(_) => 0,
        }
    }

    fn build_lines(&self, width: usize) -> Vec<ReaderLine> {
        let mut lines = Vec::new();
        let push_wrapped = |lines: &mut Vec<ReaderLine>, text: &str, kind: ReaderLineKind| {
            let doc = Rendered {
                blocks: vec![text::Block::Paragraph(text.to_string())],
                links: vec![],
            };
            for l in text::wrap_rendered(&doc, width) {
                if l.kind != LineKind::Blank {
                    lines.push(ReaderLine { text: l.text, kind });
                }
            }
        };
        push_wrapped(&mut lines, &self.title, ReaderLineKind::Title);
        for (label, value) in &self.header {
            push_wrapped(
                &mut lines,
                &format!("{label}: {value}"),
                ReaderLineKind::Meta,
            );
        }
        let words = self.word_count();
        let mut counts = vec![
            format!("{words} words"),
            format!("{} min read", words.div_ceil(WORDS_PER_MINUTE).max(1)),
        ];
        if let Some(n) = self.comments {
            counts.push(format!("{n} comments"));
        }
        match self.source {
            BodySource::FullText => counts.push("full text".to_string()),
            BodySource::Comments => counts.push("showing comments (c: article)".to_string()),
            BodySource::Feed => {}
        }
        push_wrapped(&mut lines, &counts.join(" · "), ReaderLineKind::Meta);
        lines.push(ReaderLine {
            text: "─".repeat(width.min(MAX_TEXT_WIDTH)),
            kind: ReaderLineKind::Meta,
        });
        lines.push(ReaderLine {
            text: String::new(),
            kind: ReaderLineKind::Body(LineKind::Blank),
        });
        if let Some(standfirst) = self
            .standfirst
            .as_ref()
            .filter(|_| self.source == BodySource::Feed)
        {
            lines.extend(text::wrap_rendered(standfirst, width).into_iter().map(
                |WrappedLine { text, kind }| ReaderLine {
                    text,
                    kind: ReaderLineKind::Standfirst(kind),
                },
            ));
            lines.push(ReaderLine {
                text: String::new(),
                kind: ReaderLineKind::Body(LineKind::Blank),
            });
        }
        match &self.body {
            BodyView::Pending(what) => lines.push(ReaderLine {
                text: text::truncate_to_width(what, width),
                kind: ReaderLineKind::Meta,
            }),
            BodyView::Ready(doc) if doc.blocks.is_empty() => lines.push(ReaderLine {
                text: "(this article has no text)".to_string(),
                kind: ReaderLineKind::Meta,
            }),
            BodyView::Ready(doc) => {
                let mut index = 0;
                for WrappedLine { text, kind } in text::wrap_rendered(doc, width) {
                    if kind != LineKind::Image || self.picture_rows == 0 {
                        lines.push(ReaderLine {
                            text,
                            kind: ReaderLineKind::Body(kind),
                        });
                        continue;
                    }
                    // The box holds its place whatever happens to the picture: text never jumps.
                    lines.push(ReaderLine {
                        text,
                        kind: ReaderLineKind::Picture { index },
                    });
                    for _ in 1..self.picture_rows {
                        lines.push(ReaderLine {
                            text: String::new(),
                            kind: ReaderLineKind::Picture { index },
                        });
                    }
                    index += 1;
                }
            }
        }
        lines
    }
}
