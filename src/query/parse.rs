//! Tokens → `Query` by recursive descent: `or` of `and`s of `not`s of terms, with a nesting limit so
//! hostile input cannot exhaust the stack, and errors that point at the offending token.

use super::ast::{Age, AgeUnit, Field, Pattern, Query, Term, TextTerm};
use super::error::{QueryError, QueryErrorKind};
use super::lex::{tokenize, Op, Pos, Tok, Token, Value};
use super::words::{words, Needle};
use chrono::NaiveDate;

/// Parentheses and `not`s nested deeper than this are refused (evaluation and printing recurse).
pub const MAX_DEPTH: usize = 64;
/// Regular expressions per query: each may compile to `REGEX_SIZE_LIMIT`, so their number is bounded.
pub const MAX_REGEXES: usize = 16;
/// Longest regular expression source, in bytes.
pub const MAX_REGEX_LEN: usize = 1024;
/// Compiled size limit of one regex (and of its lazy DFA cache): big enough for any sensible filter,
/// small enough that `\w{1000}{1000}` fails fast instead of taking memory.
pub const REGEX_SIZE_LIMIT: usize = 256 * 1024;

/// Parse a query typed on its own (positions are relative to `text`).
pub fn parse(text: &str) -> Result<Query, QueryError> {
    let (tokens, end) = tokenize(text)?;
    let mut parser = Parser {
        text,
        tokens,
        next: 0,
        end,
        depth: 0,
        regexes: 0,
    };
    if parser.peek().is_none() {
        return Err(parser.expected("a term"));
    }
    let query = parser.or()?;
    match parser.peek() {
        None => Ok(query),
        Some(token) => Err(parser.found(token, "'and', 'or' or the end of the query")),
    }
}

struct Parser<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    next: usize,
    end: Pos,
    depth: usize,
    regexes: usize,
}

