//! Old vocabularies rewritten into the ones feed-rs reads: RSS 0.90 and the Userland/Harvard RSS
//! namespaces become RSS 1.0's, Atom 0.3 and the pre-1.0 Atom namespaces become Atom 1.0 (with 0.3's
//! element names and its `mode="escaped"`/`mode="base64"` content). Only the root start tag is searched
//! for namespaces, so a modern feed pays one short scan.

use base64::Engine;
use std::borrow::Cow;

/// RSS 1.0's namespace: feed-rs's RSS vocabulary.
const RSS10_NS: &str = "http://purl.org/rss/1.0/";
/// Atom 1.0's namespace.
const ATOM10_NS: &str = "http://www.w3.org/2005/Atom";

/// Namespace URIs that name RSS in old or unofficial ways.
const RSS_ALIASES: [&str; 6] = [
    "http://my.netscape.com/rdf/simple/0.9/",
    "http://backend.userland.com/rss2",
    "http://backend.userland.com/rss",
    "http://blogs.law.harvard.edu/tech/rss",
    "http://purl.org/rss/1.0",
    "http://purl.org/rss/1.0/modules/rss091#",
];

/// Namespace URIs of Atom before RFC 4287 (0.3, the IETF drafts, and the Echo/Pie names before them).
fn is_old_atom_ns(uri: &str) -> bool {
    uri.starts_with("http://purl.org/atom/ns#")
        || matches!(
            uri,
            "http://purl.org/echo/"
                | "http://purl.org/pie/"
                | "http://example.com/newformat#"
                | "http://example.com/necho"
                | "uri/of/echo/namespace#"
                | "http://www.w3.org/2005/Atom/"
        )
}

/// What rewriting the root start tag found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Rewritten {
    /// The document used an Atom namespace older than 1.0: map 0.3's element names too.
    pub old_atom: bool,
}

/// Replace legacy namespace URIs declared on the root start tag `text[start..end]`.
pub fn rewrite_root_namespaces(text: &str, start: usize, end: usize) -> (Cow<'_, str>, Rewritten) {
    let tag = &text[start..end];
    if !tag.contains("xmlns") {
        return (Cow::Borrowed(text), Rewritten::default());
    }
    let mut new_tag = String::with_capacity(tag.len());
    let mut found = Rewritten::default();
    let mut changed = false;
    let mut rest = tag;
    while let Some(at) = rest.find("xmlns") {
        let Some((value_start, value_end)) = quoted_value(&rest[at..]) else {
            new_tag.push_str(&rest[..at + 5]);
            rest = &rest[at + 5..];
            continue;
        };
        let value = &rest[at + value_start..at + value_end];
        let replacement = if RSS_ALIASES.contains(&value) {
            Some(RSS10_NS)
        } else if is_old_atom_ns(value) {
            found.old_atom = true;
            Some(ATOM10_NS)
        } else {
            None
        };
        new_tag.push_str(&rest[..at + value_start]);
        match replacement {
            Some(uri) => {
                new_tag.push_str(uri);
                changed = true;
            }
            None => new_tag.push_str(value),
        }
        rest = &rest[at + value_end..];
    }
    new_tag.push_str(rest);
    if !changed {
        return (Cow::Borrowed(text), found);
    }
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..start]);
    out.push_str(&new_tag);
    out.push_str(&text[end..]);
    (Cow::Owned(out), found)
}

/// In `attr` (starting at an attribute name): the byte range of its quoted value.
fn quoted_value(attr: &str) -> Option<(usize, usize)> {
    let eq = attr.find('=')?;
    if attr[..eq].contains(['>', '<']) {
        return None;
    }
    let after = &attr[eq + 1..];
    let lead = after.len() - after.trim_start().len();
    let quote = after[lead..]
        .chars()
        .next()
        .filter(|q| *q == '"' || *q == '\'')?;
    let value_start = eq + 1 + lead + 1;
    let len = attr[value_start..].find(quote)?;
    Some((value_start, value_start + len))
}

