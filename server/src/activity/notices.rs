//! «Входы и обращения к данным ребёнка»: a minor's sign-in is told to their linked parents, a
//! view of their data to the minor and to the parents who did not make it — each on the
//! channels the person chose for the event (by default in the personal account only). Written
//! in the transaction of the journal entry, so a notice exists exactly when the entry does.

use app::activity::journal::ActivityKind;
use app::domain::format_ru_datetime;
use app::notifications::settings::NoticeEvent;
use time::OffsetDateTime;

use super::Activity;
use crate::db::{StorageError, Tx, accounts, link_codes};
use crate::outbox::{self, Notice};

pub(super) async fn tell(
    tx: &mut Tx,
    minor: i64,
    activity: &Activity<'_>,
    at: OffsetDateTime,
) -> Result<(), StorageError> {
    let Some(minor_account) = accounts::by_id_in(tx, minor).await? else {
        return Ok(());
    };
    let name = minor_account.first_name.clone();
    let when = format_ru_datetime(at);
    let (subject, text) = match activity.kind {
        ActivityKind::SignIn => {
            let from = activity
                .client
                .map(|c| {
                    format!(
                        ", {}, адрес {}",
                        app::account::device::describe(&c.user_agent),
                        c.address
                    )
                })
                .unwrap_or_default();
            (
                format!("{name}: вход в личный кабинет"),
                format!("{name} вошёл(-ла) в личный кабинет {when} (МСК){from}."),
            )
        }
        ActivityKind::DataView => (
            format!("Просмотр данных: {}", activity.action),
            format!(
                "{}: {} — {when} (МСК). {}",
                activity.actor.label, activity.action, activity.detail
            )
            .trim_end()
            .to_owned(),
        ),
        _ => return Ok(()),
    };
    let actor = activity.actor.account_id;
    for guardian in link_codes::guardians_in(tx, minor).await? {
        if Some(guardian.account_id) == actor {
            continue;
        }
        let Some(parent) = accounts::by_id_in(tx, guardian.account_id).await? else {
            continue;
        };
        let notice = Notice {
            event: NoticeEvent::ChildActivity,
            subject: subject.clone(),
            text: text.clone(),
            link: outbox::portal_link("/documents/family"),
        };
        outbox::notify(tx, &parent, &notice, at).await?;
    }
    if activity.kind == ActivityKind::DataView && actor != Some(minor) {
        let notice = Notice {
            event: NoticeEvent::ChildActivity,
            subject,
            text,
            link: outbox::portal_link("/profile/activity"),
        };
        outbox::notify(tx, &minor_account, &notice, at).await?;
    }
    Ok(())
}
