//! Jobs and their history.

use std::fmt::Debug;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::{
    AuditEntry, Infohash, InvalidTransition, Job, JobEvent, JobEventKind, JobId, JobStatus, JobTransition, NewJob,
    NewQueueMessage, OrgId, Page, PageRequest, QueueMessageId, Usage, UserId,
};
use crate::error::RepoError;

/// Sort order of job lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum JobSort {
    /// By submission time.
    #[default]
    CreatedAt,
    /// By last change.
    UpdatedAt,
    /// By name.
    Name,
}

/// Which jobs to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct JobFilter {
    /// Only this organization's jobs (None: every organization's; admin views only).
    pub org_id: Option<OrgId>,
    /// Only this user's jobs (None: everyone's).
    pub user_id: Option<UserId>,
    /// Only jobs in this status.
    pub status: Option<JobStatus>,
    /// Only jobs run (or running) by one of these workers (an empty list matches nothing).
    pub worker_ids: Option<Vec<String>>,
    /// Only jobs created at or before this time (older ones).
    pub created_before: Option<DateTime<Utc>>,
    /// Only jobs created at or after this time (newer ones).
    pub created_after: Option<DateTime<Utc>>,
    /// Only jobs carrying this label of this user's ([`crate::ports::LabelRepository`]).
    pub label: Option<LabelFilter>,
    /// Sort key.
    pub sort: JobSort,
    /// Descending order (newest first for times).
    pub descending: bool,
}

/// A label a listed job must carry: one user's category or tag of that name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LabelFilter {
    /// Whose label.
    pub user_id: UserId,
    /// Category or tag.
    pub kind: crate::domain::LabelKind,
    /// Its exact name.
    pub name: String,
}

/// Whose consumption [`JobRepository::usage`] adds up: an organization's, one user's
/// everywhere, or one member's within an organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsageOf {
    /// Only jobs of this organization.
    pub org_id: Option<OrgId>,
    /// Only jobs of this user.
    pub user_id: Option<UserId>,
}

impl UsageOf {
    /// An organization's jobs: what its quota counts.
    pub fn org(id: OrgId) -> Self {
        Self { org_id: Some(id), user_id: None }
    }

    /// One user's jobs in every organization.
    pub fn user(id: UserId) -> Self {
        Self { org_id: None, user_id: Some(id) }
    }

    /// One member's jobs within an organization.
    pub fn member(org: OrgId, user: UserId) -> Self {
        Self { org_id: Some(org), user_id: Some(user) }
    }
}

/// A history entry to append with a change.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJobEvent {
    /// What happened.
    pub kind: JobEventKind,
    /// Details.
    pub payload: serde_json::Value,
}

/// A queue operation committed together with a job change.
#[derive(Debug, Clone, PartialEq)]
pub enum QueueOp {
    /// Enqueue a new message (resume).
    Enqueue(NewQueueMessage),
    /// Bring a dead-lettered message back with its history (dead-letter replay): attempts reset
    /// to 0, visible at the change time.
    Replay(QueueMessageId),
}

/// One atomic change to a job: a compare-and-set on its status plus optional field updates, a
/// history entry, a queue operation and an audit entry, all in one transaction.
///
/// A change is made in one of two ways, so no caller can write a status the state machine did
/// not produce: [`JobChange::transition`] (the status moves, with its `status_changed` history
/// entry) and [`JobChange::edit`] (the status stays: rename, progress bytes, worker).
#[derive(Debug, Clone, PartialEq)]
pub struct JobChange {
    /// The status the job must have now; otherwise the change fails with `Conflict`.
    expected: JobStatus,
    /// The status after the change (equal to `expected` for an edit).
    status: JobStatus,
    /// New name.
    pub name: Option<String>,
    /// New error text (`Some(None)` clears it).
    pub error: Option<Option<String>>,
    /// New worker (`Some(None)` clears it).
    pub worker_id: Option<Option<String>>,
    /// New total size.
    pub total_bytes: Option<u64>,
    /// New downloaded byte count.
    pub done_bytes: Option<u64>,
    /// Completion time to set.
    pub completed_at: Option<DateTime<Utc>>,
    /// History entry to append (numbered after the job's last one).
    pub event: Option<NewJobEvent>,
    /// Queue operation to commit with the change.
    pub queue: Option<QueueOp>,
    /// Audit entry to commit with the change.
    pub audit: Option<AuditEntry>,
    /// The change time (`updated_at`).
    pub at: DateTime<Utc>,
}

impl JobChange {
    /// The one way to change a job's status: `transition` applied to `job` by the state machine
    /// ([`JobStatus::apply`]), with its history entry (`status_changed`: `from`, `to`, `by`).
    ///
    /// # Errors
    /// [`InvalidTransition`] when the state machine refuses it (a late report for a cancelled
    /// job, a pause of a completed one, ...).
    pub fn transition(job: &Job, transition: JobTransition, at: DateTime<Utc>) -> Result<Self, InvalidTransition> {
        let next = job.status.apply(transition)?;
        let mut change = Self::new(job.status, next, at);
        change.event = Some(NewJobEvent {
            kind: JobEventKind::StatusChanged,
            payload: serde_json::json!({ "from": job.status, "to": next, "by": transition }),
        });
        Ok(change)
    }

