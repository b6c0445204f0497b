//! A child's data under 152-ФЗ: the archive holds every record kind about the child (and no
//! secret's hash), only for the parent whose card it is; every table of the schema is either
//! about a child and covered, or named as not; files are sealed with the child's key; a deletion
//! needs a fresh re-authentication and leaves nothing but its receipt — checked table by table,
//! in the store, and the key gone.

use std::io::Read;

use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::applications::{filled_draft, send};
use crate::browser::{Browser, PASSWORD, call, pairs};
use crate::child_accounts::{child_sign_in, consent_id, create_child_account, decide};
use crate::engine_tests;
use crate::family::{another_confirmed_parent, scalar};
use crate::helpers::TestApp;
use server::data_rights::tables::{ABOUT_A_CHILD, NOT_ABOUT_A_CHILD};

engine_tests!(
    every_table_is_about_a_child_and_covered_or_named_as_not,
    the_archive_holds_every_record_kind_only_for_the_parents_card,
    a_deletion_leaves_only_its_receipt,
);

/// A parent with Пётр's card, his account (consent given, signed in once), an application sent
/// with its documents, and the parent's card id.
async fn family_with_everything(app: &TestApp) -> (Browser, i64) {
    let (mut parent, id, draft, version) = filled_draft(app).await;
    create_child_account(app, &mut parent, id).await;
    let consent = consent_id(app, &mut parent, id).await;
    decide(app, &mut parent, consent, "grant").await;
    let mut child = Browser::at("198.51.100.77");
    child_sign_in(app, &mut child).await;
    let (status, body) = send(
        app,
        &mut parent,
        draft,
        version,
        "9c1e6c1d-2222-4c5a-8e9f-0a1b2c3d4e5f",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (parent, id)
}

async fn tables(app: &TestApp) -> Vec<String> {
    let sql = match &app.db {
        server::db::Database::Sqlite { .. } => {
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        }
        server::db::Database::Postgres(_) => {
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = 'public' ORDER BY table_name"
        }
    };
    match &app.db {
        server::db::Database::Sqlite { writer, .. } => {
            sqlx::query_scalar(sql).fetch_all(writer).await.unwrap()
        }
        server::db::Database::Postgres(pool) => {
            sqlx::query_scalar(sql).fetch_all(pool).await.unwrap()
        }
    }
}

async fn every_table_is_about_a_child_and_covered_or_named_as_not(app: &TestApp) {
    let mut uncovered = Vec::new();
    for table in tables(app).await {
        let covered = ABOUT_A_CHILD.iter().any(|s| s.table == table)
            || NOT_ABOUT_A_CHILD.iter().any(|(t, _)| *t == table);
        if !covered {
            uncovered.push(table);
        }
    }
    assert!(
        uncovered.is_empty(),
        "tables neither exported and deleted with a child's data nor named as not about a \
         child: {uncovered:?} — add each to data_rights::tables"
    );
}

async fn export(app: &TestApp, browser: Option<&Browser>, card: i64) -> reqwest::Response {
    let mut request = app.client.get(format!(
        "{}/documents/family/children/{card}/data/export",
        app.address
    ));
    if let Some(cookie) = browser.and_then(|b| b.cookie.as_ref()) {
        request = request.header("cookie", format!("__Host-portal_session={cookie}"));
    }
    request.send().await.expect("GET")
}

async fn the_archive_holds_every_record_kind_only_for_the_parents_card(app: &TestApp) {
    let (parent, id) = family_with_everything(app).await;
    let stranger = another_confirmed_parent(app).await;
    assert_eq!(
        export(app, Some(&stranger), id).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        export(app, None, id).await.status(),
        StatusCode::UNAUTHORIZED
    );

    let response = export(app, Some(&parent), id).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/zip");
    let bytes = response.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut data = String::new();
    zip.by_name("data.json")
        .unwrap()
        .read_to_string(&mut data)
        .unwrap();
    let data: Value = serde_json::from_str(&data).unwrap();
    let tables = &data["tables"];
    // Every table the list names is in the file; these hold the child's records.
    for spec in ABOUT_A_CHILD {
        assert!(tables[spec.table].is_array(), "{} missing", spec.table);
    }
    for kind in [
        "children",
        "child_status_events",
        "accounts",
        "guardianships",
        "consents",
        "consent_events",
        "sessions",
        "applications",
        "application_events",
        "documents",
        "eligibility_checks",
        "activity_journal",
    ] {
        assert!(
            !tables[kind].as_array().unwrap().is_empty(),
            "{kind} empty: {data}"
        );
    }
    // No secret's hash or sealed value leaves the portal.
    let account = &tables["accounts"][0];
    assert_eq!(account["first_name"], "Пётр");
    assert!(account.get("password_hash").is_none());
    assert!(tables["sessions"][0].get("token_hash").is_none());
    // Each document's file, opened with the child's key: the bytes that were uploaded.
    for document in tables["documents"].as_array().unwrap() {
        let name = format!(
            "files/{}-{}",
            document["id"],
            document["file_name"].as_str().unwrap()
        );
        let mut file = Vec::new();
        zip.by_name(&name).unwrap().read_to_end(&mut file).unwrap();
        let sha: String = Sha256::digest(&file)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(sha, document["sha256"].as_str().unwrap());
    }
    let mut pdf = Vec::new();
    zip.by_name("extract.pdf")
        .unwrap()
        .read_to_end(&mut pdf)
        .unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    // The child's journal says their data was taken out.
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM activity_journal WHERE action = 'Выгрузка всех данных о ребёнке'"
        )
        .await,
        1
    );
}

