//! Character and entity references, made safe for feed-rs in one pass: the DOCTYPE is removed (never
//! fetched, never fails a feed), its simple internal entities are expanded once (bounded), HTML5 named
//! entities become numeric references, and every other `&` that starts no valid reference is escaped.

use memchr::memmem;
use std::borrow::Cow;

/// Longest entity name kept as an entity reference; longer runs are treated as a bare `&`.
const MAX_ENTITY_NAME: usize = 64;
/// Longest numeric reference (digits) considered; longer ones become U+FFFD.
const MAX_CHARREF_DIGITS: usize = 10;
/// Most internal entities taken from a DOCTYPE.
const MAX_DECLARED: usize = 64;
/// Longest replacement text of a declared entity.
const MAX_DECLARED_VALUE: usize = 1024;
/// Most bytes all expansions of declared entities may add to a document.
const MAX_EXPANSION_BYTES: usize = 1 << 20;

/// Internal general entities of a DOCTYPE whose replacement text is plain (no markup, no entity
/// references other than character references): the only ones expanded, once each, never recursively.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Declared(Vec<(String, String)>);

impl Declared {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Byte range of a DOCTYPE declaration in the prolog (before the root element), if there is one.
pub fn find_doctype(text: &str) -> Option<(usize, usize)> {
    let mut pos = 0;
    loop {
        let start = pos + text[pos..].find('<')?;
        let rest = &text[start..];
        if rest.starts_with("<?") {
            pos = start + rest.find("?>")? + 2;
        } else if rest.starts_with("<!--") {
            pos = start + rest.find("-->")? + 3;
        } else if rest.starts_with("<!DOCTYPE") || rest.starts_with("<!doctype") {
            return Some((start, start + doctype_len(rest)));
        } else {
            return None;
        }
    }
}

/// Length of the DOCTYPE at the start of `rest`: up to its `>`, skipping an internal subset in
/// brackets and quoted strings. Unterminated: the whole rest.
fn doctype_len(rest: &str) -> usize {
    let mut quote = None;
    let mut in_subset = false;
    for (i, b) in rest.bytes().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'[') => in_subset = true,
            (None, b']') => in_subset = false,
            (None, b'>') if !in_subset => return i + 1,
            _ => {}
        }
    }
    rest.len()
}

/// The plain internal entities of a DOCTYPE (`<!ENTITY name "value">`); parameter and external
/// entities are ignored.
pub fn declared_entities(doctype: &str) -> Declared {
    let mut found = Vec::new();
    let mut rest = doctype;
    while let Some(at) = rest.find("<!ENTITY") {
        rest = &rest[at + 8..];
        let Some((name, value, consumed)) = entity_decl(rest) else {
            continue;
        };
        rest = &rest[consumed..];
        if found.len() < MAX_DECLARED && is_plain_value(value) {
            found.push((name.to_string(), value.to_string()));
        }
    }
    Declared(found)
}

/// `name "value"` after `<!ENTITY`: (name, value, bytes consumed); None for `%` and SYSTEM/PUBLIC.
fn entity_decl(rest: &str) -> Option<(&str, &str, usize)> {
    let trimmed = rest.trim_start();
    if trimmed.starts_with('%') {
        return None;
    }
    let name_len = trimmed
        .find(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == '>')
        .unwrap_or(trimmed.len());
    let name = &trimmed[..name_len];
    let after = trimmed[name_len..].trim_start();
    let quote = after.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let end = after[1..].find(quote)?;
    let value = &after[1..1 + end];
    let consumed = rest.len() - after.len() + end + 2;
    (!name.is_empty()).then_some((name, value, consumed))
}

/// A value we may expand: bounded, no markup, and `&` only in character references.
fn is_plain_value(value: &str) -> bool {
    value.len() <= MAX_DECLARED_VALUE
        && !value.contains('<')
        && value.match_indices('&').all(|(i, _)| {
            let rest = &value.as_bytes()[i + 1..];
            rest.first() == Some(&b'#')
                && matches!(classify_reference(rest, &Declared::default()), Fix::Keep(_))
        })
}

