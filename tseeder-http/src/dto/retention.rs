//! The retention sweep: its schedule, records, per-plan windows and dry runs.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use tseeder_core::ports::{StorageSnapshot, SweepRecord, TaskState};
use tseeder_core::services::retention::{ExpiredFile, PlanWindow, RetentionOverview, Selection};

/// What one sweep did.
#[derive(Debug, Clone, Object)]
#[oai(rename = "RetentionSweep", rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct SweepView {
    /// When it started.
    pub(crate) started_at: DateTime<Utc>,
    /// When it finished.
    pub(crate) finished_at: DateTime<Utc>,
    /// `schedule` or `admin`.
    pub(crate) trigger: String,
    /// `native` or `plugin <sha256>`.
    pub(crate) policy: String,
    /// Files deleted because the policy chose them.
    pub(crate) files_deleted: u64,
    /// Their bytes.
    pub(crate) bytes_deleted: u64,
    /// Objects deleted from the store with their last row.
    pub(crate) blobs_deleted: u64,
    /// Objects no row referenced, deleted by the orphan cleanup.
    pub(crate) orphan_blobs: u64,
    /// Rows whose object was missing, deleted by the orphan cleanup.
    pub(crate) orphan_rows: u64,
    /// Files kept because the policy failed on their batch.
    pub(crate) kept_on_error: u64,
    /// The first error, if any.
    pub(crate) error: Option<String>,
}

impl From<SweepRecord> for SweepView {
    fn from(s: SweepRecord) -> Self {
        Self {
            started_at: s.started_at,
            finished_at: s.finished_at,
            trigger: s.trigger,
            policy: s.policy,
            files_deleted: s.files_deleted,
            bytes_deleted: s.bytes_deleted,
            blobs_deleted: s.blobs_deleted,
            orphan_blobs: s.orphan_blobs,
            orphan_rows: s.orphan_rows,
            kept_on_error: s.kept_on_error,
            error: s.error,
        }
    }
}

/// One plan's retention window.
#[derive(Debug, Clone, Object)]
#[oai(rename = "PlanRetention", rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct PlanWindowView {
    /// The plan.
    pub(crate) plan: String,
    /// Days files are kept after their job completes; absent for forever.
    pub(crate) retention_days: Option<u32>,
}

impl From<PlanWindow> for PlanWindowView {
    fn from(p: PlanWindow) -> Self {
        Self { plan: p.plan, retention_days: p.retention_days }
    }
}

/// A storage snapshot.
#[derive(Debug, Clone, Object)]
#[oai(rename = "StorageSnapshot", rename_all = "camelCase")]
pub(crate) struct SnapshotView {
    /// When it was taken.
    pub(crate) captured_at: DateTime<Utc>,
    /// Stored files.
    pub(crate) total_files: u64,
    /// Their bytes.
    pub(crate) total_bytes: u64,
    /// Orphan objects deleted in that sweep.
    pub(crate) orphan_files: u64,
}

impl From<StorageSnapshot> for SnapshotView {
    fn from(s: StorageSnapshot) -> Self {
        Self {
            captured_at: s.captured_at,
            total_files: s.total_files,
            total_bytes: s.total_bytes,
            orphan_files: s.orphan_files,
        }
    }
}

/// The scheduler's state for the sweep.
#[derive(Debug, Clone, Object)]
#[oai(rename = "ScheduledTaskState", rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct TaskView {
    /// The last scheduled time that ran.
    pub(crate) last_slot: Option<DateTime<Utc>>,
    /// When the last run started.
    pub(crate) last_started_at: Option<DateTime<Utc>>,
    /// When it finished.
    pub(crate) last_finished_at: Option<DateTime<Utc>>,
    /// How it ended.
    pub(crate) last_outcome: Option<String>,
    /// The process running it now.
    pub(crate) lease_owner: Option<String>,
}

impl From<TaskState> for TaskView {
    fn from(t: TaskState) -> Self {
        Self {
            last_slot: t.last_slot,
            last_started_at: t.last_started_at,
            last_finished_at: t.last_finished_at,
            last_outcome: t.last_outcome,
            lease_owner: t.lease_owner,
        }
    }
}

