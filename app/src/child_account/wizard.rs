//! «Создание учётной записи ребёнка»: the wizard's steps, what each accepts, and the server
//! functions behind them. The server keeps the wizard's state (a draft per child card), so a
//! parent who leaves midway comes back to the step they left; the page only shows it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::account::registration::{self, check_email, check_phone};
use crate::api::{ApiError, FieldError};
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount, request, service};
use crate::domain::{Email, Password, Phone};

pub mod fields {
    pub const CITIZENSHIP: &str = "citizenship";
    pub const BIRTH_PLACE: &str = "birth_place";
    pub const ADDRESS: &str = "registration_address";
    pub const SAME_ADDRESS: &str = "same_address";
    pub const PHONE: &str = "child_phone";
    pub const CODE: &str = "code";
    pub const EMAIL: &str = "child_email";
    pub const CONSENT: &str = "creation_consent";
    pub use crate::account::registration::fields::{PASSWORD, PASSWORD_REPEAT};
}

/// Longest «Место рождения» and address accepted.
pub const MAX_PLACE_LENGTH: usize = 300;

/// Where the wizard stands. Derived on the server from what the draft holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WizardStep {
    /// «Добавьте адрес».
    Address,
    /// «Добавьте номер телефона — при наличии» (with the code field once a code was sent).
    Phone,
    /// «Добавьте электронную почту».
    Email,
    /// «Подтвердите электронную почту»: the letter is out, waiting for «Подтвердить адрес».
    EmailSent,
    /// «Пароль для входа на Госуслуги».
    Password,
}

impl WizardStep {
    /// The step's number for «Шаг N из 4».
    pub fn number(self) -> usize {
        match self {
            WizardStep::Address => 1,
            WizardStep::Phone => 2,
            WizardStep::Email | WizardStep::EmailSent => 3,
            WizardStep::Password => 4,
        }
    }
}

/// What a draft holds, for deciding the step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DraftProgress {
    pub address_given: bool,
    pub phone_confirmed: bool,
    pub phone_skipped: bool,
    pub email_sent: bool,
    pub email_confirmed: bool,
}

impl DraftProgress {
    /// The first step not done yet: address, then phone (confirmed or skipped), then e-mail.
    pub fn step(self) -> WizardStep {
        if !self.address_given {
            WizardStep::Address
        } else if !(self.phone_confirmed || self.phone_skipped) {
            WizardStep::Phone
        } else if self.email_confirmed {
            WizardStep::Password
        } else if self.email_sent {
            WizardStep::EmailSent
        } else {
            WizardStep::Email
        }
    }
}

/// The wizard as the page draws it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WizardView {
    pub child_id: i64,
    /// «Пётр».
    pub child_first_name: String,
    pub step: WizardStep,
    /// The parent's own «Адрес постоянной регистрации», when it is known.
    pub parent_address: Option<String>,
    pub birth_place: String,
    pub registration_address: String,
    /// The number a code was sent to and not yet confirmed («+7 912 345-67-89»).
    pub phone_code_sent_to: Option<String>,
    pub phone_confirmed: Option<String>,
    /// «a***@mail.ru» once the letter is sent.
    pub email_sent_to: Option<String>,
}

/// «Добавьте адрес» as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AddressForm {
    /// «Гражданство: Россия».
    pub citizenship_russia: bool,
    pub birth_place: String,
    pub registration_address: String,
    /// «Совпадает с вашим адресом постоянной регистрации».
    pub same_as_parent: bool,
}

/// The address step after its checks. `registration_address` is `None` when it is the parent's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildAddress {
    pub birth_place: String,
    pub registration_address: Option<String>,
}

fn place(input: &str, field: &str, empty: &str, what: &str) -> Result<String, FieldError> {
    crate::field_checks::document_text(field, input, empty, what, MAX_PLACE_LENGTH)
}

