//! The public status page: `status_components` (each component's latest sample),
//! `uptime_snapshots` (minutes per state, rolled up by hour and by day), `incidents` with their
//! `incident_updates`, and `maintenances` (planned windows).

use sea_orm_migration::{prelude::*, schema::*};

/// Creates the status page's tables.
#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// Allowed `status_components.state` values (mirror of the core `ComponentState` enum).
const COMPONENT_STATES: [&str; 5] = ["operational", "degraded", "partial_outage", "major_outage", "maintenance"];

/// Allowed `uptime_snapshots.period` values (mirror of the core `RollupPeriod` enum).
const ROLLUP_PERIODS: [&str; 2] = ["hour", "day"];

/// Allowed `incidents.impact` values (mirror of the core `IncidentImpact` enum).
const INCIDENT_IMPACTS: [&str; 4] = ["none", "minor", "major", "critical"];

/// Allowed `incidents.status` and `incident_updates.status` values (mirror of the core
/// `IncidentStatus` enum).
const INCIDENT_STATUSES: [&str; 4] = ["investigating", "identified", "monitoring", "resolved"];

#[derive(DeriveIden)]
enum StatusComponents {
    Table,
    Component,
    State,
    Reason,
    Since,
    CheckedAt,
}

#[derive(DeriveIden)]
enum UptimeSnapshots {
    Table,
    Component,
    Period,
    Start,
    Operational,
    Degraded,
    PartialOutage,
    MajorOutage,
    Maintenance,
}

#[derive(DeriveIden)]
enum Incidents {
    Table,
    Id,
    Title,
    Impact,
    Status,
    Components,
    CreatedAt,
    ResolvedAt,
}

#[derive(DeriveIden)]
enum IncidentUpdates {
    Table,
    Id,
    IncidentId,
    Status,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Maintenances {
    Table,
    Id,
    Title,
    Body,
    Components,
    StartsAt,
    EndsAt,
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
            .create_table(
                Table::create()
                    .table(StatusComponents::Table)
                    .col(text(StatusComponents::Component).primary_key())
                    .col(text(StatusComponents::State).check((
                        "status_components_state_check",
                        Expr::col(StatusComponents::State).is_in(COMPONENT_STATES),
                    )))
                    .col(text(StatusComponents::Reason))
                    .col(timestamp_with_time_zone(StatusComponents::Since))
                    .col(timestamp_with_time_zone(StatusComponents::CheckedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(UptimeSnapshots::Table)
                    .col(text(UptimeSnapshots::Component))
                    .col(text(UptimeSnapshots::Period).check((
                        "uptime_snapshots_period_check",
                        Expr::col(UptimeSnapshots::Period).is_in(ROLLUP_PERIODS),
                    )))
                    .col(timestamp_with_time_zone(UptimeSnapshots::Start))
                    .col(integer(UptimeSnapshots::Operational).default(0))
                    .col(integer(UptimeSnapshots::Degraded).default(0))
                    .col(integer(UptimeSnapshots::PartialOutage).default(0))
                    .col(integer(UptimeSnapshots::MajorOutage).default(0))
                    .col(integer(UptimeSnapshots::Maintenance).default(0))
                    .primary_key(
                        Index::create()
                            .col(UptimeSnapshots::Component)
                            .col(UptimeSnapshots::Period)
                            .col(UptimeSnapshots::Start),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uptime_snapshots_period_start_idx")
                    .table(UptimeSnapshots::Table)
                    .col(UptimeSnapshots::Period)
                    .col(UptimeSnapshots::Start)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Incidents::Table)
                    .col(string_len(Incidents::Id, 36).primary_key())
                    .col(text(Incidents::Title))
                    .col(
                        text(Incidents::Impact)
                            .check(("incidents_impact_check", Expr::col(Incidents::Impact).is_in(INCIDENT_IMPACTS))),
                    )
                    .col(
                        text(Incidents::Status)
                            .check(("incidents_status_check", Expr::col(Incidents::Status).is_in(INCIDENT_STATUSES))),
                    )
                    .col(text(Incidents::Components))
                    .col(timestamp_with_time_zone(Incidents::CreatedAt))
                    .col(timestamp_with_time_zone_null(Incidents::ResolvedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("incidents_created_at_idx")
                    .table(Incidents::Table)
                    .col(Incidents::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(IncidentUpdates::Table)
                    .col(string_len(IncidentUpdates::Id, 36).primary_key())
                    .col(string_len(IncidentUpdates::IncidentId, 36))
                    .col(text(IncidentUpdates::Status).check((
                        "incident_updates_status_check",
                        Expr::col(IncidentUpdates::Status).is_in(INCIDENT_STATUSES),
                    )))
                    .col(text(IncidentUpdates::Body))
                    .col(timestamp_with_time_zone(IncidentUpdates::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("incident_updates_incident_id_fkey")
                            .from(IncidentUpdates::Table, IncidentUpdates::IncidentId)
                            .to(Incidents::Table, Incidents::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("incident_updates_incident_id_created_at_idx")
                    .table(IncidentUpdates::Table)
                    .col(IncidentUpdates::IncidentId)
                    .col(IncidentUpdates::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Maintenances::Table)
                    .col(string_len(Maintenances::Id, 36).primary_key())
                    .col(text(Maintenances::Title))
                    .col(text(Maintenances::Body))
                    .col(text(Maintenances::Components))
                    .col(timestamp_with_time_zone(Maintenances::StartsAt))
                    .col(timestamp_with_time_zone(Maintenances::EndsAt))
                    .col(timestamp_with_time_zone(Maintenances::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("maintenances_ends_at_idx")
                    .table(Maintenances::Table)
                    .col(Maintenances::EndsAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Maintenances::Table.into_iden(),
            IncidentUpdates::Table.into_iden(),
            Incidents::Table.into_iden(),
            UptimeSnapshots::Table.into_iden(),
            StatusComponents::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
