//! Observability: `api_metrics` (each API host's requests per route and method, one row per
//! flush) and `system_snapshots` (the queue and the fleet, one row per minute).

use sea_orm_migration::{prelude::*, schema::*};

/// Creates the observability tables.
#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum ApiMetrics {
    Table,
    Id,
    Minute,
    Host,
    Route,
    Method,
    Requests,
    ClientErrors,
    ServerErrors,
    // Spelled out, so the column names do not depend on how the case conversion splits digits.
    #[sea_orm(iden = "p50_us")]
    P50Us,
    #[sea_orm(iden = "p95_us")]
    P95Us,
    #[sea_orm(iden = "p99_us")]
    P99Us,
    TotalUs,
    Latency,
}

#[derive(DeriveIden)]
enum SystemSnapshots {
    Table,
    At,
    QueueReady,
    QueueDelayed,
    DeadLetters,
    OldestQueuedSecs,
    ActiveJobs,
    ThroughputBps,
    AgentsUp,
    Agents,
}

// See m20261125_000002_create_jobs.rs for why the lifetime stays elided.
#[expect(elided_lifetimes_in_paths, reason = "must match MigrationTrait's signature")]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Rows are only appended (several per minute, host, route and method when a host flushes
        // more often than once a minute), so the key is a surrogate: `BIGSERIAL` on PostgreSQL,
        // `INTEGER PRIMARY KEY AUTOINCREMENT` on SQLite.
        manager
            .create_table(
                Table::create()
                    .table(ApiMetrics::Table)
                    .col(big_pk_auto(ApiMetrics::Id))
                    .col(timestamp_with_time_zone(ApiMetrics::Minute))
                    .col(text(ApiMetrics::Host))
                    .col(text(ApiMetrics::Route))
                    .col(text(ApiMetrics::Method))
                    .col(big_integer(ApiMetrics::Requests))
                    .col(big_integer(ApiMetrics::ClientErrors))
                    .col(big_integer(ApiMetrics::ServerErrors))
                    .col(big_integer(ApiMetrics::P50Us))
                    .col(big_integer(ApiMetrics::P95Us))
                    .col(big_integer(ApiMetrics::P99Us))
                    .col(big_integer(ApiMetrics::TotalUs))
                    .col(text(ApiMetrics::Latency))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("api_metrics_minute_idx")
                    .table(ApiMetrics::Table)
                    .col(ApiMetrics::Minute)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SystemSnapshots::Table)
                    .col(timestamp_with_time_zone(SystemSnapshots::At).primary_key())
                    .col(big_integer(SystemSnapshots::QueueReady))
                    .col(big_integer(SystemSnapshots::QueueDelayed))
                    .col(big_integer(SystemSnapshots::DeadLetters))
                    .col(big_integer(SystemSnapshots::OldestQueuedSecs))
                    .col(big_integer(SystemSnapshots::ActiveJobs))
                    .col(big_integer(SystemSnapshots::ThroughputBps))
                    .col(integer(SystemSnapshots::AgentsUp))
                    .col(integer(SystemSnapshots::Agents))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [SystemSnapshots::Table.into_iden(), ApiMetrics::Table.into_iden()] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
