//! Entity for the `blocklist` table.

use sea_orm::entity::prelude::*;

/// A blocked infohash (40 lowercase hex chars).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "blocklist")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "String(StringLen::N(40))")]
    pub(crate) infohash: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) reason: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) added_by: Option<String>,
    pub(crate) created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
