//! `tidings list`: the stored headlines, as text lines or one JSON array, streamed row by row from the
//! cache (headlines and bodies are read one at a time, so memory does not grow with them). No network unless
//! `--refresh`, or `--no-cache` (nothing stored: the feeds are fetched first).

use super::ExitError;
use crate::cache::read::CacheReader;
use crate::cache::search::SearchIndex;
use crate::config::QueryFeedConfig;
use crate::model::{Article, Body, Feed, FeedId, FeedStatus};
use crate::query::{ArticleSubject, Query};
use crate::session::Session;
use crate::store::{Store, View};
use crate::text;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;

/// Arguments of `tidings list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only this feed (its name or URL), or the articles of the query feed of that name.
    #[arg(long)]
    pub feed: Option<String>,
    /// Only articles matching this query (see "Finding articles" in the README), e.g. 'unread text:rust'.
    #[arg(long, value_name = "EXPR")]
    pub query: Option<String>,
    /// Only feeds with this tag.
    #[arg(long)]
    pub tag: Option<String>,
    /// Only unread articles.
    #[arg(long)]
    pub unread: bool,
    /// At most N articles.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Print one JSON array of article objects.
    #[arg(long)]
    pub json: bool,
    /// Refresh every feed first.
    #[arg(long)]
    pub refresh: bool,
}

/// An article as `list --json` prints it. `summary` is the feed's teaser, `content` the article's
/// body (the richest text the feed gives), both as plain text like `read --plain`.
#[derive(Serialize)]
struct ArticleJson<'a> {
    id: &'a str,
    feed: &'a str,
    feed_url: &'a str,
    title: &'a str,
    link: Option<&'a str>,
    authors: &'a [String],
    published: Option<String>,
    updated: Option<String>,
    summary: Option<String>,
    content: Option<String>,
    categories: &'a [String],
    comments: Option<u32>,
    enclosures: Vec<&'a str>,
    read: bool,
    starred: bool,
}

/// List, and return the exit code.
pub async fn run(mut session: Session, args: &ListArgs) -> anyhow::Result<i32> {
    // A mistake in the query is bad usage, found before any work.
    let query = args
        .query
        .as_deref()
        .map(|text| {
            crate::query::parse(text).map_err(|e| ExitError {
                code: 2,
                message: e.to_string(),
            })
        })
        .transpose()?;
    let query_feed = args
        .feed
        .as_deref()
        .and_then(|name| find_query_feed(&session.config.queries, name))
        .cloned();
    let fetch_first = args.refresh || session.cache.is_none();
    if fetch_first {
        // Without a cache the bodies are only in memory: keep them when something will read them
        // (`--json` prints them; a query may search teasers or `text:`), else let them go.
        let bodies_read = args.json || query.is_some() || query_feed.is_some();
        session.refresh_all(bodies_read).await?;
        if let Some(error) = session.flush() {
            eprintln!("tidings: {}", text::sanitize_line(&error));
        }
    }
    let store = &session.store;
    let view = match (&args.feed, &args.tag) {
        (Some(_), _) if query_feed.is_some() => View::All,
        (Some(name), _) => View::Feed(find_feed(store, name)?),
        (None, Some(tag)) => View::Tag(tag.clone()),
        (None, None) => View::All,
    };
    let cache = session
        .cache_path
        .as_deref()
        .filter(|_| session.cache.is_some());
    // Each query with the index's answer to its `text:` terms (bodies stay on disk).
    let mut queries = Vec::new();
    let index = match cache {
        Some(path)
            if query_feed
                .iter()
                .chain(&query)
                .any(|q| !q.text_terms().is_empty()) =>
        {
            Some(SearchIndex::open(path)?)
        }
        _ => None,
    };
    for query in query_feed.iter().chain(query.as_ref()) {
        let hits = match &index {
            Some(index) if !query.text_terms().is_empty() => Some(index.resolve(query)?),
            _ => None,
        };
        queries.push((query, hits));
    }
    let now = chrono::Utc::now();
    let wanted = |feed: &Feed, a: &Article| {
        let subject = ArticleSubject::new(feed, a);
        queries
            .iter()
            .all(|(query, hits)| query.matches_with(&subject, now, hits.as_ref()))
    };
    let limit = args.limit.unwrap_or(usize::MAX);
    let reader = cache.map(CacheReader::open).transpose()?;
    if let Some(reader) = &reader {
        reader.snapshot()?;
    }
    let mut printer = Printer::start(args.json, reader.as_ref())?;
    match &reader {
        // With a cache the store holds no headlines: they are read from the file one at a time,
        // newest first, so memory does not grow with them either.
        Some(reader) => {
            let feeds: HashMap<&str, FeedId> = store
                .feeds()
                .iter()
                .filter(|f| view.shows(f))
                .map(|f| (f.url.as_str(), f.id))
                .collect();
            for row in reader.newest_first(&feeds, args.unread)? {
                if printer.printed >= limit {
                    break;
                }
                let (Some(a), Some(feed)) = (reader.headline(row)?, store.feed(row.feed)) else {
                    continue;
                };
                if wanted(feed, &a) {
                    printer.article(feed, &a)?;
                }
            }
        }
        None => {
            for key in store.query(&view, args.unread) {
                if printer.printed >= limit {
                    break;
                }
                let (Some(a), Some(feed)) = (store.get(key), store.feed(key.feed)) else {
                    continue;
                };
                if wanted(feed, a) {
                    printer.article(feed, a)?;
                }
            }
        }
    }
    printer.finish()?;
    if !fetch_first {
        return Ok(0);
    }
    // Failures are messages, not results: stderr, one line per feed.
    super::report_failures(store);
    let any_loaded = store
        .feeds()
        .iter()
        .any(|f| matches!(f.status, FeedStatus::Ok { .. }));
    Ok(if any_loaded || store.feeds().is_empty() {
        0
    } else {
        1
    })
}

