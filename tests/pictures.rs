//! Pictures in the reader (issue 14), served by a real loopback server: a PNG and a JPEG drawn in
//! place with half-blocks; an SVG, a 404, a too-big file and a pixel bomb keep their placeholders;
//! the text around the boxes never moves; a second load comes from the file cache.

mod builders;
mod support;

use builders::*;
use crossterm::event::KeyCode;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use ratatui::Terminal;
use std::io::Cursor;
use std::time::Duration;
use support::{Response, TestServer};
use tidings::app::reader::PictureState;
use tidings::app::{App, Effect, Msg};
use tidings::config::{ImageMode, Settings};
use tidings::model::Body;
use tidings::pictures::{PictureFiles, PictureMaker};
use tidings::store::Store;

/// A picture red on top and blue below, encoded as `format`.
fn picture(format: image::ImageFormat) -> Vec<u8> {
    let image = image::RgbImage::from_fn(640, 320, |_, y| {
        if y < 160 {
            image::Rgb([230, 20, 20])
        } else {
            image::Rgb([20, 20, 230])
        }
    });
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, format).expect("encode");
    out.into_inner()
}

/// A PNG whose header claims 60000×60000 pixels in a few dozen bytes.
fn bomb() -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for b in bytes {
            crc ^= u32::from(*b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(60_000u32.to_be_bytes());
    ihdr.extend(60_000u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(13u32.to_be_bytes());
    out.extend(&ihdr);
    out.extend(crc32(&ihdr).to_be_bytes());
    for chunk in [b"IDAT".as_slice(), b"IEND".as_slice()] {
        out.extend(0u32.to_be_bytes());
        out.extend(chunk);
        out.extend(crc32(chunk).to_be_bytes());
    }
    out
}

fn server() -> TestServer {
    TestServer::start([
        (
            "/a.png",
            Response::ok(picture(image::ImageFormat::Png), "image/png"),
        ),
        (
            "/b.jpg",
            Response::ok(picture(image::ImageFormat::Jpeg), "image/jpeg"),
        ),
        (
            "/c.svg",
            Response::ok(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>",
                "image/svg+xml",
            ),
        ),
        ("/big.png", Response::ok(vec![0u8; 6_000_000], "image/png")),
        ("/bomb.png", Response::ok(bomb(), "image/png")),
    ])
}

const NAMES: [(&str, &str); 6] = [
    ("/a.png", "red and blue"),
    ("/b.jpg", "a jpeg"),
    ("/c.svg", "a vector"),
    ("/missing.png", "gone"),
    ("/big.png", "huge"),
    ("/bomb.png", "bomb"),
];

fn open(server: &TestServer) -> (App, Vec<Effect>) {
    let mut html = String::from("<p>Intro.</p>");
    for (i, (path, alt)) in NAMES.iter().enumerate() {
        html.push_str(&format!(
            "<img src=\"{}\" alt=\"{alt}\"><p>After picture {i}.</p>",
            server.url(path)
        ));
    }
    let mut item = article(0, "p1", "A picture story", 3);
    item.body = Body::new(None, Some(html));
    let settings = Settings {
        images: ImageMode::HalfBlocks,
        ..Settings::default()
    };
    let mut app = App::new(Store::new(vec![feed(0, "World News", &[])]), settings);
    app.update(Msg::Resize {
        width: 80,
        height: 30,
    });
    app.update(loaded(0, vec![item]));
    app.update(key(KeyCode::Tab));
    let effects = app.update(key(KeyCode::Enter));
    (app, effects)
}

fn screen(app: &App) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(app.width, app.height)).expect("terminal");
    terminal.draw(|f| tidings::ui::draw(f, app)).expect("draw");
    terminal.backend().buffer().clone()
}

fn cells(buffer: &Buffer) -> impl Iterator<Item = &ratatui::buffer::Cell> {
    buffer.content().iter()
}

fn text_of(buffer: &Buffer) -> String {
    cells(buffer).map(|c| c.symbol()).collect()
}

fn line_of(app: &App, needle: &str) -> usize {
    let reader = app.reader.as_ref().expect("reader");
    reader
        .lines()
        .iter()
        .position(|l| l.text.contains(needle))
        .unwrap_or_else(|| panic!("{needle} in the article"))
}

