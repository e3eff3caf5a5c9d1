//! Connection set-up (WAL, busy timeout), the schema version and its migrations, and what to do with a
//! file that is not a usable database: move it aside, never delete it.

use super::CacheError;
use rusqlite::{Connection, ErrorCode, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a statement waits for another connection's write lock before failing with "busy".
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Migrations in order: `MIGRATIONS[i]` takes a database from version `i` to `i + 1`.
/// Append only; never edit a released step.
const MIGRATIONS: &[&str] = &[
    // v1: feeds with validators and last outcome; articles with flags; sort_key for retention.
    "CREATE TABLE IF NOT EXISTS feeds (
        url TEXT PRIMARY KEY NOT NULL,
        title TEXT,
        etag TEXT,
        last_modified TEXT,
        last_success INTEGER,
        last_error TEXT,
        last_error_at INTEGER
    );
    CREATE TABLE IF NOT EXISTS articles (
        feed_url TEXT NOT NULL,
        id TEXT NOT NULL,
        title TEXT NOT NULL,
        link TEXT,
        authors TEXT NOT NULL DEFAULT '[]',
        published INTEGER,
        updated INTEGER,
        summary TEXT,
        content TEXT,
        categories TEXT NOT NULL DEFAULT '[]',
        comments INTEGER,
        enclosures TEXT NOT NULL DEFAULT '[]',
        read INTEGER NOT NULL DEFAULT 0,
        starred INTEGER NOT NULL DEFAULT 0,
        first_seen INTEGER NOT NULL,
        sort_key INTEGER NOT NULL,
        full_text TEXT,
        PRIMARY KEY (feed_url, id)
    );",
    // v2: bodies move to a table of their own, so the start-up scan of `articles` reads small rows
    // (headlines, flags) and bodies are read one at a time when an article is opened.
    "CREATE TABLE IF NOT EXISTS article_bodies (
        feed_url TEXT NOT NULL,
        id TEXT NOT NULL,
        summary TEXT,
        content TEXT,
        full_text TEXT,
        PRIMARY KEY (feed_url, id)
    );
    INSERT OR IGNORE INTO article_bodies (feed_url, id, summary, content, full_text)
        SELECT feed_url, id, summary, content, full_text FROM articles
        WHERE summary IS NOT NULL OR content IS NOT NULL OR full_text IS NOT NULL;
    ALTER TABLE articles DROP COLUMN summary;
    ALTER TABLE articles DROP COLUMN content;
    ALTER TABLE articles DROP COLUMN full_text;
    CREATE TRIGGER IF NOT EXISTS article_bodies_follow_deletes AFTER DELETE ON articles BEGIN
        DELETE FROM article_bodies WHERE feed_url = old.feed_url AND id = old.id;
    END;",
    // v3: a server's Retry-After outlives the process (`tidings fetch` from cron honours it).
    "ALTER TABLE feeds ADD COLUMN retry_not_before INTEGER;",
    // v4: full-text index for the query language's `text:` (issue 12), see `search.rs`.
    super::search::MIGRATION,
    // v5: each body's word count beside its headline, for the query language's `words>N`.
    super::word_counts::MIGRATION,
    // v6: bodies indexed after they are saved, off the refresh's path (see `search.rs`).
    super::search::DEFER_BODIES,
    // v7: where an item's conversation is (issue 14): its comment feed and its comments page.
    "ALTER TABLE articles ADD COLUMN comment_feed TEXT;
     ALTER TABLE articles ADD COLUMN comments_page TEXT;",
    // v8: how many refreshes in a row failed, counted on disk, so the error view and `tidings fetch`
    // say "failed 5 times in a row" across runs (a failing feed counts as one until its next outcome).
    // And the feed's own web site (OPML `htmlUrl` for `tidings export`).
    "ALTER TABLE feeds ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
     UPDATE feeds SET failures = 1 WHERE last_error IS NOT NULL;
     ALTER TABLE feeds ADD COLUMN site_url TEXT;",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Open `path` with our pragmas and bring its schema up to date.
