//! How an error travels to the browser. Serializing is derived (the server side); reading is
//! written by hand, because the derived readers of an adjacently tagged enum (buffering, a second
//! visitor per field, one copy per JSON reader) were the largest piece of the app's own code in the
//! first page's bundle.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{ApiError, Refusal};

// A refusal travels as its code ([`Refusal::code`]), so renaming a variant changes nothing.
impl Serialize for Refusal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Refusal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Refusal::ALL
            .into_iter()
            .find(|refusal| refusal.code() == code)
            .ok_or_else(|| de::Error::custom("unknown refusal code"))
    }
}

/// The codes [`ApiError`]'s derived `Serialize` writes (`rename_all = "snake_case"`).
const CODES: &[&str] = &[
    "invalid",
    "refused",
    "throttled",
    "sign_in_required",
    "unavailable",
    "transport",
];

impl<'de> Deserialize<'de> for ApiError {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ErrorVisitor)
    }
}

struct ErrorVisitor;

impl<'de> Visitor<'de> for ErrorVisitor {
    type Value = ApiError;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an error object whose first key is \"code\"")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ApiError, A::Error> {
        if map.next_key::<String>()?.as_deref() != Some("code") {
            return Err(de::Error::missing_field("code"));
        }
        let code = map.next_value::<String>()?;
        Ok(match code.as_str() {
            "invalid" => ApiError::Invalid(details(&mut map)?),
            "refused" => ApiError::Refused(details(&mut map)?),
            "throttled" => {
                let wait: RetryAfter = details(&mut map)?;
                ApiError::Throttled {
                    retry_after_seconds: wait.retry_after_seconds,
                }
            }
            "sign_in_required" => ApiError::SignInRequired,
            "unavailable" => ApiError::Unavailable,
            "transport" => ApiError::Transport(details(&mut map)?),
            other => return Err(de::Error::unknown_variant(other, CODES)),
        })
    }
}

#[derive(Deserialize)]
struct RetryAfter {
    retry_after_seconds: u32,
}

/// The value of the `details` key, which must come next.
fn details<'de, A: MapAccess<'de>, T: Deserialize<'de>>(map: &mut A) -> Result<T, A::Error> {
    if map.next_key::<String>()?.as_deref() != Some("details") {
        return Err(de::Error::missing_field("details"));
    }
    map.next_value()
}
