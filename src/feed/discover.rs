//! Finding a site's feeds from a URL that may be a feed or a web page: `<link rel="alternate">` of
//! RSS, Atom and JSON Feed types (hrefs resolved against `<base>` and the page), else the usual paths.
//! Every candidate is fetched and parsed before it is offered.

use dom_query::Document;
use url::Url;

use super::http::{Fetched, HttpClient};
use super::parse::parse_feed;
use crate::model::{FeedId, Validators};
use crate::text::sanitize_line;

/// Paths tried on the page's site when it links no feed.
pub const USUAL_PATHS: &[&str] = &["/feed", "/rss.xml", "/atom.xml", "/index.xml", "/feed.json"];
/// Most `<link>` candidates fetched from one page.
const MAX_LINKED: usize = 16;

/// Link types that announce a feed.
const FEED_TYPES: &[&str] = &[
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/json",
];

/// A feed that was found, fetched and parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundFeed {
    /// Where it lives (after redirects: the address to subscribe to).
    pub url: Url,
    /// Its own title, one clean line.
    pub title: Option<String>,
}

/// Why no feed could be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiscoverError {
    /// The URL itself could not be fetched.
    #[error("cannot fetch {url}: {reason}")]
    Fetch {
        /// The address that was asked for.
        url: String,
        /// Why the fetch failed, one line.
        reason: String,
    },
    /// The page links no feed and none of the usual paths is one.
    #[error("no feed found at {url} (no <link rel=\"alternate\"> feed, nothing at {tried})")]
    NothingFound {
        /// The page that was searched.
        url: String,
        /// The usual feed paths that were also tried, comma-separated.
        tried: String,
    },
}

/// The feeds `url` leads to, in page order: the URL itself when it is a feed, else the feeds the page
/// links to, else those at [`USUAL_PATHS`] on its site.
pub async fn discover(client: &HttpClient, url: &Url) -> Result<Vec<FoundFeed>, DiscoverError> {
    let fetched = client
        .fetch(url, &Validators::default())
        .await
        .map_err(|e| DiscoverError::Fetch {
            url: sanitize_line(url.as_str()),
            reason: sanitize_line(&e.to_string()),
        })?;
    let Fetched::Body(body) = fetched else {
        return Err(DiscoverError::NothingFound {
            url: sanitize_line(url.as_str()),
            tried: "the page (no body)".into(),
        });
    };
    let page_url = body.final_url.clone();
    let page = String::from_utf8_lossy(&body.bytes).into_owned();
    if let Some(found) = as_feed(body).await {
        return Ok(vec![found]);
    }
    let linked = feed_links(&page, &page_url);
    let mut found = try_each(client, linked.into_iter().take(MAX_LINKED)).await;
    if found.is_empty() {
        found = try_each(client, usual_paths(&page_url)).await;
    }
    if found.is_empty() {
        return Err(DiscoverError::NothingFound {
            url: sanitize_line(url.as_str()),
            tried: USUAL_PATHS.join(", "),
        });
    }
    Ok(found)
}

/// Fetch and parse each candidate; keep those that are feeds, without repeats.
async fn try_each(
    client: &HttpClient,
    candidates: impl IntoIterator<Item = Url>,
) -> Vec<FoundFeed> {
    let mut found: Vec<FoundFeed> = Vec::new();
    for candidate in candidates {
        let Ok(Fetched::Body(body)) = client.fetch(&candidate, &Validators::default()).await else {
            continue;
        };
        let Some(feed) = as_feed(body).await else {
            continue;
        };
        if !found.iter().any(|f| f.url == feed.url) {
            found.push(feed);
        }
    }
    found
}

/// The body as a feed, if it parses as one (an HTML page does not); parsed off the async threads.
async fn as_feed(body: super::http::Body) -> Option<FoundFeed> {
    let url = body.final_url.clone();
    let parsed = tokio::task::spawn_blocking(move || {
        parse_feed(
            &body.bytes,
            body.content_type.as_deref(),
            &body.final_url,
            FeedId(0),
        )
    })
    .await
    .ok()?
    .ok()?;
    Some(FoundFeed {
        url,
        title: parsed
            .title
            .map(|t| sanitize_line(&t))
            .filter(|t| !t.is_empty()),
    })
}

/// The http(s) feed URLs a page announces with `<link rel="alternate" type="…" href="…">`, resolved
/// against its `<base href>` (itself resolved against `page`), in page order, without repeats.
pub fn feed_links(html: &str, page: &Url) -> Vec<Url> {
    let doc = Document::from(html);
    let base = doc
        .select("base[href]")
        .iter()
        .next()
        .and_then(|b| b.attr("href"))
        .and_then(|href| page.join(href.trim()).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .unwrap_or_else(|| page.clone());
    let mut links: Vec<Url> = Vec::new();
    for link in doc.select("link[href]").iter() {
        let rel = link
            .attr("rel")
            .map(|r| r.to_ascii_lowercase())
            .unwrap_or_default();
        if !rel.split_ascii_whitespace().any(|r| r == "alternate") {
            continue;
        }
        let kind = link
            .attr("type")
            .map(|t| t.to_ascii_lowercase())
            .unwrap_or_default();
        let kind = kind.split(';').next().unwrap_or("").trim().to_string();
        if !FEED_TYPES.contains(&kind.as_str()) {
            continue;
        }
        let Some(url) = link.attr("href").and_then(|h| base.join(h.trim()).ok()) else {
            continue;
        };
        if matches!(url.scheme(), "http" | "https") && !links.contains(&url) {
            links.push(url);
        }
    }
    links
}

/// [`USUAL_PATHS`] on the site of `page`.
pub fn usual_paths(page: &Url) -> Vec<Url> {
    USUAL_PATHS
        .iter()
        .filter_map(|p| page.join(p).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Url {
        Url::parse("https://example.org/blog/post.html").expect("test URL")
    }

    #[test]
    fn alternate_links_of_feed_types_resolve_against_the_page() {
        let html = r#"<html><head>
            <link rel="stylesheet" href="/style.css">
            <link rel="alternate" type="application/rss+xml" title="RSS" href="feed.xml">
            <link rel="Alternate" type="application/atom+xml; charset=utf-8" href="/atom">
            <link rel="alternate" type="text/html" hreflang="de" href="/de/">
            <link rel="alternate" type="application/feed+json" href="https://cdn.example.net/f.json">
            <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
            <link rel="alternate" type="application/rss+xml" href="feed.xml">
        </head><body></body></html>"#;
        let links: Vec<String> = feed_links(html, &page())
            .iter()
            .map(Url::to_string)
            .collect();
        assert_eq!(
            links,
            vec![
                "https://example.org/blog/feed.xml",
                "https://example.org/atom",
                "https://cdn.example.net/f.json",
            ]
        );
    }

    #[test]
    fn base_href_changes_where_relative_links_point() {
        let html = r#"<head><base href="/site/"><link rel="alternate" type="application/atom+xml" href="atom.xml"></head>"#;
        let links = feed_links(html, &page());
        assert_eq!(links[0].as_str(), "https://example.org/site/atom.xml");
    }

    #[test]
    fn usual_paths_are_on_the_site_root() {
        let urls: Vec<String> = usual_paths(&page()).iter().map(Url::to_string).collect();
        assert_eq!(urls[0], "https://example.org/feed");
        assert_eq!(urls[4], "https://example.org/feed.json");
    }
}
