use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use super::registration::{
    self, RegistrationForm, check_birth_date, check_consent, check_email, check_first_name,
    check_last_name, check_middle_name, check_password, check_password_repeat, check_phone,
    check_snils, fields,
};
use super::session::use_session;
use super::{Register, password_field::NewPasswordFields};
use crate::components::{
    Button, Checkbox, ErrorSummary, Field, FieldInput, FormErrors, focus_element, interactive,
};
use crate::domain::moscow_today;

fn today() -> time::Date {
    moscow_today(time::OffsetDateTime::now_utc())
}

/// «Регистрация»: a parent's own account.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let last_name = RwSignal::new(String::new());
    let first_name = RwSignal::new(String::new());
    let middle_name = RwSignal::new(String::new());
    let birth_date = RwSignal::new(String::new());
    let snils = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let password_repeat = RwSignal::new(String::new());
    let consent = RwSignal::new(false);

    let form = FormErrors::new();
    let interactive = interactive();
    let register = ServerAction::<Register>::new();
    let session = use_session();

    let last_name_blur = form.watch(fields::LAST_NAME, last_name, |v| check_last_name(v).err());
    let first_name_blur = form.watch(fields::FIRST_NAME, first_name, |v| {
        check_first_name(v).err()
    });
    let middle_name_blur = form.watch(fields::MIDDLE_NAME, middle_name, |v| {
        check_middle_name(v).err()
    });
    let birth_date_blur = form.watch(fields::BIRTH_DATE, birth_date, |v| {
        check_birth_date(v, today()).err()
    });
    let snils_blur = form.watch(fields::SNILS, snils, |v| check_snils(v).err());
    let phone_blur = form.watch(fields::PHONE, phone, |v| check_phone(v).err());
    let email_blur = form.watch(fields::EMAIL, email, |v| check_email(v).err());
    let password_blur = form.watch(fields::PASSWORD, password, |v| check_password(v).err());
    let repeat_blur = form.watch(fields::PASSWORD_REPEAT, password_repeat, move |v| {
        check_password_repeat(&password.get_untracked(), v).err()
    });
    Effect::new(move |_| {
        if consent.get() {
            form.recheck(fields::CONSENT, check_consent(true).err());
        }
    });

    let collect = move || RegistrationForm {
        last_name: last_name.get_untracked(),
        first_name: first_name.get_untracked(),
        middle_name: middle_name.get_untracked(),
        birth_date: birth_date.get_untracked(),
        snils: snils.get_untracked(),
        phone: phone.get_untracked(),
        email: email.get_untracked(),
        password: password.get_untracked(),
        password_repeat: password_repeat.get_untracked(),
        consent: consent.get_untracked(),
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = collect();
        match registration::validate(&typed, today()) {
            Ok(_) => {
                form.clear();
                register.dispatch(Register { form: typed });
            }
            Err(found) => form.show(found, None),
        }
    };

    let navigate = use_navigate();
    Effect::new(move |_| match register.value().get() {
        Some(Ok(())) => {
            session.refresh();
            navigate("/account/contacts", Default::default());
            focus_element("page-title");
        }
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });

    view! {
        <Title text="Регистрация — Госуслуги"/>
        <h1 id="page-title" tabindex="-1">"Регистрация"</h1>
        <p class="lead">
            "Учётная запись нужна, чтобы добавить сведения о детях, создать им учётные записи и подавать заявления. "
            "Уже зарегистрированы? " <a href="/sign-in">"Войти"</a>
        </p>
        <p class="hint">
            "Вам 14–17 лет? Зарегистрируйтесь сами: СНИЛС введите вручную, а личность потом подтвердите паспортом. "
            "Родитель сможет привязать вашу учётную запись к своей — для этого вы введёте код привязки в разделе «Профиль»."
        </p>
        <ErrorSummary errors=form.summary() message=form.message()/>
        <form novalidate on:submit=submit>
            <Field id=fields::LAST_NAME label="Фамилия" value=last_name
                error=form.for_field(fields::LAST_NAME) autocomplete="family-name" on_blur=last_name_blur/>
            <Field id=fields::FIRST_NAME label="Имя" value=first_name
                error=form.for_field(fields::FIRST_NAME) autocomplete="given-name" on_blur=first_name_blur/>
            <Field id=fields::MIDDLE_NAME label="Отчество (при наличии)" value=middle_name
                error=form.for_field(fields::MIDDLE_NAME) autocomplete="additional-name" on_blur=middle_name_blur/>
            <Field id=fields::BIRTH_DATE label="Дата рождения" hint="ДД.ММ.ГГГГ, например 05.03.1990"
                value=birth_date error=form.for_field(fields::BIRTH_DATE) input=FieldInput::Numeric
                autocomplete="bday" on_blur=birth_date_blur/>
            <Field id=fields::SNILS label="СНИЛС" hint="11 цифр, например 123-456-789 01" value=snils
                error=form.for_field(fields::SNILS) input=FieldInput::Numeric on_blur=snils_blur/>
            <Field id=fields::PHONE label="Мобильный телефон"
                hint="Например +7 912 345-67-89. На него придёт код подтверждения"
                value=phone error=form.for_field(fields::PHONE) input=FieldInput::Tel
                autocomplete="tel" on_blur=phone_blur/>
            <Field id=fields::EMAIL label="Электронная почта"
                hint="На неё придёт ссылка для подтверждения" value=email
                error=form.for_field(fields::EMAIL) input=FieldInput::Email autocomplete="email"
                on_blur=email_blur/>
            <NewPasswordFields
                legend="Пароль для входа на Госуслуги"
                password=password
                repeat=password_repeat
                password_error=form.for_field(fields::PASSWORD)
                repeat_error=form.for_field(fields::PASSWORD_REPEAT)
                password_blur=password_blur
                repeat_blur=repeat_blur
            />
            <Checkbox id=fields::CONSENT checked=consent error=form.for_field(fields::CONSENT)>
                "Даю согласие на обработку персональных данных в соответствии с Федеральным законом № 152-ФЗ"
            </Checkbox>
            <Button submit=true disabled=Signal::derive(move || register.pending().get() || !interactive.get())>
                {move || if register.pending().get() { "Регистрируем…" } else { "Зарегистрироваться" }}
            </Button>
        </form>
    }
}
