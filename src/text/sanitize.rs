//! The one edge where outside text is cleaned before it enters the model or reaches a terminal.
//!
//! Whole escape sequences are removed (CSI, OSC, DCS/SOS/PM/APC, their 8-bit C1 forms and the short
//! two-character `ESC x` forms), so no residue such as `[2J` or `]52;` is left behind. Everything is one
//! pass over the chars, no regex, no backtracking: a 50 MB string costs tens of milliseconds.

use super::plain_scan::{chunk_is_plain, CHUNK};

/// Spaces a tab becomes.
const TAB: &str = "    ";

/// What to do with whitespace controls while stripping sequences.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Keep `\n`, CR/CRLF/U+2028/U+2029 → `\n`, tab → spaces.
    Text,
    /// For URLs: tabs, newlines and CRs are dropped (as the WHATWG URL parser does).
    Url,
}

/// `s` cut to at most `max` bytes at a char boundary: the one size cap for text before costly work.
pub fn cut_bytes(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Clean text that may hold newlines (article bodies, page text): escape sequences, C0 (but `\n`), C1,
/// DEL and bidi controls removed; tabs become spaces.
///
/// CRLF and a lone CR become `\n` (a CR can never overwrite earlier text); U+2028/U+2029 become `\n`;
/// U+FEFF (BOM / zero-width no-break space) is dropped. Printable text (CJK, emoji, combining marks) is kept.
pub fn sanitize_text(input: &str) -> String {
    strip(input, Mode::Text).into_owned()
}

/// Owned version of [`sanitize_text`] that keeps the allocation when nothing needs cleaning (article
/// bodies are most of a feed's bytes: no second copy of them).
pub fn sanitize_text_owned(input: String) -> String {
    let cleaned = match strip(&input, Mode::Text) {
        std::borrow::Cow::Borrowed(_) => None,
        std::borrow::Cow::Owned(cleaned) => Some(cleaned),
    };
    cleaned.unwrap_or(input)
}

/// Clean a one-line field (title, author, error message): like [`sanitize_text`], and every run of
/// whitespace, newlines included, becomes one space; the result is trimmed.
pub fn sanitize_line(input: &str) -> String {
    if is_clean_line(input) {
        return input.to_string();
    }
    let cleaned = strip(input, Mode::Text);
    let mut out = String::with_capacity(cleaned.len());
    for word in cleaned.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// True when `sanitize_line` would return `s` unchanged, judged cheaply: printable ASCII, no leading,
/// trailing or doubled spaces. (Anything else takes the full path.)
pub fn is_clean_line(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.iter().all(|b| (0x20..0x7f).contains(b))
        && bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ')
        && !bytes.windows(2).any(|w| w == b"  ")
}

/// Owned version of [`sanitize_line`] that keeps the allocation when nothing needs cleaning.
pub fn sanitize_line_owned(input: String) -> String {
    if is_clean_line(&input) {
        input
    } else {
        sanitize_line(&input)
    }
}

/// Cut `s` to at most `max` chars (at a char boundary) and append '…' when anything was cut.
/// Parsers use it to cap field lengths (a 50 MB title must not reach the model).
pub fn cap_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((cut, _)) => {
            let mut out = String::with_capacity(cut + 3);
            out.push_str(&s[..cut]);
            out.push('…');
            out
        }
    }
}

/// A link safe to show and to hand to an opener: escape sequences, controls and embedded tabs/newlines
/// removed, surrounding whitespace trimmed; `Some` only for absolute http(s) URLs (scheme matched
/// case-insensitively), normalised by the `url` crate (so inner spaces are percent-encoded).
/// The result never starts with '-' (it always starts with `http`).
pub fn sanitize_url(s: &str) -> Option<String> {
    let cleaned = strip(s, Mode::Url);
    let trimmed = cleaned.trim();
    if trimmed.starts_with('-') {
        return None;
    }
    let (scheme, _) = trimmed.split_once(':')?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let url = url::Url::parse(trimmed).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return None;
    }
    Some(url.to_string())
}

