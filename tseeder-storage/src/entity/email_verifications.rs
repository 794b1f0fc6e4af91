//! Entity for the `email_verifications` table.

use sea_orm::entity::prelude::*;

/// An email verification link sent to `email`; only the hash of the token is stored. `used_at`
/// is set once the link, or another link of the same user, has been used.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "email_verifications")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub(crate) token_hash: String,
    #[sea_orm(column_type = "String(StringLen::N(36))")]
    pub(crate) user_id: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) email: String,
    pub(crate) created_at: DateTimeUtc,
    pub(crate) expires_at: DateTimeUtc,
    pub(crate) used_at: Option<DateTimeUtc>,
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
