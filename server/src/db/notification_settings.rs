//! «Настройки уведомлений»: the pairs of event and channel a person switched on or off. An
//! account that never saved has no rows and gets the defaults.

use sqlx::FromRow;
use time::OffsetDateTime;

use app::notifications::settings::{Choice, NoticeChannel, NoticeEvent, NotificationSettings};

use super::codes::Code;
use super::{Database, StorageError, Tx};
use crate::{on_tx, pool_read, tx_execute};

#[derive(FromRow)]
struct Row {
    #[sqlx(try_from = "Code<NoticeEvent>")]
    event: NoticeEvent,
    #[sqlx(try_from = "Code<NoticeChannel>")]
    channel: NoticeChannel,
    enabled: bool,
    saved_at: OffsetDateTime,
}

const SELECT: &str =
    "SELECT event, channel, enabled, saved_at FROM notification_settings WHERE account_id = $1";

/// The settings as saved (and when), or the defaults and `None`.
fn settings_of(rows: Vec<Row>) -> (NotificationSettings, Option<OffsetDateTime>) {
    let Some(saved_at) = rows.iter().map(|r| r.saved_at).max() else {
        return (NotificationSettings::default(), None);
    };
    let defaults = NotificationSettings::default();
    // A pair saved before a new event or channel existed keeps its default.
    let chosen = NoticeEvent::ALL
        .into_iter()
        .flat_map(|event| NoticeChannel::ALL.map(|channel| Choice { event, channel }))
        .filter(|choice| {
            rows.iter()
                .find(|r| r.event == choice.event && r.channel == choice.channel)
                .map_or(defaults.allows(choice.event, choice.channel), |r| r.enabled)
        })
        .collect();
    (NotificationSettings { chosen }, Some(saved_at))
}

pub async fn of_account(
    db: &Database,
    account: i64,
) -> Result<(NotificationSettings, Option<OffsetDateTime>), StorageError> {
    let rows = pool_read!(db, Row, fetch_all, SELECT.to_owned(), account)?;
    Ok(settings_of(rows))
}

/// The same, inside the transaction that is about to tell the person something.
pub async fn of_account_in(
    tx: &mut Tx,
    account: i64,
) -> Result<NotificationSettings, StorageError> {
    let rows = on_tx!(tx, |conn| {
        sqlx::query_as::<_, Row>(SELECT)
            .bind(account)
            .fetch_all(conn)
            .await
    })?;
    Ok(settings_of(rows).0)
}

/// Saves every pair, on or off, in one transaction.
pub async fn save(
    db: &Database,
    account: i64,
    settings: &NotificationSettings,
    at: OffsetDateTime,
) -> Result<(), StorageError> {
    let mut tx = db.begin().await?;
    for event in NoticeEvent::ALL {
        for channel in NoticeChannel::ALL {
            tx_execute!(
                &mut tx,
                "INSERT INTO notification_settings (account_id, event, channel, enabled, saved_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id, event, channel) \
                 DO UPDATE SET enabled = excluded.enabled, saved_at = excluded.saved_at",
                account,
                Code(event),
                Code(channel),
                settings.allows(event, channel),
                at
            )?;
        }
    }
    tx.commit().await
}