pub fn check_birth_place(input: &str) -> Result<String, FieldError> {
    place(
        input,
        fields::BIRTH_PLACE,
        "Введите место рождения, как в свидетельстве о рождении",
        "Место рождения",
    )
}

pub fn check_address(input: &str) -> Result<String, FieldError> {
    place(
        input,
        fields::ADDRESS,
        "Введите адрес постоянной регистрации ребёнка",
        "Адрес",
    )
}

pub fn check_citizenship(russia: bool) -> Result<(), FieldError> {
    if russia {
        Ok(())
    } else {
        Err(FieldError::new(
            fields::CITIZENSHIP,
            "citizenship.required",
            "Для создания учётной записи ребёнок должен иметь российское гражданство",
        ))
    }
}

/// Every refusal of the address step at once.
pub fn validate_address(form: &AddressForm) -> Result<ChildAddress, Vec<FieldError>> {
    let citizenship = check_citizenship(form.citizenship_russia);
    let birth_place = check_birth_place(&form.birth_place);
    let address = if form.same_as_parent {
        Ok(None)
    } else {
        check_address(&form.registration_address).map(Some)
    };
    match (citizenship, birth_place, address) {
        (Ok(()), Ok(birth_place), Ok(registration_address)) => Ok(ChildAddress {
            birth_place,
            registration_address,
        }),
        (a, b, c) => Err([a.err(), b.err(), c.err()].into_iter().flatten().collect()),
    }
}

/// The same refusal at another form's field (a shared check, this form's field id).
pub(super) fn at(field: &'static str, mut error: FieldError) -> FieldError {
    error.field = field.to_owned();
    error
}

pub fn check_child_phone(input: &str) -> Result<Phone, FieldError> {
    check_phone(input).map_err(|e| at(fields::PHONE, e))
}

pub fn check_child_email(input: &str) -> Result<Email, FieldError> {
    check_email(input).map_err(|e| at(fields::EMAIL, e))
}

pub fn check_creation_consent(given: bool) -> Result<(), FieldError> {
    if given {
        Ok(())
    } else {
        Err(FieldError::new(
            fields::CONSENT,
            "consent.missing",
            "Чтобы продолжить, дайте согласие на использование персональных данных для создания \
             учётной записи ребёнка",
        ))
    }
}

pub fn validate_email_step(email: &str, consent: bool) -> Result<Email, Vec<FieldError>> {
    match (check_child_email(email), check_creation_consent(consent)) {
        (Ok(email), Ok(())) => Ok(email),
        (a, b) => Err([a.err(), b.err()].into_iter().flatten().collect()),
    }
}

pub fn validate_password(password: &str, repeat: &str) -> Result<Password, Vec<FieldError>> {
    match (
        registration::check_password(password),
        registration::check_password_repeat(password, repeat),
    ) {
        (Ok(password), Ok(())) => Ok(password),
        (a, b) => Err([a.err(), b.err()].into_iter().flatten().collect()),
    }
}

/// Hides most of an address in what the page shows: «a***@mail.ru».
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

/// Opens the wizard for a child, resuming a draft or starting one when «Создать» is allowed.
#[server(prefix = "/api", endpoint = "child-account/wizard")]
pub async fn open_wizard(child_id: i64) -> Result<WizardView, ApiError> {
    let parent = request::require_confirmed_account().await?;
    service::<dyn ChildAccountWizard>()?
        .open_wizard(&parent, child_id)
        .await
        .map_err(ApiError::from)
}

/// «Продолжить» on «Добавьте адрес».
#[server(prefix = "/api", endpoint = "child-account/address")]
pub async fn save_address(child_id: i64, form: AddressForm) -> Result<WizardView, ApiError> {
    let parent = request::require_confirmed_account().await?;
    let address = validate_address(&form).map_err(ApiError::Invalid)?;
    service::<dyn ChildAccountWizard>()?
        .save_address(&parent, child_id, address)
        .await
        .map_err(ApiError::from)
}

