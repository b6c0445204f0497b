//! Storage on SQLite (the embedded default) or PostgreSQL (the scale-out path), one codebase.
//!
//! The decision (see docs/ARCHITECTURE.md): runtime-checked queries written once in SQL both
//! engines accept (`$1` placeholders, `RETURNING`), run through [`on_pool!`] on whichever pool is
//! configured; migrations per engine where the types differ. Repositories are the only place
//! with SQL.

pub mod access;
pub mod access_grants;
pub mod accounts;
pub mod activity_journal;
pub mod age_transitions;
pub mod application_drafts;
pub mod application_events;
pub mod application_history;
pub mod applications;
pub mod child_accounts;
pub mod children;
pub mod codes;
pub mod confirmations;
pub mod consents;
pub mod decisions;
pub mod diary;
pub mod document_reviews;
pub mod documents;
pub mod eligibility_checks;
pub mod identity_checks;
pub mod jobs;
pub mod known_devices;
pub mod link_codes;
pub mod notification_settings;
pub mod outbox;
pub mod push_subscriptions;
pub mod receipts;
pub mod retention;
pub mod second_factor;
pub mod sent_reminders;
pub mod sessions;
pub mod sign_in_failures;
pub mod support_questions;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions, Postgres};
use sqlx::sqlite::{
    Sqlite, SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("DATABASE_URL must start with sqlite: or postgres:, got {0:?}")]
    UnsupportedUrl(String),
    #[error("cannot create the database directory {path}: {source}")]
    Directory {
        path: String,
        source: std::io::Error,
    },
    /// A row that breaks what its table promises (a bug or a hand-edited database).
    #[error("unreadable stored row: {0}")]
    Corrupt(String),
}

impl StorageError {
    /// A UNIQUE constraint refused the write (someone else got there first).
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StorageError::Sqlx(sqlx::Error::Database(e)) if e.is_unique_violation())
    }
}

/// Storage failures are never the user's fault: they surface as "service unavailable".
impl From<StorageError> for app::api::ServiceError {
    fn from(err: StorageError) -> Self {
        app::api::ServiceError::unexpected(err)
    }
}

/// The connection pools of the configured engine.
#[derive(Clone, Debug)]
pub enum Database {
    /// SQLite allows one writer at a time: a single writer connection queues writes instead of
    /// failing with "database is locked", while readers run in parallel under WAL.
    Sqlite {
        writer: SqlitePool,
        readers: SqlitePool,
    },
    Postgres(PgPool),
}

/// Which pool a query needs; on PostgreSQL both are the same pool.
#[derive(Clone, Copy)]
pub enum Access {
    Read,
    Write,
}

/// Runs the same query expression against whichever engine is configured. The body is expanded
/// once per engine, so it is type-checked against each driver.
#[macro_export]
macro_rules! on_pool {
    ($db:expr, $access:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::db::Database::Sqlite { writer, readers } => {
                let $pool = match $access {
                    $crate::db::Access::Write => writer,
                    $crate::db::Access::Read => readers,
                };
                $body
            }
            $crate::db::Database::Postgres(pg) => {
                let $pool = pg;
                $body
            }
        }
    };
}

/// An open transaction on whichever engine is configured: several repository calls that must
/// succeed or fail together (an account and the messages announcing it) take `&mut Tx`.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl Tx {
    /// Nothing is visible to others until this succeeds; dropping a `Tx` rolls it back.
    pub async fn commit(self) -> Result<(), StorageError> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}

/// Runs a query expression on the connection of an open [`Tx`], expanded once per engine like
/// [`on_pool!`].
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(tx) => {
                let $conn = &mut **tx;
                $body
            }
            $crate::db::Tx::Postgres(tx) => {
                let $conn = &mut **tx;
                $body
            }
        }
    };
}

/// One statement with its values bound, on an open [`Tx`]; the rows it affected.
#[macro_export]
macro_rules! tx_execute {
    ($tx:expr, $sql:expr $(, $value:expr)* $(,)?) => {
        $crate::on_tx!($tx, |conn| {
            sqlx::query($sql)
                $(.bind($value))*
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        })
    };
}

/// One statement with its values bound, on the writer pool; the rows it affected.
#[macro_export]
macro_rules! pool_execute {
    ($db:expr, $sql:expr $(, $value:expr)* $(,)?) => {
        $crate::on_pool!($db, $crate::db::Access::Write, |pool| {
            sqlx::query($sql)
                $(.bind($value))*
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        })
    };
}

/// Typed rows of one query with its values bound, from the readers: `$fetch` is `fetch_optional`,
/// `fetch_all` or `fetch_one`. The SQL is a `String` made with the table's column list.
#[macro_export]
macro_rules! pool_read {
    ($db:expr, $row:ty, $fetch:ident, $sql:expr $(, $value:expr)* $(,)?) => {
        $crate::on_pool!($db, $crate::db::Access::Read, |pool| {
            sqlx::query_as::<_, $row>(sqlx::AssertSqlSafe($sql))
                $(.bind($value))*
                .$fetch(pool)
                .await
        })
    };
}

const SQLITE_READERS: u32 = 4;
const POSTGRES_CONNECTIONS: u32 = 10;
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

impl Database {
    pub async fn connect(url: &str) -> Result<Self, StorageError> {
        if url.starts_with("sqlite:") {
            Self::connect_sqlite(url).await
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool = PgPoolOptions::new()
                .max_connections(POSTGRES_CONNECTIONS)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .connect(url)
                .await?;
            Ok(Database::Postgres(pool))
        } else {
            Err(StorageError::UnsupportedUrl(url.to_owned()))
        }
    }

    async fn connect_sqlite(url: &str) -> Result<Self, StorageError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // What the user was told is saved survives a power cut.
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        if let Some(dir) = options
            .get_filename()
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).map_err(|source| StorageError::Directory {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options.clone())
            .await?;
        let readers = SqlitePoolOptions::new()
            .max_connections(SQLITE_READERS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options.read_only(true))
            .await?;
        Ok(Database::Sqlite { writer, readers })
    }

    /// Starts a transaction (on SQLite, on the single writer connection).
    pub async fn begin(&self) -> Result<Tx, StorageError> {
        Ok(match self {
            Database::Sqlite { writer, .. } => Tx::Sqlite(writer.begin().await?),
            Database::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    pub fn engine(&self) -> &'static str {
        match self {
            Database::Sqlite { .. } => "sqlite",
            Database::Postgres(_) => "postgres",
        }
    }

    /// Migrations are the only source of the schema; they run at every start.
    pub async fn migrate(&self) -> Result<(), StorageError> {
        match self {
            Database::Sqlite { writer, .. } => {
                sqlx::migrate!("../migrations/sqlite").run(writer).await?
            }
            Database::Postgres(pool) => sqlx::migrate!("../migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// For `/readyz`: the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), StorageError> {
        on_pool!(self, Access::Read, |pool| sqlx::query("SELECT 1")
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
            .map(|_| ()))?;
        Ok(())
    }

    pub async fn close(&self) {
        match self {
            Database::Sqlite { writer, readers } => {
                readers.close().await;
                writer.close().await;
            }
            Database::Postgres(pool) => pool.close().await,
        }
    }
}
