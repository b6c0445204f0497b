//! What the child's card shows about the child's own account: «Создать», why not, or the
//! account with its consent.

use app::child_account::{AccountBlock, ChildAccountView, ConsentSummary};
use app::domain::minor::{ChildFacts, Eligibility};
use app::domain::{DocumentStatus, Phone, full_years};
use app::family::child_form::BirthCountry;
use time::{Date, OffsetDateTime};

use crate::db::children::StoredChild;
use crate::db::{Database, StorageError, child_accounts, consents, link_codes};

/// The «Создать» rule applied to a stored child that has no account yet.
fn eligibility(child: &StoredChild, today: Date) -> Eligibility {
    ChildFacts {
        age: full_years(child.birth_date, today),
        has_account: false,
        russian_certificate: child.birth_country == BirthCountry::Russia.as_str(),
        relation: child.relation(),
        certificate: child.certificate_status(),
        snils: if child.snils.is_some() {
            child.snils_status()
        } else {
            DocumentStatus::Absent
        },
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
    if let Some(account) = child_accounts::account_of_child(db, parent_id, child.id).await? {
        let consent = consents::newest_for(db, parent_id, account.account_id)
            .await?
            .map(|c| ConsentSummary {
                id: c.id,
                status: c.status(),
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
    // The other parent may have made the account already: then this parent links it.
    let made_by_other_parent = match (&child.snils, child.snils_status()) {
        (Some(snils), DocumentStatus::Confirmed) => link_codes::minor_with_snils(db, snils).await?,
        _ => false,
    };
    if made_by_other_parent {
        return Ok(AccountBlock::CanLink { teen: false });
    }
    Ok(match eligibility(child, today) {
        Eligibility::CanCreate => AccountBlock::CanCreate {
            started: child_accounts::has_draft(db, parent_id, child.id, now).await?,
        },
        Eligibility::SelfRegistration => AccountBlock::CanLink { teen: true },
        other => AccountBlock::Unavailable(other),
    })
}
