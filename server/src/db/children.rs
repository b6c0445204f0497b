//! Children and their documents. Every read and write in request handling names the parent:
//! another family's child is simply not found. The check jobs read by id alone, and change a
//! status only while the child is still in the round the job was made for.

use sqlx::FromRow;
use time::{Date, OffsetDateTime};

use app::domain::verification::Document;
use app::domain::{DocumentStatus, Relation};
use app::family::child_form::{BirthCertificate, BirthCountry, NewChild, Sex};

use super::codes::Code;
use super::{Access, Database, StorageError, Tx};
use crate::{on_pool, on_tx, pool_execute, tx_execute};

#[derive(Debug, Clone, FromRow)]
pub struct StoredChild {
    pub id: i64,
    pub parent_account_id: i64,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    #[sqlx(try_from = "Code<Sex>")]
    pub sex: Sex,
    pub birth_date: Date,
    #[sqlx(try_from = "Code<BirthCountry>")]
    pub birth_country: BirthCountry,
    pub certificate_number: String,
    pub certificate_date: Date,
    pub act_record_number: Option<String>,
    pub act_record_date: Option<Date>,
    pub certificate_issued_by: String,
    #[sqlx(try_from = "Code<DocumentStatus>")]
    pub certificate_status: DocumentStatus,
    pub certificate_problem: Option<String>,
    pub snils: Option<String>,
    #[sqlx(try_from = "Code<DocumentStatus>")]
    pub snils_status: DocumentStatus,
    pub snils_problem: Option<String>,
    pub oms_policy: Option<String>,
    pub inn: Option<String>,
    pub paternity_number: Option<String>,
    pub paternity_date: Option<Date>,
    pub name_change_number: Option<String>,
    pub name_change_date: Option<Date>,
    pub parental_rights_title: Option<String>,
    pub parental_rights_date: Option<Date>,
    pub auto_update: bool,
    pub check_round: i64,
    pub version: i64,
    #[sqlx(try_from = "Code<Relation>")]
    pub relation: Relation,
    /// When ЕГР ЗАГС named this card's parent on the child's birth record.
    pub parent_proven_at: Option<OffsetDateTime>,
}

impl StoredChild {
    /// The certificate is confirmed and the birth record names this card's parent: only then
    /// may the parent reach the child's account.
    pub fn parent_proven(&self) -> bool {
        self.certificate_status == DocumentStatus::Confirmed && self.parent_proven_at.is_some()
    }
}

const COLUMNS: &str = "id, parent_account_id, last_name, first_name, middle_name, sex, birth_date, \
    birth_country, certificate_number, certificate_date, act_record_number, act_record_date, \
    certificate_issued_by, certificate_status, certificate_problem, snils, snils_status, \
    snils_problem, oms_policy, inn, paternity_number, paternity_date, name_change_number, \
    name_change_date, parental_rights_title, parental_rights_date, auto_update, check_round, \
    version, relation, parent_proven_at";

/// The columns a form writes, in the order of the INSERT and UPDATE below.
pub struct Columns {
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub sex: &'static str,
    pub birth_date: Date,
    pub birth_country: &'static str,
    pub certificate_number: String,
    pub certificate_date: Date,
    pub act_record_number: Option<String>,
    pub act_record_date: Option<Date>,
    pub issued_by: String,
    pub snils: Option<String>,
    pub oms_policy: Option<String>,
    pub inn: Option<String>,
    pub paternity_number: Option<String>,
    pub paternity_date: Option<Date>,
    pub name_change_number: Option<String>,
    pub name_change_date: Option<Date>,
    pub parental_rights_title: Option<String>,
    pub parental_rights_date: Option<Date>,
}

/// The child as it would be stored, to compare with what is.
pub fn probe(child: &NewChild) -> Columns {
    Columns::of(child)
}

