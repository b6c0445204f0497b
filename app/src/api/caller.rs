//! Who is calling: the account level and role every feature checks, and (server side) the
//! signed-in account behind the request's session.

use serde::{Deserialize, Serialize};

/// How long a re-authentication unlocks sensitive operations.
pub const REAUTH_MINUTES: i64 = 10;

/// «Упрощённая», «стандартная», «подтверждённая»: how far the account holder's identity has been
/// checked. Each level includes the ones below it; family features need `Confirmed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountLevel {
    /// Registered with name, СНИЛС, phone and e-mail.
    Simplified,
    /// Passport and СНИЛС verified in the registries.
    Standard,
    /// Identity confirmed in person, by a bank or by an electronic signature.
    Confirmed,
}

impl AccountLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountLevel::Simplified => "simplified",
            AccountLevel::Standard => "standard",
            AccountLevel::Confirmed => "confirmed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Simplified, Self::Standard, Self::Confirmed]
            .into_iter()
            .find(|level| level.as_str() == text)
    }

    /// The words the portal uses: «Упрощённая учётная запись».
    pub fn title(self) -> &'static str {
        match self {
            AccountLevel::Simplified => "Упрощённая учётная запись",
            AccountLevel::Standard => "Стандартная учётная запись",
            AccountLevel::Confirmed => "Подтверждённая учётная запись",
        }
    }
}

/// Who may do what: officers and administrators work in the back office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Citizen,
    Officer,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Citizen => "citizen",
            Role::Officer => "officer",
            Role::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Citizen, Self::Officer, Self::Admin]
            .into_iter()
            .find(|role| role.as_str() == text)
    }
}

/// The account behind a valid session.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone)]
pub struct SignedInAccount {
    pub account_id: i64,
    pub session_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub level: AccountLevel,
    pub role: Role,
    /// When the session ends if nothing happens, and when it ends at the latest.
    pub idle_expires_at: time::OffsetDateTime,
    pub expires_at: time::OffsetDateTime,
    /// When the user last proved again who they are in this session.
    pub reauthenticated_at: Option<time::OffsetDateTime>,
}

#[cfg(feature = "ssr")]
impl SignedInAccount {
    /// A sensitive operation may go ahead: re-authenticated within the last ten minutes.
    pub fn recently_reauthenticated(&self, now: time::OffsetDateTime) -> bool {
        let window = time::Duration::minutes(REAUTH_MINUTES);
        self.reauthenticated_at.is_some_and(|at| now - at < window)
    }
}

/// Finds the live session behind a cookie token and extends its idle deadline: what
/// [`crate::api::request::require_account`] asks of the server for every signed-in request.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait SessionLookup: Send + Sync {
    async fn session(
        &self,
        token: &str,
    ) -> Result<Option<SignedInAccount>, crate::api::ServiceError>;

    /// The same, without counting as activity: for what a page asks in the background, so an
    /// open tab does not keep a session from its idle timeout.
    async fn peek(&self, token: &str) -> Result<Option<SignedInAccount>, crate::api::ServiceError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_roles_round_trip_through_their_stored_names() {
        for level in [
            AccountLevel::Simplified,
            AccountLevel::Standard,
            AccountLevel::Confirmed,
        ] {
            assert_eq!(AccountLevel::parse(level.as_str()), Some(level));
        }
        for role in [Role::Citizen, Role::Officer, Role::Admin] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(AccountLevel::parse("gold"), None);
        assert!(AccountLevel::Confirmed > AccountLevel::Standard);
    }
}