/// True for the bidi embedding/override/isolate controls and the invisible direction marks.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// True if `c` needs any handling at all (lets clean input take the fast path).
fn is_special(c: char) -> bool {
    (c as u32) < 0x20
        || ('\u{7F}'..='\u{9F}').contains(&c)
        || is_bidi_control(c)
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// True for bytes that may start a char [`is_special`] accepts (ASCII controls, and the UTF-8 lead bytes
/// of C1, U+061C, U+200E–U+206F and U+FEFF–U+FFFF); all other bytes are copied in bulk.
fn maybe_special(b: u8) -> bool {
    b < 0x20 || matches!(b, 0x7F | 0xC2 | 0xD8 | 0xE2 | 0xEF)
}

/// The first char of `s`, if any.
fn peek(s: &str) -> Option<char> {
    s.chars().next()
}

/// `s` without its first char.
fn bump(s: &str) -> &str {
    let mut it = s.chars();
    it.next();
    it.as_str()
}

/// The single pass: remove sequences and controls according to `mode`. Runs of ordinary text are
/// copied as slices; only candidate bytes are decoded.
fn strip(input: &str, mode: Mode) -> std::borrow::Cow<'_, str> {
    let bytes = input.as_bytes();
    let mut out = String::new();
    let (mut i, mut run_start) = (0, 0);
    while i < bytes.len() {
        // Whole clean chunks first; then the next chunk byte by byte (never re-checked, so text
        // dense with candidate bytes costs no more than a plain byte loop).
        while bytes
            .get(i..i + CHUNK)
            .and_then(|chunk| <&[u8; CHUNK]>::try_from(chunk).ok())
            .is_some_and(|chunk| chunk_is_plain(chunk, mode))
        {
            i += CHUNK;
        }
        let stop = (i + CHUNK).min(bytes.len());
        while i < stop {
            if !maybe_special(bytes[i]) {
                i += 1;
                continue;
            }
            // `i` is a char boundary: every byte `maybe_special` accepts is ASCII or a UTF-8 lead byte.
            let Some(c) = peek(&input[i..]) else {
                i = bytes.len();
                break;
            };
            // A newline stays a newline in text: no need to start copying for it.
            if !is_special(c) || (c == '\n' && mode == Mode::Text) {
                i += c.len_utf8();
                continue;
            }
            if out.capacity() == 0 {
                out.reserve(input.len());
            }
            out.push_str(&input[run_start..i]);
            let rest = handle(c, &input[i + c.len_utf8()..], mode, &mut out);
            i = input.len() - rest.len();
            run_start = i;
        }
    }
    if run_start == 0 {
        return std::borrow::Cow::Borrowed(input);
    }
    out.push_str(&input[run_start..]);
    std::borrow::Cow::Owned(out)
}

/// Deal with one special char `c`; returns the input left after it (and any sequence it starts).
fn handle<'a>(c: char, rest: &'a str, mode: Mode, out: &mut String) -> &'a str {
    match c {
        '\u{1B}' => skip_escape(rest),
        '\u{9B}' => skip_csi(rest),
        '\u{9D}' | '\u{90}' | '\u{98}' | '\u{9E}' | '\u{9F}' => skip_string(rest),
        '\n' | '\u{2028}' | '\u{2029}' if mode == Mode::Text => {
            out.push('\n');
            rest
        }
        '\r' if mode == Mode::Text => {
            // CRLF → LF, a lone CR → LF too: it must never move the cursor back over text.
            out.push('\n');
            rest.strip_prefix('\n').unwrap_or(rest)
        }
        '\t' if mode == Mode::Text => {
            out.push_str(TAB);
            rest
        }
        // Everything else special (other C0, DEL, C1, bidi, BOM, URL-mode whitespace) is dropped.
        _ => rest,
    }
}

