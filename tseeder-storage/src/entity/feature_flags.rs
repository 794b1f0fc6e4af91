//! Entity for the `feature_flags` table.

use sea_orm::entity::prelude::*;

/// A runtime feature flag.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "feature_flags")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub(crate) key: String,
    pub(crate) enabled: bool,
    #[sea_orm(column_type = "Text")]
    pub(crate) description: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) updated_by: Option<String>,
    pub(crate) updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