/// Writes articles to stdout as they come: text lines, or the elements of one JSON array (bodies
/// read from the cache one at a time).
struct Printer<'r> {
    out: std::io::BufWriter<std::io::StdoutLock<'static>>,
    json: bool,
    bodies: Option<&'r CacheReader>,
    printed: usize,
}

impl<'r> Printer<'r> {
    fn start(json: bool, bodies: Option<&'r CacheReader>) -> std::io::Result<Self> {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        if json {
            write!(out, "[")?;
        }
        Ok(Printer {
            out,
            json,
            bodies,
            printed: 0,
        })
    }

    fn article(&mut self, feed: &Feed, a: &Article) -> anyhow::Result<()> {
        if self.json {
            let body = match (&a.body, self.bodies) {
                (Body::InCache, Some(reader)) => {
                    let (summary, content) = reader.body(&feed.url, &a.id)?;
                    Body::new(summary, content)
                }
                (body, _) => body.clone(),
            };
            writeln!(self.out, "{}", if self.printed == 0 { "" } else { "," })?;
            serde_json::to_writer_pretty(&mut self.out, &article_json(feed, a, &body))?;
        } else {
            let date = a
                .published
                .or(a.updated)
                .map_or("                ".to_string(), |d| {
                    d.format("%Y-%m-%d %H:%M").to_string()
                });
            let mark = if a.read { ' ' } else { '*' };
            writeln!(
                self.out,
                "{mark} {date}  {}  {}",
                feed.display_name(),
                a.title
            )?;
        }
        self.printed += 1;
        Ok(())
    }

    fn finish(mut self) -> std::io::Result<()> {
        if self.json {
            writeln!(self.out, "\n]")?;
        }
        self.out.flush()
    }
}

fn article_json<'a>(feed: &'a Feed, a: &'a Article, body: &Body) -> ArticleJson<'a> {
    let plain = |html: &str| text::render_html_text(html).to_plain();
    let content = Some(body.html())
        .filter(|h| !h.trim().is_empty())
        .map(plain);
    ArticleJson {
        id: &a.id.0,
        feed: feed.display_name(),
        feed_url: &feed.url,
        title: &a.title,
        link: a.link.as_deref(),
        authors: &a.authors,
        published: a.published.map(|d| d.to_rfc3339()),
        updated: a.updated.map(|d| d.to_rfc3339()),
        summary: body.summary().map(plain),
        content,
        categories: &a.categories,
        comments: a.comments,
        enclosures: a.enclosures.iter().map(|e| e.url.as_str()).collect(),
        read: a.read,
        starred: a.starred,
    }
}

/// The query feed named `name` (case-insensitive), if any.
fn find_query_feed<'a>(queries: &'a [QueryFeedConfig], name: &str) -> Option<&'a Query> {
    queries
        .iter()
        .find(|q| q.name.eq_ignore_ascii_case(name))
        .map(|q| &q.query)
}

fn find_feed(store: &Store, name: &str) -> Result<FeedId, ExitError> {
    store
        .feeds()
        .iter()
        .find(|f| f.display_name().eq_ignore_ascii_case(name) || f.url == name)
        .map(|f| f.id)
        .ok_or_else(|| ExitError {
            code: 2,
            message: format!(
                "no feed named {:?} in the config",
                text::sanitize_line(name)
            ),
        })
}
