//! «Проверка права на льготу»: the latest check of one child for one benefit (one row per pair,
//! so the table is bounded by children × benefits). A new check is a new round of the same row;
//! the job's answer is written only while its round still waits, so a repeated or stale job
//! changes nothing.

use sqlx::FromRow;
use time::OffsetDateTime;

use app::benefits::eligibility::{CheckState, ChildField, ChildRecord, RegistryFacts};

use super::codes::Code;
use super::{Access, Database, StorageError, Tx};
use crate::{on_pool, on_tx, tx_execute};

/// Where a check is, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckStatus {
    Checking,
    Done,
    Unavailable,
}

impl CheckStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Checking => "checking",
            Self::Done => "done",
            Self::Unavailable => "unavailable",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Checking, Self::Done, Self::Unavailable]
            .into_iter()
            .find(|s| s.as_str() == code)
    }
}

/// The register of children's answer, as stored (`mismatch_fields` holds the fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildRecordCode {
    Found,
    NotFound,
    Mismatch,
}

impl ChildRecordCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Found => "found",
            Self::NotFound => "not_found",
            Self::Mismatch => "mismatch",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Found, Self::NotFound, Self::Mismatch]
            .into_iter()
            .find(|s| s.as_str() == code)
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct StoredEligibilityCheck {
    pub parent_account_id: i64,
    pub child_id: i64,
    pub benefit_code: String,
    pub round: i64,
    #[sqlx(try_from = "Code<CheckStatus>")]
    pub state: CheckStatus,
    child_record: Option<String>,
    mismatch_fields: Option<String>,
    large_family: Option<bool>,
    low_income: Option<bool>,
    child_disability: Option<bool>,
    already_receiving: Option<bool>,
    pub checked_at: Option<OffsetDateTime>,
}

const COLUMNS: &str = "parent_account_id, child_id, benefit_code, round, state, child_record, \
    mismatch_fields, large_family, low_income, child_disability, already_receiving, checked_at";

impl StoredEligibilityCheck {
    /// The facts of a finished check. The table's CHECK makes them all present exactly when the
    /// state is `done`; an unreadable code is an error, never a default.
    pub fn state(&self) -> Result<CheckState, StorageError> {
        let unreadable = |what: &str| StorageError::Corrupt(format!("eligibility check: {what}"));
        Ok(match self.state {
            CheckStatus::Checking => CheckState::Checking,
            CheckStatus::Unavailable => CheckState::Unavailable,
            CheckStatus::Done => {
                let code = self
                    .child_record
                    .as_deref()
                    .and_then(ChildRecordCode::parse)
                    .ok_or_else(|| unreadable("child_record"))?;
                let child_record = match code {
                    ChildRecordCode::Found => ChildRecord::Found,
                    ChildRecordCode::NotFound => ChildRecord::NotFound,
                    ChildRecordCode::Mismatch => ChildRecord::Mismatch(
                        self.mismatch_fields
                            .as_deref()
                            .unwrap_or_default()
                            .split(',')
                            .filter(|f| !f.is_empty())
                            .map(|f| {
                                ChildField::parse(f).ok_or_else(|| unreadable("mismatch_fields"))
                            })
                            .collect::<Result<_, _>>()?,
                    ),
                };
                let flag = |v: Option<bool>, what: &str| v.ok_or_else(|| unreadable(what));
                CheckState::Done {
                    facts: RegistryFacts {
                        child_record,
                        large_family: flag(self.large_family, "large_family")?,
                        low_income: flag(self.low_income, "low_income")?,
                        child_disability: flag(self.child_disability, "child_disability")?,
                        already_receiving: flag(self.already_receiving, "already_receiving")?,
                    },
                    checked_at: app::domain::date::format_ru_datetime(
                        self.checked_at.ok_or_else(|| unreadable("checked_at"))?,
                    ),
                }
            }
        })
    }
}

