//! Evaluating a query against one article. The article is seen through [`Subject`], borrowed fields
//! only, so the store can filter 50,000 headlines per keystroke without cloning anything.

use super::ast::{Field, Query, Term, TextTerm};
use super::words::{index_text, words};
use crate::model::{Article, Feed};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{HashMap, HashSet};

/// What a query can ask of an article. Every method borrows; implement it over whatever the caller
/// holds (the store implements nothing: [`ArticleSubject`] covers `Feed` + `Article`).
pub trait Subject {
    /// The article's id, as the cache keys it (with `feed_url`), for `text:` matches from the index.
    fn id(&self) -> &str;
    /// The headline.
    fn title(&self) -> &str;
    /// The authors.
    fn authors(&self) -> &[String];
    /// The feed's display name.
    fn feed_name(&self) -> &str;
    /// The feed's URL (also the cache's key for the feed).
    fn feed_url(&self) -> &str;
    /// The feed's tags from feeds.toml.
    fn feed_tags(&self) -> &[String];
    /// The article's own categories.
    fn categories(&self) -> &[String];
    /// The article's link.
    fn link(&self) -> Option<&str>;
    /// The summary (HTML or text) when in memory; bare words search it.
    fn summary(&self) -> Option<&str>;
    /// The richest body as HTML when in memory; `text:` reads it when no index answered.
    fn body_html(&self) -> Option<&str>;
    /// Publication date.
    fn published(&self) -> Option<DateTime<Utc>>;
    /// Last update date (used when there is no publication date).
    fn updated(&self) -> Option<DateTime<Utc>>;
    /// Read flag.
    fn is_read(&self) -> bool;
    /// Starred flag.
    fn is_starred(&self) -> bool;
    /// The feed's comment count, if it gives one.
    fn comments(&self) -> Option<u32>;
    /// The body's word count as the article header shows it, if known.
    fn word_count(&self) -> Option<usize>;
}

/// A `Subject` over the model's own types: what the store hands the evaluator per article.
#[derive(Debug, Clone, Copy)]
pub struct ArticleSubject<'a> {
    /// The article's feed.
    pub feed: &'a Feed,
    /// The article.
    pub article: &'a Article,
    /// The body's word count (`text::html::Rendered::word_count`), when the caller knows it.
    pub word_count: Option<usize>,
}

impl<'a> ArticleSubject<'a> {
    /// The subject of `article` in `feed`, with the word count the store keeps (`Article::words`).
    pub fn new(feed: &'a Feed, article: &'a Article) -> Self {
        ArticleSubject {
            feed,
            article,
            word_count: article.words.map(|w| w as usize),
        }
    }
}

impl Subject for ArticleSubject<'_> {
    fn id(&self) -> &str {
        &self.article.id.0
    }
    fn title(&self) -> &str {
        &self.article.title
    }
    fn authors(&self) -> &[String] {
        &self.article.authors
    }
    fn feed_name(&self) -> &str {
        self.feed.display_name()
    }
    fn feed_url(&self) -> &str {
        &self.feed.url
    }
    fn feed_tags(&self) -> &[String] {
        &self.feed.tags
    }
    fn categories(&self) -> &[String] {
        &self.article.categories
    }
    fn link(&self) -> Option<&str> {
        self.article.link.as_deref()
    }
    fn summary(&self) -> Option<&str> {
        self.article.summary()
    }
    fn body_html(&self) -> Option<&str> {
        (!self.article.body.is_in_cache()).then(|| self.article.body_html())
    }
    fn published(&self) -> Option<DateTime<Utc>> {
        self.article.published
    }
    fn updated(&self) -> Option<DateTime<Utc>> {
        self.article.updated
    }
    fn is_read(&self) -> bool {
        self.article.read
    }
    fn is_starred(&self) -> bool {
        self.article.starred
    }
    fn comments(&self) -> Option<u32> {
        self.article.comments
    }
    fn word_count(&self) -> Option<usize> {
        self.word_count
    }
}

/// A set of articles by (feed URL, article id): what the full-text index answers for one `text:` term.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleSet {
    by_feed: HashMap<String, HashSet<String>>,
}

impl ArticleSet {
    /// Add one article.
    pub fn insert(&mut self, feed_url: String, id: String) {
        self.by_feed.entry(feed_url).or_default().insert(id);
    }

    /// Whether the article is in the set (no allocation).
    pub fn contains(&self, feed_url: &str, id: &str) -> bool {
        self.by_feed
            .get(feed_url)
            .is_some_and(|ids| ids.contains(id))
    }

    /// How many articles.
    pub fn len(&self) -> usize {
        self.by_feed.values().map(HashSet::len).sum()
    }

    /// True when no article is in the set.
    pub fn is_empty(&self) -> bool {
        self.by_feed.values().all(HashSet::is_empty)
    }
}

/// The index's answers for a query's `text:` terms (from `cache::search`). A term with no answer here
/// matches nothing, so a partly resolved query never falls back to scanning bodies.
#[derive(Debug, Clone, Default)]
pub struct TextHits {
    terms: HashMap<TextTerm, ArticleSet>,
}

