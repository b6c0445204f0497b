//! The application's pages (`/applications/drafts/:id/:page`): one question per page, each saved
//! on the server by «Продолжить», then «Проверьте ответы». The address names the page, so a
//! reload or another device lands where the parent is; the answers come from the server's draft.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use super::answers::{
    AddressesAnswer, Answer, ChildAnswer, ContactsAnswer, PassportAnswer, Question, SnilsAnswer,
    check_address, check_birth_place, check_issued_by, check_passport, check_passport_date, fields,
};
use super::application::{DOCUMENTS_SLUG, DraftView, SaveAnswer, documents_href, load_draft};
use super::check_answers::CheckAnswers;
use super::documents_section::DocumentsPage;
use crate::api::{ApiError, FieldError};
use crate::components::{
    Button, Checkbox, ErrorSummary, Field, FieldInput, FormErrors, StepIndicator, focus_element,
    interactive,
};
use crate::field_checks;

const STEPS: [&str; 7] = [
    "Ребёнок",
    "Паспорт",
    "СНИЛС",
    "Адреса",
    "Контакты",
    "Документы",
    "Проверка",
];

/// Which page of the draft the address names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Page {
    Question(Question),
    Documents,
    Check,
}

impl Page {
    fn parse(slug: &str) -> Option<Self> {
        match slug {
            "check" => Some(Page::Check),
            DOCUMENTS_SLUG => Some(Page::Documents),
            other => Question::parse(other).map(Page::Question),
        }
    }

    fn index(self) -> usize {
        match self {
            Page::Question(q) => q.index(),
            Page::Documents => STEPS.len() - 2,
            Page::Check => STEPS.len() - 1,
        }
    }
}

