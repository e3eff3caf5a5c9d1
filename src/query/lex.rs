//! Query text → tokens with positions. A field and its value are one token (`title:"a b"`,
//! `age < 7d`), so a value may hold colons (`feed:https://…`) without the parser seeing them.

use super::ast::Cmp;
use super::error::{QueryError, QueryErrorKind};

/// A place in the query: byte offset (for quoting the text before it) and 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub offset: usize,
    pub line: usize,
    pub column: usize,
}

/// How a field is joined to its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `:`
    Colon,
    /// `~`
    Tilde,
    /// `<`, `<=`, `>`, `>=`, `=` (spaces allowed around it).
    Cmp(Cmp),
}

/// A field's value with where it starts (errors about the value point there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    pub text: String,
    pub quoted: bool,
    pub pos: Pos,
}

/// One token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// `(`
    Open,
    /// `)`
    Close,
    /// A leading `-`: negation.
    Minus,
    /// An unquoted word (a keyword, a flag or a bare search word).
    Word(String),
    /// A double-quoted phrase, unescaped.
    Quoted(String),
    /// `name` `op` `value`.
    Field { name: String, op: Op, value: Value },
}

/// A token and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    pub pos: Pos,
}

/// Split `text` into tokens; the last position returned is the end of the text (after trailing spaces
/// are dropped), where "expected …" errors for a missing token point.
pub fn tokenize(text: &str) -> Result<(Vec<Token>, Pos), QueryError> {
    let mut lexer = Lexer {
        text,
        pos: Pos {
            offset: 0,
            line: 1,
            column: 1,
        },
    };
    let mut tokens = Vec::new();
    let mut end = lexer.pos;
    loop {
        lexer.skip_space();
        let Some(c) = lexer.peek() else {
            return Ok((tokens, end));
        };
        let start = lexer.pos;
        let tok = match c {
            '(' => {
                lexer.bump();
                Tok::Open
            }
            ')' => {
                lexer.bump();
                Tok::Close
            }
            '-' => {
                lexer.bump();
                Tok::Minus
            }
            '"' => Tok::Quoted(lexer.quoted()?),
            _ => lexer.word_or_field()?,
        };
        end = lexer.pos;
        tokens.push(Token { tok, pos: start });
    }
}

struct Lexer<'a> {
    text: &'a str,
    pos: Pos,
}

impl Lexer<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos.offset..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos.offset += c.len_utf8();
        if c == '\n' {
            self.pos.line += 1;
            self.pos.column = 1;
        } else {
            self.pos.column += 1;
        }
        Some(c)
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    fn error(&self, pos: Pos, kind: QueryErrorKind) -> QueryError {
        QueryError::new(pos.line, pos.column, kind)
    }

    /// A `"…"` string: `\"` is a quote and `\\` a backslash; any other backslash stays as written
    /// (so regexes such as `"\bword\b"` need no doubling).
    fn quoted(&mut self) -> Result<String, QueryError> {
        self.bump();
        let mut out = String::new();
        loop {
            match self.bump() {
                None => {
                    let after = self.text.trim_end().to_string();
                    return Err(self.error(self.pos, QueryErrorKind::Unterminated { after }));
                }
                Some('"') => return Ok(out),
                Some('\\') => match self.peek() {
                    Some(c @ ('"' | '\\')) => {
                        self.bump();
                        out.push(c);
                    }
                    _ => out.push('\\'),
                },
                Some(c) => out.push(c),
            }
        }
    }

    /// Characters up to whitespace or a parenthesis.
    fn run(&mut self, stop_at_quote: bool) -> String {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if c.is_whitespace() || c == '(' || c == ')' || (stop_at_quote && c == '"') {
                break;
            }
            out.push(c);
            self.bump();
        }
        out
    }

    fn word_or_field(&mut self) -> Result<Tok, QueryError> {
        let ident_len = self
            .rest()
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(self.rest().len());
        if ident_len > 0 {
            let name = self.rest()[..ident_len].to_string();
            let after = &self.rest()[ident_len..];
            let op = match after.chars().next() {
                Some(':') => Some((Op::Colon, 1)),
                Some('~') => Some((Op::Tilde, 1)),
                _ => {
                    let spaces = after.len() - after.trim_start().len();
                    cmp_at(&after[spaces..]).map(|(cmp, len)| (Op::Cmp(cmp), spaces + len))
                }
            };
            if let Some((op, len)) = op {
                for _ in 0..ident_len {
                    self.bump();
                }
                let mut consumed = 0;
                while consumed < len {
                    consumed += self.bump().map_or(len, char::len_utf8);
                }
                if matches!(op, Op::Cmp(_)) {
                    self.skip_space();
                }
                let value = self.value()?;
                return Ok(Tok::Field { name, op, value });
            }
        }
        Ok(Tok::Word(self.run(true)))
    }

    fn value(&mut self) -> Result<Value, QueryError> {
        let pos = self.pos;
        let (text, quoted) = if self.peek() == Some('"') {
            (self.quoted()?, true)
        } else {
            (self.run(false), false)
        };
        Ok(Value { text, quoted, pos })
    }
}

/// The comparison operator at the start of `text`, with its length.
fn cmp_at(text: &str) -> Option<(Cmp, usize)> {
    [
        ("<=", Cmp::Le),
        (">=", Cmp::Ge),
        ("<", Cmp::Lt),
        (">", Cmp::Gt),
        ("=", Cmp::Eq),
    ]
    .into_iter()
    .find(|(symbol, _)| text.starts_with(symbol))
    .map(|(symbol, cmp)| (cmp, symbol.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<Tok> {
        tokenize(text)
            .unwrap()
            .0
            .into_iter()
            .map(|t| t.tok)
            .collect()
    }

    #[test]
    fn values_keep_colons_and_stop_at_parentheses() {
        let t = toks("(feed:https://a.example/x)");
        assert_eq!(t[0], Tok::Open);
        assert!(
            matches!(&t[1], Tok::Field { name, op: Op::Colon, value } if name == "feed" && value.text == "https://a.example/x")
        );
        assert_eq!(t[2], Tok::Close);
    }

    #[test]
    fn comparisons_take_spaces_on_either_side() {
        for text in [
            "words>=1000",
            "words >= 1000",
            "words>= 1000",
            "words >=1000",
        ] {
            let t = toks(text);
            assert!(
                matches!(&t[..], [Tok::Field { op: Op::Cmp(Cmp::Ge), value, .. }] if value.text == "1000"),
                "{text}: {t:?}"
            );
        }
    }

    #[test]
    fn quotes_unescape_only_quote_and_backslash() {
        assert_eq!(
            toks(r#""a \"b\" \\ \d""#),
            [Tok::Quoted(r#"a "b" \ \d"#.into())]
        );
    }

    #[test]
    fn minus_words_and_positions() {
        let (t, end) = tokenize("-x  ÿy\n z ").unwrap();
        assert_eq!(t[0].tok, Tok::Minus);
        assert_eq!(t[1].tok, Tok::Word("x".into()));
        assert_eq!((t[2].pos.line, t[2].pos.column), (1, 5));
        assert_eq!((t[3].pos.line, t[3].pos.column), (2, 2));
        assert_eq!((end.line, end.column), (2, 3));
    }

    #[test]
    fn an_unterminated_quote_points_at_the_end() {
        let err = tokenize("title:\"abc").unwrap_err();
        assert_eq!((err.line(), err.column()), (1, 11));
    }
}