fn keyword(tok: &Tok, name: &str) -> bool {
    matches!(tok, Tok::Word(w) if w.eq_ignore_ascii_case(name))
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.next)
    }

    fn take(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.next).cloned();
        self.next += 1;
        token
    }

    fn at_keyword(&self, name: &str) -> bool {
        self.peek().is_some_and(|t| keyword(&t.tok, name))
    }

    fn or(&mut self) -> Result<Query, QueryError> {
        let mut items = vec![self.and()?];
        while self.at_keyword("or") {
            self.next += 1;
            items.push(self.and()?);
        }
        Ok(one_or(items, Query::Any))
    }

    fn and(&mut self) -> Result<Query, QueryError> {
        let mut items = vec![self.not()?];
        loop {
            match self.peek() {
                Some(t) if keyword(&t.tok, "and") => {
                    self.next += 1;
                    items.push(self.not()?);
                }
                // Juxtaposition: anything that can start a term.
                Some(t) if !keyword(&t.tok, "or") && t.tok != Tok::Close => {
                    items.push(self.not()?);
                }
                _ => return Ok(one_or(items, Query::All)),
            }
        }
    }

    fn not(&mut self) -> Result<Query, QueryError> {
        let negated = self
            .peek()
            .is_some_and(|t| t.tok == Tok::Minus || keyword(&t.tok, "not"));
        if !negated {
            return self.primary();
        }
        self.next += 1;
        let inner = self.nested(Self::not)?;
        Ok(Query::Not(Box::new(inner)))
    }

    fn nested(
        &mut self,
        inner: fn(&mut Self) -> Result<Query, QueryError>,
    ) -> Result<Query, QueryError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let pos = self.peek().map_or(self.end, |t| t.pos);
            return Err(error_at(
                pos,
                QueryErrorKind::TooComplex {
                    reason: "more than 64 nested parentheses or 'not's",
                },
            ));
        }
        let result = inner(self);
        self.depth -= 1;
        result
    }

    fn primary(&mut self) -> Result<Query, QueryError> {
        let Some(token) = self.peek().cloned() else {
            return Err(self.expected("a term"));
        };
        let is_keyword = ["and", "or", "not"].iter().any(|k| keyword(&token.tok, k));
        if is_keyword || token.tok == Tok::Close {
            return Err(self.found(&token, "a term"));
        }
        self.next += 1;
        match token.tok.clone() {
            Tok::Open => {
                if self.peek().is_none() {
                    return Err(self.expected("')'"));
                }
                let inner = self.nested(Self::or)?;
                match self.take() {
                    Some(Token {
                        tok: Tok::Close, ..
                    }) => Ok(inner),
                    Some(other) => Err(self.found(&other, "')'")),
                    None => Err(self.expected("')'")),
                }
            }
            Tok::Word(w) => Ok(Query::Term(flag_or_bare(&w))),
            Tok::Quoted(q) if q.is_empty() => Err(self.found(&token, "a word or phrase")),
            Tok::Quoted(q) => Ok(Query::Term(Term::Bare(Needle::new(&q)))),
            Tok::Field { name, op, value } => self.field(&name, op, value, token.pos),
            Tok::Close | Tok::Minus => Err(self.found(&token, "a term")),
        }
    }

    fn field(&mut self, name: &str, op: Op, value: Value, at: Pos) -> Result<Query, QueryError> {
        let lower = name.to_ascii_lowercase();
        if value.text.is_empty() {
            let after = self.text[..value.pos.offset].trim_end().to_string();
            return Err(error_at(
                value.pos,
                QueryErrorKind::ExpectedAfter {
                    expected: "a value".into(),
                    after,
                },
            ));
        }
        if let Some(field) = Field::ALL.into_iter().find(|f| f.name() == lower) {
            return match op {
                Op::Colon => Ok(term(Term::Contains(field, Needle::new(&value.text)))),
                Op::Tilde => self.regex(field, value),
                Op::Cmp(_) => Err(wrong_op(at, &lower, "':' (contains) or '~' (regex)")),
            };
        }
        let cmp_of = |op: Op| match op {
            Op::Cmp(cmp) => Ok(cmp),
            _ => Err(wrong_op(at, &lower, "a comparison: <, <=, >, >= or =")),
        };
        let colon = |op: Op, takes| match op {
            Op::Colon => Ok(()),
            _ => Err(wrong_op(at, &lower, takes)),
        };
        let t = match lower.as_str() {
            "text" => {
                colon(
                    op,
                    "':' and words (text:word, text:pre*, text:\"a phrase\")",
                )?;
                Term::Text(text_term(&value)?)
            }
            "after" => {
                colon(op, "':' and a date (after:2026-01-31)")?;
                Term::After(date(&value)?)
            }
            "before" => {
                colon(op, "':' and a date (before:2026-01-31)")?;
                Term::Before(date(&value)?)
            }
            "age" => Term::Age(cmp_of(op)?, age(&value)?),
            "words" => Term::Words(cmp_of(op)?, count(&value)?),
            "comments" => Term::Comments(cmp_of(op)?, count(&value)?),
            _ => {
                let kind = QueryErrorKind::UnknownField { name: name.into() };
                return Err(error_at(at, kind));
            }
        };
        Ok(term(t))
    }

    fn regex(&mut self, field: Field, value: Value) -> Result<Query, QueryError> {
        self.regexes += 1;
        if self.regexes > MAX_REGEXES {
            let reason = "more than 16 regular expressions";
            return Err(error_at(value.pos, QueryErrorKind::TooComplex { reason }));
        }
        let regex = compile_regex(&value.text).map_err(|kind| error_at(value.pos, kind))?;
        Ok(term(Term::Matches(field, Pattern::new(value.text, regex))))
    }

    /// "expected X after '…'" at the end of the query.
    fn expected(&self, what: &str) -> QueryError {
        let after = self.text[..self.end.offset].trim_end();
        let after = tail(after);
        let kind = if after.is_empty() {
            QueryErrorKind::Found {
                expected: what.into(),
                found: "an empty query".into(),
            }
        } else {
            QueryErrorKind::ExpectedAfter {
                expected: what.into(),
                after,
            }
        };
        error_at(self.end, kind)
    }

    /// "expected X, found 'tok'" at the token.
    fn found(&self, token: &Token, what: &str) -> QueryError {
        let rest = &self.text[token.pos.offset..];
        let len = self
            .tokens
            .iter()
            .find(|t| t.pos.offset > token.pos.offset)
            .map_or(rest.len(), |t| t.pos.offset - token.pos.offset);
        let found = tail(rest[..len].trim_end());
        error_at(
            token.pos,
            QueryErrorKind::Found {
                expected: what.into(),
                found,
            },
        )
    }
}

