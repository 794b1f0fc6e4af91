//! Billing: `billing_customers` (each organization's customer at the payment provider),
//! `subscriptions` (each organization's subscription, as the newest provider event applied left
//! it) and `billing_events` (the provider events already processed, so each is processed once).
//!
//! A customer belongs to one organization (`customer_id` is unique). Both tables go with their
//! organization (`ON DELETE CASCADE`); a plan that a subscription pays for cannot be deleted.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates the billing tables.
#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// Allowed `subscriptions.status` values (mirror of the core `SubscriptionStatus`, Stripe's
/// names).
const SUBSCRIPTION_STATUSES: [&str; 8] =
    ["active", "trialing", "past_due", "unpaid", "canceled", "incomplete", "incomplete_expired", "paused"];

#[derive(DeriveIden)]
enum BillingCustomers {
    Table,
    OrgId,
    CustomerId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Subscriptions {
    Table,
    OrgId,
    CustomerId,
    SubscriptionId,
    PlanId,
    Status,
    CurrentPeriodEnd,
    GraceUntil,
    EventAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum BillingEvents {
    Table,
    Id,
    Kind,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Plans {
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
                    .table(BillingCustomers::Table)
                    .col(string_len(BillingCustomers::OrgId, 36).primary_key())
                    .col(text_uniq(BillingCustomers::CustomerId))
                    .col(timestamp_with_time_zone(BillingCustomers::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("billing_customers_org_id_fkey")
                            .from(BillingCustomers::Table, BillingCustomers::OrgId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Subscriptions::Table)
                    .col(string_len(Subscriptions::OrgId, 36).primary_key())
                    .col(text(Subscriptions::CustomerId))
                    .col(text(Subscriptions::SubscriptionId))
                    .col(string_len(Subscriptions::PlanId, 36))
                    .col(text(Subscriptions::Status).check((
                        "subscriptions_status_check",
                        Expr::col(Subscriptions::Status).is_in(SUBSCRIPTION_STATUSES),
                    )))
                    .col(timestamp_with_time_zone_null(Subscriptions::CurrentPeriodEnd))
                    .col(timestamp_with_time_zone_null(Subscriptions::GraceUntil))
                    .col(timestamp_with_time_zone(Subscriptions::EventAt))
                    .col(timestamp_with_time_zone(Subscriptions::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("subscriptions_org_id_fkey")
                            .from(Subscriptions::Table, Subscriptions::OrgId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("subscriptions_plan_id_fkey")
                            .from(Subscriptions::Table, Subscriptions::PlanId)
                            .to(Plans::Table, Plans::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(BillingEvents::Table)
                    .col(text(BillingEvents::Id).primary_key())
                    .col(text(BillingEvents::Kind))
                    .col(timestamp_with_time_zone(BillingEvents::ReceivedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Nothing references these tables; dropping a table drops its indexes on both backends.
        for table in
            [BillingEvents::Table.into_iden(), Subscriptions::Table.into_iden(), BillingCustomers::Table.into_iden()]
        {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
