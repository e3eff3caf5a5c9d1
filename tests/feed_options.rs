//! Per-feed request settings against the loopback server: headers and User-Agent reach it, the
//! feed's own deadline applies, and a header value never appears in an error.

mod support;

use std::time::Duration;
use support::{Response, TestServer};
use tidings::feed::http::{FetchOptions, Fetched, HttpClient, Limits};
use tidings::feed::{refresh_one, RefreshJob};
use tidings::model::{FeedId, FeedUpdate, Validators};
use tidings::secret::Secret;
use url::Url;

const TOKEN: &str = "Bearer s3cr3t-t0ken";

fn rss() -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/feeds/rss2.xml",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

/// A client whose own deadline is long, so a short per-feed one is what ends a stalled fetch.
fn client() -> HttpClient {
    HttpClient::new(Limits {
        timeout: Duration::from_secs(60),
        max_bytes: 1_000_000,
    })
    .expect("client builds")
}

fn secret_options(timeout_seconds: Option<u64>) -> FetchOptions {
    FetchOptions::new(
        timeout_seconds,
        Some("FeedBot/2.0 (+https://example.org/bot)".into()),
        vec![
            ("Authorization".into(), Secret::new(TOKEN)),
            ("X-Api-Key".into(), Secret::new("k-123")),
        ],
    )
}

fn job(url: String, options: FetchOptions) -> RefreshJob {
    RefreshJob {
        feed: FeedId(0),
        url: Url::parse(&url).expect("test URL"),
        validators: Validators::default(),
        options,
    }
}

#[tokio::test]
async fn headers_and_user_agent_reach_the_server() {
    let server = TestServer::start([("/feed.xml", Response::ok(rss(), "application/rss+xml"))]);
    let update = refresh_one(
        &client(),
        &job(server.url("/feed.xml"), secret_options(None)),
    )
    .await;
    assert!(matches!(update, FeedUpdate::Loaded { .. }), "{update:?}");
    assert_eq!(
        server.last_header("/feed.xml", "authorization").as_deref(),
        Some(TOKEN)
    );
    assert_eq!(
        server.last_header("/feed.xml", "x-api-key").as_deref(),
        Some("k-123")
    );
    assert_eq!(
        server.last_header("/feed.xml", "user-agent").as_deref(),
        Some("FeedBot/2.0 (+https://example.org/bot)")
    );
}

#[tokio::test]
async fn default_options_send_no_extra_headers() {
    let server = TestServer::start([("/feed.xml", Response::ok(rss(), "application/rss+xml"))]);
    let url = Url::parse(&server.url("/feed.xml")).expect("url");
    let fetched = client()
        .fetch_with(&url, &Validators::default(), &FetchOptions::default())
        .await
        .expect("fetched");
    assert!(matches!(fetched, Fetched::Body(_)));
    assert_eq!(server.last_header("/feed.xml", "authorization"), None);
    let agent = server
        .last_header("/feed.xml", "user-agent")
        .unwrap_or_default();
    assert!(agent.starts_with("tidings/"), "{agent}");
}

#[tokio::test]
async fn the_feeds_own_timeout_ends_a_stalled_fetch() {
    let server = TestServer::start([("/stall.xml", Response::stall())]);
    let update = refresh_one(
        &client(),
        &job(server.url("/stall.xml"), secret_options(Some(1))),
    )
    .await;
    let FeedUpdate::Failed { message, .. } = update else {
        panic!("expected a failure, got {update:?}");
    };
    assert!(message.contains("timed out after 1 s"), "{message}");
    assert!(!message.contains("s3cr3t"), "{message}");
    // The header was sent all the same.
    assert_eq!(
        server.last_header("/stall.xml", "authorization").as_deref(),
        Some(TOKEN)
    );
}

#[tokio::test]
async fn header_values_never_appear_in_errors() {
    let server = TestServer::start([
        ("/denied.xml", Response::status(401)),
        (
            "/page.html",
            Response::ok("<html><body>no feed</body></html>", "text/html"),
        ),
    ]);
    for path in ["/denied.xml", "/page.html", "/missing.xml"] {
        let update = refresh_one(&client(), &job(server.url(path), secret_options(None))).await;
        let FeedUpdate::Failed { message, .. } = &update else {
            panic!("{path}: expected a failure, got {update:?}");
        };
        assert!(!message.contains("s3cr3t"), "{path}: {message}");
        assert!(!format!("{update:?}").contains("s3cr3t"), "{path}");
    }
    // A value that cannot be sent is named by its header, not by its value.
    let bad = FetchOptions::new(
        None,
        None,
        vec![("Authorization".into(), Secret::new("s3cr3t\nX-Evil: 1"))],
    );
    let url = Url::parse(&server.url("/denied.xml")).expect("url");
    let err = client()
        .fetch_with(&url, &Validators::default(), &bad)
        .await
        .expect_err("an invalid header value is refused");
    let message = err.to_string();
    assert!(message.contains("Authorization"), "{message}");
    assert!(!message.contains("s3cr3t"), "{message}");
    assert!(!format!("{bad:?}").contains("s3cr3t"));
}
