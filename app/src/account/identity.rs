//! «Подтвердите личность»: a simplified account becomes standard once МВД confirms the passport
//! and СФР the СНИЛС. The check runs on the server through the job queue; the profile shows where
//! it stands.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use time::Date;

use super::AccountLevel;
use crate::api::{ApiError, FieldError};
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount};
use crate::components::{
    Button, ErrorSummary, Field, FieldInput, FormErrors, StatusChip, Tone, interactive,
};
use crate::domain::{DigitsError, Passport, moscow_today, parse_ru_date};
use crate::messages;

pub mod fields {
    pub const PASSPORT: &str = "passport";
    pub const PASSPORT_DATE: &str = "passport_date";
}

/// What the parent typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityForm {
    /// «4510 123456».
    pub passport: String,
    /// ДД.ММ.ГГГГ.
    pub passport_date: String,
}

/// Where the newest check stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityCheckStatus {
    Checking,
    Confirmed,
    Failed,
    RegistryUnavailable,
}

impl IdentityCheckStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Checking => "checking",
            Self::Confirmed => "confirmed",
            Self::Failed => "failed",
            Self::RegistryUnavailable => "registry_unavailable",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Checking,
            Self::Confirmed,
            Self::Failed,
            Self::RegistryUnavailable,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// The newest check as the profile shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityCheckView {
    pub status: IdentityCheckStatus,
    /// The registry's answer code: `passport_not_found`, `passport_mismatch:last_name,…`,
    /// `snils_not_found`, `snils_mismatch:…`.
    pub problem: Option<String>,
}

pub fn check_passport(input: &str) -> Result<Passport, FieldError> {
    Passport::parse(input).map_err(|e| match e {
        DigitsError::Empty => FieldError::new(
            fields::PASSPORT,
            "passport.empty",
            "Введите серию и номер паспорта",
        ),
        DigitsError::Format => FieldError::new(
            fields::PASSPORT,
            "passport.format",
            "Серия и номер паспорта — 10 цифр, например 4510 123456",
        ),
    })
}

pub fn check_passport_date(input: &str, today: Date) -> Result<Date, FieldError> {
    let field = fields::PASSPORT_DATE;
    let date = parse_ru_date(input)
        .map_err(|e| FieldError::new(field, "date.format", messages::date_error(e)))?;
    if date > today {
        return Err(FieldError::new(
            field,
            "date.future",
            "Дата выдачи не может быть позже сегодняшнего дня",
        ));
    }
    Ok(date)
}

/// Every refusal at once, in the order of the form.
pub fn validate(form: &IdentityForm, today: Date) -> Result<(Passport, Date), Vec<FieldError>> {
    match (
        check_passport(&form.passport),
        check_passport_date(&form.passport_date, today),
    ) {
        (Ok(passport), Ok(date)) => Ok((passport, date)),
        (a, b) => Err([a.err(), b.err()].into_iter().flatten().collect()),
    }
}

fn field_name(code: &str) -> &str {
    match code {
        "last_name" => "фамилия",
        "first_name" => "имя",
        "middle_name" => "отчество",
        "birth_date" => "дата рождения",
        "issue_date" => "дата выдачи",
        other => other,
    }
}

