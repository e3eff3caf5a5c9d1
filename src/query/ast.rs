//! The parsed form of a query and its canonical printing (lower-case keywords, `not` for `-`, the fewest
//! parentheses and quotes that parse back to the same tree).

use super::words::Needle;
use chrono::{Datelike, NaiveDate};
use std::fmt;

/// A parsed query: terms joined by `and`, `or` and `not`. `All`/`Any` hold two or more operands;
/// a parenthesised group stays a nested node, so printing and parsing give back the same tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    /// One condition.
    Term(Term),
    /// `not x` (also written `-x`).
    Not(Box<Query>),
    /// `a and b and …` (also by juxtaposition).
    All(Vec<Query>),
    /// `a or b or …`.
    Any(Vec<Query>),
}

/// One condition on an article.
#[derive(Debug, Clone, PartialEq)]
pub enum Term {
    /// Not read yet.
    Unread,
    /// Read.
    Read,
    /// Starred.
    Starred,
    /// `FIELD:TEXT`: case-insensitive substring.
    Contains(Field, Needle),
    /// `FIELD~REGEX`: case-insensitive regular expression.
    Matches(Field, Pattern),
    /// `text:…`: whole words of title and body.
    Text(TextTerm),
    /// A bare word or quoted phrase: substring of the title or the summary.
    Bare(Needle),
    /// `after:DATE`: published (else updated) on or after that day, UTC.
    After(NaiveDate),
    /// `before:DATE`: published (else updated) strictly before that day, UTC.
    Before(NaiveDate),
    /// `age<7d`: time since published (else updated) compared with an amount.
    Age(Cmp, Age),
    /// `words>1000`: the body's word count.
    Words(Cmp, u64),
    /// `comments>=10`: the feed's comment count.
    Comments(Cmp, u64),
}

/// The text fields that `:` and `~` apply to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The headline.
    Title,
    /// Any of the authors.
    Author,
    /// The feed's name or URL.
    Feed,
    /// The feed's tags (feeds.toml) or the article's categories.
    Tag,
    /// The article's link.
    Link,
}

impl Field {
    /// Every field, for parsing and for generators.
    pub const ALL: [Field; 5] = [
        Field::Title,
        Field::Author,
        Field::Feed,
        Field::Tag,
        Field::Link,
    ];

    /// The name as written in a query.
    pub fn name(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Author => "author",
            Field::Feed => "feed",
            Field::Tag => "tag",
            Field::Link => "link",
        }
    }
}

/// A comparison operator for ages and counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cmp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `=`
    Eq,
}

impl Cmp {
    /// Every operator, for generators.
    pub const ALL: [Cmp; 5] = [Cmp::Lt, Cmp::Le, Cmp::Gt, Cmp::Ge, Cmp::Eq];

    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
            Cmp::Eq => "=",
        }
    }

    /// Whether `left OP right` holds.
    pub fn holds<T: PartialOrd>(self, left: T, right: T) -> bool {
        match self {
            Cmp::Lt => left < right,
            Cmp::Le => left <= right,
            Cmp::Gt => left > right,
            Cmp::Ge => left >= right,
            Cmp::Eq => left == right,
        }
    }
}

/// An amount of time as written (`7d`), kept with its unit so it prints back the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Age {
    /// How many units.
    pub amount: u32,
    /// Which unit.
    pub unit: AgeUnit,
}

/// Units of `age`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgeUnit {
    /// `m`
    Minutes,
    /// `h`
    Hours,
    /// `d`
    Days,
    /// `w`
    Weeks,
}

impl Age {
    /// The amount as a duration.
    pub fn duration(self) -> chrono::Duration {
        let n = i64::from(self.amount);
        match self.unit {
            AgeUnit::Minutes => chrono::Duration::minutes(n),
            AgeUnit::Hours => chrono::Duration::hours(n),
            AgeUnit::Days => chrono::Duration::days(n),
            AgeUnit::Weeks => chrono::Duration::weeks(n),
        }
    }

    fn suffix(self) -> char {
        match self.unit {
            AgeUnit::Minutes => 'm',
            AgeUnit::Hours => 'h',
            AgeUnit::Days => 'd',
            AgeUnit::Weeks => 'w',
        }
    }
}

/// A compiled regular expression with the text it came from (equality and printing use the text).
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    regex: regex::Regex,
}

