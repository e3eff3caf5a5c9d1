//! The conversation under an article (issue 14): `c` fetches the item's comment feed from a real
//! loopback server, threads it and shows it in the reader; `c`/Esc go back; `C` opens the page.

mod builders;
mod support;

use builders::*;
use crossterm::event::KeyCode;
use std::sync::Arc;
use std::time::Duration;
use support::{Response, TestServer};
use tidings::app::{App, Effect, Focus, Msg};
use tidings::config::Settings;
use tidings::feed::http::{HttpClient, Limits};
use tidings::store::Store;

const COMMENTS: &str = r#"<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0">
  <title>Comments on Budget talks</title><id>urn:c</id><updated>2026-01-05T00:00:00Z</updated>
  <entry><id>urn:c2</id><title>Re</title><author><name>Bo Replier</name></author>
    <published>2026-01-02T10:00:00Z</published><updated>2026-01-02T10:00:00Z</updated>
    <thr:in-reply-to ref="urn:c1"/>
    <content type="html">&lt;p&gt;I disagree with the first point.&lt;/p&gt;</content></entry>
  <entry><id>urn:c1</id><title>First</title><author><name>Al Commenter</name></author>
    <published>2026-01-01T09:00:00Z</published><updated>2026-01-01T09:00:00Z</updated>
    <content type="html">&lt;p&gt;Great piece, &lt;b&gt;thanks&lt;/b&gt;.&#x1b;[31m&lt;/p&gt;</content></entry>
  <entry><id>urn:c3</id><title>Later</title><author><name>Cy Latecomer</name></author>
    <published>2026-01-03T08:00:00Z</published><updated>2026-01-03T08:00:00Z</updated>
    <content type="html">Late to the party.</content></entry>
</feed>"#;

fn client() -> HttpClient {
    HttpClient::new(Limits {
        timeout: Duration::from_secs(10),
        max_bytes: 1_000_000,
    })
    .expect("client")
}

fn app_with(item: tidings::model::Article) -> App {
    let store = Store::new(vec![feed(0, "World News", &[])]);
    let mut app = App::new(store, Settings::default());
    app.update(Msg::Resize {
        width: 100,
        height: 40,
    });
    app.update(loaded(0, vec![item]));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Enter));
    assert_eq!(app.focus, Focus::Article);
    app
}

/// Run the effects the way the runtime does (it never sees `App`) and hand the replies back.
async fn run(app: &mut App, effects: Vec<Effect>, client: &Arc<HttpClient>) {
    for effect in effects {
        if let Effect::FetchComments { generation, url } = effect {
            let result = tidings::feed::comments::fetch_comments(client, &url)
                .await
                .map_err(|e| e.to_string());
            app.update(Msg::Comments { generation, result });
        }
    }
}

fn row_of(rows: &[String], needle: &str) -> usize {
    rows.iter()
        .position(|r| r.contains(needle))
        .unwrap_or_else(|| panic!("{needle} on screen:\n{}", rows.join("\n")))
}

fn indent_of(rows: &[String], needle: &str) -> usize {
    let row = &rows[row_of(rows, needle)];
    let col = row.find(needle).expect("found above");
    row[..col].chars().count()
}

