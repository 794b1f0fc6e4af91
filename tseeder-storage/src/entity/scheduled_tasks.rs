//! Entity for the `scheduled_tasks` table.

use sea_orm::entity::prelude::*;

/// The scheduler's lease row for one periodic task.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "scheduled_tasks")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "String(StringLen::N(64))")]
    pub(crate) name: String,
    pub(crate) last_slot: Option<DateTimeUtc>,
    #[sea_orm(column_type = "String(StringLen::N(128))")]
    pub(crate) lease_owner: Option<String>,
    pub(crate) lease_until: Option<DateTimeUtc>,
    pub(crate) last_started_at: Option<DateTimeUtc>,
    pub(crate) last_finished_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub(crate) last_outcome: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