/// Atom 0.3's element names → Atom 1.0's; `mode="escaped"` dropped (its text is the HTML);
/// `mode="base64"` content decoded in place.
pub fn atom03_to_atom10(text: &str) -> String {
    const PAIRS: [(&str, &str); 8] = [
        ("<issued", "<published"),
        ("</issued>", "</published>"),
        ("<modified", "<updated"),
        ("</modified>", "</updated>"),
        ("<tagline", "<subtitle"),
        ("</tagline>", "</subtitle>"),
        ("<copyright", "<rights"),
        ("</copyright>", "</rights>"),
    ];
    let mut out = decode_base64_modes(text);
    for (from, to) in PAIRS {
        if out.contains(from) {
            out = out.replace(from, to);
        }
    }
    for mode in [" mode=\"escaped\"", " mode='escaped'", " mode=\"xml\""] {
        if out.contains(mode) {
            out = out.replace(mode, "");
        }
    }
    out
}

/// Every element with `mode="base64"`: its text decoded (as UTF-8, lossily) and XML-escaped, the
/// attribute dropped. Binary that is not text is dropped with the element's text.
fn decode_base64_modes(text: &str) -> String {
    const MODE: &str = " mode=\"base64\"";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(MODE) {
        let after = &rest[at + MODE.len()..];
        let (Some(gt), Some(lt)) = (after.find('>'), after.find('<')) else {
            break;
        };
        if lt < gt || after[..gt].ends_with('/') {
            out.push_str(&rest[..at + MODE.len()]);
            rest = after;
            continue;
        }
        out.push_str(&rest[..at]);
        out.push_str(&after[..=gt]);
        let encoded = &after[gt + 1..lt];
        if let Some(decoded) = decode_base64_text(encoded) {
            out.push_str(&html_escape::encode_text(&decoded));
        }
        rest = &after[lt..];
    }
    out.push_str(rest);
    out
}

/// Base64 (whitespace ignored) that decodes to UTF-8 text; None for binary or bad base64.
pub fn decode_base64_text(encoded: &str) -> Option<String> {
    let compact: String = encoded.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .ok()?;
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_namespaces_rewritten_on_the_root_only() {
        let doc = "<rdf:RDF xmlns=\"http://my.netscape.com/rdf/simple/0.9/\" xmlns:x=\"urn:x\"><a xmlns=\"http://purl.org/echo/\"/>";
        let (out, found) = rewrite_root_namespaces(doc, 0, 76);
        assert_eq!(
            out,
            "<rdf:RDF xmlns=\"http://purl.org/rss/1.0/\" xmlns:x=\"urn:x\"><a xmlns=\"http://purl.org/echo/\"/>"
        );
        assert!(!found.old_atom);
        let atom = "<feed xmlns='http://purl.org/atom/ns#draft-ietf-atompub-format-08'>";
        let (out, found) = rewrite_root_namespaces(atom, 0, atom.len() - 1);
        assert_eq!(out, "<feed xmlns='http://www.w3.org/2005/Atom'>");
        assert!(found.old_atom);
        let modern = "<feed xmlns=\"http://www.w3.org/2005/Atom\">";
        assert!(matches!(
            rewrite_root_namespaces(modern, 0, modern.len() - 1).0,
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn atom03_vocabulary_and_base64() {
        let doc = "<entry><issued>2004</issued><content type=\"text/html\" mode=\"base64\">PGI+aGk8L2I+</content>\
                   <summary mode=\"escaped\">x</summary><content mode=\"base64\">//79</content></entry>";
        assert_eq!(
            atom03_to_atom10(doc),
            "<entry><published>2004</published><content type=\"text/html\">&lt;b&gt;hi&lt;/b&gt;</content>\
             <summary>x</summary><content></content></entry>"
        );
    }
}
