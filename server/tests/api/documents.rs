//! «Добавить документ», on both engines: files are checked by content while they stream (a
//! disguised type, over 5 MB, empty, a corrupt PDF, a PNG that does not decode — each refused at
//! its slot, nothing stored), named by the server, served only to their owner, checked as scans
//! by a job («В обработке» → «Одобрено» / «Отклонено» with the reason), reused and deleted; a
//! missing one stops «Отправить» and names the document; the receipt lists each with its checksum.

use reqwest::StatusCode;
use serde_json::Value;
use server::benefits::documents::samples;

use crate::applications::{filled_draft_without_documents, receipt, send, start_for};
use crate::browser::{Browser, call, pairs};
use crate::engine_tests;
use crate::family::{another_confirmed_parent, execute, run_queue, scalar};
use crate::helpers::TestApp;
use crate::receipts::pdf_text;

engine_tests!(
    bad_files_are_refused_by_content_at_their_slot_and_nothing_is_kept,
    an_accepted_file_is_processing_until_the_scan_check_decides,
    a_file_is_served_only_to_its_owner_as_an_attachment,
    nobody_but_the_drafts_parent_uploads_and_nothing_is_read_first,
    a_missing_document_stops_sending_and_the_receipt_lists_checksums,
    a_file_is_reused_in_another_application_and_deleted,
    uploads_per_account_are_limited,
);

/// A one-page PDF with a line of text: readable at any size.
fn text_pdf() -> Vec<u8> {
    samples::text_pdf(0)
}

/// A PNG photo of `width` × `height` with a pattern on it.
fn png(width: u32, height: u32) -> Vec<u8> {
    samples::photo(width, height, false, image::ImageFormat::Png)
}

const BOUNDARY: &str = "----portal-test-boundary-7f3a";

/// The browser's multipart body: `draft`, `requirement`, then the file.
fn multipart(draft: &str, requirement: &str, name: &str, bytes: &[u8]) -> Vec<u8> {
    multipart_to("draft", draft, requirement, name, bytes)
}

/// The same with the first field named: `draft` or `application`.
fn multipart_to(place: &str, id: &str, requirement: &str, name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    for (field, value) in [(place, id), ("requirement", requirement)] {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n"
            )
            .bytes(),
        );
    }
    body.extend(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
             Content-Type: application/pdf\r\n\r\n"
        )
        .bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend(format!("\r\n--{BOUNDARY}--\r\n").bytes());
    body
}

fn with_cookie(
    request: reqwest::RequestBuilder,
    browser: Option<&Browser>,
) -> reqwest::RequestBuilder {
    match browser.and_then(|b| b.cookie.as_ref()) {
        Some(cookie) => request.header("cookie", format!("__Host-portal_session={cookie}")),
        None => request,
    }
}

/// «Сохранить»: the upload as the browser sends it.
pub(crate) async fn upload(
    app: &TestApp,
    browser: Option<&Browser>,
    draft: i64,
    requirement: &str,
    name: &str,
    bytes: &[u8],
) -> (StatusCode, Value, reqwest::header::HeaderMap) {
    let body = multipart(&draft.to_string(), requirement, name, bytes);
    post_upload(app, browser, body).await
}

/// «Добавить документ» on a sent application, for its answer or appeal: a PDF named `name`.
pub(crate) async fn upload_for_reply(
    app: &TestApp,
    browser: Option<&Browser>,
    application: i64,
    requirement: &str,
    name: &str,
) -> (StatusCode, Value) {
    let body = multipart_to(
        "application",
        &application.to_string(),
        requirement,
        name,
        &text_pdf(),
    );
    let (status, body, _) = post_upload(app, browser, body).await;
    (status, body)
}

async fn post_upload(
    app: &TestApp,
    browser: Option<&Browser>,
    body: Vec<u8>,
) -> (StatusCode, Value, reqwest::header::HeaderMap) {
    let request = app
        .client
        .post(format!("{}/documents/uploads", app.address))
        .header("x-forwarded-for", "203.0.113.10")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body);
    let response = with_cookie(request, browser).send().await.expect("upload");
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
        headers,
    )
}

async fn download(app: &TestApp, browser: Option<&Browser>, id: i64) -> reqwest::Response {
    let request = app
        .client
        .get(format!("{}/documents/uploads/{id}", app.address));
    with_cookie(request, browser).send().await.unwrap()
}

