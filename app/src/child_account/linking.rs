//! «Привязать»: a parent links a child's account that exists already — a teen's own, or one the
//! other parent created — with a link code. The parent enters the child's e-mail and gets a
//! code with its expiry (it is also sent to the child); the child enters it after signing in
//! («Профиль»). Both parents can link; the first is told when the second does.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::{ApiError, FieldError};
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount, request, service};
use crate::components::{
    Button, Checkbox, ErrorSummary, Field, FieldInput, FormErrors, interactive,
};
#[cfg(feature = "ssr")]
use crate::domain::Email;

pub mod fields {
    pub const EMAIL: &str = "link_email";
    pub const OWNERSHIP: &str = "link_ownership";
    pub const CODE: &str = "link_code";
}

/// Characters of a link code: no 0/O, 1/I/L that are easy to mistype.
pub const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
pub const CODE_LENGTH: usize = 8;

/// What the parent sees after «Продолжить».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedLinkCode {
    /// «K7M4-Q2XP».
    pub code: String,
    /// «01.12.2026 23:40» (Moscow time).
    pub valid_until: String,
}

/// A parent the minor's account is linked to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedParent {
    pub name: String,
    pub since: String,
}

/// The minor's side: a code waiting to be entered, and the parents linked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinorLinks {
    /// Until when the newest open code works, if one does.
    pub code_valid_until: Option<String>,
    pub parents: Vec<LinkedParent>,
}

/// «K7M4Q2XP», «k7m4-q2xp», «K7M4 Q2XP» all read the same.
pub fn normalize_code(input: &str) -> Result<String, FieldError> {
    let code: String = input
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if code.is_empty() {
        return Err(FieldError::new(
            fields::CODE,
            "link_code.empty",
            "Введите код привязки",
        ));
    }
    if code.len() != CODE_LENGTH || !code.bytes().all(|b| CODE_ALPHABET.contains(&b)) {
        return Err(FieldError::new(
            fields::CODE,
            "link_code.format",
            "Код привязки — 8 латинских букв и цифр, например K7M4-Q2XP. Скопируйте его целиком",
        ));
    }
    Ok(code)
}

/// «K7M4-Q2XP».
pub fn format_code(code: &str) -> String {
    if code.len() == CODE_LENGTH {
        format!("{}-{}", &code[..4], &code[4..])
    } else {
        code.to_owned()
    }
}

pub fn check_ownership(confirmed: bool) -> Result<(), FieldError> {
    if confirmed {
        Ok(())
    } else {
        Err(FieldError::new(
            fields::OWNERSHIP,
            "link_ownership.missing",
            "Подтвердите, что учётная запись принадлежит вашему ребёнку",
        ))
    }
}

/// The child's e-mail, refused at this form's field.
pub fn check_link_email(input: &str) -> Result<crate::domain::Email, FieldError> {
    crate::account::registration::check_email(input)
        .map_err(|e| super::wizard::at(fields::EMAIL, e))
}

pub fn validate_link_request(
    email: &str,
    ownership: bool,
) -> Result<crate::domain::Email, Vec<FieldError>> {
    let email = check_link_email(email);
    match (email, check_ownership(ownership)) {
        (Ok(email), Ok(())) => Ok(email),
        (a, b) => Err([a.err(), b.err()].into_iter().flatten().collect()),
    }
}

/// «Продолжить» after the child's e-mail: issues a link code for the child's account.
#[server(prefix = "/api", endpoint = "linking/issue-code")]
pub async fn issue_link_code(
    child_id: i64,
    email: String,
    ownership: bool,
) -> Result<IssuedLinkCode, ApiError> {
    let parent = request::require_confirmed_account().await?;
    let email = validate_link_request(&email, ownership).map_err(ApiError::Invalid)?;
    service::<dyn LinkCodeService>()?
        .issue_link_code(&parent, child_id, email)
        .await
        .map_err(ApiError::from)
}

/// «Привязать» on the child's side.
#[server(prefix = "/api", endpoint = "linking/use-code")]
pub async fn use_link_code(code: String) -> Result<(), ApiError> {
    use crate::api::{request, service};
    let minor = request::require_account().await?;
    let code = normalize_code(&code).map_err(|e| ApiError::Invalid(vec![e]))?;
    service::<dyn LinkCodeService>()?
        .use_link_code(&minor, &code)
        .await
        .map_err(ApiError::from)
}

/// The signed-in minor's links; `None` for an adult's account.
#[server(prefix = "/api", endpoint = "linking/status")]
pub async fn load_minor_links() -> Result<Option<MinorLinks>, ApiError> {
    use crate::api::{request, service};
    let account = request::require_account().await?;
    service::<dyn LinkCodeService>()?
        .minor_links(&account)
        .await
        .map_err(ApiError::from)
}

/// Whether a parent's link code waits for the signed-in minor. Sign-in asks only this: reading the
/// whole [`MinorLinks`] there put their reader in the first page's bundle.
#[server(prefix = "/api", endpoint = "linking/code-waits")]
pub async fn link_code_waits() -> Result<bool, ApiError> {
    let links = load_minor_links().await?;
    Ok(links.is_some_and(|links| links.code_valid_until.is_some()))
}

