//! A child's own account: «Создать» on the card, the creation wizard (seed 002), and the
//! parent's consent that lets the child sign in. `wizard` holds the wizard's rules and server
//! functions, `wizard_page` its page, `email_link_page` the page the «Подтвердить адрес» letter
//! opens, `consents` the consent records and `account_block` the card's part. Each flow
//! file declares the service trait its server functions call.

mod account_block;
pub mod consents;
mod email_link_page;
pub mod linking;
mod password_form;
pub mod settings;
pub mod wizard;
mod wizard_page;

pub use account_block::ChildAccountBlock;
pub use consents::ConsentsPage;
pub use email_link_page::ChildEmailLinkPage;
pub use settings::ChildAccountSettingsPage;
pub use wizard_page::ChildAccountWizardPage;

use serde::{Deserialize, Serialize};

use crate::domain::minor::{ConsentStatus, Eligibility, ServiceCentreReason};

/// The child's account as the parent's card shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildAccountView {
    pub account_id: i64,
    /// The parent's card of the child.
    pub child_id: i64,
    /// The e-mail the child signs in with.
    pub email: String,
    /// «+7 912 345-67-89», when one was given.
    pub phone: Option<String>,
    /// The newest consent to the transfer of personal data, if any was asked for.
    pub consent: Option<ConsentSummary>,
    /// The child turned 18: the parent keeps the history, not the controls.
    pub link_ended: bool,
}

/// One consent as the card and the list show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentSummary {
    pub id: i64,
    pub status: ConsentStatus,
}

/// The account part of a child's card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountBlock {
    /// «Создать» is shown; `started` when a wizard was left midway (it resumes).
    CanCreate {
        started: bool,
    },
    /// The child has an account already (a teen registered, or the other parent made it):
    /// «Привязать» with a link code. `teen` when it is 14+ and registered on their own.
    CanLink {
        teen: bool,
    },
    /// «Создать» is not shown: which condition is missing, or the route elsewhere.
    Unavailable(Eligibility),
    Account(ChildAccountView),
}

/// «Создать» is not shown: why, and what to do instead.
pub fn unavailable_text(eligibility: Eligibility) -> &'static str {
    match eligibility {
        Eligibility::CanCreate | Eligibility::HasAccount => "",
        Eligibility::SelfRegistration => {
            "Ребёнку уже 14 лет: учётную запись он создаёт сам, с паспортом. После регистрации \
             привяжите его учётную запись к своей"
        }
        Eligibility::ServiceCentre {
            reason: ServiceCentreReason::Guardianship,
        } => {
            "Если ребёнок находится под опекой, обратитесь в центр обслуживания. Возьмите с собой \
             документы, подтверждающие опеку, паспорт, свидетельство о рождении ребёнка и СНИЛС \
             ребёнка — сотрудники помогут создать учётную запись"
        }
        Eligibility::ServiceCentre {
            reason: ServiceCentreReason::ForeignCertificate,
        } => {
            "Учётную запись на портале госуслуг можно создать только для детей с российским \
             свидетельством о рождении. С иностранным свидетельством обратитесь в центр \
             обслуживания с паспортом РФ, свидетельством о рождении ребёнка и СНИЛС ребёнка"
        }
        Eligibility::DocumentsNotConfirmed {
            certificate: true,
            snils: true,
        } => {
            "Чтобы создать или привязать учётную запись ребёнка, свидетельство о рождении и СНИЛС \
             должны быть подтверждены. Запросите проверку в ведомствах и дождитесь статуса \
             «Подтверждено»"
        }
        Eligibility::DocumentsNotConfirmed {
            certificate: true, ..
        } => {
            "Чтобы создать или привязать учётную запись ребёнка, свидетельство о рождении должно \
             быть подтверждено в ЕГР ЗАГС. Дождитесь статуса «Подтверждено»"
        }
        Eligibility::DocumentsNotConfirmed { .. } => {
            "Чтобы создать или привязать учётную запись ребёнка, СНИЛС должен быть подтверждён в \
             СФР. Дождитесь статуса «Подтверждено»"
        }
        Eligibility::ParentUnproven => {
            "Проверяем в ЕГР ЗАГС, что вы указаны родителем в записи акта о рождении ребёнка. \
             Учётная запись ребёнка станет доступна после подтверждения — мы пришлём уведомление"
        }
        Eligibility::NotOnBirthRecord => {
            "В записи акта о рождении ребёнка вы не указаны как родитель, поэтому учётная запись \
             ребёнка недоступна. Если вы опекун или попечитель, обратитесь в центр обслуживания с \
             документами, подтверждающими опеку, паспортом, свидетельством о рождении ребёнка и \
             СНИЛС ребёнка"
        }
    }
}
