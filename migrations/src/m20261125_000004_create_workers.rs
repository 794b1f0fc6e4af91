//! Compute fleet: `workers`, `worker_heartbeats` and `storage_snapshots`.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates the worker registry, its heartbeat history and the storage snapshots.
#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// Allowed worker status values (mirror of the core `WorkerStatus` enum).
const WORKER_STATUSES: [&str; 4] = ["healthy", "draining", "cordoned", "offline"];

/// `id` is the agent's own id, not necessarily a UUID.
#[derive(DeriveIden)]
enum Workers {
    Table,
    Id,
    Region,
    BaseUrl,
    Version,
    Status,
    ActiveJobs,
    MaxJobs,
    DiskFreeBytes,
    DiskTotalBytes,
    CpuPct,
    BandwidthBps,
    LastHeartbeatAt,
    RegisteredAt,
}

/// History rows keep `worker_id` without a foreign key, so they survive deregistration.
#[derive(DeriveIden)]
enum WorkerHeartbeats {
    Table,
    Id,
    WorkerId,
    Status,
    ActiveJobs,
    MaxJobs,
    DiskFreeBytes,
    DiskTotalBytes,
    CpuPct,
    BandwidthBps,
    CreatedAt,
}

#[derive(DeriveIden)]
enum StorageSnapshots {
    Table,
    Id,
    TotalFiles,
    TotalBytes,
    OrphanFiles,
    CapturedAt,
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
                    .table(Workers::Table)
                    .col(text(Workers::Id).primary_key())
                    .col(text(Workers::Region))
                    .col(text(Workers::BaseUrl))
                    .col(text(Workers::Version))
                    .col(
                        text(Workers::Status)
                            .check(("workers_status_check", Expr::col(Workers::Status).is_in(WORKER_STATUSES))),
                    )
                    .col(integer(Workers::ActiveJobs))
                    .col(integer(Workers::MaxJobs))
                    .col(big_integer(Workers::DiskFreeBytes))
                    .col(big_integer(Workers::DiskTotalBytes))
                    .col(double(Workers::CpuPct))
                    .col(big_integer(Workers::BandwidthBps))
                    .col(timestamp_with_time_zone(Workers::LastHeartbeatAt))
                    .col(timestamp_with_time_zone(Workers::RegisteredAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(WorkerHeartbeats::Table)
                    .col(string_len(WorkerHeartbeats::Id, 36).primary_key())
                    .col(text(WorkerHeartbeats::WorkerId))
                    .col(text(WorkerHeartbeats::Status).check((
                        "worker_heartbeats_status_check",
                        Expr::col(WorkerHeartbeats::Status).is_in(WORKER_STATUSES),
                    )))
                    .col(integer(WorkerHeartbeats::ActiveJobs))
                    .col(integer(WorkerHeartbeats::MaxJobs))
                    .col(big_integer(WorkerHeartbeats::DiskFreeBytes))
                    .col(big_integer(WorkerHeartbeats::DiskTotalBytes))
                    .col(double(WorkerHeartbeats::CpuPct))
                    .col(big_integer(WorkerHeartbeats::BandwidthBps))
                    .col(timestamp_with_time_zone(WorkerHeartbeats::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("worker_heartbeats_worker_id_created_at_idx")
                    .table(WorkerHeartbeats::Table)
                    .col(WorkerHeartbeats::WorkerId)
                    .col(WorkerHeartbeats::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(StorageSnapshots::Table)
                    .col(string_len(StorageSnapshots::Id, 36).primary_key())
                    .col(big_integer(StorageSnapshots::TotalFiles))
                    .col(big_integer(StorageSnapshots::TotalBytes))
                    .col(big_integer(StorageSnapshots::OrphanFiles))
                    .col(timestamp_with_time_zone(StorageSnapshots::CapturedAt))
                    .to_owned(),
            )
            .await?;

        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in
            [StorageSnapshots::Table.into_iden(), WorkerHeartbeats::Table.into_iden(), Workers::Table.into_iden()]
        {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
