//! A receipt drawn as an A4 PDF with krilla: a title, rows of label and value, paragraphs, and at
//! the end the seal — number, time of issue, the signature and a QR code that opens «Проверить
//! квитанцию». Text is real text in Liberation Sans (SIL OFL, `server/assets/fonts/`), embedded as
//! a subset, so Cyrillic prints, copies and reads aloud. The same content always gives the same
//! bytes, so a receipt downloaded twice is the same file.

use std::sync::LazyLock;

use krilla::Document;
use krilla::action::LinkAction;
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use qrcode::{Color, EcLevel, QrCode};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

static REGULAR_BYTES: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Regular.ttf");
static BOLD_BYTES: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Bold.ttf");

const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const MARGIN: f32 = 56.0;
const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const LABEL_WIDTH: f32 = 170.0;
const GAP: f32 = 12.0;
const BODY: f32 = 10.5;
const SMALL: f32 = 8.0;
const LINE: f32 = 1.35;
/// The footer's band at the bottom of each page.
const FOOTER: f32 = 28.0;
const QR_SIZE: f32 = 120.0;

const INK: (u8, u8, u8) = (0x1f, 0x29, 0x33);
const MUTED: (u8, u8, u8) = (0x52, 0x60, 0x6d);

/// A receipt's content, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptDocument {
    pub title: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(String),
    Row { label: String, value: String },
    Paragraph(String),
}

impl ReceiptDocument {
    /// The content as one text, the form its SHA-256 is taken of: every block on its own line,
    /// in order, so any change of a word changes the checksum.
    pub fn content_text(&self) -> String {
        let mut text = format!("{}\n", self.title);
        for block in &self.blocks {
            match block {
                Block::Heading(h) => text.push_str(&format!("# {h}\n")),
                Block::Row { label, value } => text.push_str(&format!("{label}: {value}\n")),
                Block::Paragraph(p) => text.push_str(&format!("{p}\n")),
            }
        }
        text
    }
}

/// What the seal at the end of a receipt shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seal {
    pub number: String,
    /// «03.12.2026 10:05 (МСК)».
    pub issued_at: String,
    pub content_sha256: String,
    pub signature: String,
    /// `PUBLIC_URL/receipts/check?number=…&signature=…`.
    pub check_url: String,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the embedded font does not load")]
    Font,
    #[error("the QR code does not fit the check address")]
    Qr(#[from] qrcode::types::QrError),
    #[error("the QR code's modules are not drawable rectangles")]
    QrGeometry,
    #[error("the PDF could not be written: {0:?}")]
    Write(krilla::error::KrillaError),
}

/// The two faces, read once.
struct Faces {
    regular: Font,
    bold: Font,
}

static FACES: LazyLock<Option<Faces>> = LazyLock::new(|| {
    Some(Faces {
        regular: Font::new(REGULAR_BYTES.into(), 0)?,
        bold: Font::new(BOLD_BYTES.into(), 0)?,
    })
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Face {
    Regular = 0,
    Bold = 1,
}

/// One face's advances in font units, read once: line breaking measures every candidate line.
struct Advances {
    charmap: skrifa::charmap::Charmap<'static>,
    metrics: skrifa::metrics::GlyphMetrics<'static>,
    units_per_em: f32,
}

impl Advances {
    fn of(bytes: &'static [u8]) -> Option<Self> {
        let font = skrifa::FontRef::new(bytes).ok()?;
        let units_per_em = f32::from(
            font.metrics(Size::unscaled(), LocationRef::default())
                .units_per_em,
        );
        Some(Self {
            charmap: font.charmap(),
            metrics: font.glyph_metrics(Size::unscaled(), LocationRef::default()),
            units_per_em,
        })
    }
}

static ADVANCES: LazyLock<[Option<Advances>; 2]> =
    LazyLock::new(|| [Advances::of(REGULAR_BYTES), Advances::of(BOLD_BYTES)]);

/// The width of `text` in points: the fonts' own advances (no kerning, so never narrower than
/// what is drawn by more than a hair).
fn width(text: &str, face: Face, size: f32) -> f32 {
    let guess = text.chars().count() as f32 * size * 0.6;
    let Some(advances) = &ADVANCES[face as usize] else {
        return guess;
    };
    let scale = size / advances.units_per_em;
    text.chars()
        .map(|c| {
            advances
                .charmap
                .map(c)
                .and_then(|g| advances.metrics.advance_width(g))
                .map_or(size * 0.6, |units| units * scale)
        })
        .sum()
}

/// Breaks `text` into lines no wider than `max`: at spaces, and inside a word only when the word
/// alone is wider (a signature, a checksum, an address).
fn wrap(text: &str, face: Face, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if width(&candidate, face, size) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for c in word.chars() {
                line.push(c);
                if width(&line, face, size) > max {
                    line.pop();
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                }
            }
        }
        lines.push(line);
    }
    lines
}

