//! Remote compute agents ("workers"): the heartbeat they send, and the operator's view of them.

use chrono::{DateTime, Utc};
use poem_openapi::{Enum, Object};
use tseeder_core::domain::{Heartbeat, HeartbeatRecord, RegionCode, WorkerStatus};
use tseeder_core::services::fleet::{FleetWorker, WorkerDetail};

/// What an agent reports every few seconds. The server stamps it with its own clock.
#[derive(Debug, Clone, Object)]
#[oai(rename = "Heartbeat", rename_all = "camelCase")]
pub(crate) struct HeartbeatRequest {
    /// The agent's id: 1 to 64 characters of ASCII letters, digits, `.`, `_` and `-`.
    #[oai(validator(min_length = 1, max_length = 64))]
    pub(crate) worker_id: String,
    /// Where it runs: 1 to 32 characters of lowercase letters, digits and `-`.
    #[oai(validator(min_length = 1, max_length = 32))]
    pub(crate) region: String,
    /// Its public base URL (`http` or `https`, no credentials, query or fragment).
    pub(crate) base_url: String,
    /// Its software version (1 to 64 printable ASCII characters).
    #[oai(validator(min_length = 1, max_length = 64))]
    pub(crate) version: String,
    /// Jobs it runs now (at most 100000).
    pub(crate) active_jobs: u32,
    /// Jobs it runs at most; 0 means it takes no work (at most 100000).
    pub(crate) max_jobs: u32,
    /// Free bytes on its download disk.
    pub(crate) disk_free_bytes: u64,
    /// Size of its download disk, in bytes.
    pub(crate) disk_total_bytes: u64,
    /// CPU use of the whole machine, 0 to 100.
    #[oai(validator(minimum(value = "0"), maximum(value = "100")))]
    pub(crate) cpu_pct: f64,
    /// Current transfer rate, bytes per second (download and upload together).
    pub(crate) bandwidth_bps: u64,
}

impl HeartbeatRequest {
    /// The core heartbeat; fails with the offending field and why. The rest of the checks are
    /// the core's ([`Heartbeat::validate`]).
    pub(crate) fn into_heartbeat(self) -> Result<Heartbeat, String> {
        let region = RegionCode::parse(&self.region).map_err(|e| format!("region: {e}"))?;
        let base_url = self.base_url.parse().map_err(|e| format!("baseUrl: {e}"))?;
        Ok(Heartbeat {
            worker_id: self.worker_id,
            region,
            base_url,
            version: self.version,
            active_jobs: self.active_jobs,
            max_jobs: self.max_jobs,
            disk_free_bytes: self.disk_free_bytes,
            disk_total_bytes: self.disk_total_bytes,
            cpu_pct: self.cpu_pct,
            bandwidth_bps: self.bandwidth_bps,
        })
    }
}

/// A worker's status. `healthy` and `offline` follow heartbeats; `draining` and `cordoned` are set
/// by an operator, and only an operator clears them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "WorkerStatus", rename_all = "snake_case")]
pub(crate) enum WorkerStatusDto {
    /// Takes new work (when its heartbeat is fresh and it has spare capacity).
    Healthy,
    /// Finishes its jobs but takes no new ones.
    Draining,
    /// Takes no new work.
    Cordoned,
    /// Stopped heartbeating; its next heartbeat makes it healthy again.
    Offline,
}

impl From<WorkerStatus> for WorkerStatusDto {
    fn from(status: WorkerStatus) -> Self {
        match status {
            WorkerStatus::Healthy => Self::Healthy,
            WorkerStatus::Draining => Self::Draining,
            WorkerStatus::Cordoned => Self::Cordoned,
            WorkerStatus::Offline => Self::Offline,
        }
    }
}

/// A remote compute agent, as of its latest heartbeat.
#[derive(Debug, Clone, Object)]
#[oai(rename = "Worker", rename_all = "camelCase")]
pub(crate) struct WorkerView {
    /// The agent's own id.
    pub(crate) id: String,
    /// Where it runs.
    pub(crate) region: String,
    /// Its public base URL.
    pub(crate) base_url: String,
    /// Its software version.
    pub(crate) version: String,
    /// Operator-set or heartbeat-driven status.
    pub(crate) status: WorkerStatusDto,
    /// Whether its latest heartbeat is older than the server's `agents.stale_after_secs`; a stale
    /// worker gets no work.
    pub(crate) stale: bool,
    /// Jobs it runs now.
    pub(crate) active_jobs: u32,
    /// Jobs it runs at most.
    pub(crate) max_jobs: u32,
    /// `activeJobs / maxJobs`: 0 is idle, 1 is full (1 as well when `maxJobs` is 0).
    pub(crate) load_factor: f64,
    /// Free bytes on its download disk.
    pub(crate) disk_free_bytes: u64,
    /// Size of its download disk, in bytes.
    pub(crate) disk_total_bytes: u64,
    /// CPU use, 0 to 100.
    pub(crate) cpu_pct: f64,
    /// Transfer rate, bytes per second.
    pub(crate) bandwidth_bps: u64,
    /// When the server received its latest heartbeat.
    pub(crate) last_heartbeat_at: DateTime<Utc>,
    /// When the server received its first heartbeat.
    pub(crate) registered_at: DateTime<Utc>,
}

