//! Per-feed settings in feeds.toml: parsed, validated with `file:line:col: key: expected …`, and header
//! values never shown (not in errors, not in `{:?}`).

use std::path::Path;

use tidings::config;

const TOKEN: &str = "Bearer s3cr3t-t0ken";

fn parse_err(text: &str) -> String {
    match config::parse(text, Some(Path::new("/cfg/feeds.toml"))) {
        Ok(cfg) => panic!("expected an error, got {cfg:?}"),
        Err(err) => err.to_string(),
    }
}

#[test]
fn every_per_feed_setting_is_read() {
    let text = format!(
        r#"
[[feed]]
url = "https://example.org/rss.xml"
refresh_minutes = 5
max_articles = 40
timeout_seconds = 7
user_agent = "Mozilla/5.0 (compatible; tidings)"
headers = {{ Authorization = "{TOKEN}", "X-Api-Key" = "k" }}
enabled = false
full_text = true

[[feed]]
url = "feeds/local.xml"
"#
    );
    let cfg = config::parse(&text, Some(Path::new("/cfg/feeds.toml"))).expect("valid");
    let first = &cfg.feeds[0];
    assert_eq!(first.refresh_minutes, Some(5));
    assert_eq!(first.max_articles, Some(40));
    assert_eq!(first.timeout_seconds, Some(7));
    assert_eq!(
        first.user_agent.as_deref(),
        Some("Mozilla/5.0 (compatible; tidings)")
    );
    assert!(!first.enabled);
    assert!(first.full_text);
    let headers: Vec<(&str, &str)> = first
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.expose()))
        .collect();
    assert_eq!(headers, vec![("Authorization", TOKEN), ("X-Api-Key", "k")]);
    // Defaults: enabled, no overrides; relative paths still resolve against the config's folder.
    let second = &cfg.feeds[1];
    assert!(second.enabled);
    assert_eq!(second.refresh_minutes, None);
    assert_eq!(second.max_articles, None);
    assert_eq!(second.timeout_seconds, None);
    assert_eq!(second.user_agent, None);
    assert!(second.headers.is_empty());
    assert_eq!(second.url.as_str(), "file:///cfg/feeds/local.xml");
    // The Debug form of the whole config shows the header name but never its value.
    let debug = format!("{cfg:?}");
    assert!(debug.contains("Authorization"), "{debug}");
    assert!(!debug.contains("s3cr3t"), "{debug}");
}

#[test]
fn headers_as_a_sub_table_work_too() {
    let text = "[[feed]]\nurl = \"https://a.org/\"\n[feed.headers]\nCookie = \"session=abc\"\n";
    let cfg = config::parse(text, None).expect("valid");
    assert_eq!(cfg.feeds[0].headers[0].0, "Cookie");
    assert_eq!(cfg.feeds[0].headers[0].1.expose(), "session=abc");
}

#[test]
fn wrong_values_name_the_key_what_was_expected_and_the_position() {
    let cases = [
        (
            "timeout_seconds = 2.5",
            "3:19: timeout_seconds: expected a whole number of seconds, found a float (2.5)",
        ),
        (
            "timeout_seconds = 0",
            "3:19: timeout_seconds: expected 1 to 600 seconds, found 0",
        ),
        (
            "refresh_minutes = \"10\"",
            "3:19: refresh_minutes: expected a whole number of minutes, found a string (\"10\")",
        ),
        (
            "max_articles = 0",
            "3:16: max_articles: expected 1 to 1000000 articles, found 0",
        ),
        (
            "enabled = \"no\"",
            "3:11: enabled: expected true or false, found a string (\"no\")",
        ),
        (
            "user_agent = 5",
            "3:14: user_agent: expected a string in quotes, found an integer (5)",
        ),
        (
            "user_agent = \"a\\nb\"",
            "3:14: user_agent: expected one line of at most 512 bytes without control characters",
        ),
        (
            "headers = [\"x\"]",
            "3:11: headers: expected a table of strings, e.g. { Authorization = \"…\" }, found an array",
        ),
        (
            "headers = { \"Bad Name\" = \"v\" }",
            "3:11: headers: expected header names of letters, digits and -, found `Bad Name`",
        ),
        (
            "headers = { Host = \"evil.example\" }",
            "3:11: headers.Host: expected a header tidings does not set itself, found a reserved one",
        ),
        (
            "headers = { User-Agent = \"x\" }",
            "3:11: headers.User-Agent: set it with the feed's user_agent key instead",
        ),
        (
            "headers = { X-A = \"1\", x-a = \"2\" }",
            "3:11: headers.x-a: appears twice (names ignore case); keep one",
        ),
    ];
    for (line, expected) in cases {
        let msg = parse_err(&format!("[[feed]]\nurl = \"https://a.org/\"\n{line}\n"));
        assert!(
            msg.starts_with(&format!("/cfg/feeds.toml:{expected}")),
            "{line}: {msg}"
        );
        assert!(!msg.contains('\n'), "{msg}");
    }
}

#[test]
fn header_values_never_appear_in_errors() {
    let cases = [
        format!("headers = \"{TOKEN}\""),
        format!("headers = {{ Authorization = [\"{TOKEN}\"] }}"),
        "headers = { Authorization = 42 }".to_string(),
        "headers = { Authorization = \"Bearer s3cr3t\\r\\nX-Evil: 1\" }".to_string(),
    ];
    for line in &cases {
        let msg = parse_err(&format!("[[feed]]\nurl = \"https://a.org/\"\n{line}\n"));
        assert!(msg.starts_with("/cfg/feeds.toml:3:11: headers"), "{msg}");
        assert!(!msg.contains("s3cr3t") && !msg.contains("42"), "{msg}");
    }
    let msg = parse_err("[[feed]]\nurl = \"https://a.org/\"\nheaders = { Authorization = 42 }\n");
    assert_eq!(
        msg,
        "/cfg/feeds.toml:3:11: headers.Authorization: expected a string, found an integer"
    );
}
