//! `/notifications/settings`: «Настройки уведомлений», a box for each event and channel, and
//! «Сохранить».

use leptos::prelude::*;
use leptos_meta::Title;

use super::push_section::PushSection;
use super::settings::{
    Choice, NoticeChannel, NoticeEvent, PUSH_FIELD, SMS_FIELD, SaveNotificationSettings,
    SettingsView, box_id, load_notification_settings,
};
use crate::components::{Button, ErrorSummary, FormErrors, interactive};

#[component]
pub fn NotificationSettingsPage() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| load_notification_settings());
    view! {
        <Title text="Настройки уведомлений — Госуслуги"/>
        <p class="breadcrumbs"><a href="/notifications">"Уведомления"</a>" → Настройки уведомлений"</p>
        <h1 id="page-title" tabindex="-1">"Настройки уведомлений"</h1>
        <p class="lead">
            "Отметьте, о чём и как сообщать: по заявлениям, документам, срокам и действиям в \
             личном кабинете ребёнка. В каждом сообщении будет ссылка на подробности в личном кабинете."
        </p>
        <Suspense fallback=|| view! { <p>"Загружаем…"</p> }>
            {move || loaded.get().map(|answer| match answer {
                Ok(view) => view! { <SettingsForm initial=view/> }.into_any(),
                Err(e) => view! {
                    <p class="error-text" role="alert">{e.summary_message()}</p>
                    <p><a href="/sign-in?next=/notifications/settings">"Войти"</a></p>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn SettingsForm(initial: SettingsView) -> impl IntoView {
    let shown = RwSignal::new(initial);
    let settings = RwSignal::new(shown.with_untracked(|v| v.settings.clone()));
    let save = ServerAction::<SaveNotificationSettings>::new();
    let form = FormErrors::new();
    let saved = RwSignal::new(false);
    let ready = interactive();
    Effect::new(move |_| match save.value().get() {
        Some(Ok(fresh)) => {
            form.clear();
            settings.set(fresh.settings.clone());
            shown.set(fresh);
            saved.set(true);
        }
        Some(Err(error)) => {
            saved.set(false);
            form.show_api_error(error);
        }
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        save.dispatch(SaveNotificationSettings {
            settings: settings.get_untracked(),
        });
    };
    let toggle = move |choice: Choice, on: bool| {
        saved.set(false);
        settings.update(|s| {
            s.chosen.retain(|c| *c != choice);
            if on {
                s.chosen.push(choice);
            }
            *s = s.normalised();
        });
    };
    let no_phone = shown.with_untracked(|v| v.phone.is_none());
    // A browser connected or disconnected below changes what the server reports, not the choice.
    let devices_changed = Callback::new(move |fresh: SettingsView| {
        shown.update(|v| {
            v.push_devices = fresh.push_devices;
        });
    });
    view! {
        <ErrorSummary errors=form.summary() message=form.message()/>
        {move || saved.get().then(|| view! {
            <div class="notice notice--success" role="status">
                <p><strong>"Настройки сохранены."</strong></p>
            </div>
        })}
        <p>
            {move || shown.with(|v| format!("Письма приходят на {}", v.email))}
            {move || shown.with(|v| v.phone.clone()).map(|p| format!(", SMS — на номер {p}"))}
            ". Изменить их можно в "<a href="/profile">"профиле"</a>"."
        </p>
        <form novalidate on:submit=submit>
            {[SMS_FIELD, PUSH_FIELD].map(|field| view! {
                <div id=field tabindex="-1">
                    <p class="field__error" hidden=move || form.for_field(field).get().is_none()>
                        {move || form.for_field(field).get().unwrap_or_default()}
                    </p>
                </div>
            }).collect_view()}
            <div class="table-scroll" tabindex="0" role="region" aria-label="О чём и как сообщать">
            // On a phone the CSS lays each event out as a card with its channels' boxes; the
            // explicit roles keep the table's semantics, which some browsers drop with `display`.
            <table class="table notify-settings" role="table">
                <caption class="visually-hidden">"О чём и как сообщать"</caption>
                <thead role="rowgroup"><tr role="row">
                    <th scope="col" role="columnheader">"Событие"</th>
                    {NoticeChannel::ALL.into_iter().map(|channel| view! {
                        <th scope="col" role="columnheader">{channel.label()}</th>
                    }).collect_view()}
                </tr></thead>
                <tbody role="rowgroup">
                {NoticeEvent::ALL.into_iter().map(|event| view! {
                    <tr role="row">
                        <th scope="row" role="rowheader">{event.label()}</th>
                        {NoticeChannel::ALL.into_iter().map(|channel| {
                            let choice = Choice { event, channel };
                            let id = box_id(choice);
                            if !event.offers(channel) {
                                return view! {
                                    <td role="cell" class="notify-settings__none"><span aria-hidden="true">"—"</span>
                                    <span class="visually-hidden">{format!("{} — {}: не отправляется", event.label(), channel.label())}</span></td>
                                }.into_any();
                            }
                            let unavailable = move || match channel {
                                NoticeChannel::Sms => no_phone,
                                NoticeChannel::Push => shown.with(|v| v.push_devices.is_empty()),
                                _ => false,
                            };
                            // As the server drew it, before the page is interactive.
                            let first = settings.with_untracked(|s| s.allows(event, channel));
                            view! {
                                <td role="cell">
                                    <input type="checkbox" class="notify-settings__box" id=id.clone()
                                        disabled=unavailable checked=first
                                        prop:checked=move || settings.with(|s| s.allows(event, channel))
                                        on:change=move |ev| toggle(choice, event_target_checked(&ev))/>
                                    // The channel's name is seen beside its box on a phone only.
                                    <label class="notify-settings__label" for=id>
                                        <span class="visually-hidden">{format!("{} — ", event.label())}</span>
                                        <span class="notify-settings__channel">{channel.label()}</span>
                                    </label>
                                </td>
                            }.into_any()
                        }).collect_view()}
                    </tr>
                }).collect_view()}
                </tbody>
            </table>
            </div>
            <p class="hint">
                {move || shown.with(|v| match &v.saved_at {
                    Some(at) => format!("Сохранено {at} (МСК)."),
                    None => "Пока вы не сохранили свой выбор, сообщения приходят на почту и в личный кабинет.".to_owned(),
                })}
            </p>
            <Button submit=true disabled=Signal::derive(move || save.pending().get() || !ready.get())>"Сохранить"</Button>
        </form>
        <PushSection shown=shown changed=devices_changed/>
        <p>
            <a href="/notifications">"Все уведомления"</a>" · "
            <a href="/notifications/history">"История уведомлений"</a>
        </p>
    }
}
