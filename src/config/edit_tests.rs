//! Tests of in-place editing: comments, order and formatting survive; duplicates are skipped.

use super::*;

const COMMENTED: &str = r#"# My feeds: hand-written, keep these comments.

[settings]
refresh_minutes = 15   # quarter-hourly

# --- News ---

# The BBC, world section
[[feed]]
url = "https://feeds.example.org/world.xml"   # trailing comment
name = "World"
tags = ["news"]

# Tech blogs below

[[feed]]
url   =   "https://blog.example.net/atom"
name = "Blog"

[keys]
quit = "Q"
"#;

fn file(text: &str) -> FeedsFile {
    FeedsFile::parse(text, Some(Path::new("/cfg/feeds.toml"))).expect("valid document")
}

fn new(url: &str, name: Option<&str>, tags: &[&str]) -> NewFeed {
    NewFeed {
        url: url.into(),
        name: name.map(String::from),
        tags: tags.iter().map(|t| t.to_string()).collect(),
    }
}

#[test]
fn append_keeps_comments_and_formatting_and_goes_after_the_last_feed() {
    let mut doc = file(COMMENTED);
    let report = doc.append([
        new(
            "https://third.example.com/rss",
            Some("Third"),
            &["tech", "rust"],
        ),
        new(
            "https://FEEDS.example.org:443/world.xml",
            Some("World again"),
            &[],
        ),
    ]);
    assert_eq!(report.added.len(), 1);
    assert_eq!(report.already_present.len(), 1);
    let out = doc.render();
    // Everything that was there is there, byte for byte, before the new entry.
    let before_keys = COMMENTED.split("[keys]").next().expect("has [keys]");
    assert!(out.starts_with(before_keys), "{out}");
    assert!(
        out.contains(
            "name = \"Blog\"\n\n[[feed]]\nurl = \"https://third.example.com/rss\"\nname = \"Third\"\ntags = [\"tech\", \"rust\"]\n"
        ),
        "{out}"
    );
    assert!(out.ends_with("[keys]\nquit = \"Q\"\n"), "{out}");
    // And the result (without the [keys] table, which this test does not validate) is a valid config
    // with the new feed last.
    let without_keys = out.replace("[keys]\nquit = \"Q\"\n", "");
    let cfg = crate::config::parse(&without_keys, None).expect("valid config");
    assert_eq!(cfg.feeds.len(), 3);
    assert_eq!(cfg.feeds[2].url.as_str(), "https://third.example.com/rss");
}

#[test]
fn append_to_an_empty_or_feedless_file() {
    let mut doc = file("");
    doc.append([new("https://a.example/rss", None, &[])]);
    assert_eq!(doc.render(), "[[feed]]\nurl = \"https://a.example/rss\"\n");

    let mut doc = file("# only a comment\n");
    doc.append([new("https://a.example/rss", None, &[])]);
    assert_eq!(
        doc.render(),
        "# only a comment\n\n[[feed]]\nurl = \"https://a.example/rss\"\n"
    );

    let mut doc = file("# only settings\n[settings]\nconcurrency = 4\n");
    doc.append([new("https://a.example/rss", Some("A"), &[])]);
    assert_eq!(
        doc.render(),
        "# only settings\n[settings]\nconcurrency = 4\n\n[[feed]]\nurl = \"https://a.example/rss\"\nname = \"A\"\n"
    );
}

#[test]
fn append_skips_duplicates_in_the_batch_and_refuses_bad_urls() {
    let mut doc = file("");
    let report = doc.append([
        new("https://a.example/rss", None, &[]),
        new("HTTPS://A.example/rss", None, &[]),
        new("javascript:alert(1)", None, &[]),
        new("", None, &[]),
    ]);
    assert_eq!(report.added.len(), 1);
    assert_eq!(report.already_present.len(), 1);
    assert_eq!(report.invalid.len(), 2);
    assert!(
        report.invalid[0].1.contains("javascript"),
        "{:?}",
        report.invalid
    );
}

#[test]
fn relative_paths_in_the_file_count_as_present() {
    let mut doc = file("[[feed]]\nurl = \"local/feed.xml\"\n");
    let report = doc.append([new("file:///cfg/local/feed.xml", None, &[])]);
    assert_eq!(report.already_present.len(), 1);
    assert!(report.added.is_empty());
}

