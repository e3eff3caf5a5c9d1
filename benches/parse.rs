//! The parse path (decode → repair → feed-rs → extras → normalise) beside feed-rs alone, on the same
//! bytes. The corpus is the team's generator's output when `TIDINGS_BENCH_FEEDS` names its directory
//! (`python3 ../shared/bench/genfeeds.py --feeds 12 --items 50 --out /tmp/bench-feeds`), else a built-in
//! one of the same shape (RSS 2.0 with content:encoded, dc:creator and slash:comments; Atom with HTML
//! content). Throughput is in bytes of feed documents; the README quotes both medians and their ratio.

#[path = "support/corpus.rs"]
mod corpus;

use corpus::corpus;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;
use tidings::feed::parse::parse_feed;
use tidings::model::FeedId;
use url::Url;

fn bench_parse(c: &mut Criterion) {
    let docs = corpus();
    let total: usize = docs.iter().map(Vec::len).sum();
    let base = Url::parse("https://news.example.org/feed.xml").expect("static URL");
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(total as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("feed-rs alone", |b| {
        b.iter(|| {
            for doc in &docs {
                let _ = black_box(feed_rs::parser::parse(black_box(&doc[..])));
            }
        })
    });
    group.bench_function("tidings parse_feed", |b| {
        b.iter(|| {
            for doc in &docs {
                let _ = black_box(parse_feed(black_box(doc), None, &base, FeedId(0)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench_parse);
criterion_main!(benches);
