//! Runs the `tidings read --plain` code path (decode → extract → render → plain text) over every
//! `*.html.gz` page in a folder and writes `{ID: {"articleBody": text}}` JSON for the corpus's `score.py`.
//!
//! cargo run --release --example extract_corpus -- ../shared/corpus/article-extraction/html OUT.json

use flate2::read::GzDecoder;
use std::io::Read;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tidings::extract::RenderStyle;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(out)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: extract_corpus DIR OUT.json");
    };
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".html.gz"))
        .collect();
    pages.sort();
    let mut results = serde_json::Map::new();
    let mut times: Vec<Duration> = Vec::new();
    let mut failed = 0;
    for page in &pages {
        let name = page
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let id = name.trim_end_matches(".html.gz").to_string();
        let mut bytes = Vec::new();
        GzDecoder::new(std::fs::File::open(page)?).read_to_end(&mut bytes)?;
        let start = Instant::now();
        let text = match tidings::extract::extract_page(&bytes, None, None, RenderStyle::TextOnly) {
            Ok((_, rendered)) => rendered.to_plain(),
            Err(e) => {
                failed += 1;
                eprintln!("{id}: {e}");
                String::new()
            }
        };
        times.push(start.elapsed());
        results.insert(id, serde_json::json!({ "articleBody": text }));
    }
    std::fs::write(&out, serde_json::to_string_pretty(&results)?)?;
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let total: Duration = times.iter().sum();
    if let (Some(median), Some(max)) = (times.get(times.len() / 2), times.last()) {
        println!(
            "{} pages, {failed} without article: mean {:.2} ms, median {:.2} ms, max {:.2} ms per page",
            times.len(),
            ms(total) / times.len() as f64,
            ms(*median),
            ms(*max)
        );
    }
    Ok(())
}
