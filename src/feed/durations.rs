//! Playing times of an item's attachments. feed-rs keeps `media:content duration` on the content and
//! `itunes:duration` on a media object of its own, apart from the enclosure it describes; the header
//! shows a duration beside each attachment, so they are matched up here.

use crate::model::{Enclosure, ParsedFeed};
use feed_rs::model::Entry;
use url::Url;

/// Longest duration believed (a week); anything longer is a typo or a hostile value.
const MAX_SECONDS: u64 = 7 * 24 * 3600;

/// `enclosures` with the durations feed-rs keeps: the matching `media:content`'s own, else its
/// group's (`media:group`). `itunes:duration`, which feed-rs drops, comes from [`apply_itunes`].
pub fn with_durations(mut enclosures: Vec<Enclosure>, entry: &Entry, base: &Url) -> Vec<Enclosure> {
    for enclosure in &mut enclosures {
        let own = entry.media.iter().find_map(|m| {
            m.content
                .iter()
                .find(|c| {
                    c.url
                        .as_ref()
                        .and_then(|u| super::normalise::web_url(u.as_str(), base))
                        .as_deref()
                        == Some(enclosure.url.as_str())
                })
                .and_then(|c| c.duration.or(m.duration))
        });
        enclosure.duration = own.and_then(|d| seconds(d.as_secs()));
    }
    enclosures
}

/// Fill in `itunes:duration` from the raw document: each item's duration goes to its audio or video
/// enclosure (matched by URL, so dropped or re-ordered items cannot shift it onto another).
pub fn apply_itunes(parsed: &mut ParsedFeed, document: &str, base: &Url) {
    if !document.contains("<itunes:duration") {
        return;
    }
    let found = itunes_durations(document, base);
    for article in &mut parsed.articles {
        for enclosure in article
            .enclosures
            .iter_mut()
            .filter(|e| e.duration.is_none())
        {
            if let Some((_, secs)) = found.iter().find(|(url, _)| *url == enclosure.url) {
                enclosure.duration = Some(*secs);
            }
        }
    }
}

/// (enclosure URL, seconds) of every item with both an `<enclosure url>` and an `itunes:duration`.
fn itunes_durations(document: &str, base: &Url) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    let starts: Vec<usize> = document
        .match_indices('<')
        .map(|(i, _)| i)
        .filter(|i| super::items::is_item_start(&document[*i..]))
        .collect();
    for (n, start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(document.len());
        let item = &document[*start..end];
        let duration = item
            .split_once("<itunes:duration>")
            .and_then(|(_, rest)| rest.split('<').next())
            .and_then(parse_clock);
        let url = item
            .split_once("<enclosure")
            .and_then(|(_, rest)| super::decode::attribute_value(rest.split('>').next()?, "url"))
            .and_then(|u| super::normalise::web_url(&u.replace("&amp;", "&"), base));
        if let (Some(url), Some(secs)) = (url, duration) {
            out.push((url, secs));
        }
    }
    out
}

/// The value of `name="…"` (or single-quoted) in a tag's attribute text.
/// `1:02:03`, `12:34` or `754` (seconds, fractions ignored) → seconds.
fn parse_clock(text: &str) -> Option<u32> {
    let mut total: u64 = 0;
    let parts: Vec<&str> = text.trim().split(':').collect();
    if parts.len() > 3 {
        return None;
    }
    for part in parts {
        let whole = part.split('.').next()?.trim();
        total = total
            .checked_mul(60)?
            .checked_add(whole.parse::<u64>().ok()?)?;
    }
    seconds(total)
}

fn seconds(secs: u64) -> Option<u32> {
    u32::try_from(secs)
        .ok()
        .filter(|s| *s > 0 && u64::from(*s) <= MAX_SECONDS)
}

#[cfg(test)]
mod tests {
    use crate::feed::parse::parse_feed;
    use crate::model::FeedId;
    use url::Url;

    fn durations(xml: &str) -> Vec<(String, Option<u32>)> {
        let base = Url::parse("http://h/feed.xml").expect("static URL");
        let parsed = parse_feed(xml.as_bytes(), None, &base, FeedId(0)).expect("parses");
        parsed.articles[0]
            .enclosures
            .iter()
            .map(|e| (e.url.clone(), e.duration))
            .collect()
    }

    #[test]
    fn itunes_duration_goes_to_the_enclosure() {
        let xml = r#"<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
            <channel><title>P</title><item><title>Ep 1</title><guid>e1</guid>
            <enclosure url="http://h/ep1.mp3" type="audio/mpeg" length="12300000"/>
            <itunes:duration>1:02:03</itunes:duration></item></channel></rss>"#;
        assert_eq!(
            durations(xml),
            vec![("http://h/ep1.mp3".to_string(), Some(3723))]
        );
    }

    #[test]
    fn clock_forms() {
        assert_eq!(super::parse_clock("1:02:03"), Some(3723));
        assert_eq!(super::parse_clock(" 12:34 "), Some(754));
        assert_eq!(super::parse_clock("754.5"), Some(754));
        assert_eq!(super::parse_clock("1:2:3:4"), None);
        assert_eq!(super::parse_clock("soon"), None);
        assert_eq!(super::parse_clock("99999999999"), None);
    }

    #[test]
    fn media_content_duration_is_its_own() {
        let xml = r#"<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
            <channel><title>P</title><item><title>Clip</title><guid>c1</guid>
            <media:content url="http://h/clip.mp4" type="video/mp4" duration="754"/>
            </item></channel></rss>"#;
        assert_eq!(
            durations(xml),
            vec![("http://h/clip.mp4".to_string(), Some(754))]
        );
    }
}
