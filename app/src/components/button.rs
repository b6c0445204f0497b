use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ButtonKind {
    /// The one main action of a page.
    #[default]
    Primary,
    Secondary,
}

impl ButtonKind {
    fn class(self) -> &'static str {
        match self {
            ButtonKind::Primary => "button",
            ButtonKind::Secondary => "button button--secondary",
        }
    }
}

/// A button whose text is its accessible name. `submit` makes it the form's submit button.
#[component]
pub fn Button(
    #[prop(optional)] kind: ButtonKind,
    #[prop(optional)] submit: bool,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(optional)] on_click: Option<Callback<()>>,
    children: Children,
) -> impl IntoView {
    view! {
        <button
            type=if submit { "submit" } else { "button" }
            class=kind.class()
            disabled=disabled
            on:click=move |_| {
                if let Some(cb) = on_click {
                    cb.run(());
                }
            }
        >
            {children()}
        </button>
    }
}

/// A link that looks like a button, for a start or next action that is a navigation.
#[component]
pub fn ButtonLink(
    #[prop(into)] href: String,
    #[prop(optional)] kind: ButtonKind,
    children: Children,
) -> impl IntoView {
    view! {
        <a href=href class=kind.class() role="button" draggable="false">
            {children()}
        </a>
    }
}
