use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use super::address_section::AddressSection;
use super::contact_change::{self, ChangeEmail, ChangePhone};
use super::contacts_page::{SignInFirst, confirmation};
use super::identity::IdentitySection;
use super::password_field::NewPasswordFields;
use super::profile::{
    ChangePassword, ProfilePage as ProfileData, SignOutEverywhere, check_current_password, fields,
    load_profile, validate_password_change,
};
use super::reauth_gate::ReauthGate;
use super::registration::{check_email, check_password, check_password_repeat, check_phone};
use super::security_section::SecuritySection;
use super::session::SessionInfo;
use super::session::use_session;
use crate::api::ApiError;
use crate::child_account::linking::MinorLinksSection;
use crate::components::{
    Button, ButtonKind, ErrorSummary, Field, FieldInput, FormErrors, StatusChip, SummaryList,
    SummaryRow, Tone, focus_element, interactive,
};

/// «Профиль»: personal data, contacts, password, sessions.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let data = Resource::new(move || version.get(), |_| load_profile());
    let reload = Callback::new(move |_| version.update(|v| *v += 1));
    // Outside the reloaded part, so a contact being changed stays open across the reload that
    // follows re-authentication.
    let editing = RwSignal::new(None::<ContactKind>);
    view! {
        <Title text="Профиль — Госуслуги"/>
        <h1 id="page-title" tabindex="-1">"Профиль"</h1>
        <Suspense fallback=|| view! { <p>"Загружаем…"</p> }>
            // Keyed by the reload count: each reload mounts the sections afresh. Rebuilding them
            // in place left their inputs showing "undefined".
            <For
                each=move || data.get().map(|result| (version.get_untracked(), result))
                key=|(loaded, _)| *loaded
                children=move |(_, result)| match result {
                    Ok(data) => view! { <Profile data=data reload=reload editing=editing/> }.into_any(),
                    Err(ApiError::SignInRequired) => view! { <SignInFirst next="/profile"/> }.into_any(),
                    Err(other) => view! { <p class="error-text">{other.summary_message()}</p> }.into_any(),
                }
            />
        </Suspense>
    }
}

fn row(key: &'static str, value: String) -> SummaryRow {
    SummaryRow {
        key,
        value,
        status: None,
        change: None,
    }
}

#[component]
fn Profile(
    data: ProfileData,
    reload: Callback<()>,
    editing: RwSignal<Option<ContactKind>>,
) -> impl IntoView {
    let p = data.profile;
    let personal = vec![
        row("ФИО", p.full_name.clone()),
        row("Дата рождения", p.birth_date.clone()),
        row("СНИЛС", p.snils.clone()),
    ];
    let reauthenticated = p.reauthenticated;
    let edit = move |kind: ContactKind| {
        Callback::new(move |_| {
            editing.set(Some(kind));
            focus_element(kind.field());
        })
    };
    let contacts = vec![
        SummaryRow {
            status: Some(confirmation(p.email_confirmed)),
            change: Some(edit(ContactKind::Email)),
            ..row("Электронная почта", p.email.clone())
        },
        SummaryRow {
            status: Some(confirmation(p.phone_confirmed)),
            change: Some(edit(ContactKind::Phone)),
            ..row("Мобильный телефон", p.phone.clone())
        },
    ];
    let unconfirmed = !(p.email_confirmed && p.phone_confirmed);
    view! {
        <section aria-labelledby="level-title" class="card">
            <h2 id="level-title">{p.level.title()}</h2>
            <p>{level_explanation(p.level)}</p>
        </section>
        <IdentitySection level=p.level check=p.identity_check.clone() reload=reload/>
        {data.minor_links.clone().map(|links| view! { <MinorLinksSection links=links reload=reload/> })}
        {data.minor_links.is_some().then(|| view! {
            <p><a href=crate::access::services::SERVICES_PATH>"Мои сервисы"</a>
            " — справки, запись к врачу, заявления по настройкам родителя"</p>
            <p><a href=crate::diary::school::OWN_PATH>"Учебные данные"</a>
            " — оценки, посещаемость и комментарии учителей"</p>
            <p><a href=crate::activity::journal::OWN_PATH>"Журнал активности"</a>
            " — входы, сервисы и кто смотрел ваши данные"</p>
        })}
        <h2>"Личные данные"</h2>
        <SummaryList rows=personal/>
        <AddressSection current=p.registration_address.clone() reload=reload/>
        <h2>"Контакты"</h2>
        <SummaryList rows=contacts/>
        {move || editing.get().map(|kind| view! {
            <ContactChange kind=kind reauthenticated=reauthenticated reload=reload
                cancel=Callback::new(move |_| editing.set(None))/>
        })}
        {unconfirmed.then(|| view! { <p><a href="/account/contacts">"Подтвердить контакты"</a></p> })}
        <PasswordChange/>
        <SecuritySection factor=p.second_factor backup_codes_left=p.backup_codes_left
            phone_confirmed=p.phone_confirmed reload=reload/>
        <Sessions sessions=data.sessions/>
    }
}

