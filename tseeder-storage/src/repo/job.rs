//! [`SeaOrmJobRepository`]: jobs, their history, and the queue messages and audit entries that
//! must commit with them.

use async_trait::async_trait;
use sea_orm::sea_query::{Expr, Func, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, Order, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, RelationTrait,
};
use serde_json::json;
use tseeder_core::domain::{
    AuditEntry, Infohash, Job, JobEvent, JobEventKind, JobId, JobStatus, NewJob, NewQueueMessage, OrgId, Page,
    PageRequest, Usage, UserId,
};
use tseeder_core::error::RepoError;
use tseeder_core::ports::{JobChange, JobFilter, JobRepository, JobSort, NewJobEvent, QueueOp, UsageOf};

use super::{begin_write, fetch_page, try_map_page};
use crate::convert::{self, db_time, to_i64};
use crate::entity::{audit_logs, files, job_events, job_labels, jobs, queue_messages};
use crate::error::repo_err;
use crate::queue;

/// Statuses that release a job's `(organization, user, infohash)` slot; every other status is
/// "live". Mirrors the predicate of the partial unique index `jobs_org_user_infohash_live`.
const RELEASED: [JobStatus; 2] = [JobStatus::Failed, JobStatus::Cancelled];

fn names(statuses: &[JobStatus]) -> Vec<&'static str> {
    statuses.iter().map(|s| s.as_str()).collect()
}

/// [`JobRepository`] over sea-orm (SQLite or PostgreSQL).
///
/// Uniqueness rules live in the schema, not here: one live job per organization, user and
/// infohash (the partial index `jobs_org_user_infohash_live`), one job per user and idempotency
/// key, one history entry per job and `seq`. A write that breaks one fails with
/// `RepoError::Conflict` and its transaction is rolled back.
#[derive(Debug, Clone)]
pub struct SeaOrmJobRepository {
    db: DatabaseConnection,
}

impl SeaOrmJobRepository {
    /// An adapter over a migrated database.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

/// The next history number of a job: one past the highest so far. Inside a write transaction
/// that already updated the job row this cannot race (the row lock on PostgreSQL, the write lock
/// on SQLite), and the unique `(job_id, seq)` index backs that up.
async fn next_seq(conn: &impl ConnectionTrait, job: JobId) -> Result<i64, RepoError> {
    let max: Option<Option<i64>> = job_events::Entity::find()
        .select_only()
        .column_as(job_events::Column::Seq.max(), "max_seq")
        .filter(job_events::Column::JobId.eq(job.to_string()))
        .into_tuple()
        .one(conn)
        .await
        .map_err(repo_err)?;
    Ok(max.flatten().unwrap_or(0) + 1)
}

async fn insert_audit(conn: &impl ConnectionTrait, entry: &AuditEntry) -> Result<(), RepoError> {
    audit_logs::Entity::insert(convert::audit_model(entry)).exec_without_returning(conn).await.map_err(repo_err)?;
    Ok(())
}

#[async_trait]
impl JobRepository for SeaOrmJobRepository {
    async fn create_job(&self, job: &NewJob, message: &NewQueueMessage, audit: &AuditEntry) -> Result<Job, RepoError> {
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        // A unique violation here aborts the transaction; dropping `tx` rolls everything back.
        let row = convert::new_job_model(job).insert(&tx).await.map_err(repo_err)?;
        let created = NewJobEvent { kind: JobEventKind::JobCreated, payload: json!({ "source": job.source.kind() }) };
        convert::job_event_model(job.id, 1, &created, job.created_at).insert(&tx).await.map_err(repo_err)?;
        queue::insert_message(&tx, message).await.map_err(repo_err)?;
        insert_audit(&tx, audit).await?;
        tx.commit().await.map_err(repo_err)?;
        Ok(Job::try_from(row)?)
    }

    async fn get_job(&self, id: JobId) -> Result<Job, RepoError> {
        let row = jobs::Entity::find_by_id(id.to_string()).one(&self.db).await.map_err(repo_err)?;
        Ok(Job::try_from(row.ok_or(RepoError::NotFound)?)?)
    }

