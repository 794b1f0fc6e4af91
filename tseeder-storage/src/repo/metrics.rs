//! [`SeaOrmMetricsRepository`]: the request metrics the API hosts flush and the minute
//! snapshots of the queue and the fleet.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use tseeder_core::domain::{ApiMetrics, SystemSnapshot};
use tseeder_core::error::RepoError;
use tseeder_core::ports::MetricsRepository;

use super::begin_write;
use crate::convert::{self, db_time};
use crate::entity::{api_metrics, system_snapshots};
use crate::error::repo_err;

/// Rows per `INSERT` of a flush: 12 bound values each keeps a statement far below SQLite's
/// limit of 32 766 parameters (and PostgreSQL's 65 535).
const INSERT_CHUNK: usize = 500;

/// [`MetricsRepository`] over sea-orm (SQLite or PostgreSQL).
///
/// A flush is one multi-row `INSERT` into `api_metrics` per 500 rows, all in one
/// transaction; rows have a surrogate key, so rows of the same minute, host, route and method
/// from several flushes are all kept. A snapshot is `INSERT … ON CONFLICT (at) DO UPDATE` of
/// every column on `system_snapshots`, so of several hosts racing for a minute the last write
/// wins and none fails. Pruning deletes from both tables in one transaction. Counts are stored
/// as `BIGINT` (saturating at `i64::MAX`) and latency buckets as their encoded text; a row whose
/// buckets do not parse reads as a backend error.
#[derive(Debug, Clone)]
pub struct SeaOrmMetricsRepository {
    db: DatabaseConnection,
}

impl SeaOrmMetricsRepository {
    /// An adapter over a migrated database.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

#[async_trait]
impl MetricsRepository for SeaOrmMetricsRepository {
    async fn append_api_metrics(&self, rows: &[ApiMetrics]) -> Result<(), RepoError> {
        if rows.is_empty() {
            return Ok(());
        }
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        for chunk in rows.chunks(INSERT_CHUNK) {
            api_metrics::Entity::insert_many(chunk.iter().map(convert::api_metrics_model))
                .exec_without_returning(&tx)
                .await
                .map_err(repo_err)?;
        }
        tx.commit().await.map_err(repo_err)?;
        Ok(())
    }

    async fn api_metrics(&self, from: DateTime<Utc>) -> Result<Vec<ApiMetrics>, RepoError> {
        use api_metrics::Column as C;
        let rows = api_metrics::Entity::find()
            .filter(C::Minute.gte(db_time(from)))
            .order_by_asc(C::Minute)
            .order_by_asc(C::Route)
            .order_by_asc(C::Method)
            .order_by_asc(C::Host)
            // Rows of the same minute, route, method and host: in the order they were appended.
            .order_by_asc(C::Id)
            .all(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(rows.into_iter().map(ApiMetrics::try_from).collect::<Result<_, _>>()?)
    }

    async fn record_snapshot(&self, snapshot: &SystemSnapshot) -> Result<(), RepoError> {
        use system_snapshots::Column as C;
        let mut on_conflict = OnConflict::column(C::At);
        on_conflict.update_columns([
            C::QueueReady,
            C::QueueDelayed,
            C::DeadLetters,
            C::OldestQueuedSecs,
            C::ActiveJobs,
            C::ThroughputBps,
            C::AgentsUp,
            C::Agents,
        ]);
        system_snapshots::Entity::insert(convert::system_snapshot_model(snapshot))
            .on_conflict(on_conflict)
            .exec_without_returning(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(())
    }

    async fn snapshots(&self, from: DateTime<Utc>) -> Result<Vec<SystemSnapshot>, RepoError> {
        use system_snapshots::Column as C;
        let rows = system_snapshots::Entity::find()
            .filter(C::At.gte(db_time(from)))
            .order_by_asc(C::At)
            .all(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(rows.into_iter().map(SystemSnapshot::try_from).collect::<Result<_, _>>()?)
    }

    async fn prune_metrics(&self, before: DateTime<Utc>) -> Result<u64, RepoError> {
        let before = db_time(before);
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        let requests = api_metrics::Entity::delete_many()
            .filter(api_metrics::Column::Minute.lt(before))
            .exec(&tx)
            .await
            .map_err(repo_err)?;
        let snapshots = system_snapshots::Entity::delete_many()
            .filter(system_snapshots::Column::At.lt(before))
            .exec(&tx)
            .await
            .map_err(repo_err)?;
        tx.commit().await.map_err(repo_err)?;
        Ok(requests.rows_affected + snapshots.rows_affected)
    }
}
