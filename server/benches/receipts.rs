//! Receipt benchmark (a program, not a test): `cargo bench -p server --bench receipts`.
//!
//! Draws a consent receipt (one page: rows, the consent text, a journal, the seal with its QR
//! code) and a long one (a list of 60 documents over two pages) again and again, and signs one,
//! to show what «Скачать квитанцию» and, later, «Отправить» spend on the PDF. Target: a one-page
//! receipt in under 20 ms at p95 on one core, so a receipt never becomes the slow part of a
//! request.

use std::time::{Duration, Instant};

use server::receipts::ReceiptSigner;
use server::receipts::pdf::{Block, ReceiptDocument, Seal, render};
use server::receipts::signing::SignedFacts;

// Only the percentiles: this benchmark starts no server.
#[allow(dead_code)]
mod common;
use common::percentile;

const ROUNDS: usize = 200;
const TARGET: Duration = Duration::from_millis(20);

fn consent() -> ReceiptDocument {
    let row = |label: &str, value: &str| Block::Row {
        label: label.into(),
        value: value.into(),
    };
    ReceiptDocument {
        title: "Квитанция о согласии на передачу персональных данных ребёнка".into(),
        blocks: vec![
            row(
                "Кто даёт согласие",
                "Иванова Анна Сергеевна (законный представитель)",
            ),
            row("За кого", "Иванов Пётр Андреевич"),
            row("Редакция текста", "2026-11-30"),
            row("Состояние", "Согласие дано"),
            Block::Heading("Текст согласия".into()),
            Block::Paragraph(app::child_account::consents::CONSENT_TEXT.into()),
            Block::Heading("Журнал".into()),
            row("25.11.2026 12:30 (МСК)", "Запрошено"),
            row(
                "25.11.2026 12:31 (МСК)",
                "Согласие дано, адрес 203.0.113.10",
            ),
        ],
    }
}

fn long() -> ReceiptDocument {
    let mut doc = consent();
    doc.blocks.push(Block::Heading("Документы".into()));
    doc.blocks.extend((1..=60).map(|i| Block::Row {
        label: format!("Документ {i}"),
        value: format!("скан-{i}.pdf, SHA-256 {}", "ab".repeat(32)),
    }));
    doc
}

fn measure(name: &str, doc: &ReceiptDocument, seal: &Seal) {
    let mut times = Vec::with_capacity(ROUNDS);
    let mut bytes = 0;
    for _ in 0..ROUNDS {
        let started = Instant::now();
        bytes = render(doc, seal).expect("renders").len();
        times.push(started.elapsed());
    }
    times.sort();
    let p95 = percentile(&times, 0.95);
    println!(
        "{name}: {bytes} B, p50 {:.2} ms, p95 {:.2} ms ({:.2} of the {} ms target)",
        percentile(&times, 0.50).as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3,
        p95.as_secs_f64() / TARGET.as_secs_f64(),
        TARGET.as_millis()
    );
}

fn main() {
    let signer = ReceiptSigner::new([7; 32]);
    let facts = SignedFacts {
        number: "C-2026-0000042".into(),
        kind: "consent",
        issued_at: "2026-11-25T09:31:00Z".into(),
        facts: r#"[["Состояние согласия","Согласие дано"]]"#.into(),
        content_sha256: "ab".repeat(32),
    };
    let started = Instant::now();
    let mut signature = String::new();
    for _ in 0..ROUNDS {
        signature = signer.sign(&facts);
    }
    println!(
        "sign: {:.1} µs a signature",
        started.elapsed().as_secs_f64() * 1e6 / ROUNDS as f64
    );
    let seal = Seal {
        number: facts.number.clone(),
        issued_at: "25.11.2026 12:31 (МСК)".into(),
        content_sha256: facts.content_sha256.clone(),
        check_url: format!(
            "https://portal.example/receipts/check?number={}&signature={signature}",
            facts.number
        ),
        signature,
    };
    measure("consent receipt (1 page)", &consent(), &seal);
    measure("receipt with 60 documents (2 pages)", &long(), &seal);
}
