//! The account part of a child's card: «Создать» (or «Продолжить создание»), the reason it is
//! not offered, or the child's account with the consent that lets the child sign in.

use leptos::prelude::*;

use super::consents::{ConsentActions, ConsentText, consent_tone};
use super::linking::LinkChildForm;
use super::{AccountBlock, ChildAccountView, unavailable_text};
use crate::components::{ButtonLink, StatusChip, Tone};
use crate::domain::minor::ConsentStatus;

#[component]
pub fn ChildAccountBlock(
    child_id: i64,
    block: AccountBlock,
    reload: Callback<()>,
) -> impl IntoView {
    let wizard = format!("/documents/family/children/{child_id}/account");
    let body = match block {
        AccountBlock::CanCreate { started: false } => view! {
            <p>"Вы можете создать ребёнку учётную запись на Госуслугах. Она будет привязана к вашей."</p>
            <ButtonLink href=wizard>"Создать"</ButtonLink>
        }
        .into_any(),
        AccountBlock::CanCreate { started: true } => view! {
            <p>"Вы начали создавать учётную запись ребёнка и не закончили."</p>
            <ButtonLink href=wizard>"Продолжить создание"</ButtonLink>
        }
        .into_any(),
        AccountBlock::CanLink { teen } => view! {
            <p>{if teen {
                "Ребёнку уже 14 лет: учётную запись он создаёт сам, с паспортом. Если она уже есть, привяжите её к своей — ребёнок введёт код привязки после входа."
            } else {
                "У ребёнка уже есть учётная запись — её создал другой родитель. Привяжите её к своей: ребёнок введёт код привязки после входа."
            }}</p>
            <LinkChildForm child_id=child_id/>
        }
        .into_any(),
        AccountBlock::Unavailable(eligibility) => view! {
            <p class="notice">{unavailable_text(eligibility)}</p>
        }
        .into_any(),
        AccountBlock::Account(account) => view! { <AccountDetails account=account reload=reload/> }.into_any(),
    };
    view! {
        <section class="card child-account" aria-labelledby="child-account-title">
            <h2 id="child-account-title">"Учётная запись ребёнка"</h2>
            {body}
        </section>
    }
}

#[component]
fn AccountDetails(account: ChildAccountView, reload: Callback<()>) -> impl IntoView {
    let login = match &account.phone {
        Some(phone) => format!("{} или {phone}", account.email),
        None => account.email.clone(),
    };
    if account.link_ended {
        return view! {
            <p><StatusChip tone=Tone::Neutral text="Управление завершено"/></p>
            <p>"Ребёнку исполнилось 18 лет: его учётная запись стала взрослой, управлять ею больше нельзя. История согласий сохранена."</p>
            <p><a href="/documents/family/consents">"История согласий и квитанции"</a></p>
        }
        .into_any();
    }
    let consent = account.consent.map(|consent| {
        let explanation = match consent.status {
            ConsentStatus::Requested => {
                "Ребёнок не сможет войти, пока вы не дадите согласие на передачу его персональных данных"
            }
            ConsentStatus::Granted => "Ребёнок может входить в свою учётную запись",
            ConsentStatus::Declined | ConsentStatus::Revoked => {
                "Ребёнок не может войти в свою учётную запись, пока вы не дадите согласие"
            }
        };
        view! {
            <h3>"Согласие на передачу персональных данных"</h3>
            <p><StatusChip tone=consent_tone(consent.status) text=consent.status.label()/></p>
            <p>{explanation}</p>
            <ConsentText/>
            <ConsentActions id=consent.id status=consent.status on_done=reload/>
        }
    });
    view! {
        <p><StatusChip tone=Tone::Success text="Учётная запись создана"/></p>
        <dl class="summary">
            <div class="summary__row">
                <dt class="summary__key">"Вход"</dt>
                <dd class="summary__value">{login}</dd>
            </div>
        </dl>
        {consent}
        <p><a href="/documents/family/consents">"Все согласия и квитанции"</a></p>
        <p><a href=crate::access::settings::settings_path(account.child_id)>"Настройки доступа"</a></p>
        <p><a href=crate::diary::school::child_path(account.child_id)>"Учебные данные"</a></p>
        <p><a href=crate::activity::journal::child_path(account.child_id)>"Журнал активности"</a></p>
        <ButtonLink href=format!("/documents/family/children/{}/account/settings", account.child_id) kind=crate::components::ButtonKind::Secondary>"Настроить профиль"</ButtonLink>
    }
    .into_any()
}