/// A new round for the child and benefit, unless one is running (then `None`: it is left to
/// run). The upsert is one statement, so two racing requests start one round.
pub async fn start(
    tx: &mut Tx,
    parent: i64,
    child: i64,
    benefit_code: &str,
    at: OffsetDateTime,
) -> Result<Option<i64>, StorageError> {
    const SQL: &str = "INSERT INTO eligibility_checks \
        (parent_account_id, child_id, benefit_code, round, state, requested_at) \
        VALUES ($1, $2, $3, 1, 'checking', $4) \
        ON CONFLICT (child_id, benefit_code) DO UPDATE SET \
            round = eligibility_checks.round + 1, state = 'checking', child_record = NULL, \
            mismatch_fields = NULL, large_family = NULL, low_income = NULL, \
            child_disability = NULL, already_receiving = NULL, checked_at = NULL, \
            requested_at = excluded.requested_at \
        WHERE eligibility_checks.state <> 'checking' \
          AND eligibility_checks.parent_account_id = excluded.parent_account_id \
        RETURNING round";
    let round = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(parent)
            .bind(child)
            .bind(benefit_code)
            .bind(at)
            .fetch_optional(conn)
            .await
    })?;
    Ok(round)
}

/// The parent's checks for one benefit.
pub async fn for_parent(
    db: &Database,
    parent: i64,
    benefit_code: &str,
) -> Result<Vec<StoredEligibilityCheck>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM eligibility_checks \
         WHERE parent_account_id = $1 AND benefit_code = $2"
    );
    let rows = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, StoredEligibilityCheck>(sqlx::AssertSqlSafe(sql))
            .bind(parent)
            .bind(benefit_code)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows)
}

/// The check a job was made for, while that round still waits for its answer.
pub async fn waiting(
    db: &Database,
    child: i64,
    benefit_code: &str,
    round: i64,
) -> Result<Option<StoredEligibilityCheck>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM eligibility_checks \
         WHERE child_id = $1 AND benefit_code = $2 AND round = $3 AND state = 'checking'"
    );
    let row = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, StoredEligibilityCheck>(sqlx::AssertSqlSafe(sql))
            .bind(child)
            .bind(benefit_code)
            .bind(round)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row)
}

/// The registries' answer for a round that still waits. Whether it was written.
pub async fn finish(
    tx: &mut Tx,
    child: i64,
    benefit_code: &str,
    round: i64,
    facts: &RegistryFacts,
    at: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "UPDATE eligibility_checks SET state = 'done', child_record = $1, \
        mismatch_fields = $2, large_family = $3, low_income = $4, child_disability = $5, \
        already_receiving = $6, checked_at = $7 \
        WHERE child_id = $8 AND benefit_code = $9 AND round = $10 AND state = 'checking'";
    let (code, fields) = match &facts.child_record {
        ChildRecord::Found => (ChildRecordCode::Found, None),
        ChildRecord::NotFound => (ChildRecordCode::NotFound, None),
        ChildRecord::Mismatch(fields) => (
            ChildRecordCode::Mismatch,
            Some(
                fields
                    .iter()
                    .map(|f| f.code())
                    .collect::<Vec<_>>()
                    .join(","),
            ),
        ),
    };
    let changed = tx_execute!(
        tx,
        SQL,
        code.as_str(),
        fields,
        facts.large_family,
        facts.low_income,
        facts.child_disability,
        facts.already_receiving,
        at,
        child,
        benefit_code,
        round
    )?;
    Ok(changed == 1)
}

/// Every retry failed: the round ends «registry did not answer». Whether it was written.
pub async fn give_up(
    db: &Database,
    child: i64,
    benefit_code: &str,
    round: i64,
) -> Result<bool, StorageError> {
    const SQL: &str = "UPDATE eligibility_checks SET state = 'unavailable' \
        WHERE child_id = $1 AND benefit_code = $2 AND round = $3 AND state = 'checking'";
    let changed = crate::pool_execute!(db, SQL, child, benefit_code, round)?;
    Ok(changed == 1)
}