fn level_explanation(level: super::AccountLevel) -> &'static str {
    use super::AccountLevel::*;
    match level {
        Simplified => {
            "Доступны справочные услуги. Чтобы добавить детей и подавать заявления, подтвердите личность: \
             проверка паспорта и СНИЛС повысит уровень до стандартного, подтверждение в центре обслуживания \
             или через банк — до подтверждённого"
        }
        Standard => {
            "Паспорт и СНИЛС проверены. Для услуг для семей с детьми подтвердите личность в центре \
             обслуживания или через банк"
        }
        Confirmed => "Доступны все услуги портала, в том числе для семей с детьми",
    }
}

/// Which contact the user is changing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ContactKind {
    Email,
    Phone,
}

impl ContactKind {
    fn field(self) -> &'static str {
        match self {
            ContactKind::Email => contact_change::fields::EMAIL,
            ContactKind::Phone => contact_change::fields::PHONE,
        }
    }
}

/// «Изменить» a contact: re-authentication first, then the new value.
#[component]
fn ContactChange(
    kind: ContactKind,
    reauthenticated: bool,
    reload: Callback<()>,
    cancel: Callback<()>,
) -> impl IntoView {
    let value = RwSignal::new(String::new());
    let form = FormErrors::new();
    let interactive = interactive();
    let email = ServerAction::<ChangeEmail>::new();
    let phone = ServerAction::<ChangePhone>::new();
    let field = kind.field();
    let value_blur = form.watch(field, value, move |v| match kind {
        ContactKind::Email => check_email(v).err(),
        ContactKind::Phone => check_phone(v).err(),
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let v = value.get_untracked();
        let checked = match kind {
            ContactKind::Email => check_email(&v).map(|_| ()),
            ContactKind::Phone => check_phone(&v).map(|_| ()),
        };
        match checked {
            Ok(()) => {
                form.clear();
                match kind {
                    ContactKind::Email => {
                        email.dispatch(ChangeEmail { email: v });
                    }
                    ContactKind::Phone => {
                        phone.dispatch(ChangePhone { phone: v });
                    }
                }
            }
            Err(found) => form.show(vec![found], None),
        }
    };
    Effect::new(
        move |_| match email.value().get().or_else(|| phone.value().get()) {
            Some(Ok(())) => reload.run(()),
            Some(Err(error)) => form.show_api_error(error),
            None => {}
        },
    );
    let (title, label, input, autocomplete, note) = match kind {
        ContactKind::Email => (
            "Новый адрес электронной почты",
            "Электронная почта",
            FieldInput::Email,
            "email",
            "На новый адрес придёт ссылка для подтверждения, на прежний — уведомление об изменении.",
        ),
        ContactKind::Phone => (
            "Новый номер телефона",
            "Мобильный телефон",
            FieldInput::Tel,
            "tel",
            "На новый номер придёт код подтверждения, на прежний — СМС об изменении.",
        ),
    };
    view! {
        <section class="card" aria-labelledby="contact-change-title">
            <h3 id="contact-change-title">{title}</h3>
            <ReauthGate reauthenticated=reauthenticated done=reload cancel=cancel>
                <p>{note}</p>
                <ErrorSummary errors=form.summary() message=form.message()/>
                <form novalidate on:submit=submit>
                    <Field id=field label=label value=value error=form.for_field(field) input=input
                        autocomplete=autocomplete on_blur=value_blur/>
                    <div class="button-group">
                        <Button submit=true disabled=Signal::derive(move || email.pending().get() || phone.pending().get() || !interactive.get())>
                            "Сохранить"
                        </Button>
                        <Button kind=ButtonKind::Secondary on_click=cancel>"Отменить"</Button>
                    </div>
                </form>
            </ReauthGate>
        </section>
    }
}

#[component]
fn PasswordChange() -> impl IntoView {
    let current = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let revealed = RwSignal::new(false);
    let form = FormErrors::new();
    let interactive = interactive();
    let change = ServerAction::<ChangePassword>::new();
    let current_blur = form.watch(fields::CURRENT_PASSWORD, current, |v| {
        check_current_password(v).err()
    });
    let password_blur = form.watch(fields::PASSWORD, password, |v| check_password(v).err());
    let repeat_blur = form.watch(fields::PASSWORD_REPEAT, repeat, move |v| {
        check_password_repeat(&password.get_untracked(), v).err()
    });
    let done = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(false);
        match validate_password_change(
            &current.get_untracked(),
            &password.get_untracked(),
            &repeat.get_untracked(),
        ) {
            Ok(_) => {
                form.clear();
                change.dispatch(ChangePassword {
                    current_password: current.get_untracked(),
                    password: password.get_untracked(),
                    password_repeat: repeat.get_untracked(),
                });
            }
            Err(found) => form.show(found, None),
        }
    };
    Effect::new(move |_| match change.value().get() {
        Some(Ok(())) => {
            for field in [current, password, repeat] {
                field.set(String::new());
            }
            done.set(true);
        }
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });
    view! {
        <h2 id="password-title">"Пароль"</h2>
        <p role="status">
            {move || done.get().then_some(
                "Пароль изменён. На других устройствах нужно будет войти заново; уведомление отправлено на почту и телефон.",
            )}
        </p>
        <ErrorSummary errors=form.summary() message=form.message()/>
        <form novalidate on:submit=submit aria-labelledby="password-title">
            <Field id=fields::CURRENT_PASSWORD label="Текущий пароль" value=current
                error=form.for_field(fields::CURRENT_PASSWORD) input=FieldInput::Password
                revealed=revealed autocomplete="current-password" on_blur=current_blur/>
            <NewPasswordFields legend="Новый пароль" revealed=revealed password=password repeat=repeat
                password_error=form.for_field(fields::PASSWORD)
                repeat_error=form.for_field(fields::PASSWORD_REPEAT)
                password_blur=password_blur repeat_blur=repeat_blur/>
            <Button submit=true disabled=Signal::derive(move || change.pending().get() || !interactive.get())>
                "Сменить пароль"
            </Button>
        </form>
    }
}

