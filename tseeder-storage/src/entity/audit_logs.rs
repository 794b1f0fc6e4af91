//! Entity for the `audit_logs` table.

use sea_orm::entity::prelude::*;

/// An audit record. `actor_id` has no foreign key: history outlives users. `metadata` is JSON text.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_logs")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "String(StringLen::N(36))")]
    pub(crate) id: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) actor_id: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub(crate) action: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) target_type: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) target_id: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub(crate) metadata: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) ip: Option<String>,
    pub(crate) created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