fn field_list(codes: &str) -> String {
    codes
        .split(',')
        .filter(|c| !c.is_empty())
        .map(field_name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What to check after a failed or unanswered check.
pub fn problem_text(status: IdentityCheckStatus, problem: Option<&str>) -> String {
    if status == IdentityCheckStatus::RegistryUnavailable {
        return "Ведомство не ответило, отправьте данные ещё раз позже".to_owned();
    }
    match problem.unwrap_or_default() {
        "passport_not_found" => {
            "МВД не нашло паспорт с такими серией, номером и датой выдачи — проверьте их".to_owned()
        }
        "snils_not_found" => {
            "СФР не подтвердил ваш СНИЛС. Проверьте СНИЛС в личных данных или обратитесь в СФР"
                .to_owned()
        }
        p if p.starts_with("passport_mismatch:") => format!(
            "В МВД по этому паспорту записаны другие данные: {}. Проверьте их в паспорте и в личных данных",
            field_list(&p["passport_mismatch:".len()..])
        ),
        p if p.starts_with("snils_mismatch:") => format!(
            "СФР не подтвердил ваш СНИЛС: не совпадают {}. Проверьте личные данные",
            field_list(&p["snils_mismatch:".len()..])
        ),
        _ => "Проверьте серию, номер и дату выдачи паспорта и отправьте данные ещё раз".to_owned(),
    }
}

/// Starts the check of the passport (МВД) and СНИЛС (СФР). Refused with `nothing_to_check` when
/// the account is not simplified or a check already runs.
#[server(prefix = "/api", endpoint = "account/identity-check")]
pub async fn request_identity_check(form: IdentityForm) -> Result<(), ApiError> {
    use crate::api::{request, service};
    let account = request::require_account().await?;
    let today = moscow_today(crate::api::now()?);
    let (passport, issue_date) = validate(&form, today).map_err(ApiError::Invalid)?;
    service::<dyn IdentityCheckService>()?
        .request_identity_check(&account, passport, issue_date)
        .await
        .map_err(ApiError::from)
}

/// The profile's «Подтвердите личность» for a simplified account: the form, or where the check
/// stands.
#[component]
pub fn IdentitySection(
    level: AccountLevel,
    check: Option<IdentityCheckView>,
    reload: Callback<()>,
) -> impl IntoView {
    if level != AccountLevel::Simplified {
        return ().into_any();
    }
    let status = check.as_ref().map(|c| c.status);
    if status == Some(IdentityCheckStatus::Checking) {
        return view! {
            <section class="card" aria-labelledby="identity-title">
                <h2 id="identity-title">"Подтвердите личность"</h2>
                <p><StatusChip tone=Tone::Info text="Проверка данных"/></p>
                <p>"Проверка занимает от нескольких минут до 5 дней"</p>
            </section>
        }
        .into_any();
    }
    let failure = check
        .filter(|c| {
            matches!(
                c.status,
                IdentityCheckStatus::Failed | IdentityCheckStatus::RegistryUnavailable
            )
        })
        .map(|c| problem_text(c.status, c.problem.as_deref()));
    view! {
        <section class="card" aria-labelledby="identity-title">
            <h2 id="identity-title">"Подтвердите личность"</h2>
            {failure.map(|text| view! {
                <p><StatusChip tone=Tone::Error text="Данные не подтверждены"/></p>
                <p>{text}</p>
            })}
            <p>
                "Для стандартной учётной записи нужно проверить паспортные данные в МВД и СНИЛС в СФР. "
                "Фамилия, имя, отчество и дата рождения берутся из личных данных."
            </p>
            <IdentityFormView reload=reload/>
        </section>
    }
    .into_any()
}

fn today() -> Date {
    moscow_today(time::OffsetDateTime::now_utc())
}

#[component]
fn IdentityFormView(reload: Callback<()>) -> impl IntoView {
    let passport = RwSignal::new(String::new());
    let passport_date = RwSignal::new(String::new());
    let form = FormErrors::new();
    let interactive = interactive();
    let send = ServerAction::<RequestIdentityCheck>::new();
    let passport_blur = form.watch(fields::PASSPORT, passport, |v| check_passport(v).err());
    let date_blur = form.watch(fields::PASSPORT_DATE, passport_date, |v| {
        check_passport_date(v, today()).err()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = IdentityForm {
            passport: passport.get_untracked(),
            passport_date: passport_date.get_untracked(),
        };
        match validate(&typed, today()) {
            Ok(_) => {
                form.clear();
                send.dispatch(RequestIdentityCheck { form: typed });
            }
            Err(found) => form.show(found, None),
        }
    };
    Effect::new(move |_| match send.value().get() {
        Some(Ok(())) => reload.run(()),
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });
    view! {
        <ErrorSummary errors=form.summary() message=form.message()/>
        <form novalidate on:submit=submit aria-labelledby="identity-title">
            <Field id=fields::PASSPORT label="Серия и номер паспорта"
                hint="10 цифр, например 4510 123456" value=passport
                error=form.for_field(fields::PASSPORT) input=FieldInput::Numeric
                on_blur=passport_blur/>
            <Field id=fields::PASSPORT_DATE label="Дата выдачи паспорта"
                hint="ДД.ММ.ГГГГ, например 20.05.2015" value=passport_date
                error=form.for_field(fields::PASSPORT_DATE) input=FieldInput::Numeric
                on_blur=date_blur/>
            <Button submit=true disabled=Signal::derive(move || send.pending().get() || !interactive.get())>
                "Отправить на проверку"
            </Button>
        </form>
    }
}

/// The passport and СНИЛС check that makes an account standard.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait IdentityCheckService: Send + Sync {
    /// Starts the passport (МВД) and СНИЛС (СФР) check that makes a simplified account standard:
    /// the check and its job in one transaction. Refused with `Refusal::NothingToCheck` unless the
    /// account is simplified and no check is running.
    async fn request_identity_check(
        &self,
        account: &SignedInAccount,
        passport: Passport,
        issue_date: time::Date,
    ) -> Result<(), ServiceError>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 25);

    #[test]
    fn passport_and_date_are_checked_together() {
        let form = IdentityForm {
            passport: "4510 12345".into(),
            passport_date: "26.11.2026".into(),
        };
        let codes: Vec<_> = validate(&form, TODAY)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect();
        assert_eq!(
            codes,
            [
                ("passport".to_owned(), "passport.format".to_owned()),
                ("passport_date".to_owned(), "date.future".to_owned()),
            ]
        );
        let ok = IdentityForm {
            passport: "4510 123456".into(),
            passport_date: "20.05.2015".into(),
        };
        let (passport, issued) = validate(&ok, TODAY).unwrap();
        assert_eq!(passport.digits(), "4510123456");
        assert_eq!(issued, date!(2015 - 05 - 20));
    }

    #[test]
    fn problems_say_what_to_check() {
        use IdentityCheckStatus::*;
        assert!(problem_text(Failed, Some("passport_not_found")).starts_with("МВД не нашло"));
        assert!(
            problem_text(Failed, Some("passport_mismatch:last_name,issue_date"))
                .contains("фамилия, дата выдачи")
        );
        assert!(problem_text(Failed, Some("snils_not_found")).starts_with("СФР не подтвердил"));
        assert!(problem_text(RegistryUnavailable, None).starts_with("Ведомство не ответило"));
    }
}
