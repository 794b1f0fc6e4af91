//! Entity for the `sessions` table.

use sea_orm::entity::prelude::*;

/// A browser session; only the hash of the token is stored.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "String(StringLen::N(36))")]
    pub(crate) id: String,
    #[sea_orm(column_type = "String(StringLen::N(36))")]
    pub(crate) user_id: String,
    #[sea_orm(unique, column_type = "Text")]
    pub(crate) token_hash: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) ip: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub(crate) user_agent: Option<String>,
    pub(crate) created_at: DateTimeUtc,
    pub(crate) expires_at: DateTimeUtc,
    pub(crate) last_seen_at: DateTimeUtc,
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
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
