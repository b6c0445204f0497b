//! A benefit's page: who can get it, the documents needed and the decision deadline.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::catalogue::{Benefit, load_benefit};
use super::eligibility_section::EligibilitySection;

#[component]
pub fn BenefitPage() -> impl IntoView {
    let params = use_params_map();
    let benefit = Resource::new(
        move || params.with(|p| p.get("code").unwrap_or_default()),
        load_benefit,
    );
    view! {
        <p class="breadcrumbs"><a href="/benefits">"Льготы"</a>" → Льгота"</p>
        <Suspense fallback=|| view! { <p>"Загружаем…"</p> }>
            {move || benefit.get().map(|loaded| match loaded {
                Ok(benefit) => view! { <BenefitDetails benefit=benefit/> }.into_any(),
                Err(e) => view! {
                    <Title text="Льгота не найдена — Госуслуги"/>
                    <h1 id="page-title" tabindex="-1">"Льгота не найдена"</h1>
                    <p class="error-text" role="alert">{e.summary_message()}</p>
                    <p><a href="/benefits">"Все льготы"</a></p>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn BenefitDetails(benefit: Benefit) -> impl IntoView {
    let Benefit {
        code,
        name,
        service_number,
        kind,
        summary,
        description,
        amount,
        who_can_get,
        requires,
        child_age,
        documents,
        decision_days,
    } = benefit;
    view! {
        <Title text=format!("{name} — Льготы — Госуслуги")/>
        <h1 id="page-title" tabindex="-1">{name}</h1>
        <p class="catalogue__meta">{kind.title()} " · номер услуги " {service_number}</p>
        <p class="lead">{summary}</p>
        <p>{description}</p>
        <dl class="summary">
            <div class="summary__row">
                <dt class="summary__key">"Размер"</dt>
                <dd class="summary__value">{amount}</dd>
            </div>
            <div class="summary__row">
                <dt class="summary__key">"Возраст ребёнка"</dt>
                <dd class="summary__value">{child_age.describe()}</dd>
            </div>
            <div class="summary__row">
                <dt class="summary__key">"Срок рассмотрения"</dt>
                <dd class="summary__value">{format!("до {decision_days} рабочих дней со дня подачи заявления")}</dd>
            </div>
        </dl>
        <h2>"Кто может получить"</h2>
        <ul>
            {who_can_get.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
        </ul>
        {requires.map(|status| view! {
            <p>"Проверяется по реестрам: " <strong>{status.title()}</strong> "."</p>
        })}
        <EligibilitySection code=code requires=requires child_age=child_age/>
        <h2 id="documents">"Документы"</h2>
        <p>"Файлы PDF, JPEG или PNG, не больше 5 МБ, разрешение скана не ниже 300 dpi."</p>
        <ol>
            {documents.into_iter().map(|doc| view! { <li>{doc.title()}</li> }).collect_view()}
        </ol>
    }
}
