//! The `[keys]` and `[theme]` tables, kept as entries with their position: what the names and values
//! mean is decided by the keymap (`app::keys`) and the theme (`ui::theme`), which report a bad entry at
//! the line and column kept here.

use super::values::Problem;
use std::collections::BTreeMap;
use toml::{Spanned, Value};

/// One `name = "value"` or `name = ["value", …]` entry of `[keys]` or `[theme]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableEntry {
    /// The key on the left (`quit`, `accent`).
    pub name: String,
    /// The value, or the values of an array, in order.
    pub values: Vec<String>,
    /// Where the value starts in the file (1-based line and column).
    pub line: usize,
    /// Column of the value (1-based, in characters).
    pub col: usize,
}

/// A raw `[keys]` / `[theme]` table as serde reads it, each value with its span.
pub(super) type RawTable = BTreeMap<String, Spanned<Value>>;

/// Entries of `table` (named `section` in messages), in file order; values that are neither a string
/// nor an array of strings become problems.
pub(super) fn entries(
    section: &str,
    table: RawTable,
    text: &str,
    problems: &mut Vec<Problem>,
) -> Vec<TableEntry> {
    let mut out: Vec<(usize, TableEntry)> = Vec::new();
    for (name, value) in table {
        let offset = value.span().start;
        let values = match value.into_inner() {
            Value::String(s) => Some(vec![s]),
            Value::Array(items) => items
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Some(s),
                    _ => None,
                })
                .collect(),
            _ => None,
        };
        let Some(values) = values else {
            problems.push((
                offset,
                format!("{section}.{name}: expected a string or an array of strings"),
            ));
            continue;
        };
        let (line, col) = super::line_col(text, offset);
        out.push((
            offset,
            TableEntry {
                name,
                values,
                line,
                col,
            },
        ));
    }
    out.sort_by_key(|(offset, _)| *offset);
    out.into_iter().map(|(_, e)| e).collect()
}
