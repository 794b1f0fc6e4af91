//! [`SeaOrmMaintenanceRepository`]: what the retention sweeper reads and records, and the
//! scheduler's lease rows.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait, Set,
};
use tseeder_core::domain::{FileId, JobStatus};
use tseeder_core::error::RepoError;
use tseeder_core::ports::{
    MaintenanceRepository, RetentionRow, StorageSnapshot, StorageTotals, SweepRecord, SweepTotals, TaskState,
};

use crate::convert::{db_time, new_row_id, parse, to_i64, to_u64};
use crate::entity::{files, jobs, retention_sweeps, scheduled_tasks, storage_snapshots};
use crate::error::{InvalidRow, repo_err};

/// [`MaintenanceRepository`] over sea-orm (SQLite or PostgreSQL).
///
/// The scheduler's lease is one conditional `UPDATE` of the task's row (`WHERE` the slot has not
/// run and no lease is valid), so of several processes at most one sees a row change: the same
/// compare-and-set the job state machine uses, with no advisory lock to leak.
#[derive(Debug, Clone)]
pub struct SeaOrmMaintenanceRepository {
    db: DatabaseConnection,
}

impl SeaOrmMaintenanceRepository {
    /// An adapter over a migrated database.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

fn sweep_from(m: retention_sweeps::Model) -> Result<SweepRecord, InvalidRow> {
    const T: &str = "retention_sweeps";
    Ok(SweepRecord {
        started_at: m.started_at,
        finished_at: m.finished_at,
        trigger: m.trigger,
        policy: m.policy,
        files_deleted: to_u64(T, "files_deleted", m.files_deleted)?,
        bytes_deleted: to_u64(T, "bytes_deleted", m.bytes_deleted)?,
        blobs_deleted: to_u64(T, "blobs_deleted", m.blobs_deleted)?,
        orphan_blobs: to_u64(T, "orphan_blobs", m.orphan_blobs)?,
        orphan_rows: to_u64(T, "orphan_rows", m.orphan_rows)?,
        kept_on_error: to_u64(T, "kept_on_error", m.kept_on_error)?,
        error: m.error,
    })
}

#[async_trait]
impl MaintenanceRepository for SeaOrmMaintenanceRepository {
    async fn retention_page(&self, after: Option<FileId>, limit: u64) -> Result<Vec<RetentionRow>, RepoError> {
        // SELECT files.id, files.job_id, jobs.user_id, jobs.org_id, files.size_bytes, jobs.status,
        //        jobs.completed_at FROM files JOIN jobs ON jobs.id = files.job_id
        //  WHERE files.id > ? ORDER BY files.id LIMIT ?
        let mut query = files::Entity::find()
            .select_only()
            .column(files::Column::Id)
            .column(files::Column::JobId)
            .column(jobs::Column::UserId)
            .column(jobs::Column::OrgId)
            .column(files::Column::SizeBytes)
            .column(jobs::Column::Status)
            .column(jobs::Column::CompletedAt)
            .join(JoinType::InnerJoin, files::Relation::Jobs.def())
            .order_by_asc(files::Column::Id)
            .limit(limit);
        if let Some(after) = after {
            query = query.filter(files::Column::Id.gt(after.to_string()));
        }
        type Row = (String, String, String, Option<String>, i64, String, Option<DateTime<Utc>>);
        let rows: Vec<Row> = query.into_tuple().all(&self.db).await.map_err(repo_err)?;
        rows.into_iter()
            .map(|(id, job, user, org, size, status, completed_at)| {
                let status: JobStatus = parse("jobs", "status", &status)?;
                let org = org.ok_or_else(|| InvalidRow::new("jobs", "org_id", "missing"))?;
                Ok(RetentionRow {
                    file_id: parse("files", "id", &id)?,
                    job_id: parse("files", "job_id", &job)?,
                    user_id: parse("jobs", "user_id", &user)?,
                    org_id: parse("jobs", "org_id", &org)?,
                    size: to_u64("files", "size_bytes", size)?,
                    completed_at: if status == JobStatus::Completed { completed_at } else { None },
                })
            })
            .collect::<Result<_, InvalidRow>>()
            .map_err(RepoError::from)
    }

