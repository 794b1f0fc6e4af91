//! Download jobs and their event history.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Infohash, JobId, JobStatus, MagnetLink, OrgId, RegionCode, UserId};

/// What a job downloads. The whole source is kept with the job, so a retry, a resume or a
/// dead-letter replay can always start it again (the original lost `.torrent` payloads on resume).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobSource {
    /// A magnet link (metadata comes from peers).
    Magnet(MagnetLink),
    /// The bytes of a `.torrent` file (shared: copies of a job, such as cached pages of the
    /// jobs list, do not copy them).
    Torrent(std::sync::Arc<[u8]>),
}

impl JobSource {
    /// `"magnet"` or `"torrent"`, the stored kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Magnet(_) => "magnet",
            Self::Torrent(_) => "torrent",
        }
    }
}

/// A download job as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The job's id.
    pub id: JobId,
    /// Who submitted it.
    pub user_id: UserId,
    /// The organization it belongs to (its quota pays for it; its owners and admins see it).
    pub org_id: OrgId,
    /// Display name (from the torrent, the magnet `dn=` or the user).
    pub name: String,
    /// Current status.
    pub status: JobStatus,
    /// The torrent's infohash (known at submit for both magnets and `.torrent` files).
    pub infohash: Infohash,
    /// What to download.
    pub source: JobSource,
    /// The client's `Idempotency-Key`, if one was sent.
    pub idempotency_key: Option<String>,
    /// Only these file indexes (torrent order) are downloaded; `None` for every file.
    pub selected_files: Option<Vec<u32>>,
    /// The region the job prefers to run in (routing falls back to others); `None` for any.
    pub region_hint: Option<RegionCode>,
    /// Total payload size once known.
    pub total_bytes: Option<u64>,
    /// Bytes downloaded so far.
    pub done_bytes: u64,
    /// Why the job failed, if it did.
    pub error: Option<String>,
    /// The compute worker running the job, if any.
    pub worker_id: Option<String>,
    /// When it was submitted.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// When it completed.
    pub completed_at: Option<DateTime<Utc>>,
}

/// A job to insert.
#[derive(Debug, Clone)]
pub struct NewJob {
    /// The id to use.
    pub id: JobId,
    /// The owner.
    pub user_id: UserId,
    /// The organization it belongs to.
    pub org_id: OrgId,
    /// Display name.
    pub name: String,
    /// The infohash.
    pub infohash: Infohash,
    /// What to download.
    pub source: JobSource,
    /// The client's idempotency key.
    pub idempotency_key: Option<String>,
    /// File selection (indexes in torrent order), `None` for all.
    pub selected_files: Option<Vec<u32>>,
    /// The preferred region, `None` for any.
    pub region_hint: Option<RegionCode>,
    /// Size if already known (from a `.torrent`).
    pub total_bytes: Option<u64>,
    /// Submission time.
    pub created_at: DateTime<Utc>,
}

impl NewJob {
    /// The job as it is right after insertion (status `queued`).
    pub fn into_job(self) -> Job {
        Job {
            id: self.id,
            user_id: self.user_id,
            org_id: self.org_id,
            name: self.name,
            status: JobStatus::Queued,
            infohash: self.infohash,
            source: self.source,
            idempotency_key: self.idempotency_key,
            selected_files: self.selected_files,
            region_hint: self.region_hint,
            total_bytes: self.total_bytes,
            done_bytes: 0,
            error: None,
            worker_id: None,
            created_at: self.created_at,
            updated_at: self.created_at,
            completed_at: None,
        }
    }
}

/// One entry of a job's history (`job_events`), numbered per job from 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobEvent {
    /// The job.
    pub job_id: JobId,
    /// Position in the job's history, from 1, without gaps.
    pub seq: u64,
    /// What happened.
    pub kind: JobEventKind,
    /// Details as JSON.
    pub payload: serde_json::Value,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// What a job history entry records. Stored and served as its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobEventKind {
    /// The job was submitted (always entry 1).
    JobCreated,
    /// The status moved by a [`JobTransition`](super::JobTransition) (payload `from`, `to`, `by`,
    /// and `actor` when a person did it).
    StatusChanged,
    /// The job was renamed (payload `from`, `to`).
    JobRenamed,
    /// A dispatcher found the job running with no live attempt (a crash) and queued it again.
    AttemptAbandoned,
    /// An attempt failed and will be retried (payload `attempt`, `error`, `retryAt`).
    AttemptFailed,
    /// The last attempt failed, or retrying cannot help: the job failed.
    JobFailed,
}

impl JobEventKind {
    /// Every kind.
    pub const ALL: [Self; 6] = [
        Self::JobCreated,
        Self::StatusChanged,
        Self::JobRenamed,
        Self::AttemptAbandoned,
        Self::AttemptFailed,
        Self::JobFailed,
    ];

    /// The stable snake_case name used in storage and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::JobCreated => "job_created",
            Self::StatusChanged => "status_changed",
            Self::JobRenamed => "job_renamed",
            Self::AttemptAbandoned => "attempt_abandoned",
            Self::AttemptFailed => "attempt_failed",
            Self::JobFailed => "job_failed",
        }
    }
}

impl std::fmt::Display for JobEventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for JobEventKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| format!("unknown job event kind {s:?}"))
    }
}
