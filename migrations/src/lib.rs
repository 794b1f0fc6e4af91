//! The tseeder database schema as [sea-orm migrations](sea_orm_migration).
//!
//! [`Migrator`] lists every migration in order. Embedders normally call
//! `tseeder_storage::migrate(&db)`, which wraps `Migrator::up(db, None)`; operators can run the
//! `tseeder-migrate` binary (feature `cli`) instead.
//!
//! Rules for this crate (see STYLE.md §4.11):
//!
//! - Migrations never import entities. Each file declares its own [`DeriveIden`]
//!   enums so it keeps compiling unchanged forever.
//! - Every migration has a working `down`, but the schema only moves forward: never edit a
//!   migration that has shipped, add a new one.
//! - Every statement must run on SQLite and PostgreSQL. Enum-like columns are `TEXT` with a
//!   `CHECK` listing the allowed values; ids are 36-character UUID strings; timestamps are
//!   `timestamp with time zone` except in `queue_messages` (BIGINT unix milliseconds); JSON is
//!   stored as `TEXT`.
#![warn(missing_docs)]

use sea_orm_migration::prelude::*;

/// Re-exported so callers can run `Migrator::up`/`down` without depending on
/// sea-orm-migration themselves.
pub use sea_orm_migration::MigratorTrait;

mod m20261125_000001_create_accounts;
mod m20261125_000002_create_jobs;
mod m20261125_000003_create_admin;
mod m20261125_000004_create_workers;
mod m20261125_000005_create_queue;
mod m20261125_000006_add_job_selection;
mod m20261126_000007_add_job_region_hint;
mod m20261205_000008_add_user_default_region;
mod m20261205_000009_create_scheduler_and_sweeps;
mod m20261206_000010_admin_console;
mod m20261206_000011_admin_search;
mod m20261206_000012_create_status_page;
mod m20261206_000013_create_observability;
mod m20261206_000014_create_password_resets;
mod m20261206_000015_create_organizations;
mod m20261206_000016_org_scoped_jobs;
mod m20261206_000017_create_billing;
mod m20261206_000018_create_bandwidth_usage;
mod m20261206_000019_queue_lease_order;
mod m20261206_000020_create_labels;

/// Runs the tseeder migrations in order (implements [`MigratorTrait`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_create_accounts::Migration),
            Box::new(m20261125_000002_create_jobs::Migration),
            Box::new(m20261125_000003_create_admin::Migration),
            Box::new(m20261125_000004_create_workers::Migration),
            Box::new(m20261125_000005_create_queue::Migration),
            Box::new(m20261125_000006_add_job_selection::Migration),
            Box::new(m20261126_000007_add_job_region_hint::Migration),
            Box::new(m20261205_000008_add_user_default_region::Migration),
            Box::new(m20261205_000009_create_scheduler_and_sweeps::Migration),
            Box::new(m20261206_000010_admin_console::Migration),
            Box::new(m20261206_000011_admin_search::Migration),
            Box::new(m20261206_000012_create_status_page::Migration),
            Box::new(m20261206_000013_create_observability::Migration),
            Box::new(m20261206_000014_create_password_resets::Migration),
            Box::new(m20261206_000015_create_organizations::Migration),
            Box::new(m20261206_000016_org_scoped_jobs::Migration),
            Box::new(m20261206_000017_create_billing::Migration),
            Box::new(m20261206_000018_create_bandwidth_usage::Migration),
            Box::new(m20261206_000019_queue_lease_order::Migration),
            Box::new(m20261206_000020_create_labels::Migration),
        ]
    }
}
