//! End to end: the real TUI in a real terminal (tmux), fed by a loopback server. Each test gets its own
//! tmux server (`-L tidings-test-<pid>-<n>`), killed when the test ends, pass or fail. Every wait polls
//! `capture-pane` against a deadline instead of sleeping a fixed time.

mod e2e_common;
mod support;

use e2e_common::{feed, fixture, rss_feed, FeedSpec, Sandbox};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use support::{Response, TestServer};
use tidings::app::keys::Keymap;

/// How long the UI may take for things that should be immediate (debug build, 2 busy cores).
/// How long to wait for a screen that usually appears at once: generous, so a loaded machine cannot
/// fail a test; it only decides how long a real failure takes to report.
const SOON: Duration = Duration::from_secs(20);
/// Each feed's answer is held this long where a test needs the UI to be up before the network.
const NETWORK_DELAY: Duration = Duration::from_secs(3);

static SESSIONS: AtomicUsize = AtomicUsize::new(0);

/// A tmux server of our own running tidings (through a small wrapper script that reports its exit code
/// and the terminal modes afterwards); the server and everything in it is killed on drop.
struct Tui {
    socket: String,
    /// The socket file, removed on drop (tmux leaves it behind after kill-server).
    socket_path: Option<std::path::PathBuf>,
    sandbox_path: std::path::PathBuf,
}