/// The parent's «Привязать» on the child's card.
#[component]
pub fn LinkChildForm(child_id: i64) -> impl IntoView {
    let open = RwSignal::new(false);
    let email = RwSignal::new(String::new());
    let ownership = RwSignal::new(false);
    let form = FormErrors::new();
    let ready = interactive();
    let issue = ServerAction::<IssueLinkCode>::new();
    let issued = RwSignal::new(None::<IssuedLinkCode>);
    Effect::new(move |_| match issue.value().get() {
        Some(Ok(code)) => {
            form.clear();
            issued.set(Some(code));
        }
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });
    let email_blur = form.watch(fields::EMAIL, email, |v| check_link_email(v).err());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match validate_link_request(&email.get_untracked(), ownership.get_untracked()) {
            Ok(_) => {
                issue.dispatch(IssueLinkCode {
                    child_id,
                    email: email.get_untracked(),
                    ownership: true,
                });
            }
            Err(found) => form.show(found, None),
        }
    };
    view! {
        {move || match (open.get(), issued.get()) {
            (false, _) => view! {
                <Button disabled=Signal::derive(move || !ready.get()) on_click=Callback::new(move |_| open.set(true))>"Привязать"</Button>
            }.into_any(),
            (true, Some(code)) => view! {
                <div class="notice notice--success" role="status">
                    <p>"Код привязки"</p>
                    <p class="link-code"><strong>{code.code.clone()}</strong></p>
                    <p>{format!("Действует до {} (московское время). Мы отправили его на почту ребёнка. Ребёнок вводит код после входа в свою учётную запись — в разделе «Профиль». Если не успеете, запросите код заново.", code.valid_until)}</p>
                </div>
            }.into_any(),
            (true, None) => view! {
                <ErrorSummary errors=form.summary() message=form.message()/>
                <form novalidate on:submit=submit>
                    <Field id=fields::EMAIL label="Электронная почта ребёнка"
                        hint="На которую зарегистрирована его учётная запись" value=email
                        error=form.for_field(fields::EMAIL) input=FieldInput::Email on_blur=email_blur/>
                    <Checkbox id=fields::OWNERSHIP checked=ownership error=form.for_field(fields::OWNERSHIP)>
                        "Подтверждаю, что учётная запись принадлежит моему ребёнку"
                    </Checkbox>
                    <Button submit=true disabled=Signal::derive(move || issue.pending().get() || !ready.get())>"Продолжить"</Button>
                </form>
            }.into_any(),
        }}
    }
}

/// The minor's «Профиль»: the code field while a code waits, and the parents linked. The data
/// comes with the profile (one resource for the page); `reload` fetches it again.
#[component]
pub fn MinorLinksSection(links: MinorLinks, reload: Callback<()>) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let form = FormErrors::new();
    let ready = interactive();
    let link = ServerAction::<UseLinkCode>::new();
    Effect::new(move |_| match link.value().get() {
        Some(Ok(())) => {
            form.clear();
            code.set(String::new());
            reload.run(());
        }
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match normalize_code(&code.get_untracked()) {
            Ok(_) => {
                link.dispatch(UseLinkCode {
                    code: code.get_untracked(),
                });
            }
            Err(e) => form.show(vec![e], None),
        }
    };
    let linked = !links.parents.is_empty() && links.code_valid_until.is_none();
    view! {
        <section class="card" id="link" aria-labelledby="links-title">
            <h2 id="links-title">"Родители"</h2>
            {links.code_valid_until.clone().map(|until| view! {
                <p>{format!("Родитель отправил код привязки. Введите его, чтобы привязать свою учётную запись к учётной записи родителя. Код действует до {until}.")}</p>
                <ErrorSummary errors=form.summary() message=form.message()/>
                <form novalidate on:submit=submit>
                    <Field id=fields::CODE label="Код привязки" hint="Например K7M4-Q2XP"
                        value=code error=form.for_field(fields::CODE) autocomplete="one-time-code"/>
                    <Button submit=true disabled=Signal::derive(move || link.pending().get() || !ready.get())>"Привязать"</Button>
                </form>
            })}
            {if links.parents.is_empty() {
                view! { <p>"Ваша учётная запись пока не привязана к учётной записи родителя."</p> }.into_any()
            } else {
                view! {
                    {linked.then(|| view! { <p class="notice notice--success" role="status">"Учётная запись привязана к учётной записи родителя"</p> })}
                    <p>"Вашей учётной записью могут управлять:"</p>
                    <ul>
                        {links.parents.into_iter().map(|p| view! {
                            <li>{format!("{} — с {}", p.name, p.since)}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// «Привязать»: linking a child's existing account with a one-time code.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait LinkCodeService: Send + Sync {
    /// «Привязать»: a link code for the child's existing account, found by its e-mail and matching
    /// the card's name and birth date.
    async fn issue_link_code(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        email: Email,
    ) -> Result<IssuedLinkCode, ServiceError>;

    /// The child enters the code: links the account to the parent who issued it.
    async fn use_link_code(&self, minor: &SignedInAccount, code: &str) -> Result<(), ServiceError>;

    /// The minor's open code and linked parents; `None` for an adult.
    async fn minor_links(
        &self,
        account: &SignedInAccount,
    ) -> Result<Option<MinorLinks>, ServiceError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_the_same_however_typed() {
        assert_eq!(normalize_code("k7m4-q2xp").unwrap(), "K7M4Q2XP");
        assert_eq!(normalize_code(" K7M4 Q2XP ").unwrap(), "K7M4Q2XP");
        assert_eq!(normalize_code("").unwrap_err().code, "link_code.empty");
        // 0 and O are not in the alphabet: a mistyped code is refused before it is counted.
        assert_eq!(
            normalize_code("K7M4-Q2X0").unwrap_err().code,
            "link_code.format"
        );
        assert_eq!(normalize_code("K7M4").unwrap_err().code, "link_code.format");
        assert_eq!(format_code("K7M4Q2XP"), "K7M4-Q2XP");
    }

    #[test]
    fn linking_needs_the_ownership_confirmed() {
        let errors = validate_link_request("petya@", false).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, [fields::EMAIL, fields::OWNERSHIP]);
    }
}
