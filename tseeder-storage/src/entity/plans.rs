//! Entity for the `plans` table.

use sea_orm::entity::prelude::*;

/// A plan and its limits; `id` is the plan name (`free`, `pro`, ...). `-1` means unlimited.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "plans")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "String(StringLen::N(36))")]
    pub(crate) id: String,
    #[sea_orm(unique, column_type = "Text")]
    pub(crate) name: String,
    pub(crate) max_jobs: i32,
    pub(crate) max_storage_bytes: i64,
    pub(crate) max_file_size_bytes: i64,
    pub(crate) bandwidth_bytes: i64,
    pub(crate) retention_days: i32,
    pub(crate) price_cents: i32,
    pub(crate) created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {
    #[sea_orm(has_many = "super::plan_assignments::Entity")]
    PlanAssignments,
}

impl Related<super::plan_assignments::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PlanAssignments.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
