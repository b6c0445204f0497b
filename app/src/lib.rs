//! The Leptos application: pages, components, the server-function contract and the pure domain
//! rules (re-exported from the `domain` crate). Compiled twice: with `ssr` into the server, with `hydrate` into the browser bundle.
// Deep view types (the child card) exceed the default limit when laid out.
#![recursion_limit = "256"]

/// The pure rules (СНИЛС, dates, certificates…) live in their own crate, shared with the server
/// and the registry simulator; `app::domain` keeps the path every page uses.
pub use ::domain;

pub mod access;
pub mod account;
pub mod activity;
pub mod api;
pub mod benefits;
pub mod child_account;
pub mod components;
pub mod data_rights;
pub mod diary;
pub mod family;
pub mod field_checks;
mod layout;
mod lazy_pages;
pub mod mailbox;
pub mod messages;
pub mod notifications;
pub mod officer;
pub mod operations;
mod pages;
pub mod receipts;
pub mod support;

use leptos::prelude::*;
use leptos_meta::{Meta, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use layout::Layout;
use leptos_router::Lazy;
use pages::{HomePage, NotFoundPage};

/// The CSP nonce of the current request. The server's security middleware puts it into the
/// request's extensions and names it in the `Content-Security-Policy` header; the shell hands it
/// to Leptos so every inline script it writes carries the same nonce.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

/// The HTML document around the application, rendered on the server only.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    use leptos_meta::{HashedStylesheet, MetaTags};

    if let Some(nonce) = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
    view! {
        <!DOCTYPE html>
        <html lang="ru">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#0d4cd3"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options=options.clone()/>
                <HashedStylesheet options=options id="leptos"/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="Госуслуги · Семья и дети"/>
        <Meta
            name="description"
            content="Госуслуги для семей с детьми: сведения о детях, учётные записи детей, льготы и заявления"
        />
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFoundPage/> }>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/sign-in") view={Lazy::<lazy_pages::SignIn>::new()}/>
                    <Route path=path!("/documents") view={Lazy::<lazy_pages::Documents>::new()}/>
                    <Route path=path!("/documents/family") view={Lazy::<lazy_pages::Family>::new()}/>
                    <Route path=path!("/documents/family/children/new") view={Lazy::<lazy_pages::AddChild>::new()}/>
                    <Route path=path!("/documents/family/children/:id") view={Lazy::<lazy_pages::Child>::new()}/>
                    <Route path=path!("/documents/family/children/:id/edit") view={Lazy::<lazy_pages::EditChild>::new()}/>
                    <Route path=path!("/documents/family/children/:id/account") view={Lazy::<lazy_pages::ChildAccountWizard>::new()}/>
                    <Route path=path!("/documents/family/children/:id/access") view={Lazy::<lazy_pages::AccessSettings>::new()}/>
                    <Route path=path!("/documents/family/children/:id/data") view={Lazy::<lazy_pages::ChildData>::new()}/>
                    <Route path=path!("/documents/family/children/:id/school") view={Lazy::<lazy_pages::Diary>::new()}/>
                    <Route path=path!("/documents/family/children/:id/activity") view={Lazy::<lazy_pages::ActivityJournal>::new()}/>
                    <Route path=path!("/documents/family/children/:id/account/settings") view={Lazy::<lazy_pages::ChildAccountSettings>::new()}/>
                    <Route path=path!("/documents/family/consents") view={Lazy::<lazy_pages::Consents>::new()}/>
                    <Route path=path!("/child-account/email") view={Lazy::<lazy_pages::ChildEmailLink>::new()}/>
                    <Route path=path!("/operator/jobs") view={Lazy::<lazy_pages::OperatorJobs>::new()}/>
                    <Route path=path!("/officer") view={Lazy::<lazy_pages::OfficerQueue>::new()}/>
                    <Route path=path!("/officer/support") view={Lazy::<lazy_pages::OfficerSupport>::new()}/>
                    <Route path=path!("/officer/applications/:id") view={Lazy::<lazy_pages::OfficerCase>::new()}/>
                    <Route path=path!("/benefits") view={Lazy::<lazy_pages::Benefits>::new()}/>
                    <Route path=path!("/benefits/:code") view={Lazy::<lazy_pages::Benefit>::new()}/>
                    <Route path=path!("/receipts/check") view={Lazy::<lazy_pages::ReceiptCheck>::new()}/>
                    <Route path=path!("/applications") view={Lazy::<lazy_pages::Applications>::new()}/>
                    <Route path=path!("/applications/history") view={Lazy::<lazy_pages::ApplicationHistory>::new()}/>
                    <Route path=path!("/applications/:id") view={Lazy::<lazy_pages::Application>::new()}/>
                    <Route path=path!("/applications/drafts/:id/:page") view={Lazy::<lazy_pages::ApplicationDraft>::new()}/>
                    <Route path=path!("/notifications") view={Lazy::<lazy_pages::Notifications>::new()}/>
                    <Route path=path!("/notifications/settings") view={Lazy::<lazy_pages::NotificationSettings>::new()}/>
                    <Route path=path!("/notifications/history") view={Lazy::<lazy_pages::NotificationHistory>::new()}/>
                    <Route path=path!("/help") view={Lazy::<lazy_pages::Help>::new()}/>
                    <Route path=path!("/help/question") view={Lazy::<lazy_pages::AskQuestion>::new()}/>
                    <Route path=path!("/help/requests") view={Lazy::<lazy_pages::MySupportRequests>::new()}/>
                    <Route path=path!("/register") view={Lazy::<lazy_pages::Register>::new()}/>
                    <Route path=path!("/account/contacts") view={Lazy::<lazy_pages::Contacts>::new()}/>
                    <Route path=path!("/account/email") view={Lazy::<lazy_pages::EmailLink>::new()}/>
                    <Route path=path!("/profile") view={Lazy::<lazy_pages::Profile>::new()}/>
                    <Route path=path!("/my-school") view={Lazy::<lazy_pages::Diary>::new()}/>
                    <Route path=path!("/my-services") view={Lazy::<lazy_pages::MinorServices>::new()}/>
                    <Route path=path!("/profile/activity") view={Lazy::<lazy_pages::ActivityJournal>::new()}/>
                    <Route path=path!("/recover") view={Lazy::<lazy_pages::Recovery>::new()}/>
                    <Route path=path!("/recover/email") view={Lazy::<lazy_pages::RecoveryLink>::new()}/>
                    <Route path=path!("/dev/mailbox") view={Lazy::<lazy_pages::DevMailbox>::new()}/>
                </Routes>
            </Layout>
        </Router>
    }
}

/// The browser's start: hydrates the server-rendered page (a page opened on a lazy route first
/// waits for its chunk), then sets `data-hydrated` on `<body>`. Tests wait for that attribute
/// before they interact, so it comes only once the page's own buttons have been taken over; an
/// effect inside `App` ran while the chunk was still loading, and a quick click did nothing.
#[cfg(feature = "hydrate")]
pub fn hydrate() {
    wasm_bindgen_futures::spawn_local(async {
        let Some(body) = document().body() else {
            return;
        };
        leptos::mount::hydrate_from_async(body.clone(), App)
            .await
            .forget();
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
