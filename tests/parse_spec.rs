//! One fixture of our own per feed format and per mapping rule, written from the specs (RSS 0.90–2.0,
//! Atom 0.3/1.0, CDF, Dublin Core, dcterms, content, XHTML). Each test asserts what a reader must show:
//! the title, link, date, authors and the body as plain text (rendered like `read --plain`).

use chrono::{DateTime, TimeZone, Utc};
use tidings::feed::parse::parse_feed;
use tidings::model::{Article, FeedId, ParsedFeed};
use tidings::text::render_html_text;
use url::Url;

fn parse(name: &str) -> ParsedFeed {
    let path = format!(
        "{}/tests/fixtures/feeds/spec/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"));
    let base = Url::parse("http://127.0.0.1:8999/feeds/spec.xml").expect("static URL");
    let feed = parse_feed(&bytes, None, &base, FeedId(1)).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(feed.skipped, 0, "{name}: a valid document skips nothing");
    feed
}

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<DateTime<Utc>> {
    Some(Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap())
}

/// The body a reader shows: the richest body rendered to plain text.
fn body(a: &Article) -> String {
    render_html_text(a.body_html()).to_plain()
}

/// The teaser: the summary rendered to plain text.
fn summary(a: &Article) -> String {
    render_html_text(a.summary().unwrap_or("")).to_plain()
}

/// Title, link, date (published, else updated), authors and body, as a reader shows them.
struct Shown<'a> {
    title: &'a str,
    link: Option<&'a str>,
    date: Option<DateTime<Utc>>,
    authors: &'a [&'a str],
    body: &'a str,
}

fn assert_shown(name: &str, a: &Article, want: Shown) {
    assert_eq!(a.title, want.title, "{name}: title");
    assert_eq!(
        a.link.as_deref(),
        want.link,
        "{name}: link of {:?}",
        a.title
    );
    assert_eq!(
        a.published.or(a.updated),
        want.date,
        "{name}: date of {:?}",
        a.title
    );
    assert_eq!(a.authors, want.authors, "{name}: authors of {:?}", a.title);
    assert_eq!(body(a), want.body, "{name}: body of {:?}", a.title);
}

#[test]
fn rss090_netscape_namespace() {
    let feed = parse("rss090.xml");
    assert_eq!(feed.title.as_deref(), Some("Netscape 0.90 Channel"));
    assert_eq!(feed.articles.len(), 2);
    #[rustfmt::skip]
    assert_shown("rss090", &feed.articles[0], Shown { title: "First 0.90 headline",
        link: Some("http://rss090.example.com/first.html"), date: None, authors: &[], body: "" });
    assert_eq!(feed.articles[1].title, "Second 0.90 headline");
}

#[test]
fn rss091_with_netscape_doctype_and_html_entities() {
    let feed = parse("rss091-netscape.xml");
    assert_eq!(feed.title.as_deref(), Some("Café Gazette"));
    #[rustfmt::skip]
    assert_shown("rss091", &feed.articles[0], Shown { title: "Crème brûlée & more",
        link: Some("http://rss091.example.com/creme.html"), date: None, authors: &[],
        body: "Recipes — the ‘real’ ones ♥" });
}

#[test]
fn rss092_title_less_item_and_escaped_html() {
    let feed = parse("rss092.xml");
    let a = &feed.articles[0];
    #[rustfmt::skip]
    assert_shown("rss092", a, Shown {
        title: "A title-less item whose description says it all & then some.",
        link: None, date: None, authors: &[],
        body: "A title-less item whose description says it all & then some." });
    assert_eq!(a.categories, ["News"]);
    assert_eq!(a.enclosures.len(), 1);
    assert_eq!(a.enclosures[0].length, Some(12_216_320));
    #[rustfmt::skip]
    assert_shown("rss092", &feed.articles[1], Shown { title: "With a title",
        link: Some("http://rss092.example.com/two.html"), date: None, authors: &[],
        body: "Escaped HTML body." });
}

