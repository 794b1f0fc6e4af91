//! Entity for the `files` table.

use sea_orm::entity::prelude::*;

/// A file produced by a job; `path` is unique per job, `storage_key` is the object-store key.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "files")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "String(StringLen::N(36))")]
    pub(crate) id: String,
    #[sea_orm(column_type = "String(StringLen::N(36))")]
    pub(crate) job_id: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) path: String,
    pub(crate) size_bytes: i64,
    #[sea_orm(column_type = "Text")]
    pub(crate) mime_type: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub(crate) storage_key: String,
    pub(crate) is_complete: bool,
    pub(crate) created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {
    #[sea_orm(
        belongs_to = "super::jobs::Entity",
        from = "Column::JobId",
        to = "super::jobs::Column::Id",
        on_delete = "Cascade"
    )]
    Jobs,
}

impl Related<super::jobs::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Jobs.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
