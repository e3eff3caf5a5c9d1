//! End-to-end tests of the fetch layer against the loopback server: good feeds load, each bad one
//! fails with its own clear one-line error, all within the deadline, with bounded concurrency.

mod support;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{Response, TestServer};
use tidings::feed::http::{FetchError, Fetched, HttpClient, Limits, MAX_REDIRECTS};
use tidings::feed::{refresh_all, RefreshJob};
use tidings::model::{FeedId, FeedUpdate, Validators};
use url::Url;

const TIMEOUT: Duration = Duration::from_secs(2);
/// Long after `TIMEOUT`, well short of a stall: a refresh still running then ignored its deadline.
const STALL_VERDICT: Duration = Duration::from_secs(20);
const MAX_BYTES: u64 = 200_000;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/feeds/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

fn client() -> HttpClient {
    HttpClient::new(Limits {
        timeout: TIMEOUT,
        max_bytes: MAX_BYTES,
    })
    .expect("client builds")
}

fn url(s: &str) -> Url {
    Url::parse(s).expect("test URL")
}

/// Run `refresh_all` and collect every update, checking the Started-then-one-outcome protocol.
async fn refresh(
    server_jobs: Vec<(FeedId, String, Validators)>,
    concurrency: usize,
) -> (HashMap<FeedId, FeedUpdate>, Duration) {
    let jobs: Vec<RefreshJob> = server_jobs
        .into_iter()
        .map(|(feed, u, validators)| RefreshJob {
            feed,
            url: url(&u),
            validators,
            options: Default::default(),
        })
        .collect();
    let n = jobs.len();
    let (tx, mut rx) = tokio::sync::mpsc::channel(4);
    let start = Instant::now();
    let driver = tokio::spawn(refresh_all(Arc::new(client()), jobs, concurrency, tx));
    let mut started = 0;
    let mut outcomes = HashMap::new();
    while let Some(update) = rx.recv().await {
        match update {
            FeedUpdate::Started(feed) => {
                assert!(!outcomes.contains_key(&feed), "Started after the outcome");
                started += 1;
            }
            other => {
                let previous = outcomes.insert(other.feed(), other);
                assert!(previous.is_none(), "two outcomes for one feed");
            }
        }
    }
    driver.await.expect("refresh_all finishes");
    let elapsed = start.elapsed();
    assert_eq!(started, n);
    assert_eq!(outcomes.len(), n);
    (outcomes, elapsed)
}

fn failure(outcomes: &HashMap<FeedId, FeedUpdate>, id: usize) -> (String, Option<Duration>) {
    match &outcomes[&FeedId(id)] {
        FeedUpdate::Failed {
            message,
            retry_after,
            ..
        } => {
            assert!(!message.contains('\n') && !message.chars().any(char::is_control));
            (message.clone(), *retry_after)
        }
        other => panic!("feed {id}: expected Failed, got {other:?}"),
    }
}