/// «Получить код»: the number must differ from the parents' and be unused.
#[server(prefix = "/api", endpoint = "child-account/phone-code")]
pub async fn send_phone_code(child_id: i64, phone: String) -> Result<WizardView, ApiError> {
    let parent = request::require_confirmed_account().await?;
    let phone = check_child_phone(&phone).map_err(|e| ApiError::Invalid(vec![e]))?;
    service::<dyn ChildAccountWizard>()?
        .send_phone_code(&parent, child_id, phone)
        .await
        .map_err(ApiError::from)
}

#[server(prefix = "/api", endpoint = "child-account/phone-confirm")]
pub async fn confirm_phone(child_id: i64, code: String) -> Result<WizardView, ApiError> {
    let parent = request::require_confirmed_account().await?;
    let code = crate::account::contacts::check_code(&code)
        .map_err(|e| ApiError::Invalid(vec![at(fields::CODE, e)]))?;
    service::<dyn ChildAccountWizard>()?
        .confirm_phone(&parent, child_id, &code)
        .await
        .map_err(ApiError::from)
}

/// «Пропустить»: no phone (also to change a number before its code is confirmed).
#[server(prefix = "/api", endpoint = "child-account/phone-skip")]
pub async fn skip_phone(child_id: i64) -> Result<WizardView, ApiError> {
    let parent = request::require_confirmed_account().await?;
    service::<dyn ChildAccountWizard>()?
        .skip_phone(&parent, child_id)
        .await
        .map_err(ApiError::from)
}

/// «Продолжить» on «Добавьте электронную почту»: sends the «Подтвердить адрес» letter.
#[server(prefix = "/api", endpoint = "child-account/email")]
pub async fn send_email_link(
    child_id: i64,
    email: String,
    consent: bool,
) -> Result<WizardView, ApiError> {
    let parent = request::require_confirmed_account().await?;
    let email = validate_email_step(&email, consent).map_err(ApiError::Invalid)?;
    service::<dyn ChildAccountWizard>()?
        .send_email_link(&parent, child_id, email)
        .await
        .map_err(ApiError::from)
}

/// Back from «Подтвердите электронную почту» to change the address (the old link stops working).
#[server(prefix = "/api", endpoint = "child-account/email-change")]
pub async fn change_email(child_id: i64) -> Result<WizardView, ApiError> {
    let parent = request::require_confirmed_account().await?;
    service::<dyn ChildAccountWizard>()?
        .change_email(&parent, child_id)
        .await
        .map_err(ApiError::from)
}

/// «Подтвердить адрес» from the letter; needs no session (the child's mailbox may be opened
/// anywhere). Returns the child's first name.
#[server(prefix = "/api", endpoint = "child-account/email-confirm")]
pub async fn confirm_child_email(token: String) -> Result<ConfirmedChildEmail, ApiError> {
    use crate::api::service;
    let token = crate::account::contacts::link_token(&token)?;
    service::<dyn ChildAccountWizard>()?
        .confirm_email(token)
        .await
        .map_err(ApiError::from)
}

/// What the «Подтвердить адрес» link leads to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmedChildEmail {
    pub child_id: i64,
    pub child_first_name: String,
}

/// «Сохранить» on the password step: creates the account, linked to the parent, and asks the
/// parent's consent for the child's sign-in.
#[server(prefix = "/api", endpoint = "child-account/create")]
pub async fn create_account(
    child_id: i64,
    password: String,
    password_repeat: String,
) -> Result<(), ApiError> {
    let parent = request::require_confirmed_account().await?;
    let password = validate_password(&password, &password_repeat).map_err(ApiError::Invalid)?;
    service::<dyn ChildAccountCreation>()?
        .create_account(&parent, child_id, password)
        .await
        .map_err(ApiError::from)
}

/// Abandons the wizard: the draft and its codes are removed.
#[server(prefix = "/api", endpoint = "child-account/cancel")]
pub async fn cancel_wizard(child_id: i64) -> Result<(), ApiError> {
    let parent = request::require_confirmed_account().await?;
    service::<dyn ChildAccountWizard>()?
        .cancel_wizard(&parent, child_id)
        .await
        .map_err(ApiError::from)
}

