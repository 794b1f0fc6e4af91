//! Entity for the `retention_sweeps` table.

use sea_orm::entity::prelude::*;

/// What one retention sweep did.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "retention_sweeps")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "String(StringLen::N(36))")]
    pub(crate) id: String,
    pub(crate) started_at: DateTimeUtc,
    pub(crate) finished_at: DateTimeUtc,
    #[sea_orm(column_type = "String(StringLen::N(16))")]
    pub(crate) trigger: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) policy: String,
    pub(crate) files_deleted: i64,
    pub(crate) bytes_deleted: i64,
    pub(crate) blobs_deleted: i64,
    pub(crate) orphan_blobs: i64,
    pub(crate) orphan_rows: i64,
    pub(crate) kept_on_error: i64,
    #[sea_orm(column_type = "Text")]
    pub(crate) error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
