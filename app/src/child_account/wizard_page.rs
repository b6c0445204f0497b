//! «Создание учётной записи ребёнка» (`/documents/family/children/:id/account`): one page whose
//! step comes from the server's draft, so a reload or a later visit lands on the step the
//! parent left.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::password_form::ChildPasswordForm;
use super::wizard::{
    AddressForm, CancelWizard, ChangeEmail, ConfirmPhone, CreateAccount, SaveAddress,
    SendEmailLink, SendPhoneCode, SkipPhone, WizardStep, WizardView, check_birth_place,
    check_child_email, check_child_phone, fields, open_wizard, validate_address,
    validate_email_step,
};
use crate::account::sms_code_form::SmsCodeForm;
use crate::api::ApiError;
use crate::components::{
    Button, ButtonKind, ButtonLink, Checkbox, ConfirmationPanel, ErrorSummary, Field, FieldInput,
    FormErrors, StepIndicator, interactive,
};

const STEPS: [&str; 4] = ["Адрес", "Телефон", "Электронная почта", "Пароль"];

#[component]
pub fn ChildAccountWizardPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let wizard = Resource::new(id, |id| async move {
        match id {
            Some(id) => open_wizard(id).await,
            None => Err(ApiError::Refused(crate::api::Refusal::NotFound)),
        }
    });
    view! {
        <Title text="Создание учётной записи ребёнка — Госуслуги"/>
        <p class="breadcrumbs"><a href="/documents/family">"Семья и дети"</a>" → Учётная запись ребёнка"</p>
        <Suspense fallback=|| view! { <p>"Загружаем…"</p> }>
            {move || wizard.get().map(|result| match result {
                Ok(view) => view! { <Wizard initial=view/> }.into_any(),
                Err(e) => view! {
                    <h1 id="page-title" tabindex="-1">"Создание учётной записи ребёнка"</h1>
                    <p class="error-text" role="alert">{e.summary_message()}</p>
                    <p><a href="/documents/family">"Вернуться в «Семья и дети»"</a></p>
                }.into_any(),
            })}
        </Suspense>
    }
}

/// The wizard's state on the page: the server's answer after each step, or done.
#[derive(Clone)]
enum Shown {
    Step(WizardView),
    Created,
}

#[component]
fn Wizard(initial: WizardView) -> impl IntoView {
    let child_id = initial.child_id;
    let shown = RwSignal::new(Shown::Step(initial));
    let next = Callback::new(move |view: WizardView| shown.set(Shown::Step(view)));
    let created = Callback::new(move |_| shown.set(Shown::Created));
    let cancel = ServerAction::<CancelWizard>::new();
    let ready = interactive();
    Effect::new(move |_| {
        if let Some(Ok(())) = cancel.value().get() {
            let navigate = leptos_router::hooks::use_navigate();
            navigate(
                &format!("/documents/family/children/{child_id}"),
                Default::default(),
            );
        }
    });
    // Move focus to the new step's heading so screen readers announce it.
    Effect::new(move |_| {
        shown.track();
        crate::components::focus_element("page-title");
    });
    view! {
        {move || match shown.get() {
            Shown::Created => view! {
                <ConfirmationPanel title="Учётная запись ребёнка создана"/>
                <p>"Для входа используйте номер телефона или адрес электронной почты, указанные при регистрации."</p>
                <p>
                    "Первый вход ребёнка станет возможен, когда вы дадите согласие на передачу его персональных данных. "
                    "Запрос согласия — в карточке ребёнка."
                </p>
                <div class="button-group">
                    <ButtonLink href=format!("/documents/family/children/{child_id}")>"Перейти к согласию"</ButtonLink>
                    <ButtonLink href="/" kind=ButtonKind::Secondary>"На главную"</ButtonLink>
                </div>
            }.into_any(),
            Shown::Step(view) => {
                let step = view.step;
                view! {
                    <h1 id="page-title" tabindex="-1">"Создание учётной записи ребёнка"</h1>
                    <StepIndicator steps=STEPS.to_vec() current=Signal::derive(move || step.number() - 1)/>
                    {match step {
                        WizardStep::Address => view! { <AddressStep view=view next=next/> }.into_any(),
                        WizardStep::Phone => view! { <PhoneStep view=view next=next/> }.into_any(),
                        WizardStep::Email => view! { <EmailStep view=view next=next/> }.into_any(),
                        WizardStep::EmailSent => view! { <EmailSentStep view=view next=next/> }.into_any(),
                        WizardStep::Password => view! { <PasswordStep view=view created=created/> }.into_any(),
                    }}
                }.into_any()
            }
        }}
        <Show when=move || matches!(shown.get(), Shown::Step(_))>
            <p class="wizard-cancel">
                <Button kind=ButtonKind::Secondary disabled=Signal::derive(move || cancel.pending().get() || !ready.get())
                    on_click=Callback::new(move |_| { cancel.dispatch(CancelWizard { child_id }); })>
                    "Отменить создание"
                </Button>
            </p>
        </Show>
    }
}

