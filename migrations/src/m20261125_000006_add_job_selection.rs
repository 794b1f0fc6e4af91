//! Downloads: `jobs.selected_files` and an index for finding a completed job to share blobs with.

use sea_orm_migration::{prelude::*, schema::*};

/// Adds `jobs.selected_files` (a JSON array of file indexes in torrent order, `NULL` for every
/// file) and the index `jobs_infohash_status_completed_at_idx`, which serves "the most recently
/// completed job for this infohash" (blob sharing between jobs of the same torrent).
#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum Jobs {
    Table,
    SelectedFiles,
    Infohash,
    Status,
    CompletedAt,
}

const INDEX: &str = "jobs_infohash_status_completed_at_idx";

// See m20261125_000002_create_jobs.rs for why the lifetime stays elided.
#[expect(elided_lifetimes_in_paths, reason = "must match MigrationTrait's signature")]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One change per ALTER TABLE: SQLite accepts only one.
        manager
            .alter_table(Table::alter().table(Jobs::Table).add_column(text_null(Jobs::SelectedFiles)).to_owned())
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Jobs::Table)
                    .col(Jobs::Infohash)
                    .col(Jobs::Status)
                    .col(Jobs::CompletedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(INDEX).table(Jobs::Table).to_owned()).await?;
        // SQLite has DROP COLUMN since 3.35, the version the storage crate already requires.
        manager.alter_table(Table::alter().table(Jobs::Table).drop_column(Jobs::SelectedFiles).to_owned()).await
    }
}
