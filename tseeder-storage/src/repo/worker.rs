//! [`SeaOrmWorkerRegistry`]: remote compute agents, their latest heartbeat and its history.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use tseeder_core::domain::{Heartbeat, HeartbeatRecord, Worker, WorkerStatus};
use tseeder_core::error::RepoError;
use tseeder_core::ports::WorkerRegistry;

use super::begin_write;
use crate::convert::{self, db_time};
use crate::entity::{worker_heartbeats, workers};
use crate::error::repo_err;

/// [`WorkerRegistry`] over sea-orm (SQLite or PostgreSQL).
///
/// A heartbeat is one `INSERT … ON CONFLICT (id) DO UPDATE … RETURNING` on `workers` (so
/// concurrent first heartbeats of a worker cannot conflict, and the status rule is applied by
/// the database against the row as it is at that moment) plus one history insert copied from the
/// returned row, in one transaction. Status writes and offline marking are single conditional
/// `UPDATE … RETURNING` statements.
#[derive(Debug, Clone)]
pub struct SeaOrmWorkerRegistry {
    db: DatabaseConnection,
}

impl SeaOrmWorkerRegistry {
    /// An adapter over a migrated database.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

/// `workers.status` on conflict: an `offline` worker becomes `healthy`; any other status
/// (`healthy`, or an operator's `cordoned`/`draining`) stays. Mirrors
/// `WorkerStatus::after_heartbeat`. The column is qualified because PostgreSQL finds a bare name
/// ambiguous between the stored row and `excluded`.
fn status_after_heartbeat() -> Expr {
    let current = Expr::col((workers::Entity, workers::Column::Status));
    Expr::case(ExprTrait::eq(current.clone(), WorkerStatus::Offline.as_str()), WorkerStatus::Healthy.as_str())
        .finally(current)
        .into()
}

#[async_trait]
impl WorkerRegistry for SeaOrmWorkerRegistry {
    async fn record_heartbeat(&self, heartbeat: &Heartbeat, now: DateTime<Utc>) -> Result<Worker, RepoError> {
        use workers::Column as C;
        let mut on_conflict = OnConflict::column(C::Id);
        on_conflict
            .update_columns([
                C::Region,
                C::BaseUrl,
                C::Version,
                C::ActiveJobs,
                C::MaxJobs,
                C::DiskFreeBytes,
                C::DiskTotalBytes,
                C::CpuPct,
                C::BandwidthBps,
                C::LastHeartbeatAt,
            ])
            .value(C::Status, status_after_heartbeat());
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        let row = workers::Entity::insert(convert::worker_model(heartbeat, now))
            .on_conflict(on_conflict)
            .exec_with_returning(&tx)
            .await
            .map_err(repo_err)?;
        worker_heartbeats::Entity::insert(convert::heartbeat_model(&row))
            .exec_without_returning(&tx)
            .await
            .map_err(repo_err)?;
        tx.commit().await.map_err(repo_err)?;
        Ok(Worker::try_from(row)?)
    }

    async fn list_workers(&self) -> Result<Vec<Worker>, RepoError> {
        let rows = workers::Entity::find().order_by_asc(workers::Column::Id).all(&self.db).await.map_err(repo_err)?;
        Ok(rows.into_iter().map(Worker::try_from).collect::<Result<_, _>>()?)
    }

    async fn get_worker(&self, id: &str) -> Result<Worker, RepoError> {
        let row = workers::Entity::find_by_id(id.to_owned()).one(&self.db).await.map_err(repo_err)?;
        Ok(Worker::try_from(row.ok_or(RepoError::NotFound)?)?)
    }

    async fn set_status(&self, id: &str, status: WorkerStatus) -> Result<Worker, RepoError> {
        let rows = workers::Entity::update_many()
            .col_expr(workers::Column::Status, Expr::val(status.as_str()))
            .filter(workers::Column::Id.eq(id))
            .exec_with_returning(&self.db)
            .await
            .map_err(repo_err)?;
        let row = rows.into_iter().next().ok_or(RepoError::NotFound)?;
        Ok(Worker::try_from(row)?)
    }

    async fn heartbeat_history(&self, id: &str, limit: u64) -> Result<Vec<HeartbeatRecord>, RepoError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let rows = worker_heartbeats::Entity::find()
            .filter(worker_heartbeats::Column::WorkerId.eq(id))
            .order_by_desc(worker_heartbeats::Column::CreatedAt)
            .order_by_desc(worker_heartbeats::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(rows.into_iter().map(HeartbeatRecord::try_from).collect::<Result<_, _>>()?)
    }

    async fn mark_offline(&self, stale_before: DateTime<Utc>) -> Result<Vec<String>, RepoError> {
        let rows = workers::Entity::update_many()
            .col_expr(workers::Column::Status, Expr::val(WorkerStatus::Offline.as_str()))
            .filter(workers::Column::Status.eq(WorkerStatus::Healthy.as_str()))
            .filter(workers::Column::LastHeartbeatAt.lt(db_time(stale_before)))
            .exec_with_returning(&self.db)
            .await
            .map_err(repo_err)?;
        let mut ids: Vec<String> = rows.into_iter().map(|row| row.id).collect();
        ids.sort_unstable();
        Ok(ids)
    }

    async fn prune_history(&self, before: DateTime<Utc>) -> Result<u64, RepoError> {
        let result = worker_heartbeats::Entity::delete_many()
            .filter(worker_heartbeats::Column::CreatedAt.lt(db_time(before)))
            .exec(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(result.rows_affected)
    }
}
