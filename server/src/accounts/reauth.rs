//! Re-authentication before sensitive operations: the password again, then the second factor
//! if the account has one. Success gives the session a new id (a privilege change) and marks it
//! re-authenticated; operations check the mark is at most ten minutes old.

use app::account::reauth::ReauthService;
use app::account::second_factor::{FactorCode, SecondFactor, fields};
use app::account::sign_in::SignInResult;
use app::api::Refusal;
use app::api::request::{ClientInfo, NewSession};
use app::api::{ServiceError, SignedInAccount};
use time::OffsetDateTime;

use super::AccountService;
use crate::db::{StorageError, Tx, sessions};
use crate::secrets;

impl AccountService {
    /// Ends the current session and opens one marked re-authenticated now.
    async fn reauthenticated_session(
        &self,
        tx: &mut Tx,
        signed_in: &SignedInAccount,
        client: &ClientInfo,
        now: OffsetDateTime,
    ) -> Result<NewSession, StorageError> {
        let session = self
            .rotate_session(tx, signed_in, &client.user_agent, now)
            .await?;
        sessions::mark_reauthenticated(tx, &secrets::hash_token(&session.token), now).await?;
        Ok(session)
    }
}

#[async_trait::async_trait]
impl ReauthService for AccountService {
    async fn reauthenticate(
        &self,
        signed_in: &SignedInAccount,
        password: &str,
        client: &ClientInfo,
    ) -> Result<SignInResult, ServiceError> {
        let account = self.account(signed_in).await?;
        self.check_password_of(&account, password, client, fields::PASSWORD)
            .await?;
        let now = self.clock.now();
        let factor = account.second_factor;
        let mut tx = self.db.begin().await?;
        let result = if factor == SecondFactor::None {
            SignInResult::Session(
                self.reauthenticated_session(&mut tx, signed_in, client, now)
                    .await?,
            )
        } else {
            self.open_challenge(&mut tx, &account, factor, client, now)
                .await?
        };
        tx.commit().await?;
        self.outbox.wake();
        Ok(result)
    }

    async fn reauthenticate_second_factor(
        &self,
        signed_in: &SignedInAccount,
        challenge: &str,
        code: FactorCode,
        client: &ClientInfo,
    ) -> Result<NewSession, ServiceError> {
        let now = self.clock.now();
        let (mut tx, account) = self.verify_challenge(challenge, code, client, now).await?;
        // A challenge opened by another account's password proves nothing about this one.
        if account.id != signed_in.account_id {
            return Err(ServiceError::Refused(Refusal::ChallengeExpired));
        }
        let session = self
            .reauthenticated_session(&mut tx, signed_in, client, now)
            .await?;
        tx.commit().await?;
        Ok(session)
    }
}