impl Pattern {
    /// Pair a compiled regex with its source (see `parse::compile_regex` for the limits).
    pub(crate) fn new(source: String, regex: regex::Regex) -> Pattern {
        Pattern { source, regex }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the pattern matches somewhere in `haystack` (linear time in its length).
    pub fn is_match(&self, haystack: &str) -> bool {
        self.regex.is_match(haystack)
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.source == other.source
    }
}

/// A `text:` term: lower-case words to find in a row (a phrase), the last one possibly a prefix.
/// The key under which the cache's matches are handed to the evaluator.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TextTerm {
    words: Vec<String>,
    prefix: bool,
}

impl TextTerm {
    /// A term from words as `query::words` splits them (non-empty, lower-case letters and digits).
    /// Returns `None` when `words` is empty.
    pub fn new(words: Vec<String>, prefix: bool) -> Option<TextTerm> {
        (!words.is_empty()).then_some(TextTerm { words, prefix })
    }

    /// The words, in order.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// Whether the last word matches any word it begins (`text:treat*`).
    pub fn is_prefix(&self) -> bool {
        self.prefix
    }

    /// The term as an SQLite FTS5 MATCH expression: one double-quoted phrase (quotes doubled, so no
    /// input can become FTS5 syntax), followed by `*` for a prefix.
    pub fn to_fts5(&self) -> String {
        let phrase = self.words.join(" ").replace('"', "\"\"");
        if self.prefix {
            format!("\"{phrase}\" *")
        } else {
            format!("\"{phrase}\"")
        }
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Query::Term(term) => write!(f, "{term}"),
            Query::Not(inner) => {
                f.write_str("not ")?;
                write_operand(f, inner, |q| matches!(q, Query::All(_) | Query::Any(_)))
            }
            Query::All(items) => write_list(f, items, " and ", |q| {
                matches!(q, Query::All(_) | Query::Any(_))
            }),
            Query::Any(items) => write_list(f, items, " or ", |q| matches!(q, Query::Any(_))),
        }
    }
}

fn write_list(
    f: &mut fmt::Formatter<'_>,
    items: &[Query],
    separator: &str,
    needs_parens: fn(&Query) -> bool,
) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(separator)?;
        }
        write_operand(f, item, needs_parens)?;
    }
    Ok(())
}

fn write_operand(
    f: &mut fmt::Formatter<'_>,
    q: &Query,
    needs_parens: impl Fn(&Query) -> bool,
) -> fmt::Result {
    if needs_parens(q) {
        write!(f, "({q})")
    } else {
        write!(f, "{q}")
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Unread => f.write_str("unread"),
            Term::Read => f.write_str("read"),
            Term::Starred => f.write_str("starred"),
            Term::Contains(field, n) => write!(f, "{}:{}", field.name(), value(n.as_str())),
            Term::Matches(field, p) => write!(f, "{}~{}", field.name(), value(p.as_str())),
            Term::Text(t) => {
                let star = if t.prefix { "*" } else { "" };
                match t.words.as_slice() {
                    [one] => write!(f, "text:{one}{star}"),
                    many => write!(f, "text:\"{}{star}\"", many.join(" ")),
                }
            }
            Term::Bare(n) => f.write_str(&bare(n.as_str())),
            Term::After(d) => write!(f, "after:{}", date(*d)),
            Term::Before(d) => write!(f, "before:{}", date(*d)),
            Term::Age(cmp, age) => write!(f, "age{}{}{}", cmp.symbol(), age.amount, age.suffix()),
            Term::Words(cmp, n) => write!(f, "words{}{n}", cmp.symbol()),
            Term::Comments(cmp, n) => write!(f, "comments{}{n}", cmp.symbol()),
        }
    }
}

fn date(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// A field's value: as is, unless the lexer would end it early or read it as a quoted string.
fn value(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.starts_with('"')
        && !text.contains(|c: char| c.is_whitespace() || c == '(' || c == ')');
    if plain {
        text.to_string()
    } else {
        quote(text)
    }
}

/// A bare word: as is only when it lexes back as the same plain word (no keyword, flag, field or `-`).
fn bare(text: &str) -> String {
    const RESERVED: &[&str] = &["and", "or", "not", "unread", "read", "starred"];
    let plain = text
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || "_.'#@&!?,;/+*%$".contains(c))
        && !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(text));
    if plain {
        text.to_string()
    } else {
        quote(text)
    }
}

/// `"…"` with `\` and `"` escaped by a backslash.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}
