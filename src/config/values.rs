//! Checks of single TOML values, each failing with `key: expected …, found …` at the value's offset.

use std::ops::RangeInclusive;

use toml::{Spanned, Value};

use crate::text::sanitize_line;

/// A problem at a byte offset of the file; the earliest one becomes the error.
pub(super) type Problem = (usize, String);

/// Longest text echoed back in a message; the rest is elided so errors stay one readable line.
const MAX_SHOWN: usize = 120;

/// `key: expected …, found …` at `value`, showing the value found.
pub(super) fn expected(key: &str, what: &str, value: &Spanned<Value>) -> Problem {
    (
        value.span().start,
        format!(
            "{key}: expected {what}, found {}",
            describe(value.get_ref())
        ),
    )
}

/// Like [`expected`] but names only the kind of value found, never the value (header values are secrets).
pub(super) fn expected_hidden(key: &str, what: &str, value: &Spanned<Value>) -> Problem {
    (
        value.span().start,
        format!("{key}: expected {what}, found {}", kind(value.get_ref())),
    )
}

/// A whole number in `range`; `unit` says what it counts ("seconds").
pub(super) fn whole_number(
    key: &str,
    unit: &str,
    value: &Spanned<Value>,
    range: &RangeInclusive<u64>,
) -> Result<u64, Problem> {
    let Some(n) = value.get_ref().as_integer() else {
        return Err(expected(key, &format!("a whole number of {unit}"), value));
    };
    match u64::try_from(n) {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err((
            value.span().start,
            format!(
                "{key}: expected {} to {} {unit}, found {n}",
                range.start(),
                range.end()
            ),
        )),
    }
}

/// A quoted string.
pub(super) fn string_of<'v>(key: &str, value: &'v Spanned<Value>) -> Result<&'v str, Problem> {
    value
        .get_ref()
        .as_str()
        .ok_or_else(|| expected(key, "a string in quotes", value))
}

/// `true` or `false`.
pub(super) fn bool_of(key: &str, value: &Spanned<Value>) -> Result<bool, Problem> {
    value
        .get_ref()
        .as_bool()
        .ok_or_else(|| expected(key, "true or false", value))
}

/// "an integer (42)" and the like, for type errors.
pub(super) fn describe(value: &Value) -> String {
    match value {
        Value::String(s) => format!("a string (\"{}\")", shown(s)),
        Value::Integer(n) => format!("an integer ({n})"),
        Value::Float(f) => format!("a float ({f})"),
        Value::Boolean(b) => format!("a boolean ({b})"),
        Value::Datetime(d) => format!("a date ({d})"),
        Value::Array(_) | Value::Table(_) => kind(value).to_string(),
    }
}

/// "a string", "an integer": the kind of a value without the value.
pub(super) fn kind(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "a string",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a float",
        Value::Boolean(_) => "a boolean",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "an array",
        Value::Table(_) => "a table",
    }
}

/// Text quoted in a message: one clean line, elided past [`MAX_SHOWN`] characters.
pub(super) fn shown(text: &str) -> String {
    let clean = sanitize_line(text);
    if clean.chars().count() > MAX_SHOWN {
        let cut: String = clean.chars().take(MAX_SHOWN).collect();
        format!("{cut}…")
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spanned(text: &str) -> Spanned<Value> {
        #[derive(serde::Deserialize)]
        struct One {
            v: Spanned<Value>,
        }
        toml::from_str::<One>(&format!("v = {text}"))
            .expect("test value")
            .v
    }

    #[test]
    fn numbers_name_the_key_the_unit_and_what_was_found() {
        let range = 1..=600;
        let err = whole_number("timeout_seconds", "seconds", &spanned("2.5"), &range);
        assert_eq!(
            err,
            Err((
                4,
                "timeout_seconds: expected a whole number of seconds, found a float (2.5)".into()
            ))
        );
        let err = whole_number("timeout_seconds", "seconds", &spanned("0"), &range);
        assert_eq!(
            err.map_err(|p| p.1),
            Err("timeout_seconds: expected 1 to 600 seconds, found 0".into())
        );
        assert_eq!(
            whole_number("timeout_seconds", "seconds", &spanned("30"), &range),
            Ok(30)
        );
    }

    #[test]
    fn hidden_values_are_never_echoed() {
        let (_, message) = expected_hidden("headers", "a table", &spanned("\"Bearer s3cret\""));
        assert_eq!(message, "headers: expected a table, found a string");
    }
}
