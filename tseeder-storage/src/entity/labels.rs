//! Entity for the `labels` table.

use sea_orm::entity::prelude::*;

/// A name in a user's catalogue of categories or tags, keyed by `(user_id, kind, name)`. `kind`
/// is `category` or `tag`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "labels")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "String(StringLen::N(36))")]
    pub(crate) user_id: String,
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub(crate) kind: String,
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub(crate) name: String,
    pub(crate) created_at: DateTimeUtc,
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
