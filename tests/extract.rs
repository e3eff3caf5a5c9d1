//! Full-text extraction: pages written for these tests (tests/fixtures/extract/), the real fetch path
//! against a loopback HTTP server, and `tidings read` end to end.

use std::path::Path;
use std::process::Command;
use tidings::extract::{extract_article, extract_page, fetch_article, ExtractError, RenderStyle};
use tidings::feed::http::{HttpClient, Limits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

mod scaling;

const NEWS: &str = "tests/fixtures/extract/news.html";
const LATIN1: &str = "tests/fixtures/extract/latin1.html";
const NO_ARTICLE: &str = "tests/fixtures/extract/noarticle.html";

/// Sentences of the news fixture's article body.
const ARTICLE_TEXT: &[&str] = &[
    "The old harbour bridge reopened to traffic on Saturday morning",
    "Engineers replaced the corroded steel cables",
    "Commuters who had spent months on a twenty-minute detour",
    "It feels like getting an hour of my day back",
    "Traffic expected to return",
    "Officials said a final round of load tests in February",
];

/// Page furniture around it that must not come through.
const BOILERPLATE: &[&str] = &[
    "We use cookies",
    "Sport",
    "Share on Facebook",
    "1,204 shares",
    "Related stories",
    "Ferry timetable changes",
    "Sign up for our morning briefing",
    "Leave a Reply",
    "Took long enough",
    "Your email address will not be published",
    "Most read",
    "Storm warning",
    "Advertisement",
    "All rights reserved",
    "Photo: Jonas Berg",
];

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

fn assert_clean_article(text: &str) {
    for sentence in ARTICLE_TEXT {
        assert!(text.contains(sentence), "missing {sentence:?} in:\n{text}");
    }
    for junk in BOILERPLATE {
        assert!(
            !text.contains(junk),
            "boilerplate {junk:?} kept in:\n{text}"
        );
    }
}

#[test]
fn news_page_keeps_the_article_and_drops_the_furniture() {
    let (extracted, rendered) =
        extract_page(&fixture(NEWS), None, None, RenderStyle::Footnotes).expect("an article");
    assert_clean_article(&extracted.html);
    assert_clean_article(&rendered.to_plain());
    assert_eq!(
        extracted.title.as_deref(),
        Some("Harbour bridge reopens after two-year repair")
    );
    assert_eq!(extracted.published.as_deref(), Some("2026-03-14T08:30:00Z"));
}

#[test]
fn latin1_page_with_meta_charset_decodes() {
    let (extracted, rendered) =
        extract_page(&fixture(LATIN1), None, None, RenderStyle::Footnotes).expect("an article");
    let text = rendered.to_plain();
    assert_eq!(extracted.title.as_deref(), Some("Café culture in Zürich"));
    for word in [
        "cafés",
        "naïve",
        "crème",
        "Françoise Müller",
        "señores",
        "Été",
        "5 €",
        "£4",
        "—",
    ] {
        assert!(text.contains(word), "missing {word:?} in:\n{text}");
    }
    assert!(!text.contains('\u{FFFD}'));
}

#[test]
fn http_charset_overrides_a_wrong_meta() {
    let page = fixture(LATIN1);
    let (_, as_declared) = extract_page(
        &page,
        Some("text/html; charset=windows-1252"),
        None,
        RenderStyle::Footnotes,
    )
    .expect("an article");
    assert!(as_declared.to_plain().contains("Françoise"));
}

#[test]
fn page_without_an_article_is_no_article() {
    let result = extract_page(&fixture(NO_ARTICLE), None, None, RenderStyle::Footnotes);
    assert!(matches!(result, Err(ExtractError::NoArticle)), "{result:?}");
    assert!(matches!(
        extract_article("", None),
        Err(ExtractError::NoArticle)
    ));
    assert_eq!(
        ExtractError::NoArticle.to_string(),
        "no article found on the page"
    );
}

#[test]
fn json_ld_article_body_is_a_fallback() {
    let body =
        "A story told only in structured data, long enough to count as an article. ".repeat(5);
    let page = format!(
        r#"<html><head><script type="application/ld+json">{{"@type":"NewsArticle","headline":"Only JSON","articleBody":{}}}</script></head><body><div id="app"></div></body></html>"#,
        serde_json::Value::String(body)
    );
    let extracted = extract_article(&page, None).expect("the JSON-LD body");
    assert!(extracted
        .html
        .contains("A story told only in structured data"));
}

#[test]
fn hostile_pages_do_not_panic() {
    let deep = deep_divs(20_000);
    assert!(matches!(
        extract_page(deep.as_bytes(), None, None, RenderStyle::Footnotes),
        Err(ExtractError::NoArticle)
    ));
    let nested = format!(
        "{}<p>{}</p>{}",
        "<div>".repeat(400),
        "text ".repeat(100),
        "</div>".repeat(400)
    );
    let _ = extract_page(nested.as_bytes(), None, None, RenderStyle::Footnotes);
    let _ = extract_page(
        b"\xFF\xFE\x00<\x00p\x00>",
        None,
        None,
        RenderStyle::Footnotes,
    );
    let _ = extract_page(
        &[0u8; 4096],
        Some("text/html; charset=bogus"),
        None,
        RenderStyle::Footnotes,
    );
    let big = format!("<p>{}</p>", "word ".repeat(200_000));
    let _ = extract_page(big.as_bytes(), None, None, RenderStyle::Footnotes);
}

/// A one-route-per-path HTTP/1.1 server on loopback, answering each connection once.
async fn serve(routes: Vec<(&'static str, &'static str, Vec<u8>)>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let routes = routes.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&request);
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                let (status, content_type, body) = routes
                    .iter()
                    .find(|(p, _, _)| *p == path)
                    .map(|(_, ct, body)| ("200 OK", *ct, body.clone()))
                    .unwrap_or(("404 Not Found", "text/plain", b"not found".to_vec()));
                let header = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = socket.write_all(header.as_bytes()).await;
                let _ = socket.write_all(&body).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    format!("http://{addr}")
}

