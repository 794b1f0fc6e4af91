//! Entity for the `subscriptions` table.

use sea_orm::entity::prelude::*;

/// An organization's subscription at the payment provider, keyed by the organization, as the
/// newest provider event applied (created at `event_at`) left it. `status` is one of Stripe's
/// subscription statuses; `plan_id` is the plan it pays for.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "subscriptions")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "String(StringLen::N(36))")]
    pub(crate) org_id: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) customer_id: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) subscription_id: String,
    #[sea_orm(column_type = "String(StringLen::N(36))")]
    pub(crate) plan_id: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) status: String,
    pub(crate) current_period_end: Option<DateTimeUtc>,
    pub(crate) grace_until: Option<DateTimeUtc>,
    pub(crate) event_at: DateTimeUtc,
    pub(crate) updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {
    #[sea_orm(
        belongs_to = "super::organizations::Entity",
        from = "Column::OrgId",
        to = "super::organizations::Column::Id",
        on_delete = "Cascade"
    )]
    Organizations,
    #[sea_orm(belongs_to = "super::plans::Entity", from = "Column::PlanId", to = "super::plans::Column::Id")]
    Plans,
}

impl Related<super::organizations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organizations.def()
    }
}

impl Related<super::plans::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Plans.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
