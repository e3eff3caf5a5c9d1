//! XML character data as text, for the small readers of our own (extras, CDF): predefined entities and
//! character references decoded, CDATA sections unwrapped, anything else kept as written (the repair
//! layer has already made every reference valid).

/// XML text → characters: predefined entities and character references decoded, CDATA sections
/// unwrapped; anything else is kept as written.
pub fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while !rest.is_empty() {
        if let Some(cdata) = rest.strip_prefix("<![CDATA[") {
            let end = cdata.find("]]>").unwrap_or(cdata.len());
            out.push_str(&cdata[..end]);
            rest = cdata.get(end + 3..).unwrap_or("");
            continue;
        }
        let next = rest.find("<![CDATA[").unwrap_or(rest.len());
        decode_references(&rest[..next], &mut out);
        rest = &rest[next..];
    }
    out
}

fn decode_references(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after.find(';').filter(|end| *end <= 12).and_then(|end| {
            let name = &after[..end];
            let c = match name {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => name.strip_prefix('#').and_then(|num| {
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => num.parse().ok(),
                    };
                    code.and_then(char::from_u32)
                }),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescapes_text_and_cdata() {
        assert_eq!(
            unescape("a &amp;lt; &#38; &#x26; &unknown; <![CDATA[<b>&amp;</b>]]>"),
            "a &lt; & & &unknown; <b>&amp;</b>"
        );
    }
}
