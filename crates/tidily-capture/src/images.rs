//! Favicons and preview images: decoded within limits and re-encoded, small, as PNG or JPEG.
//!
//! Nothing is served as it was fetched: a re-encoded image cannot carry script (an SVG), a
//! polyglot or a decompression bomb to our origin, and a resized preview is a few tens of KB
//! instead of the megabytes a page's `og:image` often is. Decoding is bounded before it
//! allocates (width, height and total allocation) and runs one at a time off the async
//! threads, so captures stay within their memory budget.

use std::io::Cursor;

use image::{codecs::jpeg::JpegEncoder, DynamicImage, ImageFormat, ImageReader};

/// Bytes fetched for an icon at most.
pub const FAVICON_BYTES: usize = 512 << 10;
/// Bytes fetched for a preview image at most.
pub const PREVIEW_BYTES: usize = 8 << 20;
/// Bytes fetched for an image of an article at most.
pub const ARTICLE_IMAGE_BYTES: usize = 4 << 20;
/// Neither side of an image may be longer (a 1 x 100,000 strip is no preview).
pub const MAX_SIDE: u32 = 8192;
/// Memory a decode may allocate: a 12-megapixel photo fits (36 MB as RGB), a bomb does not.
pub const MAX_ALLOC: u64 = 48 << 20;
/// The stored icon fits in this square.
pub const FAVICON_SIDE: u32 = 64;
/// The stored preview fits in this box.
pub const PREVIEW_WIDTH: u32 = 800;
pub const PREVIEW_HEIGHT: u32 = 800;
/// An article's images fit in this box (twice the reader's column, for sharp screens).
pub const ARTICLE_WIDTH: u32 = 1200;
pub const ARTICLE_HEIGHT: u32 = 1600;
const JPEG_QUALITY: u8 = 82;

/// What an image became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub width: u32,
    pub height: u32,
}

/// Why an image was not kept.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("not an image in a known format (PNG, JPEG, GIF, WebP, ICO, BMP)")]
    Format,
    #[error("the image is too large ({0})")]
    TooLarge(String),
    #[error("the image is damaged: {0}")]
    Damaged(String),
    #[error("the image is too small to show")]
    Empty,
}

/// What an image is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Favicon,
    Preview,
    /// An image of a readable archive.
    Article,
}

impl Purpose {
    /// Bytes fetched at most.
    pub fn fetch_cap(self) -> usize {
        match self {
            Purpose::Favicon => FAVICON_BYTES,
            Purpose::Preview => PREVIEW_BYTES,
            Purpose::Article => ARTICLE_IMAGE_BYTES,
        }
    }
}

/// Decodes `bytes` (format sniffed from the content, never from a header or a name) and
/// re-encodes it for `purpose`. CPU-bound: call it through [`prepare_blocking`].
pub fn prepare(bytes: &[u8], purpose: Purpose) -> Result<Prepared, ImageError> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ImageError::Damaged(e.to_string()))?;
    if reader.format().is_none() {
        return Err(ImageError::Format);
    }
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = reader;
    reader.limits(limits);
    let img = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(l) => ImageError::TooLarge(l.to_string()),
        image::ImageError::Unsupported(_) => ImageError::Format,
        other => ImageError::Damaged(other.to_string()),
    })?;
    if img.width() < 2 || img.height() < 2 {
        // Tracking pixels and spacers.
        return Err(ImageError::Empty);
    }
    let (w, h) = match purpose {
        Purpose::Favicon => (FAVICON_SIDE, FAVICON_SIDE),
        Purpose::Preview => (PREVIEW_WIDTH, PREVIEW_HEIGHT),
        Purpose::Article => (ARTICLE_WIDTH, ARTICLE_HEIGHT),
    };
    let img = if img.width() > w || img.height() > h {
        img.thumbnail(w, h)
    } else {
        img
    };
    let opaque = !has_transparency(&img);
    let mut out = Vec::new();
    let content_type = if purpose != Purpose::Favicon && opaque {
        JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
            .encode_image(&img.to_rgb8())
            .map_err(|e| ImageError::Damaged(e.to_string()))?;
        "image/jpeg"
    } else {
        let img = if opaque {
            DynamicImage::ImageRgb8(img.to_rgb8())
        } else {
            DynamicImage::ImageRgba8(img.to_rgba8())
        };
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .map_err(|e| ImageError::Damaged(e.to_string()))?;
        "image/png"
    };
    Ok(Prepared {
        bytes: out,
        content_type,
        width: img.width(),
        height: img.height(),
    })
}