fn client() -> HttpClient {
    HttpClient::new(Limits {
        timeout: std::time::Duration::from_secs(5),
        max_bytes: 10_000_000,
    })
    .expect("client")
}

#[tokio::test]
async fn fetches_and_extracts_through_the_real_client() {
    let base = serve(vec![
        ("/news", "text/html; charset=utf-8", fixture(NEWS)),
        ("/latin1", "text/html", fixture(LATIN1)),
    ])
    .await;
    let url = url::Url::parse(&format!("{base}/news")).expect("url");
    let (extracted, rendered) = fetch_article(&client(), &url, RenderStyle::Footnotes)
        .await
        .expect("article");
    assert_clean_article(&rendered.to_plain());
    assert!(extracted.title.is_some());
    let url = url::Url::parse(&format!("{base}/latin1")).expect("url");
    let (_, rendered) = fetch_article(&client(), &url, RenderStyle::Footnotes)
        .await
        .expect("article");
    assert!(rendered.to_plain().contains("Françoise Müller"));
}

#[tokio::test]
async fn fetch_failures_are_one_clear_line() {
    let base = serve(vec![
        ("/paper.pdf", "application/pdf", b"%PDF-1.4".to_vec()),
        ("/login", "text/html", fixture(NO_ARTICLE)),
    ])
    .await;
    let get = |path: &str| url::Url::parse(&format!("{base}{path}")).expect("url");
    let pdf = fetch_article(&client(), &get("/paper.pdf"), RenderStyle::Footnotes)
        .await
        .err()
        .map(|e| e.to_string());
    assert_eq!(pdf.as_deref(), Some("not an HTML page (application/pdf)"));
    let missing = fetch_article(&client(), &get("/gone"), RenderStyle::Footnotes)
        .await
        .err()
        .map(|e| e.to_string());
    assert_eq!(missing.as_deref(), Some("HTTP 404 Not Found"));
    let login = fetch_article(&client(), &get("/login"), RenderStyle::Footnotes).await;
    assert!(matches!(login, Err(ExtractError::NoArticle)));
}

/// Run the binary with no config anywhere (empty XDG config home, HOME and working directory), so
/// `read` uses the default limits; relative fixture paths are made absolute first.
fn tidings(args: &[&str]) -> std::process::Output {
    let empty = tempfile::tempdir().expect("temp dir");
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(a);
            if a.starts_with("tests/") && path.exists() {
                path.display().to_string()
            } else {
                a.to_string()
            }
        })
        .collect();
    Command::new(env!("CARGO_BIN_EXE_tidings"))
        .args(&args)
        .current_dir(empty.path())
        .env_remove("TIDINGS_CONFIG")
        .env("XDG_CONFIG_HOME", empty.path())
        .env("HOME", empty.path())
        .output()
        .expect("run tidings")
}

#[test]
fn read_file_plain_and_json_end_to_end() {
    let plain = tidings(&["read", NEWS, "--plain"]);
    assert!(plain.status.success(), "{plain:?}");
    assert_clean_article(&String::from_utf8_lossy(&plain.stdout));

    let json = tidings(&["read", NEWS, "--json"]);
    assert!(json.status.success(), "{json:?}");
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON on stdout");
    assert_eq!(
        value["title"],
        "Harbour bridge reopens after two-year repair"
    );
    assert_eq!(value["published"], "2026-03-14T08:30:00Z");
    assert_clean_article(value["text"].as_str().unwrap_or_default());

    let wrapped = tidings(&["read", NEWS, "--width", "40"]);
    assert!(wrapped.status.success(), "{wrapped:?}");
    let out = String::from_utf8_lossy(&wrapped.stdout);
    assert!(out.starts_with("Harbour bridge reopens"), "{out}");
    assert!(
        out.lines()
            .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 40),
        "{out}"
    );
}

#[test]
fn read_failures_exit_1_with_a_message() {
    let none = tidings(&["read", NO_ARTICLE, "--plain"]);
    assert_eq!(none.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&none.stderr).contains("no article found on the page"));
    assert!(none.stdout.is_empty());

    let missing = tidings(&["read", "tests/fixtures/extract/missing.html"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read"));
}

fn deep_divs(n: usize) -> String {
    format!("{}<p>deep</p>{}", "<div>".repeat(n), "</div>".repeat(n))
}

#[test]
fn deep_nesting_costs_time_in_proportion_to_its_size() {
    scaling::assert_linear("extract nested divs", 2_000, deep_divs, |page| {
        let _ = extract_page(page.as_bytes(), None, None, RenderStyle::Footnotes);
    });
}
