use leptos::prelude::*;

/// The colour family of a status. The text carries the meaning; colour only repeats it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    #[default]
    Neutral,
    Info,
    Success,
    Warning,
    Error,
}

impl Tone {
    fn class(self) -> &'static str {
        match self {
            Tone::Neutral => "chip",
            Tone::Info => "chip chip--info",
            Tone::Success => "chip chip--success",
            Tone::Warning => "chip chip--warning",
            Tone::Error => "chip chip--error",
        }
    }
}

/// A short status text such as «Проверка данных» or «Одобрено».
#[component]
pub fn StatusChip(#[prop(optional)] tone: Tone, #[prop(into)] text: String) -> impl IntoView {
    view! { <strong class=tone.class()>{text}</strong> }
}