/// After ESC: skip the rest of the sequence it starts (if any).
fn skip_escape(rest: &str) -> &str {
    let Some(next) = peek(rest) else { return rest };
    match next {
        '[' => skip_csi(bump(rest)),
        ']' | 'P' | 'X' | '^' | '_' => skip_string(bump(rest)),
        // SS2/SS3 select one character from another set: drop that character too.
        'N' | 'O' => {
            let rest = bump(rest);
            match peek(rest) {
                Some(c) if (' '..='~').contains(&c) => bump(rest),
                _ => rest,
            }
        }
        // nF: intermediates (e.g. `ESC ( B`, `ESC # 8`) then one final byte.
        ' '..='/' => {
            let rest = rest.trim_start_matches(|c: char| (' '..='/').contains(&c));
            match peek(rest) {
                Some(c) if ('0'..='~').contains(&c) => bump(rest),
                _ => rest,
            }
        }
        // Fp/Fe/Fs two-character forms: `ESC 7`, `ESC c` (RIS), `ESC =` …
        '0'..='~' => bump(rest),
        // ESC followed by anything else: only the ESC goes.
        _ => rest,
    }
}

/// CSI body: parameter and intermediate bytes (0x20–0x3F) then one final byte (0x40–0x7E).
/// A char outside those ranges ends the sequence and is processed as ordinary text.
fn skip_csi(rest: &str) -> &str {
    let rest = rest.trim_start_matches(|c: char| (' '..='?').contains(&c));
    match peek(rest) {
        Some(c) if ('@'..='~').contains(&c) => bump(rest),
        _ => rest,
    }
}

