//! Entity for the `bandwidth_usage` table.

use sea_orm::entity::prelude::*;

/// An organization's transfer in one calendar month, keyed by `(org_id, month)`; `month` is
/// `YYYY-MM` (UTC) and both counters are non-negative.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "bandwidth_usage")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "String(StringLen::N(36))")]
    pub(crate) org_id: String,
    #[sea_orm(primary_key, auto_increment = false, column_type = "String(StringLen::N(7))")]
    pub(crate) month: String,
    pub(crate) downloaded_bytes: i64,
    pub(crate) served_bytes: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
