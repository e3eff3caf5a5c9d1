//! Queries over the store: which keys of a view match a query, and a query feed's counts, evaluated
//! on borrowed headlines (no article is cloned), with `text:` answered by the index's hits or, without
//! them, by the bodies in memory.

use super::{ArticleKey, Store};
use crate::model::Counts;
use crate::query::{ArticleSubject, Query, TextHits};
use chrono::{DateTime, Utc};

impl Store {
    /// Whether the article behind `key` matches `query` at `now`; `hits` answers `text:` terms when
    /// the index was asked (else `text:` reads the body in memory).
    pub fn matches(
        &self,
        key: ArticleKey,
        query: &Query,
        hits: Option<&TextHits>,
        now: DateTime<Utc>,
    ) -> bool {
        let (Some(feed), Some(article)) = (self.feed(key.feed), self.get(key)) else {
            return false;
        };
        let subject = ArticleSubject::new(feed, article);
        query.matches_with(&subject, now, hits)
    }

    /// The keys among `keys` that match `query`, in their order.
    pub fn filter(
        &self,
        keys: &[ArticleKey],
        query: &Query,
        hits: Option<&TextHits>,
        now: DateTime<Utc>,
    ) -> Vec<ArticleKey> {
        keys.iter()
            .copied()
            .filter(|&key| self.matches(key, query, hits, now))
            .collect()
    }

    /// Unread and total counts of the articles of every feed that match `query`.
    pub fn query_counts(
        &self,
        query: &Query,
        hits: Option<&TextHits>,
        now: DateTime<Utc>,
    ) -> Counts {
        let mut counts = Counts::default();
        for feed in &self.feeds {
            for article in self.articles(feed.id) {
                let subject = ArticleSubject::new(feed, article);
                let matched = query.matches_with(&subject, now, hits);
                if matched {
                    counts.total += 1;
                    counts.unread += usize::from(!article.read);
                }
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, ArticleId, Body, Feed, FeedId};
    use crate::store::View;
    use chrono::TimeZone;

    fn store() -> Store {
        let feed = |i: usize, name: &str| Feed {
            configured_name: Some(name.into()),
            status: Default::default(),
            ..Feed::new(FeedId(i), format!("http://x/{i}"))
        };
        let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let article = |id: &str, title: &str, body: &str, read: bool| Article {
            id: ArticleId(id.into()),
            feed: FeedId(0),
            title: title.into(),
            link: None,
            authors: vec![],
            published: Some(at),
            updated: None,
            body: Body::new(None, Some(body.into())),
            categories: vec![],
            comments: None,
            words: None,
            enclosures: vec![],
            read,
            starred: false,
            comment_feed: None,
            comments_page: None,
            first_seen: at,
        };
        let mut store = Store::new(vec![feed(0, "World"), feed(1, "Tech")]);
        store.merge(
            FeedId(0),
            vec![
                article("a", "Rust wins", "<p>ferris crab</p>", false),
                article("b", "Rain", "<p>umbrella weather today</p>", true),
            ],
            at,
        );
        store.merge(
            FeedId(1),
            vec![article("c", "Rust again", "<p>x</p>", true)],
            at,
        );
        store
    }

    #[test]
    fn filters_keys_in_order_and_counts_query_feeds() {
        let store = store();
        let now = Utc::now();
        let all = store.query(&View::All, false);
        let rust: Query = "title:rust".parse().unwrap();
        let titles: Vec<&str> = store
            .filter(&all, &rust, None, now)
            .into_iter()
            .map(|k| store.get(k).unwrap().title.as_str())
            .collect();
        assert_eq!(titles, ["Rust wins", "Rust again"]);
        assert_eq!(
            store.query_counts(&rust, None, now),
            Counts {
                unread: 1,
                total: 2
            }
        );
        let words: Query = "words>=3".parse().unwrap();
        assert_eq!(
            store.query_counts(&words, None, now).total,
            1,
            "counted at merge"
        );
        let text: Query = "text:crab".parse().unwrap();
        assert_eq!(
            store.query_counts(&text, None, now).total,
            1,
            "bodies in memory"
        );
        // With the index's answer, the body is not read: an empty answer matches nothing.
        let hits = TextHits::default();
        assert_eq!(store.query_counts(&text, Some(&hits), now).total, 0);
    }
}
