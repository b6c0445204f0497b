use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

mod wire;

/// A refusal of one form field: the field's id (the same as the input's `id`), a stable
/// machine-readable code and the Russian message shown next to the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, code: &str, message: &str) -> Self {
        Self {
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.to_owned(),
        }
    }
}

/// What every server function returns on failure. Server layers map their own errors into this
/// once, at the boundary; the UI maps this to what the user sees.
/// On the wire: `{"code": "<variant>", "details": …}`, the code first (see [`wire`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "code", content = "details", rename_all = "snake_case")]
pub enum ApiError {
    /// The input was refused; each entry names a form field.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    /// The request was understood and refused for a reason of the domain (a used link, a wrong
    /// password); the message says what to do next.
    #[error("refused: {0:?}")]
    Refused(Refusal),
    /// Too many attempts or the server is saturated; try again after this many seconds.
    #[error("too many requests, retry after {retry_after_seconds} s")]
    Throttled { retry_after_seconds: u32 },
    /// The function needs a signed-in user and there is none (or the session has expired).
    #[error("sign-in required")]
    SignInRequired,
    /// Storage or another dependency failed; nothing was saved and the user may try again.
    #[error("service temporarily unavailable")]
    Unavailable,
    /// The request did not reach the function or its answer could not be read.
    #[error("request failed: {0}")]
    Transport(String),
}

/// Domain refusals that belong to no single field. The wording lives in [`crate::messages`]; the
/// machine code each travels as is written out in [`Refusal::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Wrong login or password, or no such account: one answer for all, so it reveals nothing.
    SignInFailed,
    /// An e-mail link that is not (or no longer) known.
    LinkInvalid,
    LinkExpired,
    LinkUsed,
    /// The SMS code expired or was used up by wrong tries; a new one must be sent.
    CodeExpired,
    CodeTriesExhausted,
    /// The contact is confirmed already; nothing to do.
    AlreadyConfirmed,
    /// The second step of sign-in took too long or too many wrong codes: start again.
    ChallengeExpired,
    /// SMS as a second factor needs a confirmed phone.
    PhoneNotConfirmed,
    /// A sensitive operation needs a fresh re-authentication.
    ReauthRequired,
    /// Family features need a confirmed account («подтверждённая»).
    ConfirmedLevelRequired,
    /// No such record for this user: another family's child reads the same as none.
    NotFound,
    /// Only officers and administrators.
    OfficersOnly,
    /// A check is running already, or the document cannot be checked (a foreign certificate).
    NothingToCheck,
    /// A child's account cannot sign in until a parent consents to the transfer of the child's
    /// personal data (asked for when the account was made).
    ParentConsentRequired,
    /// «Создать» is not allowed for this child (now): the card says why.
    ChildAccountNotAllowed,
    /// The wizard's step was done already or is not reached yet (another tab moved it on).
    WizardStepOutOfOrder,
    /// The consent's state does not allow that decision (decided or revoked in another tab).
    ConsentAlreadyDecided,
    /// No link code waits for this account (never issued, used, replaced or expired).
    LinkCodeExpired,
    /// Too many wrong link codes: the parent must issue a new one.
    LinkCodeTriesExhausted,
    /// The child's account is linked to this parent already.
    AlreadyLinked,
    /// «Привязать» is not offered for this child (now): the card says why.
    LinkNotAllowed,
    /// The parent asked for as many link codes as a day allows.
    LinkCodeDailyLimit,
    /// The parent has as many child cards as one account may hold.
    TooManyChildren,
    /// The application's status does not allow that action (`ApplicationStatus::apply`).
    TransitionNotAllowed,
    /// An officer must claim an application before deciding it.
    NotClaimed,
    /// Another officer's claim on the application is live.
    ClaimedByAnother,
    /// The officer who refused does not decide the appeal against that refusal.
    OwnRefusal,
    /// The 30 days to appeal a refusal have passed.
    AppealClosed,
    /// Someone changed the application since it was read: read it again.
    ApplicationChanged,
    /// The support request was answered already (by another officer, or in another tab).
    AlreadyAnswered,
    /// Only a parent changes a minor's access (a minor tried their own).
    ParentsOnly,
    /// The settings were saved by someone else since they were read.
    SettingsChanged,
    /// «Отправить повторно» on a message that was sent again already.
    AlreadyResent,
    /// «Отправить повторно» on a message that carried a code or a link (not kept), or was not
    /// refused.
    NotResendable,
}

