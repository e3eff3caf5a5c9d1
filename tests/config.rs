//! feeds.toml loading: valid files, every error kind with its line:col, hostile configs, lookup order.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tidings::config::{self, ConfigError, Settings};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/config");

fn fixture(name: &str) -> PathBuf {
    Path::new(FIXTURES).join(name)
}

/// Error text of parsing `text` as if it were `/cfg/feeds.toml`.
fn parse_err(text: &str) -> String {
    match config::parse(text, Some(Path::new("/cfg/feeds.toml"))) {
        Ok(cfg) => panic!("expected an error, got {cfg:?}"),
        Err(err) => err.to_string(),
    }
}

fn load_err(name: &str) -> String {
    match config::load(&fixture(name)) {
        Ok(cfg) => panic!("{name}: expected an error, got {cfg:?}"),
        Err(err) => {
            assert_eq!(err.exit_code(), 2);
            err.to_string()
        }
    }
}

fn assert_clean_line(message: &str) {
    assert!(
        !message.chars().any(char::is_control),
        "control character in {message:?}"
    );
}

#[test]
fn valid_file_with_every_key() {
    let text = r#"
[settings]
refresh_minutes = 0
concurrency = 4
timeout_seconds = 15
max_feed_bytes = 2_000_000
max_articles_per_feed = 50
keep_days = 7
cache = "data/../cache.db"

[[feed]]
url = "https://example.org/rss.xml"
name = "  Example   News  "
tags = ["world", "tech", "world", ""]
full_text = true

[[feed]]
url = "http://example.net/atom"
"#;
    let cfg = config::parse(text, Some(Path::new("/home/u/.config/tidings/feeds.toml")))
        .expect("valid config");
    assert_eq!(
        cfg.path,
        Some(PathBuf::from("/home/u/.config/tidings/feeds.toml"))
    );
    assert_eq!(
        cfg.settings,
        Settings {
            refresh_minutes: 0,
            concurrency: 4,
            timeout_seconds: 15,
            max_feed_bytes: 2_000_000,
            max_articles_per_feed: 50,
            keep_days: Some(7),
            cache: Some(PathBuf::from("/home/u/.config/tidings/cache.db")),
            ..Settings::default()
        }
    );
    assert_eq!(cfg.feeds.len(), 2);
    let first = &cfg.feeds[0];
    assert_eq!(first.url.as_str(), "https://example.org/rss.xml");
    assert_eq!(first.name.as_deref(), Some("Example News"));
    assert_eq!(first.tags, vec!["world".to_string(), "tech".to_string()]);
    assert!(first.full_text);
    let second = &cfg.feeds[1];
    assert_eq!(second.url.as_str(), "http://example.net/atom");
    assert_eq!(second.name, None);
    assert!(second.tags.is_empty());
    assert!(!second.full_text);
}

#[test]
fn missing_settings_take_defaults() {
    let cfg = config::parse("[settings]\ntimeout_seconds = 10\n", None).expect("valid");
    assert_eq!(cfg.settings.timeout_seconds, 10);
    assert_eq!(cfg.settings.concurrency, Settings::default().concurrency);
    assert!(cfg.feeds.is_empty());
}

#[test]
fn empty_and_feedless_configs_load_with_no_feeds() {
    for name in ["empty.toml", "no-feeds.toml"] {
        let cfg = config::load(&fixture(name)).expect(name);
        assert!(cfg.feeds.is_empty(), "{name}");
    }
}

#[test]
fn syntax_error_reports_the_earliest_spot() {
    let msg = load_err("invalid-syntax.toml");
    assert!(msg.contains("invalid-syntax.toml:3:21: "), "{msg}");
    assert!(!msg.contains('\n'), "{msg}");
}

#[test]
fn unknown_key_in_feed_is_named_with_its_position() {
    let msg = load_err("unknown-keys.toml");
    assert!(
        msg.ends_with(
            "unknown-keys.toml:3:1: unknown field `ttile`, expected one of `url`, `name`, `tags`, `full_text`, `enabled`, `refresh_minutes`, `max_articles`, `timeout_seconds`, `user_agent`, `headers`"
        ),
        "{msg}"
    );
}

#[test]
fn unknown_table_is_named_with_its_position() {
    let msg = parse_err("[setings]\ntimeout_seconds = 5\n");
    assert!(
        msg.starts_with("/cfg/feeds.toml:1:2: unknown field `setings`"),
        "{msg}"
    );
    assert!(
        msg.contains("[settings], [[feed]], [[query]], [keys] and [theme]"),
        "{msg}"
    );
}

