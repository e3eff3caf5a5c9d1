//! The parse path against feed-rs alone, interleaved round by round on the same bytes, so that load
//! from other processes on a shared machine hits both alike. Prints the fastest round of each (the
//! least disturbed) and the median of the per-round ratios.
//!
//! `TIDINGS_BENCH_FEEDS=/tmp/bench-feeds cargo run --release --example parse_ratio [ROUNDS]`

#[path = "../benches/support/corpus.rs"]
mod corpus;

use std::hint::black_box;
use std::time::{Duration, Instant};
use tidings::feed::parse::parse_feed;
use tidings::model::FeedId;
use url::Url;

fn time(run: impl Fn()) -> Duration {
    let started = Instant::now();
    run();
    started.elapsed()
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(40);
    let docs = corpus::corpus();
    let bytes: usize = docs.iter().map(Vec::len).sum();
    let base = Url::parse("https://news.example.org/feed.xml").expect("static URL");
    let feed_rs = || {
        for doc in &docs {
            let _ = black_box(feed_rs::parser::parse(black_box(&doc[..])));
        }
    };
    let ours = || {
        for doc in &docs {
            let _ = black_box(parse_feed(black_box(doc), None, &base, FeedId(0)));
        }
    };
    feed_rs();
    ours();
    let (mut alone, mut path, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let a = time(feed_rs);
        let p = time(ours);
        ratios.push(a.as_secs_f64() / p.as_secs_f64());
        alone.push(a);
        path.push(p);
    }
    ratios.sort_by(f64::total_cmp);
    let mbps = |d: &Duration| bytes as f64 / d.as_secs_f64() / 1e6;
    let best_alone = alone.iter().min().expect("at least one round");
    let best_path = path.iter().min().expect("at least one round");
    println!(
        "{} documents, {:.1} MB, {rounds} rounds",
        docs.len(),
        bytes as f64 / 1e6
    );
    println!(
        "feed-rs alone     : {:.0} MB/s (fastest round)",
        mbps(best_alone)
    );
    println!(
        "tidings parse path: {:.0} MB/s (fastest round)",
        mbps(best_path)
    );
    println!(
        "ratio: {:.2} (fastest rounds), {:.2} (median of per-round ratios)",
        best_alone.as_secs_f64() / best_path.as_secs_f64(),
        ratios[ratios.len() / 2]
    );
}
