//! Entity for the `plan_assignments` table.

use sea_orm::entity::prelude::*;

/// Which plan a user is on, from `started_at` until `expires_at` (open-ended when `None`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_assignments")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "String(StringLen::N(36))")]
    pub(crate) id: String,
    #[sea_orm(column_type = "String(StringLen::N(36))")]
    pub(crate) user_id: String,
    #[sea_orm(column_type = "String(StringLen::N(36))")]
    pub(crate) plan_id: String,
    pub(crate) started_at: DateTimeUtc,
    pub(crate) expires_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::UserId",
        to = "super::users::Column::Id",
        on_delete = "Cascade"
    )]
    Users,
    #[sea_orm(belongs_to = "super::plans::Entity", from = "Column::PlanId", to = "super::plans::Column::Id")]
    Plans,
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<super::plans::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Plans.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