#[test]
fn unknown_settings_key_is_an_error() {
    let msg = parse_err("[settings]\nrefresh = 5\n");
    assert!(
        msg.starts_with("/cfg/feeds.toml:2:1: unknown field `refresh`"),
        "{msg}"
    );
}

#[test]
fn wrong_type_names_line_and_expected_type() {
    let msg = load_err("wrong-types.toml");
    assert!(
        msg.ends_with(
            "wrong-types.toml:5:7: url: expected a string in quotes, found an integer (42)"
        ),
        "{msg}"
    );
    let msg = parse_err("[[feed]]\nurl = \"https://a.org/\"\nfull_text = \"yes\"\n");
    assert!(
        msg.starts_with(
            "/cfg/feeds.toml:3:13: full_text: expected true or false, found a string (\"yes\")"
        ),
        "{msg}"
    );
    let msg = parse_err("[settings]\nconcurrency = \"8\"\n");
    assert!(
        msg.starts_with("/cfg/feeds.toml:2:15: concurrency: expected a whole number of feeds, found a string (\"8\")"),
        "{msg}"
    );
}

#[test]
fn duplicate_key_is_named_with_its_line() {
    let msg = load_err("duplicate-keys.toml");
    assert!(
        msg.ends_with("duplicate-keys.toml:3:1: duplicate key `url`; keep one"),
        "{msg}"
    );
}

#[test]
fn duplicate_url_names_both_lines() {
    let text = "[[feed]]\nurl = \"https://a.org/x\"\n\n[[feed]]\nurl = \"HTTPS://A.ORG:443/x\"\n";
    let msg = parse_err(text);
    assert_eq!(
        msg,
        "/cfg/feeds.toml:5:7: url: `https://a.org/x` appears twice (lines 2 and 5); remove one"
    );
}

#[test]
fn unsupported_schemes_are_rejected_with_position() {
    let msg = load_err("hostile-urls.toml");
    assert!(
        msg.ends_with(
            "hostile-urls.toml:5:7: url: expected http://, https://, file:// or a file path, found the unsupported URL scheme `javascript`"
        ),
        "{msg}"
    );
    for (url, scheme) in [("ftp://a.org/f", "ftp"), ("data:text/xml,<rss/>", "data")] {
        let msg = parse_err(&format!("[[feed]]\nurl = \"{url}\"\n"));
        assert!(
            msg.starts_with(&format!(
                "/cfg/feeds.toml:2:7: url: expected http://, https://, file:// or a file path, found the unsupported URL scheme `{scheme}`"
            )),
            "{msg}"
        );
    }
}

#[test]
fn empty_url_is_rejected_with_position() {
    let msg = parse_err("[[feed]]\nurl = \"https://a.org/\"\n[[feed]]\nurl = \"  \"\n");
    assert!(
        msg.starts_with("/cfg/feeds.toml:4:7: url: expected an http(s):// address or a file path, found an empty string"),
        "{msg}"
    );
    let msg = parse_err("[[feed]]\nname = \"x\"\n");
    assert!(
        msg.starts_with("/cfg/feeds.toml:1:1: missing field `url`"),
        "{msg}"
    );
}

#[test]
fn control_characters_in_url_are_rejected() {
    let msg = parse_err("[[feed]]\nurl = \"https://a.org/\\u001b[2J\"\n");
    assert!(
        msg.starts_with("/cfg/feeds.toml:2:7: url: expected no control characters"),
        "{msg}"
    );
    assert!(msg.contains("control characters"), "{msg}");
    assert_clean_line(&msg);
}

#[test]
fn shell_syntax_in_url_stays_literal() {
    let cfg = config::parse(
        "[[feed]]\nurl = \"http://127.0.0.1:8999/$(touch /tmp/pwned-cfg)\"\n",
        None,
    )
    .expect("an odd but valid URL");
    assert_eq!(
        cfg.feeds[0].url.as_str(),
        "http://127.0.0.1:8999/$(touch%20/tmp/pwned-cfg)"
    );
}

