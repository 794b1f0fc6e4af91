//! Jobs: `jobs`, `job_events` and `files`.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates the job tables, including the partial unique index `jobs_user_infohash_live`.
#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// Allowed `jobs.status` values (mirror of the core `JobStatus` enum).
const JOB_STATUSES: [&str; 8] =
    ["queued", "fetching_metadata", "downloading", "uploading", "completed", "paused", "failed", "cancelled"];

/// Terminal statuses that release the `(user_id, infohash)` slot of `jobs_user_infohash_live`.
const RELEASED_STATUSES: [&str; 2] = ["failed", "cancelled"];

/// Allowed `jobs.source_kind` values.
const SOURCE_KINDS: [&str; 2] = ["magnet", "torrent"];

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    UserId,
    Name,
    Status,
    SourceKind,
    MagnetUri,
    TorrentBytes,
    Infohash,
    IdempotencyKey,
    TotalBytes,
    DoneBytes,
    Error,
    WorkerId,
    CreatedAt,
    UpdatedAt,
    CompletedAt,
}

#[derive(DeriveIden)]
enum JobEvents {
    Table,
    Id,
    JobId,
    Seq,
    Kind,
    Payload,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Files {
    Table,
    Id,
    JobId,
    Path,
    SizeBytes,
    MimeType,
    StorageKey,
    IsComplete,
    CreatedAt,
}

// `MigrationTrait` elides `SchemaManager`'s lifetime; spelling it `<'_>` here makes it
// early-bound under `async_trait` and fails with E0195 (sea-orm-migration 2.0).
#[expect(elided_lifetimes_in_paths, reason = "must match MigrationTrait's signature")]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Jobs::Table)
                    .col(string_len(Jobs::Id, 36).primary_key())
                    .col(string_len(Jobs::UserId, 36))
                    .col(text(Jobs::Name))
                    .col(text(Jobs::Status).check(("jobs_status_check", Expr::col(Jobs::Status).is_in(JOB_STATUSES))))
                    .col(
                        text(Jobs::SourceKind)
                            .check(("jobs_source_kind_check", Expr::col(Jobs::SourceKind).is_in(SOURCE_KINDS))),
                    )
                    .col(text_null(Jobs::MagnetUri))
                    .col(blob_null(Jobs::TorrentBytes))
                    .col(string_len(Jobs::Infohash, 40))
                    .col(text_null(Jobs::IdempotencyKey))
                    .col(big_integer_null(Jobs::TotalBytes))
                    .col(big_integer(Jobs::DoneBytes).default(0))
                    .col(text_null(Jobs::Error))
                    .col(text_null(Jobs::WorkerId))
                    .col(timestamp_with_time_zone(Jobs::CreatedAt))
                    .col(timestamp_with_time_zone(Jobs::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Jobs::CompletedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("jobs_user_id_fkey")
                            .from(Jobs::Table, Jobs::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // NULL idempotency keys never collide (NULLs are distinct on both backends).
        manager
            .create_index(
                Index::create()
                    .name("jobs_user_id_idempotency_key_key")
                    .table(Jobs::Table)
                    .col(Jobs::UserId)
                    .col(Jobs::IdempotencyKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("jobs_user_id_created_at_idx")
                    .table(Jobs::Table)
                    .col(Jobs::UserId)
                    .col(Jobs::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("jobs_status_idx").table(Jobs::Table).col(Jobs::Status).to_owned())
            .await?;
        manager
            .create_index(Index::create().name("jobs_infohash_idx").table(Jobs::Table).col(Jobs::Infohash).to_owned())
            .await?;
        // One live job per (user, infohash). The predicate is constant (no functions, no
        // parameters), so it is a valid partial index on both SQLite and PostgreSQL; the column
        // is left unqualified because SQLite only accepts plain column names there.
        manager
            .create_index(
                Index::create()
                    .name("jobs_user_infohash_live")
                    .table(Jobs::Table)
                    .col(Jobs::UserId)
                    .col(Jobs::Infohash)
                    .unique()
                    .and_where(Expr::col(Jobs::Status).is_not_in(RELEASED_STATUSES))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(JobEvents::Table)
                    .col(string_len(JobEvents::Id, 36).primary_key())
                    .col(string_len(JobEvents::JobId, 36))
                    .col(big_integer(JobEvents::Seq))
                    .col(text(JobEvents::Kind))
                    .col(text(JobEvents::Payload))
                    .col(timestamp_with_time_zone(JobEvents::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("job_events_job_id_fkey")
                            .from(JobEvents::Table, JobEvents::JobId)
                            .to(Jobs::Table, Jobs::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("job_events_job_id_seq_key")
                    .table(JobEvents::Table)
                    .col(JobEvents::JobId)
                    .col(JobEvents::Seq)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Files::Table)
                    .col(string_len(Files::Id, 36).primary_key())
                    .col(string_len(Files::JobId, 36))
                    .col(text(Files::Path))
                    .col(big_integer(Files::SizeBytes))
                    .col(text_null(Files::MimeType))
                    .col(text(Files::StorageKey))
                    .col(boolean(Files::IsComplete).default(false))
                    .col(timestamp_with_time_zone(Files::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("files_job_id_fkey")
                            .from(Files::Table, Files::JobId)
                            .to(Jobs::Table, Jobs::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("files_job_id_path_key")
                    .table(Files::Table)
                    .col(Files::JobId)
                    .col(Files::Path)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("files_storage_key_idx").table(Files::Table).col(Files::StorageKey).to_owned(),
            )
            .await?;

        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [Files::Table.into_iden(), JobEvents::Table.into_iden(), Jobs::Table.into_iden()] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
