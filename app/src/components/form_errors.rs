use leptos::prelude::*;

use super::{ERROR_SUMMARY_ID, focus_element};
use crate::api::{ApiError, FieldError};

/// True once the page is hydrated. Buttons that send stay disabled until then, so nothing is sent
/// by a half-loaded page.
pub fn interactive() -> Signal<bool> {
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    ready.into()
}

/// The error state of one form, shared by every form so they all behave alike:
/// - a field is checked when the user leaves it, but only if they typed something (tabbing
///   through empty fields is not an error until they try to continue);
/// - a field marked wrong is re-checked as the user types, so its error goes the moment it is fixed;
/// - the summary at the top appears only after a submit, and takes focus.
#[derive(Clone, Copy)]
pub struct FormErrors {
    errors: RwSignal<Vec<FieldError>>,
    submitted: RwSignal<bool>,
    message: RwSignal<Option<String>>,
}

impl Default for FormErrors {
    fn default() -> Self {
        Self::new()
    }
}

impl FormErrors {
    pub fn new() -> Self {
        Self {
            errors: RwSignal::new(Vec::new()),
            submitted: RwSignal::new(false),
            message: RwSignal::new(None),
        }
    }

    /// The message shown next to one field.
    pub fn for_field(self, field: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || {
            self.errors.with(|all| {
                all.iter()
                    .find(|e| e.field == field)
                    .map(|e| e.message.clone())
            })
        })
    }

    /// What the error summary lists: nothing until the first submit.
    pub fn summary(self) -> Signal<Vec<FieldError>> {
        Signal::derive(move || {
            if self.submitted.get() {
                self.errors.get()
            } else {
                Vec::new()
            }
        })
    }

    /// The summary's message that belongs to no field.
    pub fn message(self) -> Signal<Option<String>> {
        self.message.into()
    }

    fn has(self, field: &str) -> bool {
        self.errors
            .with_untracked(|all| all.iter().any(|e| e.field == field))
    }

    /// Replaces the error of one field with the outcome of checking it again, in place: the
    /// summary keeps the form's order, and an unchanged error is not redrawn (a link the user is
    /// clicking must not move under the pointer).
    pub fn recheck(self, field: &str, error: Option<FieldError>) {
        let position = self
            .errors
            .with_untracked(|all| all.iter().position(|e| e.field == field));
        match (position, error) {
            (Some(i), Some(error)) => {
                if self.errors.with_untracked(|all| all[i] != error) {
                    self.errors.update(|all| all[i] = error);
                }
            }
            (Some(i), None) => self.errors.update(|all| {
                all.remove(i);
            }),
            (None, Some(error)) => self.errors.update(|all| all.push(error)),
            (None, None) => {}
        }
    }

    /// Connects a field to its check: re-checks it while it is marked wrong, and returns the
    /// callback for the field's `on_blur`.
    pub fn watch(
        self,
        field: &'static str,
        value: RwSignal<String>,
        check: impl Fn(&str) -> Option<FieldError> + Copy + Send + Sync + 'static,
    ) -> Callback<()> {
        Effect::new(move |_| {
            let text = value.get();
            if self.has(field) {
                self.recheck(field, check(&text));
            }
        });
        Callback::new(move |_| {
            let text = value.get_untracked();
            if self.has(field) || !text.trim().is_empty() {
                self.recheck(field, check(&text));
            }
        })
    }

    /// After a failed submit: show these errors (and a message), move focus to the summary.
    pub fn show(self, found: Vec<FieldError>, message: Option<String>) {
        self.submitted.set(true);
        self.errors.set(found);
        self.message.set(message);
        focus_element(ERROR_SUMMARY_ID);
    }

    /// Shows what a server function refused: field errors at their fields, anything else as the
    /// summary's message.
    pub fn show_api_error(self, error: ApiError) {
        match error {
            ApiError::Invalid(found) => self.show(found, None),
            other => self.show(Vec::new(), Some(other.summary_message())),
        }
    }

    pub fn clear(self) {
        self.errors.set(Vec::new());
        self.message.set(None);
    }
}
