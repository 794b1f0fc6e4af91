//! Entity for the `status_components` table.

use sea_orm::entity::prelude::*;

/// A status page component's latest sample; `state` holds a core `ComponentState` string.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "status_components")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub(crate) component: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) state: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) reason: String,
    pub(crate) since: DateTimeUtc,
    pub(crate) checked_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
