//! A child's own account on the server: the creation wizard (`wizard`), the parent's consents
//! (`consents`, with the receipt) and what the card shows about the account (`block`). Every
//! request names the parent; another family's child is «not found».

pub mod ages;
mod block;
mod consents;
mod creation;
mod letters;
mod linking;
pub mod receipt;
mod refusals;
mod settings;
mod wizard;

use std::sync::Arc;

use crate::accounts::AccountService;
use crate::clock::Clock;
use crate::db::Database;
use crate::outbox::Outbox;
use crate::passwords::PasswordHasher;

pub use block::account_block;

pub struct ChildAccountService {
    pub db: Database,
    pub clock: Arc<dyn Clock>,
    pub hasher: PasswordHasher,
    pub outbox: Outbox,
    /// Where links in letters point.
    pub public_url: String,
    /// The accounts' own e-mail links and SMS codes, reused to confirm a child's new contacts.
    pub accounts: Arc<AccountService>,
}

// The family's rules hold here too: «подтверждённая» only; another family's child is not found.
pub(crate) use crate::family::{not_found, require_confirmed};