impl Refusal {
    pub const ALL: [Refusal; 35] = [
        Refusal::SignInFailed,
        Refusal::LinkInvalid,
        Refusal::LinkExpired,
        Refusal::LinkUsed,
        Refusal::CodeExpired,
        Refusal::CodeTriesExhausted,
        Refusal::AlreadyConfirmed,
        Refusal::ChallengeExpired,
        Refusal::PhoneNotConfirmed,
        Refusal::ReauthRequired,
        Refusal::ConfirmedLevelRequired,
        Refusal::NotFound,
        Refusal::OfficersOnly,
        Refusal::NothingToCheck,
        Refusal::ParentConsentRequired,
        Refusal::ChildAccountNotAllowed,
        Refusal::WizardStepOutOfOrder,
        Refusal::ConsentAlreadyDecided,
        Refusal::LinkCodeExpired,
        Refusal::LinkCodeTriesExhausted,
        Refusal::AlreadyLinked,
        Refusal::LinkNotAllowed,
        Refusal::LinkCodeDailyLimit,
        Refusal::TooManyChildren,
        Refusal::TransitionNotAllowed,
        Refusal::NotClaimed,
        Refusal::ClaimedByAnother,
        Refusal::OwnRefusal,
        Refusal::AppealClosed,
        Refusal::ApplicationChanged,
        Refusal::AlreadyAnswered,
        Refusal::ParentsOnly,
        Refusal::SettingsChanged,
        Refusal::AlreadyResent,
        Refusal::NotResendable,
    ];

    /// The stable code the client reads: renaming a variant must not change it.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::SignInFailed => "sign_in_failed",
            Refusal::LinkInvalid => "link_invalid",
            Refusal::LinkExpired => "link_expired",
            Refusal::LinkUsed => "link_used",
            Refusal::CodeExpired => "code_expired",
            Refusal::CodeTriesExhausted => "code_tries_exhausted",
            Refusal::AlreadyConfirmed => "already_confirmed",
            Refusal::ChallengeExpired => "challenge_expired",
            Refusal::PhoneNotConfirmed => "phone_not_confirmed",
            Refusal::ReauthRequired => "reauth_required",
            Refusal::ConfirmedLevelRequired => "confirmed_level_required",
            Refusal::NotFound => "not_found",
            Refusal::OfficersOnly => "officers_only",
            Refusal::NothingToCheck => "nothing_to_check",
            Refusal::ParentConsentRequired => "parent_consent_required",
            Refusal::ChildAccountNotAllowed => "child_account_not_allowed",
            Refusal::WizardStepOutOfOrder => "wizard_step_out_of_order",
            Refusal::ConsentAlreadyDecided => "consent_already_decided",
            Refusal::LinkCodeExpired => "link_code_expired",
            Refusal::LinkCodeTriesExhausted => "link_code_tries_exhausted",
            Refusal::AlreadyLinked => "already_linked",
            Refusal::LinkNotAllowed => "link_not_allowed",
            Refusal::LinkCodeDailyLimit => "link_code_daily_limit",
            Refusal::TooManyChildren => "too_many_children",
            Refusal::TransitionNotAllowed => "transition_not_allowed",
            Refusal::NotClaimed => "not_claimed",
            Refusal::ClaimedByAnother => "claimed_by_another",
            Refusal::OwnRefusal => "own_refusal",
            Refusal::AppealClosed => "appeal_closed",
            Refusal::ApplicationChanged => "application_changed",
            Refusal::AlreadyAnswered => "already_answered",
            Refusal::ParentsOnly => "parents_only",
            Refusal::SettingsChanged => "settings_changed",
            Refusal::AlreadyResent => "already_resent",
            Refusal::NotResendable => "not_resendable",
        }
    }
}

impl ApiError {
    /// The message for errors that belong to no single field.
    pub fn summary_message(&self) -> String {
        match self {
            ApiError::Invalid(_) => "Проверьте поля, отмеченные ниже".to_owned(),
            ApiError::Refused(refusal) => crate::messages::refusal(*refusal).to_owned(),
            ApiError::Throttled {
                retry_after_seconds,
            } => crate::messages::throttled(*retry_after_seconds),
            ApiError::SignInRequired => {
                "Время сеанса истекло или вы не вошли. Войдите, чтобы продолжить".to_owned()
            }
            ApiError::Unavailable => "Сервис временно недоступен. Данные не сохранены — попробуйте ещё раз через несколько минут".to_owned(),
            ApiError::Transport(_) => "Не удалось связаться с сервером. Проверьте подключение к интернету и попробуйте ещё раз".to_owned(),
        }
    }