#[test]
fn rss10_prefixed_elements() {
    let feed = parse("rss10.xml");
    assert_eq!(
        feed.title.as_deref(),
        Some("RSS 1.0 with prefixed elements")
    );
    let a = &feed.articles[0];
    #[rustfmt::skip]
    assert_shown("rss10", a, Shown { title: "Prefixed item", link: Some("http://rss10.example.com/one"),
        date: at(2023, 11, 12, 12, 14, 15), authors: &["Rhea Dee"], body: "The whole prefixed item." });
    assert_eq!(summary(a), "Teaser of the prefixed item.");
}

#[test]
fn rss20_entities_in_titles_are_decoded_once() {
    let feed = parse("rss20.xml");
    assert_eq!(feed.title.as_deref(), Some("Plain & Simple 2.0"));
    #[rustfmt::skip]
    assert_shown("rss20", &feed.articles[0], Shown { title: "Ampersands & italics & &",
        link: Some("http://rss20.example.com/2024/amp.html"), date: at(2024, 1, 2, 10, 30, 0),
        authors: &["Jane Doe"], body: "First paragraph.\n\nSecond …" });
    assert_eq!(feed.articles[0].id.0, "rss20-amp");
}

#[test]
fn atom03_escaped_content_and_dates() {
    let feed = parse("atom03.xml");
    assert_eq!(feed.title.as_deref(), Some("Atom 0.3 Log"));
    let a = &feed.articles[0];
    #[rustfmt::skip]
    assert_shown("atom03", a, Shown { title: "Escaped entry",
        link: Some("http://atom03.example.com/2004/06/escaped"), date: at(2004, 6, 6, 14, 0, 0),
        authors: &["Entry Writer"], body: "Escaped HTML content." });
    assert_eq!(a.updated, at(2004, 6, 7, 8, 9, 10));
    assert_eq!(summary(a), "Short summary.");
}

#[test]
fn atom10_typed_titles_and_text_summaries() {
    let feed = parse("atom10.xml");
    assert_eq!(feed.title.as_deref(), Some("Typed HTML & feed"));
    #[rustfmt::skip]
    assert_shown("atom10", &feed.articles[0], Shown { title: "An XHTML title & more",
        link: Some("http://atom10.example.com/2024/xhtml"), date: at(2024, 2, 28, 7, 0, 0),
        authors: &["Ada"], body: "Body in XHTML." });
    // type="text" is literal text: the reader shows the characters, not markup.
    #[rustfmt::skip]
    assert_shown("atom10", &feed.articles[1], Shown { title: "Bold & été …",
        link: Some("http://atom10.example.com/2024/html"), date: at(2024, 3, 2, 8, 0, 0),
        authors: &["Grace"], body: "Plain &lt;not a tag&gt;" });
}

#[test]
fn atom_pre_1_0_namespace() {
    let feed = parse("atom-draft-ns.xml");
    assert_eq!(feed.title.as_deref(), Some("Draft Atom"));
    #[rustfmt::skip]
    assert_shown("atom-draft", &feed.articles[0], Shown { title: "Draft entry",
        link: Some("http://draft.example.com/e1"), date: at(2005, 5, 1, 0, 0, 0),
        authors: &["Drafter"], body: "From a draft." });
}

#[test]
fn cdf_channel() {
    let feed = parse("cdf.xml");
    assert_eq!(feed.title.as_deref(), Some("CDF Example Channel"));
    assert_eq!(feed.articles.len(), 2);
    #[rustfmt::skip]
    assert_shown("cdf", &feed.articles[0], Shown { title: "First CDF item",
        link: Some("http://cdf.example.com/first.html"), date: at(1998, 11, 4, 10, 20, 0),
        authors: &[], body: "What the first item is about." });
    #[rustfmt::skip]
    assert_shown("cdf", &feed.articles[1], Shown { title: "Second CDF item",
        link: Some("http://cdf.example.com/second.html"), date: None, authors: &[], body: "" });
}

#[test]
fn dublin_core_elements() {
    let feed = parse("dublin-core.xml");
    assert_eq!(feed.title.as_deref(), Some("Dublin Core Channel"));
    let a = &feed.articles[0];
    #[rustfmt::skip]
    assert_shown("dc", a, Shown { title: "DC titled item", link: Some("http://dc.example.com/dc1"),
        date: at(2022, 7, 8, 9, 10, 11), authors: &["Dorothy Core"],
        body: "Described with dc:description." });
    assert_eq!(a.categories, ["metadata"]);
}