/// One thing drawn at a place on a page; `y` is the top of the line box.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    Text {
        x: f32,
        y: f32,
        size: f32,
        face: Face,
        muted: bool,
        text: String,
    },
    Qr {
        x: f32,
        y: f32,
    },
}

/// Places the content on pages: pure arithmetic, drawn afterwards.
struct Layout {
    pages: Vec<Vec<Item>>,
    y: f32,
}

impl Layout {
    fn new() -> Self {
        Self {
            pages: vec![Vec::new()],
            y: MARGIN,
        }
    }

    /// Starts a new page unless `height` still fits on this one.
    fn reserve(&mut self, height: f32) {
        if self.y + height > PAGE_HEIGHT - MARGIN - FOOTER && self.y > MARGIN {
            self.pages.push(Vec::new());
            self.y = MARGIN;
        }
    }

    fn push(&mut self, item: Item) {
        self.pages.last_mut().expect("a page").push(item);
    }

    fn lines(&mut self, lines: Vec<String>, x: f32, size: f32, face: Face, muted: bool) {
        for text in lines {
            self.reserve(size * LINE);
            let y = self.y;
            self.push(Item::Text {
                x,
                y,
                size,
                face,
                muted,
                text,
            });
            self.y += size * LINE;
        }
    }

    fn heading(&mut self, text: &str, size: f32) {
        self.y += size * 0.6;
        // A heading is never the last line of a page.
        self.reserve(size * LINE + BODY * LINE * 2.0);
        let lines = wrap(text, Face::Bold, size, TEXT_WIDTH);
        self.lines(lines, MARGIN, size, Face::Bold, false);
        self.y += size * 0.25;
    }

    /// A label on the left, its value on the right, line beside line. A short row stays on one
    /// page; a long one (the consent text, a list) may continue on the next.
    fn row(&mut self, label: &str, value: &str, value_size: f32) {
        let labels = wrap(label, Face::Regular, BODY, LABEL_WIDTH);
        let values = wrap(
            value,
            Face::Regular,
            value_size,
            TEXT_WIDTH - LABEL_WIDTH - GAP,
        );
        let lines = labels.len().max(values.len());
        let together = if lines <= 6 { lines } else { labels.len() };
        self.reserve(together as f32 * BODY * LINE);
        for i in 0..lines {
            let label = labels.get(i);
            let value = values.get(i);
            let height = if label.is_some() { BODY } else { value_size } * LINE;
            self.reserve(height);
            let y = self.y;
            if let Some(text) = label {
                self.push(Item::Text {
                    x: MARGIN,
                    y,
                    size: BODY,
                    face: Face::Regular,
                    muted: true,
                    text: text.clone(),
                });
            }
            if let Some(text) = value {
                self.push(Item::Text {
                    x: MARGIN + LABEL_WIDTH + GAP,
                    y,
                    size: value_size,
                    face: Face::Regular,
                    muted: false,
                    text: text.clone(),
                });
            }
            self.y += height;
        }
        self.y += BODY * 0.45;
    }

    fn paragraph(&mut self, text: &str) {
        let lines = wrap(text, Face::Regular, BODY, TEXT_WIDTH);
        self.lines(lines, MARGIN, BODY, Face::Regular, false);
        self.y += BODY * 0.5;
    }

    fn seal(&mut self, seal: &Seal) {
        self.heading("Электронная подпись", 13.0);
        self.row("Номер квитанции", &seal.number, BODY);
        self.row("Выдана", &seal.issued_at, BODY);
        self.row(
            "Контрольная сумма содержания (SHA-256)",
            &seal.content_sha256,
            SMALL,
        );
        self.row("Подпись (Ed25519)", &seal.signature, SMALL);
        self.reserve(QR_SIZE + BODY * LINE * 3.0);
        let top = self.y + 4.0;
        self.push(Item::Qr { x: MARGIN, y: top });
        let x = MARGIN + QR_SIZE + GAP;
        self.y = top + 8.0;
        let caption = "Отсканируйте QR-код или откройте адрес ниже, чтобы проверить, что портал \
                       выдал эту квитанцию и она не изменена:";
        let lines = wrap(caption, Face::Regular, BODY, TEXT_WIDTH - QR_SIZE - GAP);
        self.lines(lines, x, BODY, Face::Regular, false);
        let url = wrap(
            &seal.check_url,
            Face::Regular,
            SMALL,
            TEXT_WIDTH - QR_SIZE - GAP,
        );
        self.lines(url, x, SMALL, Face::Regular, true);
        self.y = self.y.max(top + QR_SIZE);
    }
}

