//! Entity for the `uptime_snapshots` table.

use sea_orm::entity::prelude::*;

/// A component's minutes per state in one hour or day (`period` is `hour` or `day`, `start` the
/// period's first instant, UTC). The key is `(component, period, start)`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "uptime_snapshots")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub(crate) component: String,
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub(crate) period: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub(crate) start: DateTimeUtc,
    pub(crate) operational: i32,
    pub(crate) degraded: i32,
    pub(crate) partial_outage: i32,
    pub(crate) major_outage: i32,
    pub(crate) maintenance: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
