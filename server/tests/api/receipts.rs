//! Signed receipts, on both engines: the consent receipt is a PDF with real Cyrillic text, signed
//! with Ed25519; «Проверить квитанцию» answers anyone without personal data; the public key
//! verifies a signature offline; and every kind of tampering fails the check.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::pkcs8::DecodePublicKey;
use ed25519_dalek::{Signature, VerifyingKey};
use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;

use crate::browser::{Browser, call, pairs};
use crate::child_accounts::{
    consent_id, create_child_account, decide, download_receipt, parent_with_confirmed_child,
};
use crate::engine_tests;
use crate::helpers::TestApp;

/// The text of every page, as a reader (or a screen reader) gets it from the file.
pub(crate) fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a PDF that parses");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).expect("text extracts")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A parent, a child's account and the consent granted: the receipt has something to say.
async fn granted_consent(app: &TestApp) -> (Browser, i64) {
    let (mut parent, id) = parent_with_confirmed_child(app).await;
    create_child_account(app, &mut parent, id).await;
    let consent = consent_id(app, &mut parent, id).await;
    let (status, body) = decide(app, &mut parent, consent, "grant").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (parent, consent)
}

/// The PDF and its receipt number (from the file name).
async fn download(app: &TestApp, parent: &Browser, consent: i64) -> (Vec<u8>, String) {
    let response = download_receipt(app, Some(parent), consent).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    let number = disposition
        .split("receipt-")
        .nth(1)
        .and_then(|rest| rest.strip_suffix(".pdf\""))
        .unwrap_or_else(|| panic!("{disposition}"))
        .to_owned();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    (response.bytes().await.unwrap().to_vec(), number)
}

/// The signature as printed on the receipt, read from the server's record of it.
async fn signature_of(app: &TestApp, number: &str) -> String {
    let serial: i64 = number.rsplit('-').next().unwrap().parse().unwrap();
    server::db::receipts::by_id(&app.db, serial)
        .await
        .unwrap()
        .expect("the receipt is recorded")
        .signature
}

async fn check(app: &TestApp, number: &str, signature: &str) -> (StatusCode, Value) {
    let (status, body, _) = call(
        app,
        &mut Browser::new(),
        "receipts/check",
        &pairs(&[("number", number), ("signature", signature)]),
    )
    .await;
    (status, body)
}

