//! Shared pieces of the end-to-end tests (`e2e_cli`, `e2e_cache`, `e2e_tui`): a sandbox directory that
//! holds the config, cache, working directory and XDG folders of one run of the built binary, feeds.toml
//! writing, generated feeds, and running the binary with a deadline (a hung child is killed, never waited
//! on forever).
#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_tidings")
}

/// Bytes of `tests/fixtures/e2e/<name>`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/e2e")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("read fixture {}: {e}", path.display()))
}

/// One `[[feed]]` entry.
pub struct FeedSpec {
    pub name: String,
    pub url: String,
    pub tags: Vec<String>,
}

/// A `[[feed]]` named `name` at `url` with `tags`.
pub fn feed(name: &str, url: String, tags: &[&str]) -> FeedSpec {
    FeedSpec {
        name: name.into(),
        url,
        tags: tags.iter().map(|t| t.to_string()).collect(),
    }
}

/// feeds.toml text: `settings` lines under `[settings]` (timeout 2 s unless given), then the feeds.
pub fn feeds_toml(settings: &str, feeds: &[FeedSpec]) -> String {
    let mut text = String::from("[settings]\nrefresh_minutes = 0\n");
    if !settings.contains("timeout_seconds") {
        text.push_str("timeout_seconds = 2\n");
    }
    text.push_str(settings);
    text.push('\n');
    for f in feeds {
        let tags: Vec<String> = f.tags.iter().map(|t| format!("{t:?}")).collect();
        text.push_str(&format!(
            "\n[[feed]]\nurl = {:?}\nname = {:?}\ntags = [{}]\n",
            f.url,
            f.name,
            tags.join(", ")
        ));
    }
    text
}

/// A temporary home for one test: config, cache, an empty working directory and XDG folders, so the
/// binary never sees the repository's feeds.toml or the user's data.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::Builder::new()
            .prefix("tidings-e2e-")
            .tempdir()
            .expect("create a temp dir");
        for sub in ["cwd", "xdg-config", "xdg-data", "home"] {
            std::fs::create_dir_all(dir.path().join(sub)).expect("create sandbox folder");
        }
        Sandbox { dir }
    }

    /// `name` inside the sandbox.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The sandbox's feeds.toml.
    pub fn config(&self) -> PathBuf {
        self.path("feeds.toml")
    }

    /// The sandbox's cache database.
    pub fn cache(&self) -> PathBuf {
        self.path("cache.db")
    }

    /// Write feeds.toml (see [`feeds_toml`]) and return its path.
    pub fn write_config(&self, settings: &str, feeds: &[FeedSpec]) -> PathBuf {
        let path = self.config();
        std::fs::write(&path, feeds_toml(settings, feeds)).expect("write feeds.toml");
        path
    }

    /// The binary with a clean environment pointing into the sandbox; no arguments yet.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(bin());
        cmd.env_remove("TIDINGS_CONFIG")
            .env("XDG_CONFIG_HOME", self.path("xdg-config"))
            .env("XDG_DATA_HOME", self.path("xdg-data"))
            .env("HOME", self.path("home"))
            .env("NO_COLOR", "1")
            .current_dir(self.path("cwd"));
        cmd
    }

    /// The binary with `--config <sandbox>/feeds.toml --cache <sandbox>/cache.db` and then `args`.
    pub fn tidings(&self, args: &[&str]) -> Command {
        let mut cmd = self.command();
        cmd.arg("--config")
            .arg(self.config())
            .arg("--cache")
            .arg(self.cache())
            .args(args);
        cmd
    }
}

/// What a finished run of the binary left behind.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stdout_bytes: Vec<u8>,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    /// Assert the exit code, showing the output when it is wrong; never accepts a panic (101).
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_ne!(self.code, 101, "tidings panicked:\n{}", self.describe());
        assert_eq!(
            self.code,
            code,
            "unexpected exit code:\n{}",
            self.describe()
        );
        self
    }

    /// The output for an assertion message.
    pub fn describe(&self) -> String {
        format!(
            "exit {} after {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code, self.elapsed, self.stdout, self.stderr
        )
    }
}

/// Run `cmd` (stdin closed) and wait at most `deadline`; a child still running then is killed and the
/// test fails.
pub fn run(cmd: &mut Command, deadline: Duration) -> Run {
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn tidings");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = pipe.read_to_end(&mut buf);
            buf
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("piped stdout")));
    let err = drain(Box::new(child.stderr.take().expect("piped stderr")));
    let status: ExitStatus = loop {
        if let Some(status) = child.try_wait().expect("wait for tidings") {
            break status;
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            let stdout = out.join().unwrap_or_default();
            let stderr = err.join().unwrap_or_default();
            panic!(
                "tidings still running after {deadline:?}; killed\n--- stdout ---\n{}\n--- stderr ---\n{}",
                String::from_utf8_lossy(&stdout),
                String::from_utf8_lossy(&stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = start.elapsed();
    let stdout_bytes = out.join().expect("stdout reader");
    let stderr = err.join().expect("stderr reader");
    let code = status
        .code()
        .unwrap_or_else(|| panic!("tidings was killed by a signal: {status:?}"));
    Run {
        code,
        stdout: String::from_utf8_lossy(&stdout_bytes).into_owned(),
        stdout_bytes,
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        elapsed,
    }
}

/// An RSS 2.0 feed titled `title` with `items` items (`"{title} item {i}"`, newest first, guid
/// `{slug}-{i}`), each with a body of `paragraphs` paragraphs.
pub fn rss_feed(title: &str, slug: &str, items: usize, paragraphs: usize) -> String {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>{title}</title>\
         <link>https://example.org/{slug}/</link><description>generated</description>\n"
    );
    for i in 0..items {
        // One item a minute, newest first, all in January 2026.
        let minutes = 60 * 24 * 20 - i;
        let (day, hour, minute) = (1 + minutes / (60 * 24), (minutes / 60) % 24, minutes % 60);
        let mut body = String::new();
        for p in 0..paragraphs {
            body.push_str(&format!(
                "<p>Paragraph {p} of item {i} in {slug} carries ordinary words about councils, budgets, \
                 rainfall and satellites, long enough to wrap across several lines of a terminal \
                 window when it is read in the article pane of the reader marker{p}.</p>"
            ));
        }
        xml.push_str(&format!(
            "<item><title>{title} item {i}</title><link>https://example.org/{slug}/{i}</link>\
             <guid isPermaLink=\"false\">{slug}-{i}</guid>\
             <pubDate>{} Jan 2026 {hour:02}:{minute:02}:00 +0000</pubDate>\
             <description><![CDATA[{body}]]></description></item>\n",
            day
        ));
    }
    xml.push_str("</channel></rss>\n");
    xml
}

/// Poll `check` every 20 ms until it returns Some or `deadline` passes.
pub fn wait_for<T>(deadline: Duration, mut check: impl FnMut() -> Option<T>) -> Option<T> {
    let start = Instant::now();
    loop {
        if let Some(v) = check() {
            return Some(v);
        }
        if start.elapsed() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