#[tokio::test]
async fn c_shows_the_threaded_comments_in_the_reader_and_c_goes_back() {
    let server = TestServer::start([(
        "/post/comments.xml",
        Response::ok(COMMENTS, "application/atom+xml"),
    )]);
    let client = Arc::new(client());
    let mut item = article(0, "p1", "Budget talks", 3);
    item.comments = Some(3);
    item.comment_feed = Some(server.url("/post/comments.xml"));
    let mut app = app_with(item);

    let effects = app.update(ch('c'));
    assert!(
        render(&app).join("\n").contains("fetching comments"),
        "a placeholder while fetching"
    );
    run(&mut app, effects, &client).await;
    let rows = render(&app);
    let text = rows.join("\n");
    assert!(text.contains("Comments (3)"), "{text}");
    // Threaded: Al's comment, Bo's reply under it (indented), then Cy's, oldest first.
    let (al, bo, cy) = (
        row_of(&rows, "Al Commenter"),
        row_of(&rows, "Bo Replier"),
        row_of(&rows, "Cy Latecomer"),
    );
    assert!(al < bo && bo < cy, "{text}");
    assert!(indent_of(&rows, "Bo Replier") > indent_of(&rows, "Al Commenter"));
    assert_eq!(
        indent_of(&rows, "Cy Latecomer"),
        indent_of(&rows, "Al Commenter")
    );
    assert!(
        text.contains("Thu 01 Jan 2026 09:00"),
        "dates shown: {text}"
    );
    assert!(text.contains("Great piece, thanks."), "{text}");
    assert!(text.contains("I disagree with the first point."), "{text}");
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "no control characters from the feed reach the screen"
    );
    assert!(!text.contains("[31m"), "{text}");
    assert_eq!(server.hits("/post/comments.xml"), 1);

    // `c` again: the article, as it was.
    assert!(app.update(ch('c')).is_empty());
    let text = render(&app).join("\n");
    assert!(text.contains("Paragraph 0 begins here"), "{text}");
    assert!(!text.contains("Al Commenter"), "{text}");

    // And Esc from the comments goes back to the article, not the headlines.
    let effects = app.update(ch('c'));
    run(&mut app, effects, &client).await;
    assert!(render(&app).join("\n").contains("Al Commenter"));
    app.update(key(KeyCode::Esc));
    assert_eq!(app.focus, Focus::Article);
    assert!(render(&app).join("\n").contains("Paragraph 0 begins here"));
}

#[tokio::test]
async fn a_failed_fetch_keeps_the_article_and_says_why() {
    let server = TestServer::start([("/c.xml", Response::status(404))]);
    let client = Arc::new(client());
    let mut item = article(0, "p1", "Budget talks", 3);
    item.comment_feed = Some(server.url("/c.xml"));
    let mut app = app_with(item);
    let effects = app.update(ch('c'));
    run(&mut app, effects, &client).await;
    let status = app.status.clone().expect("a note");
    assert!(status.is_error && status.text.contains("404"), "{status:?}");
    assert!(render(&app).join("\n").contains("Paragraph 0 begins here"));
}

#[test]
fn without_a_comment_feed_or_page_the_status_bar_says_so() {
    let mut app = app_with(article(0, "p1", "Budget talks", 3));
    assert!(app.update(ch('c')).is_empty());
    let text = render(&app).join("\n");
    assert!(text.contains("no comment feed"), "{text}");
    assert!(app.update(ch('C')).is_empty());
    let text = render(&app).join("\n");
    assert!(text.contains("nothing to open"), "{text}");
}

#[test]
fn capital_c_opens_the_comments_page_as_one_http_url() {
    let mut item = article(0, "p1", "Budget talks", 3);
    item.comments_page = Some("https://example.org/p1#comments".into());
    let mut app = app_with(item);
    assert_eq!(
        app.update(ch('C')),
        vec![Effect::OpenLink("https://example.org/p1#comments".into())]
    );
}

#[test]
fn the_headline_shows_a_non_zero_comment_count() {
    let mut with = article(0, "p1", "Budget talks", 3);
    with.comments = Some(42);
    let mut without = article(0, "p2", "Quiet story", 2);
    without.comments = Some(0);
    let store = Store::new(vec![feed(0, "World News", &[])]);
    let mut app = App::new(store, Settings::default());
    app.update(Msg::Resize {
        width: 100,
        height: 20,
    });
    app.update(loaded(0, vec![with, without]));
    let rows = render(&app);
    let talks = &rows[row_of(&rows, "Budget talks")];
    assert!(talks.contains("Budget talks [42]"), "{talks}");
    let quiet = &rows[row_of(&rows, "Quiet story")];
    assert!(!quiet.contains('['), "{quiet}");
}
