//! Safe, linear-time repairs applied to decoded feed text before feed-rs sees it: broken character
//! references, bare ampersands, `<rss>` without a version, unusable `xml:base`, Atom 0.3.

use url::Url;

/// Longest entity name kept as an entity reference; longer runs are treated as a bare `&`.
const MAX_ENTITY_NAME: usize = 64;
/// Longest numeric reference (digits) considered; longer ones become U+FFFD.
const MAX_CHARREF_DIGITS: usize = 10;

/// Apply every XML repair in order.
pub fn repair_xml(text: &str, base: &Url) -> String {
    let mut text = repair_ampersands(text);
    text = add_rss_version(text);
    if text.contains("xml:base") {
        text = drop_bad_xml_base(&text, base);
    }
    if is_atom03(&text) {
        text = atom03_to_atom10(&text);
    }
    if root_tag(&text).is_some_and(|(s, e)| text[s..e].starts_with("<feed")) {
        text = fix_atom_text_types(&text);
    }
    text
}

/// Atom text constructs accept only `text`/`html`/`xhtml` in feed-rs; Atom 0.3 and sloppy feeds use
/// MIME types (`text/plain`), which would fail the whole feed. Map them inside those start tags.
fn fix_atom_text_types(text: &str) -> String {
    const TAGS: [&str; 6] = [
        "<title",
        "<subtitle",
        "<summary",
        "<rights",
        "<tagline",
        "<copyright",
    ];
    if !text.contains("type=\"text/plain\"") && !text.contains("type=\"application/xhtml+xml\"") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    while let Some(off) = text[pos..].find('<') {
        let at = pos + off;
        let rest = &text[at..];
        let is_text_tag = TAGS.iter().any(|t| {
            rest.strip_prefix(t)
                .is_some_and(|tail| tail.starts_with(char::is_whitespace))
        });
        let end = if is_text_tag { rest.find('>') } else { None };
        match end {
            Some(end) => {
                out.push_str(&text[pos..at]);
                let tag = &rest[..end];
                out.push_str(
                    &tag.replace("type=\"text/plain\"", "type=\"text\"")
                        .replace("type=\"application/xhtml+xml\"", "type=\"xhtml\""),
                );
                pos = at + end;
            }
            None => {
                out.push_str(&text[pos..at + 1]);
                pos = at + 1;
            }
        }
    }
    out.push_str(&text[pos..]);
    out
}

/// Replace invalid numeric references with `&#xFFFD;` and escape `&` that starts no reference.
/// CDATA sections and comments are copied untouched.
pub fn repair_ampersands(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + text.len() / 64);
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => {
                let skip_to = if bytes[i..].starts_with(b"<![CDATA[") {
                    Some(find_from(text, i, "]]>").map_or(bytes.len(), |p| p + 3))
                } else if bytes[i..].starts_with(b"<!--") {
                    Some(find_from(text, i, "-->").map_or(bytes.len(), |p| p + 3))
                } else {
                    None
                };
                i = skip_to.unwrap_or(i + 1);
            }
            b'&' => {
                let (replacement, consumed) = classify_reference(&bytes[i + 1..]);
                if let Some(rep) = replacement {
                    out.push_str(&text[copied..i]);
                    out.push_str(rep);
                    copied = i + 1 + consumed;
                }
                i += 1 + consumed;
            }
            _ => i += 1,
        }
    }
    out.push_str(&text[copied..]);
    out
}

fn find_from(text: &str, from: usize, needle: &str) -> Option<usize> {
    text[from..].find(needle).map(|p| p + from)
}

/// For the bytes after an `&`: (replacement for `&` + consumed bytes, or None to keep them; consumed).
fn classify_reference(rest: &[u8]) -> (Option<&'static str>, usize) {
    if rest.first() == Some(&b'#') {
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
            return (Some("&amp;"), 0);
        }
        let valid = digits_len > 0
            && digits_len <= MAX_CHARREF_DIGITS
            && std::str::from_utf8(&rest[digits_start..end])
                .ok()
                .and_then(|d| u32::from_str_radix(d, if hex { 16 } else { 10 }).ok())
                .is_some_and(is_allowed_charref);
        if valid {
            (None, end + 1)
        } else {
            (Some("&#xFFFD;"), end + 1)
        }
    } else {
        let name_len = rest
            .iter()
            .take(MAX_ENTITY_NAME + 1)
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'))
            .count();
        let starts_ok = rest
            .first()
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_');
        if starts_ok && name_len <= MAX_ENTITY_NAME && rest.get(name_len) == Some(&b';') {
            let name = std::str::from_utf8(&rest[..name_len]).unwrap_or("");
            (html_entity(name), name_len + 1)
        } else {
            (Some("&amp;"), 0)
        }
    }
}

