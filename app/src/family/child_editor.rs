//! «Добавление информации о ребёнке» and «Редактировать»: one form for both, checked field by
//! field with the rules in `child_form`, then by the server again.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::child_form::{self, BirthCountry, ChildForm, OWN_SNILS_AGE, fields};
use super::{SaveChild, load_child};
use crate::components::{
    Button, ErrorSummary, Field, FieldInput, FormErrors, Radios, focus_element, interactive,
};
use crate::domain::{full_years, moscow_today, parse_ru_date};

fn today() -> time::Date {
    moscow_today(time::OffsetDateTime::now_utc())
}

#[component]
pub fn AddChildPage() -> impl IntoView {
    view! {
        <Title text="Добавление информации о ребёнке — Семья и дети"/>
        <p class="breadcrumbs"><a href="/documents/family">"Семья и дети"</a>" → Добавить"</p>
        <h1 id="page-title" tabindex="-1">"Добавление информации о ребёнке"</h1>
        <ChildEditor id=None initial=ChildForm::default()/>
    }
}

#[component]
pub fn EditChildPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let child = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_child(id).await.map(|c| (id, c)),
            None => Err(crate::api::ApiError::Refused(crate::api::Refusal::NotFound)),
        }
    });
    view! {
        <Title text="Редактирование сведений о ребёнке — Семья и дети"/>
        <p class="breadcrumbs"><a href="/documents/family">"Семья и дети"</a>" → Редактировать"</p>
        <h1 id="page-title" tabindex="-1">"Редактирование сведений о ребёнке"</h1>
        <Suspense fallback=|| view! { <p>"Загружаем…"</p> }>
            {move || child.get().map(|result| match result {
                Ok((id, child)) => view! {
                    <p class="hint">"Если изменить данные подтверждённого документа, он снова получит статус «Данные введены вручную» — его нужно будет запросить в ведомстве заново."</p>
                    <ChildEditor id=Some(id) initial=child.form/>
                }.into_any(),
                Err(e) => view! { <p class="error-text" role="alert">{e.summary_message()}</p> }.into_any(),
            })}
        </Suspense>
    }
}

/// Every field of the form, as signals.
#[derive(Clone, Copy)]
struct Inputs {
    last_name: RwSignal<String>,
    first_name: RwSignal<String>,
    middle_name: RwSignal<String>,
    sex: RwSignal<String>,
    birth_date: RwSignal<String>,
    birth_country: RwSignal<String>,
    certificate: RwSignal<String>,
    certificate_date: RwSignal<String>,
    act_record_number: RwSignal<String>,
    act_record_date: RwSignal<String>,
    issued_by: RwSignal<String>,
    snils: RwSignal<String>,
    oms_policy: RwSignal<String>,
    inn: RwSignal<String>,
    paternity: RwSignal<String>,
    paternity_date: RwSignal<String>,
    name_change: RwSignal<String>,
    name_change_date: RwSignal<String>,
    parental_rights: RwSignal<String>,
    parental_rights_date: RwSignal<String>,
    relation: RwSignal<String>,
}

impl Inputs {
    fn new(f: ChildForm) -> Self {
        Self {
            last_name: RwSignal::new(f.last_name),
            first_name: RwSignal::new(f.first_name),
            middle_name: RwSignal::new(f.middle_name),
            sex: RwSignal::new(f.sex),
            birth_date: RwSignal::new(f.birth_date),
            birth_country: RwSignal::new(if f.birth_country.is_empty() {
                "russia".into()
            } else {
                f.birth_country
            }),
            certificate: RwSignal::new(f.certificate),
            certificate_date: RwSignal::new(f.certificate_date),
            act_record_number: RwSignal::new(f.act_record_number),
            act_record_date: RwSignal::new(f.act_record_date),
            issued_by: RwSignal::new(f.issued_by),
            snils: RwSignal::new(f.snils),
            oms_policy: RwSignal::new(f.oms_policy),
            inn: RwSignal::new(f.inn),
            paternity: RwSignal::new(f.paternity),
            paternity_date: RwSignal::new(f.paternity_date),
            name_change: RwSignal::new(f.name_change),
            name_change_date: RwSignal::new(f.name_change_date),
            parental_rights: RwSignal::new(f.parental_rights),
            parental_rights_date: RwSignal::new(f.parental_rights_date),
            relation: RwSignal::new(if f.relation.is_empty() {
                "parent".into()
            } else {
                f.relation
            }),
        }
    }

    fn collect(self) -> ChildForm {
        ChildForm {
            last_name: self.last_name.get_untracked(),
            first_name: self.first_name.get_untracked(),
            middle_name: self.middle_name.get_untracked(),
            sex: self.sex.get_untracked(),
            birth_date: self.birth_date.get_untracked(),
            birth_country: self.birth_country.get_untracked(),
            relation: self.relation.get_untracked(),
            certificate: self.certificate.get_untracked(),
            certificate_date: self.certificate_date.get_untracked(),
            act_record_number: self.act_record_number.get_untracked(),
            act_record_date: self.act_record_date.get_untracked(),
            issued_by: self.issued_by.get_untracked(),
            snils: self.snils.get_untracked(),
            oms_policy: self.oms_policy.get_untracked(),
            inn: self.inn.get_untracked(),
            paternity: self.paternity.get_untracked(),
            paternity_date: self.paternity_date.get_untracked(),
            name_change: self.name_change.get_untracked(),
            name_change_date: self.name_change_date.get_untracked(),
            parental_rights: self.parental_rights.get_untracked(),
            parental_rights_date: self.parental_rights_date.get_untracked(),
        }
    }
}

