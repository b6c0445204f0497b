//! The one log line of a refused consent act, for operators to alert on: ids only, no personal
//! data.

/// `reason`: why (`not_found_or_other_family`, `no_live_guardianship`); `what`: the thing asked
/// for (`consent`, `consent_receipt`).
pub(super) fn log_refused(
    reason: &'static str,
    what: &'static str,
    account_id: i64,
    consent_id: i64,
) {
    tracing::warn!(
        event = "authz.refused",
        reason,
        what,
        account_id,
        consent_id,
        "refused"
    );
}
