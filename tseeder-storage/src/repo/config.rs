//! [`SeaOrmConfigRepository`]: feature flags, plan limits and their change history.

use async_trait::async_trait;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use tseeder_core::domain::{AuditEntry, ConfigChange, ConfigWrite, FeatureFlag, FlagState, Page, PageRequest};
use tseeder_core::error::RepoError;
use tseeder_core::ports::ConfigRepository;

use super::{begin_write, fetch_page, try_map_page};
use crate::convert::{self, db_time, to_i64};
use crate::entity::{config_changes, feature_flags, plans};
use crate::error::{InvalidRow, repo_err};

/// [`ConfigRepository`] over sea-orm (SQLite or PostgreSQL). Flags are rows of
/// `feature_flags` (the first migration seeds three at their defaults); plan limits are the
/// columns of `plans`; the history is `config_changes`, values as JSON text.
#[derive(Debug, Clone)]
pub struct SeaOrmConfigRepository {
    db: DatabaseConnection,
}

impl SeaOrmConfigRepository {
    /// An adapter over a migrated database.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

fn flag_state(m: feature_flags::Model) -> Result<Option<FlagState>, InvalidRow> {
    let Some(flag) = FeatureFlag::from_key(&m.key) else { return Ok(None) };
    Ok(Some(FlagState {
        flag,
        enabled: m.enabled,
        updated_by: m
            .updated_by
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(|e| InvalidRow::new("feature_flags", "updated_by", e))?,
        updated_at: m.updated_at,
    }))
}

/// A limit in a column of type `INTEGER` (jobs, days): the core keeps them within range.
fn small(v: i64) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

#[async_trait]
impl ConfigRepository for SeaOrmConfigRepository {
    async fn list_flags(&self) -> Result<Vec<FlagState>, RepoError> {
        let rows = feature_flags::Entity::find().all(&self.db).await.map_err(repo_err)?;
        let mut flags = Vec::new();
        for row in rows {
            if let Some(state) = flag_state(row)? {
                flags.push(state);
            }
        }
        flags.sort_by_key(|f| f.flag);
        Ok(flags)
    }

    async fn get_flag(&self, flag: FeatureFlag) -> Result<Option<bool>, RepoError> {
        let row = feature_flags::Entity::find_by_id(flag.as_str().to_owned()).one(&self.db).await.map_err(repo_err)?;
        Ok(row.map(|r| r.enabled))
    }

    async fn apply_config(
        &self,
        write: &ConfigWrite,
        change: &ConfigChange,
        audit: &AuditEntry,
    ) -> Result<(), RepoError> {
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        match write {
            ConfigWrite::Flag { flag, enabled } => {
                let row = feature_flags::ActiveModel {
                    key: sea_orm::Set(flag.as_str().to_owned()),
                    enabled: sea_orm::Set(*enabled),
                    description: sea_orm::Set(flag.description().to_owned()),
                    updated_by: sea_orm::Set(change.changed_by.map(|id| id.to_string())),
                    updated_at: sea_orm::Set(db_time(change.created_at)),
                };
                feature_flags::Entity::insert(row)
                    .on_conflict(
                        OnConflict::column(feature_flags::Column::Key)
                            .update_columns([
                                feature_flags::Column::Enabled,
                                feature_flags::Column::UpdatedBy,
                                feature_flags::Column::UpdatedAt,
                            ])
                            .to_owned(),
                    )
                    .exec_without_returning(&tx)
                    .await
                    .map_err(repo_err)?;
            }
            ConfigWrite::Plan(plan) => {
                let result = plans::Entity::update_many()
                    .col_expr(plans::Column::MaxJobs, Expr::val(small(plan.max_jobs.to_stored())))
                    .col_expr(plans::Column::MaxStorageBytes, Expr::val(plan.max_storage_bytes.to_stored()))
                    .col_expr(plans::Column::MaxFileSizeBytes, Expr::val(plan.max_file_size_bytes.to_stored()))
                    .col_expr(plans::Column::BandwidthBytes, Expr::val(plan.bandwidth_bytes.to_stored()))
                    .col_expr(plans::Column::RetentionDays, Expr::val(small(plan.retention_days.to_stored())))
                    .col_expr(plans::Column::PriceCents, Expr::val(small(to_i64(plan.price_cents))))
                    .filter(plans::Column::Id.eq(plan.id.as_str()))
                    .exec(&tx)
                    .await
                    .map_err(repo_err)?;
                if result.rows_affected == 0 {
                    return Err(RepoError::NotFound);
                }
            }
        }
        convert::config_change_model(change).insert(&tx).await.map_err(repo_err)?;
        convert::audit_model(audit).insert(&tx).await.map_err(repo_err)?;
        tx.commit().await.map_err(repo_err)?;
        Ok(())
    }

    async fn config_history(&self, key: Option<&str>, page: PageRequest) -> Result<Page<ConfigChange>, RepoError> {
        let mut select = config_changes::Entity::find();
        if let Some(key) = key {
            select = select.filter(config_changes::Column::Key.eq(key));
        }
        // Ties at the same microsecond are ordered by (random) id: the contract leaves them open.
        let select = select.order_by_desc(config_changes::Column::CreatedAt).order_by_desc(config_changes::Column::Id);
        let rows = fetch_page(&self.db, select, page).await.map_err(repo_err)?;
        try_map_page(rows)
    }
}
