//! The observability store: the request metrics each API host flushes, and the minute snapshots
//! of the queue and the fleet.

use std::fmt::Debug;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::{ApiMetrics, SystemSnapshot};
use crate::error::RepoError;

/// Persistent observability series.
///
/// # Contract
/// - `append_api_metrics(rows)` stores every row, in one transaction. Rows are only appended:
///   two rows with the same minute, host, route and method are both kept (a host flushing more
///   often than once a minute writes several), and readers add them up.
/// - `api_metrics(from)` lists the rows whose minute is at or after `from`, ordered by minute,
///   then route, method and host; the latency buckets come back as stored.
/// - `record_snapshot(s)` stores the snapshot of minute `s.at`, replacing one already stored
///   for that minute (every host's snapshot task may race for it; the last one wins).
/// - `snapshots(from)` lists the snapshots at or after `from`, oldest first.
/// - `prune_metrics(before)` deletes the request rows whose minute is before `before` and the
///   snapshots before it, and returns how many rows of both it deleted.
#[async_trait]
pub trait MetricsRepository: Send + Sync + Debug {
    /// Appends one flush of request metrics.
    async fn append_api_metrics(&self, rows: &[ApiMetrics]) -> Result<(), RepoError>;
    /// Request metrics from `from` on.
    async fn api_metrics(&self, from: DateTime<Utc>) -> Result<Vec<ApiMetrics>, RepoError>;
    /// Stores (or replaces) the snapshot of one minute.
    async fn record_snapshot(&self, snapshot: &SystemSnapshot) -> Result<(), RepoError>;
    /// Snapshots from `from` on, oldest first.
    async fn snapshots(&self, from: DateTime<Utc>) -> Result<Vec<SystemSnapshot>, RepoError>;
    /// Deletes request rows and snapshots older than `before`.
    async fn prune_metrics(&self, before: DateTime<Utc>) -> Result<u64, RepoError>;
}