#[test]
fn dcterms_dates() {
    let feed = parse("dcterms.xml");
    let a = &feed.articles[0];
    assert_eq!(a.published, at(2021, 3, 4, 5, 6, 7));
    assert_eq!(a.updated, at(2021, 4, 5, 6, 7, 8));
    #[rustfmt::skip]
    assert_shown("dcterms", &feed.articles[1], Shown { title: "Created only",
        link: Some("http://dcterms.example.com/b"), date: at(2020, 1, 2, 3, 4, 5), authors: &[],
        body: "B" });
}

#[test]
fn content_encoded_is_the_body_description_the_teaser() {
    let feed = parse("content-encoded.xml");
    let a = &feed.articles[0];
    #[rustfmt::skip]
    assert_shown("content", a, Shown { title: "Encoded", link: Some("http://content.example.com/enc"),
        date: at(2024, 1, 3, 11, 0, 0), authors: &["Connie Tent"],
        body: "The full text, with a link.\n\nAnd a second paragraph." });
    assert_eq!(summary(a), "Just the teaser.");
}

#[test]
fn xhtml_body() {
    let feed = parse("xhtml-body.xml");
    assert_eq!(body(&feed.articles[0]), "Prefixed xhtml body.");
    #[rustfmt::skip]
    assert_shown("xhtml", &feed.articles[1], Shown { title: "Default-namespace body",
        link: Some("http://xhtml.example.com/2"), date: None, authors: &[],
        body: "Default namespace body & text." });
}

#[test]
fn fullitem_body() {
    let feed = parse("fullitem.xml");
    #[rustfmt::skip]
    assert_shown("fullitem", &feed.articles[0], Shown { title: "Full item",
        link: Some("http://fullitem.example.com/1"), date: None, authors: &[],
        body: "The whole story." });
}

#[test]
fn itunes_summary_and_author_when_nothing_else() {
    let feed = parse("itunes-summary.xml");
    let a = &feed.articles[0];
    #[rustfmt::skip]
    assert_shown("itunes", a, Shown { title: "Episode 1", link: None, date: at(2024, 1, 5, 6, 0, 0),
        authors: &["Ivy Tunes"], body: "Show notes from itunes:summary." });
    assert_eq!(a.enclosures.len(), 1);
    assert_eq!(a.id.0, "pod-ep-1");
}

#[test]
fn base64_content_atom03() {
    let feed = parse("base64.xml");
    #[rustfmt::skip]
    assert_shown("base64", &feed.articles[0], Shown { title: "Base64 entry",
        link: Some("http://b64.example.com/1"), date: at(2004, 1, 1, 0, 0, 0), authors: &["Bea"],
        body: "Decoded base64 body." });
}

#[test]
fn base64_content_atom10_other_media_types() {
    let feed = parse("base64-atom10.xml");
    assert_eq!(feed.articles.len(), 2);
    assert_eq!(body(&feed.articles[0]), "Hello, plain text.");
    // An image is no text: the summary is the body and no base64 reaches the screen.
    assert_eq!(body(&feed.articles[1]), "A picture.");
}

#[test]
fn doctype_with_entity_declarations() {
    let feed = parse("doctype-entities.xml");
    assert_eq!(feed.title.as_deref(), Some("Example Site News"));
    #[rustfmt::skip]
    assert_shown("doctype", &feed.articles[0], Shown { title: "Hello from Example Site",
        link: Some("http://doctype.example.com/1"), date: at(2024, 1, 6, 0, 0, 0), authors: &[],
        body: "Signed — the editors. Unknown &ext; stays out." });
}

#[test]
fn atom_link_without_href() {
    let feed = parse("atom-link-no-href.xml");
    #[rustfmt::skip]
    assert_shown("nohref", &feed.articles[0], Shown { title: "Odd links",
        link: Some("http://nohref.example.com/ok"), date: at(2024, 1, 3, 0, 0, 0),
        authors: &["Lin K."], body: "Still here." });
}