#[test]
fn out_of_range_settings_are_rejected() {
    let cases = [
        (
            "concurrency = 0",
            "concurrency: expected 1 to 256 feeds, found 0",
        ),
        (
            "concurrency = 257",
            "concurrency: expected 1 to 256 feeds, found 257",
        ),
        (
            "timeout_seconds = 601",
            "timeout_seconds: expected 1 to 600 seconds, found 601",
        ),
        (
            "timeout_seconds = -1",
            "timeout_seconds: expected 1 to 600 seconds, found -1",
        ),
        (
            "keep_days = 0",
            "keep_days: expected 1 to 36500 days, found 0",
        ),
    ];
    for (line, expected) in cases {
        let msg = parse_err(&format!("[settings]\n{line}\n"));
        let col = line.find('=').expect("test line has =") + 3;
        assert!(
            msg.starts_with(&format!("/cfg/feeds.toml:2:{col}: {expected}")),
            "{msg}"
        );
    }
}

#[test]
fn non_utf8_is_reported_with_line_and_column() {
    let msg = load_err("non-utf8.toml");
    assert!(
        msg.contains("non-utf8.toml:3:12: not valid UTF-8 at line 3, column 12"),
        "{msg}"
    );
}

#[test]
fn a_directory_is_unreadable_not_empty() {
    let dir = tempfile::tempdir().expect("temp dir");
    let err = config::load(dir.path()).expect_err("a directory is not a config");
    assert!(matches!(err, ConfigError::Read { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.starts_with(&format!("cannot read {}: ", dir.path().display())),
        "{msg}"
    );
    assert!(msg.contains("directory"), "{msg}");
    assert_eq!(err.exit_code(), 2);
}

#[cfg(unix)]
#[test]
fn permission_denied_is_said_in_plain_words() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("feeds.toml");
    std::fs::write(&path, "[[feed]]\nurl = \"https://a.org/\"\n").expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&path).is_ok() {
        return; // running as root: permissions are not enforced
    }
    let msg = config::load(&path).expect_err("unreadable").to_string();
    assert_eq!(
        msg,
        format!("cannot read {}: permission denied", path.display())
    );
}

#[test]
fn relative_paths_resolve_against_the_config_folder() {
    let cfg = config::parse(
        "[[feed]]\nurl = \"local/../feeds/a.xml\"\n[[feed]]\nurl = \"/srv/b.xml\"\n[[feed]]\nurl = \"file:///srv/c.xml\"\n",
        Some(Path::new("/home/u/cfg/feeds.toml")),
    )
    .expect("valid");
    let urls: Vec<&str> = cfg.feeds.iter().map(|f| f.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "file:///home/u/cfg/feeds/a.xml",
            "file:///srv/b.xml",
            "file:///srv/c.xml"
        ]
    );
}

#[test]
fn relative_paths_without_a_config_path_use_the_working_directory() {
    let cfg = config::parse("[[feed]]\nurl = \"a.xml\"\n", None).expect("valid");
    let cwd = std::env::current_dir().expect("cwd");
    assert_eq!(
        cfg.feeds[0].url.to_file_path().ok(),
        Some(cwd.join("a.xml"))
    );
}

#[test]
fn host_without_scheme_gets_a_hint() {
    let msg = parse_err("[[feed]]\nurl = \"example.org/rss.xml\"\n");
    assert!(msg.ends_with("write https://example.org/rss.xml"), "{msg}");
}

#[test]
fn every_hostile_config_is_ok_or_one_clean_positioned_line() {
    let mut seen = 0;
    for entry in std::fs::read_dir(FIXTURES).expect("fixture dir") {
        let path = entry.expect("dir entry").path();
        seen += 1;
        let outcome = std::panic::catch_unwind(|| config::load(&path));
        let result = outcome.unwrap_or_else(|_| panic!("{} panicked", path.display()));
        if let Err(err) = result {
            let msg = err.to_string();
            assert_clean_line(&msg);
            let tail = msg
                .strip_prefix(&path.display().to_string())
                .unwrap_or_else(|| panic!("{msg} does not start with the path"));
            let mut parts = tail.splitn(4, ':');
            assert_eq!(parts.next(), Some(""), "{msg}");
            for part in [parts.next(), parts.next()] {
                let n: usize = part.and_then(|p| p.parse().ok()).unwrap_or(0);
                assert!(n >= 1, "no :LINE:COL: in {msg}");
            }
        }
    }
    assert!(seen >= 8, "hostile fixtures missing: {seen}");
}

#[test]
fn configured_titles_are_sanitised() {
    let text = "[[feed]]\nurl = \"http://127.0.0.1:8999/feeds/rss091.xml\"\nname = \"\\u001b[1mBold\\u001b[0m name\\u001b]0;window title\\u0007\"\ntags = [\"a\\u001b[31m\"]\n";
    let cfg = config::parse(text, None).expect("valid");
    let name = cfg.feeds[0].name.as_deref().expect("a name");
    assert_clean_line(name);
    // Whole sequences go, payload included (an OSC's window title is not display text).
    assert_eq!(name, "Bold name");
    assert_eq!(cfg.feeds[0].tags, ["a"]);
}