impl Columns {
    fn of(child: &NewChild) -> Self {
        let (certificate_number, certificate_date, act_record_number, act_record_date, issued_by) =
            match &child.certificate {
                BirthCertificate::Russian {
                    number,
                    issue_date,
                    act_record_number,
                    act_record_date,
                    issued_by,
                } => (
                    number.to_string(),
                    *issue_date,
                    Some(act_record_number.clone()),
                    Some(*act_record_date),
                    issued_by.clone(),
                ),
                BirthCertificate::Foreign {
                    number,
                    issue_date,
                    issued_by,
                } => (number.clone(), *issue_date, None, None, issued_by.clone()),
            };
        Self {
            last_name: child.last_name.as_str().to_owned(),
            first_name: child.first_name.as_str().to_owned(),
            middle_name: child.middle_name.as_ref().map(|n| n.as_str().to_owned()),
            sex: child.sex.as_str(),
            birth_date: child.birth_date,
            birth_country: child.certificate.country().as_str(),
            certificate_number,
            certificate_date,
            act_record_number,
            act_record_date,
            issued_by,
            snils: child.snils.map(|s| s.digits()),
            oms_policy: child.oms_policy.map(|p| p.digits()),
            inn: child.inn.map(|i| i.digits()),
            paternity_number: child.paternity.as_ref().map(|c| c.number.to_string()),
            paternity_date: child.paternity.as_ref().map(|c| c.issue_date),
            name_change_number: child.name_change.as_ref().map(|c| c.number.to_string()),
            name_change_date: child.name_change.as_ref().map(|c| c.issue_date),
            parental_rights_title: child.parental_rights.as_ref().map(|d| d.title.clone()),
            parental_rights_date: child.parental_rights.as_ref().map(|d| d.issue_date),
        }
    }
}

/// Binds the form's columns as `$1 … $20`.
macro_rules! bind_columns {
    ($query:expr, $c:expr) => {
        $query
            .bind(&$c.last_name)
            .bind(&$c.first_name)
            .bind(&$c.middle_name)
            .bind($c.sex)
            .bind($c.birth_date)
            .bind($c.birth_country)
            .bind(&$c.certificate_number)
            .bind($c.certificate_date)
            .bind(&$c.act_record_number)
            .bind($c.act_record_date)
            .bind(&$c.issued_by)
            .bind(&$c.snils)
            .bind(&$c.oms_policy)
            .bind(&$c.inn)
            .bind(&$c.paternity_number)
            .bind($c.paternity_date)
            .bind(&$c.name_change_number)
            .bind($c.name_change_date)
            .bind(&$c.parental_rights_title)
            .bind($c.parental_rights_date)
    };
}

const FORM_COLUMNS: &str = "last_name, first_name, middle_name, sex, birth_date, birth_country, \
    certificate_number, certificate_date, act_record_number, act_record_date, \
    certificate_issued_by, snils, oms_policy, inn, paternity_number, paternity_date, \
    name_change_number, name_change_date, parental_rights_title, parental_rights_date";

/// A new child, its documents «Данные введены вручную» (the СНИЛС absent unless typed).
pub async fn insert(
    tx: &mut Tx,
    parent: i64,
    child: &NewChild,
    snils_status: DocumentStatus,
    at: OffsetDateTime,
) -> Result<i64, StorageError> {
    let sql = format!(
        "INSERT INTO children ({FORM_COLUMNS}, parent_account_id, certificate_status, \
         snils_status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
         $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, 'manual', $22, $23, $23) \
         RETURNING id"
    );
    let c = Columns::of(child);
    let id = on_tx!(tx, |conn| {
        bind_columns!(sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql)), c)
            .bind(parent)
            .bind(snils_status.as_str())
            .bind(at)
            .fetch_one(conn)
            .await
    })?;
    Ok(id)
}

/// Where both documents stand after a change, and the problems the registries reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statuses {
    pub certificate: DocumentStatus,
    pub certificate_problem: Option<String>,
    pub snils: DocumentStatus,
    pub snils_problem: Option<String>,
}

impl Statuses {
    pub fn of(child: &StoredChild) -> Self {
        Self {
            certificate: child.certificate_status,
            certificate_problem: child.certificate_problem.clone(),
            snils: child.snils_status,
            snils_problem: child.snils_problem.clone(),
        }
    }
}