pub fn connect(path: &Path) -> Result<Connection, CacheError> {
    let conn = Connection::open(path).map_err(|e| CacheError::from_sqlite(path, e))?;
    configure(&conn).map_err(|e| CacheError::from_sqlite(path, e))?;
    // Before migrating: the v4 step and the index's triggers call it.
    super::search::register_functions(&conn).map_err(|e| CacheError::from_sqlite(path, e))?;
    super::word_counts::register_functions(&conn).map_err(|e| CacheError::from_sqlite(path, e))?;
    migrate(&conn).map_err(|e| CacheError::from_sqlite(path, e))?;
    Ok(conn)
}

/// A second, read-only connection for loading in parallel (the schema is already up to date).
pub fn reader(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(conn)
}

/// Pragmas every connection needs. Reading the schema first makes SQLite read page 1, so a file that is
/// not a database fails here with `NotADatabase`.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    if objects == 0 && version(conn)? == 0 {
        // Only takes effect on a new, empty file (and only before WAL): larger pages load faster.
        conn.execute_batch("PRAGMA page_size = 8192")?;
    }
    // WAL: readers never block the writer, and a killed process leaves a database SQLite recovers.
    conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))?;
    // NORMAL in WAL mode: a crash of the process loses nothing committed; only power loss may lose
    // the last transactions (never corrupts).
    conn.execute_batch("PRAGMA synchronous = NORMAL")?;
    // Statement journals (upserts with triggers need them) in memory, not in temporary files.
    conn.execute_batch("PRAGMA temp_store = MEMORY")?;
    // No memory map: every page read through one would stay in the resident set (a scan of the
    // headlines, bodies read for `list --json`), while the page cache stays at its 2 MB.
    conn.query_row("PRAGMA mmap_size = 0", [], |_| Ok(()))
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(()),
            e => Err(e),
        })
}

/// The schema version stored in the database.
pub fn version(conn: &Connection) -> rusqlite::Result<u32> {
    let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    Ok(u32::try_from(v).unwrap_or(0))
}

/// Run every migration past the stored version, each in its own IMMEDIATE transaction (so two
/// instances starting at once cannot both run a step) together with the version bump.
fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    loop {
        let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
        let current = version(&tx)? as usize;
        if current > MIGRATIONS.len() {
            return Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_MISMATCH),
                Some(format!(
                    "schema version {current} is newer than this tidings understands ({}); upgrade tidings",
                    MIGRATIONS.len()
                )),
            ));
        }
        let Some(step) = MIGRATIONS.get(current) else {
            break;
        };
        tx.execute_batch(step)?;
        tx.execute_batch(&format!("PRAGMA user_version = {}", current + 1))?;
        tx.commit()?;
    }
    // A database from elsewhere with our version number but not our tables is not ours to use.
    conn.prepare("SELECT url, title, etag, last_modified, last_success, last_error, last_error_at FROM feeds LIMIT 0")?;
    conn.prepare("SELECT feed_url, id, sort_key FROM articles LIMIT 0")?;
    conn.prepare("SELECT feed_url, id, summary, content, full_text FROM article_bodies LIMIT 0")?;
    Ok(())
}

/// True when an error means the file itself is bad (not a database, or damaged), as opposed to busy,
/// locked, read-only or missing.
pub fn is_corruption(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt)
    )
}

/// Move a bad cache file (and its -wal/-shm companions) to `<name>.corrupt-<YYYYmmddTHHMMSS>`; returns
/// the new path of the main file. Never deletes anything.
pub fn move_aside(path: &Path) -> std::io::Result<PathBuf> {
    let stamp = chrono::Local::now().format("%Y%m%dT%H%M%S").to_string();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "cache.db".into());
    let mut target = path.with_file_name(format!("{name}.corrupt-{stamp}"));
    let mut n = 1;
    while target.exists() {
        target = path.with_file_name(format!("{name}.corrupt-{stamp}-{n}"));
        n += 1;
    }
    std::fs::rename(path, &target)?;
    for suffix in ["-wal", "-shm"] {
        let side = path.with_file_name(format!("{name}{suffix}"));
        if side.exists() {
            let moved = target.with_file_name(format!(
                "{}{suffix}",
                target
                    .file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            ));
            std::fs::rename(&side, moved)?;
        }
    }
    Ok(target)
}