impl TextHits {
    /// Record the articles that match `term`.
    pub fn insert(&mut self, term: TextTerm, matches: ArticleSet) {
        self.terms.insert(term, matches);
    }

    /// The recorded matches of `term`.
    pub fn get(&self, term: &TextTerm) -> Option<&ArticleSet> {
        self.terms.get(term)
    }
}

impl Query {
    /// Whether `subject` matches at `now` (for `age`); `text:` reads the in-memory title and body.
    pub fn matches(&self, subject: &impl Subject, now: DateTime<Utc>) -> bool {
        self.eval(subject, now, None)
    }

    /// Whether `subject` matches at `now`, answering `text:` terms from the index's `hits` when the
    /// index was asked (else from the in-memory title and body, like [`Query::matches`]).
    pub fn matches_with(
        &self,
        subject: &impl Subject,
        now: DateTime<Utc>,
        hits: Option<&TextHits>,
    ) -> bool {
        self.eval(subject, now, hits)
    }

    /// The distinct `text:` terms, in order: resolve them through `cache::search`, then `matches_with`.
    pub fn text_terms(&self) -> Vec<&TextTerm> {
        let mut out: Vec<&TextTerm> = Vec::new();
        self.collect_text_terms(&mut out);
        out
    }

    fn collect_text_terms<'q>(&'q self, out: &mut Vec<&'q TextTerm>) {
        match self {
            Query::Term(Term::Text(t)) if !out.contains(&t) => out.push(t),
            Query::Term(_) => {}
            Query::Not(q) => q.collect_text_terms(out),
            Query::All(items) | Query::Any(items) => {
                items.iter().for_each(|q| q.collect_text_terms(out))
            }
        }
    }

    fn eval<S: Subject>(&self, s: &S, now: DateTime<Utc>, hits: Option<&TextHits>) -> bool {
        match self {
            Query::Term(t) => t.eval(s, now, hits),
            Query::Not(q) => !q.eval(s, now, hits),
            Query::All(items) => items.iter().all(|q| q.eval(s, now, hits)),
            Query::Any(items) => items.iter().any(|q| q.eval(s, now, hits)),
        }
    }
}

impl Term {
    fn eval<S: Subject>(&self, s: &S, now: DateTime<Utc>, hits: Option<&TextHits>) -> bool {
        let date = || s.published().or(s.updated());
        match self {
            Term::Unread => !s.is_read(),
            Term::Read => s.is_read(),
            Term::Starred => s.is_starred(),
            Term::Contains(field, needle) => any_of_field(s, *field, |v| needle.found_in(v)),
            Term::Matches(field, pattern) => any_of_field(s, *field, |v| pattern.is_match(v)),
            Term::Bare(needle) => {
                needle.found_in(s.title()) || s.summary().is_some_and(|v| needle.found_in(v))
            }
            Term::Text(term) => match hits {
                Some(hits) => hits
                    .get(term)
                    .is_some_and(|set| set.contains(s.feed_url(), s.id())),
                None => text_in_memory(term, s),
            },
            Term::After(day) => date().is_some_and(|d| d >= midnight(*day)),
            Term::Before(day) => date().is_some_and(|d| d < midnight(*day)),
            Term::Age(cmp, age) => date().is_some_and(|d| cmp.holds(now - d, age.duration())),
            Term::Words(cmp, n) => s.word_count().is_some_and(|w| cmp.holds(w as u64, *n)),
            Term::Comments(cmp, n) => s.comments().is_some_and(|c| cmp.holds(u64::from(c), *n)),
        }
    }
}

fn midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(chrono::NaiveTime::MIN).and_utc()
}

fn any_of_field<S: Subject>(s: &S, field: Field, test: impl Fn(&str) -> bool) -> bool {
    match field {
        Field::Title => test(s.title()),
        Field::Author => s.authors().iter().any(|a| test(a)),
        Field::Feed => test(s.feed_name()) || test(s.feed_url()),
        Field::Tag => s.feed_tags().iter().chain(s.categories()).any(|t| test(t)),
        Field::Link => s.link().is_some_and(test),
    }
}

/// `text:` without an index: the words of the title, then of the body, each searched on its own
/// (a phrase does not run from the title into the body, as in the index's two columns).
fn text_in_memory<S: Subject>(term: &TextTerm, s: &S) -> bool {
    let title: Vec<String> = words(s.title()).collect();
    if phrase_in(term, &title) {
        return true;
    }
    s.body_html().is_some_and(|html| {
        let body: Vec<String> = words(&index_text(html)).collect();
        phrase_in(term, &body)
    })
}

fn phrase_in(term: &TextTerm, text: &[String]) -> bool {
    let wanted = term.words();
    let Some((last, head)) = wanted.split_last() else {
        return false;
    };
    text.windows(wanted.len()).any(|window| {
        window[..head.len()] == *head
            && if term.is_prefix() {
                window[head.len()].starts_with(last.as_str())
            } else {
                window[head.len()] == *last
            }
    })
}

#[cfg(test)]
#[path = "eval_tests.rs"]
mod tests;