/// Compile `source` case-insensitively within the size limits; the error says why not, in one line.
pub fn compile_regex(source: &str) -> Result<regex::Regex, QueryErrorKind> {
    if source.len() > MAX_REGEX_LEN {
        return Err(QueryErrorKind::BadRegex {
            reason: format!("longer than {MAX_REGEX_LEN} bytes"),
        });
    }
    regex::RegexBuilder::new(source)
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .nest_limit(32)
        .build()
        .map_err(|e| QueryErrorKind::BadRegex {
            reason: match e {
                regex::Error::CompiledTooBig(_) => "too large once compiled".to_string(),
                other => other
                    .to_string()
                    .lines()
                    .rfind(|l| l.starts_with("error:"))
                    .unwrap_or("invalid pattern")
                    .trim_start_matches("error: ")
                    .to_string(),
            },
        })
}

/// At most the last 40 characters of `text`, so an error on a long query stays one short line.
fn tail(text: &str) -> String {
    let count = text.chars().count();
    if count <= 40 {
        return text.to_string();
    }
    let skip: String = text.chars().skip(count - 39).collect();
    format!("…{skip}")
}

fn term(t: Term) -> Query {
    Query::Term(t)
}

fn one_or(mut items: Vec<Query>, many: fn(Vec<Query>) -> Query) -> Query {
    if items.len() == 1 {
        items.remove(0)
    } else {
        many(items)
    }
}

fn error_at(pos: Pos, kind: QueryErrorKind) -> QueryError {
    QueryError::new(pos.line, pos.column, kind)
}

fn wrong_op(at: Pos, field: &str, takes: &'static str) -> QueryError {
    error_at(
        at,
        QueryErrorKind::WrongOperator {
            field: field.into(),
            takes,
        },
    )
}

fn flag_or_bare(word: &str) -> Term {
    match word.to_ascii_lowercase().as_str() {
        "unread" => Term::Unread,
        "read" => Term::Read,
        "starred" => Term::Starred,
        _ => Term::Bare(Needle::new(word)),
    }
}

fn bad(value: &Value, what: &'static str) -> QueryError {
    error_at(
        value.pos,
        QueryErrorKind::BadValue {
            value: tail(&value.text),
            what,
        },
    )
}

fn text_term(value: &Value) -> Result<TextTerm, QueryError> {
    let (body, prefix) = match value.text.strip_suffix('*') {
        Some(body) => (body, true),
        None => (value.text.as_str(), false),
    };
    let found: Vec<String> = words(body).collect();
    if !value.quoted && found.len() > 1 {
        return Err(bad(value, "one word (quote a phrase: text:\"two words\")"));
    }
    TextTerm::new(found, prefix).ok_or_else(|| bad(value, "a word of letters or digits"))
}

fn date(value: &Value) -> Result<NaiveDate, QueryError> {
    let what = "a date YYYY-MM-DD";
    let parts: Vec<&str> = value.text.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad(value, what));
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return Err(bad(value, what));
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse(), m.parse(), d.parse()) else {
        return Err(bad(value, what));
    };
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| bad(value, "a date that exists"))
}

fn age(value: &Value) -> Result<Age, QueryError> {
    let what = "an age: a number and m, h, d or w (age<7d)";
    let text = value.text.as_str();
    let Some(unit_char) = text.chars().last() else {
        return Err(bad(value, what));
    };
    let unit = match unit_char.to_ascii_lowercase() {
        'm' => AgeUnit::Minutes,
        'h' => AgeUnit::Hours,
        'd' => AgeUnit::Days,
        'w' => AgeUnit::Weeks,
        _ => return Err(bad(value, what)),
    };
    let number = &text[..text.len() - unit_char.len_utf8()];
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(value, what));
    }
    let amount: u32 = number
        .parse()
        .ok()
        .filter(|&n| n <= 1_000_000)
        .ok_or_else(|| bad(value, "an age up to 1000000 units"))?;
    Ok(Age { amount, unit })
}

fn count(value: &Value) -> Result<u64, QueryError> {
    let text = value.text.as_str();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(value, "a whole number"));
    }
    text.parse().map_err(|_| bad(value, "a number that fits"))
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