/// The error of one field after checking the whole form as it stands: a field's rules depend on
/// others (dates on the birth date), so the whole form is the one source of truth.
fn field_error(form: &ChildForm, field: &str) -> Option<crate::api::FieldError> {
    child_form::validate(form, today())
        .err()
        .and_then(|errors| errors.into_iter().find(|e| e.field == field))
}

#[component]
fn ChildEditor(id: Option<i64>, initial: ChildForm) -> impl IntoView {
    let inputs = Inputs::new(initial);
    let form = FormErrors::new();
    let ready = interactive();
    let save = ServerAction::<SaveChild>::new();
    let navigate = use_navigate();

    let watch = move |field: &'static str, value: RwSignal<String>| {
        form.watch(field, value, move |_| field_error(&inputs.collect(), field))
    };
    let russian = move || inputs.birth_country.get() != BirthCountry::Other.as_str();
    // The СНИЛС is typed by hand only for a child of 14 or more.
    let teen = move || {
        parse_ru_date(&inputs.birth_date.get())
            .is_ok_and(|birth| birth <= today() && full_years(birth, today()) >= OWN_SNILS_AGE)
    };

    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            navigate(
                &format!("/documents/family/children/{saved}"),
                Default::default(),
            );
            focus_element("page-title");
        }
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });
    Effect::new(move |_| {
        // A choice made after a failed submit clears its error at once.
        let (_, _) = (inputs.sex.get(), inputs.birth_country.get());
        for field in [fields::SEX, fields::BIRTH_COUNTRY] {
            if form.for_field(field).get_untracked().is_some() {
                form.recheck(field, field_error(&inputs.collect(), field));
            }
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = inputs.collect();
        match child_form::validate(&typed, today()) {
            Ok(_) => {
                form.clear();
                save.dispatch(SaveChild { id, form: typed });
            }
            Err(found) => form.show(found, None),
        }
    };
    let cancel_href = id.map_or("/documents/family".to_owned(), |id| {
        format!("/documents/family/children/{id}")
    });

    view! {
        <ErrorSummary errors=form.summary() message=form.message()/>
        <form novalidate on:submit=submit>
            <Field id=fields::LAST_NAME label="Фамилия" value=inputs.last_name
                error=form.for_field(fields::LAST_NAME) on_blur=watch(fields::LAST_NAME, inputs.last_name)/>
            <Field id=fields::FIRST_NAME label="Имя" value=inputs.first_name
                error=form.for_field(fields::FIRST_NAME) on_blur=watch(fields::FIRST_NAME, inputs.first_name)/>
            <Field id=fields::MIDDLE_NAME label="Отчество" hint="При наличии" value=inputs.middle_name
                error=form.for_field(fields::MIDDLE_NAME) on_blur=watch(fields::MIDDLE_NAME, inputs.middle_name)/>
            <Radios name=fields::SEX legend="Пол" selected=inputs.sex error=form.for_field(fields::SEX)
                options=vec![("male", "Мужской"), ("female", "Женский")]/>
            <Field id=fields::BIRTH_DATE label="Дата рождения" hint="ДД.ММ.ГГГГ, например 05.03.2016"
                value=inputs.birth_date input=FieldInput::Numeric
                error=form.for_field(fields::BIRTH_DATE) on_blur=watch(fields::BIRTH_DATE, inputs.birth_date)/>
            <Radios name=fields::RELATION legend="Кем вы приходитесь ребёнку" selected=inputs.relation
                error=form.for_field(fields::RELATION)
                options=vec![("parent", "Родитель"), ("guardian", "Опекун или попечитель")]/>
            <Radios name=fields::BIRTH_COUNTRY legend="Страна рождения" selected=inputs.birth_country
                error=form.for_field(fields::BIRTH_COUNTRY) options=vec![("russia", "Россия"), ("other", "Другая")]/>
            <Show when=move || !russian()>
                <p class="notice">{child_form::FOREIGN_CERTIFICATE_REASON}</p>
            </Show>

            <h2>"Свидетельство о рождении"</h2>
            <Field id=fields::CERTIFICATE label="Серия и номер свидетельства о рождении"
                hint="Как в документе, например VI-МЮ 123456"
                value=inputs.certificate error=form.for_field(fields::CERTIFICATE)
                on_blur=watch(fields::CERTIFICATE, inputs.certificate)/>
            <Field id=fields::CERTIFICATE_DATE label="Дата выдачи" hint="ДД.ММ.ГГГГ"
                value=inputs.certificate_date input=FieldInput::Numeric error=form.for_field(fields::CERTIFICATE_DATE)
                on_blur=watch(fields::CERTIFICATE_DATE, inputs.certificate_date)/>
            <Show when=russian>
                <Field id=fields::ACT_RECORD_NUMBER label="Номер актовой записи" hint="Только цифры, например 170016770001234"
                    value=inputs.act_record_number input=FieldInput::Numeric error=form.for_field(fields::ACT_RECORD_NUMBER)
                    on_blur=watch(fields::ACT_RECORD_NUMBER, inputs.act_record_number)/>
                <Field id=fields::ACT_RECORD_DATE label="Дата актовой записи" hint="ДД.ММ.ГГГГ"
                    value=inputs.act_record_date input=FieldInput::Numeric error=form.for_field(fields::ACT_RECORD_DATE)
                    on_blur=watch(fields::ACT_RECORD_DATE, inputs.act_record_date)/>
            </Show>
            <Field id=fields::ISSUED_BY label="Кем выдано свидетельство" hint="Точно по документу"
                value=inputs.issued_by input=FieldInput::Multiline error=form.for_field(fields::ISSUED_BY)
                on_blur=watch(fields::ISSUED_BY, inputs.issued_by)/>

            <h2>"СНИЛС"</h2>
            <Show when=teen fallback=|| view! {
                <p class="hint">"СНИЛС ребёнка младше 14 лет найдём в СФР автоматически после проверки свидетельства о рождении."</p>
            }>
                <Field id=fields::SNILS label="СНИЛС" hint="Ребёнку 14 лет и больше — введите его СНИЛС. После сохранения он будет направлен в ведомство для подтверждения"
                    value=inputs.snils input=FieldInput::Numeric error=form.for_field(fields::SNILS)
                    on_blur=watch(fields::SNILS, inputs.snils)/>
            </Show>

            <h2>"Другие документы"</h2>
            <p class="hint">"При наличии. Добавив их, вы сэкономите время при оформлении материнского капитала, записи в детский сад или заявки на детский загранпаспорт."</p>
            <Field id=fields::OMS_POLICY label="Полис ОМС" hint="16 цифр" value=inputs.oms_policy
                input=FieldInput::Numeric error=form.for_field(fields::OMS_POLICY) on_blur=watch(fields::OMS_POLICY, inputs.oms_policy)/>
            <Field id=fields::INN label="ИНН" hint="12 цифр" value=inputs.inn
                input=FieldInput::Numeric error=form.for_field(fields::INN) on_blur=watch(fields::INN, inputs.inn)/>
            <fieldset class="fieldset">
                <legend>"Свидетельство об отцовстве"</legend>
                <Field id=fields::PATERNITY label="Серия и номер" hint="Например I-МЮ 123456" value=inputs.paternity
                    error=form.for_field(fields::PATERNITY) on_blur=watch(fields::PATERNITY, inputs.paternity)/>
                <Field id=fields::PATERNITY_DATE label="Дата выдачи" hint="ДД.ММ.ГГГГ" value=inputs.paternity_date
                    input=FieldInput::Numeric error=form.for_field(fields::PATERNITY_DATE) on_blur=watch(fields::PATERNITY_DATE, inputs.paternity_date)/>
            </fieldset>
            <fieldset class="fieldset">
                <legend>"Свидетельство о перемене имени"</legend>
                <Field id=fields::NAME_CHANGE label="Серия и номер" hint="Например I-МЮ 123456" value=inputs.name_change
                    error=form.for_field(fields::NAME_CHANGE) on_blur=watch(fields::NAME_CHANGE, inputs.name_change)/>
                <Field id=fields::NAME_CHANGE_DATE label="Дата выдачи" hint="ДД.ММ.ГГГГ" value=inputs.name_change_date
                    input=FieldInput::Numeric error=form.for_field(fields::NAME_CHANGE_DATE) on_blur=watch(fields::NAME_CHANGE_DATE, inputs.name_change_date)/>
            </fieldset>
            <fieldset class="fieldset">
                <legend>"Документ о родительских правах на ребёнка"</legend>
                <Field id=fields::PARENTAL_RIGHTS label="Название и номер документа" value=inputs.parental_rights
                    error=form.for_field(fields::PARENTAL_RIGHTS) on_blur=watch(fields::PARENTAL_RIGHTS, inputs.parental_rights)/>
                <Field id=fields::PARENTAL_RIGHTS_DATE label="Дата выдачи" hint="ДД.ММ.ГГГГ" value=inputs.parental_rights_date
                    input=FieldInput::Numeric error=form.for_field(fields::PARENTAL_RIGHTS_DATE) on_blur=watch(fields::PARENTAL_RIGHTS_DATE, inputs.parental_rights_date)/>
            </fieldset>

            <div class="button-group">
                <Button submit=true disabled=Signal::derive(move || save.pending().get() || !ready.get())>
                    {move || if save.pending().get() { "Сохраняем…" } else { "Сохранить" }}
                </Button>
                <a class="button button--secondary" href=cancel_href>"Отменить"</a>
            </div>
        </form>
    }
}
