//! Entity for the `jobs` table.

use sea_orm::entity::prelude::*;

/// A download job. `status` and `source_kind` hold the core enums' strings; `infohash` is 40 lowercase hex chars;
/// `selected_files` is a JSON array of file indexes (`NULL`: every file). `org_id` is always
/// written; it is nullable only on SQLite, which cannot add a `NOT NULL` column to existing rows.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
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
    pub(crate) status: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) source_kind: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) magnet_uri: Option<String>,
    #[sea_orm(column_type = "Blob")]
    pub(crate) torrent_bytes: Option<Vec<u8>>,
    #[sea_orm(column_type = "String(StringLen::N(40))")]
    pub(crate) infohash: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) idempotency_key: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub(crate) selected_files: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub(crate) region_hint: Option<String>,
    pub(crate) total_bytes: Option<i64>,
    pub(crate) done_bytes: i64,
    #[sea_orm(column_type = "Text")]
    pub(crate) error: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub(crate) worker_id: Option<String>,
    pub(crate) created_at: DateTimeUtc,
    pub(crate) updated_at: DateTimeUtc,
    pub(crate) completed_at: Option<DateTimeUtc>,
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
    #[sea_orm(has_many = "super::job_events::Entity")]
    JobEvents,
    #[sea_orm(has_many = "super::files::Entity")]
    Files,
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<super::job_events::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::JobEvents.def()
    }
}

impl Related<super::files::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Files.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
