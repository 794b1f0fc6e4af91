//! Entity for the `incidents` table.

use sea_orm::entity::prelude::*;

/// An incident on the status page. `impact` and `status` hold the core enums' strings;
/// `components` is a JSON array of component ids; `status` is the latest update's.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "incidents")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "String(StringLen::N(36))")]
    pub(crate) id: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) title: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) impact: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) status: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) components: String,
    pub(crate) created_at: DateTimeUtc,
    pub(crate) resolved_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {
    #[sea_orm(has_many = "super::incident_updates::Entity")]
    IncidentUpdates,
}

impl Related<super::incident_updates::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::IncidentUpdates.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
