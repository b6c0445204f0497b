//! «Очередь заданий» for officers and administrators: background jobs (registry checks) with
//! their attempts and last error; a dead job can be run again. The same as `server admin jobs`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::api::ApiError;
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount};
use crate::components::{Button, ButtonKind, StatusChip, Tone};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Queued,
    Running,
    Done,
    Dead,
}

impl JobStatus {
    pub const ALL: [JobStatus; 4] = [Self::Queued, Self::Running, Self::Done, Self::Dead];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Done => "done",
            Self::Dead => "dead",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Queued => "В очереди",
            Self::Running => "Выполняется",
            Self::Done => "Выполнено",
            Self::Dead => "Не выполнено",
        }
    }

    fn tone(self) -> Tone {
        match self {
            Self::Queued => Tone::Neutral,
            Self::Running => Tone::Info,
            Self::Done => Tone::Success,
            Self::Dead => Tone::Error,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobView {
    pub id: i64,
    /// What the job does, in words: «Проверка свидетельства о рождении в ЕГР ЗАГС».
    pub kind: String,
    pub status: JobStatus,
    pub attempts: i32,
    pub max_attempts: i32,
    pub created_at: String,
    pub run_at: String,
    pub last_error: Option<String>,
}

#[cfg(feature = "ssr")]
async fn officer() -> Result<crate::api::SignedInAccount, ApiError> {
    crate::api::request::require_officer().await
}

#[server(prefix = "/api", endpoint = "operator/jobs")]
pub async fn list_jobs(status: Option<JobStatus>) -> Result<Vec<JobView>, ApiError> {
    use crate::api::service;
    let officer = officer().await?;
    service::<dyn Operations>()?
        .jobs(&officer, status)
        .await
        .map_err(ApiError::from)
}

#[server(prefix = "/api", endpoint = "operator/retry-job")]
pub async fn retry_job(id: i64) -> Result<(), ApiError> {
    use crate::api::service;
    let officer = officer().await?;
    service::<dyn Operations>()?
        .retry_job(&officer, id)
        .await
        .map_err(ApiError::from)
}

#[component]
pub fn OperatorJobsPage() -> impl IntoView {
    let query = use_query_map();
    let status =
        Memo::new(move |_| query.with(|q| q.get("status").and_then(|s| JobStatus::parse(&s))));
    let retry = ServerAction::<RetryJob>::new();
    let jobs = Resource::new(
        move || (status.get(), retry.version().get()),
        |(status, _)| list_jobs(status),
    );
    let filters = move || {
        let current = status.get();
        std::iter::once((None, "Все"))
            .chain(JobStatus::ALL.into_iter().map(|s| (Some(s), s.label())))
            .map(|(s, label)| {
                let href = s.map_or("/operator/jobs".to_owned(), |s| {
                    format!("/operator/jobs?status={}", s.as_str())
                });
                let here = (current == s).then_some("page");
                view! { <li><a href=href aria-current=here>{label}</a></li> }
            })
            .collect_view()
    };
    view! {
        <Title text="Очередь заданий — Госуслуги"/>
        <h1>"Очередь заданий"</h1>
        <p class="lead">"Проверки в ведомствах и другие фоновые задания. Задание, которое не удалось выполнить после всех попыток, можно запустить снова."</p>
        <nav aria-label="Фильтр по статусу"><ul class="filters">{filters}</ul></nav>
        {move || retry.value().get().and_then(|r| r.err()).map(|e| view! {
            <p class="error-text" role="alert">{e.summary_message()}</p>
        })}
        <Suspense fallback=|| view! { <p>"Загружаем…"</p> }>
            {move || jobs.get().map(|result| match result {
                Ok(list) if list.is_empty() => view! { <p>"Заданий нет."</p> }.into_any(),
                Ok(list) => view! { <JobTable jobs=list retry=retry/> }.into_any(),
                Err(e) => view! { <p class="error-text" role="alert">{e.summary_message()}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn JobTable(jobs: Vec<JobView>, retry: ServerAction<RetryJob>) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Задания">
        <table class="table">
            <thead><tr>
                <th scope="col">"№"</th>
                <th scope="col">"Задание"</th>
                <th scope="col">"Статус"</th>
                <th scope="col">"Попытки"</th>
                <th scope="col">"Создано"</th>
                <th scope="col">"Ошибка"</th>
                <th scope="col"><span class="visually-hidden">"Действия"</span></th>
            </tr></thead>
            <tbody>
            {jobs.into_iter().map(|job| {
                let id = job.id;
                view! {
                    <tr>
                        <td>{job.id}</td>
                        <td>{job.kind}</td>
                        <td><StatusChip tone=job.status.tone() text=job.status.label()/></td>
                        <td>{format!("{} из {}", job.attempts, job.max_attempts)}</td>
                        <td>{job.created_at}</td>
                        <td>{job.last_error.unwrap_or_default()}</td>
                        <td>{(job.status == JobStatus::Dead).then(|| view! {
                            <Button kind=ButtonKind::Secondary
                                on_click=Callback::new(move |_| { retry.dispatch(RetryJob { id }); })>
                                "Повторить"<span class="visually-hidden">{format!(" задание {id}")}</span>
                            </Button>
                        })}</td>
                    </tr>
                }
            }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}

/// The job queue as officers and administrators see it.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait Operations: Send + Sync {
    async fn jobs(
        &self,
        officer: &SignedInAccount,
        status: Option<JobStatus>,
    ) -> Result<Vec<JobView>, ServiceError>;

    /// Runs a dead job again.
    async fn retry_job(&self, officer: &SignedInAccount, id: i64) -> Result<(), ServiceError>;
}
