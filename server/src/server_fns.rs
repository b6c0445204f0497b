//! What server functions find in Leptos context, per request: each feature's service under its
//! own trait, the clock and the cookie policy. A server function asks for the one trait it needs
//! (`app::api::service::<dyn SignInService>()`); nothing hands it the rest.

use std::sync::Arc;

use app::access::grants::FullAccess;
use app::access::services::MinorServices;
use app::access::settings::AccessControl;
use app::account::{
    contact_change::ContactChangeService, contacts::ContactService, identity::IdentityCheckService,
    profile::ProfileService, reauth::ReauthService, recovery::RecoveryService,
    registration::RegistrationService, second_factor::SecondFactorService, session::SessionService,
    sign_in::SignInService,
};
use app::activity::journal::ActivityJournal;
use app::api::request::CookiePolicy;
use app::api::{Clock, SessionLookup};
use app::benefits::application::ApplicationDrafts;
use app::benefits::catalogue::BenefitCatalogue;
use app::benefits::documents::DocumentLibrary;
use app::benefits::eligibility::EligibilityService;
use app::benefits::history::ApplicationHistory;
use app::benefits::my_applications::MyApplications;
use app::benefits::reply::ApplicationReplies;
use app::benefits::submission::ApplicationSubmission;
use app::child_account::{
    consents::ConsentService,
    linking::LinkCodeService,
    settings::ChildAccountSettingsService,
    wizard::{ChildAccountCreation, ChildAccountWizard},
};
use app::diary::school::SchoolDiary;
use app::family::Family;
use app::mailbox::DevMailboxService;
use app::notifications::NotificationService;
use app::notifications::history::NotificationHistory;
use app::notifications::push::PushDevices;
use app::notifications::settings::NotificationPreferences;
use app::officer::desk::OfficerDesk;
use app::operations::Operations;
use app::receipts::check::ReceiptCheck;
use app::support::SupportDesk;
use app::support::requests::SupportRequests;
use leptos::prelude::provide_context;

use crate::access::AccessService;
use crate::accounts::AccountService;
use crate::activity::ActivityService;
use crate::benefits::Catalogue;
use crate::benefits::applications::Applications;
use crate::benefits::documents::Documents;
use crate::benefits::eligibility::EligibilityChecks;
use crate::child_accounts::ChildAccountService;
use crate::diary::DiaryService;
use crate::family::FamilyService;
use crate::officer::OfficerDeskService;
use crate::operations::OperationsService;
use crate::outbox::mailbox::MailboxReader;
use crate::receipts::Receipts;
use crate::support::SupportDeskService;

#[derive(Clone)]
pub struct ServerFnContext {
    pub clock: Arc<dyn Clock>,
    pub cookie_policy: CookiePolicy,
    pub accounts: Arc<AccountService>,
    pub family: Arc<FamilyService>,
    pub child_accounts: Arc<ChildAccountService>,
    pub operations: Arc<OperationsService>,
    pub activity: Arc<ActivityService>,
    pub access: Arc<AccessService>,
    pub diary: Arc<DiaryService>,
    pub data_rights: Arc<crate::data_rights::DataRightsService>,
    pub officer_desk: Arc<OfficerDeskService>,
    pub support_desk: Arc<SupportDeskService>,
    pub notifications: Arc<crate::notifications::NotificationCentre>,
    pub benefits: Arc<Catalogue>,
    pub eligibility: Arc<EligibilityChecks>,
    pub applications: Arc<Applications>,
    pub documents: Arc<Documents>,
    pub receipts: Arc<Receipts>,
    /// Present only when the development mailbox page is switched on.
    pub dev_mailbox: Option<Arc<MailboxReader>>,
}

impl ServerFnContext {
    /// Puts every service into the current request's context.
    pub fn provide(&self) {
        provide_context(self.clock.clone());
        provide_context(self.cookie_policy);

        let a = &self.accounts;
        provide_context(a.clone() as Arc<dyn SessionLookup>);
        provide_context(a.clone() as Arc<dyn RegistrationService>);
        provide_context(a.clone() as Arc<dyn ContactService>);
        provide_context(a.clone() as Arc<dyn SignInService>);
        provide_context(a.clone() as Arc<dyn SessionService>);
        provide_context(a.clone() as Arc<dyn ProfileService>);
        provide_context(a.clone() as Arc<dyn SecondFactorService>);
        provide_context(a.clone() as Arc<dyn ReauthService>);
        provide_context(a.clone() as Arc<dyn RecoveryService>);
        provide_context(a.clone() as Arc<dyn ContactChangeService>);
        provide_context(a.clone() as Arc<dyn IdentityCheckService>);
        provide_context(a.clone() as Arc<dyn NotificationService>);
        let n = &self.notifications;
        provide_context(n.clone() as Arc<dyn NotificationPreferences>);
        provide_context(n.clone() as Arc<dyn NotificationHistory>);
        provide_context(n.clone() as Arc<dyn PushDevices>);

        let c = &self.child_accounts;
        provide_context(c.clone() as Arc<dyn ChildAccountWizard>);
        provide_context(c.clone() as Arc<dyn ChildAccountCreation>);
        provide_context(c.clone() as Arc<dyn LinkCodeService>);
        provide_context(c.clone() as Arc<dyn ChildAccountSettingsService>);
        provide_context(c.clone() as Arc<dyn ConsentService>);

        provide_context(self.family.clone() as Arc<dyn Family>);
        provide_context(self.operations.clone() as Arc<dyn Operations>);
        provide_context(self.activity.clone() as Arc<dyn ActivityJournal>);
        provide_context(self.access.clone() as Arc<dyn AccessControl>);
        provide_context(self.access.clone() as Arc<dyn MinorServices>);
        provide_context(self.access.clone() as Arc<dyn FullAccess>);
        provide_context(self.diary.clone() as Arc<dyn SchoolDiary>);
        provide_context(
            self.data_rights.clone() as Arc<dyn app::data_rights::rights::ChildDataRights>
        );
        provide_context(self.officer_desk.clone() as Arc<dyn OfficerDesk>);
        provide_context(self.support_desk.clone() as Arc<dyn SupportDesk>);
        provide_context(self.support_desk.clone() as Arc<dyn SupportRequests>);
        provide_context(self.benefits.clone() as Arc<dyn BenefitCatalogue>);
        provide_context(self.eligibility.clone() as Arc<dyn EligibilityService>);
        provide_context(self.applications.clone() as Arc<dyn ApplicationDrafts>);
        provide_context(self.applications.clone() as Arc<dyn ApplicationSubmission>);
        provide_context(self.applications.clone() as Arc<dyn MyApplications>);
        provide_context(self.applications.clone() as Arc<dyn ApplicationHistory>);
        provide_context(self.applications.clone() as Arc<dyn ApplicationReplies>);
        provide_context(self.documents.clone() as Arc<dyn DocumentLibrary>);
        provide_context(self.receipts.clone() as Arc<dyn ReceiptCheck>);
        if let Some(mailbox) = &self.dev_mailbox {
            provide_context(mailbox.clone() as Arc<dyn DevMailboxService>);
        }
    }
}