/// Common HTML entities that XML does not define (feeds use them anyway), as numeric references.
/// Everything else, DTD-declared entities included, is left for the parser, which never expands them.
fn html_entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "nbsp" => "&#160;",
        "copy" => "&#169;",
        "reg" => "&#174;",
        "trade" => "&#8482;",
        "hellip" => "&#8230;",
        "mdash" => "&#8212;",
        "ndash" => "&#8211;",
        "lsquo" => "&#8216;",
        "rsquo" => "&#8217;",
        "ldquo" => "&#8220;",
        "rdquo" => "&#8221;",
        "laquo" => "&#171;",
        "raquo" => "&#187;",
        "bull" => "&#8226;",
        "middot" => "&#183;",
        "euro" => "&#8364;",
        "pound" => "&#163;",
        "deg" => "&#176;",
        "times" => "&#215;",
        "eacute" => "&#233;",
        "egrave" => "&#232;",
        "aacute" => "&#225;",
        "agrave" => "&#224;",
        "auml" => "&#228;",
        "ouml" => "&#246;",
        "uuml" => "&#252;",
        "szlig" => "&#223;",
        "ccedil" => "&#231;",
        _ => return None,
    })
}

/// Code points a reference may name: a real char, not NUL, not a non-character U+FFFE/U+FFFF.
/// Other control characters are kept so the sanitiser can remove whole escape sequences.
fn is_allowed_charref(cp: u32) -> bool {
    cp != 0 && cp != 0xFFFE && cp != 0xFFFF && char::from_u32(cp).is_some()
}

/// Byte range of the root element's start tag (`<name …>`), skipping PIs, comments and DOCTYPE.
fn root_tag(text: &str) -> Option<(usize, usize)> {
    let mut pos = 0;
    loop {
        let start = pos + text[pos..].find('<')?;
        let rest = &text[start..];
        if rest.starts_with("<?") {
            pos = start + rest.find("?>")? + 2;
        } else if rest.starts_with("<!--") {
            pos = start + rest.find("-->")? + 3;
        } else if rest.starts_with("<!") {
            // DOCTYPE, possibly with an internal subset in brackets.
            let bracket = rest.find('[');
            let close = rest.find('>')?;
            pos = match bracket {
                Some(b) if b < close => start + rest.find("]>").or_else(|| rest.find(']'))? + 1,
                _ => start + close + 1,
            };
        } else {
            return Some((start, start + rest.find('>')?));
        }
    }
}

/// `<rss>` without a version (or with one feed-rs rejects) is read as RSS 2.0.
fn add_rss_version(text: String) -> String {
    let Some((start, end)) = root_tag(&text) else {
        return text;
    };
    let tag = &text[start..end];
    if !(tag.starts_with("<rss") && tag[4..].starts_with(|c: char| c.is_whitespace() || c == '/'))
        && tag != "<rss"
    {
        return text;
    }
    match crate::feed::decode::attribute_value(tag, "version") {
        Some(v) if matches!(v.trim(), "2.0" | "0.91" | "0.92" | "") => text,
        Some(_) => {
            let fixed = tag.replacen("version=", "data-version=", 1);
            format!(
                "{}{} version=\"2.0\"{}",
                &text[..start],
                fixed,
                &text[end..]
            )
        }
        None => format!(
            "{}<rss version=\"2.0\"{}",
            &text[..start],
            &text[start + 4..]
        ),
    }
}