/// The parent's changes; `statuses` as the edit leaves them, `new_round` when checks in flight
/// must no longer count.
pub async fn update(
    tx: &mut Tx,
    parent: i64,
    id: i64,
    child: &NewChild,
    statuses: &Statuses,
    new_round: bool,
    at: OffsetDateTime,
) -> Result<bool, StorageError> {
    let sql = format!(
        "UPDATE children SET ({FORM_COLUMNS}) = ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
         $12, $13, $14, $15, $16, $17, $18, $19, $20), certificate_status = $21, \
         certificate_problem = $22, snils_status = $23, snils_problem = $24, \
         parent_proven_at = CASE WHEN $21 = 'confirmed' THEN parent_proven_at END, \
         check_round = check_round + $25, version = version + 1, updated_at = $26 \
         WHERE id = $27 AND parent_account_id = $28"
    );
    let c = Columns::of(child);
    let changed = on_tx!(tx, |conn| {
        bind_columns!(sqlx::query(sqlx::AssertSqlSafe(sql)), c)
            .bind(statuses.certificate.as_str())
            .bind(&statuses.certificate_problem)
            .bind(statuses.snils.as_str())
            .bind(&statuses.snils_problem)
            .bind(i64::from(new_round))
            .bind(at)
            .bind(id)
            .bind(parent)
            .execute(conn)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(changed == 1)
}

/// A new round of checks: statuses set, the round moved on (so older jobs change nothing).
/// Returns the new round.
pub async fn start_round(
    tx: &mut Tx,
    parent: i64,
    id: i64,
    statuses: &Statuses,
    auto_update: bool,
    at: OffsetDateTime,
) -> Result<Option<i64>, StorageError> {
    const SQL: &str = "UPDATE children SET certificate_status = $1, certificate_problem = $2, \
        snils_status = $3, snils_problem = $4, auto_update = $5, check_round = check_round + 1, \
        parent_proven_at = CASE WHEN $1 = 'confirmed' THEN parent_proven_at END, \
        version = version + 1, updated_at = $6 WHERE id = $7 AND parent_account_id = $8 \
        RETURNING check_round";
    let round = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(statuses.certificate.as_str())
            .bind(&statuses.certificate_problem)
            .bind(statuses.snils.as_str())
            .bind(&statuses.snils_problem)
            .bind(auto_update)
            .bind(at)
            .bind(id)
            .bind(parent)
            .fetch_optional(conn)
            .await
    })?;
    Ok(round)
}

/// A check's result: applied only while the child is in `round` and the document is still in
/// one of `expected` — so a job that runs twice, or after an edit, changes nothing.
pub struct CheckResult<'a> {
    pub id: i64,
    pub round: i64,
    pub statuses: &'a Statuses,
    /// The СНИЛС СФР found, when it was searched for.
    pub found_snils: Option<&'a str>,
    /// ЕГР ЗАГС has just named the card's parent on the birth record.
    pub parent_proven: bool,
}

pub async fn apply_check(
    tx: &mut Tx,
    result: CheckResult<'_>,
    expected_certificate: &[DocumentStatus],
    expected_snils: &[DocumentStatus],
    at: OffsetDateTime,
) -> Result<bool, StorageError> {
    let list = |statuses: &[DocumentStatus]| {
        statuses
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // The lists are this crate's own status names, never input.
    let sql = format!(
        "UPDATE children SET certificate_status = $1, certificate_problem = $2, \
         snils_status = $3, snils_problem = $4, snils = COALESCE($5, snils), \
         parent_proven_at = CASE WHEN $1 = 'confirmed' THEN COALESCE($9, parent_proven_at) END, \
         version = version + 1, updated_at = $6 \
         WHERE id = $7 AND check_round = $8 AND certificate_status IN ({}) \
         AND snils_status IN ({})",
        list(expected_certificate),
        list(expected_snils)
    );
    let s = result.statuses;
    let changed = on_tx!(tx, |conn| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(s.certificate.as_str())
            .bind(&s.certificate_problem)
            .bind(s.snils.as_str())
            .bind(&s.snils_problem)
            .bind(result.found_snils)
            .bind(at)
            .bind(result.id)
            .bind(result.round)
            .bind(result.parent_proven.then_some(at))
            .execute(conn)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(changed == 1)
}

/// One line of a document's history.
pub async fn record_status(
    tx: &mut Tx,
    child: i64,
    document: Document,
    status: DocumentStatus,
    problem: Option<&str>,
    at: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str = "INSERT INTO child_status_events (child_id, document, status, problem, at) \
                       VALUES ($1, $2, $3, $4, $5)";
    tx_execute!(tx, SQL, child, Code(document), Code(status), problem, at)?;
    Ok(())
}

/// A document's statuses in the order they were set.
pub async fn status_history(
    db: &Database,
    child: i64,
    document: Document,
) -> Result<Vec<String>, StorageError> {
    const SQL: &str =
        "SELECT status FROM child_status_events WHERE child_id = $1 AND document = $2 ORDER BY id";
    let rows = on_pool!(db, Access::Read, |pool| {
        sqlx::query_scalar::<_, String>(SQL)
            .bind(child)
            .bind(Code(document))
            .fetch_all(pool)
            .await
    })?;
    Ok(rows)
}

pub async fn for_parent(db: &Database, parent: i64) -> Result<Vec<StoredChild>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM children WHERE parent_account_id = $1 ORDER BY birth_date, id"
    );
    let rows = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, StoredChild>(sqlx::AssertSqlSafe(sql))
            .bind(parent)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows)
}