/// `/applications/drafts/:id/:page`: the draft's id and the page's segment.
#[component]
pub fn ApplicationDraftPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let page = move || params.with(|p| p.get("page").as_deref().and_then(Page::parse));
    // Each page reads the draft afresh: another device may have saved since.
    let draft = Resource::new(
        move || (id(), page()),
        |(id, page)| async move {
            match (id, page) {
                (Some(id), Some(_)) => load_draft(id).await,
                _ => Err(ApiError::Refused(crate::api::Refusal::NotFound)),
            }
        },
    );
    view! {
        <Title text="Оформление льготы — Госуслуги"/>
        <p class="breadcrumbs"><a href="/benefits">"Льготы"</a>" → Заявление"</p>
        <Suspense fallback=|| view! { <p>"Загружаем…"</p> }>
            {move || draft.get().map(|loaded| match (loaded, page()) {
                (Ok(view), Some(page)) => view! { <DraftPage view=view page=page/> }.into_any(),
                (Err(e), _) => view! {
                    <h1 id="page-title" tabindex="-1">"Заявление не найдено"</h1>
                    <p class="error-text" role="alert">{e.summary_message()}</p>
                    <p><a href="/benefits">"Все льготы"</a></p>
                }.into_any(),
                (Ok(_), None) => view! {
                    <h1 id="page-title" tabindex="-1">"Страница не найдена"</h1>
                    <p><a href="/benefits">"Все льготы"</a></p>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn DraftPage(view: DraftView, page: Page) -> impl IntoView {
    Effect::new(move |_| focus_element("page-title"));
    let heading = match page {
        Page::Question(q) => q.title(),
        Page::Documents => "Документы",
        Page::Check => "Проверьте ответы",
    };
    let body = match page {
        Page::Question(question) => {
            view! { <QuestionPage view=view.clone() question=question/> }.into_any()
        }
        Page::Documents => view! {
            <DocumentsPage draft_id=view.id slots=view.documents.clone() next_href=view.href(None)/>
        }
        .into_any(),
        Page::Check => view! { <CheckAnswers view=view.clone()/> }.into_any(),
    };
    view! {
        <p class="caption">{view.benefit_name.clone()}</p>
        <h1 id="page-title" tabindex="-1">{heading}</h1>
        <StepIndicator steps=STEPS.to_vec() current=Signal::derive(move || page.index())/>
        <p class="hint">{format!("Черновик сохранён {} (МСК). Его можно продолжить на любом устройстве.", view.saved_at)}</p>
        {body}
    }
}

/// After «Продолжить»: the next question, or back to «Проверьте ответы» when the parent came
/// from there (`?from=check`) or has answered everything.
fn next_href(view: &DraftView, question: Question, from_check: bool) -> String {
    if from_check {
        return view.href(None);
    }
    match (question.next(), view.next_question()) {
        (Some(next), _) => view.href(Some(next)),
        // Every question answered: the documents come next.
        (None, None) => documents_href(view.id),
        (None, missing) => view.href(missing),
    }
}

#[component]
fn QuestionPage(view: DraftView, question: Question) -> impl IntoView {
    let query = use_query_map();
    let from_check = query.with_untracked(|q| q.get("from").as_deref() == Some("check"));
    let form = FormErrors::new();
    let save = ServerAction::<SaveAnswer>::new();
    let ready = interactive();
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            form.clear();
            use_navigate()(&next_href(&saved, question, from_check), Default::default());
        }
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });
    let id = view.id;
    // Each page checks its answer as the browser can, then sends it; the server checks again.
    let send = Callback::new(move |answer: Answer| {
        let today = crate::domain::moscow_today(time::OffsetDateTime::now_utc());
        match answer.checked(today) {
            Ok(_) => {
                save.dispatch(SaveAnswer { id, answer });
            }
            Err(found) => form.show(found, None),
        }
    });
    let busy = Signal::derive(move || save.pending().get() || !ready.get());
    let fields_view = match question {
        Question::Child => {
            view! { <ChildQuestion view=view.clone() form=form send=send busy=busy/> }.into_any()
        }
        Question::Passport => {
            view! { <PassportQuestion answer=view.passport() form=form send=send busy=busy/> }
                .into_any()
        }
        Question::Snils => {
            view! { <SnilsQuestion view=view.clone() form=form send=send busy=busy/> }.into_any()
        }
        Question::Addresses => {
            view! { <AddressesQuestion answer=view.addresses() form=form send=send busy=busy/> }
                .into_any()
        }
        Question::Contacts => {
            view! { <ContactsQuestion answer=view.contacts() form=form send=send busy=busy/> }
                .into_any()
        }
    };
    let back = match (from_check, question.index()) {
        (true, _) => Some(view.href(None)),
        (false, 0) => None,
        (false, i) => Some(view.href(Some(Question::ALL[i - 1]))),
    };
    view! {
        <ErrorSummary errors=form.summary() message=form.message()/>
        {fields_view}
        {back.map(|href| view! { <p><a href=href>"Назад"</a></p> })}
    }
}

/// The «Продолжить» button of every question.
#[component]
fn Continue(busy: Signal<bool>) -> impl IntoView {
    view! { <Button submit=true disabled=busy>"Продолжить"</Button> }
}

fn submit_with(
    send: Callback<Answer>,
    answer: impl Fn() -> Answer + 'static,
) -> impl Fn(leptos::ev::SubmitEvent) + 'static {
    move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send.run(answer());
    }
}

/// The check of one field, for its `on_blur`.
fn only(result: Result<impl Sized, FieldError>) -> Option<FieldError> {
    result.err()
}