fn loaded(outcomes: &HashMap<FeedId, FeedUpdate>, id: usize) -> (usize, Option<String>) {
    match &outcomes[&FeedId(id)] {
        FeedUpdate::Loaded { parsed, .. } => (parsed.articles.len(), parsed.title.clone()),
        other => panic!("feed {id}: expected Loaded, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn mixed_refresh_each_feed_gets_its_own_outcome_within_the_deadline() {
    let server = TestServer::start([
        (
            "/rss.xml",
            Response::ok(fixture("rss2.xml"), "application/rss+xml"),
        ),
        (
            "/atom.xml",
            Response::ok(fixture("atom.xml"), "application/atom+xml"),
        ),
        (
            "/feed.json",
            Response::ok(fixture("jsonfeed.json"), "application/feed+json"),
        ),
        ("/gone.xml", Response::status(404)),
        ("/broken.xml", Response::status(500)),
        ("/stall.xml", Response::stall()),
        (
            "/trickle.xml",
            Response::ok(fixture("rss2.xml"), "text/xml").stall_after(40),
        ),
        (
            "/page.html",
            Response::ok("<!DOCTYPE html><html><body>hi</body></html>", "text/html"),
        ),
        ("/huge.xml", Response::ok(vec![b' '; 300_000], "text/xml")),
        ("/loop.xml", Response::redirect(302, "/loop.xml")),
        (
            "/cond.xml",
            Response::ok(fixture("rss2.xml"), "text/xml").etag("\"v1\""),
        ),
        (
            "/busy.xml",
            Response::status(429).header("Retry-After", "120"),
        ),
        ("/empty.xml", Response::ok(Vec::new(), "text/xml")),
    ]);
    let with_etag = Validators {
        etag: Some("\"v1\"".into()),
        last_modified: None,
    };
    let paths = [
        "/rss.xml",
        "/atom.xml",
        "/feed.json",
        "/gone.xml",
        "/broken.xml",
        "/stall.xml",
        "/trickle.xml",
        "/page.html",
        "/huge.xml",
        "/loop.xml",
        "/cond.xml",
        "/busy.xml",
        "/empty.xml",
    ];
    let jobs = paths
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let v = if *p == "/cond.xml" {
                with_etag.clone()
            } else {
                Validators::default()
            };
            (FeedId(i), server.url(p), v)
        })
        .collect();
    let (out, elapsed) = refresh(jobs, 16).await;

    // The stalled servers never answer: only the per-request deadline ends this refresh. The bound is
    // generous (a loaded machine cannot break it); it only decides how long a real hang takes to report.
    assert!(elapsed < STALL_VERDICT, "took {elapsed:?}");
    assert_eq!(loaded(&out, 0), (2, Some("Example & Co News".into())));
    assert_eq!(loaded(&out, 1).0, 2);
    assert_eq!(loaded(&out, 2).0, 2);
    assert_eq!(failure(&out, 3).0, "HTTP 404 Not Found");
    assert_eq!(failure(&out, 4).0, "HTTP 500 Internal Server Error");
    assert_eq!(failure(&out, 5).0, "timed out after 2 s");
    assert_eq!(failure(&out, 6).0, "timed out after 2 s");
    assert_eq!(failure(&out, 7).0, "not a feed: got an HTML page");
    assert_eq!(
        failure(&out, 8).0,
        format!("response too large (over {MAX_BYTES} bytes)")
    );
    assert_eq!(failure(&out, 9).0, "too many redirects");
    // The first request plus at most MAX_REDIRECTS hops.
    assert_eq!(server.hits("/loop.xml"), 1 + MAX_REDIRECTS);
    assert!(matches!(out[&FeedId(10)], FeedUpdate::NotModified { .. }));
    let (busy, retry) = failure(&out, 11);
    assert!(busy.starts_with("HTTP 429"), "{busy}");
    assert_eq!(retry, Some(Duration::from_secs(120)));
    assert_eq!(failure(&out, 12).0, "empty response");
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrency_limit_is_honoured() {
    let body = fixture("rss2.xml");
    let paths: Vec<String> = (0..12).map(|i| format!("/f{i}.xml")).collect();
    let server = TestServer::start(paths.iter().map(|p| {
        (
            p.as_str(),
            Response::ok(body.clone(), "text/xml").delay(Duration::from_millis(150)),
        )
    }));
    let jobs = paths
        .iter()
        .enumerate()
        .map(|(i, p)| (FeedId(i), server.url(p), Validators::default()))
        .collect();
    let (out, _) = refresh(jobs, 3).await;
    for i in 0..12 {
        assert_eq!(loaded(&out, i).0, 2);
    }
    assert!(
        server.max_in_flight() <= 3,
        "in flight {}",
        server.max_in_flight()
    );
    assert!(server.max_in_flight() >= 2, "no concurrency at all");
}

#[tokio::test]
async fn conditional_get_sends_validators_and_user_agent() {
    let server = TestServer::start([(
        "/c.xml",
        Response::ok(fixture("rss2.xml"), "text/xml")
            .etag("\"abc\"")
            .header("Last-Modified", "Tue, 02 Jan 2024 10:30:00 GMT"),
    )]);
    let c = client();
    let first = c
        .fetch(&url(&server.url("/c.xml")), &Validators::default())
        .await;
    let Ok(Fetched::Body(body)) = first else {
        panic!("expected a body, got {first:?}");
    };
    assert_eq!(body.validators.etag.as_deref(), Some("\"abc\""));
    assert_eq!(
        body.validators.last_modified.as_deref(),
        Some("Tue, 02 Jan 2024 10:30:00 GMT")
    );
    assert_eq!(body.content_type.as_deref(), Some("text/xml"));
    let ua = server
        .last_header("/c.xml", "user-agent")
        .unwrap_or_default();
    assert!(ua.starts_with("tidings/"), "{ua}");

    let second = c.fetch(&url(&server.url("/c.xml")), &body.validators).await;
    assert!(matches!(second, Ok(Fetched::NotModified)), "{second:?}");
    assert_eq!(
        server.last_header("/c.xml", "if-modified-since").as_deref(),
        Some("Tue, 02 Jan 2024 10:30:00 GMT")
    );
}

#[tokio::test]
async fn redirects_are_bounded_and_http_only() {
    let mut routes: Vec<(String, Response)> = (0..8)
        .map(|i| {
            (
                format!("/r{i}"),
                Response::redirect(302, &format!("/r{}", i + 1)),
            )
        })
        .collect();
    routes.push(("/r8".into(), Response::ok(fixture("rss2.xml"), "text/xml")));
    routes.push((
        "/to-file".into(),
        Response::redirect(301, "file:///etc/passwd"),
    ));
    routes.push((
        "/to-js".into(),
        Response::redirect(302, "javascript:alert(1)"),
    ));
    routes.push(("/nowhere".into(), Response::status(302)));
    let server = TestServer::start(routes.iter().map(|(p, r)| (p.as_str(), r.clone())));
    let c = client();
    let v = Validators::default();

    // r2 → r8 is six hops: allowed, and the final URL is reported.
    match c.fetch(&url(&server.url("/r2")), &v).await {
        Ok(Fetched::Body(body)) => assert_eq!(body.final_url.path(), "/r8"),
        other => panic!("six hops should load: {other:?}"),
    }
    // r1 → r8 is seven hops: refused.
    let err = c
        .fetch(&url(&server.url("/r1")), &v)
        .await
        .expect_err("seven hops");
    assert_eq!(err.to_string(), "too many redirects");
    for (path, scheme) in [("/to-file", "file:"), ("/to-js", "javascript:")] {
        let err = c
            .fetch(&url(&server.url(path)), &v)
            .await
            .expect_err("scheme switch");
        assert_eq!(
            err.to_string(),
            format!("redirect to {scheme} refused (only http and https are followed)")
        );
    }
    let err = c
        .fetch(&url(&server.url("/nowhere")), &v)
        .await
        .expect_err("no Location");
    assert!(err.to_string().starts_with("HTTP 302"), "{err}");
}

#[tokio::test]
async fn transport_and_scheme_errors_are_one_clear_line() {
    let c = client();
    let v = Validators::default();
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let err = c
        .fetch(&url(&format!("http://127.0.0.1:{port}/x.xml")), &v)
        .await
        .expect_err("refused");
    assert_eq!(err.to_string(), "connection refused");

    let err = c
        .fetch(&url("ftp://example.com/feed"), &v)
        .await
        .expect_err("ftp");
    assert!(matches!(err, FetchError::Scheme(_)));
    assert_eq!(err.to_string(), "unsupported URL scheme: ftp");
}

#[tokio::test]
async fn file_urls_are_read_under_the_size_cap() {
    let dir = tempfile::tempdir().expect("temp dir");
    let small = dir.path().join("small.xml");
    std::fs::write(&small, fixture("rss2.xml")).expect("write");
    let big = dir.path().join("big.xml");
    std::fs::write(&big, vec![b'x'; MAX_BYTES as usize + 1]).expect("write");
    let c = client();
    let v = Validators::default();

    let ok = c
        .fetch(&Url::from_file_path(&small).expect("abs path"), &v)
        .await;
    assert!(matches!(ok, Ok(Fetched::Body(ref b)) if b.bytes == fixture("rss2.xml")));
    let err = c
        .fetch(&Url::from_file_path(&big).expect("abs path"), &v)
        .await
        .expect_err("big");
    assert!(matches!(err, FetchError::TooLarge(MAX_BYTES)));
    let missing = dir.path().join("missing.xml");
    let err = c
        .fetch(&Url::from_file_path(&missing).expect("abs path"), &v)
        .await
        .expect_err("missing");
    assert!(err.to_string().starts_with("cannot read "), "{err}");
    assert!(err.to_string().ends_with(": no such file"), "{err}");
}
