//! Entity for the `api_metrics` table.

use sea_orm::entity::prelude::*;

/// One API host's requests of one route and method over one flush, from `minute` on. Rows are
/// only appended, so several may share a minute, host, route and method; `id` is a surrogate
/// key. Counts and latencies are `u64` values stored as `BIGINT`; `latency` holds a core
/// `LatencyBuckets` in its encoded form.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "api_metrics")]
pub(crate) struct Model {
    #[sea_orm(primary_key)]
    pub(crate) id: i64,
    pub(crate) minute: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub(crate) host: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) route: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) method: String,
    pub(crate) requests: i64,
    pub(crate) client_errors: i64,
    pub(crate) server_errors: i64,
    pub(crate) p50_us: i64,
    pub(crate) p95_us: i64,
    pub(crate) p99_us: i64,
    pub(crate) total_us: i64,
    #[sea_orm(column_type = "Text")]
    pub(crate) latency: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
