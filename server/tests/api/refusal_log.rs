//! Every refused request leaves one warning for operators to alert on — a caller without a
//! session (401), a citizen at an officer's page (403), a parent asking for another family's
//! child (404) — with the route, the caller's address and account, and no personal data.

use reqwest::StatusCode;

use crate::browser::*;
use crate::engine_tests;
use crate::family::{add, another_confirmed_parent, confirmed_parent, peter};
use crate::helpers::{TestApp, warnings_with};

/// The one refusal line of this address, this route and this status.
fn refusal_lines(address: &str, path: &str, status: u16) -> Vec<String> {
    warnings_with(&[
        "request.refused",
        &format!("address=\"{address}\""),
        &format!("path=\"/api/{path}\""),
        &format!("status={status}"),
    ])
}

async fn refused_requests_are_logged_with_route_address_and_account(app: &TestApp) {
    let mut anna = confirmed_parent(app).await;
    let id = add(app, &mut anna, &peter()).await.to_string();
    // Each case from an address no other test uses (the log is shared by all of them).
    let engine = app.db.engine();
    let (stranger_at, citizen_at, other_parent_at) = match engine {
        "sqlite" => ("198.51.100.201", "198.51.100.202", "198.51.100.203"),
        _ => ("198.51.100.211", "198.51.100.212", "198.51.100.213"),
    };

    let mut stranger = Browser::at(stranger_at);
    let (status, _, _) = call(app, &mut stranger, "family/child", &pairs(&[("id", &id)])).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let lines = refusal_lines(stranger_at, "family/child", 401);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("reason=\"sign_in_required\""),
        "{}",
        lines[0]
    );

    anna.address = citizen_at.to_owned();
    let (status, _, _) = call(app, &mut anna, "operator/jobs", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let lines = refusal_lines(citizen_at, "operator/jobs", 403);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("account_id=1"), "{}", lines[0]);

    let mut other_parent = another_confirmed_parent(app).await;
    other_parent.address = other_parent_at.to_owned();
    let (status, _, _) = call(
        app,
        &mut other_parent,
        "family/child",
        &pairs(&[("id", &id)]),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let lines = refusal_lines(other_parent_at, "family/child", 404);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("reason=\"not_found_or_other_family\""),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("account_id=2"), "{}", lines[0]);
    // Ids only: nothing of the child or the parents is in the line.
    assert!(!lines[0].contains("Иван"), "{}", lines[0]);
}

engine_tests!(refused_requests_are_logged_with_route_address_and_account);