#[test]
fn repo_feeds_toml_loads_with_real_feeds() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("feeds.toml");
    let cfg = config::load(&path).expect("the shipped feeds.toml is valid");
    assert!(cfg.feeds.len() >= 12, "{} feeds", cfg.feeds.len());
    assert!(cfg.feeds.iter().all(|f| f.url.scheme() == "https"));
    assert!(cfg.feeds.iter().any(|f| f.url.as_str().contains("json")));
    assert!(cfg.feeds.iter().all(|f| !f.tags.is_empty()));
}

fn fake_env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |key| map.get(key).cloned()
}

fn touch(path: &Path) {
    std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
    std::fs::write(path, "").expect("write");
}

#[test]
fn locate_follows_the_documented_order() {
    let root = tempfile::tempdir().expect("temp dir");
    let root = root.path();
    let cwd = root.join("cwd");
    let xdg = root.join("xdg");
    let home = root.join("home");
    let explicit = root.join("explicit.toml");
    let from_env = root.join("env.toml");
    let xdg_file = xdg.join("tidings/feeds.toml");
    let home_file = home.join(".config/tidings/feeds.toml");
    let cwd_file = cwd.join("feeds.toml");
    for p in [&explicit, &from_env, &xdg_file, &home_file, &cwd_file] {
        touch(p);
    }
    let from_env_s = from_env.display().to_string();
    let xdg_s = xdg.display().to_string();
    let home_s = home.display().to_string();
    let all = fake_env(&[
        ("TIDINGS_CONFIG", &from_env_s),
        ("XDG_CONFIG_HOME", &xdg_s),
        ("HOME", &home_s),
    ]);
    let locate = |explicit: Option<&Path>, env: &dyn Fn(&str) -> Option<String>| {
        config::locate_with(explicit, env, &cwd).expect("found")
    };
    assert_eq!(locate(Some(&explicit), &all), explicit);
    assert_eq!(locate(None, &all), from_env);
    let no_tidings = fake_env(&[("XDG_CONFIG_HOME", &xdg_s), ("HOME", &home_s)]);
    assert_eq!(locate(None, &no_tidings), xdg_file);
    let home_only = fake_env(&[("HOME", &home_s)]);
    assert_eq!(locate(None, &home_only), home_file);
    let empty_xdg = fake_env(&[
        ("XDG_CONFIG_HOME", ""),
        ("HOME", &home_s),
        ("TIDINGS_CONFIG", ""),
    ]);
    assert_eq!(locate(None, &empty_xdg), home_file);
    assert_eq!(locate(None, &fake_env(&[])), cwd_file);
    // XDG set but without a tidings config: fall through to ./feeds.toml, not to HOME.
    std::fs::remove_file(&xdg_file).expect("rm");
    assert_eq!(locate(None, &no_tidings), cwd_file);
}

#[test]
fn locate_reports_missing_explicit_files_and_every_place_looked() {
    let root = tempfile::tempdir().expect("temp dir");
    let root = root.path();
    let missing = root.join("nope.toml");
    let env = fake_env(&[]);
    let err = config::locate_with(Some(&missing), &env, root).expect_err("missing");
    assert!(matches!(err, ConfigError::Missing { .. }), "{err:?}");
    assert!(err.to_string().contains("nope.toml"), "{err}");
    assert!(err.to_string().contains("--config"), "{err}");

    let missing_s = missing.display().to_string();
    let env = fake_env(&[("TIDINGS_CONFIG", &missing_s)]);
    let err = config::locate_with(None, &env, root).expect_err("missing");
    assert!(err.to_string().contains("$TIDINGS_CONFIG"), "{err}");

    let home_s = root.join("home").display().to_string();
    let env = fake_env(&[("HOME", &home_s)]);
    let err = config::locate_with(None, &env, root).expect_err("nothing anywhere");
    let msg = err.to_string();
    assert!(matches!(err, ConfigError::NotFound { .. }), "{err:?}");
    assert!(
        msg.contains(&format!("{home_s}/.config/tidings/feeds.toml")),
        "{msg}"
    );
    assert!(
        msg.contains(&root.join("feeds.toml").display().to_string()),
        "{msg}"
    );
    assert_eq!(err.exit_code(), 2);
}
