//! What the child's card shows about the child's own account: «Создать», why not, or the
//! account with its consent.

use app::child_account::{AccountBlock, ChildAccountView, ConsentSummary};
use app::domain::minor::{ChildFacts, Eligibility, ParentTie};
use app::domain::{DocumentStatus, Phone, full_years};
use app::family::child_form::BirthCountry;
use app::family::status_text::NOT_A_PARENT;
use time::{Date, OffsetDateTime};

use crate::db::children::StoredChild;
use crate::db::{Database, StorageError, child_accounts, consents, link_codes};

/// What ЕГР ЗАГС said about the card's parent.
fn parent_tie(child: &StoredChild) -> ParentTie {
    if child.parent_proven() {
        ParentTie::Proven
    } else if child.certificate_problem.as_deref() == Some(NOT_A_PARENT) {
        ParentTie::NotOnRecord
    } else {
        ParentTie::Unproven
    }
}

/// The «Создать» / «Привязать» rule applied to a stored child.
fn eligibility(child: &StoredChild, has_account: bool, today: Date) -> Eligibility {
    ChildFacts {
        age: full_years(child.birth_date, today),
        has_account,
        russian_certificate: child.birth_country == BirthCountry::Russia,
        relation: child.relation,
        certificate: child.certificate_status,
        snils: if child.snils.is_some() {
            child.snils_status
        } else {
            DocumentStatus::Absent
        },
        parent: parent_tie(child),
    }
    .eligibility()
}

pub async fn account_block(
    db: &Database,
    parent_id: i64,
    child: &StoredChild,
    today: Date,
    now: OffsetDateTime,
) -> Result<AccountBlock, StorageError> {
    let account = child_accounts::account_of_child(db, parent_id, child.id).await?;
    // A parent the birth record does not name sees no account, even one linked before.
    let eligibility = eligibility(child, account.is_some(), today);
    if eligibility == Eligibility::NotOnBirthRecord {
        return Ok(AccountBlock::Unavailable(eligibility));
    }
    if let Some(account) = account {
        let consent = consents::newest_for(db, parent_id, account.account_id)
            .await?
            .map(|c| ConsentSummary {
                id: c.id,
                status: c.status,
            });
        return Ok(AccountBlock::Account(ChildAccountView {
            account_id: account.account_id,
            child_id: child.id,
            link_ended: account.ended_at.is_some(),
            email: account.email,
            phone: account
                .phone
                .as_deref()
                .and_then(|p| Phone::parse(p).ok())
                .map(|p| p.to_string()),
            consent,
        }));
    }
    Ok(match eligibility {
        // The other parent may have made the account already: then this parent links it.
        Eligibility::CanCreate if made_by_other_parent(db, child).await? => {
            AccountBlock::CanLink { teen: false }
        }
        Eligibility::CanCreate => AccountBlock::CanCreate {
            started: child_accounts::has_draft(db, parent_id, child.id, now).await?,
        },
        Eligibility::SelfRegistration => AccountBlock::CanLink { teen: true },
        other => AccountBlock::Unavailable(other),
    })
}

/// Whether a minor's account carries the card's confirmed СНИЛС (the other parent made it).
async fn made_by_other_parent(db: &Database, child: &StoredChild) -> Result<bool, StorageError> {
    match (&child.snils, child.snils_status) {
        (Some(snils), DocumentStatus::Confirmed) => link_codes::minor_with_snils(db, snils).await,
        _ => Ok(false),
    }
}