async fn a_consent_receipt_is_a_signed_pdf_anyone_can_check(app: &TestApp) {
    let (parent, consent) = granted_consent(app).await;
    let (pdf, number) = download(app, &parent, consent).await;
    assert!(number.starts_with("C-2026-"), "{number}");

    // Real text in the file: who, for whom, what, when, from where, and the seal.
    let text = pdf_text(&pdf);
    for part in [
        "Иванова Анна Сергеевна",
        "Иванов Пётр Андреевич",
        "2026-11-30",
        "Согласие дано, адрес 203.0.113.10",
        "Электронная подпись",
        number.as_str(),
    ] {
        assert!(text.contains(part), "{part} not in {text}");
    }

    // Downloading again gives the same receipt: the same number and the same file.
    let (again, same_number) = download(app, &parent, consent).await;
    assert_eq!(same_number, number);
    assert_eq!(again, pdf);

    // Anyone, signed out, checks it with the number and signature.
    let signature = signature_of(app, &number).await;
    let (status, body) = check(app, &number, &signature).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let genuine = &body["Genuine"];
    assert_eq!(genuine["number"], number.as_str());
    assert_eq!(genuine["kind"], "Consent");
    assert_eq!(genuine["issued_at"], "25.11.2026 12:30");
    assert_eq!(
        genuine["file_sha256"].as_str().unwrap(),
        hex(&Sha256::digest(&pdf))
    );
    let facts = genuine["facts"].to_string();
    assert!(facts.contains("Согласие дано"), "{facts}");
    // …and sees nothing personal.
    let shown = body.to_string();
    for personal in ["Иванова", "Пётр", "203.0.113.10", "petya@mail.ru"] {
        assert!(!shown.contains(personal), "{personal} shown: {shown}");
    }

    // The page a QR code opens says the same without scripts.
    let page = app
        .client
        .get(format!(
            "{}/receipts/check?number={number}&signature={signature}",
            app.address
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Квитанция подлинная"), "{page}");
}

/// The published key checks a signature without the portal, over the documented text.
async fn the_public_key_verifies_a_receipt_offline(app: &TestApp) {
    let (parent, consent) = granted_consent(app).await;
    let (_, number) = download(app, &parent, consent).await;
    let response = app
        .client
        .get(format!("{}/receipts/public-key.pem", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let pem = response.text().await.unwrap();
    let key = VerifyingKey::from_public_key_pem(&pem).expect("an Ed25519 public key");

    let serial: i64 = number.rsplit('-').next().unwrap().parse().unwrap();
    let stored = server::db::receipts::by_id(&app.db, serial)
        .await
        .unwrap()
        .unwrap();
    let message = format!(
        "family-portal receipt v1\nnumber: {number}\nkind: consent\nissued_at: {}\nfacts: {}\ncontent_sha256: {}\n",
        stored.issued_at.format(&Rfc3339).unwrap(),
        stored.facts,
        stored.content_sha256
    );
    let raw: [u8; 64] = URL_SAFE_NO_PAD
        .decode(&stored.signature)
        .unwrap()
        .try_into()
        .unwrap();
    key.verify_strict(message.as_bytes(), &Signature::from_bytes(&raw))
        .expect("the signature verifies with the published key");
    // One changed fact and it does not.
    let forged = message.replace("Согласие дано", "Согласие отозвано");
    assert!(
        key.verify_strict(forged.as_bytes(), &Signature::from_bytes(&raw))
            .is_err()
    );
}

async fn tampered_receipts_fail_the_check(app: &TestApp) {
    let (parent, consent) = granted_consent(app).await;
    let (_, number) = download(app, &parent, consent).await;
    let signature = signature_of(app, &number).await;
    let not_genuine = |body: &Value| body == &Value::String("NotGenuine".into());

    // One character of the signature changed.
    let mut chars: Vec<char> = signature.chars().collect();
    chars[10] = if chars[10] == 'A' { 'B' } else { 'A' };
    let altered: String = chars.into_iter().collect();
    let (status, body) = check(app, &number, &altered).await;
    assert_eq!(status, StatusCode::OK);
    assert!(not_genuine(&body), "{body}");

    // The same serial under another kind or year, and a serial never issued.
    let serial = number.rsplit('-').next().unwrap();
    for other in [
        format!("A-2026-{serial}"),
        format!("C-2025-{serial}"),
        "C-2026-0099999".to_owned(),
    ] {
        let (_, body) = check(app, &other, &signature).await;
        assert!(not_genuine(&body), "{other}: {body}");
    }

    // A record changed in the database no longer matches its signature.
    let id: i64 = serial.parse().unwrap();
    server::pool_execute!(
        &app.db,
        "UPDATE receipts SET facts = $1 WHERE id = $2",
        r#"[["Состояние согласия","Согласие отозвано"]]"#,
        id
    )
    .unwrap();
    let (_, body) = check(app, &number, &signature).await;
    assert!(not_genuine(&body), "{body}");
}

async fn a_new_decision_makes_a_new_receipt_and_the_old_one_stays_genuine(app: &TestApp) {
    let (mut parent, consent) = granted_consent(app).await;
    let (_, first) = download(app, &parent, consent).await;
    let (status, _) = decide(app, &mut parent, consent, "revoke").await;
    assert_eq!(status, StatusCode::OK);
    let (pdf, second) = download(app, &parent, consent).await;
    assert_ne!(first, second);
    assert!(pdf_text(&pdf).contains("Согласие отозвано"));
    // What the first receipt said was true when it was issued, and it still checks.
    let signature = signature_of(app, &first).await;
    let (_, body) = check(app, &first, &signature).await;
    assert!(
        body["Genuine"]["facts"]
            .to_string()
            .contains("Согласие дано"),
        "{body}"
    );
}

async fn bad_input_is_refused_at_its_field(app: &TestApp) {
    let (status, body) = check(app, "", "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> = body["details"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["number", "signature"]);
    let (status, body) = check(app, "C-2026-12", &"A".repeat(20)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("receipt_number.format"), "{body}");
    assert!(
        body.to_string().contains("receipt_signature.format"),
        "{body}"
    );
}

engine_tests!(
    a_consent_receipt_is_a_signed_pdf_anyone_can_check,
    the_public_key_verifies_a_receipt_offline,
    tampered_receipts_fail_the_check,
    a_new_decision_makes_a_new_receipt_and_the_old_one_stays_genuine,
    bad_input_is_refused_at_its_field,
);
