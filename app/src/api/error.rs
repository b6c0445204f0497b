use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", content = "details", rename_all = "snake_case")]
pub enum ApiError {
    /// The input was refused; each entry names a form field.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    /// Storage or another dependency failed; nothing was saved and the user may try again.
    #[error("service temporarily unavailable")]
    Unavailable,
    /// The request did not reach the function or its answer could not be read.
    #[error("request failed: {0}")]
    Transport(String),
}

impl ApiError {
    /// The message for errors that belong to no single field.
    pub fn summary_message(&self) -> &'static str {
        match self {
            ApiError::Invalid(_) => "Проверьте поля, отмеченные ниже",
            ApiError::Unavailable => {
                "Сервис временно недоступен. Данные не сохранены — попробуйте ещё раз через несколько минут"
            }
            ApiError::Transport(_) => {
                "Не удалось связаться с сервером. Проверьте подключение к интернету и попробуйте ещё раз"
            }
        }
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
}
