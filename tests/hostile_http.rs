//! The HTTP half of the hostile corpus: `hostile_server.py` started from the test, every `http:/…` row of
//! cases.tsv plus every corpus feed refreshed in one run (in-process and through the built binary). Each
//! path must end in its own clear one-line outcome within the deadline, with bounded memory, without
//! touching the canary URLs and without retry storms.
//!
//! One `#[test]` on purpose: the peak-RSS check reads this process's VmHWM.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tidings::feed::http::{HttpClient, Limits, DEFAULT_RETRY_AFTER, MAX_RETRY_AFTER};
use tidings::feed::{refresh_all, RefreshJob};
use tidings::model::{FeedId, FeedUpdate, Validators};
use url::Url;

/// The per-request deadline: long enough that a loaded machine still inflates a deflate bomb to the
/// size cap before it (that case must fail as "too large", not "timed out"), well short of the stalls.
const TIMEOUT: Duration = Duration::from_secs(8);
/// Long after `TIMEOUT`, short of the server's 30 s stalls: a refresh still running then ignored its
/// deadline.
const STALL_VERDICT: Duration = Duration::from_secs(20);
const MAX_BYTES: u64 = 16_000_000;
const CONCURRENCY: usize = 16;
const PEAK_RSS_LIMIT_KB: u64 = 300 * 1024;

/// The good feed that must load in the same run as all the hostile ones.
const GOOD: &str = "/feeds/rss091.xml";

