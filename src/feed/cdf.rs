//! Channel Definition Format (Microsoft's 1997 push channels), which feed-rs does not read: a small
//! quick-xml reader turns a `<CHANNEL>` document into the RSS 2.0 it means (channel title, abstract,
//! link; every `<ITEM HREF LASTMOD>` with its `TITLE` and `ABSTRACT`), so the rest of the path is shared.

use crate::feed::dates::parse_date;
use html_escape::encode_text;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use url::Url;

/// Most items read from one CDF document.
const MAX_ITEMS: usize = 5_000;

#[derive(Default)]
struct CdfItem {
    href: Option<String>,
    lastmod: Option<String>,
    title: String,
    summary: String,
}

/// True when the root start tag (`<CHANNEL …`) makes this a CDF document.
pub fn is_cdf(root_tag: &str) -> bool {
    root_tag
        .get(..8)
        .is_some_and(|t| t.eq_ignore_ascii_case("<channel"))
        && root_tag[8..].starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/')
}

/// The RSS 2.0 equivalent of a CDF document; None when it cannot be read at all.
pub fn to_rss(text: &str, base: &Url) -> Option<String> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = false;
    reader.config_mut().allow_unmatched_ends = true;
    let mut channel = CdfItem::default();
    let mut items: Vec<CdfItem> = Vec::new();
    let mut base = base.clone();
    // The innermost open CHANNEL (false) or ITEM (true), to know whose TITLE this is.
    let mut in_item = false;
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(_) if channel.href.is_some() || !items.is_empty() => break,
            Err(_) => return None,
        };
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name().as_ref().to_ascii_uppercase();
                match name.as_str() {
                    "CHANNEL" => {
                        if let Some(b) = attr(&e, "BASE").and_then(|b| base.join(&b).ok()) {
                            base = b;
                        }
                        if channel.href.is_none() {
                            channel.href = attr(&e, "HREF");
                        }
                        in_item = false;
                    }
                    "ITEM" if items.len() < MAX_ITEMS => {
                        items.push(CdfItem {
                            href: attr(&e, "HREF")
                                .and_then(|h| base.join(&h).ok())
                                .map(String::from),
                            lastmod: attr(&e, "LASTMOD"),
                            ..CdfItem::default()
                        });
                        in_item = true;
                    }
                    "TITLE" | "ABSTRACT" => {
                        let end = e.name().as_ref().to_string();
                        let value = reader
                            .read_text(quick_xml::name::QName(&end))
                            .map(|t| crate::feed::extras::unescape(&t))
                            .unwrap_or_default();
                        let target = match items.last_mut() {
                            Some(item) if in_item => item,
                            _ => &mut channel,
                        };
                        let slot = if name == "TITLE" {
                            &mut target.title
                        } else {
                            &mut target.summary
                        };
                        if slot.is_empty() {
                            *slot = value.trim().to_string();
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) if e.name().as_ref().eq_ignore_ascii_case("ITEM") => in_item = false,
            Event::Eof => break,
            _ => {}
        }
    }
    Some(render_rss(&channel, &items))
}

fn render_rss(channel: &CdfItem, items: &[CdfItem]) -> String {
    let mut out = String::from("<rss version=\"2.0\"><channel>");
    element(&mut out, "title", &channel.title);
    element(&mut out, "link", channel.href.as_deref().unwrap_or(""));
    element(&mut out, "description", &channel.summary);
    for item in items {
        out.push_str("<item>");
        element(&mut out, "title", &item.title);
        element(&mut out, "link", item.href.as_deref().unwrap_or(""));
        element(&mut out, "description", &item.summary);
        if let Some(date) = item.lastmod.as_deref().and_then(parse_date) {
            element(&mut out, "pubDate", &date.to_rfc2822());
        }
        out.push_str("</item>");
    }
    out.push_str("</channel></rss>");
    out
}

fn element(out: &mut String, name: &str, value: &str) {
    if value.is_empty() {
        return;
    }
    out.push('<');
    out.push_str(name);
    out.push('>');
    out.push_str(&encode_text(value));
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// An attribute by name, any case.
fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref().eq_ignore_ascii_case(name))
        .map(|a| crate::feed::extras::unescape(&a.value).trim().to_string())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdf_becomes_rss() {
        let base = Url::parse("http://h/feed.cdf").expect("static URL");
        let cdf = r#"<CHANNEL HREF="http://h/"><TITLE>T &amp; c</TITLE><ITEM HREF="a.html" LASTMOD="1998-11-04T10:20"><TITLE>A</TITLE></ITEM></CHANNEL>"#;
        assert!(is_cdf("<CHANNEL HREF=\"x\""));
        assert!(!is_cdf("<channelx"));
        assert_eq!(
            to_rss(cdf, &base).as_deref(),
            Some(
                "<rss version=\"2.0\"><channel><title>T &amp; c</title><link>http://h/</link><item><title>A</title>\
                 <link>http://h/a.html</link><pubDate>Wed, 4 Nov 1998 10:20:00 +0000</pubDate></item></channel></rss>"
            )
        );
    }
}
