//! Entity for the `worker_heartbeats` table.

use sea_orm::entity::prelude::*;

/// One heartbeat in a worker's history (no foreign key: history survives deregistration).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "worker_heartbeats")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "String(StringLen::N(36))")]
    pub(crate) id: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) worker_id: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) status: String,
    pub(crate) active_jobs: i32,
    pub(crate) max_jobs: i32,
    pub(crate) disk_free_bytes: i64,
    pub(crate) disk_total_bytes: i64,
    pub(crate) cpu_pct: f64,
    pub(crate) bandwidth_bps: i64,
    pub(crate) created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