#[component]
fn ChildQuestion(
    view: DraftView,
    form: FormErrors,
    send: Callback<Answer>,
    busy: Signal<bool>,
) -> impl IntoView {
    let birth_place = RwSignal::new(view.child_answer().birth_place);
    let blur = form.watch(fields::BIRTH_PLACE, birth_place, |v| {
        only(check_birth_place(v))
    });
    let child = view.child.clone();
    let submit = submit_with(send, move || {
        Answer::Child(ChildAnswer {
            birth_place: birth_place.get_untracked(),
        })
    });
    view! {
        <p>"Сведения взяты из карточки ребёнка — их подтвердил реестр ЗАГС."</p>
        <dl class="summary">
            <Row key="ФИО ребёнка" value=child.name.clone()/>
            <Row key="Дата рождения" value=child.birth_date.clone()/>
            <Row key="Свидетельство о рождении" value=format!("{}, выдано {}", child.certificate, child.certificate_date)/>
            <Row key="Кем выдано" value=child.certificate_issued_by.clone()/>
        </dl>
        <p><a href=format!("/documents/family/children/{}/edit", child.child_id)>"Исправить данные в карточке ребёнка"</a></p>
        <form novalidate on:submit=submit>
            <Field id=fields::BIRTH_PLACE label="Место рождения" hint="Как в свидетельстве о рождении, например г. Москва"
                value=birth_place error=form.for_field(fields::BIRTH_PLACE) on_blur=blur/>
            <Continue busy=busy/>
        </form>
    }
}

#[component]
fn Row(key: &'static str, value: String) -> impl IntoView {
    view! {
        <div class="summary__row">
            <dt class="summary__key">{key}</dt>
            <dd class="summary__value">{value}</dd>
        </div>
    }
}

#[component]
fn PassportQuestion(
    answer: PassportAnswer,
    form: FormErrors,
    send: Callback<Answer>,
    busy: Signal<bool>,
) -> impl IntoView {
    let number = RwSignal::new(answer.number);
    let issued_on = RwSignal::new(answer.issued_on);
    let issued_by = RwSignal::new(answer.issued_by);
    let today = || crate::domain::moscow_today(time::OffsetDateTime::now_utc());
    let number_blur = form.watch(fields::PASSPORT, number, |v| only(check_passport(v)));
    let date_blur = form.watch(fields::PASSPORT_DATE, issued_on, move |v| {
        only(check_passport_date(v, today()))
    });
    let by_blur = form.watch(fields::PASSPORT_ISSUED_BY, issued_by, |v| {
        only(check_issued_by(v))
    });
    let submit = submit_with(send, move || {
        Answer::Passport(PassportAnswer {
            number: number.get_untracked(),
            issued_on: issued_on.get_untracked(),
            issued_by: issued_by.get_untracked(),
        })
    });
    view! {
        <p>"Паспорт родителя, который получает льготу."</p>
        <form novalidate on:submit=submit>
            <Field id=fields::PASSPORT label="Серия и номер" hint="10 цифр, например 4510 123456"
                value=number error=form.for_field(fields::PASSPORT) input=FieldInput::Numeric on_blur=number_blur/>
            <Field id=fields::PASSPORT_DATE label="Дата выдачи" hint="ДД.ММ.ГГГГ"
                value=issued_on error=form.for_field(fields::PASSPORT_DATE) input=FieldInput::Numeric on_blur=date_blur/>
            <Field id=fields::PASSPORT_ISSUED_BY label="Кем выдан" hint="Как на второй странице паспорта"
                value=issued_by error=form.for_field(fields::PASSPORT_ISSUED_BY) on_blur=by_blur/>
            <Continue busy=busy/>
        </form>
    }
}

#[component]
fn SnilsQuestion(
    view: DraftView,
    form: FormErrors,
    send: Callback<Answer>,
    busy: Signal<bool>,
) -> impl IntoView {
    let answer = view.snils();
    let second = RwSignal::new(answer.second_parent);
    let single = RwSignal::new(answer.single_parent);
    let blur = form.watch(fields::SECOND_PARENT_SNILS, second, |v| {
        only(field_checks::snils(fields::SECOND_PARENT_SNILS, v))
    });
    let submit = submit_with(send, move || {
        Answer::Snils(SnilsAnswer {
            second_parent: second.get_untracked(),
            single_parent: single.get_untracked(),
        })
    });
    view! {
        <dl class="summary">
            <Row key="Ваш СНИЛС" value=view.applicant.snils.clone()/>
        </dl>
        <form novalidate on:submit=submit>
            <Show when=move || !single.get()>
                <Field id=fields::SECOND_PARENT_SNILS label="СНИЛС второго родителя" hint="11 цифр, например 123-456-789 64"
                    value=second error=form.for_field(fields::SECOND_PARENT_SNILS) input=FieldInput::Numeric on_blur=blur/>
            </Show>
            <Checkbox id=fields::SINGLE_PARENT checked=single error=form.for_field(fields::SINGLE_PARENT)>
                "Ребёнка воспитывает один родитель"
            </Checkbox>
            <Continue busy=busy/>
        </form>
    }
}