/// One child of this parent, inside a transaction (locked on PostgreSQL until it ends).
pub async fn of_parent_in(
    tx: &mut Tx,
    parent: i64,
    id: i64,
) -> Result<Option<StoredChild>, StorageError> {
    let lock = match tx {
        Tx::Postgres(_) => " FOR UPDATE",
        Tx::Sqlite(_) => "",
    };
    let sql =
        format!("SELECT {COLUMNS} FROM children WHERE id = $1 AND parent_account_id = $2{lock}");
    let row = on_tx!(tx, |conn| {
        sqlx::query_as::<_, StoredChild>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(parent)
            .fetch_optional(conn)
            .await
    })?;
    Ok(row)
}

pub async fn of_parent(
    db: &Database,
    parent: i64,
    id: i64,
) -> Result<Option<StoredChild>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM children WHERE id = $1 AND parent_account_id = $2");
    let row = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, StoredChild>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(parent)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row)
}

/// For the check jobs, which act for no request.
pub async fn by_id(db: &Database, id: i64) -> Result<Option<StoredChild>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM children WHERE id = $1");
    let row = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, StoredChild>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row)
}

pub async fn remove(db: &Database, parent: i64, id: i64) -> Result<bool, StorageError> {
    const SQL: &str = "DELETE FROM children WHERE id = $1 AND parent_account_id = $2";
    Ok(pool_execute!(db, SQL, id, parent)? == 1)
}

/// «Кем вы приходитесь ребёнку», written with the form in the same transaction.
pub async fn set_relation(
    tx: &mut Tx,
    parent: i64,
    id: i64,
    relation: Relation,
) -> Result<(), StorageError> {
    tx_execute!(
        tx,
        "UPDATE children SET relation = $3 WHERE id = $1 AND parent_account_id = $2",
        id,
        parent,
        relation.as_str()
    )?;
    Ok(())
}

/// Cards confirmed before the birth-record check asked about the parent: each is asked again
/// once (see `family::checks::ParentTieCheck`). Only such legacy rows match, so the scan is empty
/// once they are done.
pub async fn unproven_confirmed(db: &Database) -> Result<Vec<(i64, i64)>, StorageError> {
    const SQL: &str = "SELECT id, check_round FROM children \
        WHERE certificate_status = 'confirmed' AND parent_proven_at IS NULL ORDER BY id";
    let rows = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, (i64, i64)>(SQL).fetch_all(pool).await
    })?;
    Ok(rows)
}

/// How many cards the parent has, with the parent's account row locked for the rest of the
/// transaction, so two adds at once cannot both pass the cap.
pub async fn count_for_parent_locked(tx: &mut Tx, parent: i64) -> Result<i64, StorageError> {
    tx_execute!(
        tx,
        "UPDATE accounts SET second_factor = second_factor WHERE id = $1",
        parent
    )?;
    const SQL: &str = "SELECT COUNT(*) FROM children WHERE parent_account_id = $1";
    let count = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(parent)
            .fetch_one(conn)
            .await
    })?;
    Ok(count)
}
