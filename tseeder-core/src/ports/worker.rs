//! The registry of remote compute agents: their latest heartbeat, status and history.

use std::fmt::Debug;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::{Heartbeat, HeartbeatRecord, Worker, WorkerStatus};
use crate::error::RepoError;

/// Persistent registry of workers (remote compute agents).
///
/// # Contract
/// - `record_heartbeat` upserts the worker's latest state and appends a history row, in one
///   transaction: both are written or neither. A first heartbeat registers the worker as
///   `healthy` with `registered_at = last_heartbeat_at = now`. A later one replaces every
///   reported field (region, base URL, version, load figures), sets `last_heartbeat_at = now`,
///   keeps `registered_at`, and never changes an operator-set status (`cordoned`,
///   `draining`); an `offline` worker becomes `healthy`. It returns the worker as stored, and the
///   history row carries the status after the heartbeat. Concurrent first heartbeats of one
///   worker all succeed (one registers it, the others update it). Heartbeats are not validated
///   here: callers run [`Heartbeat::validate`] first.
/// - `list_workers` returns every worker, ordered by id.
/// - `get_worker` and `set_status` fail with [`RepoError::NotFound`] for unknown ids.
///   `set_status` changes only the status (it never touches `last_heartbeat_at`, so cordoning a
///   dead agent does not make it look alive) and returns the updated worker.
/// - `heartbeat_history` returns at most `limit` rows of the worker, newest first (ties at the
///   same instant in unspecified order); an unknown worker has an empty history. History is kept
///   by worker id and is independent of the `workers` row.
/// - `mark_offline` sets `offline` on every `healthy` worker whose last heartbeat is strictly
///   before `stale_before`, as one conditional update (a heartbeat that lands meanwhile wins),
///   and returns their ids in id order. Operator-set statuses are left alone.
/// - `prune_history` deletes history rows received strictly before `before` and returns how
///   many it deleted.
/// - Timestamps are kept to the microsecond.
#[async_trait]
pub trait WorkerRegistry: Send + Sync + Debug {
    /// Records a heartbeat received at `now`.
    async fn record_heartbeat(&self, heartbeat: &Heartbeat, now: DateTime<Utc>) -> Result<Worker, RepoError>;
    /// Every worker, by id.
    async fn list_workers(&self) -> Result<Vec<Worker>, RepoError>;
    /// One worker.
    async fn get_worker(&self, id: &str) -> Result<Worker, RepoError>;
    /// Sets a worker's status (cordon, drain, uncordon, offline).
    async fn set_status(&self, id: &str, status: WorkerStatus) -> Result<Worker, RepoError>;
    /// A worker's most recent heartbeats, newest first.
    async fn heartbeat_history(&self, id: &str, limit: u64) -> Result<Vec<HeartbeatRecord>, RepoError>;
    /// Marks healthy workers whose last heartbeat is before `stale_before` offline.
    async fn mark_offline(&self, stale_before: DateTime<Utc>) -> Result<Vec<String>, RepoError>;
    /// Deletes history received before `before`.
    async fn prune_history(&self, before: DateTime<Utc>) -> Result<u64, RepoError>;
}