#[tokio::test]
async fn pictures_are_drawn_in_place_and_placeholders_hold_theirs() {
    let server = server();
    let dir = tempfile::tempdir().expect("tempdir");
    let maker = PictureMaker::half_blocks(
        Duration::from_secs(10),
        Some(PictureFiles::in_dir(dir.path().join("pictures"))),
    )
    .expect("maker");
    let (mut app, effects) = open(&server);
    let fetches: Vec<_> = effects
        .into_iter()
        .filter_map(|e| match e {
            Effect::FetchPicture {
                id,
                index,
                url,
                cols,
                rows,
            } => Some((id, index, url, cols, rows)),
            _ => None,
        })
        .collect();
    assert_eq!(fetches.len(), 6, "every picture of the article on screen");
    // Nothing is asked twice.
    assert!(!app
        .update(key(KeyCode::Down))
        .iter()
        .any(|e| matches!(e, Effect::FetchPicture { .. })));

    let before: Vec<usize> = (0..6)
        .map(|i| line_of(&app, &format!("After picture {i}.")))
        .collect();
    let placeholder = text_of(&screen(&app));
    assert!(
        placeholder.contains("[image: red and blue]"),
        "{placeholder}"
    );

    let mut errors = Vec::new();
    for (id, index, url, cols, rows) in fetches {
        let result = maker
            .load(&url, cols, rows)
            .await
            .map_err(|e| e.to_string());
        if let Err(e) = &result {
            errors.push((index, e.clone()));
        }
        app.update(Msg::Picture {
            id,
            index,
            url,
            result,
        });
    }
    let after: Vec<usize> = (0..6)
        .map(|i| line_of(&app, &format!("After picture {i}.")))
        .collect();
    assert_eq!(before, after, "the text never moves when pictures arrive");

    let reader = app.reader.as_ref().expect("reader");
    let states: Vec<bool> = reader
        .pictures
        .iter()
        .map(|p| matches!(p.state, PictureState::Ready(_)))
        .collect();
    assert_eq!(
        states,
        vec![true, true, false, false, false, false],
        "{errors:?}"
    );
    let reason = |i: usize| {
        errors
            .iter()
            .find(|(n, _)| *n == i)
            .map(|(_, e)| e.as_str())
            .unwrap_or("")
    };
    assert!(reason(2).contains("not a picture"), "svg: {}", reason(2));
    assert!(reason(3).contains("404"), "404: {}", reason(3));
    assert!(reason(4).contains("too large"), "too big: {}", reason(4));
    assert!(
        reason(5).contains("too large to decode"),
        "bomb: {}",
        reason(5)
    );

    // The PNG drawn in its box: half-blocks, red over blue.
    let starts = reader.picture_starts().to_vec();
    app.reader.as_mut().expect("reader").scroll = starts[0];
    let shown = screen(&app);
    let blocks: Vec<_> = cells(&shown).filter(|c| c.symbol() == "▀").collect();
    assert!(blocks.len() > 20, "half-blocks drawn: {}", text_of(&shown));
    assert!(blocks
        .iter()
        .any(|c| matches!(c.fg, Color::Rgb(r, _, b) if r > 200 && b < 60)));
    assert!(blocks
        .iter()
        .any(|c| matches!((c.fg, c.bg), (Color::Rgb(_, _, b1), Color::Rgb(_, _, b2)) if b1 > 200 || b2 > 200)));
    assert!(!text_of(&shown).contains("[image: red and blue]"));

    // Scrolled half past it, what is left of it is still drawn, in place.
    app.reader.as_mut().expect("reader").scroll = starts[0] + 2;
    assert!(cells(&screen(&app)).any(|c| c.symbol() == "▀"));

    // The JPEG likewise.
    app.reader.as_mut().expect("reader").scroll = starts[1];
    let jpeg = screen(&app);
    let rows: Vec<String> = (0..jpeg.area.height)
        .map(|y| {
            (0..jpeg.area.width)
                .map(|x| jpeg[(x, y)].symbol())
                .collect()
        })
        .collect();
    assert!(
        cells(&jpeg).filter(|c| c.symbol() == "▀").count() > 20,
        "{}",
        rows.join("\n")
    );

    // The others keep their placeholders.
    for (i, alt) in [(2, "a vector"), (3, "gone"), (4, "huge"), (5, "bomb")] {
        app.reader.as_mut().expect("reader").scroll = starts[i];
        let shown = screen(&app);
        let text = text_of(&shown);
        assert!(text.contains(&format!("[image: {alt}]")), "{alt}: {text}");
        assert!(!cells(&shown).any(|c| c.symbol() == "▀"), "{alt}");
    }

    // Kept beside the cache: a second reader of the same picture does not fetch it again.
    assert_eq!(server.hits("/a.png"), 1);
    let again = PictureMaker::half_blocks(
        Duration::from_secs(10),
        Some(PictureFiles::in_dir(dir.path().join("pictures"))),
    )
    .expect("maker");
    again
        .load(&server.url("/a.png"), 40, 10)
        .await
        .expect("from the file cache");
    assert_eq!(server.hits("/a.png"), 1);
}

