//! Entity for the `queue_messages` table.

use sea_orm::entity::prelude::*;

/// A durable queue message. All times are unix milliseconds; `state` is `ready` or `dead`; `payload` is JSON text and `errors` a JSON array.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "queue_messages")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub(crate) id: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) queue: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) job_id: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub(crate) payload: String,
    #[sea_orm(column_type = "Text")]
    pub(crate) state: String,
    pub(crate) attempts: i32,
    pub(crate) max_attempts: i32,
    pub(crate) visible_at: i64,
    #[sea_orm(column_type = "Text")]
    pub(crate) lease_token: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub(crate) lease_owner: Option<String>,
    pub(crate) leased_at: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub(crate) last_error: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub(crate) errors: String,
    pub(crate) created_at: i64,
    pub(crate) dead_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