/// OSC/DCS/SOS/PM/APC body: up to BEL, ST (`ESC \` or U+009C). An unterminated string ends at a newline
/// (kept) or at the end of input; an ESC that is not `ESC \` ends it and starts a new sequence.
fn skip_string(rest: &str) -> &str {
    let Some(pos) = rest.find(['\u{7}', '\u{9C}', '\n', '\r', '\u{1B}']) else {
        return "";
    };
    let (c, after) = match peek(&rest[pos..]) {
        Some(c) => (c, &rest[pos + c.len_utf8()..]),
        None => return "",
    };
    match c {
        '\n' | '\r' => &rest[pos..],
        '\u{1B}' => after
            .strip_prefix('\\')
            .unwrap_or_else(|| skip_escape(after)),
        _ => after,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_skip_stops_at_every_special_byte() {
        // A special char at every offset after a long ASCII run, so each lands in every word lane.
        for special in [
            "\u{1b}[2J",
            "\t",
            "\r",
            "\u{7f}",
            "\u{9b}1m",
            "\u{202e}",
            "é",
            "\u{feff}",
        ] {
            for offset in 0..70 {
                let input = format!("{}{special}{}", "a".repeat(offset), "b".repeat(20));
                let naive: String = input
                    .chars()
                    .filter(|c| !is_special(*c))
                    .collect::<String>();
                let got = sanitize_text(&input);
                assert!(
                    !got.contains(|c: char| c != '\n' && is_special(c)),
                    "{input:?}"
                );
                if special == "é" {
                    assert_eq!(got, naive);
                }
                assert!(got.starts_with(&"a".repeat(offset)) && got.ends_with(&"b".repeat(20)));
            }
        }
    }

    fn has_control(s: &str) -> bool {
        s.chars()
            .any(|c| (c.is_control() && c != '\n') || is_bidi_control(c))
    }

    #[test]
    fn csi_sequences_removed_whole() {
        let s = "a\u{1b}[2Jb\u{1b}[1;31mred\u{1b}[0m\u{1b}[?25l\u{1b}[?1049lc\u{1b}cd";
        assert_eq!(sanitize_text(s), "abredcd");
    }

    #[test]
    fn osc_sequences_removed_whole() {
        let s = "x\u{1b}]52;c;Y3VybCB4fHNo\u{7}y\u{1b}]0;evil title\u{1b}\\z\u{9d}2;t\u{9c}w";
        let out = sanitize_text(s);
        assert_eq!(out, "xyzw");
        assert!(!out.contains("52;") && !out.contains("]0;"));
    }

    #[test]
    fn osc8_hyperlink_keeps_visible_text() {
        let s = "\u{1b}]8;;https://evil.example/\u{1b}\\https://good.example/\u{1b}]8;;\u{1b}\\";
        assert_eq!(sanitize_text(s), "https://good.example/");
    }

    #[test]
    fn unterminated_osc_stops_at_newline() {
        assert_eq!(sanitize_text("a\u{1b}]0;title\nnext"), "a\nnext");
        assert_eq!(sanitize_text("a\u{1b}]52;c;abc"), "a");
        assert_eq!(sanitize_text("a\u{1b}"), "a");
        assert_eq!(sanitize_text("a\u{1b}["), "a");
    }

    #[test]
    fn c1_forms_and_dcs_removed() {
        let s = "a\u{9b}31mb\u{90}qpayload\u{9c}c\u{1b}Pdcs\u{1b}\\d\u{1b}_apc\u{7}e\u{85}f";
        assert_eq!(sanitize_text(s), "abcdef");
    }

    #[test]
    fn c0_del_bidi_bom_removed_tabs_and_cr() {
        let s =
            "\u{feff}a\u{7}b\u{8}c\u{7f}d\u{202e}txt\u{2066}e\u{200f}\r\nf\rg\th\u{2028}i\u{0}j";
        assert_eq!(sanitize_text(s), "abcdtxte\nf\ng    h\nij");
    }

    #[test]
    fn printable_unicode_survives() {
        let s = "日本語 👨‍👩‍👧 é (e\u{301}) \u{a0}NBSP 🇩🇪 مرحبا";
        assert_eq!(sanitize_text(s), s);
    }

    #[test]
    fn sanitize_line_collapses_whitespace() {
        assert_eq!(sanitize_line("  a\n\n b\t\tc \u{1b}[2J d  "), "a b c d");
        assert!(!sanitize_line("x\ny\u{2029}z").contains('\n'));
    }

    #[test]
    fn no_controls_after_sanitize_of_hostile_mix() {
        let s: String = (0u32..0x300).filter_map(char::from_u32).collect();
        assert!(!has_control(&sanitize_text(&s)));
    }

    #[test]
    fn cap_chars_cuts_at_char_boundary() {
        assert_eq!(cap_chars("héllo", 10), "héllo");
        assert_eq!(cap_chars("héllo", 2), "hé…");
        assert_eq!(cap_chars("日本語", 1), "日…");
        assert_eq!(cap_chars("abc", 0), "…");
    }

    #[test]
    fn sanitize_url_accepts_only_http() {
        assert_eq!(
            sanitize_url(" https://a.example/x y ").as_deref(),
            Some("https://a.example/x%20y")
        );
        assert_eq!(
            sanitize_url("HTTP://A.example").as_deref(),
            Some("http://a.example/")
        );
        assert_eq!(
            sanitize_url("https://a.ex\u{1b}[31mample/\u{7}").as_deref(),
            Some("https://a.example/")
        );
        assert_eq!(
            sanitize_url("ht\ttp://a.example/").as_deref(),
            Some("http://a.example/")
        );
        for bad in [
            "javascript:alert(1)",
            "JaVa\tScRiPt:alert(1)",
            "file:///etc/passwd",
            "data:text/html,x",
            "vbscript:x",
            "ssh://-oProxyCommand=x",
            "--new-window=https://a.example",
            "-https://a.example",
            "http://",
            "relative/path",
            "",
        ] {
            assert_eq!(sanitize_url(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn megabytes_come_out_clean() {
        // Its cost is checked as linear in tests/text_props.rs (time for 4n over time for n).
        let chunk = "title \u{1b}[2J text\u{7} more 日本 ";
        let n = 5_000_000 / chunk.len();
        let big = chunk.repeat(n);
        let out = sanitize_text(&big);
        let line = sanitize_line(&big);
        assert_eq!(out, "title  text more 日本 ".repeat(n));
        assert!(!line.contains('\u{1b}') && !line.contains('\n'));
    }
}