fn manifest(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The server process, killed when the test ends however it ends.
struct Server {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

/// Generate the `--scale 0.1` big cases, start the server on a free port and serve the corpus with its
/// canary URLs (port 8999) pointed at this server, so `/_stats` sees any fetch of them.
fn start_server() -> Server {
    let dir = tempfile::tempdir().expect("temp dir");
    let big = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile-big-http");
    let status = Command::new("python3")
        .arg(manifest("tests/fixtures/hostile-tools/gen_big.py"))
        .args(["--scale", "0.1", "--out"])
        .arg(&big)
        .stdout(Stdio::null())
        .status()
        .expect("python3 runs gen_big.py");
    assert!(status.success(), "gen_big.py failed");
    let feeds = dir.path().join("feeds");
    std::fs::create_dir(&feeds).expect("feeds dir");
    let port_file = dir.path().join("port");
    let child = Command::new("python3")
        .arg(manifest("tests/fixtures/hostile-tools/hostile_server.py"))
        .args(["--port", "0", "--port-file"])
        .arg(&port_file)
        .args([
            "--max-seconds",
            "120",
            "--bomb-mib",
            "64",
            "--endless-cap-mib",
            "64",
        ])
        .args(["--stall-seconds", "20", "--feeds"])
        .arg(&feeds)
        .arg("--big")
        .arg(&big)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 starts hostile_server.py");
    let mut server = Server {
        child,
        port: 0,
        _dir: dir,
    };
    let waited = Instant::now();
    while server.port == 0 {
        if let Some(port) = std::fs::read_to_string(&port_file)
            .ok()
            .and_then(|s| s.trim().parse().ok())
        {
            server.port = port;
        } else if let Ok(Some(status)) = server.child.try_wait() {
            panic!("hostile_server.py exited early: {status}");
        } else {
            assert!(waited.elapsed() < Duration::from_secs(20), "no port file");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    // The server resolves files per request, so the corpus can follow the port.
    let canary_host = format!("127.0.0.1:{}", server.port);
    for name in corpus_names() {
        let bytes = std::fs::read(manifest("tests/fixtures/hostile").join(&name)).expect("corpus");
        let bytes = replace_bytes(&bytes, b"127.0.0.1:8999", canary_host.as_bytes());
        std::fs::write(feeds.join(&name), bytes).expect("copy corpus");
    }
    server
}

fn replace_bytes(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    while i < haystack.len() {
        if haystack[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

fn corpus_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(manifest("tests/fixtures/hostile"))
        .expect("corpus dir")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// The `http:/…` rows of cases.tsv: (path with query, expected behaviour as written there).
fn http_cases() -> Vec<(String, String)> {
    let tsv = std::fs::read_to_string(manifest("tests/fixtures/hostile-tools/cases.tsv"))
        .expect("cases.tsv");
    tsv.lines()
        .filter_map(|line| {
            let mut cols = line.split('\t');
            let file = cols.next()?;
            let path = file.strip_prefix("http:")?;
            Some((path.to_string(), cols.nth(1).unwrap_or("").to_string()))
        })
        .collect()
}

/// What a path must come to.
#[derive(Debug, Clone)]
enum Expect {
    /// Loads with exactly this many items (None: any number), each text found in the titles.
    Loads(Option<usize>, &'static [&'static str]),
    /// Fails; the message holds every fragment (case-insensitive); the back-off lies in the range (s).
    Fails(&'static [&'static str], Option<(u64, u64)>),
    /// 304 without validators: "unchanged" or an error, never an empty feed.
    NotModifiedOrFails,
    /// Loads with its titles capped, or fails as too large.
    LoadsCappedOrTooLarge,
    /// Any single clean outcome (the corpus row asks nothing the fetch layer decides).
    Clean,
}

/// cases.tsv's expected behaviour for each `http:/…` row, as assertions. Every row must have one.
fn http_expectation(path: &str) -> Option<Expect> {
    use Expect::*;
    let default = DEFAULT_RETRY_AFTER.as_secs();
    let cap = MAX_RETRY_AFTER.as_secs();
    Some(match path {
        "/gzip-bomb"
        | "/deflate-bomb"
        | "/endless"
        | "/endless-no-length"
        | "/content-length-huge" => Fails(&["too large"], None),
        "/gzip-invalid" | "/gzip-truncated" => Fails(&["compressed"], None),
        "/trickle" | "/stall" | "/stall-headers" | "/slow-headers" => Fails(&["timed out"], None),
        "/redirect-loop" | "/redirect-pingpong/a" | "/redirect-chain/25" => {
            Fails(&["too many redirects"], None)
        }
        "/redirect-file" => Fails(&["redirect", "file:", "refused"], None),
        "/redirect-javascript" => Fails(&["redirect", "javascript:", "refused"], None),
        "/redirect-data" => Fails(&["redirect", "data:", "refused"], None),
        "/redirect-no-location" => Fails(&["HTTP 302", "Location"], None),
        "/redirect-chain/5" => Loads(Some(2), &[]),
        "/redirect-relative" | "/redirect-permanent" => Loads(Some(2), &[]),
        "/status/404" => Fails(&["HTTP 404 Not Found"], None),
        "/status/410" => Fails(&["HTTP 410 Gone", "removed"], None),
        "/status/500" => Fails(&["HTTP 500"], None),
        "/status/429" => Fails(
            &["HTTP 429", "rate limited", "retry after 2 min"],
            Some((120, 120)),
        ),
        "/retry-after-garbage" => Fails(&["HTTP 429", "retry after"], Some((default, default))),
        "/retry-after-huge" => Fails(&["HTTP 429", "retry after"], Some((cap, cap))),
        "/retry-after-date" => Fails(&["HTTP 503", "retry after"], Some((90, 121))),
        "/auth-required" => Fails(&["HTTP 401", "authentication required"], None),
        "/304-unconditional" => NotModifiedOrFails,
        "/empty-200" => Fails(&["empty response"], None),
        "/wrong-ctype/rss091.xml" | "/html-ctype/rss091.xml" | "/no-ctype/rss091.xml" => {
            Loads(Some(2), &[])
        }
        "/charset-lie/iso-8859-1.xml" => Loads(None, &["Café Prøve"]),
        "/charset-header/no-decl-latin1.xml?cs=iso-8859-1" => Loads(None, &["Café", "Prøve"]),
        "/content-length-lie" => Fails(&["closed early"], None),
        "/content-length-short" => Fails(&["could not parse", "truncated"], None),
        "/reset" => Fails(&["connection reset"], None),
        "/empty-close" => Fails(&["closed"], None),
        "/garbage" => Fails(&["invalid HTTP response"], None),
        "/huge-headers" | "/many-headers" => Fails(&["header"], None),
        "/big/title-50mb.xml" => LoadsCappedOrTooLarge,
        _ => return None,
    })
}

/// The corpus rows whose outcome the fetch layer decides (counts and failures named in cases.tsv).
fn feed_expectation(name: &str) -> Expect {
    use Expect::*;
    match name {
        "esc-title-csi.xml" | "esc-title-charref.xml" => Loads(Some(3), &[]),
        "esc-json-feed.json" | "rss091.xml" | "rdf-rss10.xml" => Loads(Some(2), &[]),
        "utf16le-bom.xml" => Loads(Some(1), &["UTF-16 日本語 feed"]),
        "rss-no-version.xml" | "atom03.xml" => Loads(Some(1), &[]),
        "iso-8859-1.xml" => Loads(None, &["Café Prøve", "Grüße aus Köln à la crème"]),
        "zero-items.xml" => Loads(Some(0), &[]),
        "empty.xml" | "bom-only.xml" => Fails(&["empty response"], None),
        "html-not-feed.html" => Fails(&["not a feed"], None),
        "json-not-a-feed.json" => Fails(&["not a JSON Feed"], None),
        // Issue 10: a broken document keeps its good items (recovered item by item).
        "malformed-tags.xml" => Loads(Some(1), &["second"]),
        "truncated.xml" => Loads(Some(3), &["Item 0", "Item 2"]),
        _ => Clean,
    }
}

/// Characters that must never reach a terminal.
fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || ('\u{80}'..='\u{9f}').contains(&c)
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Check one outcome against its expectation; returns the table cell or the reason it is wrong.
fn check(outcome: &FeedUpdate, expect: &Expect) -> Result<String, String> {
    let lower = |s: &str| s.to_lowercase();
    match outcome {
        FeedUpdate::Loaded { parsed, .. } => {
            let n = parsed.articles.len();
            let cell = format!("loaded, {n} items");
            for a in &parsed.articles {
                if a.title.chars().count() > 2_000 || a.title.chars().any(is_forbidden) {
                    return Err(format!("{cell}: title not capped/clean"));
                }
            }
            match expect {
                Expect::Loads(count, texts) => {
                    if count.is_some_and(|c| c != n) {
                        return Err(format!("{cell}, expected {count:?}"));
                    }
                    let mut all = parsed.title.clone().unwrap_or_default();
                    for a in &parsed.articles {
                        all.push('\n');
                        all.push_str(&a.title);
                    }
                    if let Some(t) = texts.iter().find(|t| !all.contains(*t)) {
                        return Err(format!("{cell}, {t:?} missing from {all:?}"));
                    }
                    Ok(cell)
                }
                Expect::LoadsCappedOrTooLarge | Expect::Clean => Ok(cell),
                other => Err(format!("{cell}, expected {other:?}")),
            }
        }
        FeedUpdate::NotModified { .. } => match expect {
            Expect::NotModifiedOrFails | Expect::Clean => Ok("not modified".into()),
            other => Err(format!("not modified, expected {other:?}")),
        },
        FeedUpdate::Failed {
            message,
            retry_after,
            ..
        } => {
            let back_off = retry_after.map(|d| format!(" [retry_after {} s]", d.as_secs()));
            let cell = format!("failed: {message}{}", back_off.unwrap_or_default());
            if message.is_empty() || message.contains('\n') || message.chars().any(is_forbidden) {
                return Err(format!("{cell}: not one clean line"));
            }
            match expect {
                Expect::Fails(fragments, range) => {
                    if let Some(f) = fragments
                        .iter()
                        .find(|f| !lower(message).contains(&lower(f)))
                    {
                        return Err(format!("{cell}: {f:?} missing"));
                    }
                    let secs = retry_after.map(|d| d.as_secs());
                    match (range, secs) {
                        (Some((lo, hi)), Some(s)) if (*lo..=*hi).contains(&s) => Ok(cell),
                        (None, None) => Ok(cell),
                        _ => Err(format!("{cell}: back-off expected in {range:?}")),
                    }
                }
                Expect::LoadsCappedOrTooLarge if message.contains("too large") => Ok(cell),
                Expect::NotModifiedOrFails | Expect::Clean => Ok(cell),
                other => Err(format!("{cell}, expected {other:?}")),
            }
        }
        FeedUpdate::Started(_) => Err("only Started".into()),
    }
}

fn peak_rss_kb() -> u64 {
    vm_hwm(&std::fs::read_to_string("/proc/self/status").unwrap_or_default()).unwrap_or(0)
}

fn vm_hwm(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// (label, URL) for every case: the good feed, each cases.tsv http row, each corpus feed.
fn all_cases(server: &Server) -> Vec<(String, String, Expect)> {
    let mut cases = vec![(
        format!("good {GOOD}"),
        server.url(GOOD),
        Expect::Loads(Some(2), &[]),
    )];
    let mut missing = Vec::new();
    for (path, _) in http_cases() {
        let key = path.split('?').next().unwrap_or(&path);
        let expect = http_expectation(&path).or_else(|| http_expectation(key));
        match expect {
            Some(expect) => cases.push((path.clone(), server.url(&path), expect)),
            None => missing.push(path),
        }
    }
    assert!(
        missing.is_empty(),
        "cases.tsv rows without an expectation here: {missing:?}"
    );
    assert!(cases.len() > 40, "cases.tsv has the http rows");
    for name in corpus_names() {
        let path = format!("/feeds/{name}");
        cases.push((path.clone(), server.url(&path), feed_expectation(&name)));
    }
    cases
}

async fn get_stats(server: &Server) -> serde_json::Value {
    let body = reqwest::get(server.url("/_stats"))
        .await
        .expect("GET /_stats")
        .text()
        .await
        .expect("stats body");
    serde_json::from_str(&body).expect("stats JSON")
}

fn hits(stats: &serde_json::Value, path: &str) -> u64 {
    stats["hits"][path].as_u64().unwrap_or(0)
}

fn assert_no_canary_hits(stats: &serde_json::Value, when: &str) {
    for canary in ["/xxe.dtd", "/xxe-probe"] {
        assert_eq!(hits(stats, canary), 0, "{when}: {canary} was fetched");
    }
}

async fn refresh_in_process(server: &Server, cases: &[(String, String, Expect)]) {
    let client = HttpClient::new(Limits {
        timeout: TIMEOUT,
        max_bytes: MAX_BYTES,
    })
    .expect("client builds");
    let jobs = cases
        .iter()
        .enumerate()
        .map(|(i, (_, url, _))| RefreshJob {
            feed: FeedId(i),
            url: Url::parse(url).expect("case URL"),
            validators: Validators::default(),
            options: Default::default(),
        })
        .collect();
    let (tx, mut rx) = tokio::sync::mpsc::channel(64);
    let started = Instant::now();
    let driver = tokio::spawn(refresh_all(Arc::new(client), jobs, CONCURRENCY, tx));
    let mut outcomes: HashMap<FeedId, FeedUpdate> = HashMap::new();
    while let Some(update) = rx.recv().await {
        if !matches!(update, FeedUpdate::Started(_)) {
            let previous = outcomes.insert(update.feed(), update);
            assert!(previous.is_none(), "two outcomes for one feed");
        }
    }
    driver.await.expect("refresh_all finishes");
    let elapsed = started.elapsed();

    let mut table = BTreeMap::new();
    let mut wrong = Vec::new();
    for (i, (label, _, expect)) in cases.iter().enumerate() {
        let result = match outcomes.get(&FeedId(i)) {
            Some(outcome) => check(outcome, expect),
            None => Err("no outcome".into()),
        };
        match result {
            Ok(cell) => table.insert(label.clone(), cell),
            Err(why) => {
                wrong.push(format!("{label}: {why}"));
                table.insert(label.clone(), format!("WRONG {why}"))
            }
        };
    }
    for (label, cell) in &table {
        eprintln!("| {label} | {cell} |");
    }
    let peak = peak_rss_kb();
    eprintln!(
        "refresh of {} feeds: {elapsed:?}, peak RSS {} MB",
        cases.len(),
        peak / 1024
    );
    assert!(
        wrong.is_empty(),
        "outcomes not as cases.tsv asks:\n{}",
        wrong.join("\n")
    );
    // /stall and friends hold the connection 30 s: only the per-request deadline ends this refresh
    // sooner. Generous, so a loaded machine cannot break it.
    assert!(elapsed < STALL_VERDICT, "refresh took {elapsed:?}");
    assert!(peak < PEAK_RSS_LIMIT_KB, "peak RSS {peak} kB");

    let stats = get_stats(server).await;
    assert_no_canary_hits(&stats, "in-process refresh");
    let loop_hits = hits(&stats, "/redirect-loop");
    assert!(
        (1..=10).contains(&loop_hits),
        "/redirect-loop hit {loop_hits} times"
    );
    assert_eq!(hits(&stats, "/status/429"), 1, "/status/429 retried");
}

/// `tidings fetch` on a config of every case: exit 0, on time, one clean line per feed.
async fn fetch_with_binary(server: &Server, cases: &[(String, String, Expect)]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("feeds.toml");
    let mut toml = format!(
        "[settings]\ntimeout_seconds = {}\nmax_feed_bytes = {MAX_BYTES}\nconcurrency = {CONCURRENCY}\n",
        TIMEOUT.as_secs()
    );
    // The config refuses a URL listed twice (the good feed is also a corpus feed).
    let mut urls: Vec<&str> = cases.iter().map(|(_, url, _)| url.as_str()).collect();
    urls.sort_unstable();
    urls.dedup();
    for url in &urls {
        toml.push_str(&format!("\n[[feed]]\nurl = {url:?}\n"));
    }
    std::fs::write(&config, toml).expect("write config");
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_tidings"))
        .args(["fetch", "--no-cache", "--config"])
        .arg(&config)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tidings runs");
    // Sample the child's peak RSS while it runs (its last sample is close to the true peak).
    let pid = child.id();
    let sampler = std::thread::spawn(move || {
        let mut peak = 0;
        while let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            if status.contains("State:\tZ") {
                break;
            }
            peak = peak.max(vm_hwm(&status).unwrap_or(0));
            std::thread::sleep(Duration::from_millis(20));
        }
        peak
    });
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("wait task")
        .expect("tidings output");
    let elapsed = started.elapsed();
    let peak = sampler.join().unwrap_or(0);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!(
        "tidings fetch: {elapsed:?}, exit {:?}, peak RSS ≈ {} MB\n{stdout}{stderr}",
        output.status.code(),
        peak / 1024
    );
    assert_eq!(output.status.code(), Some(0), "exit code; stderr: {stderr}");
    assert!(elapsed < STALL_VERDICT, "tidings fetch took {elapsed:?}");
    assert!(peak < PEAK_RSS_LIMIT_KB, "tidings fetch peak RSS {peak} kB");
    for (name, text) in [("stdout", &stdout), ("stderr", &stderr)] {
        if let Some(c) = text.chars().find(|c| is_forbidden(*c) && *c != '\t') {
            panic!("{name} holds U+{:04X}", c as u32);
        }
    }
    let feed_lines = stdout
        .lines()
        .filter(|l| l.starts_with('✓') || l.starts_with('✗'))
        .count();
    assert_eq!(feed_lines, urls.len(), "one line per feed");
    let stats = get_stats(server).await;
    assert_no_canary_hits(&stats, "tidings fetch");
}

#[test]
fn every_hostile_server_path_ends_in_its_own_feed_outcome() {
    let server = start_server();
    let cases = all_cases(&server);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        refresh_in_process(&server, &cases).await;
        fetch_with_binary(&server, &cases).await;
    });
}
