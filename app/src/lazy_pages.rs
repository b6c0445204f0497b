//! The pages the browser loads on first visit, each in its own chunk of the WASM bundle: the
//! first download holds only the shell and the home page. Shared code between lazy
//! pages goes into shared chunks by itself. A page is made lazy here, and used in `App`'s routes
//! as `Lazy::<Page>::new()`.

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

/// `lazy!(Route => Component)`: a route that loads `Component`'s code when first opened.
macro_rules! lazy {
    ($($route:ident => $page:path),* $(,)?) => {$(
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(this: Self) -> AnyView {
                let _ = this;
                view! { <$page/> }.into_any()
            }
        }
    )*};
}

lazy! {
    SignIn => crate::account::SignInPage,
    Documents => crate::pages::DocumentsPage,
    Family => crate::family::FamilyPage,
    AddChild => crate::family::AddChildPage,
    Child => crate::family::ChildPage,
    EditChild => crate::family::EditChildPage,
    ChildAccountWizard => crate::child_account::ChildAccountWizardPage,
    ChildAccountSettings => crate::child_account::ChildAccountSettingsPage,
    Consents => crate::child_account::ConsentsPage,
    ActivityJournal => crate::activity::ActivityJournalPage,
    AccessSettings => crate::access::AccessSettingsPage,
    MinorServices => crate::access::MinorServicesPage,
    Diary => crate::diary::DiaryPage,
    ChildData => crate::data_rights::ChildDataPage,
    ChildEmailLink => crate::child_account::ChildEmailLinkPage,
    OperatorJobs => crate::operations::OperatorJobsPage,
    OfficerQueue => crate::officer::OfficerQueuePage,
    OfficerCase => crate::officer::OfficerCasePage,
    Benefits => crate::benefits::CataloguePage,
    Benefit => crate::benefits::BenefitPage,
    ReceiptCheck => crate::receipts::ReceiptCheckPage,
    Applications => crate::benefits::MyApplicationsPage,
    Application => crate::benefits::ApplicationPage,
    ApplicationHistory => crate::benefits::ApplicationHistoryPage,
    ApplicationDraft => crate::benefits::ApplicationDraftPage,
    Notifications => crate::notifications::NotificationsPage,
    NotificationSettings => crate::notifications::NotificationSettingsPage,
    NotificationHistory => crate::notifications::NotificationHistoryPage,
    Help => crate::pages::HelpPage,
    AskQuestion => crate::support::AskQuestionPage,
    MySupportRequests => crate::support::MySupportRequestsPage,
    OfficerSupport => crate::support::OfficerSupportPage,
    Register => crate::account::RegisterPage,
    Contacts => crate::account::ContactsPage,
    EmailLink => crate::account::EmailLinkPage,
    Profile => crate::account::ProfilePage,
    Recovery => crate::account::RecoveryPage,
    RecoveryLink => crate::account::RecoveryLinkPage,
    DevMailbox => crate::mailbox::DevMailboxPage,
}
