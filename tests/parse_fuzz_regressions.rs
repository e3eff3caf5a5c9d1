//! What the fuzzer found stays found: every file in `tests/fixtures/fuzz/` (inputs that once crashed
//! the parse → render → wrap path) goes through that path again; and a property test mutates the
//! spec fixtures and the hostile corpus the way a fuzzer does (flip, insert, delete, splice).

use proptest::prelude::*;
use std::cell::Cell;
use tidings::feed::parse::parse_feed;
use tidings::model::FeedId;
use tidings::text::{display_width, render_html, wrap_rendered};
use url::Url;

/// Parse, render every article and wrap it to 40 columns; check what a terminal would receive.
fn parse_render_wrap(data: &[u8]) {
    let url = Url::parse("http://127.0.0.1:8999/feeds/fuzz.xml").expect("static URL");
    let Ok(parsed) = parse_feed(data, None, &url, FeedId(0)) else {
        return;
    };
    for article in &parsed.articles {
        assert!(
            !article.title.chars().any(char::is_control),
            "{:?}",
            article.title
        );
        for line in wrap_rendered(&render_html(article.body_html(), Some(&url)), 40) {
            assert!(!line.text.chars().any(|c| c.is_control() && c != '\n'));
            assert!(display_width(&line.text) <= 40, "{:?}", line.text);
        }
    }
}

fn files(dir: &str) -> Vec<(String, Vec<u8>)> {
    let path = format!("{}/tests/fixtures/{dir}", env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).expect("readable fixture");
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    out.sort();
    out
}

thread_local! {
    /// Panics on this thread, caught or not (the fuzzer counts a caught panic as a crash too: it
    /// fails a whole feed inside `parse_feed`).
    static PANICS: Cell<usize> = const { Cell::new(0) };
}

/// Count every panic on the current thread, then report it as usual.
fn count_panics() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.with(|p| p.set(p.get() + 1));
            previous(info);
        }));
    });
}

#[test]
fn fuzz_findings_parse_render_and_wrap_without_a_panic() {
    count_panics();
    let findings = files("fuzz");
    assert!(
        !findings.is_empty(),
        "the findings are in tests/fixtures/fuzz"
    );
    for (name, bytes) in &findings {
        PANICS.with(|p| p.set(0));
        let outcome = std::panic::catch_unwind(|| parse_render_wrap(bytes));
        assert!(outcome.is_ok(), "{name} crashes again");
        assert_eq!(
            PANICS.with(Cell::get),
            0,
            "{name}: a panic inside the parse path"
        );
    }
}

fn corpus() -> Vec<Vec<u8>> {
    let mut all: Vec<Vec<u8>> = files("feeds/spec").into_iter().map(|(_, b)| b).collect();
    all.extend(files("hostile").into_iter().map(|(_, b)| b));
    all
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn mutated_fixtures_never_crash(pick in any::<prop::sample::Index>(),
                                    edits in prop::collection::vec((0usize..4, any::<usize>(), any::<u8>()), 1..8)) {
        let corpus = corpus();
        let mut data = pick.get(&corpus).clone();
        for (kind, at, byte) in edits {
            let at = at % (data.len() + 1);
            match kind {
                0 if at < data.len() => data[at] ^= byte.max(1),
                1 => data.insert(at, byte),
                2 if at < data.len() => {
                    data.remove(at);
                }
                _ => {
                    // Splice: repeat a slice (as fuzzers do with dictionary tokens and havoc).
                    let end = (at + usize::from(byte)).min(data.len());
                    let piece = data[at..end].to_vec();
                    data.splice(at..at, piece);
                }
            }
        }
        parse_render_wrap(&data);
    }
}
