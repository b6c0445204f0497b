//! «Адрес постоянной регистрации» in «Профиль»: shown and changed here; «Создание учётной записи
//! ребёнка» offers it with «Совпадает с вашим адресом постоянной регистрации».

use leptos::prelude::*;

use super::profile::SaveRegistrationAddress;
use crate::child_account::wizard::{check_address, fields};
use crate::components::{Button, ButtonKind, ErrorSummary, Field, FormErrors, interactive};

#[component]
pub fn AddressSection(current: Option<String>, reload: Callback<()>) -> impl IntoView {
    let editing = RwSignal::new(false);
    let address = RwSignal::new(current.clone().unwrap_or_default());
    let form = FormErrors::new();
    let ready = interactive();
    let save = ServerAction::<SaveRegistrationAddress>::new();
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => {
            form.clear();
            editing.set(false);
            reload.run(());
        }
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });
    let blur = form.watch(fields::ADDRESS, address, |v| check_address(v).err());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match check_address(&address.get_untracked()) {
            Ok(_) => {
                save.dispatch(SaveRegistrationAddress {
                    address: address.get_untracked(),
                });
            }
            Err(e) => form.show(vec![e], None),
        }
    };
    let shown = current.clone().unwrap_or_else(|| "Не указан".to_owned());
    let action = if current.is_some() {
        "Изменить адрес"
    } else {
        "Указать адрес"
    };
    view! {
        <h2>"Адрес постоянной регистрации"</h2>
        <Show when=move || editing.get() fallback=move || view! {
            <p>{shown.clone()}</p>
            <Button kind=ButtonKind::Secondary disabled=Signal::derive(move || !ready.get())
                on_click=Callback::new(move |_| editing.set(true))>
                {action}
            </Button>
        }>
            <ErrorSummary errors=form.summary() message=form.message()/>
            <form novalidate on:submit=submit>
                <Field id=fields::ADDRESS label="Адрес постоянной регистрации"
                    hint="Регион, город, улица, дом, квартира — как в паспорте" value=address
                    error=form.for_field(fields::ADDRESS) autocomplete="street-address" on_blur=blur/>
                <div class="button-group">
                    <Button submit=true disabled=Signal::derive(move || save.pending().get() || !ready.get())>"Сохранить"</Button>
                    <Button kind=ButtonKind::Secondary on_click=Callback::new(move |_| editing.set(false))>"Отменить"</Button>
                </div>
            </form>
        </Show>
    }
}
