//! The index a lease walks, in the lease's whole order: `(queue, state, visible_at, created_at,
//! id)`, replacing `(queue, state, visible_at)`.
//!
//! A lease takes the oldest deliverable message, ordered by `visible_at`, then `created_at`,
//! then `id`. With the shorter index, messages visible at the same instant had to be sorted on
//! every lease, and PostgreSQL sorted every deliverable message to take the first: draining a
//! burst of 100,000 queued jobs took time quadratic in its size. With the order in the index, a
//! lease reads the first entry that qualifies.

use sea_orm_migration::prelude::*;

/// Replaces the lease index.
#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

const OLD_INDEX: &str = "queue_messages_queue_state_visible_at_idx";
const INDEX: &str = "queue_messages_lease_order_idx";

#[derive(DeriveIden)]
enum QueueMessages {
    Table,
    Id,
    Queue,
    State,
    VisibleAt,
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
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(QueueMessages::Table)
                    .col(QueueMessages::Queue)
                    .col(QueueMessages::State)
                    .col(QueueMessages::VisibleAt)
                    .col(QueueMessages::CreatedAt)
                    .col(QueueMessages::Id)
                    .to_owned(),
            )
            .await?;
        manager.drop_index(Index::drop().name(OLD_INDEX).table(QueueMessages::Table).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(OLD_INDEX)
                    .table(QueueMessages::Table)
                    .col(QueueMessages::Queue)
                    .col(QueueMessages::State)
                    .col(QueueMessages::VisibleAt)
                    .to_owned(),
            )
            .await?;
        manager.drop_index(Index::drop().name(INDEX).table(QueueMessages::Table).to_owned()).await
    }
}
