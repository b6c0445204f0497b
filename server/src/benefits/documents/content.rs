//! What a file is, by its content: the magic bytes say PDF, JPEG or PNG (whatever the name says),
//! a PDF must parse and have pages, an image must decode whole. Then the scan check: the 300 dpi
//! rule and a blank image. Blocking work, run on the blocking pool under a permit.

use app::benefits::catalogue::RequiredDocument;
use app::benefits::documents::{FileKind, Rejection, pixels_needed};
use image::{DynamicImage, ImageReader, Limits};
use lopdf::{Document, Object, ObjectId};

/// Pixels an image may have to be decoded (48 megapixels, a phone's largest photo): the decoder
/// allocates at most this times four bytes, which bounds the memory of a check.
const MAX_PIXELS: u64 = 48_000_000;
/// Pages of a PDF the scan check reads.
const MAX_PAGES_CHECKED: usize = 50;
/// A grey image this even (standard deviation of brightness, 0–255) shows no document.
const BLANK_DEVIATION: f64 = 6.0;

/// Why a file is refused at upload: each is what the parent is told.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContentRefusal {
    #[error("PDF does not parse: {0}")]
    BrokenPdf(String),
    #[error("PDF is encrypted")]
    EncryptedPdf,
    #[error("PDF has no pages")]
    NoPages,
    #[error("image does not decode: {0}")]
    BrokenImage(String),
    #[error("image too large: {0} pixels")]
    TooManyPixels(u64),
}

impl ContentRefusal {
    pub fn message(&self) -> &'static str {
        match self {
            ContentRefusal::BrokenPdf(_) => {
                "Файл PDF повреждён и не открывается. Сохраните документ в PDF заново и загрузите"
            }
            ContentRefusal::EncryptedPdf => "PDF защищён паролем. Загрузите файл без пароля",
            ContentRefusal::NoPages => "В файле PDF нет ни одной страницы",
            ContentRefusal::BrokenImage(_) => {
                "Изображение повреждено и не открывается. Сделайте снимок или скан заново"
            }
            ContentRefusal::TooManyPixels(_) => {
                "Изображение больше 48 мегапикселей. Уменьшите его и загрузите снова"
            }
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ContentRefusal::BrokenPdf(_) => "file.broken_pdf",
            ContentRefusal::EncryptedPdf => "file.encrypted_pdf",
            ContentRefusal::NoPages => "file.no_pages",
            ContentRefusal::BrokenImage(_) => "file.broken_image",
            ContentRefusal::TooManyPixels(_) => "file.too_many_pixels",
        }
    }
}

/// The kind the first bytes say; `None` for anything else.
pub fn sniff(head: &[u8]) -> Option<FileKind> {
    match infer::get(head)?.mime_type() {
        "application/pdf" => Some(FileKind::Pdf),
        "image/jpeg" => Some(FileKind::Jpeg),
        "image/png" => Some(FileKind::Png),
        _ => None,
    }
}

/// The whole file is what its first bytes say: a PDF that parses and has pages, or an image
/// that decodes.
pub fn inspect(bytes: &[u8], kind: FileKind) -> Result<(), ContentRefusal> {
    match kind {
        FileKind::Pdf => pdf(bytes).map(|_| ()),
        FileKind::Jpeg | FileKind::Png => decode(bytes, kind).map(|_| ()),
    }
}

fn pdf(bytes: &[u8]) -> Result<Document, ContentRefusal> {
    let document =
        Document::load_mem(bytes).map_err(|e| ContentRefusal::BrokenPdf(e.to_string()))?;
    if document.is_encrypted() {
        return Err(ContentRefusal::EncryptedPdf);
    }
    if document.get_pages().is_empty() {
        return Err(ContentRefusal::NoPages);
    }
    Ok(document)
}

fn decode(bytes: &[u8], kind: FileKind) -> Result<DynamicImage, ContentRefusal> {
    let format = match kind {
        FileKind::Png => image::ImageFormat::Png,
        _ => image::ImageFormat::Jpeg,
    };
    let reader = || ImageReader::with_format(std::io::Cursor::new(bytes), format);
    let (width, height) = reader()
        .into_dimensions()
        .map_err(|e| ContentRefusal::BrokenImage(e.to_string()))?;
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_PIXELS {
        return Err(ContentRefusal::TooManyPixels(pixels));
    }
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4);
    let mut decoder = reader();
    decoder.limits(limits);
    decoder
        .decode()
        .map_err(|e| ContentRefusal::BrokenImage(e.to_string()))
}

/// The scan check of an accepted file: `None` is «Одобрено».
pub fn scan_check(
    bytes: &[u8],
    kind: FileKind,
    requirement: RequiredDocument,
) -> Result<Option<Rejection>, ContentRefusal> {
    match kind {
        FileKind::Pdf => Ok(pdf_scan_dpi(&pdf(bytes)?)
            .filter(|dpi| *dpi < 300)
            .map(|dpi| Rejection::LowScanDpi { dpi })),
        FileKind::Jpeg | FileKind::Png => {
            let image = decode(bytes, kind)?;
            Ok(image_check(&image, requirement))
        }
    }
}

/// A photo or scan must have at least the pixels of the document's paper at 300 dpi, either way
/// round, and must not be one even colour.
fn image_check(image: &DynamicImage, requirement: RequiredDocument) -> Option<Rejection> {
    let (width, height) = (image.width(), image.height());
    let (short, long) = (width.min(height), width.max(height));
    let needed = pixels_needed(requirement);
    if short < needed.0 || long < needed.1 {
        return Some(Rejection::LowResolution {
            found: (width, height),
            needed,
        });
    }
    let small = image.thumbnail(64, 64).to_luma8();
    let values: Vec<f64> = small.pixels().map(|p| f64::from(p.0[0])).collect();
    let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
    let variance =
        values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len().max(1) as f64;
    (variance.sqrt() < BLANK_DEVIATION).then_some(Rejection::Blank)
}

