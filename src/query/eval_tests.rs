use super::*;
use crate::model::{ArticleId, FeedId};
use crate::query::parse;
use chrono::TimeZone;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap()
}

fn feed() -> Feed {
    Feed {
        configured_name: Some("World Desk".into()),
        tags: vec!["world".into()],
        ..Feed::new(FeedId(0), "https://world.example.org/feed.xml".into())
    }
}

fn article() -> Article {
    Article {
        link: Some("https://world.example.org/rust".into()),
        authors: vec!["Ann Author".into(), "Bo Writer".into()],
        published: Some(Utc.with_ymd_and_hms(2026, 3, 5, 8, 0, 0).unwrap()),
        updated: Some(Utc.with_ymd_and_hms(2026, 3, 9, 8, 0, 0).unwrap()),
        body: crate::model::Body::new(
            Some("<p>A short teaser about borrowing</p>".into()),
            Some("<p>The <em>treatment</em> of lifetimes &amp; traits, in two words.</p>".into()),
        ),
        categories: vec!["Programming".into()],
        comments: Some(12),
        starred: true,
        ..Article::new(
            ArticleId("a-1".into()),
            FeedId(0),
            "Rust 2026: the Treaty of Types".into(),
            now(),
        )
    }
}

fn check(query: &str, article: &Article, words: Option<usize>) -> bool {
    let feed = feed();
    let subject = ArticleSubject {
        feed: &feed,
        article,
        word_count: words,
    };
    parse(query)
        .unwrap_or_else(|e| panic!("{query}: {e}"))
        .matches(&subject, now())
}

fn yes(query: &str) -> bool {
    check(query, &article(), Some(1200))
}

#[test]
fn flags() {
    assert!(yes("unread") && !yes("read") && yes("starred"));
    let mut a = article();
    a.read = true;
    a.starred = false;
    assert!(check("read", &a, None) && !check("unread", &a, None) && !check("starred", &a, None));
}

#[test]
fn fields_contain_ignoring_case() {
    assert!(yes("title:treaty") && !yes("title:borrowing"));
    assert!(yes("author:bo") && !yes("author:carl"));
    assert!(yes("feed:\"world desk\"") && yes("feed:world.example.org") && !yes("feed:bbc"));
    assert!(yes("tag:WORLD") && yes("tag:programming") && !yes("tag:sport"));
    assert!(yes("link:/rust") && !yes("link:/go"));
    let mut a = article();
    a.link = None;
    assert!(!check("link:http", &a, None));
}

#[test]
fn fields_match_regexes_ignoring_case() {
    assert!(yes("title~^rust\\s+\\d{4}") && !yes("title~^treaty"));
    assert!(yes("author~\"^bo \"") && yes("feed~\"^world d\"") && yes("tag~^prog"));
    assert!(yes("link~\"/rust$\"") && !yes("link~^ftp"));
}

#[test]
fn bare_words_search_title_and_summary() {
    assert!(yes("treaty") && yes("BORROWING") && yes("\"short teaser\""));
    assert!(!yes("lifetimes"), "the body is text:'s, not a bare word's");
}

#[test]
fn text_matches_whole_words_prefixes_and_phrases_in_memory() {
    assert!(yes("text:rust") && yes("text:lifetimes") && yes("text:TRAITS"));
    assert!(!yes("text:treat"), "whole words only");
    assert!(yes("text:treat*") && yes("text:\"two words\"") && yes("text:\"of life*\""));
    assert!(!yes("text:\"words two\""));
    assert!(!yes("text:em"), "tags are not words");
    let mut a = article();
    a.body = crate::model::Body::InCache;
    assert!(!check("text:lifetimes", &a, None) && check("text:rust", &a, None));
}

#[test]
fn text_uses_index_hits_when_given() {
    let feed = feed();
    let a = article();
    let subject = ArticleSubject {
        feed: &feed,
        article: &a,
        word_count: None,
    };
    let q = parse("text:zebra or text:lifetimes").unwrap();
    let terms: Vec<TextTerm> = q.text_terms().into_iter().cloned().collect();
    assert_eq!(terms.len(), 2);
    let mut hits = TextHits::default();
    let mut set = ArticleSet::default();
    set.insert(feed.url.clone(), "a-1".into());
    hits.insert(terms[0].clone(), set);
    assert!(
        q.matches_with(&subject, now(), Some(&hits)),
        "zebra answered by the index"
    );
    let only_lifetimes = parse("text:lifetimes").unwrap();
    assert!(
        !only_lifetimes.matches_with(&subject, now(), Some(&hits)),
        "unresolved term: no match"
    );
    assert!(only_lifetimes.matches(&subject, now()));
}

#[test]
fn text_terms_are_listed_once_in_order() {
    let q = parse("text:b (text:a or -text:b) text:\"a b\"").unwrap();
    let words: Vec<String> = q.text_terms().iter().map(|t| t.words().join(" ")).collect();
    assert_eq!(words, ["b", "a", "a b"]);
}

#[test]
fn dates_use_published_then_updated() {
    assert!(yes("after:2026-03-05") && !yes("after:2026-03-06"));
    assert!(yes("before:2026-03-06") && !yes("before:2026-03-05"));
    let mut a = article();
    a.published = None;
    assert!(check("after:2026-03-09", &a, None));
    a.updated = None;
    for q in [
        "after:2000-01-01",
        "before:2100-01-01",
        "age>0m",
        "age<1000w",
    ] {
        assert!(!check(q, &a, None), "{q} on an undated article");
        assert!(check(&format!("not {q}"), &a, None));
    }
}

#[test]
fn ages_compare_time_since_publication() {
    // Published 5 days 4 hours before now.
    assert!(yes("age<6d") && !yes("age<5d") && yes("age>5d") && yes("age>=124h"));
    assert!(yes("age<1w") && yes("age>7439m") && !yes("age=5d"));
}

#[test]
fn counts_compare_and_none_matches_nothing() {
    assert!(yes("words>1000") && yes("words<=1200") && yes("words=1200") && !yes("words<1200"));
    assert!(yes("comments>=12") && yes("comments = 12") && !yes("comments>12"));
    let mut a = article();
    a.comments = None;
    for q in ["words>0", "words<1000000", "comments>=0", "comments<5"] {
        assert!(!check(q, &a, None), "{q} without a count");
    }
}

#[test]
fn combinators_follow_precedence() {
    assert!(yes("unread and title:rust"));
    assert!(!yes("read and title:rust"));
    assert!(yes("read or title:rust"));
    assert!(!yes("not starred"));
    assert!(yes("-read"));
    // read or (starred and not unread) → false; (read or starred) and not unread → false;
    // read or starred and unread → read or (starred and unread) → true.
    assert!(yes("read or starred and unread"));
    assert!(!yes("(read or starred) and not unread"));
    assert!(yes("-(read or title:go) tag:world"));
}