/// Runs a step's server action and hands a success on, or shows the refusal at the fields.
fn after_step<A>(action: ServerAction<A>, form: FormErrors, next: Callback<WizardView>)
where
    A: leptos::server_fn::ServerFn<Output = WizardView, Error = ApiError>
        + Clone
        + Send
        + Sync
        + 'static,
    A::Output: Send + Sync,
{
    Effect::new(move |_| match action.value().get() {
        Some(Ok(view)) => {
            form.clear();
            next.run(view);
        }
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });
}

#[component]
fn AddressStep(view: WizardView, next: Callback<WizardView>) -> impl IntoView {
    let child_id = view.child_id;
    let citizenship = RwSignal::new(true);
    let birth_place = RwSignal::new(view.birth_place.clone());
    let address = RwSignal::new(view.registration_address.clone());
    let same = RwSignal::new(false);
    let parent_address = view.parent_address.clone();
    let form = FormErrors::new();
    let ready = interactive();
    let save = ServerAction::<SaveAddress>::new();
    after_step(save, form, next);
    let birth_place_blur = form.watch(fields::BIRTH_PLACE, birth_place, |v| {
        check_birth_place(v).err()
    });
    let typed = move || AddressForm {
        citizenship_russia: citizenship.get_untracked(),
        birth_place: birth_place.get_untracked(),
        registration_address: address.get_untracked(),
        same_as_parent: same.get_untracked(),
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form_now = typed();
        match validate_address(&form_now) {
            Ok(_) => {
                save.dispatch(SaveAddress {
                    child_id,
                    form: form_now,
                });
            }
            Err(found) => form.show(found, None),
        }
    };
    view! {
        <h2>"Добавьте адрес"</h2>
        <ErrorSummary errors=form.summary() message=form.message()/>
        <form novalidate on:submit=submit>
            <fieldset class="fieldset">
                <legend class="fieldset__legend">"Гражданство"</legend>
                <Checkbox id=fields::CITIZENSHIP checked=citizenship error=form.for_field(fields::CITIZENSHIP)>"Россия"</Checkbox>
                <p class="field__hint">"Для создания учётной записи ребёнок должен иметь российское гражданство"</p>
            </fieldset>
            <Field id=fields::BIRTH_PLACE label="Место рождения" hint="Как в свидетельстве о рождении, например г. Москва"
                value=birth_place error=form.for_field(fields::BIRTH_PLACE) on_blur=birth_place_blur/>
            <Show when=move || !same.get()>
                <Field id=fields::ADDRESS label="Адрес постоянной регистрации"
                    hint="Регион, город, улица, дом, квартира" value=address
                    error=form.for_field(fields::ADDRESS)/>
            </Show>
            {parent_address.map(|parent| view! {
                <Checkbox id=fields::SAME_ADDRESS checked=same error=form.for_field(fields::SAME_ADDRESS)>
                    "Совпадает с вашим адресом постоянной регистрации"
                </Checkbox>
                <Show when=move || same.get()>
                    <p class="hint">{parent.clone()}</p>
                </Show>
            })}
            <Button submit=true disabled=Signal::derive(move || save.pending().get() || !ready.get())>"Продолжить"</Button>
        </form>
    }
}

#[component]
fn PhoneStep(view: WizardView, next: Callback<WizardView>) -> impl IntoView {
    let child_id = view.child_id;
    let phone = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let form = FormErrors::new();
    let ready = interactive();
    let send = ServerAction::<SendPhoneCode>::new();
    let confirm = ServerAction::<ConfirmPhone>::new();
    let skip = ServerAction::<SkipPhone>::new();
    after_step(send, form, next);
    after_step(confirm, form, next);
    after_step(skip, form, next);
    let busy = Signal::derive(move || {
        send.pending().get() || confirm.pending().get() || skip.pending().get() || !ready.get()
    });
    let phone_blur = form.watch(fields::PHONE, phone, |v| check_child_phone(v).err());
    let send_code = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match check_child_phone(&phone.get_untracked()) {
            Ok(_) => {
                send.dispatch(SendPhoneCode {
                    child_id,
                    phone: phone.get_untracked(),
                });
            }
            Err(e) => form.show(vec![e], None),
        }
    };
    let on_code = Callback::new(move |code| {
        confirm.dispatch(ConfirmPhone { child_id, code });
    });
    let skip_button = move || {
        view! {
            <Button kind=ButtonKind::Secondary disabled=busy
                on_click=Callback::new(move |_| { skip.dispatch(SkipPhone { child_id }); })>"Пропустить"</Button>
        }
    };
    let body = match view.phone_code_sent_to.clone() {
        None => view! {
            <form novalidate on:submit=send_code>
                <Field id=fields::PHONE label="Номер телефона" hint="Например +7 912 345-67-89"
                    value=phone error=form.for_field(fields::PHONE) input=FieldInput::Tel on_blur=phone_blur/>
                <details class="details">
                    <summary class="details__summary">"Зачем указывать телефон"</summary>
                    <p>"Телефон можно использовать для входа на Госуслуги и для восстановления пароля."</p>
                </details>
                <div class="button-group">
                    <Button submit=true disabled=busy>"Получить код"</Button>
                    {skip_button()}
                </div>
            </form>
        }
        .into_any(),
        Some(sent_to) => view! {
            <p>"Код отправлен на номер " <strong>{sent_to}</strong></p>
            <SmsCodeForm code=code form=form busy=busy on_code=on_code>
                <Button kind=ButtonKind::Secondary disabled=busy
                    on_click=Callback::new(move |_| { skip.dispatch(SkipPhone { child_id }); })>"Изменить номер или пропустить"</Button>
            </SmsCodeForm>
        }
        .into_any(),
    };
    view! {
        <h2>"Добавьте номер телефона — при наличии"</h2>
        <p>"Номер ребёнка должен отличаться от номера родителей и не должен использоваться в другой учётной записи на Госуслугах"</p>
        <ErrorSummary errors=form.summary() message=form.message()/>
        {body}
    }
}

