//! The indexes of the operators' global search (users by email, jobs by name and infohash,
//! audit entries by action and target), so that a substring search stays fast on hundreds of
//! thousands of rows.
//!
//! - **SQLite:** FTS5 tables with the trigram tokenizer (`users_search`, `jobs_search`,
//!   `audit_search`), external-content tables over the rows (nothing is stored twice but the
//!   index), kept up to date by triggers in the writing transaction. A quoted phrase of three or
//!   more characters matches any substring, ignoring case.
//! - **PostgreSQL:** GIN indexes with `pg_trgm`'s `gin_trgm_ops` on the lowercased columns,
//!   which `lower(col) LIKE '%text%'` uses. When the extension cannot be created (a role without
//!   the right), the migration still succeeds and the search scans instead.
//!
//! Infohash prefixes need nothing new: they are ranges on `jobs_infohash_idx`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// `table_search`, an FTS5 trigram index over `columns` of `table`, with the triggers that keep
/// it in step and a first build from the rows already there.
fn sqlite_index(table: &str, columns: &[&str]) -> Vec<String> {
    let fts = format!("{table}_search");
    let cols = columns.join(", ");
    let new_vals = columns.iter().map(|c| format!("new.{c}")).collect::<Vec<_>>().join(", ");
    let old_vals = columns.iter().map(|c| format!("old.{c}")).collect::<Vec<_>>().join(", ");
    let delete = format!("INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old_vals});");
    let insert = format!("INSERT INTO {fts}(rowid, {cols}) VALUES (new.rowid, {new_vals});");
    vec![
        format!("CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}', tokenize='trigram')"),
        format!("CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END"),
        format!("CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {delete} END"),
        format!("CREATE TRIGGER {fts}_update AFTER UPDATE OF {cols} ON {table} BEGIN {delete} {insert} END"),
        format!("INSERT INTO {fts}({fts}) VALUES ('rebuild')"),
    ]
}

const SQLITE_TABLES: [(&str, &[&str]); 3] =
    [("users", &["email"]), ("jobs", &["name"]), ("audit_logs", &["action", "target_id"])];

const POSTGRES_UP: [&str; 2] = [
    "DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS pg_trgm; \
     EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'pg_trgm is not available: the admin search scans'; END $$",
    "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN \
       CREATE INDEX users_email_trgm_idx ON users USING gin (lower(email) gin_trgm_ops); \
       CREATE INDEX jobs_name_trgm_idx ON jobs USING gin (lower(name) gin_trgm_ops); \
       CREATE INDEX audit_logs_action_trgm_idx ON audit_logs USING gin (lower(action) gin_trgm_ops); \
       CREATE INDEX audit_logs_target_trgm_idx ON audit_logs USING gin (lower(target_id) gin_trgm_ops); \
     END IF; END $$",
];

const POSTGRES_DOWN: [&str; 4] = [
    "DROP INDEX IF EXISTS users_email_trgm_idx",
    "DROP INDEX IF EXISTS jobs_name_trgm_idx",
    "DROP INDEX IF EXISTS audit_logs_action_trgm_idx",
    "DROP INDEX IF EXISTS audit_logs_target_trgm_idx",
];

// See m20261125_000002_create_jobs.rs for why the lifetime stays elided.
#[expect(elided_lifetimes_in_paths, reason = "must match MigrationTrait's signature")]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let statements: Vec<String> = match db.get_database_backend() {
            DbBackend::Sqlite => {
                SQLITE_TABLES.iter().flat_map(|(table, columns)| sqlite_index(table, columns)).collect()
            }
            DbBackend::Postgres => POSTGRES_UP.iter().map(|s| (*s).to_owned()).collect(),
            other => return Err(DbErr::Migration(format!("unsupported database backend {other:?}"))),
        };
        for statement in statements {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let statements: Vec<String> = match db.get_database_backend() {
            DbBackend::Sqlite => SQLITE_TABLES
                .iter()
                .flat_map(|(table, _)| {
                    let fts = format!("{table}_search");
                    [
                        format!("DROP TRIGGER IF EXISTS {fts}_insert"),
                        format!("DROP TRIGGER IF EXISTS {fts}_delete"),
                        format!("DROP TRIGGER IF EXISTS {fts}_update"),
                        format!("DROP TABLE IF EXISTS {fts}"),
                    ]
                })
                .collect(),
            _ => POSTGRES_DOWN.iter().map(|s| (*s).to_owned()).collect(),
        };
        for statement in statements {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }
}
