//! The admin console: a ticket on settings changes, and the history's time index.

use sea_orm_migration::{prelude::*, schema::*};

/// Adds `config_changes.ticket` (the ticket id an operator gave, `NULL` for none) and
/// `config_changes(created_at)` for the history, newest first.
#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum ConfigChanges {
    Table,
    Ticket,
    CreatedAt,
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
            .alter_table(
                Table::alter().table(ConfigChanges::Table).add_column(text_null(ConfigChanges::Ticket)).to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("config_changes_created_at_idx")
                    .table(ConfigChanges::Table)
                    .col(ConfigChanges::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("config_changes_created_at_idx").table(ConfigChanges::Table).to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table(ConfigChanges::Table).drop_column(ConfigChanges::Ticket).to_owned())
            .await
    }
}
