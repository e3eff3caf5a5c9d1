//! A tiny loopback HTTP/1.1 server for tests: fixed routes, each with a status, headers and body, that
//! can also stall, delay, redirect and answer conditional GETs with 304. It counts hits per path and the
//! most requests in flight at once. It runs on its own thread and runtime, so it works from plain
//! `#[test]`s (e.g. end-to-end tests of the binary) as well as from `#[tokio::test]`s.
//!
//! ```ignore
//! mod support;
//! use support::{Response, TestServer};
//! let server = TestServer::start([
//!     ("/a.xml", Response::ok(std::fs::read("tests/fixtures/feeds/rss2.xml")?, "application/rss+xml")),
//!     ("/slow", Response::stall()),
//!     ("/gone", Response::status(410)),
//! ]);
//! let url = server.url("/a.xml"); // "http://127.0.0.1:PORT/a.xml"
//! // ... run the code under test ...
//! assert_eq!(server.hits("/a.xml"), 1);
//! ```
//! Unknown paths answer 404. Every response closes its connection. The server stops when dropped.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Longest request head the server reads.
const MAX_REQUEST_HEAD: usize = 64 * 1024;

/// What the server does for one route.
#[derive(Debug, Clone)]
pub struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Duration,
    stall: Option<usize>,
    etag: Option<String>,
}

impl Response {
    /// 200 with `body` and the given Content-Type.
    pub fn ok(body: impl Into<Vec<u8>>, content_type: &str) -> Self {
        Response {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            delay: Duration::ZERO,
            stall: None,
            etag: None,
        }
    }

    /// `code` with a small HTML error page as body.
    pub fn status(code: u16) -> Self {
        let page = format!("<!DOCTYPE html><html><body><h1>Error {code}</h1></body></html>");
        Response {
            status: code,
            ..Response::ok(page, "text/html; charset=utf-8")
        }
    }

    /// A redirect (`code` 301/302/307/308) to `location` (absolute or relative).
    pub fn redirect(code: u16, location: &str) -> Self {
        Response::status(code).header("Location", location)
    }

    /// Accept the request and never answer; the connection is held until the client gives up.
    pub fn stall() -> Self {
        Response {
            stall: Some(0),
            ..Response::ok(Vec::new(), "text/plain")
        }
    }

    /// Send the status line, headers and the first `bytes` of the body, then go silent.
    pub fn stall_after(mut self, bytes: usize) -> Self {
        self.stall = Some(bytes.max(1));
        self
    }

    /// Add a response header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Wait this long before answering (keeps the request in flight).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Send `ETag: tag`; a request whose `If-None-Match` equals `tag` gets 304 with no body.
    pub fn etag(mut self, tag: &str) -> Self {
        self.etag = Some(tag.into());
        self.headers.push(("ETag".into(), tag.into()));
        self
    }
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Request {
    /// Path without the query string.
    pub path: String,
    /// Header names lower-cased.
    pub headers: HashMap<String, String>,
}

#[derive(Default)]
struct State {
    hits: Mutex<HashMap<String, usize>>,
    requests: Mutex<Vec<Request>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

/// A running loopback server; stops when dropped.
pub struct TestServer {
    /// The bound address (127.0.0.1 and an ephemeral port).
    pub addr: SocketAddr,
    state: Arc<State>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    /// Bind 127.0.0.1:0 and serve `routes` (path → response) on a background thread.
    pub fn start<'a>(routes: impl IntoIterator<Item = (&'a str, Response)>) -> TestServer {
        let routes: HashMap<String, Response> = routes
            .into_iter()
            .map(|(p, r)| (p.to_string(), r))
            .collect();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        listener
            .set_nonblocking(true)
            .expect("nonblocking listener");
        let addr = listener.local_addr().expect("bound address");
        let state = Arc::new(State::default());
        let (tx, rx) = tokio::sync::oneshot::channel();
        let thread_state = Arc::clone(&state);
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("test server runtime");
            runtime.block_on(async move {
                let listener = TcpListener::from_std(listener).expect("tokio listener");
                let routes = Arc::new(routes);
                tokio::select! {
                    _ = accept_loop(listener, routes, thread_state) => {}
                    _ = rx => {}
                }
            });
        });
        TestServer {
            addr,
            state,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    /// Absolute URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// How many requests reached `path` (query ignored).
    pub fn hits(&self, path: &str) -> usize {
        let hits = self.state.hits.lock().unwrap_or_else(|e| e.into_inner());
        hits.get(path).copied().unwrap_or(0)
    }

    /// The most requests that were being answered at the same time.
    pub fn max_in_flight(&self) -> usize {
        self.state.max_in_flight.load(Ordering::SeqCst)
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<Request> {
        self.state
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Header `name` (any case) of the last request to `path`.
    pub fn last_header(&self, path: &str, name: &str) -> Option<String> {
        let name = name.to_ascii_lowercase();
        self.requests()
            .into_iter()
            .rev()
            .find(|r| r.path == path)
            .and_then(|r| r.headers.get(&name).cloned())
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn accept_loop(
    listener: TcpListener,
    routes: Arc<HashMap<String, Response>>,
    state: Arc<State>,
) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let routes = Arc::clone(&routes);
        let state = Arc::clone(&state);
        tokio::spawn(async move {
            let now = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            state.max_in_flight.fetch_max(now, Ordering::SeqCst);
            let _ = serve(stream, &routes, &state).await;
            state.in_flight.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

async fn serve(
    mut stream: TcpStream,
    routes: &HashMap<String, Response>,
    state: &State,
) -> std::io::Result<()> {
    let Some(request) = read_request(&mut stream).await? else {
        return Ok(());
    };
    *state
        .hits
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .entry(request.path.clone())
        .or_default() += 1;
    state
        .requests
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(request.clone());
    let response = routes
        .get(&request.path)
        .cloned()
        .unwrap_or_else(|| Response::status(404));
    if !response.delay.is_zero() {
        tokio::time::sleep(response.delay).await;
    }
    if response.stall == Some(0) {
        return hold_until_closed(&mut stream).await;
    }
    let not_modified =
        response.etag.is_some() && request.headers.get("if-none-match") == response.etag.as_ref();
    let (status, body): (u16, &[u8]) = if not_modified {
        (304, b"")
    } else {
        (response.status, &response.body)
    };
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    stream.write_all(head.as_bytes()).await?;
    if let Some(n) = response.stall {
        stream.write_all(&body[..n.min(body.len())]).await?;
        stream.flush().await?;
        return hold_until_closed(&mut stream).await;
    }
    stream.write_all(body).await?;
    stream.flush().await?;
    stream.shutdown().await
}

/// Read the request head; None when the client closed before sending one.
async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<Request>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk).await?;
        if n == 0 || buf.len() > MAX_REQUEST_HEAD {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let head = String::from_utf8_lossy(&buf);
    let mut lines = head.split("\r\n");
    let target = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .unwrap_or("/");
    let path = target.split('?').next().unwrap_or("/").to_string();
    let headers = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Ok(Some(Request { path, headers }))
}

async fn hold_until_closed(stream: &mut TcpStream) -> std::io::Result<()> {
    let mut sink = [0u8; 1024];
    while stream.read(&mut sink).await? > 0 {}
    Ok(())
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        404 => "Not Found",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
