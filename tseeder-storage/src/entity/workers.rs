//! Entity for the `workers` table.

use sea_orm::entity::prelude::*;

/// A registered compute agent; `id` is the agent's own id, `status` is `healthy`, `draining`, `cordoned` or `offline`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "workers")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub(crate) id: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) region: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) base_url: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) version: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) status: String,
    pub(crate) active_jobs: i32,
    pub(crate) max_jobs: i32,
    pub(crate) disk_free_bytes: i64,
    pub(crate) disk_total_bytes: i64,
    pub(crate) cpu_pct: f64,
    pub(crate) bandwidth_bps: i64,
    pub(crate) last_heartbeat_at: DateTimeUtc,
    pub(crate) registered_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
