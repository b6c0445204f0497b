//! «Учебные данные»: the minor's own at `/my-school`, a parent's at
//! `/documents/family/children/:id/school`. «Подключить школу», the school's code, then the diary —
//! followed live while the first import runs.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::school::{
    ConfirmSchool, ConnectSchool, Diary, DiaryState, SetDiaryNotices, SubjectRow, Trend, fields,
    load_diary,
};
use crate::api::ApiError;
use crate::api::polling::{Polled, keep_polling};
use crate::components::{Field, FieldInput, StatusChip, Tone};

#[component]
pub fn DiaryPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let child =
        Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
    let year =
        Memo::new(move |_| query.with(|q| q.get("year").and_then(|y| y.parse::<i32>().ok())));
    let connect = ServerAction::<ConnectSchool>::new();
    let confirm = ServerAction::<ConfirmSchool>::new();
    let notices = ServerAction::<SetDiaryNotices>::new();
    let tick = RwSignal::new(0u32);
    let state = Resource::new(
        move || {
            (
                child.get(),
                year.get(),
                connect.version().get(),
                confirm.version().get(),
                notices.version().get(),
                tick.get(),
            )
        },
        |(child, year, ..)| load_diary(child, year),
    );
    // While the first import runs, ask again (1 s, doubling to 30 s) and show the diary once there.
    let importing = move || matches!(state.get(), Some(Ok(DiaryState::Importing { .. })));
    keep_polling(importing, move || async move {
        match load_diary(child.get_untracked(), year.get_untracked()).await {
            Ok(DiaryState::Importing { .. }) | Err(_) => Polled::Unchanged,
            Ok(_) => {
                tick.update(|t| *t += 1);
                Polled::Changed {
                    still_running: false,
                }
            }
        }
    });
    view! {
        <Title text="Учебные данные — Госуслуги"/>
        {move || match child.get() {
            Some(id) => view! {
                <p class="breadcrumbs">
                    <a href="/documents/family">"Семья и дети"</a>" → "
                    <a href=format!("/documents/family/children/{id}")>"Карточка ребёнка"</a>
                    " → Учебные данные"
                </p>
            }.into_any(),
            None => view! {
                <p class="breadcrumbs"><a href="/profile">"Профиль"</a>" → Учебные данные"</p>
            }.into_any(),
        }}
        <h1 id="page-title" tabindex="-1">"Учебные данные"</h1>
        <Transition fallback=|| view! { <p>"Загружаем…"</p> }>
            {move || state.get().map(|answer| match answer {
                Ok(DiaryState::SwitchedOff { reason }) => view! {
                    <p class="notice" role="status">{reason}</p>
                }.into_any(),
                Ok(DiaryState::NotConnected) => view! {
                    <ConnectForm child=child.get() action=connect/>
                }.into_any(),
                Ok(DiaryState::CodeSent { school, sent_to }) => view! {
                    <CodeForm child=child.get() school=school sent_to=sent_to action=confirm/>
                    <details class="diary__again">
                        <summary>"Другая школа или письмо не пришло"</summary>
                        <ConnectForm child=child.get() action=connect/>
                    </details>
                }.into_any(),
                Ok(DiaryState::Importing { school }) => view! {
                    <p role="status">{format!("{school} подключена. Загружаем оценки — это займёт несколько секунд…")}</p>
                }.into_any(),
                Ok(DiaryState::Connected(diary)) => view! {
                    <DiaryView diary=diary child=child.get() notices=notices/>
                }.into_any(),
                Err(e) => view! { <p class="error-text" role="alert">{e.summary_message()}</p> }.into_any(),
            })}
        </Transition>
    }
}

/// The message for `field` from the answer of a form's action: its own, or the summary.
fn message_for(answer: Option<Result<DiaryState, ApiError>>, field: &str) -> Option<String> {
    answer.and_then(Result::err).map(|e| {
        e.field_errors()
            .iter()
            .find(|f| f.field == field)
            .map(|f| f.message.clone())
            .unwrap_or_else(|| e.summary_message())
    })
}

#[component]
fn ConnectForm(child: Option<i64>, action: ServerAction<ConnectSchool>) -> impl IntoView {
    let school = RwSignal::new(String::new());
    let error = Signal::derive(move || message_for(action.value().get(), fields::SCHOOL));
    view! {
        <form class="card" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            action.dispatch(ConnectSchool { child, school: school.get_untracked() });
        }>
            <h2>"Подключить школу"</h2>
            <p>"Школа пришлёт код подключения на вашу электронную почту."</p>
            <Field id=fields::SCHOOL label="Название учебного заведения" hint="Например, «Школа № 1234»"
                value=school error=error maxlength=200/>
            <button type="submit" class="button">"Подключить школу"</button>
        </form>
    }
}

