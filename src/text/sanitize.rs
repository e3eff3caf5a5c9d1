//! The one edge where outside text is cleaned before it enters the model or reaches a terminal.

/// Clean text that may hold newlines (article bodies, page text): escape sequences, C0 (but `\n`), C1,
/// DEL and bidi controls removed; tabs become spaces.
pub fn sanitize_text(input: &str) -> String {
    // STUB: replaced by the real implementation.
    input
        .chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect()
}

/// Clean a one-line field (title, author, error message): like [`sanitize_text`], and every run of
/// whitespace, newlines included, becomes one space; the result is trimmed.
pub fn sanitize_line(input: &str) -> String {
    sanitize_text(input)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