async fn a_deletion_leaves_only_its_receipt(app: &TestApp) {
    let (mut parent, id) = family_with_everything(app).await;
    // Another family's child stays as it was.
    let other_children = scalar(app, "SELECT COUNT(*) FROM children").await - 1;
    let mut stranger = another_confirmed_parent(app).await;
    let form = pairs(&[("child", &id.to_string()), ("understood", "true")]);
    let (status, _, _) = call(app, &mut stranger, "data/delete", &form).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Files are sealed with the child's key on disk.
    let keys = storage_keys(app).await;
    let minor = scalar(app, "SELECT id FROM accounts WHERE email = 'petya@mail.ru'").await;
    assert!(!keys.is_empty());
    for key in &keys {
        let on_disk = std::fs::read(app.documents.path().join(key)).unwrap();
        assert!(on_disk.starts_with(b"FPK1"), "{key} stored in the clear");
    }

    // The statement of what goes.
    let (status, preview, _) = call(
        app,
        &mut parent,
        "data/preview",
        &pairs(&[("child", &id.to_string())]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert!(preview["files"].as_i64().unwrap() >= 1);
    assert_eq!(preview["reauthenticated"], false);
    // Without the box: at its field. Without a fresh password: refused. Nothing gone.
    let (status, body, _) = call(
        app,
        &mut parent,
        "data/delete",
        &pairs(&[("child", &id.to_string())]),
    )
    .await;
    assert_eq!(
        (status, body["details"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("understood"))
    );
    let (status, body, _) = call(app, &mut parent, "data/delete", &form).await;
    assert_eq!(
        (status, body["details"].as_str()),
        (StatusCode::CONFLICT, Some("reauth_required"))
    );
    assert_eq!(
        scalar(app, "SELECT COUNT(*) FROM children").await,
        other_children + 1
    );

    let (status, body, _) = call(
        app,
        &mut parent,
        "account/reauthenticate",
        &pairs(&[("password", PASSWORD)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, deleted, _) = call(app, &mut parent, "data/delete", &form).await;
    assert_eq!(status, StatusCode::OK, "{deleted}");
    assert!(deleted["rows"].as_i64().unwrap() > 20, "{deleted}");

    // Table by table: nothing about the child is left.
    for spec in ABOUT_A_CHILD {
        let rows = server::data_rights::collect::rows(
            &app.db,
            spec,
            server::data_rights::collect::Subject {
                card: id,
                minor: Some(minor),
            },
        )
        .await
        .unwrap();
        assert!(rows.is_empty(), "{} still holds {rows:?}", spec.table);
    }
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM accounts WHERE email = 'petya@mail.ru'"
        )
        .await,
        0
    );
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM child_file_keys").await, 0);
    assert_eq!(
        scalar(app, "SELECT COUNT(*) FROM children").await,
        other_children
    );
    // On disk: the files are gone.
    for key in &keys {
        assert!(
            !app.documents.path().join(key).exists(),
            "{key} left on disk"
        );
    }
    // What is left: the deletion's record, counts only, and its signed receipt.
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM data_deletions").await, 1);
    let receipt = app
        .client
        .get(format!(
            "{}/documents/family/deletions/{}/receipt",
            app.address, deleted["id"]
        ))
        .header(
            "cookie",
            format!("__Host-portal_session={}", parent.cookie.clone().unwrap()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(receipt.status(), StatusCode::OK);
    assert!(receipt.bytes().await.unwrap().starts_with(b"%PDF"));
    // The parent's own account is untouched.
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM accounts WHERE email = 'anna@mail.ru'"
        )
        .await,
        1
    );
}

async fn storage_keys(app: &TestApp) -> Vec<String> {
    const SQL: &str = "SELECT storage_key FROM documents ORDER BY id";
    match &app.db {
        server::db::Database::Sqlite { writer, .. } => {
            sqlx::query_scalar(SQL).fetch_all(writer).await.unwrap()
        }
        server::db::Database::Postgres(pool) => {
            sqlx::query_scalar(SQL).fetch_all(pool).await.unwrap()
        }
    }
}
