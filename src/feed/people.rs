//! People fields before feed-rs: feed-rs splits an RSS `author`, `managingEditor`, `webMaster` or
//! `dc:creator` into name and email by slicing one byte past the address, which panics when the
//! character next to the address takes more than one byte (`jane@example.com\u{a0}(Jane)`). The whole
//! feed would fail for it (the panic is caught), so a space is put between such an address and its
//! neighbour. Found by the fuzzer; text elsewhere is never touched.

/// Local names of the elements feed-rs reads as "name and email".
const PERSON_ELEMENTS: [&str; 4] = ["author", "managingEditor", "webMaster", "creator"];

/// The document with a space between every address in a person element and a neighbouring character
/// that is not plain ASCII (or a reference that may decode to one); None when nothing needs it.
pub fn pad_addresses(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut inserts: Vec<usize> = Vec::new();
    for at in memchr::memchr_iter(b'@', bytes) {
        if !in_person_element(&text[..at]) {
            continue;
        }
        let is_local =
            |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-');
        let is_domain = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-');
        let mut start = at - bytes[..at].iter().rev().take_while(|b| is_local(b)).count();
        if text[..start].ends_with("mailto:") {
            start -= "mailto:".len();
        }
        let end = at + 1 + bytes[at + 1..].iter().take_while(|b| is_domain(b)).count();
        if start > 0 && needs_space(bytes[start - 1], b';') {
            inserts.push(start);
        }
        if bytes.get(end).is_some_and(|b| needs_space(*b, b'&')) {
            inserts.push(end);
        }
    }
    if inserts.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len() + inserts.len());
    let mut copied = 0;
    for at in inserts {
        out.push_str(&text[copied..at]);
        out.push(' ');
        copied = at;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// A neighbour byte that is part of a multi-byte character, or the edge of a character reference.
fn needs_space(byte: u8, reference_edge: u8) -> bool {
    byte >= 0x80 || byte == reference_edge
}

/// Whether the text before an `@` ends inside a person element (possibly inside its CDATA).
fn in_person_element(before: &str) -> bool {
    let mut head = before;
    loop {
        let Some(lt) = head.rfind('<') else {
            return false;
        };
        let tag = &head[lt + 1..];
        if tag.starts_with("![CDATA[") {
            head = &head[..lt];
            continue;
        }
        let name_end = tag
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(tag.len());
        let name = &tag[..name_end];
        let local = name.rsplit(':').next().unwrap_or(name);
        return PERSON_ELEMENTS.contains(&local) && tag[name_end..].contains('>');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_next_to_wide_characters_get_a_space() {
        let doc = "<author>a@example.com\u{a0}(A)</author><dc:creator>·mailto:b@x.org</dc:creator>\
                   <author><![CDATA[c@x.org\u{e9}]]></author><webMaster>d@x.org&#233;</webMaster>\
                   <description>e@x.org\u{e9} stays</description><author>f@x.org (F)</author>";
        assert_eq!(
            pad_addresses(doc).as_deref(),
            Some(
                "<author>a@example.com \u{a0}(A)</author><dc:creator>· mailto:b@x.org</dc:creator>\
                 <author><![CDATA[c@x.org \u{e9}]]></author><webMaster>d@x.org &#233;</webMaster>\
                 <description>e@x.org\u{e9} stays</description><author>f@x.org (F)</author>"
            )
        );
        assert_eq!(pad_addresses("<author>f@x.org (F)</author>"), None);
    }
}
