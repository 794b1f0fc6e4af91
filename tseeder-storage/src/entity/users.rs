//! Entity for the `users` table.

use sea_orm::entity::prelude::*;

/// An account. `email` is stored lowercased; `role` is one of `user`, `support`, `admin`, `superadmin`;
/// `default_region` is a region code, or `NULL` for no preference; `email_verified_at` is when
/// the address was verified, `NULL` while it is not.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "String(StringLen::N(36))")]
    pub(crate) id: String,
    #[sea_orm(unique, column_type = "Text")]
    pub(crate) email: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) password_hash: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) role: String,
    pub(crate) suspended: bool,
    #[sea_orm(column_type = "Text")]
    pub(crate) default_region: Option<String>,
    pub(crate) email_verified_at: Option<DateTimeUtc>,
    pub(crate) created_at: DateTimeUtc,
    pub(crate) updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {
    #[sea_orm(has_many = "super::sessions::Entity")]
    Sessions,
    #[sea_orm(has_many = "super::api_keys::Entity")]
    ApiKeys,
    #[sea_orm(has_many = "super::plan_assignments::Entity")]
    PlanAssignments,
    #[sea_orm(has_many = "super::jobs::Entity")]
    Jobs,
}

impl Related<super::sessions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sessions.def()
    }
}

impl Related<super::api_keys::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ApiKeys.def()
    }
}

impl Related<super::plan_assignments::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PlanAssignments.def()
    }
}

impl Related<super::jobs::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Jobs.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
