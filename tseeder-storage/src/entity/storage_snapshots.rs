//! Entity for the `storage_snapshots` table.

use sea_orm::entity::prelude::*;

/// A periodic summary of stored files.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "storage_snapshots")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "String(StringLen::N(36))")]
    pub(crate) id: String,
    pub(crate) total_files: i64,
    pub(crate) total_bytes: i64,
    pub(crate) orphan_files: i64,
    pub(crate) captured_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
