//! End to end: `tidings list --query` and query feeds through `--feed`, with the cache's full-text
//! index answering `text:`, and without a cache (bodies in memory); query mistakes exit 2 with their
//! position.

mod e2e_common;
mod support;

use e2e_common::{feed, fixture, run, Sandbox};
use serde_json::Value;
use std::time::Duration;
use support::{Response, TestServer};

/// Generous bound for a command that should finish quickly (debug build, 2 busy cores).
const QUICK: Duration = Duration::from_secs(15);

fn sandbox_with_feeds(server: &TestServer) -> Sandbox {
    let sandbox = Sandbox::new();
    let path = sandbox.write_config(
        "",
        &[
            feed("Rss", server.url("/rss.xml"), &["tech"]),
            feed("Json", server.url("/feed.json"), &["science"]),
        ],
    );
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("\n[[query]]\nname = \"Hello world\"\nquery = \"text:hello or title:second\"\n");
    std::fs::write(&path, text).unwrap();
    sandbox
}

fn server() -> TestServer {
    TestServer::start([
        (
            "/rss.xml",
            Response::ok(fixture("rss2.xml"), "application/rss+xml"),
        ),
        (
            "/feed.json",
            Response::ok(fixture("jsonfeed.json"), "application/feed+json"),
        ),
    ])
}

fn titles(sandbox: &Sandbox, args: &[&str]) -> Vec<String> {
    let mut all = vec!["list", "--json"];
    all.extend_from_slice(args);
    let out = run(&mut sandbox.tidings(&all), QUICK);
    out.expect_code(0);
    let value: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", out.describe()));
    let mut titles: Vec<String> = value
        .as_array()
        .expect("one array")
        .iter()
        .map(|item| item["title"].as_str().expect("a title").to_string())
        .collect();
    titles.sort();
    titles
}

#[test]
fn list_query_finds_through_the_index_and_query_feeds_by_name() {
    let server = server();
    let sandbox = sandbox_with_feeds(&server);
    run(&mut sandbox.tidings(&["fetch"]), QUICK).expect_code(0);
    let requests = server.hits("/rss.xml");

    // `text:` is answered by the index: "content" is in the body of "First post" only.
    assert_eq!(
        titles(&sandbox, &["--query", "text:content"]),
        ["First post"]
    );
    assert_eq!(titles(&sandbox, &["--query", "text:cont*"]), ["First post"]);
    // Fields, flags and combinations, over the stored headlines.
    assert_eq!(
        titles(&sandbox, &["--query", "tag:science -title:numeric"]),
        ["String id item"]
    );
    assert_eq!(
        titles(
            &sandbox,
            &["--query", "comments>=42 or feed:json and title:string"]
        ),
        ["First post", "String id item"]
    );
    // Word counts stored beside the headlines: "Full content with a link & more." has 7.
    assert_eq!(titles(&sandbox, &["--query", "words>3"]), ["First post"]);
    assert_eq!(titles(&sandbox, &["--query", "words=7"]), ["First post"]);
    assert!(titles(&sandbox, &["--query", "starred"]).is_empty());
    // A query feed by name (any case), alone and narrowed further.
    assert_eq!(
        titles(&sandbox, &["--feed", "hello WORLD"]),
        ["Numeric id item", "Second post"]
    );
    assert_eq!(
        titles(&sandbox, &["--feed", "Hello world", "--query", "feed:rss"]),
        ["Second post"]
    );
    // Plain lines too; no request was made for any of it.
    let plain = run(
        &mut sandbox.tidings(&["list", "--query", "title:first"]),
        QUICK,
    );
    plain.expect_code(0);
    assert_eq!(plain.stdout.lines().count(), 1, "{}", plain.describe());
    assert!(plain.stdout.contains("First post"));
    assert_eq!(server.hits("/rss.xml"), requests);
}

#[test]
fn list_query_without_a_cache_searches_bodies_in_memory() {
    let server = server();
    let sandbox = sandbox_with_feeds(&server);
    assert_eq!(
        titles(&sandbox, &["--no-cache", "--query", "text:hello"]),
        ["Numeric id item"]
    );
}

#[test]
fn a_query_mistake_exits_2_with_its_column() {
    let server = server();
    let sandbox = sandbox_with_feeds(&server);
    let out = run(
        &mut sandbox.tidings(&["list", "--query", "tag:world and ("]),
        QUICK,
    );
    out.expect_code(2);
    assert!(
        out.stderr
            .contains("query:1:16: expected ')' after 'tag:world and ('"),
        "{}",
        out.describe()
    );
    assert!(out.stdout.is_empty());
    assert_eq!(
        server.hits("/rss.xml"),
        0,
        "nothing fetched for a bad query"
    );
}

#[test]
fn a_query_feed_mistake_in_the_config_exits_2_with_file_line_and_column() {
    let sandbox = Sandbox::new();
    let path = sandbox.write_config("", &[]);
    let mut text = std::fs::read_to_string(&path).unwrap();
    let line = text.lines().count() + 4;
    text.push_str("\n[[query]]\nname = \"Bad\"\nquery = \"age<7x\"\n");
    std::fs::write(&path, text).unwrap();
    let out = run(&mut sandbox.tidings(&["list"]), QUICK);
    out.expect_code(2);
    assert!(
        out.stderr
            .contains(&format!("feeds.toml:{line}:14: query: ")),
        "{}",
        out.describe()
    );
}
