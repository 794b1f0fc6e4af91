//! Entity for the `org_invites` table.

use sea_orm::entity::prelude::*;

/// An invitation to an organization, sent by email; only the hash of its current token is
/// stored. `role` is one of `member`, `admin`, `owner`; `accepted_by` is the user who accepted
/// it (`NULL` until then, or once that account is gone).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "org_invites")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "String(StringLen::N(36))")]
    pub(crate) id: String,
    #[sea_orm(column_type = "String(StringLen::N(36))")]
    pub(crate) org_id: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) email: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) role: String,
    #[sea_orm(unique, column_type = "Text")]
    pub(crate) token_hash: String,
    #[sea_orm(column_type = "String(StringLen::N(36))")]
    pub(crate) invited_by: String,
    pub(crate) created_at: DateTimeUtc,
    pub(crate) sent_at: DateTimeUtc,
    pub(crate) expires_at: DateTimeUtc,
    pub(crate) accepted_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "String(StringLen::N(36))")]
    pub(crate) accepted_by: Option<String>,
    pub(crate) revoked_at: Option<DateTimeUtc>,
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
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::InvitedBy",
        to = "super::users::Column::Id",
        on_delete = "Cascade"
    )]
    InvitedBy,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::AcceptedBy",
        to = "super::users::Column::Id",
        on_delete = "SetNull"
    )]
    AcceptedBy,
}

impl Related<super::organizations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organizations.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
