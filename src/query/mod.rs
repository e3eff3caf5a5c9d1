//! The query language of issue 12, one room for every place that finds articles: `/` search, the `F`
//! filter, `[[query]]` feeds in feeds.toml and `tidings list --query`.
//!
//! ```text
//! unread and (tag:world or feed~"^bbc") -title:sport age<7d
//! text:"climate change" or text:treat* words>1000 comments>=10 after:2026-01-01
//! ```
//!
//! - [`parse`] turns text into a [`Query`] or a [`QueryError`] with the line and column of the mistake;
//!   `Display` prints the canonical form, which parses back to the same `Query`.
//! - [`Query::matches`] evaluates it against a [`Subject`] (see [`ArticleSubject`]); `text:` terms read
//!   the in-memory body, or, after [`Query::text_terms`] were resolved through the cache's full-text
//!   index (`cache::search`), [`Query::matches_with`] takes the answers as [`TextHits`].

mod ast;
mod error;
mod eval;
mod lex;
mod parse;
mod words;

pub use ast::{Age, AgeUnit, Cmp, Field, Pattern, Query, Term, TextTerm};
pub use error::{QueryError, QueryErrorKind};
pub use eval::{ArticleSet, ArticleSubject, Subject, TextHits};
pub use parse::{parse, MAX_DEPTH, MAX_REGEXES, MAX_REGEX_LEN, REGEX_SIZE_LIMIT};
pub use words::{index_text, word_count, words, Needle};

impl std::str::FromStr for Query {
    type Err = QueryError;

    /// `"unread".parse::<Query>()`, the same as [`parse`].
    fn from_str(text: &str) -> Result<Query, QueryError> {
        parse(text)
    }
}

#[cfg(test)]
mod roundtrip;
