//! Enumerations at the storage edge. Each is stored as its stable code (TEXT on both engines),
//! written out once beside the type (`as_str` / `parse`). `Code<T>` is the `sqlx::Type` both
//! drivers read it through: a code the type does not know is a decode error, never a default.
//! Rows name the field's own type and read it `#[sqlx(try_from = "Code<T>")]`. The outbox's
//! channel stays text: one unreadable message must not stop the delivery of all the others in
//! its batch (the dispatcher fails that one message, with the reason). Its status is typed: the
//! claim itself writes `sending`, so a batch never holds an unreadable one.

use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Database, Decode, Encode, Type};

use app::access::grants::GrantStatus;
use app::access::services::RecordStatus;
use app::account::second_factor::SecondFactor;
use app::account::{AccountLevel, IdentityCheckStatus, Role};
use app::activity::journal::{ActivityKind, ActorKind};
use app::benefits::catalogue::RequiredDocument;
use app::benefits::documents::{FileKind, UploadStatus};
use app::benefits::journal::JournalEvent;
use app::benefits::status::{ApplicationStatus, EligibilityFlag};
use app::domain::access::{MinorService, ServiceCategory, ServiceLevel};
use app::domain::minor::{AgeGroup, ConsentStatus, Relation};
use app::domain::verification::{Document, DocumentStatus};
use app::family::child_form::{BirthCountry, Sex};
use app::notifications::settings::{NoticeChannel, NoticeEvent};
use app::operations::JobStatus;
use app::receipts::check::ReceiptKind;
use app::support::requests::SupportStatus;

use super::eligibility_checks::CheckStatus;
use super::outbox::{DeliveryStep, MessageStatus};

/// A type stored as a code of its own.
pub trait StoredCode: Sized + Copy + Send + Sync + 'static {
    /// What the code is of, for the error that names an unreadable one.
    const WHAT: &'static str;
    fn code(self) -> &'static str;
    fn from_code(code: &str) -> Option<Self>;
}

/// `T` as its stored code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code<T>(pub T);

#[derive(Debug, thiserror::Error)]
#[error("unreadable stored {what}: {code:?}")]
pub struct UnreadableCode {
    what: &'static str,
    code: String,
}

impl<T: StoredCode, DB: Database> Type<DB> for Code<T>
where
    str: Type<DB>,
{
    fn type_info() -> DB::TypeInfo {
        <str as Type<DB>>::type_info()
    }

    fn compatible(ty: &DB::TypeInfo) -> bool {
        <str as Type<DB>>::compatible(ty)
    }
}

impl<'r, T: StoredCode, DB: Database> Decode<'r, DB> for Code<T>
where
    &'r str: Decode<'r, DB>,
{
    fn decode(value: DB::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <&'r str as Decode<'r, DB>>::decode(value)?;
        T::from_code(text).map(Code).ok_or_else(|| {
            UnreadableCode {
                what: T::WHAT,
                code: text.to_owned(),
            }
            .into()
        })
    }
}

impl<'q, T: StoredCode, DB: Database> Encode<'q, DB> for Code<T>
where
    &'static str: Encode<'q, DB>,
{
    fn encode_by_ref(
        &self,
        buf: &mut <DB as Database>::ArgumentBuffer,
    ) -> Result<IsNull, BoxDynError> {
        <&'static str as Encode<'q, DB>>::encode_by_ref(&self.0.code(), buf)
    }
}

/// `stored_codes!(Type => "what it is", …)`: each type's `as_str`/`parse` are its codes.
macro_rules! stored_codes {
    ($($ty:ty => $what:literal),* $(,)?) => {$(
        impl StoredCode for $ty {
            const WHAT: &'static str = $what;
            fn code(self) -> &'static str {
                self.as_str()
            }
            fn from_code(code: &str) -> Option<Self> {
                <$ty>::parse(code)
            }
        }

        impl From<Code<$ty>> for $ty {
            fn from(code: Code<$ty>) -> Self {
                code.0
            }
        }
    )*};
}

stored_codes! {
    AccountLevel => "account level",
    Role => "role",
    SecondFactor => "second factor",
    AgeGroup => "age group",
    IdentityCheckStatus => "identity check status",
    DocumentStatus => "document status",
    Document => "document",
    Relation => "relation",
    Sex => "sex",
    BirthCountry => "country of birth",
    ConsentStatus => "consent status",
    JobStatus => "job status",
    MessageStatus => "message status",
    DeliveryStep => "delivery step",
    CheckStatus => "eligibility check status",
    ReceiptKind => "receipt kind",
    ApplicationStatus => "application status",
    EligibilityFlag => "eligibility flag",
    FileKind => "file kind",
    UploadStatus => "upload status",
    JournalEvent => "application event",
    NoticeEvent => "notice event",
    NoticeChannel => "notice channel",
    SupportStatus => "support request status",
    ActivityKind => "activity kind",
    ActorKind => "activity actor",
    MinorService => "minor service",
    ServiceLevel => "service level",
    RecordStatus => "service record status",
    GrantStatus => "access grant status",
    ServiceCategory => "service category",
}

// The catalogue's own codes (`benefits.json` names documents by them).
impl StoredCode for RequiredDocument {
    const WHAT: &'static str = "required document";
    fn code(self) -> &'static str {
        RequiredDocument::code(self)
    }
    fn from_code(code: &str) -> Option<Self> {
        RequiredDocument::parse(code)
    }
}

impl From<Code<RequiredDocument>> for RequiredDocument {
    fn from(code: Code<RequiredDocument>) -> Self {
        code.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_as_its_value() {
        for level in [
            AccountLevel::Simplified,
            AccountLevel::Standard,
            AccountLevel::Confirmed,
        ] {
            assert_eq!(AccountLevel::from_code(level.code()), Some(level));
        }
        assert_eq!(Role::from_code("gold"), None);
    }
}
