//! The journal's hash chain. An entry's hash is SHA-256 over a version tag, the previous entry's
//! hash and each field the page shows, every field prefixed by its length so no two different
//! entries encode alike. The first entry of a minor follows [`GENESIS`]. Changing, removing,
//! inserting or reordering an entry breaks the chain at that entry.

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use app::activity::journal::ChainState;

use crate::db::activity_journal::StoredEntry;

/// What the first entry follows.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

const TAG: &[u8] = b"family-portal activity journal v1";

/// The moment as stored: whole seconds, which both engines keep exactly.
pub fn stored_moment(at: OffsetDateTime) -> OffsetDateTime {
    at.replace_nanosecond(0)
        .expect("zero nanoseconds are valid")
}

/// The hash of `entry` after `prev_hash` (hex), as lowercase hex.
pub fn hash(prev_hash: &str, entry: &StoredEntry) -> String {
    let mut digest = Sha256::new();
    let mut field = |bytes: &[u8]| {
        digest.update((bytes.len() as u64).to_be_bytes());
        digest.update(bytes);
    };
    field(TAG);
    field(prev_hash.as_bytes());
    field(&entry.minor_account_id.to_be_bytes());
    field(&entry.seq.to_be_bytes());
    field(&entry.occurred_at.unix_timestamp().to_be_bytes());
    field(entry.kind.as_str().as_bytes());
    field(entry.actor_kind.as_str().as_bytes());
    field(&entry.actor_account_id.unwrap_or(0).to_be_bytes());
    field(&[u8::from(entry.actor_account_id.is_some())]);
    field(entry.actor_label.as_bytes());
    field(entry.action.as_bytes());
    field(entry.detail.as_bytes());
    field(entry.device.as_bytes());
    field(entry.address.as_bytes());
    digest
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks a minor's whole journal, oldest first: numbers run 1, 2, 3… without a gap, each entry
/// names the hash of the one before it, and its own hash is what its fields give.
pub fn verify(entries: &[StoredEntry]) -> ChainState {
    let mut prev = GENESIS;
    for (i, entry) in entries.iter().enumerate() {
        let expected_seq = i as i64 + 1;
        if entry.seq != expected_seq || entry.prev_hash != prev || hash(prev, entry) != entry.hash {
            return ChainState::Broken {
                seq: expected_seq.min(entry.seq),
            };
        }
        prev = &entry.hash;
    }
    ChainState::Intact {
        entries: entries.len() as i64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::activity::journal::{ActivityKind, ActorKind};
    use proptest::prelude::*;
    use time::macros::datetime;

    fn journal(n: usize) -> Vec<StoredEntry> {
        let mut prev = GENESIS.to_owned();
        (1..=n as i64)
            .map(|seq| {
                let mut entry = StoredEntry {
                    minor_account_id: 7,
                    seq,
                    occurred_at: datetime!(2026-12-07 10:00 UTC) + time::Duration::minutes(seq),
                    kind: ActivityKind::ALL[seq as usize % 5],
                    actor_kind: ActorKind::Parent,
                    actor_account_id: Some(3),
                    actor_label: "Иванова Анна Сергеевна (родитель)".into(),
                    action: format!("Действие {seq}"),
                    detail: String::new(),
                    device: "Chrome на Android".into(),
                    address: "203.0.113.7".into(),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                entry.hash = hash(&prev, &entry);
                prev = entry.hash.clone();
                entry
            })
            .collect()
    }

    #[test]
    fn a_journal_as_written_is_intact() {
        assert_eq!(verify(&[]), ChainState::Intact { entries: 0 });
        assert_eq!(verify(&journal(5)), ChainState::Intact { entries: 5 });
    }

    #[test]
    fn fields_are_framed_so_moving_text_between_them_shows() {
        let entry = &journal(1)[0];
        let mut moved = entry.clone();
        moved.action = format!("{}{}", entry.action, "X");
        moved.detail = format!("X{}", entry.detail);
        let mut shifted = entry.clone();
        shifted.action = entry.action[..entry.action.len() - 1].to_owned();
        shifted.detail = format!(
            "{}{}",
            &entry.action[entry.action.len() - 1..],
            entry.detail
        );
        assert_ne!(hash(GENESIS, &shifted), hash(GENESIS, entry));
        assert_ne!(hash(GENESIS, &moved), hash(GENESIS, entry));
    }

    #[test]
    fn a_removed_or_swapped_entry_shows_where() {
        let mut removed = journal(5);
        removed.remove(2);
        assert_eq!(verify(&removed), ChainState::Broken { seq: 3 });
        let mut swapped = journal(5);
        swapped.swap(1, 2);
        assert_eq!(verify(&swapped), ChainState::Broken { seq: 2 });
        // The last one removed cannot show: nothing follows it (see ARCHITECTURE.md).
        let mut last = journal(5);
        last.pop();
        assert_eq!(verify(&last), ChainState::Intact { entries: 4 });
    }

    proptest! {
        /// Any change of any field of any entry is found at that entry.
        #[test]
        fn any_altered_field_is_found(at in 0usize..6, field in 0usize..10, text in "[a-zа-я0-9 ]{1,8}") {
            let mut entries = journal(6);
            let entry = &mut entries[at];
            match field {
                0 => entry.action.push_str(&text),
                1 => entry.detail.push_str(&text),
                2 => entry.actor_label.push_str(&text),
                3 => entry.device.push_str(&text),
                4 => entry.address.push_str(&text),
                5 => entry.occurred_at += time::Duration::seconds(1),
                6 => entry.kind = if entry.kind == ActivityKind::SignIn { ActivityKind::DataView } else { ActivityKind::SignIn },
                7 => entry.actor_account_id = entry.actor_account_id.map(|id| id + 1),
                8 => entry.actor_kind = ActorKind::Officer,
                _ => entry.minor_account_id += 1,
            }
            prop_assert_eq!(verify(&entries), ChainState::Broken { seq: at as i64 + 1 });
        }
    }
}
