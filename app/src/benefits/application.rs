//! «Оформить новую льготу»: the application's draft, kept on the server after every page, so it
//! resumes on another device and is listed on the benefit's page. One draft per child and
//! benefit; what the profile and the child's card know is filled in.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::answers::{
    AddressesAnswer, Answer, Answers, ChildAnswer, ContactsAnswer, PassportAnswer, Question,
    SnilsAnswer,
};
use crate::api::ApiError;
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount, request, service};

/// The child as the confirmed card holds them: not retyped, corrected on the card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildOnCard {
    pub child_id: i64,
    /// «Иванов Пётр Андреевич».
    pub name: String,
    /// ДД.ММ.ГГГГ.
    pub birth_date: String,
    /// «IV-МЮ 123456».
    pub certificate: String,
    pub certificate_date: String,
    pub certificate_issued_by: String,
}

/// The applicant as the account holds them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    pub name: String,
    /// «123-456-789 64».
    pub snils: String,
}

/// A draft as its pages draw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftView {
    pub id: i64,
    pub benefit_code: String,
    pub benefit_name: String,
    pub child: ChildOnCard,
    pub applicant: Applicant,
    /// What the parent saved, page by page.
    pub saved: Answers,
    /// What the profile, the identity check and the card suggest for pages not saved yet.
    pub suggested: Answers,
    /// Bumped by every save: «Отправить» names the version the parent checked.
    pub version: i64,
    /// «03.12.2026 14:05», Moscow time.
    pub saved_at: String,
    /// What the eligibility check says now, for «Проверьте ответы».
    pub eligibility: DraftEligibility,
    /// The benefit's required documents and the file attached for each.
    pub documents: Vec<super::documents::Slot>,
}

/// The eligibility check as «Проверьте ответы» warns of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DraftEligibility {
    Passed,
    /// The failed rules: title and reason each. Sending needs «Понимаю…».
    Failed(Vec<(String, String)>),
    /// Running, or the registry did not answer: it runs again after sending.
    Unchecked,
}

impl DraftView {
    /// Which page comes next: the first not answered, or `None` for «Проверьте ответы».
    pub fn next_question(&self) -> Option<Question> {
        self.saved.first_missing()
    }

    pub fn child_answer(&self) -> ChildAnswer {
        pick(&self.saved.child, &self.suggested.child)
    }
    pub fn passport(&self) -> PassportAnswer {
        pick(&self.saved.passport, &self.suggested.passport)
    }
    pub fn snils(&self) -> SnilsAnswer {
        pick(&self.saved.snils, &self.suggested.snils)
    }
    pub fn addresses(&self) -> AddressesAnswer {
        pick(&self.saved.addresses, &self.suggested.addresses)
    }
    pub fn contacts(&self) -> ContactsAnswer {
        pick(&self.saved.contacts, &self.suggested.contacts)
    }

    /// The page's address.
    pub fn href(&self, question: Option<Question>) -> String {
        draft_href(self.id, question)
    }
}

fn pick<T: Clone + Default>(saved: &Option<T>, suggested: &Option<T>) -> T {
    saved
        .clone()
        .or_else(|| suggested.clone())
        .unwrap_or_default()
}

/// The documents page's address segment.
pub const DOCUMENTS_SLUG: &str = "documents";

/// `/applications/drafts/7/documents`.
pub fn documents_href(id: i64) -> String {
    format!("/applications/drafts/{id}/{DOCUMENTS_SLUG}")
}

/// `/applications/drafts/7/passport`; `None` is «Проверьте ответы».
pub fn draft_href(id: i64, question: Option<Question>) -> String {
    format!(
        "/applications/drafts/{id}/{}",
        question.map_or("check", Question::slug)
    )
}

