//! A query mistake and where it is: the line and column of the offending token (or of the end, for a
//! missing one), shiftable to the query's place inside a file such as feeds.toml.

/// Where a query went wrong. Display is one line: `query:1:16: expected ')' after 'tag:world and ('`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}:{line}:{column}: {kind}")]
pub struct QueryError {
    origin: String,
    line: usize,
    column: usize,
    kind: QueryErrorKind,
}

/// What is wrong, without the position (for tests and for callers that show the position apart).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryErrorKind {
    /// Something was required and the query ended (or went on with something else).
    #[error("expected {expected} after '{after}'")]
    ExpectedAfter {
        /// What should have come next.
        expected: String,
        /// The query text before the point where more was needed.
        after: String,
    },
    /// A token that cannot stand where it is.
    #[error("expected {expected}, found '{found}'")]
    Found {
        /// What would have been accepted here.
        expected: String,
        /// The token that was there instead.
        found: String,
    },
    /// A `"` that is never closed.
    #[error("unterminated quote: expected '\"' after '{after}'")]
    Unterminated {
        /// The whole query, which ends inside the quote.
        after: String,
    },
    /// `name:` or `name<` for a name that is not a field.
    #[error("unknown field '{name}' (fields: title, author, feed, tag, link, text, after, before, age, words, comments; quote a word to search for it)")]
    UnknownField {
        /// The word used before `:` or the comparison.
        name: String,
    },
    /// A field used with the wrong operator (`age:3`, `title<3`, `text~x`).
    #[error("'{field}' takes {takes}")]
    WrongOperator {
        /// The field that was misused.
        field: String,
        /// The operators and values the field accepts, in words.
        takes: &'static str,
    },
    /// A value that does not have the field's form (a date, an age, a count).
    #[error("'{value}' is not {what}")]
    BadValue {
        /// The value as typed (its last 40 characters when longer).
        value: String,
        /// The form expected, such as "a word of letters or digits".
        what: &'static str,
    },
    /// A regular expression that does not compile or exceeds the size limits.
    #[error("bad regular expression: {reason}")]
    BadRegex {
        /// The regex engine's explanation, one line.
        reason: String,
    },
    /// Parentheses or `not`s nested past the limit, or too many regular expressions.
    #[error("query is too complex: {reason}")]
    TooComplex {
        /// Which limit was exceeded.
        reason: &'static str,
    },
}

impl QueryError {
    /// An error at `line`:`column` (1-based, counted in characters) of a query typed on its own.
    pub fn new(line: usize, column: usize, kind: QueryErrorKind) -> QueryError {
        QueryError {
            origin: "query".into(),
            line,
            column,
            kind,
        }
    }

    /// The same error placed inside a file: `origin` names the file, and the query's first character
    /// sits at `line`:`column` there (columns shift on the query's first line only). Positions count
    /// characters of the query's text as parsed, so the caller maps escapes in quoted TOML strings itself.
    pub fn in_file(self, origin: &str, line: usize, column: usize) -> QueryError {
        let (new_line, new_column) = if self.line == 1 {
            (line, column + self.column - 1)
        } else {
            (line + self.line - 1, self.column)
        };
        QueryError {
            origin: origin.into(),
            line: new_line,
            column: new_column,
            kind: self.kind,
        }
    }

    /// 1-based line of the mistake.
    pub fn line(&self) -> usize {
        self.line
    }

    /// 1-based column (in characters) of the mistake.
    pub fn column(&self) -> usize {
        self.column
    }

    /// What is wrong.
    pub fn kind(&self) -> &QueryErrorKind {
        &self.kind
    }

    /// The message without the `origin:line:column: ` prefix (for a TUI prompt that marks the column).
    pub fn message(&self) -> String {
        self.kind.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(line: usize, column: usize) -> QueryError {
        QueryError::new(
            line,
            column,
            QueryErrorKind::UnknownField { name: "x".into() },
        )
    }

    #[test]
    fn display_names_origin_line_and_column() {
        assert!(err(1, 16)
            .to_string()
            .starts_with("query:1:16: unknown field 'x'"));
    }

    #[test]
    fn in_file_shifts_the_first_line_by_the_column() {
        let e = err(1, 5).in_file("feeds.toml", 12, 10);
        assert_eq!((e.line(), e.column()), (12, 14));
        assert!(e.to_string().starts_with("feeds.toml:12:14: "));
    }

    #[test]
    fn in_file_keeps_the_column_on_later_lines() {
        let e = err(3, 2).in_file("feeds.toml", 12, 10);
        assert_eq!((e.line(), e.column()), (14, 2));
    }
}