#[test]
fn empty_type_attributes() {
    let feed = parse("empty-type.xml");
    assert_eq!(feed.title.as_deref(), Some("Empty type attributes"));
    let a = &feed.articles[0];
    #[rustfmt::skip]
    assert_shown("empty-type", a, Shown { title: "Type is empty",
        link: Some("http://emptytype.example.com/1"), date: at(2024, 1, 4, 0, 0, 0), authors: &[],
        body: "Content with an empty type." });
    assert_eq!(summary(a), "Summary & stuff.");
}

#[test]
fn guid_permalink_is_the_link() {
    let feed = parse("guid-permalink.xml");
    let links: Vec<_> = feed.articles.iter().map(|a| a.link.as_deref()).collect();
    assert_eq!(
        links,
        [
            Some("http://guid.example.com/p/1"),
            Some("http://guid.example.com/p/2"),
            None
        ]
    );
    assert_eq!(feed.articles[2].id.0, "http://guid.example.com/p/3");
}

#[test]
fn the_long_text_is_the_body_and_the_short_one_the_summary() {
    let feed = parse("precedence.xml");
    let a = &feed.articles[0];
    assert_eq!(
        body(a),
        "The long description is the real body of this item, several sentences long. It goes on."
    );
    assert_eq!(summary(a), "Teaser.");
    let atom = parse("precedence-atom.xml");
    assert_eq!(body(&atom.articles[0]), "Long content that is the body.");
    assert_eq!(summary(&atom.articles[0]), "Short summary.");
}

#[test]
fn rss_with_a_default_namespace() {
    let feed = parse("rss-default-ns.xml");
    assert_eq!(feed.title.as_deref(), Some("Namespaced RSS"));
    #[rustfmt::skip]
    assert_shown("rss-ns", &feed.articles[0], Shown { title: "In a namespace",
        link: Some("http://nsrss.example.com/1"), date: at(2024, 1, 7, 7, 0, 0), authors: &[],
        body: "Namespaced body." });
}

#[test]
fn slash_comments_and_every_enclosure_and_media_file() {
    let feed = parse("comments-media.xml");
    let a = &feed.articles[0];
    assert_eq!(a.comments, Some(12));
    let files: Vec<(&str, Option<&str>, Option<u64>)> = a
        .enclosures
        .iter()
        .map(|e| (e.url.as_str(), e.mime.as_deref(), e.length))
        .collect();
    assert_eq!(
        files,
        [
            (
                "http://media.example.com/ep1.mp3",
                Some("audio/mpeg"),
                Some(1000)
            ),
            (
                "http://media.example.com/ep1.ogg",
                Some("audio/ogg"),
                Some(900)
            ),
            (
                "http://media.example.com/photo.jpg",
                Some("image/jpeg"),
                Some(5000)
            ),
            (
                "http://media.example.com/v-720.mp4",
                Some("video/mp4"),
                None
            ),
            (
                "http://media.example.com/v-1080.mp4",
                Some("video/mp4"),
                None
            ),
        ]
    );
    assert_eq!(a.link.as_deref(), Some("http://media.example.com/1"));
    assert_eq!(feed.articles[1].comments, None);
}

#[test]
fn atom_threading_counts() {
    let feed = parse("atom-threading.xml");
    let counts: Vec<_> = feed.articles.iter().map(|a| a.comments).collect();
    assert_eq!(counts, [Some(5), Some(8)]);
    // A replies link is never the article's link.
    assert_eq!(
        feed.articles[0].link.as_deref(),
        Some("http://thr.example.com/1")
    );
}

#[test]
fn rss_with_a_prefixed_namespace() {
    let feed = parse("rss-prefixed.xml");
    assert_eq!(feed.title.as_deref(), Some("Prefixed RSS 2.0"));
    #[rustfmt::skip]
    assert_shown("rss-prefixed", &feed.articles[0], Shown { title: "Prefixed & bound",
        link: Some("http://prefixed.example.com/1"), date: at(2024, 1, 8, 8, 0, 0), authors: &[],
        body: "Prefixed body." });
}