/// The summary's rows, in order: the page that changes each (`None`: the card or the account
/// holds it, not the application), its label, and its value (`None`: not answered yet).
pub fn summary_rows(
    child: &ChildOnCard,
    applicant: &Applicant,
    saved: &Answers,
) -> Vec<(Option<Question>, &'static str, Option<String>)> {
    vec![
        (
            None,
            "Ребёнок",
            Some(format!("{}, {}", child.name, child.birth_date)),
        ),
        (
            None,
            "Свидетельство о рождении",
            Some(format!(
                "{}, выдано {}",
                child.certificate, child.certificate_date
            )),
        ),
        (
            Some(Question::Child),
            "Место рождения",
            saved.child.as_ref().map(|a| a.birth_place.clone()),
        ),
        (
            Some(Question::Passport),
            "Паспорт заявителя",
            saved
                .passport
                .as_ref()
                .map(|a| format!("{}, выдан {} {}", a.number, a.issued_on, a.issued_by)),
        ),
        (None, "СНИЛС заявителя", Some(applicant.snils.clone())),
        (
            Some(Question::Snils),
            "СНИЛС второго родителя",
            saved.snils.as_ref().map(|a| {
                if a.single_parent {
                    "Ребёнка воспитывает один родитель".to_owned()
                } else {
                    a.second_parent.clone()
                }
            }),
        ),
        (
            Some(Question::Addresses),
            "Адрес регистрации",
            saved.addresses.as_ref().map(|a| a.registration.clone()),
        ),
        (
            Some(Question::Addresses),
            "Адрес фактического проживания",
            saved.addresses.as_ref().map(|a| {
                if a.same_as_registration {
                    "Совпадает с адресом регистрации".to_owned()
                } else {
                    a.actual.clone()
                }
            }),
        ),
        (
            Some(Question::Contacts),
            "Контактный телефон",
            saved.contacts.as_ref().map(|a| a.phone.clone()),
        ),
        (
            Some(Question::Contacts),
            "Электронная почта",
            saved.contacts.as_ref().map(|a| a.email.clone()),
        ),
    ]
}

/// A draft as the benefit's page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftRef {
    pub id: i64,
    pub saved_at: String,
    pub next: Option<Question>,
}

impl DraftRef {
    pub fn href(&self) -> String {
        draft_href(self.id, self.next)
    }
}

/// «Оформить новую льготу» for one child: opens the child's draft for the benefit, or starts
/// one. Returns the draft's id.
#[server(prefix = "/api", endpoint = "benefits/application-start")]
pub async fn start_application(code: String, child_id: i64) -> Result<i64, ApiError> {
    let parent = request::require_confirmed_account().await?;
    Ok(service::<dyn ApplicationDrafts>()?
        .start(&parent, &code, child_id)
        .await?)
}

#[server(prefix = "/api", endpoint = "benefits/draft")]
pub async fn load_draft(id: i64) -> Result<DraftView, ApiError> {
    let parent = request::require_confirmed_account().await?;
    Ok(service::<dyn ApplicationDrafts>()?
        .load(&parent, id)
        .await?)
}

/// «Продолжить» on a question page: the answer is checked again here and saved.
#[server(prefix = "/api", endpoint = "benefits/draft-answer")]
pub async fn save_answer(id: i64, answer: Answer) -> Result<DraftView, ApiError> {
    let parent = request::require_confirmed_account().await?;
    let today = crate::domain::moscow_today(crate::api::now()?);
    let answer = answer.checked(today).map_err(ApiError::Invalid)?;
    Ok(service::<dyn ApplicationDrafts>()?
        .save(&parent, id, answer)
        .await?)
}

/// «Удалить черновик».
#[server(prefix = "/api", endpoint = "benefits/draft-discard")]
pub async fn discard_draft(id: i64) -> Result<(), ApiError> {
    let parent = request::require_confirmed_account().await?;
    Ok(service::<dyn ApplicationDrafts>()?
        .discard(&parent, id)
        .await?)
}

/// The drafts of applications. Every method names the parent: another family's draft, or a
/// child who is not this parent's, reads as `Refusal::NotFound`.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ApplicationDrafts: Send + Sync {
    /// Only for a child whose card ЕГР ЗАГС confirmed as this parent's, of an age the benefit
    /// covers; the draft that exists is resumed.
    async fn start(
        &self,
        parent: &SignedInAccount,
        benefit_code: &str,
        child_id: i64,
    ) -> Result<i64, ServiceError>;

    async fn load(&self, parent: &SignedInAccount, id: i64) -> Result<DraftView, ServiceError>;

    /// Keeps one page's checked answer.
    async fn save(
        &self,
        parent: &SignedInAccount,
        id: i64,
        answer: Answer,
    ) -> Result<DraftView, ServiceError>;

    async fn discard(&self, parent: &SignedInAccount, id: i64) -> Result<(), ServiceError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_leads_to_its_first_unanswered_page_then_to_the_check() {
        let mut answers = Answers::default();
        assert_eq!(answers.first_missing(), Some(Question::Child));
        answers.set(Answer::Child(ChildAnswer {
            birth_place: "г. Москва".into(),
        }));
        answers.set(Answer::Snils(SnilsAnswer {
            second_parent: String::new(),
            single_parent: true,
        }));
        assert_eq!(answers.first_missing(), Some(Question::Passport));
        assert_eq!(
            draft_href(7, answers.first_missing()),
            "/applications/drafts/7/passport"
        );
        assert_eq!(draft_href(7, None), "/applications/drafts/7/check");
    }
}