/// What to do with one `&…`.
enum Fix<'a> {
    /// A valid reference of this many bytes after the `&`: copied as is.
    Keep(usize),
    /// Replace `&` and the `usize` bytes after it with this text.
    Replace(Cow<'a, str>, usize),
}

/// Remove the DOCTYPE and repair every reference outside CDATA sections and comments. Borrows when
/// nothing needs changing (the common case), so a clean feed costs one memchr scan.
pub fn repair_references(text: &str) -> Cow<'_, str> {
    let (declared, doctype) = match find_doctype(text) {
        Some((s, e)) => (declared_entities(&text[s..e]), Some((s, e))),
        None => (Declared::default(), None),
    };
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    if let Some((s, e)) = doctype {
        out.get_or_insert_with(|| String::with_capacity(text.len()))
            .push_str(&text[..s]);
        copied = e;
    }
    let mut budget = MAX_EXPANSION_BYTES;
    let special = memmem::Finder::new(b"<!");
    let mut next_special = find_section(bytes, copied, &special);
    let mut pos = copied;
    while let Some(off) = memchr::memchr(b'&', &bytes[pos..]) {
        let at = pos + off;
        // Skip CDATA sections and comments that start before this `&`.
        if let Some((start, end)) = next_special.filter(|(start, _)| *start < at) {
            if at < end {
                pos = end;
                next_special = find_section(bytes, end, &special);
                continue;
            }
            next_special = find_section(bytes, end.max(start + 2), &special);
            continue;
        }
        let fix = classify_reference(&bytes[at + 1..], &declared);
        match fix {
            Fix::Keep(len) => pos = at + 1 + len,
            Fix::Replace(mut rep, len) => {
                if rep.len() > len + 1 {
                    let extra = rep.len() - len - 1;
                    if extra > budget {
                        rep = Cow::Borrowed("&amp;");
                        budget = 0;
                    } else {
                        budget -= extra;
                    }
                }
                let buf = out.get_or_insert_with(|| String::with_capacity(text.len() + 64));
                buf.push_str(&text[copied..at]);
                buf.push_str(&rep);
                let consumed = if rep == "&amp;" { 0 } else { len };
                copied = at + 1 + consumed;
                pos = copied;
            }
        }
    }
    match out {
        Some(mut buf) => {
            buf.push_str(&text[copied..]);
            Cow::Owned(buf)
        }
        None => Cow::Borrowed(text),
    }
}

/// The next CDATA section or comment at or after `from`: (start, end after its terminator).
fn find_section(bytes: &[u8], from: usize, finder: &memmem::Finder) -> Option<(usize, usize)> {
    let mut pos = from;
    loop {
        let start = pos + finder.find(&bytes[pos.min(bytes.len())..])?;
        let rest = &bytes[start..];
        let terminator: &[u8] = if rest.starts_with(b"<![CDATA[") {
            b"]]>"
        } else if rest.starts_with(b"<!--") {
            b"-->"
        } else {
            pos = start + 2;
            continue;
        };
        let end = memmem::find(&rest[4..], terminator)
            .map_or(bytes.len(), |e| start + 4 + e + terminator.len());
        return Some((start, end));
    }
}

/// Decide about the bytes after an `&`.
fn classify_reference<'a>(rest: &[u8], declared: &'a Declared) -> Fix<'a> {
    // The predefined entities are most of what escaped HTML holds: answer them at once.
    for known in [&b"lt;"[..], b"gt;", b"amp;", b"quot;", b"apos;"] {
        if rest.starts_with(known) {
            return Fix::Keep(known.len());
        }
    }
    if rest.first() == Some(&b'#') {
        return classify_charref(rest);
    }
    let name_len = rest
        .iter()
        .take(MAX_ENTITY_NAME + 1)
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'))
        .count();
    let starts_ok = rest
        .first()
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_');
    if !starts_ok || name_len > MAX_ENTITY_NAME || rest.get(name_len) != Some(&b';') {
        return Fix::Replace(Cow::Borrowed("&amp;"), 0);
    }
    let name = std::str::from_utf8(&rest[..name_len]).unwrap_or("");
    if matches!(name, "lt" | "gt" | "amp" | "quot" | "apos") {
        return Fix::Keep(name_len + 1);
    }
    if let Some(value) = declared.get(name) {
        return Fix::Replace(Cow::Borrowed(value), name_len + 1);
    }
    match html_entity(name) {
        Some(refs) => Fix::Replace(Cow::Owned(refs), name_len + 1),
        // Unknown (or external, or recursive): shown as written, never expanded.
        None => Fix::Replace(Cow::Borrowed("&amp;"), 0),
    }
}

