//! Entity for the `maintenances` table.

use sea_orm::entity::prelude::*;

/// A planned maintenance window; `components` is a JSON array of component ids.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "maintenances")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "String(StringLen::N(36))")]
    pub(crate) id: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) title: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) body: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) components: String,
    pub(crate) starts_at: DateTimeUtc,
    pub(crate) ends_at: DateTimeUtc,
    pub(crate) created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
