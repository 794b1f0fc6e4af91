//! The durable work queue: `queue_messages`.
//!
//! Unlike the other tables, every time here is a BIGINT of unix milliseconds: the queue compares
//! and orders by time in SQL (`visible_at <= now`), and integers compare the same way on every
//! backend.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates the `queue_messages` table.
#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// Allowed `queue_messages.state` values.
const STATES: [&str; 2] = ["ready", "dead"];

#[derive(DeriveIden)]
enum QueueMessages {
    Table,
    Id,
    Queue,
    JobId,
    Payload,
    State,
    Attempts,
    MaxAttempts,
    VisibleAt,
    LeaseToken,
    LeaseOwner,
    LeasedAt,
    LastError,
    Errors,
    CreatedAt,
    DeadAt,
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
                    .table(QueueMessages::Table)
                    .col(text(QueueMessages::Id).primary_key())
                    .col(text(QueueMessages::Queue))
                    .col(text_null(QueueMessages::JobId))
                    .col(text(QueueMessages::Payload))
                    .col(
                        text(QueueMessages::State)
                            .check(("queue_messages_state_check", Expr::col(QueueMessages::State).is_in(STATES))),
                    )
                    .col(integer(QueueMessages::Attempts).default(0))
                    .col(integer(QueueMessages::MaxAttempts))
                    .col(big_integer(QueueMessages::VisibleAt))
                    .col(text_null(QueueMessages::LeaseToken))
                    .col(text_null(QueueMessages::LeaseOwner))
                    .col(big_integer_null(QueueMessages::LeasedAt))
                    .col(text_null(QueueMessages::LastError))
                    .col(text(QueueMessages::Errors).default("[]"))
                    .col(big_integer(QueueMessages::CreatedAt))
                    .col(big_integer_null(QueueMessages::DeadAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("queue_messages_queue_state_visible_at_idx")
                    .table(QueueMessages::Table)
                    .col(QueueMessages::Queue)
                    .col(QueueMessages::State)
                    .col(QueueMessages::VisibleAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("queue_messages_job_id_idx")
                    .table(QueueMessages::Table)
                    .col(QueueMessages::JobId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(QueueMessages::Table).to_owned()).await
    }
}