/// `&#…;` / `&#x…;`: valid ones are kept, invalid ones become U+FFFD, unterminated ones a bare `&`.
fn classify_charref(rest: &[u8]) -> Fix<'static> {
    let hex = matches!(rest.get(1), Some(b'x' | b'X'));
    let digits_start = if hex { 2 } else { 1 };
    let digits_len = rest[digits_start..]
        .iter()
        .take_while(|b| {
            if hex {
                b.is_ascii_hexdigit()
            } else {
                b.is_ascii_digit()
            }
        })
        .count();
    let end = digits_start + digits_len;
    if rest.get(end) != Some(&b';') {
        return Fix::Replace(Cow::Borrowed("&amp;"), 0);
    }
    let valid = digits_len > 0
        && digits_len <= MAX_CHARREF_DIGITS
        && std::str::from_utf8(&rest[digits_start..end])
            .ok()
            .and_then(|d| u32::from_str_radix(d, if hex { 16 } else { 10 }).ok())
            .is_some_and(is_allowed_charref);
    if valid {
        Fix::Keep(end + 1)
    } else {
        Fix::Replace(Cow::Borrowed("&#xFFFD;"), end + 1)
    }
}

/// An HTML5 named entity (the whole table of the `html-escape` crate) as numeric references.
fn html_entity(name: &str) -> Option<String> {
    let table = html_escape::NAMED_ENTITIES;
    let index = table
        .binary_search_by(|(n, _)| n.cmp(&name.as_bytes()))
        .ok()?;
    Some(
        table[index]
            .1
            .chars()
            .map(|c| format!("&#{};", u32::from(c)))
            .collect(),
    )
}

/// Code points a reference may name: a real char, not NUL, not a non-character U+FFFE/U+FFFF.
/// Other control characters are kept so the sanitiser can remove whole escape sequences.
fn is_allowed_charref(cp: u32) -> bool {
    cp != 0 && cp != 0xFFFE && cp != 0xFFFF && char::from_u32(cp).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ampersands_and_charrefs() {
        let input =
            "<a>AT&T &amp; &#0; &#xD800; &#x110000; &#99999999999999999999; &#; &#27; &lol9; \
                     &#x41;&nbsp;&hearts;</a><![CDATA[a & b &#0;]]><!-- & -->&";
        let want =
            "<a>AT&amp;T &amp; &#xFFFD; &#xFFFD; &#xFFFD; &#xFFFD; &#xFFFD; &#27; &amp;lol9; \
                    &#x41;&#160;&#9829;</a><![CDATA[a & b &#0;]]><!-- & -->&amp;";
        assert_eq!(repair_references(input), want);
    }

    #[test]
    fn clean_text_is_borrowed() {
        let clean = "<rss><a>x &amp; y</a><![CDATA[&]]></rss>";
        assert!(matches!(repair_references(clean), Cow::Borrowed(_)));
    }

    #[test]
    fn doctype_removed_and_plain_entities_expanded_once() {
        let doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY a \"A&#38;\">\n\
                   <!ENTITY b \"&a;&a;\">\n<!ENTITY % p \"x\">\n<!ENTITY e SYSTEM \"file:///etc/passwd\">\n\
                   <!ENTITY gt2 \"x>y\">]>\n<rss>&a; &b; &e; &gt2;</rss>";
        assert_eq!(
            repair_references(doc),
            "<?xml version=\"1.0\"?>\n\n<rss>A&#38; &amp;b; &amp;e; x>y</rss>"
        );
        let public = "<!DOCTYPE rss PUBLIC \"-//N//DTD RSS 0.91//EN\" \"http://x/rss.dtd\"><rss/>";
        assert_eq!(repair_references(public), "<rss/>");
    }
}