    /// An e-mail link that can no longer work (unknown, used or expired): the page offers a new
    /// one.
    pub fn is_dead_link(&self) -> bool {
        matches!(
            self,
            ApiError::Refused(Refusal::LinkExpired | Refusal::LinkUsed | Refusal::LinkInvalid)
        )
    }

    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            ApiError::Invalid(errors) => errors,
            _ => &[],
        }
    }
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        ApiError::Transport(value.to_string())
    }

    /// Every error a server function returns is serialized here, on its way out: the one place
    /// it gets its HTTP status, so no call site has to remember (a bare `?` included).
    fn ser(&self) -> leptos::server_fn::Bytes {
        #[cfg(feature = "ssr")]
        self.set_status();
        serde_json::to_vec(self)
            .map(Into::into)
            .unwrap_or_else(|_| leptos::server_fn::Bytes::from_static(br#"{"code":"unavailable"}"#))
    }
}

/// Server side: an [`ApiError`] becomes an HTTP status (and `Retry-After`) as it is serialized.
#[cfg(feature = "ssr")]
impl ApiError {
    /// The HTTP status this error is answered with (a route outside server functions, such as
    /// the document upload, answers the same way).
    pub fn http_status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Refused(Refusal::NotFound) => StatusCode::NOT_FOUND,
            ApiError::Refused(Refusal::ConfirmedLevelRequired | Refusal::OfficersOnly) => {
                StatusCode::FORBIDDEN
            }
            ApiError::Refused(_) => StatusCode::CONFLICT,
            ApiError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::SignInRequired => StatusCode::UNAUTHORIZED,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Transport(_) => StatusCode::BAD_REQUEST,
        }
    }

    fn set_status(&self) {
        use http::{HeaderValue, header};
        let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() else {
            return;
        };
        let status = self.http_status();
        if let ApiError::Throttled {
            retry_after_seconds,
        } = self
        {
            response.insert_header(header::RETRY_AFTER, HeaderValue::from(*retry_after_seconds));
        }
        response.set_status(status);
        let refused = match self {
            ApiError::SignInRequired => Some("sign_in_required"),
            ApiError::Refused(Refusal::NotFound) => Some("not_found_or_other_family"),
            ApiError::Refused(Refusal::ConfirmedLevelRequired) => Some("level_required"),
            ApiError::Refused(Refusal::OfficersOnly) => Some("officers_only"),
            _ => None,
        };
        if let Some(reason) = refused {
            super::request::log_refused(status, reason);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_travel_as_json_the_client_reads_back() {
        for error in [
            ApiError::Unavailable,
            ApiError::SignInRequired,
            ApiError::Refused(Refusal::LinkInvalid),
            ApiError::Invalid(vec![FieldError::new("login", "required", "Укажите логин")]),
            ApiError::Throttled {
                retry_after_seconds: 30,
            },
            ApiError::Transport("offline".to_owned()),
        ] {
            assert_eq!(ApiError::de(error.ser()), error);
            // Resources carry errors in the page as JSON text: the other reader.
            let text = serde_json::to_string(&error).unwrap();
            assert_eq!(serde_json::from_str::<ApiError>(&text).unwrap(), error);
        }
        let exact = serde_json::to_string(&ApiError::Throttled {
            retry_after_seconds: 30,
        })
        .unwrap();
        assert_eq!(
            exact,
            r#"{"code":"throttled","details":{"retry_after_seconds":30}}"#
        );
        for unreadable in [
            r#"{"details":"link_used","code":"refused"}"#,
            r#"{"code":"refused"}"#,
            r#"{"code":"refused","details":"no_such_refusal"}"#,
            r#"{"code":"no_such_code"}"#,
            r#"{"code":"unavailable","extra":1}"#,
        ] {
            assert!(
                serde_json::from_str::<ApiError>(unreadable).is_err(),
                "{unreadable}"
            );
        }
        // What `ser` sends if serializing ever failed is itself readable.
        let fallback = leptos::server_fn::Bytes::from_static(br#"{"code":"unavailable"}"#);
        assert_eq!(ApiError::de(fallback), ApiError::Unavailable);
    }

    #[test]
    fn each_refusal_travels_as_its_own_code() {
        let mut codes = std::collections::HashSet::new();
        for refusal in Refusal::ALL {
            assert!(codes.insert(refusal.code()), "{refusal:?} shares its code");
            let json = serde_json::to_string(&ApiError::Refused(refusal)).unwrap();
            assert_eq!(
                json,
                format!(r#"{{"code":"refused","details":"{}"}}"#, refusal.code())
            );
            assert_eq!(
                serde_json::from_str::<ApiError>(&json).unwrap(),
                ApiError::Refused(refusal)
            );
        }
        // ALL lists every variant once, in order: a new one added anywhere breaks this.
        for (position, refusal) in Refusal::ALL.into_iter().enumerate() {
            assert_eq!(refusal as usize, position);
        }
        assert_eq!(Refusal::ALL.len(), Refusal::NotResendable as usize + 1);
        assert_eq!(Refusal::SignInFailed.code(), "sign_in_failed");
        assert!(serde_json::from_str::<Refusal>(r#""no_such_code""#).is_err());
    }
}
