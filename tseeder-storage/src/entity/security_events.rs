//! Entity for the `security_events` table.

use sea_orm::entity::prelude::*;

/// A security event; `severity` is `info`, `warn` or `critical`, `payload` is JSON text.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "security_events")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "String(StringLen::N(36))")]
    pub(crate) id: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) kind: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) severity: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) actor_id: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub(crate) ip: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub(crate) payload: String,
    pub(crate) created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
