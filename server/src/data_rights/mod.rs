//! A child's data under 152-ФЗ. `DataRightsService` implements `ChildDataRights` (the statement of
//! what goes, and the deletion) and serves the archive (`export`) and the deletion's receipt.
//! Everything about a child is the one list in `tables`; `collect` reads it on either engine.
//!
//! A deletion: the parent's own card only, and a re-authentication within ten minutes. Then in
//! one transaction: a file another child's application also uses is sealed again under that
//! child's key; every row of every table about the child is deleted, children's rows first; the
//! child's file key is destroyed; the deletion is recorded (`data_deletions`: counts only). After
//! the commit the files go from the store (a file left behind is unreadable: its key is gone),
//! the parent is told, and the signed receipt is issued.

pub mod collect;
pub mod export;
pub mod tables;

use std::sync::Arc;

use app::api::{Clock, Refusal, ServiceError, SignedInAccount};
use app::data_rights::rights::{ChildDataRights, Deleted, DeletionStatement};
use app::domain::{format_ru_datetime, full_name};
use app::receipts::check::ReceiptKind;
use object_store::ObjectStore;
use time::OffsetDateTime;

use crate::db::{Access, Database, StorageError, Tx, children};
use crate::family::{not_found, require_confirmed};
use crate::file_keys::FileKeys;
use crate::outbox::{Channel, Message, Outbox};
use crate::receipts::{Block, IssuedReceipt, ReceiptDocument, ReceiptError, Receipts};
use crate::{on_pool, on_tx, tx_execute};
use collect::Subject;
use tables::{ABOUT_A_CHILD, DOCUMENTS};

pub struct DataRightsService {
    pub db: Database,
    pub clock: Arc<dyn Clock>,
    pub outbox: Outbox,
    pub receipts: Arc<Receipts>,
    pub store: Arc<dyn ObjectStore>,
    pub file_keys: FileKeys,
}

/// How the statement names each group of tables.
const GROUPS: &[(&str, &[&str])] = &[
    (
        "Карточка ребёнка и история проверок документов",
        &["children", "child_status_events"],
    ),
    (
        "Учётная запись ребёнка и её входы",
        &["accounts", "sessions", "known_devices"],
    ),
    ("Согласия и их журнал", &["consents", "consent_events"]),
    (
        "Черновики и заявления о льготах с журналом",
        &["application_drafts", "applications", "application_events"],
    ),
    ("Проверки права на льготы", &["eligibility_checks"]),
    ("Журнал активности", &["activity_journal"]),
    (
        "Настройки доступа, их история и согласия на полный доступ",
        &["access_settings", "access_changes", "access_grants"],
    ),
    ("Обращения к сервисам", &["service_records"]),
    ("Учебные данные", &["school_links", "diary_lessons"]),
    ("Уведомления ребёнку", &["outbox_messages"]),
];

impl DataRightsService {
    /// The parent's card and the minor linked to it (live or ended), or «not found».
    pub(crate) async fn subject(
        &self,
        parent: &SignedInAccount,
        card: i64,
    ) -> Result<(Subject, String), ServiceError> {
        require_confirmed(parent)?;
        let child = children::of_parent(&self.db, parent.account_id, card)
            .await?
            .ok_or_else(not_found)?;
        let minor = crate::db::child_accounts::account_of_child(&self.db, parent.account_id, card)
            .await?
            .map(|a| a.account_id);
        Ok((
            Subject { card, minor },
            full_name(
                &child.last_name,
                &child.first_name,
                child.middle_name.as_deref(),
            ),
        ))
    }

    async fn count(&self, table: &str, subject: Subject) -> Result<i64, StorageError> {
        let spec = ABOUT_A_CHILD
            .iter()
            .find(|s| s.table == table)
            .expect("a listed table");
        Ok(collect::rows(&self.db, spec, subject).await?.len() as i64)
    }