#[test]
fn with_images_off_the_text_keeps_image_alt() {
    let server = server();
    let mut html = String::from("<p>Intro.</p>");
    html.push_str(&format!(
        "<img src=\"{}\" alt=\"red and blue\"><p>After.</p>",
        server.url("/a.png")
    ));
    let mut item = article(0, "p1", "A picture story", 3);
    item.body = Body::new(None, Some(html));
    let settings = Settings {
        images: ImageMode::Off,
        ..Settings::default()
    };
    let mut app = App::new(Store::new(vec![feed(0, "World News", &[])]), settings);
    app.update(Msg::Resize {
        width: 80,
        height: 30,
    });
    app.update(loaded(0, vec![item]));
    app.update(key(KeyCode::Tab));
    let effects = app.update(key(KeyCode::Enter));
    assert!(!effects
        .iter()
        .any(|e| matches!(e, Effect::FetchPicture { .. })));
    assert!(text_of(&screen(&app)).contains("[image: red and blue]"));
    assert_eq!(server.hits("/a.png"), 0);
}

#[tokio::test]
async fn a_new_pane_size_asks_again_and_keeps_the_old_picture_meanwhile() {
    let server = server();
    let maker = PictureMaker::half_blocks(Duration::from_secs(10), None).expect("maker");
    let (mut app, effects) = open(&server);
    let Some(Effect::FetchPicture {
        id,
        index,
        url,
        cols,
        rows,
    }) = effects
        .into_iter()
        .find(|e| matches!(e, Effect::FetchPicture { index: 0, .. }))
    else {
        panic!("the first picture is asked for");
    };
    let result = maker
        .load(&url, cols, rows)
        .await
        .map_err(|e| e.to_string());
    app.update(Msg::Picture {
        id: id.clone(),
        index,
        url: url.clone(),
        result,
    });
    let effects = app.update(Msg::Resize {
        width: 60,
        height: 24,
    });
    let again = effects.iter().find_map(|e| match e {
        Effect::FetchPicture {
            index: 0,
            cols,
            rows,
            ..
        } => Some((*cols, *rows)),
        _ => None,
    });
    let (new_cols, new_rows) = again.expect("asked again for the new size");
    assert!(new_cols < cols, "{new_cols} < {cols}");
    let reader = app.reader.as_ref().expect("reader");
    assert!(matches!(reader.pictures[0].state, PictureState::Ready(_)));
    // The picture for the old size, arriving late, is not taken; the new one is.
    let stale = maker
        .load(&url, cols, rows)
        .await
        .map_err(|e| e.to_string());
    app.update(Msg::Picture {
        id: id.clone(),
        index: 0,
        url: url.clone(),
        result: stale,
    });
    let fresh = maker
        .load(&url, new_cols, new_rows)
        .await
        .map_err(|e| e.to_string());
    app.update(Msg::Picture {
        id,
        index: 0,
        url,
        result: fresh,
    });
    let reader = app.reader.as_ref().expect("reader");
    match &reader.pictures[0].state {
        PictureState::Ready(p) => assert_eq!(p.size, (new_cols, new_rows)),
        other => panic!("{other:?}"),
    }
}
