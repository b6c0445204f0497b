//! «Настроить профиль» of a child's account (`/documents/family/children/:id/account/settings`),
//! for a linked parent: «Сменить пароль» (the child is told and signed out everywhere), add or
//! change the phone (SMS code), change the e-mail (link), «Удалить учётную запись». Every change
//! needs the parent's fresh re-authentication.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};
use serde::{Deserialize, Serialize};

use super::password_form::ChildPasswordForm;
use super::wizard::{check_child_email, check_child_phone, fields};
use crate::account::reauth_gate::ReauthGate;
use crate::account::sms_code_form::SmsCodeForm;
use crate::api::ApiError;
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount, request, service};
use crate::components::{
    Button, ButtonKind, ErrorSummary, Field, FieldInput, FormErrors, interactive,
};
#[cfg(feature = "ssr")]
use crate::domain::{Email, Password, Phone};

/// The child's account as its settings page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildAccountSettings {
    pub child_id: i64,
    pub child_name: String,
    pub email: String,
    pub email_confirmed: bool,
    /// «+7 912 345-67-89», empty when there is none.
    pub phone: String,
    pub phone_confirmed: bool,
    /// The parent re-authenticated within the last minutes: changes go ahead.
    pub reauthenticated: bool,
}

/// What «Удалить учётную запись» removes, said before it is done.
pub const DELETION_STATEMENT: &str = "Будут удалены учётная запись ребёнка, её вход по почте и \
    телефону, все сеансы, уведомления и согласия на передачу персональных данных. Ребёнок больше \
    не сможет войти. Карточка ребёнка со свидетельством о рождении и СНИЛС в разделе «Семья и \
    дети» останется — при необходимости учётную запись можно создать заново.";

#[server(prefix = "/api", endpoint = "child-account/settings")]
pub async fn load_settings(child_id: i64) -> Result<ChildAccountSettings, ApiError> {
    let parent = request::require_confirmed_account().await?;
    service::<dyn ChildAccountSettingsService>()?
        .settings(&parent, child_id)
        .await
        .map_err(ApiError::from)
}

#[server(prefix = "/api", endpoint = "child-account/password")]
pub async fn change_child_password(
    child_id: i64,
    password: String,
    password_repeat: String,
) -> Result<(), ApiError> {
    let parent = request::require_confirmed_account().await?;
    let password =
        super::wizard::validate_password(&password, &password_repeat).map_err(ApiError::Invalid)?;
    service::<dyn ChildAccountSettingsService>()?
        .change_password(&parent, child_id, password)
        .await
        .map_err(ApiError::from)
}

/// A new phone for the child: waits for its SMS code.
#[server(prefix = "/api", endpoint = "child-account/settings-phone")]
pub async fn change_child_phone(child_id: i64, phone: String) -> Result<(), ApiError> {
    let parent = request::require_confirmed_account().await?;
    let phone = check_child_phone(&phone).map_err(|e| ApiError::Invalid(vec![e]))?;
    service::<dyn ChildAccountSettingsService>()?
        .change_phone(&parent, child_id, phone)
        .await
        .map_err(ApiError::from)
}

#[server(prefix = "/api", endpoint = "child-account/settings-phone-confirm")]
pub async fn confirm_child_phone(child_id: i64, code: String) -> Result<(), ApiError> {
    let parent = request::require_confirmed_account().await?;
    let code =
        crate::account::contacts::check_code(&code).map_err(|e| ApiError::Invalid(vec![e]))?;
    service::<dyn ChildAccountSettingsService>()?
        .confirm_changed_phone(&parent, child_id, &code)
        .await
        .map_err(ApiError::from)
}

/// A new e-mail for the child: the link goes to the new address.
#[server(prefix = "/api", endpoint = "child-account/settings-email")]
pub async fn change_child_email(child_id: i64, email: String) -> Result<(), ApiError> {
    let parent = request::require_confirmed_account().await?;
    let email = check_child_email(&email).map_err(|e| ApiError::Invalid(vec![e]))?;
    service::<dyn ChildAccountSettingsService>()?
        .change_email_address(&parent, child_id, email)
        .await
        .map_err(ApiError::from)
}

#[server(prefix = "/api", endpoint = "child-account/delete")]
pub async fn delete_child_account(child_id: i64) -> Result<(), ApiError> {
    let parent = request::require_confirmed_account().await?;
    service::<dyn ChildAccountSettingsService>()?
        .delete_account(&parent, child_id)
        .await
        .map_err(ApiError::from)
}