fn lay_out(doc: &ReceiptDocument, seal: &Seal) -> Vec<Vec<Item>> {
    let mut layout = Layout::new();
    let title = wrap(&doc.title, Face::Bold, 16.0, TEXT_WIDTH);
    layout.lines(title, MARGIN, 16.0, Face::Bold, false);
    layout.lines(
        vec!["Госуслуги · Семья и дети".to_owned()],
        MARGIN,
        BODY,
        Face::Regular,
        true,
    );
    layout.y += BODY;
    for block in &doc.blocks {
        match block {
            Block::Heading(h) => layout.heading(h, 12.0),
            Block::Row { label, value } => layout.row(label, value, BODY),
            Block::Paragraph(p) => layout.paragraph(p),
        }
    }
    layout.seal(seal);
    layout.pages
}

fn fill(surface: &mut Surface<'_>, (r, g, b): (u8, u8, u8)) {
    surface.set_fill(Some(Fill {
        paint: rgb::Color::new(r, g, b).into(),
        ..Fill::default()
    }));
}

fn draw_qr(surface: &mut Surface<'_>, code: &QrCode, x: f32, y: f32) -> Option<()> {
    // Four modules of quiet zone on each side, as scanners expect.
    let modules = code.width() + 8;
    let module = QR_SIZE / modules as f32;
    let mut path = PathBuilder::new();
    for (i, color) in code.to_colors().into_iter().enumerate() {
        if color == Color::Dark {
            let (col, row) = (i % code.width() + 4, i / code.width() + 4);
            path.push_rect(Rect::from_xywh(
                x + col as f32 * module,
                y + row as f32 * module,
                module,
                module,
            )?);
        }
    }
    fill(surface, (0, 0, 0));
    surface.draw_path(&path.finish()?);
    Some(())
}