#[component]
fn CodeForm(
    child: Option<i64>,
    school: String,
    sent_to: String,
    action: ServerAction<ConfirmSchool>,
) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let error = Signal::derive(move || message_for(action.value().get(), fields::CODE));
    view! {
        <form class="card" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            action.dispatch(ConfirmSchool { child, code: code.get_untracked() });
        }>
            <h2>{school}</h2>
            <p>{format!("Школа отправила код подключения на {sent_to}.")}</p>
            <Field id=fields::CODE label="Код от школы" hint="6 цифр из письма"
                value=code error=error maxlength=6 input=FieldInput::Numeric/>
            <button type="submit" class="button">"Подтвердить"</button>
        </form>
    }
}

fn trend_view(trend: Trend) -> impl IntoView {
    (trend != Trend::New).then(|| {
        view! {
            <span class="diary__trend" title=trend.label()>
                {trend.arrow()}<span class="visually-hidden">{format!(" {}", trend.label())}</span>
            </span>
        }
    })
}

#[component]
fn DiaryView(
    diary: Diary,
    child: Option<i64>,
    notices: ServerAction<SetDiaryNotices>,
) -> impl IntoView {
    let path = child.map_or_else(
        || super::school::OWN_PATH.to_owned(),
        super::school::child_path,
    );
    let notify = diary.notify;
    view! {
        <p class="lead">{diary.school.clone()}</p>
        <nav class="diary__years" aria-label="Учебный год">
            {diary.years.iter().map(|(year, label)| {
                let current = *year == diary.year;
                view! {
                    <a href=format!("{path}?year={year}") aria-current=current.then_some("page")>{label.clone()}</a>
                }
            }).collect_view()}
        </nav>
        <p class="catalogue__meta">
            {diary.imported_at.clone().map(|at| format!("Обновлено {at} (МСК)")).unwrap_or_default()}
        </p>
        <div class="checkbox__item">
            <input type="checkbox" class="checkbox__input" id="diary-notify" prop:checked=notify
                on:change=move |ev| { notices.dispatch(SetDiaryNotices { child, notify: event_target_checked(&ev) }); }/>
            <label class="checkbox__label" for="diary-notify">"Сообщать о новых оценках и пропусках"</label>
        </div>
        <h2>{format!("Успеваемость, {} учебный год", diary.year_label)}</h2>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Средний балл по предметам">
            <table class="table">
                <thead><tr>
                    <th scope="col">"Предмет"</th>
                    <th scope="col">"I"</th><th scope="col">"II"</th><th scope="col">"III"</th><th scope="col">"IV"</th>
                    <th scope="col">"За год"</th>
                </tr></thead>
                <tbody>
                {diary.subjects.iter().cloned().map(|row| view! { <Averages row=row/> }).collect_view()}
                </tbody>
            </table>
        </div>
        <p class="catalogue__meta">"Стрелка — изменение среднего балла по сравнению с предыдущей четвертью (за год — с прошлым учебным годом)."</p>
        <h2>"Оценки"</h2>
        {diary.subjects.into_iter().map(|row| view! {
            <details class="diary__subject">
                <summary>{format!("{} — оценок: {}", row.subject, row.grades.len())}</summary>
                <ul class="diary__grades">
                {row.grades.into_iter().map(|g| view! {
                    <li><span class="diary__grade">{g.value}</span>" "{g.date}</li>
                }).collect_view()}
                </ul>
            </details>
        }).collect_view()}
        <h2>"Посещаемость"</h2>
        <p>{format!("Пропусков: {}, опозданий: {}", diary.absences, diary.lates)}</p>
        <ul class="service-records">
        {diary.attendance.into_iter().take(20).map(|a| view! {
            <li>
                <StatusChip tone=if a.kind == "Пропуск" { Tone::Warning } else { Tone::Info } text=a.kind.clone()/>
                " "{a.date}" · "{a.subject}
            </li>
        }).collect_view()}
        </ul>
        <h2>"Комментарии учителей"</h2>
        {if diary.comments.is_empty() {
            view! { <p>"Комментариев нет."</p> }.into_any()
        } else {
            view! {
                <ul class="service-records">
                {diary.comments.into_iter().map(|c| view! {
                    <li><p><strong>{c.subject}</strong>" · "{c.date}" · "{c.teacher}</p><p>{c.text}</p></li>
                }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

#[component]
fn Averages(row: SubjectRow) -> impl IntoView {
    view! {
        <tr>
            <th scope="row">{row.subject}</th>
            {row.quarters.into_iter().map(|q| view! {
                <td>{q.average.unwrap_or_else(|| "—".to_owned())}{trend_view(q.trend)}</td>
            }).collect_view()}
            <td><strong>{row.year_average.unwrap_or_else(|| "—".to_owned())}</strong>{trend_view(row.year_trend)}</td>
        </tr>
    }
}
