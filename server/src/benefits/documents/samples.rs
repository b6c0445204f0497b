//! Sample files for the documents' tests and benches (unit tests, `tests/api`, `benches/uploads`):
//! one place that knows how to make a valid PDF and photo.

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, dictionary};

/// A valid one-page A4 PDF with a line of text (readable at any size), padded with
/// `padding_bytes` of incompressible data so a bench can send files near the 5 MB limit.
pub fn text_pdf(padding_bytes: usize) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let content = Content {
        operations: vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 24.into()]),
            Operation::new("Td", vec![100.into(), 600.into()]),
            Operation::new("Tj", vec![Object::string_literal("Spravka")]),
            Operation::new("ET", vec![]),
        ],
    };
    let content_id = doc.add_object(Stream::new(
        dictionary! {},
        content.encode().expect("content"),
    ));
    let mut page = dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
    };
    if padding_bytes > 0 {
        let filler = doc.add_object(Stream::new(dictionary! {}, noise(padding_bytes)));
        page.set("PieceInfo", filler);
    }
    let page_id = doc.add_object(page);
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("pdf");
    out
}

/// A photo of `width` × `height` with a drawn pattern, or one flat colour (a blank page).
pub fn photo(width: u32, height: u32, flat: bool, format: image::ImageFormat) -> Vec<u8> {
    let image = image::ImageBuffer::from_fn(width, height, |x, y| {
        let v = match flat {
            true => 250u8,
            false if (x / 40 + y / 40) % 2 == 0 => 20,
            false => 235,
        };
        image::Rgb([v, v, v])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut out, format)
        .expect("encode");
    out.into_inner()
}

/// Bytes that no compressor shrinks (xorshift), the same on every run.
fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}