    async fn find_job_by_idempotency_key(&self, user: UserId, key: &str) -> Result<Option<Job>, RepoError> {
        let row = jobs::Entity::find()
            .filter(jobs::Column::UserId.eq(user.to_string()))
            .filter(jobs::Column::IdempotencyKey.eq(key))
            .one(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(row.map(Job::try_from).transpose()?)
    }

    async fn find_live_job_by_infohash(
        &self,
        org: OrgId,
        user: UserId,
        infohash: Infohash,
    ) -> Result<Option<Job>, RepoError> {
        let row = jobs::Entity::find()
            .filter(jobs::Column::OrgId.eq(org.to_string()))
            .filter(jobs::Column::UserId.eq(user.to_string()))
            .filter(jobs::Column::Infohash.eq(infohash.to_hex()))
            .filter(jobs::Column::Status.is_not_in(names(&RELEASED)))
            .one(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(row.map(Job::try_from).transpose()?)
    }

    async fn list_live_jobs_by_infohash(&self, infohash: Infohash) -> Result<Vec<Job>, RepoError> {
        let rows = jobs::Entity::find()
            .filter(jobs::Column::Infohash.eq(infohash.to_hex()))
            .filter(jobs::Column::Status.is_not_in(names(&RELEASED)))
            .order_by_asc(jobs::Column::CreatedAt)
            .order_by_asc(jobs::Column::Id)
            .all(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(rows.into_iter().map(Job::try_from).collect::<Result<_, _>>()?)
    }

    async fn list_jobs(&self, filter: &JobFilter, page: PageRequest) -> Result<Page<Job>, RepoError> {
        let mut select = jobs::Entity::find();
        if let Some(org) = filter.org_id {
            select = select.filter(jobs::Column::OrgId.eq(org.to_string()));
        }
        if let Some(user) = filter.user_id {
            select = select.filter(jobs::Column::UserId.eq(user.to_string()));
        }
        if let Some(status) = filter.status {
            select = select.filter(jobs::Column::Status.eq(status.as_str()));
        }
        if let Some(workers) = &filter.worker_ids {
            select = select.filter(jobs::Column::WorkerId.is_in(workers.iter().map(String::as_str)));
        }
        if let Some(before) = filter.created_before {
            select = select.filter(jobs::Column::CreatedAt.lte(db_time(before)));
        }
        if let Some(after) = filter.created_after {
            select = select.filter(jobs::Column::CreatedAt.gte(db_time(after)));
        }
        if let Some(label) = &filter.label {
            // `id IN (SELECT job_id FROM job_labels WHERE user_id = ? AND kind = ? AND name = ?)`,
            // served by `job_labels_user_id_kind_name_idx`.
            let labelled = Query::select()
                .column(job_labels::Column::JobId)
                .from(job_labels::Entity)
                .and_where(job_labels::Column::UserId.eq(label.user_id.to_string()))
                .and_where(job_labels::Column::Kind.eq(label.kind.as_str()))
                .and_where(job_labels::Column::Name.eq(label.name.as_str()))
                .to_owned();
            select = select.filter(jobs::Column::Id.in_subquery(labelled));
        }
        let key = match filter.sort {
            JobSort::CreatedAt => jobs::Column::CreatedAt,
            JobSort::UpdatedAt => jobs::Column::UpdatedAt,
            JobSort::Name => jobs::Column::Name,
        };
        let order = if filter.descending { Order::Desc } else { Order::Asc };
        // The id breaks ties so that pages never overlap or skip rows.
        let select = select.order_by(key, order.clone()).order_by(jobs::Column::Id, order);
        try_map_page(fetch_page(&self.db, select, page).await.map_err(repo_err)?)
    }

    async fn update_job(&self, id: JobId, change: &JobChange) -> Result<Job, RepoError> {
        let tx = begin_write(&self.db).await.map_err(repo_err)?;

        let mut update = jobs::Entity::update_many()
            .col_expr(jobs::Column::Status, Expr::val(change.status().as_str()))
            .col_expr(jobs::Column::UpdatedAt, Expr::val(db_time(change.at)));
        if let Some(name) = &change.name {
            update = update.col_expr(jobs::Column::Name, Expr::val(name.as_str()));
        }
        if let Some(error) = &change.error {
            update = update.col_expr(jobs::Column::Error, Expr::val(error.clone()));
        }
        if let Some(worker) = &change.worker_id {
            update = update.col_expr(jobs::Column::WorkerId, Expr::val(worker.clone()));
        }
        if let Some(total) = change.total_bytes {
            update = update.col_expr(jobs::Column::TotalBytes, Expr::val(to_i64(total)));
        }
        if let Some(done) = change.done_bytes {
            update = update.col_expr(jobs::Column::DoneBytes, Expr::val(to_i64(done)));
        }
        if let Some(at) = change.completed_at {
            update = update.col_expr(jobs::Column::CompletedAt, Expr::val(db_time(at)));
        }
        // Compare-and-set: only a job still in `expected` is changed. Moving a job back to a live
        // status may break `jobs_org_user_infohash_live`, which surfaces here as a Conflict.
        let updated = update
            .filter(jobs::Column::Id.eq(id.to_string()))
            .filter(jobs::Column::Status.eq(change.expected().as_str()))
            .exec_with_returning(&tx)
            .await
            .map_err(repo_err)?;
        let Some(row) = updated.into_iter().next() else {
            let current = jobs::Entity::find_by_id(id.to_string()).one(&tx).await.map_err(repo_err)?;
            return Err(match current {
                None => RepoError::NotFound,
                Some(job) => RepoError::Conflict(format!("job is {}, not {}", job.status, change.expected())),
            });
        };

        if let Some(event) = &change.event {
            let seq = next_seq(&tx, id).await?;
            convert::job_event_model(id, seq, event, change.at).insert(&tx).await.map_err(repo_err)?;
        }
        match &change.queue {
            Some(QueueOp::Enqueue(message)) => queue::insert_message(&tx, message).await.map_err(repo_err)?,
            Some(QueueOp::Replay(message)) => {
                let replayed = queue::replay_message(&tx, *message, change.at).await.map_err(repo_err)?;
                if replayed.is_none() {
                    // Rolled back here rather than when the transaction is dropped, so the
                    // message's row lock is gone before the caller hears of the refusal (a lease
                    // right after it would otherwise skip the message).
                    tx.rollback().await.map_err(repo_err)?;
                    return Err(RepoError::Conflict(format!("queue message {message} is not dead-lettered")));
                }
            }
            None => {}
        }
        if let Some(audit) = &change.audit {
            insert_audit(&tx, audit).await?;
        }
        tx.commit().await.map_err(repo_err)?;
        Ok(Job::try_from(row)?)
    }

    async fn delete_job(&self, id: JobId, audit: &AuditEntry) -> Result<(), RepoError> {
        let job_id = id.to_string();
        let tx = begin_write(&self.db).await.map_err(repo_err)?;
        // Children first, explicitly: the cascades exist, but the queue has no foreign key and
        // this way the transaction does not depend on `PRAGMA foreign_keys`.
        files::Entity::delete_many()
            .filter(files::Column::JobId.eq(job_id.as_str()))
            .exec(&tx)
            .await
            .map_err(repo_err)?;
        job_events::Entity::delete_many()
            .filter(job_events::Column::JobId.eq(job_id.as_str()))
            .exec(&tx)
            .await
            .map_err(repo_err)?;
        queue_messages::Entity::delete_many()
            .filter(queue_messages::Column::JobId.eq(job_id.as_str()))
            .exec(&tx)
            .await
            .map_err(repo_err)?;
        let deleted = jobs::Entity::delete_by_id(job_id.as_str()).exec(&tx).await.map_err(repo_err)?;
        if deleted.rows_affected == 0 {
            // Dropping `tx` rolls back (nothing was deleted anyway).
            return Err(RepoError::NotFound);
        }
        // Labels after the job's row: a label write locks that row before it touches the job's
        // labels, so taking them in the same order cannot deadlock (PostgreSQL). The cascade has
        // already removed them wherever foreign keys are enforced.
        job_labels::Entity::delete_many()
            .filter(job_labels::Column::JobId.eq(job_id.as_str()))
            .exec(&tx)
            .await
            .map_err(repo_err)?;
        insert_audit(&tx, audit).await?;
        tx.commit().await.map_err(repo_err)
    }

    async fn list_job_events(&self, id: JobId, after_seq: u64, limit: u64) -> Result<Vec<JobEvent>, RepoError> {
        let rows = job_events::Entity::find()
            .filter(job_events::Column::JobId.eq(id.to_string()))
            .filter(job_events::Column::Seq.gt(to_i64(after_seq)))
            .order_by_asc(job_events::Column::Seq)
            .limit(limit)
            .all(&self.db)
            .await
            .map_err(repo_err)?;
        Ok(rows.into_iter().map(JobEvent::try_from).collect::<Result<_, _>>()?)
    }

    async fn usage(&self, of: UsageOf) -> Result<Usage, RepoError> {
        // The jobs `of` names: an organization's, a user's, or a member's within an organization.
        let whose = || {
            let mut whose = Condition::all();
            if let Some(org) = of.org_id {
                whose = whose.add(jobs::Column::OrgId.eq(org.to_string()));
            }
            if let Some(user) = of.user_id {
                whose = whose.add(jobs::Column::UserId.eq(user.to_string()));
            }
            whose
        };
        let active_jobs = jobs::Entity::find()
            .filter(whose())
            .filter(jobs::Column::Status.is_in(names(&JobStatus::ACTIVE)))
            .count(&self.db)
            .await
            .map_err(repo_err)?;
        let total_jobs = jobs::Entity::find().filter(whose()).count(&self.db).await.map_err(repo_err)?;
        // SUM(BIGINT) is NUMERIC on PostgreSQL; cast it back so both backends return an i64.
        let sum = Func::cast_as(Func::sum(Expr::col((files::Entity, files::Column::SizeBytes))), "BIGINT");
        let storage: Option<Option<i64>> = files::Entity::find()
            .select_only()
            .column_as(Expr::expr(sum), "storage_bytes")
            .join(sea_orm::JoinType::InnerJoin, files::Relation::Jobs.def())
            .filter(whose())
            .filter(files::Column::IsComplete.eq(true))
            .into_tuple()
            .one(&self.db)
            .await
            .map_err(repo_err)?;
        let storage_bytes = u64::try_from(storage.flatten().unwrap_or(0)).unwrap_or(0);
        Ok(Usage { active_jobs, total_jobs, storage_bytes, ..Usage::default() })
    }
}
