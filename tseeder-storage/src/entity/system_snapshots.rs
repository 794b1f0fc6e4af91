//! Entity for the `system_snapshots` table.

use sea_orm::entity::prelude::*;

/// The queue and the fleet at one minute, keyed by the minute. Counts are `u64` values stored
/// as `BIGINT`, agent counts `u32` values stored as `INTEGER`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "system_snapshots")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub(crate) at: DateTimeUtc,
    pub(crate) queue_ready: i64,
    pub(crate) queue_delayed: i64,
    pub(crate) dead_letters: i64,
    pub(crate) oldest_queued_secs: i64,
    pub(crate) active_jobs: i64,
    pub(crate) throughput_bps: i64,
    pub(crate) agents_up: i32,
    pub(crate) agents: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
