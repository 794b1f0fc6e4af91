//! Periodic maintenance: `scheduled_tasks` (the scheduler's lease rows, one per task) and
//! `retention_sweeps` (what each retention sweep did).

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `scheduled_tasks` and `retention_sweeps`.
#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum ScheduledTasks {
    Table,
    Name,
    LastSlot,
    LeaseOwner,
    LeaseUntil,
    LastStartedAt,
    LastFinishedAt,
    LastOutcome,
}

#[derive(DeriveIden)]
enum RetentionSweeps {
    Table,
    Id,
    StartedAt,
    FinishedAt,
    Trigger,
    Policy,
    FilesDeleted,
    BytesDeleted,
    BlobsDeleted,
    OrphanBlobs,
    OrphanRows,
    KeptOnError,
    Error,
}

// See m20261125_000002_create_jobs.rs for why the lifetime stays elided.
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
                    .table(ScheduledTasks::Table)
                    .col(string_len(ScheduledTasks::Name, 64).primary_key())
                    .col(timestamp_with_time_zone_null(ScheduledTasks::LastSlot))
                    .col(string_len_null(ScheduledTasks::LeaseOwner, 128))
                    .col(timestamp_with_time_zone_null(ScheduledTasks::LeaseUntil))
                    .col(timestamp_with_time_zone_null(ScheduledTasks::LastStartedAt))
                    .col(timestamp_with_time_zone_null(ScheduledTasks::LastFinishedAt))
                    .col(text_null(ScheduledTasks::LastOutcome))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RetentionSweeps::Table)
                    .col(string_len(RetentionSweeps::Id, 36).primary_key())
                    .col(timestamp_with_time_zone(RetentionSweeps::StartedAt))
                    .col(timestamp_with_time_zone(RetentionSweeps::FinishedAt))
                    .col(
                        string_len(RetentionSweeps::Trigger, 16)
                            .check(Expr::col(RetentionSweeps::Trigger).is_in(["schedule", "admin"])),
                    )
                    .col(text(RetentionSweeps::Policy))
                    .col(big_integer(RetentionSweeps::FilesDeleted))
                    .col(big_integer(RetentionSweeps::BytesDeleted))
                    .col(big_integer(RetentionSweeps::BlobsDeleted))
                    .col(big_integer(RetentionSweeps::OrphanBlobs))
                    .col(big_integer(RetentionSweeps::OrphanRows))
                    .col(big_integer(RetentionSweeps::KeptOnError))
                    .col(text_null(RetentionSweeps::Error))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("retention_sweeps_started_at_idx")
                    .table(RetentionSweeps::Table)
                    .col(RetentionSweeps::StartedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [RetentionSweeps::Table.into_iden(), ScheduledTasks::Table.into_iden()] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