#[component]
pub fn ChildAccountSettingsPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let version = RwSignal::new(0u32);
    let settings = Resource::new(
        move || (id(), version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => load_settings(id).await,
                None => Err(ApiError::Refused(crate::api::Refusal::NotFound)),
            }
        },
    );
    let reload = Callback::new(move |_| version.update(|v| *v += 1));
    view! {
        <Title text="Настроить профиль ребёнка — Госуслуги"/>
        <Suspense fallback=|| view! { <p>"Загружаем…"</p> }>
            // Keyed by the reload count, as «Профиль»: a reload mounts the forms afresh.
            <For
                each=move || settings.get().map(|result| (version.get_untracked(), result))
                key=|(loaded, _)| *loaded
                children=move |(_, result)| match result {
                    Ok(s) => view! { <Settings settings=s reload=reload/> }.into_any(),
                    Err(e) => view! {
                        <h1 id="page-title" tabindex="-1">"Настроить профиль"</h1>
                        <p class="error-text" role="alert">{e.summary_message()}</p>
                    }.into_any(),
                }
            />
        </Suspense>
    }
}

#[component]
fn Settings(settings: ChildAccountSettings, reload: Callback<()>) -> impl IntoView {
    let child_id = settings.child_id;
    let back = format!("/documents/family/children/{child_id}");
    let cancel = {
        let back = back.clone();
        let navigate = use_navigate();
        Callback::new(move |_| navigate(&back, Default::default()))
    };
    let s = settings.clone();
    view! {
        <p class="breadcrumbs"><a href=back.clone()>"< Назад"</a></p>
        <h1 id="page-title" tabindex="-1">"Настроить профиль"</h1>
        <p class="lead">{format!("Учётная запись ребёнка: {}", settings.child_name)}</p>
        <ReauthGate reauthenticated=settings.reauthenticated done=reload cancel=cancel>
            <PasswordSection child_id=child_id/>
            <PhoneSection child_id=child_id current=s.phone.clone() confirmed=s.phone_confirmed reload=reload/>
            <EmailSection child_id=child_id current=s.email.clone() confirmed=s.email_confirmed reload=reload/>
            <DeleteSection child_id=child_id/>
        </ReauthGate>
    }
}

#[component]
fn PasswordSection(child_id: i64) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let form = FormErrors::new();
    let change = ServerAction::<ChangeChildPassword>::new();
    let done = RwSignal::new(false);
    Effect::new(move |_| match change.value().get() {
        Some(Ok(())) => {
            form.clear();
            password.set(String::new());
            repeat.set(String::new());
            done.set(true);
        }
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });
    let submit = Callback::new(move |_| {
        change.dispatch(ChangeChildPassword {
            child_id,
            password: password.get_untracked(),
            password_repeat: repeat.get_untracked(),
        });
    });
    view! {
        <section class="card" aria-labelledby="child-password-title">
            <h2 id="child-password-title">"Сменить пароль"</h2>
            <Show when=move || done.get()>
                <p class="notice notice--success" role="status">"Пароль изменён. Ребёнок вышел на всех устройствах и получил уведомление."</p>
            </Show>
            <ChildPasswordForm legend="Новый пароль ребёнка" password=password repeat=repeat
                form=form pending=change.pending() submit=submit/>
        </section>
    }
}

#[component]
fn PhoneSection(
    child_id: i64,
    current: String,
    confirmed: bool,
    reload: Callback<()>,
) -> impl IntoView {
    let phone = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let form = FormErrors::new();
    let ready = interactive();
    let send = ServerAction::<ChangeChildPhone>::new();
    let confirm = ServerAction::<ConfirmChildPhone>::new();
    let waiting = !current.is_empty() && !confirmed;
    Effect::new(move |_| match send.value().get() {
        Some(Ok(())) => reload.run(()),
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });
    Effect::new(move |_| match confirm.value().get() {
        Some(Ok(())) => reload.run(()),
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });
    let send_code = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match check_child_phone(&phone.get_untracked()) {
            Ok(_) => {
                send.dispatch(ChangeChildPhone {
                    child_id,
                    phone: phone.get_untracked(),
                });
            }
            Err(e) => form.show(vec![e], None),
        }
    };
    let on_code = Callback::new(move |code| {
        confirm.dispatch(ConfirmChildPhone { child_id, code });
    });
    let status = if current.is_empty() {
        "Телефон не указан".to_owned()
    } else if confirmed {
        format!("{current} — подтверждён")
    } else {
        format!("{current} — ждёт код из СМС")
    };
    view! {
        <section class="card" aria-labelledby="child-phone-title">
            <h2 id="child-phone-title">{if current.is_empty() { "Добавить телефон" } else { "Телефон" }}</h2>
            <p>{status}</p>
            <ErrorSummary errors=form.summary() message=form.message()/>
            {waiting.then(|| view! {
                <SmsCodeForm code=code form=form on_code=on_code
                    busy=Signal::derive(move || confirm.pending().get() || !ready.get())/>
            })}
            <form novalidate on:submit=send_code>
                <Field id=fields::PHONE label="Новый номер телефона ребёнка" hint="Например +7 912 345-67-89"
                    value=phone error=form.for_field(fields::PHONE) input=FieldInput::Tel/>
                <Button submit=true kind=ButtonKind::Secondary disabled=Signal::derive(move || send.pending().get() || !ready.get())>"Получить код"</Button>
            </form>
        </section>
    }
}

