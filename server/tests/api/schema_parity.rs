//! The two migration folders describe one schema: after migrating, SQLite and PostgreSQL have
//! the same tables, columns, nullability, unique constraints and foreign keys. A migration
//! written for one engine and forgotten (or written differently) for the other fails here.

use std::collections::BTreeSet;

use server::db::Database;

use crate::helpers::{Engine, TestApp};

/// One fact of a schema, comparable across engines.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Fact {
    Column {
        table: String,
        column: String,
        not_null: bool,
    },
    /// A unique constraint or unique index, by its columns in order (partial ones included).
    Unique { table: String, columns: String },
    ForeignKey {
        table: String,
        column: String,
        references: String,
    },
}

async fn sqlite_facts(db: &Database) -> BTreeSet<Fact> {
    let Database::Sqlite { writer, .. } = db else {
        unreachable!()
    };
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
    )
    .fetch_all(writer)
    .await
    .unwrap();
    let mut facts = BTreeSet::new();
    for table in tables {
        let columns: Vec<(String, i64, i64)> =
            sqlx::query_as("SELECT name, \"notnull\", pk FROM pragma_table_info($1)")
                .bind(&table)
                .fetch_all(writer)
                .await
                .unwrap();
        for (column, not_null, pk) in columns {
            facts.insert(Fact::Column {
                table: table.clone(),
                column,
                // A primary key column is never NULL, whatever the pragma says.
                not_null: not_null == 1 || pk > 0,
            });
        }
        let indexes: Vec<(String, String)> = sqlx::query_as(
            "SELECT name, origin FROM pragma_index_list($1) WHERE \"unique\" = 1 AND origin <> 'pk'",
        )
        .bind(&table)
        .fetch_all(writer)
        .await
        .unwrap();
        for (index, _) in indexes {
            let columns: Vec<String> =
                sqlx::query_scalar("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&index)
                    .fetch_all(writer)
                    .await
                    .unwrap();
            facts.insert(Fact::Unique {
                table: table.clone(),
                columns: columns.join(","),
            });
        }
        let keys: Vec<(String, String)> =
            sqlx::query_as("SELECT \"from\", \"table\" FROM pragma_foreign_key_list($1)")
                .bind(&table)
                .fetch_all(writer)
                .await
                .unwrap();
        for (column, references) in keys {
            facts.insert(Fact::ForeignKey {
                table: table.clone(),
                column,
                references,
            });
        }
    }
    facts
}

async fn postgres_facts(db: &Database) -> BTreeSet<Fact> {
    let Database::Postgres(pool) = db else {
        unreachable!()
    };
    let mut facts = BTreeSet::new();
    let columns: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, is_nullable::text \
         FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, column, nullable) in columns {
        facts.insert(Fact::Column {
            table,
            column,
            not_null: nullable == "NO",
        });
    }
    // Unique indexes (constraints are backed by one), primary keys left out as on SQLite.
    let uniques: Vec<(String, String)> = sqlx::query_as(
        "SELECT t.relname::text, \
                string_agg(a.attname::text, ',' ORDER BY k.ord) \
         FROM pg_index i \
         JOIN pg_class t ON t.oid = i.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public' \
         CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) \
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
         WHERE i.indisunique AND NOT i.indisprimary AND t.relname NOT LIKE '_sqlx%' \
         GROUP BY i.indexrelid, t.relname",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, columns) in uniques {
        facts.insert(Fact::Unique { table, columns });
    }
    let keys: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT c.conrelid::regclass::text, a.attname::text, c.confrelid::regclass::text \
         FROM pg_constraint c \
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) \
         WHERE c.contype = 'f'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, column, references) in keys {
        facts.insert(Fact::ForeignKey {
            table,
            column,
            references,
        });
    }
    facts
}

#[tokio::test]
async fn sqlite_and_postgres_migrate_to_the_same_schema() {
    let sqlite = TestApp::spawn(Engine::Sqlite).await.unwrap();
    let Some(postgres) = TestApp::spawn(Engine::Postgres).await else {
        return;
    };
    let (on_sqlite, on_postgres) = (
        sqlite_facts(&sqlite.db).await,
        postgres_facts(&postgres.db).await,
    );
    // Every kind of fact was read on both sides.
    for facts in [&on_sqlite, &on_postgres] {
        let (mut columns, mut uniques, mut keys) = (0, 0, 0);
        for fact in facts {
            match fact {
                Fact::Column { .. } => columns += 1,
                Fact::Unique { .. } => uniques += 1,
                Fact::ForeignKey { .. } => keys += 1,
            }
        }
        assert!(columns > 100, "columns: {columns}");
        assert!(uniques > 5, "unique constraints: {uniques}");
        assert!(keys > 20, "foreign keys: {keys}");
    }
    let only_sqlite: Vec<_> = on_sqlite.difference(&on_postgres).collect();
    let only_postgres: Vec<_> = on_postgres.difference(&on_sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the migrations differ\nonly on SQLite: {only_sqlite:#?}\nonly on PostgreSQL: {only_postgres:#?}"
    );

    // And a drift is seen: a column one engine's migration forgot, a NOT NULL the other lost.
    crate::family::execute(&sqlite, "ALTER TABLE children ADD COLUMN drifted TEXT").await;
    crate::family::execute(
        &postgres,
        "ALTER TABLE accounts ALTER COLUMN consent_at DROP NOT NULL",
    )
    .await;
    let (on_sqlite, on_postgres) = (
        sqlite_facts(&sqlite.db).await,
        postgres_facts(&postgres.db).await,
    );
    let drift: Vec<_> = on_sqlite.symmetric_difference(&on_postgres).collect();
    assert_eq!(drift.len(), 3, "{drift:#?}");
}
