//! Periodic maintenance state: the rows the retention sweeper reads and writes (files with their
//! owners, blob references, sweep records, storage snapshots) and the scheduler's lease rows.

use std::fmt::Debug;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::{FileId, JobId, OrgId, UserId};
use crate::error::RepoError;

/// One stored file as the sweeper sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionRow {
    /// The file.
    pub file_id: FileId,
    /// Its job.
    pub job_id: JobId,
    /// The job's owner.
    pub user_id: UserId,
    /// The job's organization, whose plan decides the retention window.
    pub org_id: OrgId,
    /// Size in bytes.
    pub size: u64,
    /// When the job completed; `None` while it has not.
    pub completed_at: Option<DateTime<Utc>>,
}

/// How much is stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StorageTotals {
    /// File rows.
    pub files: u64,
    /// Their bytes (a blob shared by several rows counts once per row).
    pub bytes: u64,
}

/// A point-in-time summary of stored files, written after each sweep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageSnapshot {
    /// When it was taken.
    pub captured_at: DateTime<Utc>,
    /// File rows.
    pub total_files: u64,
    /// Their bytes.
    pub total_bytes: u64,
    /// Objects in the store that no row referenced (and were deleted) in that sweep.
    pub orphan_files: u64,
}

/// What one retention sweep did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SweepRecord {
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it finished.
    pub finished_at: DateTime<Utc>,
    /// `schedule` or `admin`.
    pub trigger: String,
    /// The policy that decided: `native`, or `plugin <sha256>`.
    pub policy: String,
    /// File rows deleted because the policy selected them.
    pub files_deleted: u64,
    /// Their bytes.
    pub bytes_deleted: u64,
    /// Objects deleted from the store (a shared blob goes with its last row).
    pub blobs_deleted: u64,
    /// Objects with no row, deleted by the orphan cleanup.
    pub orphan_blobs: u64,
    /// Rows whose object was missing, deleted by the orphan cleanup.
    pub orphan_rows: u64,
    /// Files kept because the policy failed on their batch (a failing policy deletes nothing).
    pub kept_on_error: u64,
    /// The first error, if any part of the sweep failed.
    pub error: Option<String>,
}

/// Totals over every sweep.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepTotals {
    /// Sweeps run.
    pub sweeps: u64,
    /// Files deleted.
    pub files_deleted: u64,
    /// Bytes deleted.
    pub bytes_deleted: u64,
}

/// The scheduler's row for one periodic task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskState {
    /// The task's name.
    pub name: String,
    /// The last scheduled time that was run (by any process).
    pub last_slot: Option<DateTime<Utc>>,
    /// When the last run started.
    pub last_started_at: Option<DateTime<Utc>>,
    /// When the last run finished.
    pub last_finished_at: Option<DateTime<Utc>>,
    /// How the last run ended (`ok: ...` or `error: ...`).
    pub last_outcome: Option<String>,
    /// The process running it now, while its lease lasts.
    pub lease_owner: Option<String>,
    /// When that lease ends.
    pub lease_until: Option<DateTime<Utc>>,
}

/// Persistent maintenance state.
///
/// # Contract
/// - `retention_page` lists file rows with ids greater than `after` (all when `None`), in id
///   order, at most `limit`.
/// - `blob_keys_page` lists distinct object keys that rows reference, greater than `after`, in
///   key order, at most `limit`.
/// - `delete_rows_for_blob` deletes every row naming `key` and returns how many.
/// - `try_lease` takes the lease of `task` for the run scheduled at `slot` and returns true only
///   if no run of `slot` (or a later one) has finished and no other lease is still valid at
///   `now`; of concurrent callers at most one gets it. `finish_task` records the run and frees
///   the lease if `owner` still holds it.
#[async_trait]
pub trait MaintenanceRepository: Send + Sync + Debug {
    /// A page of file rows with their owners, in id order.
    async fn retention_page(&self, after: Option<FileId>, limit: u64) -> Result<Vec<RetentionRow>, RepoError>;
    /// A page of the distinct object keys rows reference, in key order.
    async fn blob_keys_page(&self, after: Option<&str>, limit: u64) -> Result<Vec<String>, RepoError>;
    /// Deletes the rows that name `key`; returns how many went.
    async fn delete_rows_for_blob(&self, key: &str) -> Result<u64, RepoError>;
    /// Files and bytes stored now.
    async fn storage_totals(&self) -> Result<StorageTotals, RepoError>;
    /// Records a storage snapshot.
    async fn add_snapshot(&self, snapshot: &StorageSnapshot) -> Result<(), RepoError>;
    /// The newest storage snapshot.
    async fn latest_snapshot(&self) -> Result<Option<StorageSnapshot>, RepoError>;
    /// Records a finished sweep.
    async fn record_sweep(&self, sweep: &SweepRecord) -> Result<(), RepoError>;
    /// The newest sweeps, newest first.
    async fn recent_sweeps(&self, limit: u64) -> Result<Vec<SweepRecord>, RepoError>;
    /// Totals over every recorded sweep.
    async fn sweep_totals(&self) -> Result<SweepTotals, RepoError>;
    /// Takes `task`'s lease for the run at `slot`, valid until `until`.
    async fn try_lease(
        &self,
        task: &str,
        slot: DateTime<Utc>,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool, RepoError>;
    /// Records that `owner` finished `task`'s run at `slot` with `outcome`, freeing the lease.
    async fn finish_task(
        &self,
        task: &str,
        slot: DateTime<Utc>,
        owner: &str,
        finished_at: DateTime<Utc>,
        outcome: &str,
    ) -> Result<(), RepoError>;
    /// Every task's row.
    async fn task_states(&self) -> Result<Vec<TaskState>, RepoError>;
}