    /// The storage keys of the child's files, read before any row goes.
    async fn files(
        &self,
        tx: &mut Tx,
        subject: Subject,
    ) -> Result<Vec<(i64, String)>, StorageError> {
        let sql = format!(
            "SELECT t.id, t.storage_key FROM documents t WHERE ({DOCUMENTS}) \
             AND $2 IS NOT NULL"
        );
        let rows = on_tx!(tx, |conn| {
            sqlx::query_as::<_, (i64, String)>(sqlx::AssertSqlSafe(sql))
                .bind(subject.card)
                .bind(subject.minor.unwrap_or(-1))
                .fetch_all(conn)
                .await
        })?;
        Ok(rows)
    }

    /// Files of the child that another child's draft or application also uses: sealed again
    /// under that child's key, so destroying this child's key does not lose them.
    async fn hand_over_shared_files(&self, tx: &mut Tx, card: i64) -> Result<(), ServiceError> {
        const SQL: &str = "SELECT d.id, d.storage_key, o.child_id FROM documents d \
            JOIN draft_documents x ON x.document_id = d.id \
            JOIN application_drafts o ON o.id = x.draft_id \
            WHERE d.child_id = $1 AND o.child_id <> $1 \
            UNION SELECT d.id, d.storage_key, a.child_id FROM documents d \
            JOIN application_documents x ON x.document_id = d.id \
            JOIN applications a ON a.id = x.application_id \
            WHERE d.child_id = $1 AND a.child_id IS NOT NULL AND a.child_id <> $1";
        let shared = on_tx!(tx, |conn| {
            sqlx::query_as::<_, (i64, String, i64)>(SQL)
                .bind(card)
                .fetch_all(conn)
                .await
        })
        .map_err(StorageError::from)?;
        for (id, key, other) in shared {
            let path: object_store::path::Path = key.as_str().into();
            let stored = self
                .store
                .get(&path)
                .await
                .map_err(ServiceError::unexpected)?
                .bytes()
                .await
                .map_err(ServiceError::unexpected)?;
            let plain = self.file_keys.open(Some(card), stored.to_vec()).await?;
            let sealed = self.file_keys.seal(other, &plain).await?;
            self.store
                .put(&path, sealed.into())
                .await
                .map_err(ServiceError::unexpected)?;
            tx_execute!(
                tx,
                "UPDATE documents SET child_id = $2 WHERE id = $1",
                id,
                other
            )
            .map_err(StorageError::from)?;
        }
        Ok(())
    }

    /// The receipt of a deletion, for the parent who made it.
    pub async fn deletion_receipt(
        &self,
        parent: i64,
        id: i64,
    ) -> Result<Option<IssuedReceipt>, ReceiptError> {
        const SQL: &str = "SELECT deleted_at, rows_deleted, files_deleted FROM data_deletions \
                           WHERE id = $1 AND parent_account_id = $2";
        let row = on_pool!(&self.db, Access::Read, |pool| {
            sqlx::query_as::<_, (OffsetDateTime, i64, i64)>(SQL)
                .bind(id)
                .bind(parent)
                .fetch_optional(pool)
                .await
        })
        .map_err(StorageError::from)?;
        let Some((at, rows, files)) = row else {
            return Ok(None);
        };
        let when = format!("{} (МСК)", format_ru_datetime(at));
        let facts = vec![
            ("Удалено записей".to_owned(), rows.to_string()),
            ("Удалено файлов".to_owned(), files.to_string()),
            ("Когда".to_owned(), when.clone()),
        ];
        let document = ReceiptDocument {
            title: ReceiptKind::Deletion.title().to_owned(),
            blocks: vec![
                Block::Paragraph(
                    "По просьбе законного представителя удалены все сведения о ребёнке, которые \
                     хранил портал: записи базы данных и файлы документов. Ключ шифрования файлов \
                     ребёнка уничтожен, поэтому копии файлов в резервных копиях прочитать нельзя. \
                     Квитанция не содержит персональных данных."
                        .to_owned(),
                ),
                Block::Row {
                    label: "Удалено записей".to_owned(),
                    value: rows.to_string(),
                },
                Block::Row {
                    label: "Удалено файлов".to_owned(),
                    value: files.to_string(),
                },
                Block::Row {
                    label: "Когда".to_owned(),
                    value: when,
                },
            ],
        };
        Ok(Some(
            self.receipts
                .issue(ReceiptKind::Deletion, id, &facts, &document)
                .await?,
        ))
    }
}

