//! Routing: `jobs.region_hint`, the region a job prefers to run in.

use sea_orm_migration::{prelude::*, schema::*};

/// Adds the nullable `jobs.region_hint` (a region code such as `eu`; `NULL` for no preference).
#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum Jobs {
    Table,
    RegionHint,
}

// See m20261125_000002_create_jobs.rs for why the lifetime stays elided.
#[expect(elided_lifetimes_in_paths, reason = "must match MigrationTrait's signature")]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Jobs::Table).add_column(text_null(Jobs::RegionHint)).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Jobs::Table).drop_column(Jobs::RegionHint).to_owned()).await
    }
}