#[component]
fn Sessions(sessions: Vec<SessionInfo>) -> impl IntoView {
    let end_all = ServerAction::<SignOutEverywhere>::new();
    let session = use_session();
    let navigate = use_navigate();
    let interactive = interactive();
    Effect::new(move |_| {
        if let Some(Ok(())) = end_all.value().get() {
            session.refresh();
            navigate("/sign-in", Default::default());
        }
    });
    view! {
        <h2>"Сеансы"</h2>
        <p>"Устройства, на которых выполнен вход. Если среди них есть незнакомое, выйдите на всех устройствах и смените пароль."</p>
        <ul class="sessions">
            {sessions.into_iter().map(|s| view! {
                <li class="card sessions__item">
                    <strong>{s.device}</strong>
                    {s.current.then(|| view! { " " <StatusChip tone=Tone::Info text="Это устройство"/> })}
                    <br/>
                    <span class="hint">{format!("Вход: {} · Последняя активность: {}", s.started_at, s.last_seen_at)}</span>
                </li>
            }).collect_view()}
        </ul>
        <Button kind=ButtonKind::Secondary
            disabled=Signal::derive(move || end_all.pending().get() || !interactive.get())
            on_click=Callback::new(move |_| { end_all.dispatch(SignOutEverywhere {}); })>
            "Выйти на всех устройствах"
        </Button>
    }
}