/// The child's account wizard, step by step. Every method names the parent; another family's
/// child reads as `Refusal::NotFound`.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ChildAccountWizard: Send + Sync {
    /// Resumes the child's wizard, or starts it when «Создать» is allowed for the child.
    async fn open_wizard(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
    ) -> Result<WizardView, ServiceError>;

    async fn save_address(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        address: ChildAddress,
    ) -> Result<WizardView, ServiceError>;

    /// Sends a code to a number that is neither the parent's nor any account's.
    async fn send_phone_code(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        phone: Phone,
    ) -> Result<WizardView, ServiceError>;

    async fn confirm_phone(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        code: &str,
    ) -> Result<WizardView, ServiceError>;

    async fn skip_phone(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
    ) -> Result<WizardView, ServiceError>;

    /// Sends the «Подтвердить адрес» letter to an address no account uses.
    async fn send_email_link(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        email: Email,
    ) -> Result<WizardView, ServiceError>;

    async fn change_email(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
    ) -> Result<WizardView, ServiceError>;

    /// The link from the letter; needs no session.
    async fn confirm_email(&self, token: &str) -> Result<ConfirmedChildEmail, ServiceError>;

    async fn cancel_wizard(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
    ) -> Result<(), ServiceError>;
}

/// The wizard's last step: the account itself.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ChildAccountCreation: Send + Sync {
    /// Creates the account (linked to the parent) and the consent request, in one transaction.
    async fn create_account(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        password: Password,
    ) -> Result<(), ServiceError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_step_is_the_first_one_not_done() {
        let none = DraftProgress::default();
        assert_eq!(none.step(), WizardStep::Address);
        let address = DraftProgress {
            address_given: true,
            ..none
        };
        assert_eq!(address.step(), WizardStep::Phone);
        let skipped = DraftProgress {
            phone_skipped: true,
            ..address
        };
        assert_eq!(skipped.step(), WizardStep::Email);
        let confirmed = DraftProgress {
            phone_confirmed: true,
            ..address
        };
        assert_eq!(confirmed.step(), WizardStep::Email);
        let sent = DraftProgress {
            email_sent: true,
            ..skipped
        };
        assert_eq!(sent.step(), WizardStep::EmailSent);
        let done = DraftProgress {
            email_confirmed: true,
            ..sent
        };
        assert_eq!(done.step(), WizardStep::Password);
    }

    #[test]
    fn the_address_step_names_every_missing_part() {
        let codes = |form: &AddressForm| -> Vec<String> {
            validate_address(form)
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(|e| e.code)
                .collect()
        };
        assert_eq!(
            codes(&AddressForm::default()),
            [
                "citizenship.required",
                "birth_place.empty",
                "registration_address.empty"
            ]
        );
        let same = AddressForm {
            citizenship_russia: true,
            birth_place: "  г. Москва ".into(),
            registration_address: String::new(),
            same_as_parent: true,
        };
        assert_eq!(
            validate_address(&same).unwrap(),
            ChildAddress {
                birth_place: "г. Москва".into(),
                registration_address: None
            }
        );
        let digits = AddressForm {
            birth_place: "123".into(),
            ..same
        };
        assert_eq!(codes(&digits), ["birth_place.format"]);
    }

    #[test]
    fn the_email_step_needs_the_consent() {
        let errors = validate_email_step("petr@mail.ru", false).unwrap_err();
        assert_eq!(errors[0].field, fields::CONSENT);
        let errors = validate_email_step("petr@", true).unwrap_err();
        assert_eq!(errors[0].field, fields::EMAIL);
        assert!(validate_email_step("petr@mail.ru", true).is_ok());
        assert_eq!(mask_email("petr@mail.ru"), "p***@mail.ru");
    }
}