/// Draws the receipt. The same content and seal always give the same bytes.
pub fn render(doc: &ReceiptDocument, seal: &Seal) -> Result<Vec<u8>, PdfError> {
    let faces = FACES.as_ref().ok_or(PdfError::Font)?;
    let qr = QrCode::with_error_correction_level(seal.check_url.as_bytes(), EcLevel::M)?;
    let pages = lay_out(doc, seal);
    let count = pages.len();
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(format!("{} № {}", doc.title, seal.number))
            .language("ru".to_owned())
            .creator("Госуслуги · Семья и дети".to_owned()),
    );
    for (index, items) in pages.into_iter().enumerate() {
        let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).expect("A4 is a valid size");
        let mut page = document.start_page_with(settings);
        let mut qr_at = None;
        let mut surface = page.surface();
        for item in items {
            match item {
                Item::Text {
                    x,
                    y,
                    size,
                    face,
                    muted,
                    text,
                } => {
                    fill(&mut surface, if muted { MUTED } else { INK });
                    let font = match face {
                        Face::Regular => faces.regular.clone(),
                        Face::Bold => faces.bold.clone(),
                    };
                    // krilla draws from the baseline; the line box's top plus the ascent.
                    let baseline = y + size * 0.95;
                    surface.draw_text(
                        Point::from_xy(x, baseline),
                        font,
                        size,
                        &text,
                        false,
                        TextDirection::Auto,
                    );
                }
                Item::Qr { x, y } => {
                    draw_qr(&mut surface, &qr, x, y).ok_or(PdfError::QrGeometry)?;
                    qr_at = Rect::from_xywh(x, y, QR_SIZE, QR_SIZE);
                }
            }
        }
        fill(&mut surface, MUTED);
        surface.draw_text(
            Point::from_xy(MARGIN, PAGE_HEIGHT - MARGIN + SMALL),
            faces.regular.clone(),
            SMALL,
            &format!(
                "Квитанция № {} · страница {} из {count}",
                seal.number,
                index + 1
            ),
            false,
            TextDirection::Auto,
        );
        surface.finish();
        // On screen the QR code is also a link to the check.
        if let Some(rect) = qr_at {
            page.add_annotation(Annotation::new_link(
                LinkAnnotation::new(
                    rect,
                    Target::Action(LinkAction::new(seal.check_url.clone()).into()),
                ),
                Some("Проверить квитанцию".to_owned()),
            ));
        }
        page.finish();
    }
    document.finish().map_err(PdfError::Write)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seal() -> Seal {
        Seal {
            number: "C-2026-0000042".into(),
            issued_at: "03.12.2026 10:05 (МСК)".into(),
            content_sha256: "ab".repeat(32),
            signature: "Zm9v".repeat(21) + "YQ",
            check_url: format!(
                "http://127.0.0.1:3000/receipts/check?number=C-2026-0000042&signature={}",
                "Zm9v".repeat(21) + "YQ"
            ),
        }
    }

    fn receipt(paragraphs: usize) -> ReceiptDocument {
        let mut blocks = vec![
            Block::Row {
                label: "Кто даёт согласие".into(),
                value: "Иванова Анна Сергеевна (законный представитель)".into(),
            },
            Block::Heading("Текст согласия".into()),
        ];
        blocks.extend((0..paragraphs).map(|i| {
            Block::Paragraph(format!(
                "{i}. Я даю согласие на передачу персональных данных моего ребёнка, \
                 необходимых для его авторизации на портале."
            ))
        }));
        ReceiptDocument {
            title: "Квитанция о согласии".into(),
            blocks,
        }
    }

    #[test]
    fn lines_never_exceed_the_width() {
        let text = "Согласие на передачу персональных данных ребёнка для его авторизации \
                    на портале государственных услуг";
        for max in [100.0, 160.0, 300.0] {
            let lines = wrap(text, Face::Regular, BODY, max);
            assert!(lines.len() > 1, "{max}");
            for line in &lines {
                assert!(width(line, Face::Regular, BODY) <= max, "{line:?} at {max}");
            }
            // Nothing is lost or reordered.
            assert_eq!(
                lines.join(" ").split_whitespace().collect::<Vec<_>>(),
                text.split_whitespace().collect::<Vec<_>>()
            );
        }
        // A word wider than the line (a signature) is broken inside.
        let long = "x".repeat(200);
        let lines = wrap(&long, Face::Regular, SMALL, 100.0);
        assert!(lines.len() > 2);
        assert_eq!(lines.concat(), long);
    }

    #[test]
    fn cyrillic_has_real_advances() {
        // Measured from the font, not guessed: «Ш» is wider than «г».
        assert!(width("Ш", Face::Regular, 10.0) > width("г", Face::Regular, 10.0));
        // Wider than the 0.6 em a missing glyph would be guessed at.
        assert!(width("Ш", Face::Regular, 10.0) > 7.0);
        assert!(width("Ш", Face::Bold, 10.0) > 7.0);
    }

    #[test]
    fn a_receipt_is_a_pdf_with_the_font_embedded_and_the_same_bytes_twice() {
        let bytes = render(&receipt(2), &seal()).expect("renders");
        assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
        let tail = String::from_utf8_lossy(&bytes[bytes.len() - 32..]).into_owned();
        assert!(tail.contains("%%EOF"), "{tail}");
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("LiberationSans"), "font not embedded");
        assert!(text.contains("/ToUnicode"), "text would not copy as text");
        assert!(
            text.contains(&seal().check_url),
            "the QR code is not a link"
        );
        assert_eq!(render(&receipt(2), &seal()).unwrap(), bytes);
        // A subset, not the whole 400 KB face.
        assert!(bytes.len() < 120_000, "{} bytes", bytes.len());
    }

    #[test]
    fn long_content_flows_onto_more_pages_and_the_seal_stays_whole() {
        let pages = lay_out(&receipt(80), &seal());
        assert!(pages.len() > 1, "{} pages", pages.len());
        let qr_page = pages
            .iter()
            .position(|items| items.iter().any(|i| matches!(i, Item::Qr { .. })))
            .expect("the QR code is drawn");
        assert_eq!(qr_page, pages.len() - 1);
        for items in &pages {
            for item in items {
                let bottom = match item {
                    Item::Text { y, size, .. } => y + size * LINE,
                    Item::Qr { y, .. } => y + QR_SIZE,
                };
                assert!(bottom <= PAGE_HEIGHT - MARGIN - FOOTER + 0.01, "{item:?}");
            }
        }
    }

    #[test]
    fn the_content_text_changes_with_any_word() {
        let a = receipt(1);
        let mut b = a.clone();
        b.blocks[0] = Block::Row {
            label: "Кто даёт согласие".into(),
            value: "Иванова Анна Сергеевна".into(),
        };
        assert_ne!(a.content_text(), b.content_text());
        assert!(a.content_text().contains("Кто даёт согласие: Иванова"));
    }
}