/// Retention at a glance.
#[derive(Debug, Clone, Object)]
#[oai(rename = "RetentionOverview", rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct RetentionOverviewView {
    /// The sweep's cron expression (UTC).
    pub(crate) schedule: String,
    /// File rows stored now.
    pub(crate) stored_files: u64,
    /// Their bytes (a blob shared by several rows counts once per row).
    pub(crate) stored_bytes: u64,
    /// Whether scheduled sweeps run.
    pub(crate) enabled: bool,
    /// The next scheduled sweep.
    pub(crate) next_run: Option<DateTime<Utc>>,
    /// The scheduler's state for the sweep.
    pub(crate) task: Option<TaskView>,
    /// The newest sweep.
    pub(crate) last_sweep: Option<SweepView>,
    /// The newest sweeps, newest first.
    pub(crate) recent: Vec<SweepView>,
    /// Sweeps run.
    pub(crate) total_sweeps: u64,
    /// Files deleted by every sweep.
    pub(crate) total_files_deleted: u64,
    /// Bytes deleted by every sweep.
    pub(crate) total_bytes_deleted: u64,
    /// Each plan's window.
    pub(crate) plans: Vec<PlanWindowView>,
    /// The newest storage snapshot.
    pub(crate) snapshot: Option<SnapshotView>,
    /// What decides: `native` or `plugin <sha256>`.
    pub(crate) policy: String,
}

impl From<RetentionOverview> for RetentionOverviewView {
    fn from(o: RetentionOverview) -> Self {
        Self {
            schedule: o.schedule,
            stored_files: o.stored.files,
            stored_bytes: o.stored.bytes,
            enabled: o.enabled,
            next_run: o.next_run,
            task: o.task.map(TaskView::from),
            last_sweep: o.recent.first().cloned().map(SweepView::from),
            recent: o.recent.into_iter().map(SweepView::from).collect(),
            total_sweeps: o.totals.sweeps,
            total_files_deleted: o.totals.files_deleted,
            total_bytes_deleted: o.totals.bytes_deleted,
            plans: o.plans.into_iter().map(PlanWindowView::from).collect(),
            snapshot: o.snapshot.map(SnapshotView::from),
            policy: o.policy,
        }
    }
}

/// A file a dry run would delete.
#[derive(Debug, Clone, Object)]
#[oai(rename = "ExpiredFile", rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct ExpiredFileView {
    /// The file.
    pub(crate) file_id: String,
    /// Its job.
    pub(crate) job_id: String,
    /// Its owner.
    pub(crate) user_id: String,
    /// Its size.
    pub(crate) size: u64,
    /// The owner's plan.
    pub(crate) plan: String,
    /// When its job completed.
    pub(crate) completed_at: Option<DateTime<Utc>>,
}

impl From<ExpiredFile> for ExpiredFileView {
    fn from(f: ExpiredFile) -> Self {
        Self {
            file_id: f.file_id.to_string(),
            job_id: f.job_id.to_string(),
            user_id: f.user_id.to_string(),
            size: f.size,
            plan: f.plan,
            completed_at: f.completed_at,
        }
    }
}

/// What a sweep would delete now.
#[derive(Debug, Clone, Object)]
#[oai(rename = "RetentionDryRun", rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct DryRunView {
    /// Files it would delete.
    pub(crate) file_count: u64,
    /// Their bytes.
    pub(crate) bytes: u64,
    /// Files the policy was asked about.
    pub(crate) examined: u64,
    /// Files it would keep because the policy failed on their batch.
    pub(crate) kept_on_error: u64,
    /// The policy's first failure.
    pub(crate) error: Option<String>,
    /// The first files (at most [`DryRunView::LISTED`]).
    pub(crate) files: Vec<ExpiredFileView>,
}

impl DryRunView {
    /// Most files listed in a dry run's answer.
    pub(crate) const LISTED: usize = 200;
}

impl From<Selection> for DryRunView {
    fn from(s: Selection) -> Self {
        Self {
            file_count: s.files.len() as u64,
            bytes: s.bytes,
            examined: s.examined,
            kept_on_error: s.kept_on_error,
            error: s.error,
            files: s.files.into_iter().take(Self::LISTED).map(ExpiredFileView::from).collect(),
        }
    }
}

/// A sweep's answer.
#[derive(Debug, Clone, Object)]
#[oai(rename = "RetentionSweepEnvelope", rename_all = "camelCase")]
pub(crate) struct SweepEnvelope {
    /// The sweep.
    pub(crate) sweep: SweepView,
}