/// Remove `xml:base` attributes that cannot be resolved or that name a non-http(s) scheme.
fn drop_bad_xml_base(text: &str, base: &Url) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find("xml:base") {
        let after = &rest[pos + 8..];
        let attr = parse_attr_value(after);
        let keep = match attr {
            Some((value, _)) => usable_base(value, base),
            None => true,
        };
        match attr {
            Some((_, len)) if !keep => {
                out.push_str(&rest[..pos]);
                rest = &after[len..];
            }
            _ => {
                out.push_str(&rest[..pos + 8]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `="value"` → (value, bytes consumed including quotes).
fn parse_attr_value(after_name: &str) -> Option<(&str, usize)> {
    let trimmed = after_name.trim_start();
    let lead = after_name.len() - trimmed.len();
    let after_eq = trimmed.strip_prefix('=')?;
    let value_part = after_eq.trim_start();
    let lead2 = after_eq.len() - value_part.len();
    let quote = value_part
        .chars()
        .next()
        .filter(|q| *q == '"' || *q == '\'')?;
    let end = value_part[1..].find(quote)?;
    Some((&value_part[1..1 + end], lead + 1 + lead2 + end + 2))
}

fn usable_base(value: &str, base: &Url) -> bool {
    let value = value.trim();
    match Url::parse(value) {
        Ok(url) => matches!(url.scheme(), "http" | "https"),
        Err(url::ParseError::RelativeUrlWithoutBase) => base.join(value).is_ok(),
        Err(_) => false,
    }
}

fn is_atom03(text: &str) -> bool {
    root_tag(text).is_some_and(|(s, e)| {
        let tag = &text[s..e];
        tag.starts_with("<feed") && tag.contains("http://purl.org/atom/ns#")
    })
}

/// Rewrite an Atom 0.3 document into the Atom 1.0 vocabulary feed-rs understands.
fn atom03_to_atom10(text: &str) -> String {
    const PAIRS: [(&str, &str); 9] = [
        ("http://purl.org/atom/ns#", "http://www.w3.org/2005/Atom"),
        ("<issued", "<published"),
        ("</issued>", "</published>"),
        ("<modified", "<updated"),
        ("</modified>", "</updated>"),
        ("<tagline", "<subtitle"),
        ("</tagline>", "</subtitle>"),
        ("<copyright", "<rights"),
        ("</copyright>", "</rights>"),
    ];
    let mut out = text.to_string();
    for (from, to) in PAIRS {
        if out.contains(from) {
            out = out.replace(from, to);
        }
    }
    out.replace(" mode=\"escaped\"", "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ampersands_and_charrefs() {
        let input =
            "<a>AT&T &amp; &#0; &#xD800; &#x110000; &#99999999999999999999; &#; &#27; &lol9; \
                     &#x41;&nbsp;</a><![CDATA[a & b &#0;]]><!-- & -->";
        let want = "<a>AT&amp;T &amp; &#xFFFD; &#xFFFD; &#xFFFD; &#xFFFD; &#xFFFD; &#27; &lol9; \
                    &#x41;&#160;</a><![CDATA[a & b &#0;]]><!-- & -->";
        assert_eq!(repair_ampersands(input), want);
    }

    #[test]
    fn atom_mime_text_types() {
        let input = r#"<feed><title type="text/plain" mode="escaped">T</title><content type="text/plain">c</content>"#;
        assert_eq!(
            fix_atom_text_types(input),
            r#"<feed><title type="text" mode="escaped">T</title><content type="text/plain">c</content>"#
        );
    }

    #[test]
    fn rss_version_added() {
        assert_eq!(
            add_rss_version("<rss><channel/></rss>".into()),
            "<rss version=\"2.0\"><channel/></rss>"
        );
        assert_eq!(
            add_rss_version("<!DOCTYPE rss [<!ENTITY a \"b\">]><rss version=\"0.94\">".into()),
            "<!DOCTYPE rss [<!ENTITY a \"b\">]><rss data-version=\"0.94\" version=\"2.0\">"
        );
        assert_eq!(
            add_rss_version("<rss version=\"2.0\">".into()),
            "<rss version=\"2.0\">"
        );
        assert_eq!(add_rss_version("<rssx>".into()), "<rssx>");
    }

    #[test]
    fn bad_xml_base_dropped() {
        let base = Url::parse("http://h/feed").expect("static URL");
        let input = r#"<feed xml:base="http://[bad"><entry xml:base="javascript:alert(1)"><e xml:base="/ok/"/>"#;
        assert_eq!(
            drop_bad_xml_base(input, &base),
            r#"<feed ><entry ><e xml:base="/ok/"/>"#
        );
    }
}
