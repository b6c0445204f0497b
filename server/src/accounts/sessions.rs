//! Sessions: opened at sign-in (always a new id), found by the cookie's token on each request,
//! ended at sign-out, after 30 idle minutes or 12 hours at most.

use app::account::session::SessionService;
use app::account::{SessionInfo, device};
use app::api::request::{ClientInfo, NewSession};
use app::api::{ServiceError, SessionLookup, SignedInAccount};
use app::domain::format_ru_datetime;
use time::{Duration, OffsetDateTime};

use super::AccountService;
use crate::db::{StorageError, Tx, known_devices, sessions};
use crate::secrets;

pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// Activity is written at most this often, so reading pages does not mean writing the database.
const TOUCH_EVERY: Duration = Duration::minutes(1);

impl AccountService {
    pub(super) async fn open_session(
        &self,
        tx: &mut Tx,
        account_id: i64,
        client: &ClientInfo,
        now: OffsetDateTime,
    ) -> Result<NewSession, StorageError> {
        let (token, token_hash) = secrets::new_token();
        sessions::insert(
            tx,
            sessions::NewSession {
                token_hash: &token_hash,
                account_id,
                user_agent: &client.user_agent,
                expires_at: now + ABSOLUTE_TIMEOUT,
            },
            now,
        )
        .await?;
        Ok(NewSession {
            token,
            max_age_seconds: ABSOLUTE_TIMEOUT.whole_seconds(),
        })
    }

    /// A complete sign-in: the session, the device remembered so that failures from elsewhere
    /// never lock it out, and a minor's journal entry.
    pub(super) async fn open_signed_in_session(
        &self,
        tx: &mut Tx,
        account_id: i64,
        client: &ClientInfo,
        now: OffsetDateTime,
    ) -> Result<NewSession, StorageError> {
        let session = self.open_session(tx, account_id, client, now).await?;
        known_devices::remember(tx, account_id, &secrets::hash_token(&client.device), now).await?;
        // A minor's sign-in goes to «Журнал активности» with the device and address.
        crate::activity::record_sign_in(tx, account_id, client, now).await?;
        Ok(session)
    }
}

#[async_trait::async_trait]
impl SessionService for AccountService {
    async fn sign_out(&self, token: &str) -> Result<(), ServiceError> {
        let hash = secrets::hash_token(token);
        sessions::end_by_hash(&self.db, &hash, self.clock.now()).await?;
        Ok(())
    }

    async fn sessions(
        &self,
        signed_in: &SignedInAccount,
    ) -> Result<Vec<SessionInfo>, ServiceError> {
        let now = self.clock.now();
        let live =
            sessions::live_for_account(&self.db, signed_in.account_id, now, now - IDLE_TIMEOUT)
                .await?;
        Ok(live
            .into_iter()
            .map(|s| SessionInfo {
                id: s.id,
                device: device::describe(&s.user_agent),
                started_at: format_ru_datetime(s.created_at),
                last_seen_at: format_ru_datetime(s.last_seen_at),
                current: s.id == signed_in.session_id,
            })
            .collect())
    }

    async fn end_all_sessions(&self, signed_in: &SignedInAccount) -> Result<(), ServiceError> {
        let mut tx = self.db.begin().await?;
        sessions::end_all(&mut tx, signed_in.account_id, None, self.clock.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn extend_session(
        &self,
        signed_in: &SignedInAccount,
    ) -> Result<SignedInAccount, ServiceError> {
        let now = self.clock.now();
        sessions::touch(&self.db, signed_in.session_id, now).await?;
        Ok(SignedInAccount {
            idle_expires_at: (now + IDLE_TIMEOUT).min(signed_in.expires_at),
            ..signed_in.clone()
        })
    }
}

#[async_trait::async_trait]
impl SessionLookup for AccountService {
    async fn session(&self, token: &str) -> Result<Option<SignedInAccount>, ServiceError> {
        self.look_up(token, true).await
    }

    async fn peek(&self, token: &str) -> Result<Option<SignedInAccount>, ServiceError> {
        self.look_up(token, false).await
    }
}

impl AccountService {
    /// The live session of `token`; `active` writes the activity (at most once a minute).
    async fn look_up(
        &self,
        token: &str,
        active: bool,
    ) -> Result<Option<SignedInAccount>, ServiceError> {
        let now = self.clock.now();
        let hash = secrets::hash_token(token);
        let Some(live) = sessions::live(&self.db, &hash, now, now - IDLE_TIMEOUT).await? else {
            return Ok(None);
        };
        let last_seen = if active && now - live.last_seen_at >= TOUCH_EVERY {
            sessions::touch(&self.db, live.id, now).await?;
            now
        } else {
            live.last_seen_at
        };
        Ok(Some(SignedInAccount {
            account_id: live.account_id,
            session_id: live.id,
            first_name: live.first_name,
            last_name: live.last_name,
            level: live.level,
            role: live.role,
            idle_expires_at: (last_seen + IDLE_TIMEOUT).min(live.expires_at),
            expires_at: live.expires_at,
            reauthenticated_at: live.reauthenticated_at,
        }))
    }
}
