//! Decoding under a cap: the header's dimensions are checked before any pixel is allocated, so a
//! small file that claims a huge picture (an image bomb) costs nothing but an error.

use super::PictureError;
use image::{DynamicImage, ImageFormat, ImageReader};
use std::io::Cursor;

/// Longest side decoded (pixels).
pub const MAX_SIDE: u32 = 8_192;
/// Most pixels decoded (12 million: 48 MB as RGBA).
pub const MAX_PIXELS: u64 = 12_000_000;

/// PNG, JPEG, GIF or WebP bytes → an image, refusing anything larger than the caps and every
/// other format (SVG, HTML error pages, unknown bytes).
pub fn decode_limited(bytes: &[u8]) -> Result<DynamicImage, PictureError> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| PictureError::Unsupported(e.to_string()))?;
    match reader.format() {
        Some(ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Gif | ImageFormat::WebP) => {}
        Some(other) => return Err(PictureError::Unsupported(format!("{other:?}"))),
        None => return Err(PictureError::Unsupported("unknown format".into())),
    }
    let (width, height) = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| PictureError::Unsupported(e.to_string()))?
        .into_dimensions()
        .map_err(|e| PictureError::Unsupported(crate::text::sanitize_line(&e.to_string())))?;
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PictureError::TooLarge(format!("{width}×{height} pixels")));
    }
    let mut reader = reader;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PIXELS * 4 + 1_000_000);
    reader.limits(limits);
    reader
        .decode()
        .map_err(|e| PictureError::Unsupported(crate::text::sanitize_line(&e.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_pixel(width, height, image::Rgb([200, 10, 10]));
        let mut out = Cursor::new(Vec::new());
        image
            .write_to(&mut out, ImageFormat::Png)
            .expect("encode a test PNG");
        out.into_inner()
    }

    #[test]
    fn small_pictures_decode_and_others_are_refused() {
        assert_eq!(decode_limited(&png(4, 3)).expect("decodes").width(), 4);
        assert!(matches!(
            decode_limited(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            Err(PictureError::Unsupported(_))
        ));
        assert!(matches!(
            decode_limited(b"<html>404</html>"),
            Err(PictureError::Unsupported(_))
        ));
    }

    /// A PNG whose header claims `width`×`height` (the pixel data is a few bytes).
    fn png_claiming(width: u32, height: u32) -> Vec<u8> {
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend(width.to_be_bytes());
        ihdr.extend(height.to_be_bytes());
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

    #[test]
    fn a_bomb_is_refused_from_its_header() {
        let bomb = png_claiming(60_000, 60_000);
        assert!(matches!(
            decode_limited(&bomb),
            Err(PictureError::TooLarge(_))
        ));
    }
}