impl Tui {
    /// Start tidings at `width`×`height` with the sandbox's config and cache.
    fn start(sandbox: &Sandbox, width: u16, height: u16) -> Tui {
        require_tmux();
        let socket = format!(
            "tidings-test-{}-{}",
            std::process::id(),
            SESSIONS.fetch_add(1, Ordering::SeqCst)
        );
        let conf = sandbox.path("tmux.conf");
        std::fs::write(
            &conf,
            "set -g status off\nset -g remain-on-exit on\nset -s escape-time 0\n",
        )
        .expect("write tmux.conf");
        let wrapper = sandbox.path("run-tidings.sh");
        std::fs::write(
            &wrapper,
            format!(
                "#!/bin/sh\nsh -c 'echo $$ > \"$0\"; exec \"$@\"' '{pid}' '{bin}' --config '{config}' --cache '{cache}'\n\
                 echo \"tidings exited $?\"\n\
                 echo \"modes: $(stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(icanon|echo|isig)$' | tr '\\n' ' ')\"\n\
                 echo wrapper-done\n\
                 exec sleep 120\n",
                bin = e2e_common::bin(),
                config = sandbox.config().display(),
                cache = sandbox.cache().display(),
                pid = sandbox.path("tidings.pid").display(),
            ),
        )
        .expect("write wrapper");
        let mut tui = Tui {
            socket,
            socket_path: None,
            sandbox_path: sandbox.dir.path().to_path_buf(),
        };
        let mut cmd = tui.tmux_command();
        cmd.arg("-f")
            .arg(&conf)
            .args(["new-session", "-d", "-s", "main"])
            .args(["-x", &width.to_string(), "-y", &height.to_string()])
            .arg(format!("sh '{}'", wrapper.display()));
        let out = cmd.output().expect("run tmux new-session");
        assert!(
            out.status.success(),
            "tmux new-session failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        tui.socket_path = Some(tui.pane_format("#{socket_path}").into());
        tui
    }

    fn tmux_command(&self) -> Command {
        let mut cmd = Command::new("tmux");
        cmd.arg("-L")
            .arg(&self.socket)
            .env_remove("TMUX")
            .env_remove("TIDINGS_CONFIG")
            .env("XDG_CONFIG_HOME", self.sandbox_path.join("xdg-config"))
            .env("XDG_DATA_HOME", self.sandbox_path.join("xdg-data"))
            .env("HOME", self.sandbox_path.join("home"))
            .env("NO_COLOR", "1")
            .current_dir(self.sandbox_path.join("cwd"));
        cmd
    }

    fn tmux(&self, args: &[&str]) -> Output {
        let out = self.tmux_command().args(args).output().expect("run tmux");
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Type keys (tmux key names: "j", "Tab", "Enter", "Space", "C-c", "?").
    fn keys(&self, keys: &[&str]) {
        for key in keys {
            self.tmux(&["send-keys", "-t", "main", key]);
        }
    }

    /// The screen as text, one line per row.
    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "main"]).stdout)
            .into_owned()
    }

    /// A tmux format value for the pane (e.g. `#{cursor_flag}`).
    fn pane_format(&self, format: &str) -> String {
        String::from_utf8_lossy(
            &self
                .tmux(&["display-message", "-p", "-t", "main", format])
                .stdout,
        )
        .trim()
        .to_string()
    }

    /// Poll the screen until `ready` holds on two captures in a row that are the same (so a frame caught
    /// half drawn never counts); fail with the last screen after `deadline`.
    fn wait_until(&self, what: &str, deadline: Duration, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ready(&screen) {
                std::thread::sleep(Duration::from_millis(30));
                if self.screen() == screen {
                    return screen;
                }
                continue;
            }
            assert!(
                start.elapsed() < deadline,
                "timed out after {deadline:?} waiting for {what}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Wait for `text` on screen.
    fn wait_for(&self, text: &str, deadline: Duration) -> String {
        self.wait_until(&format!("{text:?}"), deadline, |s| s.contains(text))
    }

    /// Wait until tidings has exited; returns the wrapper's report (exit code and terminal modes).
    fn wait_for_exit(&self, deadline: Duration) -> String {
        self.wait_for("wrapper-done", deadline)
    }

    /// Resize the terminal window.
    fn resize(&self, width: u16, height: u16) {
        self.tmux(&[
            "resize-window",
            "-t",
            "main",
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
        ]);
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        let _ = self
            .tmux_command()
            .args(["kill-server"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        if let Some(path) = &self.socket_path {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn require_tmux() {
    let found = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "tmux is not on PATH: the TUI end-to-end tests need it (apt-get install tmux; .ci/run installs it)"
    );
}

/// A feed with long articles ("Long Reads item N", 30 paragraphs each).
const LONG_ITEMS: usize = 5;

fn long_routes() -> Vec<(&'static str, Response)> {
    vec![
        (
            "/long.xml",
            Response::ok(
                rss_feed("Long Reads", "long", LONG_ITEMS, 30),
                "application/rss+xml",
            ),
        ),
        (
            "/rss.xml",
            Response::ok(fixture("rss2.xml"), "application/rss+xml"),
        ),
        (
            "/atom.xml",
            Response::ok(fixture("atom.xml"), "application/atom+xml"),
        ),
    ]
}

fn long_feeds(server: &TestServer) -> Vec<FeedSpec> {
    vec![
        feed("Long Reads", server.url("/long.xml"), &[]),
        feed("Rss", server.url("/rss.xml"), &[]),
        feed("Atom", server.url("/atom.xml"), &[]),
    ]
}

/// The text inside the right-most pane on each row (between its two vertical borders).
fn right_pane(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter_map(|line| {
            let chars: Vec<char> = line.chars().collect();
            let last = chars.iter().rposition(|c| *c == '│')?;
            let first = chars[..last].iter().rposition(|c| *c == '│')?;
            Some(chars[first + 1..last].iter().collect())
        })
        .collect()
}

/// The feeds pane's row for feed `name`: its marker column ('!' error, '↻' fetching), name and counts.
fn feeds_row<'a>(screen: &'a str, name: &str) -> Option<&'a str> {
    screen.lines().find_map(|l| {
        let pane = l.split('│').nth(1)?;
        let rest = pane.get(pane.char_indices().nth(1)?.0..)?;
        rest.trim_start()
            .strip_prefix(name)?
            .starts_with("  ")
            .then_some(pane)
    })
}

/// "unread/total" at the end of a feeds row.
fn counts_in(row: &str) -> Option<(usize, usize)> {
    let last = row.split_whitespace().last()?;
    let (unread, total) = last.split_once('/')?;
    Some((unread.parse().ok()?, total.parse().ok()?))
}

fn feed_counts(screen: &str, name: &str) -> Option<(usize, usize)> {
    counts_in(feeds_row(screen, name)?)
}

#[test]
fn ui_is_up_at_once_and_counts_fill_in() {
    let server = TestServer::start(
        long_routes()
            .into_iter()
            .map(|(p, r)| (p, r.delay(NETWORK_DELAY))),
    );
    let sandbox = Sandbox::new();
    // The feeds answer after NETWORK_DELAY, well inside this deadline.
    sandbox.write_config("timeout_seconds = 30", &long_feeds(&server));
    let tui = Tui::start(&sandbox, 120, 40);
    let first = tui.wait_until("the first frame", SOON, |s| {
        s.contains("Feeds") && s.contains("? help") && s.contains("3 feeds")
    });
    // "At once" means before the network: no feed has answered yet when the first frame is up.
    assert!(
        first.contains("0 articles"),
        "the first frame came after a feed answered:\n{first}"
    );
    for name in ["Long Reads", "Rss", "Atom"] {
        assert!(feeds_row(&first, name).is_some(), "{name} listed:\n{first}");
    }
    let total = LONG_ITEMS + 4;
    let screen = tui.wait_for(
        &format!("3 feeds · {total} articles · {total} unread"),
        SOON,
    );
    assert_eq!(
        feed_counts(&screen, "Long Reads"),
        Some((LONG_ITEMS, LONG_ITEMS))
    );
    assert_eq!(feed_counts(&screen, "Rss"), Some((2, 2)));
    assert_eq!(feed_counts(&screen, "Atom"), Some((2, 2)));
    assert!(
        screen.contains("Long Reads item 0"),
        "headlines shown:\n{screen}"
    );
    assert!(!screen.contains("refreshing"), "{screen}");
}

/// The article body as it appears on `screen`: the right pane's rows joined, whitespace collapsed.
fn body_text(screen: &str) -> String {
    right_pane(screen)
        .iter()
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join(" ")
}

fn paragraph(p: usize, item: usize) -> String {
    format!(
        "Paragraph {p} of item {item} in long carries ordinary words about councils, budgets, \
         rainfall and satellites, long enough to wrap across several lines of a terminal window \
         when it is read in the article pane of the reader marker{p}."
    )
}

#[test]
fn article_opens_scrolls_and_rewraps_on_resize() {
    let server = TestServer::start(long_routes());
    let sandbox = Sandbox::new();
    sandbox.write_config("", &long_feeds(&server));
    let tui = Tui::start(&sandbox, 120, 40);
    tui.wait_for("Long Reads item 0", SOON);
    // Tab to the headlines (All articles, newest first), Enter opens the top one.
    tui.keys(&["Tab", "Enter"]);
    let screen = tui.wait_for("min read", SOON);
    let pane = right_pane(&screen);
    assert_eq!(
        pane[0].trim(),
        "Long Reads item 0",
        "title first:\n{screen}"
    );
    for label in [
        "Feed: Long Reads",
        "Date: ",
        "Link: https://example.org/long/0",
    ] {
        assert!(
            pane.iter().any(|l| l.trim_start().starts_with(label)),
            "header has {label:?}:\n{screen}"
        );
    }
    assert!(
        pane.iter()
            .any(|l| l.contains(" words · ") && l.contains("min read")),
        "word count and reading time:\n{screen}"
    );
    assert!(body_text(&screen).contains(&paragraph(0, 0)), "{screen}");
    let wide_lines = pane
        .iter()
        .filter(|l| l.trim_end().chars().count() > 58)
        .count();
    assert!(
        wide_lines > 0,
        "at 120 columns body lines are wider than 58:\n{screen}"
    );

    // j scrolls one line: the title leaves the top.
    tui.keys(&["j"]);
    tui.wait_until("j to scroll", SOON, |s| {
        right_pane(s)
            .first()
            .is_some_and(|l| l.trim().starts_with("Feed:"))
    });
    // Space pages down: the first paragraphs are gone, later ones are shown.
    tui.keys(&["Space"]);
    let screen = tui.wait_until("Space to page down", SOON, |s| {
        !s.contains("Feed: Long Reads") && !body_text(s).contains(&paragraph(0, 0))
    });
    let later = (1..30)
        .find(|p| body_text(&screen).contains(&paragraph(*p, 0)))
        .unwrap_or_else(|| panic!("a later paragraph is shown intact:\n{screen}"));
    assert!(
        later >= 5,
        "paged past the start (first full paragraph {later}):\n{screen}"
    );

    // Narrow the window: the article fills the screen and is re-wrapped to 58 columns.
    tui.resize(60, 30);
    let screen = tui.wait_until("the re-wrap at 60×30", SOON, |s| {
        let lines: Vec<&str> = s.lines().collect();
        lines.len() == 30
            && lines.iter().all(|l| l.chars().count() <= 60)
            && lines.first().is_some_and(|l| l.starts_with("┌ Article"))
    });
    for line in screen.lines() {
        assert!(
            line.chars().count() <= 60,
            "line wider than the 60-column pane: {line:?}\n{screen}"
        );
    }
    let pane = right_pane(&screen);
    assert!(
        pane.len() >= 25,
        "the article pane fills the window:\n{screen}"
    );
    let text = body_text(&screen);
    let intact = (0..30).filter(|p| text.contains(&paragraph(*p, 0))).count();
    assert!(
        intact >= 2,
        "whole paragraphs survive the re-wrap (found {intact}):\n{screen}"
    );
    // Scroll still works at the new size.
    tui.keys(&["Space"]);
    tui.wait_until("Space at 60 columns", SOON, |s| body_text(s) != text);
}

#[test]
fn help_overlay_lists_every_key() {
    let server = TestServer::start(long_routes());
    let sandbox = Sandbox::new();
    sandbox.write_config("", &long_feeds(&server));
    let tui = Tui::start(&sandbox, 120, 40);
    tui.wait_for("? help", SOON);
    tui.keys(&["?"]);
    let rows = Keymap::default().help_rows();
    assert!(rows.len() > 10, "{rows:?}");
    let lists = |screen: &str, keys: &str, help: &str| {
        screen.lines().any(|l| {
            l.find(keys)
                .is_some_and(|at| l[at + keys.len()..].trim_start().starts_with(help))
        })
    };
    let screen = tui.wait_until("the help overlay", SOON, |s| {
        s.contains("any key closes") && rows.iter().all(|(k, h)| lists(s, k, h))
    });
    for (keys, help) in &rows {
        assert!(
            lists(&screen, keys, help),
            "help overlay lists {keys:?} → {help:?}:\n{screen}"
        );
    }
    // Any key closes it, and that key does nothing else (still running, still on the feeds pane).
    tui.keys(&["x"]);
    let screen = tui.wait_until("the overlay to close", SOON, |s| {
        !s.contains("any key closes")
    });
    assert!(
        screen.contains("Feeds") && screen.contains("? help"),
        "{screen}"
    );
}

#[test]
fn broken_feed_shows_its_error_while_others_load() {
    let server = TestServer::start([
        (
            "/slow.xml",
            Response::ok(rss_feed("Slow", "slow", 3, 1), "application/rss+xml")
                .delay(Duration::from_secs(3)),
        ),
        ("/missing.xml", Response::status(404)),
    ]);
    let sandbox = Sandbox::new();
    sandbox.write_config(
        "timeout_seconds = 10",
        &[
            feed("Slow", server.url("/slow.xml"), &[]),
            feed("Missing", server.url("/missing.xml"), &[]),
        ],
    );
    let tui = Tui::start(&sandbox, 120, 40);
    // The 404 is marked at once, while the slow feed is still being fetched.
    let screen = tui.wait_until("the 404 marker", SOON, |s| {
        feeds_row(s, "Missing").is_some_and(|row| row.starts_with('!'))
    });
    assert!(
        screen.contains("refreshing"),
        "the slow feed is still loading:\n{screen}"
    );
    assert!(screen.contains("1 failed"), "{screen}");
    assert!(
        !feeds_row(&screen, "Slow").is_some_and(|row| row.starts_with('!')),
        "{screen}"
    );
    // Select it (j until the headlines pane is about it): its error is shown there, still while loading.
    let mut screen = screen;
    for _ in 0..6 {
        if screen.contains("Missing —") {
            break;
        }
        tui.keys(&["j"]);
        let before = screen.clone();
        screen = tui.wait_until("the selection to move", SOON, |s| s != before);
    }
    let screen = tui.wait_for("HTTP 404", SOON);
    let pane = right_pane(&screen);
    assert!(
        pane.iter().any(|l| l.contains("HTTP 404")),
        "the error is in the headlines pane:\n{screen}"
    );
    assert!(
        screen.contains("refreshing"),
        "others still loading:\n{screen}"
    );
    // The slow feed then arrives; the broken one keeps its marker.
    let screen = tui.wait_until("the slow feed", SOON, |s| {
        feed_counts(s, "Slow") == Some((3, 3))
    });
    assert!(
        feeds_row(&screen, "Missing").is_some_and(|row| row.starts_with('!')),
        "{screen}"
    );
}

#[test]
fn q_from_the_top_quits_and_restores_the_terminal() {
    let server = TestServer::start(long_routes());
    let sandbox = Sandbox::new();
    sandbox.write_config("", &long_feeds(&server));
    let tui = Tui::start(&sandbox, 120, 40);
    tui.wait_for("Long Reads item 0", SOON);
    assert_eq!(
        tui.pane_format("#{alternate_on}"),
        "1",
        "the UI uses the alternate screen"
    );
    tui.keys(&["q"]);
    let report = tui.wait_for_exit(SOON);
    assert!(report.contains("tidings exited 0"), "{report}");
    assert!(
        !report.contains("Feeds"),
        "the alternate screen is gone:\n{report}"
    );
    let modes = report
        .lines()
        .find(|l| l.starts_with("modes:"))
        .expect("the wrapper printed the terminal modes");
    for mode in ["icanon", "echo", "isig"] {
        assert!(
            modes.split_whitespace().any(|m| m == mode),
            "{mode} restored after quitting: {modes}"
        );
    }
    assert_eq!(tui.pane_format("#{alternate_on}"), "0");
    assert_eq!(
        tui.pane_format("#{cursor_flag}"),
        "1",
        "the cursor is visible again"
    );
    assert_eq!(tui.pane_format("#{mouse_any_flag}"), "0");
}

/// Start the TUI on the sandbox, wait for Long Reads to be loaded and return its counts.
fn long_reads_counts(tui: &Tui) -> (usize, usize) {
    let screen = tui.wait_until("Long Reads loaded", SOON, |s| {
        feed_counts(s, "Long Reads").is_some_and(|(_, total)| total == LONG_ITEMS)
            && !s.contains("refreshing")
    });
    feed_counts(&screen, "Long Reads").expect("counts")
}

#[test]
fn read_state_survives_a_restart() {
    let server = TestServer::start(long_routes());
    let sandbox = Sandbox::new();
    sandbox.write_config("", &long_feeds(&server));
    {
        let tui = Tui::start(&sandbox, 120, 40);
        assert_eq!(long_reads_counts(&tui), (LONG_ITEMS, LONG_ITEMS));
        tui.keys(&["Tab", "Enter"]);
        tui.wait_until("the article to open and count as read", SOON, |s| {
            s.contains("min read")
                && feed_counts(s, "Long Reads") == Some((LONG_ITEMS - 1, LONG_ITEMS))
        });
        // q goes back, then quits at the top.
        for _ in 0..4 {
            if tui.screen().contains("wrapper-done") {
                break;
            }
            tui.keys(&["q"]);
            std::thread::sleep(Duration::from_millis(100));
        }
        let report = tui.wait_for_exit(SOON);
        assert!(report.contains("tidings exited 0"), "{report}");
    }
    let tui = Tui::start(&sandbox, 120, 40);
    // From the cache at once, and still after the refresh.
    let screen = tui.wait_until("cached counts", SOON, |s| {
        feed_counts(s, "Long Reads").is_some()
    });
    assert_eq!(
        feed_counts(&screen, "Long Reads"),
        Some((LONG_ITEMS - 1, LONG_ITEMS)),
        "the cache fills the first frame:\n{screen}"
    );
    assert_eq!(long_reads_counts(&tui), (LONG_ITEMS - 1, LONG_ITEMS));
}

#[test]
fn read_flag_survives_kill_9() {
    let server = TestServer::start(long_routes());
    let sandbox = Sandbox::new();
    sandbox.write_config("", &long_feeds(&server));
    {
        let tui = Tui::start(&sandbox, 120, 40);
        assert_eq!(long_reads_counts(&tui), (LONG_ITEMS, LONG_ITEMS));
        tui.keys(&["Tab", "Enter"]);
        tui.wait_until("the article to count as read", SOON, |s| {
            feed_counts(s, "Long Reads") == Some((LONG_ITEMS - 1, LONG_ITEMS))
        });
        // Issue 3: a read flag set more than a second before a kill -9 survives.
        std::thread::sleep(Duration::from_millis(1500));
        let pid = std::fs::read_to_string(sandbox.path("tidings.pid"))
            .expect("the wrapper wrote the pid");
        let pid = pid.trim();
        assert!(pid.parse::<u32>().is_ok(), "pid file holds a pid: {pid:?}");
        let killed = Command::new("kill")
            .args(["-KILL", pid])
            .status()
            .expect("run kill");
        assert!(killed.success());
        let report = tui.wait_for_exit(SOON);
        assert!(report.contains("tidings exited 137"), "{report}");
    }
    let tui = Tui::start(&sandbox, 120, 40);
    assert_eq!(long_reads_counts(&tui), (LONG_ITEMS - 1, LONG_ITEMS));
}

#[test]
fn pictures_are_drawn_in_place_with_half_blocks() {
    // Darker downwards, so every cell's upper and lower halves differ and half-blocks are drawn.
    let image = image::RgbImage::from_fn(640, 320, |x, y| {
        let shade = 255 - (y * 200 / 320) as u8;
        if x < 320 {
            image::Rgb([shade, 20, 20])
        } else {
            image::Rgb([20, 20, shade])
        }
    });
    let mut png = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut png, image::ImageFormat::Png)
        .expect("encode PNG");
    let feed_xml = |base: &str| {
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\" \
             xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>Pics</title>\
             <item><title>Picture post</title><guid>pic-1</guid><link>https://example.org/pic</link>\
             <content:encoded><![CDATA[<p>Before the picture.</p><img src=\"{base}/red.png\" \
             alt=\"red and blue\"><p>After the picture.</p>]]></content:encoded></item>\
             </channel></rss>"
        )
    };
    // The feed names the server's own address, so it is served from a second server that knows it.
    let pictures = TestServer::start([("/red.png", Response::ok(png.into_inner(), "image/png"))]);
    let server = TestServer::start([(
        "/pics.xml",
        Response::ok(feed_xml(&pictures.url("")), "application/rss+xml"),
    )]);
    let sandbox = Sandbox::new();
    sandbox.write_config(
        "images = \"halfblocks\"\n",
        &[feed("Pics", server.url("/pics.xml"), &[])],
    );
    let tui = Tui::start(&sandbox, 100, 40);
    tui.wait_for("Picture post", SOON);
    tui.keys(&["Tab", "Enter"]);
    let screen = tui.wait_until("the picture", SOON, |s| s.contains('▀'));
    let rows: Vec<&str> = screen.lines().collect();
    let row_of = |needle: &str| rows.iter().position(|r| r.contains(needle));
    let before = row_of("Before the picture.").expect("text before");
    let picture = row_of("▀").expect("picture");
    let after = row_of("After the picture.").expect("text after");
    assert!(before < picture && picture < after, "in place:\n{screen}");
    assert!(!screen.contains("[image: red and blue]"), "{screen}");
    assert_eq!(pictures.hits("/red.png"), 1);
    assert!(
        sandbox
            .path("cache.pictures")
            .read_dir()
            .map(|d| d.count())
            .unwrap_or(0)
            == 1,
        "kept beside the cache"
    );
}

/// A feed already subscribed, a page that announces another one, and that feed.
fn subscription_routes() -> Vec<(&'static str, Response)> {
    let page = "<!doctype html><html><head><title>A loopback blog</title>\
        <link rel=\"alternate\" type=\"application/rss+xml\" title=\"Posts\" href=\"feed.xml\">\
        </head><body><p>Hello.</p></body></html>";
    vec![
        (
            "/first.xml",
            Response::ok(rss_feed("First Feed", "first", 2, 1), "application/rss+xml"),
        ),
        ("/blog/", Response::ok(page, "text/html; charset=utf-8")),
        (
            "/blog/feed.xml",
            Response::ok(
                rss_feed("Loopback Blog", "blog", 3, 1),
                "application/rss+xml",
            ),
        ),
    ]
}

#[test]
fn a_adds_the_feed_a_page_announces_and_shows_its_articles() {
    let server = TestServer::start(subscription_routes());
    let sandbox = Sandbox::new();
    let original = format!(
        "# my subscriptions, by hand\n[settings]\nrefresh_minutes = 0\ntimeout_seconds = 10\n\n\
         # the one I had\n[[feed]]\nurl = \"{}\" # keep me\nname = \"First Feed\"\n",
        server.url("/first.xml")
    );
    std::fs::write(sandbox.config(), &original).expect("write feeds.toml");
    let tui = Tui::start(&sandbox, 120, 40);
    tui.wait_until("the first feed loaded", SOON, |s| {
        s.contains("1 feeds · 2 articles") && feeds_row(s, "First Feed").is_some()
    });
    tui.keys(&["a"]);
    tui.wait_for("add feed (URL", SOON);
    tui.tmux(&["send-keys", "-t", "main", "-l", &server.url("/blog/")]);
    tui.keys(&["Enter"]);
    let screen = tui.wait_until("the new feed and its articles", SOON, |s| {
        feed_counts(s, "Loopback Blog") == Some((3, 3)) && s.contains("Loopback Blog item 0")
    });
    assert!(screen.contains("2 feeds · 5 articles"), "{screen}");
    let written = std::fs::read_to_string(sandbox.config()).expect("read feeds.toml");
    assert!(
        written.starts_with(&original),
        "the file's own text is kept:\n{written}"
    );
    assert!(
        written.contains(&format!("url = \"{}\"", server.url("/blog/feed.xml"))),
        "{written}"
    );
    assert!(written.contains("name = \"Loopback Blog\""), "{written}");
    tui.keys(&["q"]);
    let report = tui.wait_for_exit(SOON);
    assert!(report.contains("tidings exited 0"), "{report}");
}

#[test]
fn d_asks_then_removes_the_feed_from_the_screen_and_the_config() {
    let server = TestServer::start(subscription_routes());
    let sandbox = Sandbox::new();
    std::fs::write(
        sandbox.config(),
        format!(
            "# my subscriptions\n[settings]\nrefresh_minutes = 0\ntimeout_seconds = 10\n\n\
             [[feed]]\nurl = \"{}\" # keep me\nname = \"First Feed\"\n\n\
             [[feed]]\nurl = \"{}\"\nname = \"Loopback Blog\"\n",
            server.url("/first.xml"),
            server.url("/blog/feed.xml")
        ),
    )
    .expect("write feeds.toml");
    let tui = Tui::start(&sandbox, 120, 40);
    tui.wait_for("2 feeds · 5 articles", SOON);
    // Star the blog's newest article first: a starred article outlives its feed in the cache.
    tui.keys(&["G", "Tab", "s"]);
    tui.wait_for("starred", SOON);
    tui.keys(&["Tab", "d"]);
    tui.wait_for(
        "Remove \"Loopback Blog\" and its unstarred articles? y/n",
        SOON,
    );
    tui.keys(&["y"]);
    let screen = tui.wait_until("the feed gone", SOON, |s| {
        s.contains("1 feeds · 2 articles") && s.contains("dropped from the cache")
    });
    assert!(feeds_row(&screen, "Loopback Blog").is_none(), "{screen}");
    assert!(!screen.contains("Loopback Blog item"), "{screen}");
    let written = std::fs::read_to_string(sandbox.config()).expect("read feeds.toml");
    assert!(!written.contains("/blog/feed.xml"), "{written}");
    assert!(
        written.contains("# my subscriptions") && written.contains("# keep me"),
        "{written}"
    );
    tui.keys(&["q"]);
    let report = tui.wait_for_exit(SOON);
    assert!(report.contains("tidings exited 0"), "{report}");
    let cache = rusqlite::Connection::open(sandbox.cache()).expect("open the cache");
    let count = |url: String, starred: bool| -> i64 {
        cache
            .query_row(
                "SELECT count(*) FROM articles WHERE feed_url = ?1 AND starred = ?2",
                rusqlite::params![url, starred],
                |row| row.get(0),
            )
            .expect("count articles")
    };
    assert_eq!(
        count(server.url("/blog/feed.xml"), false),
        0,
        "unstarred gone"
    );
    assert_eq!(
        count(server.url("/blog/feed.xml"), true),
        1,
        "the starred one kept"
    );
    assert_eq!(
        count(server.url("/first.xml"), false),
        2,
        "the other feed untouched"
    );
}
