//! Safe, linear-time repairs applied to decoded feed text before feed-rs sees it: references and the
//! DOCTYPE (`entities`), legacy namespaces and Atom 0.3 (`legacy`), `<rss>` without a version, unusable
//! `xml:base`, Atom text types feed-rs rejects. Each step borrows when it has nothing to change.

use crate::feed::{entities, legacy};
use std::borrow::Cow;
use url::Url;

/// Apply every XML repair in order.
pub fn repair_xml<'a>(text: &'a str, base: &Url) -> Cow<'a, str> {
    let mut text = entities::repair_references(text);
    if let Some(fixed) = add_rss_version(&text) {
        text = Cow::Owned(fixed);
    }
    if memchr::memmem::find(text.as_bytes(), b"xml:base").is_some() {
        text = Cow::Owned(drop_bad_xml_base(&text, base));
    }
    let Some((start, end)) = root_tag(&text) else {
        return text;
    };
    let (rewritten, found) = legacy::rewrite_root_namespaces(&text, start, end);
    if let Cow::Owned(new) = rewritten {
        text = Cow::Owned(new);
    }
    if found.old_atom {
        text = Cow::Owned(legacy::atom03_to_atom10(&text));
    }
    if text[start..].starts_with("<feed") {
        if let Some(fixed) = fix_atom_text_types(&text) {
            text = Cow::Owned(fixed);
        }
    } else if let Some(fixed) = crate::feed::people::pad_addresses(&text) {
        text = Cow::Owned(fixed);
    }
    text
}

/// Atom text constructs accept only `text`/`html`/`xhtml` in feed-rs; Atom 0.3 and sloppy feeds use
/// MIME types (`text/plain`), which would fail the whole feed. Map them inside those start tags.
fn fix_atom_text_types(text: &str) -> Option<String> {
    const TAGS: [&str; 7] = [
        "<title",
        "<content",
        "<subtitle",
        "<summary",
        "<rights",
        "<tagline",
        "<copyright",
    ];
    // One scan: is there any `type="…"` value feed-rs would reject?
    let needs = memchr::memmem::find_iter(text.as_bytes(), b"type=\"").any(|at| {
        let value = &text[at + 6..];
        value.starts_with("text/plain\"")
            || value.starts_with("application/xhtml+xml\"")
            || value.starts_with('"')
    });
    if !needs {
        return None;
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
                        .replace("type=\"application/xhtml+xml\"", "type=\"xhtml\"")
                        .replace(" type=\"\"", ""),
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
    Some(out)
}

/// Byte range of the root element's start tag (`<name …>`), skipping PIs, comments and DOCTYPE.
pub(crate) fn root_tag(text: &str) -> Option<(usize, usize)> {
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

/// `<rss>` without a version (or with one feed-rs rejects) is read as RSS 2.0; None when it is fine.
fn add_rss_version(text: &str) -> Option<String> {
    let (start, end) = root_tag(text)?;
    let tag = &text[start..end];
    if !(tag.starts_with("<rss") && tag[4..].starts_with(|c: char| c.is_whitespace() || c == '/'))
        && tag != "<rss"
    {
        return None;
    }
    match crate::feed::decode::attribute_value(tag, "version") {
        Some(v) if matches!(v.trim(), "2.0" | "0.91" | "0.92" | "") => None,
        Some(_) => {
            let fixed = tag.replacen("version=", "data-version=", 1);
            Some(format!(
                "{}{} version=\"2.0\"{}",
                &text[..start],
                fixed,
                &text[end..]
            ))
        }
        None => Some(format!(
            "{}<rss version=\"2.0\"{}",
            &text[..start],
            &text[start + 4..]
        )),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atom_mime_text_types() {
        let input = r#"<feed><title type="text/plain" mode="escaped">T</title><content type="text/plain">c</content>"#;
        assert_eq!(
            fix_atom_text_types(input).as_deref(),
            Some(
                r#"<feed><title type="text" mode="escaped">T</title><content type="text">c</content>"#
            )
        );
        let empty = r#"<feed><title type="">T</title><summary type="">s</summary>"#;
        assert_eq!(
            fix_atom_text_types(empty).as_deref(),
            Some("<feed><title>T</title><summary>s</summary>")
        );
    }

    #[test]
    fn rss_version_added() {
        assert_eq!(
            add_rss_version("<rss><channel/></rss>").as_deref(),
            Some("<rss version=\"2.0\"><channel/></rss>")
        );
        assert_eq!(
            add_rss_version("<!DOCTYPE rss [<!ENTITY a \"b\">]><rss version=\"0.94\">").as_deref(),
            Some("<!DOCTYPE rss [<!ENTITY a \"b\">]><rss data-version=\"0.94\" version=\"2.0\">")
        );
        assert_eq!(add_rss_version("<rss version=\"2.0\">"), None);
        assert_eq!(add_rss_version("<rssx>"), None);
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
