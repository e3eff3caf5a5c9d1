//! OPML 1.0/2.0 subscription lists: read (folders and `category` become tags) and write (2.0).
//! The XML reader never expands entities declared in a DOCTYPE and never fetches anything.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::subscriptions::{
    push_tag, ImportError, Subscription, SubscriptionList, MAX_IMPORT_FEEDS,
};
use crate::text::sanitize_line;

/// Folder levels that become tags; deeper folders still import their feeds.
const MAX_FOLDER_TAGS: usize = 16;

/// An `<outline>`'s attributes that matter, names compared without case.
#[derive(Default)]
struct Outline {
    text: Option<String>,
    title: Option<String>,
    xml_url: Option<String>,
    html_url: Option<String>,
    category: Option<String>,
}

/// Parse an OPML document (already UTF-8) into subscriptions.
pub fn parse_opml(text: &str) -> Result<SubscriptionList, ImportError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut list = SubscriptionList {
        format: "OPML",
        ..SubscriptionList::default()
    };
    // One entry per open <outline>: the folder name it adds, if it is a folder.
    let mut folders: Vec<Option<String>> = Vec::new();
    let mut open_elements = 0usize;
    let mut root_seen = false;
    loop {
        let start = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_event().map_err(|e| {
            let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
            ImportError::at(text, at, format!("not well-formed XML: {e}"))
        })?;
        match event {
            Event::Start(ref element) | Event::Empty(ref element) if !root_seen => {
                check_root(element, text, start)?;
                root_seen = true;
                open_elements += usize::from(matches!(event, Event::Start(_)));
            }
            Event::Start(element) => {
                open_elements += 1;
                if is_outline(&element) {
                    let outline = read_outline(&element);
                    let folder = if outline.xml_url.is_some() {
                        None
                    } else {
                        outline.text.clone().or_else(|| outline.title.clone())
                    };
                    add_feed(&mut list, outline, &folders, text, start)?;
                    folders.push(folder);
                }
            }
            Event::Empty(element) if is_outline(&element) => {
                add_feed(&mut list, read_outline(&element), &folders, text, start)?;
            }
            Event::End(element) => {
                open_elements = open_elements.saturating_sub(1);
                if element
                    .local_name()
                    .as_ref()
                    .eq_ignore_ascii_case("outline")
                {
                    folders.pop();
                }
            }
            // A DOCTYPE is skipped whole: its entities are never expanded and nothing is fetched.
            Event::Eof => break,
            _ => {}
        }
    }
    if !root_seen {
        return Err(ImportError::at(
            text,
            0,
            "no <opml> element: neither OPML nor a newsboat urls file",
        ));
    }
    if open_elements > 0 {
        return Err(ImportError::at(
            text,
            text.len(),
            "the OPML document ends early (truncated): some elements are never closed",
        ));
    }
    Ok(list)
}

/// The first element must be `<opml>`; a feed or a page is named as such.
fn check_root(element: &BytesStart<'_>, text: &str, at: usize) -> Result<(), ImportError> {
    let name = element.local_name();
    if name.as_ref().eq_ignore_ascii_case("opml") {
        return Ok(());
    }
    let found = name.as_ref().to_string();
    Err(ImportError::at(
        text,
        at,
        format!(
            "expected an OPML document (<opml>), found <{}>{}",
            cut(&found),
            hint(&found)
        ),
    ))
}

fn is_outline(element: &BytesStart<'_>) -> bool {
    element
        .local_name()
        .as_ref()
        .eq_ignore_ascii_case("outline")
}

/// An outline with an `xmlUrl` is a feed: tagged with its folders and categories, named by `text`
/// else `title` (a name equal to the URL counts as none).
fn add_feed(
    list: &mut SubscriptionList,
    outline: Outline,
    folders: &[Option<String>],
    text: &str,
    at: usize,
) -> Result<(), ImportError> {
    let Some(url) = outline.xml_url.filter(|u| !u.is_empty()) else {
        return Ok(());
    };
    if list.feeds.len() >= MAX_IMPORT_FEEDS {
        return Err(ImportError::at(
            text,
            at,
            format!("more than {MAX_IMPORT_FEEDS} feeds: not a subscription list a reader can use"),
        ));
    }
    let mut tags = Vec::new();
    for folder in folders.iter().flatten().take(MAX_FOLDER_TAGS) {
        push_tag(&mut tags, folder);
    }
    for category in outline.category.iter().flat_map(|c| c.split(',')) {
        for part in category.split('/') {
            push_tag(&mut tags, part.trim());
        }
    }
    let name = outline
        .text
        .or(outline.title)
        .filter(|n| !n.is_empty() && *n != url);
    list.feeds.push(Subscription {
        url,
        name,
        tags,
        html_url: outline.html_url.filter(|u| !u.is_empty()),
    });
    Ok(())
}

fn read_outline(element: &BytesStart<'_>) -> Outline {
    let mut outline = Outline::default();
    for attribute in element.attributes().with_checks(false).flatten() {
        // Only the five XML entities and character references are resolved; an entity from a
        // DOCTYPE stays as written.
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map(|v| v.into_owned())
            .unwrap_or_else(|_| attribute.value.to_string());
        let value = sanitize_line(value.trim());
        let key = attribute.key.local_name();
        let slot = match key.as_ref().to_ascii_lowercase().as_str() {
            "text" => &mut outline.text,
            "title" => &mut outline.title,
            "xmlurl" => &mut outline.xml_url,
            "htmlurl" => &mut outline.html_url,
            "category" => &mut outline.category,
            _ => continue,
        };
        if !value.is_empty() {
            slot.get_or_insert(value);
        }
    }
    outline
}

/// An element name as quoted in a message: at most 40 characters.
fn cut(name: &str) -> String {
    sanitize_line(name).chars().take(40).collect()
}

/// What a non-OPML root element suggests.
fn hint(root: &str) -> &'static str {
    match root.to_ascii_lowercase().as_str() {
        "rss" | "feed" | "rdf" => ": this is a feed; add it with `tidings add URL`",
        "html" => ": this is a web page; add its feeds with `tidings add URL`",
        _ => "",
    }
}

/// OPML 2.0 of `feeds`: one outline per feed (`text` and `title` = its name, else its URL; `xmlUrl`;
/// `htmlUrl` when known; tags as `category="/a,/b"`).
pub fn write_opml(feeds: &[Subscription]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n    <title>tidings subscriptions</title>\n  </head>\n  <body>\n",
    );
    for feed in feeds {
        let name = feed.name.as_deref().unwrap_or(&feed.url);
        out.push_str("    <outline type=\"rss\"");
        attribute(&mut out, "text", name);
        attribute(&mut out, "title", name);
        attribute(&mut out, "xmlUrl", &feed.url);
        if let Some(html) = &feed.html_url {
            attribute(&mut out, "htmlUrl", html);
        }
        if !feed.tags.is_empty() {
            let tags: Vec<String> = feed.tags.iter().map(|t| format!("/{t}")).collect();
            attribute(&mut out, "category", &tags.join(","));
        }
        out.push_str("/>\n");
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

fn attribute(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    out.push_str(&quick_xml::escape::escape(sanitize_line(value).as_str()));
    out.push('"');
}
