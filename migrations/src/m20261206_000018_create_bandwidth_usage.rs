//! `bandwidth_usage`: the bytes each organization moved per calendar month (UTC), downloaded by
//! its jobs and served from its files, read against its plan's `bandwidth_bytes`.
//!
//! One row per organization and month (`month` is `YYYY-MM`), created by the first transfer of
//! the month and added to in place (`INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n`).
//! Rows go with their organization (`ON DELETE CASCADE`); older months stay as history.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates the bandwidth table.
#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum BandwidthUsage {
    Table,
    OrgId,
    Month,
    DownloadedBytes,
    ServedBytes,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
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
                    .table(BandwidthUsage::Table)
                    .col(string_len(BandwidthUsage::OrgId, 36))
                    .col(string_len(BandwidthUsage::Month, 7))
                    .col(big_integer(BandwidthUsage::DownloadedBytes).default(0).check((
                        "bandwidth_usage_downloaded_bytes_check",
                        Expr::col(BandwidthUsage::DownloadedBytes).gte(0),
                    )))
                    .col(
                        big_integer(BandwidthUsage::ServedBytes).default(0).check((
                            "bandwidth_usage_served_bytes_check",
                            Expr::col(BandwidthUsage::ServedBytes).gte(0),
                        )),
                    )
                    .primary_key(Index::create().col(BandwidthUsage::OrgId).col(BandwidthUsage::Month))
                    .foreign_key(
                        ForeignKey::create()
                            .name("bandwidth_usage_org_id_fkey")
                            .from(BandwidthUsage::Table, BandwidthUsage::OrgId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(BandwidthUsage::Table).to_owned()).await
    }
}