#[test]
fn hostile_names_and_tags_are_written_as_clean_toml() {
    let mut doc = file("");
    doc.append([new(
        "https://a.example/rss",
        Some("Evil\u{1b}[2J \"quoted\"\nname = \"x\""),
        &["a\u{7}", "", "a", "b\"]"],
    )]);
    let out = doc.render();
    let cfg = crate::config::parse(&out, None).expect("still a valid config");
    assert_eq!(cfg.feeds.len(), 1);
    let name = cfg.feeds[0].name.clone().unwrap_or_default();
    assert!(!name.chars().any(char::is_control), "{name:?}");
    assert!(name.contains("\"quoted\""), "{name:?}");
    assert_eq!(cfg.feeds[0].tags, vec!["a".to_string(), "b\"]".to_string()]);
}

#[test]
fn remove_by_name_or_url_keeps_other_comments() {
    let mut doc = file(COMMENTED);
    let removed = doc.remove("world").expect("found by name, any case");
    assert_eq!(removed.url, "https://feeds.example.org/world.xml");
    assert_eq!(removed.name.as_deref(), Some("World"));
    let out = doc.render();
    assert!(!out.contains("world.xml"), "{out}");
    // The comment attached to the entry went with it; the section comments stayed.
    assert!(!out.contains("# The BBC, world section"), "{out}");
    for kept in [
        "# My feeds",
        "# quarter-hourly",
        "# --- News ---",
        "# Tech blogs below",
    ] {
        assert!(out.contains(kept), "lost {kept}:\n{out}");
    }
    assert!(
        out.contains("url   =   \"https://blog.example.net/atom\""),
        "{out}"
    );

    let removed = doc
        .remove("https://blog.example.net/atom")
        .expect("found by URL");
    assert_eq!(removed.name.as_deref(), Some("Blog"));
    let out = doc.render();
    assert!(!out.contains("[[feed]]"), "{out}");
    assert!(out.contains("# Tech blogs below"), "{out}");
    assert!(out.contains("[keys]\nquit = \"Q\""), "{out}");
}

#[test]
fn remove_reports_unknown_and_ambiguous_names() {
    let mut doc = file(COMMENTED);
    assert!(matches!(doc.remove("Nope"), Err(EditError::NotFound(_))));
    let mut doc = file("[[feed]]\nurl = \"https://a.example/\"\nname = \"Same\"\n[[feed]]\nurl = \"https://b.example/\"\nname = \"same\"\n");
    let err = doc.remove("SAME").expect_err("two feeds share the name");
    assert_eq!(
        err.to_string(),
        "several feeds are named `SAME` (lines 2, 5); remove one by its URL"
    );
    assert_eq!(
        doc.render().matches("[[feed]]").count(),
        2,
        "nothing removed"
    );
}

#[test]
fn inline_feed_arrays_are_edited_too() {
    let mut doc = file("feed = [{ url = \"https://a.example/\" }]\n");
    doc.append([new("https://b.example/", Some("B"), &[])]);
    let cfg = crate::config::parse(&doc.render(), None).expect("valid");
    assert_eq!(cfg.feeds.len(), 2);
    doc.remove("https://a.example/").expect("removed");
    let cfg = crate::config::parse(&doc.render(), None).expect("valid");
    assert_eq!(cfg.feeds.len(), 1);
    assert_eq!(cfg.feeds[0].name.as_deref(), Some("B"));
}

#[test]
fn broken_toml_is_an_error_with_line_and_column() {
    let err = FeedsFile::parse("[settings]\nx = \n", Some(Path::new("/cfg/feeds.toml")))
        .expect_err("invalid");
    assert!(err.to_string().starts_with("/cfg/feeds.toml:2:"), "{err}");
    let err = FeedsFile::parse("feed = 3\n", None).expect_err("feed must be tables");
    assert_eq!(
        err.to_string(),
        "feeds.toml:1:8: feed: expected a list of [[feed]] tables"
    );
}

#[test]
fn save_creates_folders_and_replaces_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("a/b/feeds.toml");
    let mut doc = FeedsFile::read_or_empty(&path).expect("missing file = empty");
    doc.append([new("https://a.example/", None, &[])]);
    doc.save(&path).expect("saved");
    let again = FeedsFile::read_or_empty(&path).expect("read back");
    assert_eq!(again.render(), doc.render());
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().expect("parent"))
        .expect("list")
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");
}