/// The lowest resolution of the scanned pages: a page with no text but an image is a scan, and
/// its resolution is its largest image's pixels over the page's size in inches. `None` when no
/// page is a scan (a PDF made from text is readable at any size).
fn pdf_scan_dpi(document: &Document) -> Option<u32> {
    document
        .get_pages()
        .values()
        .take(MAX_PAGES_CHECKED)
        .filter(|page| !has_text(document, **page))
        .filter_map(|page| {
            let (width_pt, height_pt) = page_size(document, *page)?;
            let images = document.get_page_images(*page).ok()?;
            let largest = images.iter().max_by_key(|i| i.width * i.height)?;
            let (short_px, long_px) = order(largest.width as f64, largest.height as f64);
            let (short_in, long_in) = order(width_pt / 72.0, height_pt / 72.0);
            Some((short_px / short_in).min(long_px / long_in) as u32)
        })
        .min()
}

fn order(a: f64, b: f64) -> (f64, f64) {
    (a.min(b), a.max(b))
}

fn has_text(document: &Document, page: ObjectId) -> bool {
    let Ok(content) = document.get_page_content_with_limit(page, 16 * 1024 * 1024) else {
        return false;
    };
    lopdf::content::Content::decode(&content).is_ok_and(|c| {
        c.operations
            .iter()
            .any(|op| matches!(op.operator.as_str(), "Tj" | "TJ" | "'" | "\""))
    })
}

/// The page's MediaBox (inherited from its parents if need be), in points.
fn page_size(document: &Document, page: ObjectId) -> Option<(f64, f64)> {
    let mut node = document.get_dictionary(page).ok()?;
    for _ in 0..32 {
        if let Ok(Object::Array(rect)) = node.get(b"MediaBox").map(|o| match o {
            Object::Reference(id) => document.get_object(*id).cloned().unwrap_or(Object::Null),
            other => other.clone(),
        }) {
            let n: Vec<f64> = rect
                .iter()
                .filter_map(|v| v.as_float().ok().map(f64::from))
                .collect();
            if let [x0, y0, x1, y1] = n.as_slice() {
                let (w, h) = ((x1 - x0).abs(), (y1 - y0).abs());
                return (w > 0.0 && h > 0.0).then_some((w, h));
            }
            return None;
        }
        let parent = node.get(b"Parent").ok()?.as_reference().ok()?;
        node = document.get_dictionary(parent).ok()?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::benefits::documents::samples::photo;

    fn text_pdf() -> Vec<u8> {
        crate::benefits::documents::samples::text_pdf(0)
    }

    #[test]
    fn the_content_decides_the_kind_not_the_name() {
        assert_eq!(sniff(&text_pdf()), Some(FileKind::Pdf));
        assert_eq!(
            sniff(&photo(8, 8, false, image::ImageFormat::Png)),
            Some(FileKind::Png)
        );
        assert_eq!(
            sniff(&photo(8, 8, false, image::ImageFormat::Jpeg)),
            Some(FileKind::Jpeg)
        );
        assert_eq!(
            sniff(b"MZ\x90\x00\x03\x00\x00\x00 an exe named scan.pdf"),
            None
        );
        assert_eq!(sniff(b"GIF89a......"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn a_pdf_must_parse_and_an_image_must_decode() {
        assert_eq!(inspect(&text_pdf(), FileKind::Pdf), Ok(()));
        let mut broken = text_pdf();
        broken.truncate(60);
        assert!(matches!(
            inspect(&broken, FileKind::Pdf),
            Err(ContentRefusal::BrokenPdf(_))
        ));
        assert!(matches!(
            inspect(b"%PDF-1.7\n garbage", FileKind::Pdf),
            Err(ContentRefusal::BrokenPdf(_))
        ));
        let png = photo(40, 40, false, image::ImageFormat::Png);
        assert_eq!(inspect(&png, FileKind::Png), Ok(()));
        let mut cut = png.clone();
        cut.truncate(png.len() / 2);
        assert!(matches!(
            inspect(&cut, FileKind::Png),
            Err(ContentRefusal::BrokenImage(_))
        ));
    }

    #[test]
    fn a_photo_below_300_dpi_of_its_paper_or_blank_is_rejected() {
        let passport = RequiredDocument::Passport;
        let sharp = photo(1100, 1500, false, image::ImageFormat::Png);
        assert_eq!(scan_check(&sharp, FileKind::Png, passport), Ok(None));
        // Either way round.
        let turned = photo(1500, 1100, false, image::ImageFormat::Png);
        assert_eq!(scan_check(&turned, FileKind::Png, passport), Ok(None));
        let small = photo(800, 600, false, image::ImageFormat::Jpeg);
        assert_eq!(
            scan_check(&small, FileKind::Jpeg, passport),
            Ok(Some(Rejection::LowResolution {
                found: (800, 600),
                needed: (1039, 1476)
            }))
        );
        let blank = photo(1100, 1500, true, image::ImageFormat::Png);
        assert_eq!(
            scan_check(&blank, FileKind::Png, passport),
            Ok(Some(Rejection::Blank))
        );
    }

    #[test]
    fn a_pdf_of_text_is_readable_at_any_size() {
        assert_eq!(
            scan_check(&text_pdf(), FileKind::Pdf, RequiredDocument::Income),
            Ok(None)
        );
    }
}