impl From<FleetWorker> for WorkerView {
    fn from(fleet: FleetWorker) -> Self {
        let w = fleet.worker;
        Self {
            id: w.id,
            region: w.region.to_string(),
            base_url: w.base_url.to_string(),
            version: w.version,
            status: w.status.into(),
            stale: fleet.stale,
            active_jobs: w.active_jobs,
            max_jobs: w.max_jobs,
            load_factor: fleet.load_factor,
            disk_free_bytes: w.disk_free_bytes,
            disk_total_bytes: w.disk_total_bytes,
            cpu_pct: w.cpu_pct,
            bandwidth_bps: w.bandwidth_bps,
            last_heartbeat_at: w.last_heartbeat_at,
            registered_at: w.registered_at,
        }
    }
}

/// The answer to a heartbeat.
#[derive(Debug, Clone, Object)]
#[oai(rename_all = "camelCase")]
pub(crate) struct HeartbeatResponse {
    /// The worker as recorded (an operator-set status stays until an operator clears it).
    pub(crate) worker: WorkerView,
    /// The server's clock, for the agent to notice skew (signed requests must be within
    /// `agents.signature_window_secs` of it).
    pub(crate) server_time: DateTime<Utc>,
}

/// Every registered worker.
#[derive(Debug, Clone, Object)]
pub(crate) struct WorkerList {
    /// By id.
    pub(crate) workers: Vec<WorkerView>,
}

/// One worker.
#[derive(Debug, Clone, Object)]
pub(crate) struct WorkerEnvelope {
    /// The worker.
    pub(crate) worker: WorkerView,
}

impl From<FleetWorker> for WorkerEnvelope {
    fn from(worker: FleetWorker) -> Self {
        Self { worker: worker.into() }
    }
}

/// One heartbeat in a worker's history.
#[derive(Debug, Clone, Object)]
#[oai(rename = "HeartbeatRecord", rename_all = "camelCase")]
pub(crate) struct HeartbeatRecordView {
    /// The worker's status right after this heartbeat.
    pub(crate) status: WorkerStatusDto,
    /// Jobs it ran.
    pub(crate) active_jobs: u32,
    /// Its capacity.
    pub(crate) max_jobs: u32,
    /// Free bytes on its download disk.
    pub(crate) disk_free_bytes: u64,
    /// Size of its download disk, in bytes.
    pub(crate) disk_total_bytes: u64,
    /// CPU use, 0 to 100.
    pub(crate) cpu_pct: f64,
    /// Transfer rate, bytes per second.
    pub(crate) bandwidth_bps: u64,
    /// When the server received it.
    pub(crate) received_at: DateTime<Utc>,
}

impl From<HeartbeatRecord> for HeartbeatRecordView {
    fn from(r: HeartbeatRecord) -> Self {
        Self {
            status: r.status.into(),
            active_jobs: r.active_jobs,
            max_jobs: r.max_jobs,
            disk_free_bytes: r.disk_free_bytes,
            disk_total_bytes: r.disk_total_bytes,
            cpu_pct: r.cpu_pct,
            bandwidth_bps: r.bandwidth_bps,
            received_at: r.received_at,
        }
    }
}

/// A worker and its recent heartbeats.
#[derive(Debug, Clone, Object)]
pub(crate) struct WorkerDetailView {
    /// The worker.
    pub(crate) worker: WorkerView,
    /// Its latest heartbeats (at most 50), newest first. After each silence longer than the
    /// staleness threshold, an `offline` record (no jobs, CPU or bandwidth) marks when it was first
    /// shown offline.
    pub(crate) history: Vec<HeartbeatRecordView>,
}

impl From<WorkerDetail> for WorkerDetailView {
    fn from(detail: WorkerDetail) -> Self {
        Self {
            worker: detail.worker.into(),
            history: detail.history.into_iter().map(HeartbeatRecordView::from).collect(),
        }
    }
}
