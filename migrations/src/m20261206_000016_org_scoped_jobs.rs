//! Organization-scoped jobs and API keys: `jobs.org_id`, the organization a job belongs to, and
//! `api_keys.org_id`, the one organization a key acts in.
//!
//! Rows made before this migration belong to their user's personal organization, whose id is the
//! user's id (migration 15 made one for every account), so both columns are backfilled with
//! `user_id`.
//!
//! - **PostgreSQL:** both columns then become `NOT NULL` and reference `organizations`. A job
//!   keeps its organization (`NO ACTION`: deleting an organization that still has jobs is refused,
//!   since their files need the job service's cleanup); a key goes with its organization
//!   (`CASCADE`).
//! - **SQLite:** cannot add `NOT NULL` without a default, and a column added with `REFERENCES`
//!   could not be dropped again by `down`, so both columns stay nullable and without foreign
//!   keys. The repositories always write them, read a `NULL` back as a corrupt row, delete an
//!   organization's keys with it and refuse to delete an organization that has jobs.
//!
//! The live-job index `jobs_user_infohash_live` becomes `jobs_org_user_infohash_live` on
//! `(org_id, user_id, infohash)`: a user may have a live job for one torrent in each of their
//! organizations. `down` restores the old index, which fails while a user has live jobs for one
//! infohash in two organizations.

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

/// Adds, backfills and indexes `jobs.org_id` and `api_keys.org_id`, and scopes the live-job
/// index by organization.
#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// Terminal statuses that release the `(org_id, user_id, infohash)` slot of
/// `jobs_org_user_infohash_live` (as in m20261125_000002_create_jobs.rs).
const RELEASED_STATUSES: [&str; 2] = ["failed", "cancelled"];

/// The live-job index this migration replaces.
const OLD_LIVE_INDEX: &str = "jobs_user_infohash_live";
/// The live-job index per organization.
const LIVE_INDEX: &str = "jobs_org_user_infohash_live";
/// An organization's jobs, newest or oldest first.
const JOBS_ORG_INDEX: &str = "jobs_org_id_created_at_idx";
/// An organization's keys (deleted with it).
const KEYS_ORG_INDEX: &str = "api_keys_org_id_idx";

/// Every existing row belongs to its user's personal organization (same SQL on both backends).
const BACKFILL: [&str; 2] = [
    "UPDATE jobs SET org_id = user_id WHERE org_id IS NULL",
    "UPDATE api_keys SET org_id = user_id WHERE org_id IS NULL",
];

/// What PostgreSQL adds once the columns are filled.
const POSTGRES_CONSTRAINTS: [&str; 4] = [
    "ALTER TABLE jobs ALTER COLUMN org_id SET NOT NULL",
    "ALTER TABLE api_keys ALTER COLUMN org_id SET NOT NULL",
    "ALTER TABLE jobs ADD CONSTRAINT jobs_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations (id) \
     ON DELETE NO ACTION",
    "ALTER TABLE api_keys ADD CONSTRAINT api_keys_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations (id) \
     ON DELETE CASCADE",
];

#[derive(DeriveIden)]
enum Jobs {
    Table,
    OrgId,
    UserId,
    Infohash,
    Status,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ApiKeys {
    Table,
    OrgId,
}

// See m20261125_000002_create_jobs.rs for why the lifetime stays elided.
#[expect(elided_lifetimes_in_paths, reason = "must match MigrationTrait's signature")]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        if !matches!(backend, DbBackend::Sqlite | DbBackend::Postgres) {
            return Err(DbErr::Migration(format!("unsupported database backend {backend:?}")));
        }

        // One change per ALTER TABLE: SQLite accepts only one.
        manager
            .alter_table(Table::alter().table(Jobs::Table).add_column(string_len_null(Jobs::OrgId, 36)).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter().table(ApiKeys::Table).add_column(string_len_null(ApiKeys::OrgId, 36)).to_owned(),
            )
            .await?;
        for statement in BACKFILL {
            db.execute_unprepared(statement).await?;
        }
        if matches!(backend, DbBackend::Postgres) {
            for statement in POSTGRES_CONSTRAINTS {
                db.execute_unprepared(statement).await?;
            }
        }

        // One live job per (organization, user, infohash), with the constant predicate of the
        // index it replaces (see m20261125_000002_create_jobs.rs).
        manager.drop_index(Index::drop().name(OLD_LIVE_INDEX).table(Jobs::Table).to_owned()).await?;
        manager
            .create_index(
                Index::create()
                    .name(LIVE_INDEX)
                    .table(Jobs::Table)
                    .col(Jobs::OrgId)
                    .col(Jobs::UserId)
                    .col(Jobs::Infohash)
                    .unique()
                    .and_where(Expr::col(Jobs::Status).is_not_in(RELEASED_STATUSES))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(JOBS_ORG_INDEX)
                    .table(Jobs::Table)
                    .col(Jobs::OrgId)
                    .col(Jobs::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name(KEYS_ORG_INDEX).table(ApiKeys::Table).col(ApiKeys::OrgId).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The indexes first: SQLite refuses to drop an indexed column.
        manager.drop_index(Index::drop().name(KEYS_ORG_INDEX).table(ApiKeys::Table).to_owned()).await?;
        manager.drop_index(Index::drop().name(JOBS_ORG_INDEX).table(Jobs::Table).to_owned()).await?;
        manager.drop_index(Index::drop().name(LIVE_INDEX).table(Jobs::Table).to_owned()).await?;
        manager
            .create_index(
                Index::create()
                    .name(OLD_LIVE_INDEX)
                    .table(Jobs::Table)
                    .col(Jobs::UserId)
                    .col(Jobs::Infohash)
                    .unique()
                    .and_where(Expr::col(Jobs::Status).is_not_in(RELEASED_STATUSES))
                    .to_owned(),
            )
            .await?;
        // SQLite has DROP COLUMN since 3.35, the version the storage crate already requires;
        // PostgreSQL drops the foreign keys with the columns.
        manager.alter_table(Table::alter().table(ApiKeys::Table).drop_column(ApiKeys::OrgId).to_owned()).await?;
        manager.alter_table(Table::alter().table(Jobs::Table).drop_column(Jobs::OrgId).to_owned()).await
    }
}