    /// A change that keeps `job`'s status (rename, progress bytes, worker); it still fails with
    /// `Conflict` if the status changed meanwhile.
    pub fn edit(job: &Job, at: DateTime<Utc>) -> Self {
        Self::new(job.status, job.status, at)
    }

    /// Records this change's history entry as `kind`, with `details` (a JSON object) added to its
    /// payload: who acted, why an attempt failed.
    #[must_use]
    pub fn noted(mut self, kind: JobEventKind, details: serde_json::Value) -> Self {
        let mut payload = self.event.take().map_or_else(|| serde_json::json!({}), |e| e.payload);
        if let (Some(payload), serde_json::Value::Object(details)) = (payload.as_object_mut(), details) {
            payload.extend(details);
        }
        self.event = Some(NewJobEvent { kind, payload });
        self
    }

    /// The status the job must have when the change is written.
    pub fn expected(&self) -> JobStatus {
        self.expected
    }

    /// The status the change writes.
    pub fn status(&self) -> JobStatus {
        self.status
    }

    /// A change from any status to any other, bypassing the state machine: only for adapter
    /// conformance suites, which must put rows in every state.
    #[cfg(any(test, feature = "test-util"))]
    pub fn unchecked(expected: JobStatus, status: JobStatus, at: DateTime<Utc>) -> Self {
        Self::new(expected, status, at)
    }

    fn new(expected: JobStatus, status: JobStatus, at: DateTime<Utc>) -> Self {
        Self {
            expected,
            status,
            name: None,
            error: None,
            worker_id: None,
            total_bytes: None,
            done_bytes: None,
            completed_at: None,
            event: None,
            queue: None,
            audit: None,
            at,
        }
    }
}

/// Persistent store of jobs, their history, and (for atomicity) their queue messages.
///
/// # Contract
/// - `create_job` inserts the job (status `queued`), its first history entry (`seq` 1, kind
///   `job_created`), the queue message and the audit entry in one transaction. A second live job
///   of the same user in the same organization with the same infohash, or a reused idempotency
///   key of the user, fails with `Conflict` and writes nothing. "Live" means any status but
///   `failed` and `cancelled`.
/// - `update_job` is a compare-and-set on `JobChange::expected`: `Conflict` when the stored
///   status differs, `NotFound` for unknown ids, and nothing is written on failure. Moving a job
///   back to a live status while another live job of the user has its infohash is a `Conflict`
///   too.
/// - History `seq` numbers are per job, from 1, without gaps.
/// - `delete_job` removes the job with its history and files rows and appends the audit entry.
/// - `usage` counts jobs in [`JobStatus::ACTIVE`] and sums the sizes of complete files, over the
///   jobs [`UsageOf`] names.
/// - `list_jobs` with `org_id` returns only that organization's jobs.
#[async_trait]
pub trait JobRepository: Send + Sync + Debug {
    /// Creates a job with its queue message.
    async fn create_job(&self, job: &NewJob, message: &NewQueueMessage, audit: &AuditEntry) -> Result<Job, RepoError>;
    /// Loads a job.
    async fn get_job(&self, id: JobId) -> Result<Job, RepoError>;
    /// Finds a user's job by idempotency key.
    async fn find_job_by_idempotency_key(&self, user: UserId, key: &str) -> Result<Option<Job>, RepoError>;
    /// Finds a user's live job for an infohash in an organization.
    async fn find_live_job_by_infohash(
        &self,
        org: OrgId,
        user: UserId,
        infohash: Infohash,
    ) -> Result<Option<Job>, RepoError>;
    /// Every user's live jobs for an infohash (blocklist enforcement).
    async fn list_live_jobs_by_infohash(&self, infohash: Infohash) -> Result<Vec<Job>, RepoError>;
    /// Lists jobs.
    async fn list_jobs(&self, filter: &JobFilter, page: PageRequest) -> Result<Page<Job>, RepoError>;
    /// Applies a change atomically.
    async fn update_job(&self, id: JobId, change: &JobChange) -> Result<Job, RepoError>;
    /// Deletes a job and everything hanging off it.
    async fn delete_job(&self, id: JobId, audit: &AuditEntry) -> Result<(), RepoError>;
    /// History entries with `seq > after_seq`, oldest first, at most `limit`.
    async fn list_job_events(&self, id: JobId, after_seq: u64, limit: u64) -> Result<Vec<JobEvent>, RepoError>;
    /// A user's consumption.
    async fn usage(&self, of: UsageOf) -> Result<Usage, RepoError>;
}