#[component]
fn EmailStep(view: WizardView, next: Callback<WizardView>) -> impl IntoView {
    let child_id = view.child_id;
    let email = RwSignal::new(String::new());
    let consent = RwSignal::new(false);
    let form = FormErrors::new();
    let ready = interactive();
    let send = ServerAction::<SendEmailLink>::new();
    after_step(send, form, next);
    let email_blur = form.watch(fields::EMAIL, email, |v| check_child_email(v).err());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match validate_email_step(&email.get_untracked(), consent.get_untracked()) {
            Ok(_) => {
                send.dispatch(SendEmailLink {
                    child_id,
                    email: email.get_untracked(),
                    consent: true,
                });
            }
            Err(found) => form.show(found, None),
        }
    };
    view! {
        <h2>"Добавьте электронную почту"</h2>
        <p>
            "Введите электронную почту ребёнка — она не должна быть привязана к другой учётной записи на Госуслугах. "
            "На неё придёт ссылка для подтверждения создания учётной записи"
        </p>
        <ErrorSummary errors=form.summary() message=form.message()/>
        <form novalidate on:submit=submit>
            <Field id=fields::EMAIL label="Электронная почта" value=email error=form.for_field(fields::EMAIL)
                input=FieldInput::Email autocomplete="off" on_blur=email_blur/>
            <Checkbox id=fields::CONSENT checked=consent error=form.for_field(fields::CONSENT)>
                "Даю согласие на использование персональных данных для создания учётной записи ребёнка"
            </Checkbox>
            <Button submit=true disabled=Signal::derive(move || send.pending().get() || !ready.get())>"Продолжить"</Button>
        </form>
    }
}

#[component]
fn EmailSentStep(view: WizardView, next: Callback<WizardView>) -> impl IntoView {
    let child_id = view.child_id;
    let change = ServerAction::<ChangeEmail>::new();
    let form = FormErrors::new();
    let ready = interactive();
    after_step(change, form, next);
    let again = Resource::new(|| (), move |_| async move { open_wizard(child_id).await });
    let check = Callback::new(move |_| again.refetch());
    Effect::new(move |_| {
        if let Some(Ok(fresh)) = again.get()
            && fresh.step != WizardStep::EmailSent
        {
            next.run(fresh);
        }
    });
    view! {
        <h2>"Подтвердите электронную почту"</h2>
        <ErrorSummary errors=form.summary() message=form.message()/>
        <p>
            "На " <strong>{view.email_sent_to.clone().unwrap_or_default()}</strong>
            " отправлено письмо. Перейдите по ссылке из него, чтобы подтвердить адрес электронной почты"
        </p>
        <p>"Ссылка действует 24 часа. Когда адрес будет подтверждён, вернитесь сюда, чтобы задать пароль."</p>
        <div class="button-group">
            <Button disabled=Signal::derive(move || !ready.get()) on_click=check>"Я подтвердил адрес"</Button>
            <Button kind=ButtonKind::Secondary disabled=Signal::derive(move || change.pending().get() || !ready.get())
                on_click=Callback::new(move |_| { change.dispatch(ChangeEmail { child_id }); })>"Изменить адрес или отправить письмо ещё раз"</Button>
            <ButtonLink href="/" kind=ButtonKind::Secondary>"На главную"</ButtonLink>
        </div>
    }
}

#[component]
fn PasswordStep(view: WizardView, created: Callback<()>) -> impl IntoView {
    let child_id = view.child_id;
    let password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let form = FormErrors::new();
    let create = ServerAction::<CreateAccount>::new();
    Effect::new(move |_| match create.value().get() {
        Some(Ok(())) => created.run(()),
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });
    let submit = Callback::new(move |_| {
        create.dispatch(CreateAccount {
            child_id,
            password: password.get_untracked(),
            password_repeat: repeat.get_untracked(),
        });
    });
    view! {
        <p class="hint">{format!("Пароль для входа в личный кабинет ребёнка ({})", view.child_first_name)}</p>
        <ChildPasswordForm legend="Пароль для входа на Госуслуги" password=password repeat=repeat
            form=form pending=create.pending() submit=submit/>
    }
}
