//! Entity for the `config_changes` table.

use sea_orm::entity::prelude::*;

/// A recorded change of a runtime setting.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "config_changes")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "String(StringLen::N(36))")]
    pub(crate) id: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) key: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) old_value: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub(crate) new_value: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) changed_by: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub(crate) reason: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) ticket: Option<String>,
    pub(crate) created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
