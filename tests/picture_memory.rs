//! Peak memory while pictures load stays bounded whatever an article holds: several pictures at the
//! decode cap, fetched at once from a loopback server, plus a pixel bomb. Its own test binary, so the
//! process's high-water mark (`VmHWM`) counts this test alone.

mod support;

use std::io::Cursor;
use std::time::Duration;
use support::{Response, TestServer};
use tidings::pictures::PictureMaker;

/// The process's peak resident memory in bytes (Linux).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loading_many_large_pictures_keeps_the_peak_bounded() {
    // 3400×3400 is 11.6 million pixels: just under the decode cap, a few kB as a PNG.
    let big = image::RgbImage::from_pixel(3400, 3400, image::Rgb([90, 140, 200]));
    let mut png = Cursor::new(Vec::new());
    big.write_to(&mut png, image::ImageFormat::Png)
        .expect("encode");
    drop(big);
    let png = png.into_inner();
    let paths: Vec<String> = (0..4).map(|i| format!("/big{i}.png")).collect();
    let server = TestServer::start(
        paths
            .iter()
            .map(|p| (p.as_str(), Response::ok(png.clone(), "image/png"))),
    );
    let maker = PictureMaker::half_blocks(Duration::from_secs(120), None).expect("maker");
    let before = peak_rss().unwrap_or(0);
    let urls: Vec<String> = paths.iter().map(|p| server.url(p)).collect();
    let loads = urls.iter().map(|u| maker.load(u, 78, 18));
    let results = futures_util::future::join_all(loads).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let Some(peak) = peak_rss() else {
        return; // not Linux: nothing to measure
    };
    eprintln!(
        "peak RSS before {} MB, after {} MB",
        before >> 20,
        peak >> 20
    );
    assert!(
        peak < 300 * 1024 * 1024,
        "peak resident memory {} MB while loading four 11.6-Mpx pictures",
        peak >> 20
    );
}
