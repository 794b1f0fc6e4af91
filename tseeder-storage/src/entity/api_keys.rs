//! Entity for the `api_keys` table.

use sea_orm::entity::prelude::*;

/// An API key; only the hash is stored. `scopes` is space-separated. `org_id` is always written;
/// it is nullable only on SQLite, which cannot add a `NOT NULL` column to existing rows.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "api_keys")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "String(StringLen::N(36))")]
    pub(crate) id: String,
    #[sea_orm(column_type = "String(StringLen::N(36))")]
    pub(crate) user_id: String,
    #[sea_orm(column_type = "String(StringLen::N(36))")]
    pub(crate) org_id: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub(crate) name: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) prefix: String,
    #[sea_orm(unique, column_type = "Text")]
    pub(crate) key_hash: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) scopes: String,
    pub(crate) created_at: DateTimeUtc,
    pub(crate) last_used_at: Option<DateTimeUtc>,
    pub(crate) expires_at: Option<DateTimeUtc>,
    pub(crate) revoked_at: Option<DateTimeUtc>,
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