    async fn blob_keys_page(&self, after: Option<&str>, limit: u64) -> Result<Vec<String>, RepoError> {
        let mut query = files::Entity::find()
            .select_only()
            .column(files::Column::StorageKey)
            .distinct()
            .order_by_asc(files::Column::StorageKey)
            .limit(limit);
        if let Some(after) = after {
            query = query.filter(files::Column::StorageKey.gt(after));
        }
        query.into_tuple().all(&self.db).await.map_err(repo_err)
    }

    async fn delete_rows_for_blob(&self, key: &str) -> Result<u64, RepoError> {
        let done = files::Entity::delete_many()
            .filter(files::Column::StorageKey.eq(key))
            .exec(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(done.rows_affected)
    }

    async fn storage_totals(&self) -> Result<StorageTotals, RepoError> {
        let row: Option<(i64, Option<i64>)> = files::Entity::find()
            .select_only()
            .column_as(files::Column::Id.count(), "files")
            // SUM of BIGINT is NUMERIC on PostgreSQL: cast back.
            .column_as(Expr::col(files::Column::SizeBytes).sum().cast_as("BIGINT"), "bytes")
            .into_tuple()
            .one(&self.db)
            .await
            .map_err(repo_err)?;
        let (files, bytes) = row.unwrap_or((0, None));
        Ok(StorageTotals {
            files: to_u64("files", "count", files)?,
            bytes: to_u64("files", "size_bytes", bytes.unwrap_or(0))?,
        })
    }

    async fn add_snapshot(&self, snapshot: &StorageSnapshot) -> Result<(), RepoError> {
        storage_snapshots::ActiveModel {
            id: Set(new_row_id()),
            total_files: Set(to_i64(snapshot.total_files)),
            total_bytes: Set(to_i64(snapshot.total_bytes)),
            orphan_files: Set(to_i64(snapshot.orphan_files)),
            captured_at: Set(db_time(snapshot.captured_at)),
        }
        .insert(&self.db)
        .await
        .map_err(repo_err)?;
        Ok(())
    }

    async fn latest_snapshot(&self) -> Result<Option<StorageSnapshot>, RepoError> {
        let row = storage_snapshots::Entity::find()
            .order_by_desc(storage_snapshots::Column::CapturedAt)
            .order_by_desc(storage_snapshots::Column::Id)
            .one(&self.db)
            .await
            .map_err(repo_err)?;
        const T: &str = "storage_snapshots";
        row.map(|m| {
            Ok(StorageSnapshot {
                captured_at: m.captured_at,
                total_files: to_u64(T, "total_files", m.total_files)?,
                total_bytes: to_u64(T, "total_bytes", m.total_bytes)?,
                orphan_files: to_u64(T, "orphan_files", m.orphan_files)?,
            })
        })
        .transpose()
        .map_err(|e: InvalidRow| RepoError::from(e))
    }

    async fn record_sweep(&self, sweep: &SweepRecord) -> Result<(), RepoError> {
        retention_sweeps::ActiveModel {
            id: Set(new_row_id()),
            started_at: Set(db_time(sweep.started_at)),
            finished_at: Set(db_time(sweep.finished_at)),
            trigger: Set(sweep.trigger.clone()),
            policy: Set(sweep.policy.clone()),
            files_deleted: Set(to_i64(sweep.files_deleted)),
            bytes_deleted: Set(to_i64(sweep.bytes_deleted)),
            blobs_deleted: Set(to_i64(sweep.blobs_deleted)),
            orphan_blobs: Set(to_i64(sweep.orphan_blobs)),
            orphan_rows: Set(to_i64(sweep.orphan_rows)),
            kept_on_error: Set(to_i64(sweep.kept_on_error)),
            error: Set(sweep.error.clone()),
        }
        .insert(&self.db)
        .await
        .map_err(repo_err)?;
        Ok(())
    }

    async fn recent_sweeps(&self, limit: u64) -> Result<Vec<SweepRecord>, RepoError> {
        let rows = retention_sweeps::Entity::find()
            .order_by_desc(retention_sweeps::Column::StartedAt)
            .order_by_desc(retention_sweeps::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await
            .map_err(repo_err)?;
        rows.into_iter().map(sweep_from).collect::<Result<_, _>>().map_err(RepoError::from)
    }

    async fn sweep_totals(&self) -> Result<SweepTotals, RepoError> {
        let row: Option<(i64, Option<i64>, Option<i64>)> = retention_sweeps::Entity::find()
            .select_only()
            .column_as(retention_sweeps::Column::Id.count(), "sweeps")
            .column_as(Expr::col(retention_sweeps::Column::FilesDeleted).sum().cast_as("BIGINT"), "files")
            .column_as(Expr::col(retention_sweeps::Column::BytesDeleted).sum().cast_as("BIGINT"), "bytes")
            .into_tuple()
            .one(&self.db)
            .await
            .map_err(repo_err)?;
        let (sweeps, files, bytes) = row.unwrap_or((0, None, None));
        const T: &str = "retention_sweeps";
        Ok(SweepTotals {
            sweeps: to_u64(T, "count", sweeps)?,
            files_deleted: to_u64(T, "files_deleted", files.unwrap_or(0))?,
            bytes_deleted: to_u64(T, "bytes_deleted", bytes.unwrap_or(0))?,
        })
    }

    async fn try_lease(
        &self,
        task: &str,
        slot: DateTime<Utc>,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool, RepoError> {
        let (slot, now, until) = (db_time(slot), db_time(now), db_time(until));
        // The row exists from the first try on; inserting it races harmlessly.
        scheduled_tasks::Entity::insert(scheduled_tasks::ActiveModel {
            name: Set(task.to_owned()),
            last_slot: Set(None),
            lease_owner: Set(None),
            lease_until: Set(None),
            last_started_at: Set(None),
            last_finished_at: Set(None),
            last_outcome: Set(None),
        })
        .on_conflict_do_nothing_on([scheduled_tasks::Column::Name])
        .exec(&self.db)
        .await
        .map_err(repo_err)?;
        let taken = scheduled_tasks::Entity::update_many()
            .col_expr(scheduled_tasks::Column::LeaseOwner, Expr::value(owner))
            .col_expr(scheduled_tasks::Column::LeaseUntil, Expr::value(until))
            .col_expr(scheduled_tasks::Column::LastStartedAt, Expr::value(now))
            .filter(scheduled_tasks::Column::Name.eq(task))
            .filter(
                Condition::any()
                    .add(scheduled_tasks::Column::LastSlot.is_null())
                    .add(scheduled_tasks::Column::LastSlot.lt(slot)),
            )
            .filter(
                Condition::any()
                    .add(scheduled_tasks::Column::LeaseUntil.is_null())
                    .add(scheduled_tasks::Column::LeaseUntil.lt(now)),
            )
            .exec(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(taken.rows_affected == 1)
    }

    async fn finish_task(
        &self,
        task: &str,
        slot: DateTime<Utc>,
        owner: &str,
        finished_at: DateTime<Utc>,
        outcome: &str,
    ) -> Result<(), RepoError> {
        scheduled_tasks::Entity::update_many()
            .col_expr(scheduled_tasks::Column::LastSlot, Expr::value(db_time(slot)))
            .col_expr(scheduled_tasks::Column::LeaseOwner, Expr::value(Option::<String>::None))
            .col_expr(scheduled_tasks::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(scheduled_tasks::Column::LastFinishedAt, Expr::value(db_time(finished_at)))
            .col_expr(scheduled_tasks::Column::LastOutcome, Expr::value(outcome))
            .filter(scheduled_tasks::Column::Name.eq(task))
            .filter(scheduled_tasks::Column::LeaseOwner.eq(owner))
            .exec(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(())
    }

    async fn task_states(&self) -> Result<Vec<TaskState>, RepoError> {
        let rows = scheduled_tasks::Entity::find()
            .order_by_asc(scheduled_tasks::Column::Name)
            .all(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(rows
            .into_iter()
            .map(|m| TaskState {
                name: m.name,
                last_slot: m.last_slot,
                last_started_at: m.last_started_at,
                last_finished_at: m.last_finished_at,
                last_outcome: m.last_outcome,
                lease_owner: m.lease_owner,
                lease_until: m.lease_until,
            })
            .collect())
    }
}