#[component]
fn AddressesQuestion(
    answer: AddressesAnswer,
    form: FormErrors,
    send: Callback<Answer>,
    busy: Signal<bool>,
) -> impl IntoView {
    let registration = RwSignal::new(answer.registration);
    let actual = RwSignal::new(answer.actual);
    let same = RwSignal::new(answer.same_as_registration);
    let registration_blur = form.watch(fields::REGISTRATION_ADDRESS, registration, |v| {
        only(check_address(
            fields::REGISTRATION_ADDRESS,
            "регистрации",
            v,
        ))
    });
    let actual_blur = form.watch(fields::ACTUAL_ADDRESS, actual, |v| {
        only(check_address(
            fields::ACTUAL_ADDRESS,
            "фактического проживания",
            v,
        ))
    });
    let submit = submit_with(send, move || {
        Answer::Addresses(AddressesAnswer {
            registration: registration.get_untracked(),
            actual: actual.get_untracked(),
            same_as_registration: same.get_untracked(),
        })
    });
    let hint = "Начните с почтового индекса: 123456, г. Москва, ул. Ленина, д. 1, кв. 2";
    view! {
        <form novalidate on:submit=submit>
            <Field id=fields::REGISTRATION_ADDRESS label="Адрес регистрации" hint=hint
                value=registration error=form.for_field(fields::REGISTRATION_ADDRESS) on_blur=registration_blur/>
            <Checkbox id=fields::SAME_ADDRESS checked=same error=form.for_field(fields::SAME_ADDRESS)>
                "Фактический адрес совпадает с адресом регистрации"
            </Checkbox>
            <Show when=move || !same.get()>
                <Field id=fields::ACTUAL_ADDRESS label="Адрес фактического проживания" hint=hint
                    value=actual error=form.for_field(fields::ACTUAL_ADDRESS) on_blur=actual_blur/>
            </Show>
            <Continue busy=busy/>
        </form>
    }
}

#[component]
fn ContactsQuestion(
    answer: ContactsAnswer,
    form: FormErrors,
    send: Callback<Answer>,
    busy: Signal<bool>,
) -> impl IntoView {
    let phone = RwSignal::new(answer.phone);
    let email = RwSignal::new(answer.email);
    let phone_blur = form.watch(fields::PHONE, phone, |v| {
        only(field_checks::phone(fields::PHONE, v))
    });
    let email_blur = form.watch(fields::EMAIL, email, |v| {
        only(field_checks::email(fields::EMAIL, v))
    });
    let submit = submit_with(send, move || {
        Answer::Contacts(ContactsAnswer {
            phone: phone.get_untracked(),
            email: email.get_untracked(),
        })
    });
    view! {
        <p>"По ним ведомство свяжется с вами, если понадобится уточнение."</p>
        <form novalidate on:submit=submit>
            <Field id=fields::PHONE label="Контактный телефон" hint="Например +7 912 345-67-89"
                value=phone error=form.for_field(fields::PHONE) input=FieldInput::Tel on_blur=phone_blur/>
            <Field id=fields::EMAIL label="Электронная почта"
                value=email error=form.for_field(fields::EMAIL) input=FieldInput::Email on_blur=email_blur/>
            <Continue busy=busy/>
        </form>
    }
}
