//! «Push-уведомления» on the settings page: the browsers connected, «Подключить этот браузер»
//! and «Отключить» for each.

use leptos::prelude::*;

use super::push::{CONNECT_FIELD, ConnectPush, DisconnectPush};
use super::settings::{PushDevice, SettingsView};
use crate::components::interactive;

#[component]
pub fn PushSection(
    shown: RwSignal<SettingsView>,
    changed: Callback<SettingsView>,
) -> impl IntoView {
    let connect = ServerAction::<ConnectPush>::new();
    let disconnect = ServerAction::<DisconnectPush>::new();
    let problem = RwSignal::new(None::<String>);
    let asking = RwSignal::new(false);
    let ready = interactive();
    // One effect per action: each shows its own newest answer, never the other's older one.
    let show = move |answer: Result<SettingsView, crate::api::ApiError>| match answer {
        Ok(fresh) => {
            problem.set(None);
            changed.run(fresh);
        }
        Err(e) => problem.set(Some(
            e.field_errors()
                .first()
                .map(|f| f.message.clone())
                .unwrap_or_else(|| e.summary_message()),
        )),
    };
    Effect::new(move |_| {
        if let Some(answer) = connect.value().get() {
            show(answer);
        }
    });
    Effect::new(move |_| {
        if let Some(answer) = disconnect.value().get() {
            show(answer);
        }
    });
    let start = move |_| {
        problem.set(None);
        asking.set(true);
        #[cfg(feature = "hydrate")]
        {
            let key = shown.with_untracked(|v| v.push_key.clone());
            leptos::task::spawn_local(async move {
                match super::push::subscribe_this_browser(&key).await {
                    Ok(subscription) => {
                        connect.dispatch(ConnectPush { subscription });
                    }
                    Err(reason) => {
                        problem.set(Some(format!("Браузер не подключён: {reason}.")));
                    }
                }
                asking.set(false);
            });
        }
    };
    let busy = move || asking.get() || connect.pending().get() || !ready.get();
    view! {
        <section class="push-devices" aria-labelledby="push-title">
            <h2 id="push-title">"Push-уведомления"</h2>
            <p>
                "Push-уведомления приходят в браузер на телефоне или компьютере, даже когда портал \
                 закрыт. Подключите браузер, затем отметьте «Push-уведомления» у нужных событий \
                 и нажмите «Сохранить»."
            </p>
            {move || {
                let devices = shown.with(|v| v.push_devices.clone());
                if devices.is_empty() {
                    view! { <p class="hint">"Браузеры не подключены."</p> }.into_any()
                } else {
                    view! {
                        <ul class="push-devices__list">
                            {devices.into_iter().map(|d| view! { <Device device=d disconnect=disconnect/> }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
            <p class="field__error" id=CONNECT_FIELD role="alert" hidden=move || problem.with(Option::is_none)>
                {move || problem.get().unwrap_or_default()}
            </p>
            <button type="button" class="button button--secondary" aria-describedby=CONNECT_FIELD
                disabled=busy on:click=start>
                "Подключить этот браузер"
            </button>
        </section>
    }
}

#[component]
fn Device(device: PushDevice, disconnect: ServerAction<DisconnectPush>) -> impl IntoView {
    let id = device.id;
    let label = format!("Отключить {}", device.device);
    view! {
        <li>
            {format!("{} — подключён {}", device.device, device.connected_at)}" "
            <button type="button" class="link-button" aria-label=label
                disabled=move || disconnect.pending().get()
                on:click=move |_| { disconnect.dispatch(DisconnectPush { id }); }>
                "Отключить"
            </button>
        </li>
    }
}