#[component]
fn EmailSection(
    child_id: i64,
    current: String,
    confirmed: bool,
    reload: Callback<()>,
) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let form = FormErrors::new();
    let ready = interactive();
    let change = ServerAction::<ChangeChildEmail>::new();
    Effect::new(move |_| match change.value().get() {
        Some(Ok(())) => reload.run(()),
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match check_child_email(&email.get_untracked()) {
            Ok(_) => {
                change.dispatch(ChangeChildEmail {
                    child_id,
                    email: email.get_untracked(),
                });
            }
            Err(e) => form.show(vec![e], None),
        }
    };
    let status = if confirmed {
        format!("{current} — подтверждена")
    } else {
        format!("{current} — ждёт подтверждения по ссылке из письма")
    };
    view! {
        <section class="card" aria-labelledby="child-email-title">
            <h2 id="child-email-title">"Изменить электронную почту"</h2>
            <p>{status}</p>
            <ErrorSummary errors=form.summary() message=form.message()/>
            <form novalidate on:submit=submit>
                <Field id=fields::EMAIL label="Новая электронная почта ребёнка"
                    hint="На неё придёт ссылка для подтверждения" value=email
                    error=form.for_field(fields::EMAIL) input=FieldInput::Email/>
                <Button submit=true kind=ButtonKind::Secondary disabled=Signal::derive(move || change.pending().get() || !ready.get())>"Сохранить"</Button>
            </form>
        </section>
    }
}

#[component]
fn DeleteSection(child_id: i64) -> impl IntoView {
    let asked = RwSignal::new(false);
    let delete = ServerAction::<DeleteChildAccount>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            navigate(
                &format!("/documents/family/children/{child_id}"),
                Default::default(),
            );
        }
    });
    view! {
        <section class="card" aria-labelledby="child-delete-title">
            <h2 id="child-delete-title">"Удалить учётную запись"</h2>
            <p>{DELETION_STATEMENT}</p>
            {move || delete.value().get().and_then(|r| r.err()).map(|e| view! {
                <p class="error-text" role="alert">{e.summary_message()}</p>
            })}
            <Show when=move || !asked.get() fallback=move || view! {
                <p class="notice" role="alert">"Удалить учётную запись ребёнка без возможности восстановления?"</p>
                <div class="button-group">
                    <Button disabled=Signal::derive(move || delete.pending().get())
                        on_click=Callback::new(move |_| { delete.dispatch(DeleteChildAccount { child_id }); })>"Да, удалить учётную запись"</Button>
                    <Button kind=ButtonKind::Secondary on_click=Callback::new(move |_| asked.set(false))>"Не удалять"</Button>
                </div>
            }>
                <Button kind=ButtonKind::Secondary on_click=Callback::new(move |_| asked.set(true))>"Удалить учётную запись"</Button>
            </Show>
        </section>
    }
}

/// «Настроить профиль» of a child's account. Every method names the parent.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ChildAccountSettingsService: Send + Sync {
    /// «Настроить профиль» of the child's account: what it shows. The changes below need the
    /// parent's recent re-authentication and a live link to the child's account.
    async fn settings(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
    ) -> Result<ChildAccountSettings, ServiceError>;

    /// Ends every session of the child and tells the child.
    async fn change_password(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        password: Password,
    ) -> Result<(), ServiceError>;

    async fn change_phone(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        phone: Phone,
    ) -> Result<(), ServiceError>;

    async fn confirm_changed_phone(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        code: &str,
    ) -> Result<(), ServiceError>;

    async fn change_email_address(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        email: Email,
    ) -> Result<(), ServiceError>;

    async fn delete_account(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
    ) -> Result<(), ServiceError>;
}