#[async_trait::async_trait]
impl ChildDataRights for DataRightsService {
    async fn preview(
        &self,
        parent: &SignedInAccount,
        child: i64,
    ) -> Result<DeletionStatement, ServiceError> {
        let (subject, child_name) = self.subject(parent, child).await?;
        let mut items = Vec::new();
        for (label, tables) in GROUPS {
            let mut n = 0;
            for table in *tables {
                n += self.count(table, subject).await?;
            }
            if n > 0 {
                items.push(((*label).to_owned(), n));
            }
        }
        let files = self.count("documents", subject).await?;
        Ok(DeletionStatement {
            child_name,
            items,
            files,
            reauthenticated: parent.recently_reauthenticated(self.clock.now()),
        })
    }

    async fn delete(&self, parent: &SignedInAccount, child: i64) -> Result<Deleted, ServiceError> {
        let (subject, _) = self.subject(parent, child).await?;
        let now = self.clock.now();
        if !parent.recently_reauthenticated(now) {
            return Err(ServiceError::Refused(Refusal::ReauthRequired));
        }
        let mut tx = self.db.begin().await?;
        self.hand_over_shared_files(&mut tx, child).await?;
        let files = self.files(&mut tx, subject).await?;
        let ids: Vec<String> = files.iter().map(|(id, _)| id.to_string()).collect();
        let mut rows = 0;
        for spec in ABOUT_A_CHILD {
            let sql = if spec.table == "documents" {
                // The list was read before the rows that name these files went.
                if ids.is_empty() {
                    continue;
                }
                format!(
                    "DELETE FROM documents WHERE id IN ({}) AND $1 IS NOT NULL AND $2 IS NOT NULL",
                    ids.join(", ")
                )
            } else {
                collect::delete_statement(spec)
            };
            rows += tx_execute!(
                &mut tx,
                sqlx::AssertSqlSafe(sql),
                subject.card,
                subject.minor.unwrap_or(-1)
            )
            .map_err(StorageError::from)?;
        }
        FileKeys::destroy(&mut tx, child).await?;
        const RECORD: &str = "INSERT INTO data_deletions (parent_account_id, deleted_at, \
                              rows_deleted, files_deleted) VALUES ($1, $2, $3, $4) RETURNING id";
        let rows = i64::try_from(rows).unwrap_or(i64::MAX);
        let id = on_tx!(&mut tx, |conn| {
            sqlx::query_scalar::<_, i64>(RECORD)
                .bind(parent.account_id)
                .bind(now)
                .bind(rows)
                .bind(files.len() as i64)
                .fetch_one(conn)
                .await
        })
        .map_err(StorageError::from)?;
        let message = Message {
            account_id: Some(parent.account_id),
            channel: Channel::InApp,
            recipient: parent.account_id.to_string(),
            subject: "Данные о ребёнке удалены".to_owned(),
            body: format!(
                "По вашей просьбе удалены все данные о ребёнке: записей — {rows}, файлов — {}. \
                 Квитанция об удалении — в разделе «Семья и дети».",
                files.len()
            ),
        };
        self.outbox.enqueue(&mut tx, &message, now).await?;
        tx.commit().await?;
        self.outbox.wake();
        for (_, key) in &files {
            if let Err(error) = self.store.delete(&key.as_str().into()).await {
                // Unreadable anyway: its key is gone.
                tracing::warn!(%error, "deleted child's file not removed from the store");
            }
        }
        tracing::info!(
            event = "data.deleted",
            account_id = parent.account_id,
            deletion_id = id,
            rows,
            files = files.len(),
            "child's data deleted"
        );
        Ok(Deleted {
            id,
            rows,
            files: files.len() as i64,
            at: format_ru_datetime(now),
        })
    }
}