fn has_transparency(img: &DynamicImage) -> bool {
    img.color().has_alpha() && img.to_rgba8().pixels().any(|p| p.0[3] < 255)
}

/// One decode at a time per process: each may hold up to [`MAX_ALLOC`].
static DECODING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// [`prepare`] on the blocking pool, one at a time.
pub async fn prepare_blocking(bytes: Vec<u8>, purpose: Purpose) -> Result<Prepared, ImageError> {
    let _turn = DECODING.acquire().await.expect("never closed");
    tokio::task::spawn_blocking(move || prepare(&bytes, purpose))
        .await
        .unwrap_or_else(|e| Err(ImageError::Damaged(format!("the decoder failed: {e}"))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage, Rgba, RgbaImage};

    fn encode(img: DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), format).unwrap();
        out
    }

    #[test]
    fn a_large_photo_becomes_a_small_jpeg_that_keeps_its_shape() {
        let photo = RgbImage::from_fn(2000, 1000, |x, y| {
            Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let bytes = encode(DynamicImage::ImageRgb8(photo), ImageFormat::Png);
        let p = prepare(&bytes, Purpose::Preview).unwrap();
        assert_eq!(p.content_type, "image/jpeg");
        assert_eq!((p.width, p.height), (800, 400));
        let back = image::load_from_memory(&p.bytes).unwrap();
        assert_eq!((back.width(), back.height()), (800, 400));
    }

    #[test]
    fn transparency_is_kept_as_png_and_icons_fit_in_64_px() {
        let icon = RgbaImage::from_fn(256, 256, |x, _| {
            Rgba([200, 10, 10, if x < 128 { 0 } else { 255 }])
        });
        let bytes = encode(DynamicImage::ImageRgba8(icon), ImageFormat::Png);
        let p = prepare(&bytes, Purpose::Favicon).unwrap();
        assert_eq!(p.content_type, "image/png");
        assert_eq!((p.width, p.height), (64, 64));
        let back = image::load_from_memory_with_format(&p.bytes, ImageFormat::Png).unwrap();
        assert!(back.color().has_alpha());
    }

    #[test]
    fn small_images_are_not_enlarged_and_formats_are_sniffed() {
        let small = RgbImage::from_pixel(16, 16, Rgb([1, 2, 3]));
        for format in [
            ImageFormat::Gif,
            ImageFormat::Bmp,
            ImageFormat::Ico,
            ImageFormat::Jpeg,
        ] {
            // Icons are RGBA, as the ICO format has them.
            let img = DynamicImage::ImageRgb8(small.clone());
            let img = if format == ImageFormat::Ico {
                DynamicImage::ImageRgba8(img.to_rgba8())
            } else {
                img
            };
            let bytes = encode(img, format);
            let p = prepare(&bytes, Purpose::Favicon).unwrap_or_else(|e| panic!("{format:?}: {e}"));
            assert_eq!((p.width, p.height), (16, 16), "{format:?}");
            assert_eq!(p.content_type, "image/png");
        }
    }

    #[test]
    fn what_is_not_an_image_or_is_too_big_is_refused() {
        assert!(matches!(
            prepare(b"<svg onload=alert(1)>", Purpose::Favicon),
            Err(ImageError::Format)
        ));
        assert!(matches!(
            prepare(b"", Purpose::Favicon),
            Err(ImageError::Format)
        ));
        // A PNG header that claims 100,000 x 100,000 pixels: refused before any allocation.
        let mut bomb = encode(
            DynamicImage::ImageRgb8(RgbImage::new(4, 4)),
            ImageFormat::Png,
        );
        bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        assert!(
            matches!(
                prepare(&bomb, Purpose::Preview),
                Err(ImageError::TooLarge(_)) | Err(ImageError::Damaged(_))
            ),
            "{:?}",
            prepare(&bomb, Purpose::Preview)
        );
        // Within the sides but past the allocation limit: 8,000 x 8,000 RGB is 192 MB.
        let wide = encode(
            DynamicImage::ImageLuma8(image::GrayImage::new(8000, 8000)),
            ImageFormat::Png,
        );
        assert!(matches!(
            prepare(&wide, Purpose::Preview),
            Err(ImageError::TooLarge(_))
        ));
        // A tracking pixel.
        let pixel = encode(
            DynamicImage::ImageRgb8(RgbImage::new(1, 1)),
            ImageFormat::Gif,
        );
        assert!(matches!(
            prepare(&pixel, Purpose::Preview),
            Err(ImageError::Empty)
        ));
    }
}
