//! End to end: per-feed settings through the built binary (`tidings fetch`, `tidings check`) against
//! the loopback server: headers sent, disabled feeds never requested, secrets never printed.

mod e2e_common;
mod support;

use e2e_common::{fixture, run, Sandbox};
use std::time::Duration;
use support::{Response, TestServer};

const QUICK: Duration = Duration::from_secs(15);
const TOKEN: &str = "Bearer e2e-s3cr3t";

#[test]
fn fetch_sends_feed_headers_skips_disabled_feeds_and_never_prints_secrets() {
    let server = TestServer::start([
        (
            "/a.xml",
            Response::ok(fixture("rss2.xml"), "application/rss+xml"),
        ),
        (
            "/off.xml",
            Response::ok(fixture("atom.xml"), "application/atom+xml"),
        ),
        ("/denied.xml", Response::status(401)),
    ]);
    let sandbox = Sandbox::new();
    let config = format!(
        r#"[settings]
refresh_minutes = 0
timeout_seconds = 5

[[feed]]
url = "{a}"
name = "Private"
user_agent = "FeedBot/2.0"
headers = {{ Authorization = "{TOKEN}" }}

[[feed]]
url = "{off}"
name = "Paused"
enabled = false

[[feed]]
url = "{denied}"
name = "Denied"
headers = {{ Authorization = "{TOKEN}" }}
"#,
        a = server.url("/a.xml"),
        off = server.url("/off.xml"),
        denied = server.url("/denied.xml"),
    );
    std::fs::write(sandbox.config(), config).expect("write feeds.toml");

    let out = run(&mut sandbox.tidings(&["fetch"]), QUICK);
    out.expect_code(0);
    assert_eq!(
        server.last_header("/a.xml", "authorization").as_deref(),
        Some(TOKEN)
    );
    assert_eq!(
        server.last_header("/a.xml", "user-agent").as_deref(),
        Some("FeedBot/2.0")
    );
    assert_eq!(
        server.hits("/off.xml"),
        0,
        "a disabled feed is never requested"
    );
    assert_eq!(server.hits("/denied.xml"), 1);
    assert!(out.stdout.contains("HTTP 401"), "{}", out.describe());
    assert!(!out.stdout.contains("s3cr3t") && !out.stderr.contains("s3cr3t"));

    let check = run(&mut sandbox.tidings(&["check"]), QUICK);
    check.expect_code(0);
    assert!(!check.stdout.contains("s3cr3t") && !check.stderr.contains("s3cr3t"));
}

#[test]
fn a_bad_header_is_exit_2_naming_the_key_without_its_value() {
    let sandbox = Sandbox::new();
    std::fs::write(
        sandbox.config(),
        "[[feed]]\nurl = \"https://a.org/\"\nheaders = { Authorization = 12345 }\n",
    )
    .expect("write feeds.toml");
    let out = run(&mut sandbox.tidings(&["check"]), QUICK);
    out.expect_code(2);
    assert!(
        out.stderr.contains(
            "feeds.toml:3:11: headers.Authorization: expected a string, found an integer"
        ),
        "{}",
        out.describe()
    );
    assert!(!out.stderr.contains("12345"), "{}", out.describe());
}
