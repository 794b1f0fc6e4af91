//! Entity for the `organizations` table.

use sea_orm::entity::prelude::*;

/// An organization. `slug` is unique and never changes; `personal` marks a user's personal
/// organization, whose `id` is the user's id.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "String(StringLen::N(36))")]
    pub(crate) id: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) name: String,
    #[sea_orm(unique, column_type = "String(StringLen::N(40))")]
    pub(crate) slug: String,
    pub(crate) personal: bool,
    pub(crate) created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