async fn draft_documents(app: &TestApp, browser: &mut Browser, draft: i64) -> Value {
    let (status, body, _) = call(
        app,
        browser,
        "benefits/draft-documents",
        &pairs(&[("draft_id", &draft.to_string())]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// Every required document of the draft uploaded and checked; the draft's version after.
pub(crate) async fn attach_all(app: &TestApp, browser: &mut Browser, draft: i64) -> i64 {
    let page = draft_documents(app, browser, draft).await;
    for slot in page["slots"].as_array().unwrap() {
        let requirement = slot["requirement"].as_str().unwrap();
        let (status, body, _) = upload(
            app,
            Some(browser),
            draft,
            requirement,
            "скан.pdf",
            &text_pdf(),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{requirement}: {body}");
    }
    run_queue(app).await;
    let (_, view, _) = call(
        app,
        browser,
        "benefits/draft",
        &pairs(&[("id", &draft.to_string())]),
    )
    .await;
    view["version"].as_i64().unwrap()
}

fn spooled(app: &TestApp) -> usize {
    std::fs::read_dir(app.documents.path().join("incoming"))
        .map(|d| d.count())
        .unwrap_or(0)
}

fn field_code(body: &Value) -> (String, String) {
    let e = &body["details"][0];
    (
        e["field"].as_str().unwrap_or_default().to_owned(),
        e["code"].as_str().unwrap_or_default().to_owned(),
    )
}

async fn bad_files_are_refused_by_content_at_their_slot_and_nothing_is_kept(app: &TestApp) {
    let (anna, _, draft, _) = filled_draft_without_documents(app).await;
    let mut broken_pdf = text_pdf();
    broken_pdf.truncate(120);
    let photo = png(64, 64);
    let half_png = &photo[..photo.len() / 2];
    let exe =
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00 this is a program".to_vec();
    let too_big = vec![b'%'; 5 * 1024 * 1024 + 1];
    let cases: [(&str, &[u8], &str); 6] = [
        ("паспорт.pdf", &exe, "file.type"),
        ("photo.png", b"GIF89a\x01\x00\x01\x00", "file.type"),
        ("скан.pdf", &too_big, "file.too_large"),
        ("пусто.pdf", b"", "file.empty"),
        ("скан.pdf", &broken_pdf, "file.broken_pdf"),
        ("фото.png", half_png, "file.broken_image"),
    ];
    for (name, bytes, code) in cases {
        let (status, body, _) = upload(app, Some(&anna), draft, "passport", name, bytes).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
        assert_eq!(
            field_code(&body),
            ("document-passport".to_owned(), code.to_owned()),
            "{name}"
        );
        assert!(body["details"][0]["message"].as_str().unwrap().len() > 10);
    }
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM documents").await, 0);
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM jobs WHERE kind = 'documents.scan_check'"
        )
        .await,
        0
    );
    assert_eq!(spooled(app), 0, "no spooled file is left behind");
    let stored = std::fs::read_dir(app.documents.path().join("documents")).map_or(0, |d| d.count());
    assert_eq!(stored, 0, "nothing reached the store");

    // A requirement the benefit does not have, a malformed draft number.
    let (status, body, _) = upload(app, Some(&anna), draft, "medical", "a.pdf", &text_pdf()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(field_code(&body).1, "documents.not_required");

    // A hostile name is kept only as a plain name with the content's extension.
    let (status, body, _) = upload(
        app,
        Some(&anna),
        draft,
        "passport",
        "../../etc/\u{202e}fdp.exe",
        &text_pdf(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["file_name"], "fdp.pdf");
    assert_eq!(body["status"], "processing");
    let key: String = {
        let id = body["id"].as_i64().unwrap();
        let sql = sqlx::AssertSqlSafe(format!("SELECT storage_key FROM documents WHERE id = {id}"));
        match &app.db {
            server::db::Database::Sqlite { writer, .. } => {
                sqlx::query_scalar(sql).fetch_one(writer).await.unwrap()
            }
            server::db::Database::Postgres(pool) => {
                sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
            }
        }
    };
    assert!(
        key.starts_with("documents/") && key.len() == "documents/".len() + 32,
        "{key}"
    );
    assert_eq!(spooled(app), 0);
}

async fn an_accepted_file_is_processing_until_the_scan_check_decides(app: &TestApp) {
    let (mut anna, _, draft, _) = filled_draft_without_documents(app).await;
    // 600 × 800 pixels is far below 300 dpi of a passport page (1039 × 1476).
    let (status, small, _) = upload(
        app,
        Some(&anna),
        draft,
        "passport",
        "паспорт.png",
        &png(600, 800),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{small}");
    assert_eq!(small["status"], "processing");
    let (status, good, _) =
        upload(app, Some(&anna), draft, "snils", "снилс.pdf", &text_pdf()).await;
    assert_eq!(status, StatusCode::CREATED, "{good}");
    run_queue(app).await;
    let page = draft_documents(app, &mut anna, draft).await;
    let slot = |code: &str| {
        page["slots"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["requirement"] == code)
            .unwrap()["attached"]
            .clone()
    };
    assert_eq!(slot("passport")["status"], "rejected");
    assert_eq!(
        slot("passport")["rejection"]["low_resolution"]["needed"],
        serde_json::json!([1039, 1476])
    );
    assert_eq!(slot("snils")["status"], "approved");
    assert_eq!(slot("birth_certificate"), Value::Null);
    // A repeated job changes nothing.
    run_queue(app).await;
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM documents WHERE status = 'approved'"
        )
        .await,
        1
    );
    // Asked with the version it shows, the page gets nothing new.
    let version = page["version"].as_str().unwrap().to_owned();
    let (_, same, _) = call(
        app,
        &mut anna,
        "benefits/draft-documents",
        &pairs(&[("draft_id", &draft.to_string()), ("known", &version)]),
    )
    .await;
    assert_eq!(same, Value::Null);
}

async fn a_file_is_served_only_to_its_owner_as_an_attachment(app: &TestApp) {
    let (anna, _, draft, _) = filled_draft_without_documents(app).await;
    let pdf = text_pdf();
    let (_, body, _) = upload(
        app,
        Some(&anna),
        draft,
        "passport",
        "скан паспорта.pdf",
        &pdf,
    )
    .await;
    let id = body["id"].as_i64().unwrap();
    let response = download(app, Some(&anna), id).await;
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(headers["cache-control"], "no-store");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(disposition.contains("UTF-8''%D1%81%D0%BA"), "{disposition}");
    assert_eq!(response.bytes().await.unwrap().as_ref(), pdf.as_slice());
    use sha2::Digest;
    let sum: String = sha2::Sha256::digest(&pdf)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(body["sha256"], sum);

    let mut boris = another_confirmed_parent(app).await;
    assert_eq!(
        download(app, Some(&boris), id).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        download(app, None, id).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // Nor through the draft's page, reuse or delete.
    let d = draft.to_string();
    let doc = id.to_string();
    for (endpoint, form) in [
        ("benefits/draft-documents", vec![("draft_id", d.as_str())]),
        (
            "benefits/draft-document-reuse",
            vec![
                ("draft_id", d.as_str()),
                ("requirement", "passport"),
                ("document_id", doc.as_str()),
            ],
        ),
        (
            "benefits/document-delete",
            vec![("draft_id", d.as_str()), ("document_id", doc.as_str())],
        ),
    ] {
        let (status, body, _) = call(app, &mut boris, endpoint, &pairs(&form)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{endpoint}: {body}");
    }
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM documents").await, 1);
}

async fn nobody_but_the_drafts_parent_uploads_and_nothing_is_read_first(app: &TestApp) {
    let (anna, _, draft, _) = filled_draft_without_documents(app).await;
    // Signed out: refused before the body is read.
    let (status, body, _) = upload(app, None, draft, "passport", "a.pdf", &text_pdf()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    // Another parent cannot put a file into this family's draft.
    let boris = another_confirmed_parent(app).await;
    let (status, _, _) = upload(app, Some(&boris), draft, "passport", "a.pdf", &text_pdf()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Another site's page cannot upload with the parent's cookie.
    let response = with_cookie(
        app.client
            .post(format!("{}/documents/uploads", app.address))
            .header("sec-fetch-site", "cross-site")
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(multipart(
                &draft.to_string(),
                "passport",
                "a.pdf",
                &text_pdf(),
            )),
        Some(&anna),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // A declared body over the limit is refused before it is read.
    let response = with_cookie(
        app.client
            .post(format!("{}/documents/uploads", app.address))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .header("content-length", "104857600")
            .body(vec![0u8; 16]),
        Some(&anna),
    )
    .send()
    .await;
    if let Ok(response) = response {
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM documents").await, 0);
}

async fn a_missing_document_stops_sending_and_the_receipt_lists_checksums(app: &TestApp) {
    let (mut anna, _, draft, version) = filled_draft_without_documents(app).await;
    let (status, body) = send(
        app,
        &mut anna,
        draft,
        version,
        "1f8b6a3c-41d2-4e0a-9f7e-2b9c1d3e4f51",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let details = body["details"].as_array().unwrap();
    assert_eq!(details.len(), 3, "{body}");
    assert_eq!(details[0]["field"], "document-birth_certificate");
    assert_eq!(details[0]["code"], "documents.missing");
    assert!(
        details[0]["message"]
            .as_str()
            .unwrap()
            .contains("Свидетельство о рождении")
    );
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM applications").await, 0);

    // Uploaded but not yet checked: still refused, and named.
    for requirement in ["birth_certificate", "passport", "snils"] {
        upload(
            app,
            Some(&anna),
            draft,
            requirement,
            "скан.pdf",
            &text_pdf(),
        )
        .await;
    }
    let (_, view, _) = call(
        app,
        &mut anna,
        "benefits/draft",
        &pairs(&[("id", &draft.to_string())]),
    )
    .await;
    let version = view["version"].as_i64().unwrap();
    let (status, body) = send(
        app,
        &mut anna,
        draft,
        version,
        "2f8b6a3c-41d2-4e0a-9f7e-2b9c1d3e4f52",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["details"][0]["code"], "documents.processing");

    run_queue(app).await;
    let (status, body) = send(
        app,
        &mut anna,
        draft,
        version,
        "3f8b6a3c-41d2-4e0a-9f7e-2b9c1d3e4f53",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id = body["application_id"].as_i64().unwrap();
    assert_eq!(
        scalar(app, "SELECT COUNT(*) FROM application_documents").await,
        3
    );
    let pdf = receipt(app, Some(&anna), id).await.bytes().await.unwrap();
    let text = pdf_text(&pdf);
    use sha2::Digest;
    let sum: String = sha2::Sha256::digest(text_pdf())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(text.contains("Документы"), "{text}");
    assert!(
        text.contains(&sum[..16]),
        "the checksum is on the receipt: {text}"
    );
}

async fn a_file_is_reused_in_another_application_and_deleted(app: &TestApp) {
    let (mut anna, peter, draft, _) = filled_draft_without_documents(app).await;
    let (_, first, _) = upload(
        app,
        Some(&anna),
        draft,
        "passport",
        "паспорт.pdf",
        &text_pdf(),
    )
    .await;
    let passport = first["id"].as_i64().unwrap();
    // Another benefit for the same child: the passport uploaded before is offered.
    let other = start_for(app, &mut anna, "unified-allowance", peter).await;
    let page = draft_documents(app, &mut anna, other).await;
    assert_eq!(page["earlier"][0]["id"].as_i64(), Some(passport), "{page}");
    let (status, page, _) = call(
        app,
        &mut anna,
        "benefits/draft-document-reuse",
        &pairs(&[
            ("draft_id", &other.to_string()),
            ("requirement", "passport"),
            ("document_id", &passport.to_string()),
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let attached = page["slots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["requirement"] == "passport")
        .unwrap()["attached"]["id"]
        .as_i64();
    assert_eq!(attached, Some(passport));

    // «Удалить»: gone from both drafts, its row and its stored file.
    let (status, page, _) = call(
        app,
        &mut anna,
        "benefits/document-delete",
        &pairs(&[
            ("draft_id", &other.to_string()),
            ("document_id", &passport.to_string()),
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM documents").await, 0);
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM draft_documents").await, 0);
    let stored = std::fs::read_dir(app.documents.path().join("documents")).map_or(0, |d| d.count());
    assert_eq!(stored, 0);

    // A file sent with an application is only hidden: the application keeps it.
    let version = crate::documents::attach_all(app, &mut anna, draft).await;
    let (status, sent) = send(
        app,
        &mut anna,
        draft,
        version,
        "4f8b6a3c-41d2-4e0a-9f7e-2b9c1d3e4f54",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{sent}");
    let sent_file = scalar(app, "SELECT MIN(document_id) FROM application_documents").await;
    let (status, _, _) = call(
        app,
        &mut anna,
        "benefits/document-delete",
        &pairs(&[
            ("draft_id", &other.to_string()),
            ("document_id", &sent_file.to_string()),
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM documents WHERE removed_at IS NOT NULL"
        )
        .await,
        1
    );
    assert_eq!(
        download(app, Some(&anna), sent_file).await.status(),
        StatusCode::OK
    );
    let page = draft_documents(app, &mut anna, other).await;
    assert!(
        !page["earlier"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["id"].as_i64() == Some(sent_file)),
        "{page}"
    );

    // Unused files are purged with their stored file after half a year; sent ones stay.
    let (_, spare, _) = upload(app, Some(&anna), other, "snils", "снилс.pdf", &text_pdf()).await;
    assert_eq!(spare["status"], "processing");
    let store =
        object_store::local::LocalFileSystem::new_with_prefix(app.documents.path()).unwrap();
    let now = app.clock_now();
    execute(app, "DELETE FROM application_drafts").await;
    let purged =
        server::retention::purge_documents(&app.db, &store, now + time::Duration::days(181))
            .await
            .unwrap();
    assert_eq!(purged, 1);
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM documents").await, 3);
}

async fn uploads_per_account_are_limited(app: &TestApp) {
    let (anna, _, draft, _) = filled_draft_without_documents(app).await;
    let limit = app.config.uploads_per_account_per_hour;
    for _ in 0..limit {
        let (status, body, _) =
            upload(app, Some(&anna), draft, "passport", "a.pdf", &text_pdf()).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, body, headers) =
        upload(app, Some(&anna), draft, "passport", "a.pdf", &text_pdf()).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(headers.contains_key("retry-after"));
    // Another parent is not held up by this one.
    let boris = another_confirmed_parent(app).await;
    let (status, _, _) = upload(app, Some(&boris), draft, "passport", "a.pdf", &text_pdf()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
