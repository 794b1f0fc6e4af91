//! [`InMemoryWorkerRegistry`]: the worker registry as a fake, for tests of the services and the
//! HTTP layer.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;
use chrono::{DateTime, SubsecRound, Utc};

use crate::domain::{Heartbeat, HeartbeatRecord, Worker, WorkerStatus};
use crate::error::RepoError;
use crate::ports::WorkerRegistry;

/// A [`WorkerRegistry`] in memory. It passes the same conformance suite as the database adapter
/// (timestamps are truncated to microseconds like theirs).
#[derive(Debug, Default)]
pub struct InMemoryWorkerRegistry {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    workers: BTreeMap<String, Worker>,
    /// Oldest first.
    history: Vec<HeartbeatRecord>,
}

impl InMemoryWorkerRegistry {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[async_trait]
impl WorkerRegistry for InMemoryWorkerRegistry {
    async fn record_heartbeat(&self, hb: &Heartbeat, now: DateTime<Utc>) -> Result<Worker, RepoError> {
        let now = now.trunc_subsecs(6);
        let mut state = self.state();
        let (status, registered_at) = match state.workers.get(&hb.worker_id) {
            Some(w) => (w.status.after_heartbeat(), w.registered_at),
            None => (WorkerStatus::Healthy, now),
        };
        let worker = Worker {
            id: hb.worker_id.clone(),
            region: hb.region.clone(),
            base_url: hb.base_url.clone(),
            version: hb.version.clone(),
            status,
            active_jobs: hb.active_jobs,
            max_jobs: hb.max_jobs,
            disk_free_bytes: hb.disk_free_bytes,
            disk_total_bytes: hb.disk_total_bytes,
            cpu_pct: hb.cpu_pct,
            bandwidth_bps: hb.bandwidth_bps,
            last_heartbeat_at: now,
            registered_at,
        };
        state.history.push(HeartbeatRecord {
            worker_id: hb.worker_id.clone(),
            status,
            active_jobs: hb.active_jobs,
            max_jobs: hb.max_jobs,
            disk_free_bytes: hb.disk_free_bytes,
            disk_total_bytes: hb.disk_total_bytes,
            cpu_pct: hb.cpu_pct,
            bandwidth_bps: hb.bandwidth_bps,
            received_at: now,
        });
        state.workers.insert(worker.id.clone(), worker.clone());
        Ok(worker)
    }

    async fn list_workers(&self) -> Result<Vec<Worker>, RepoError> {
        Ok(self.state().workers.values().cloned().collect())
    }

    async fn get_worker(&self, id: &str) -> Result<Worker, RepoError> {
        self.state().workers.get(id).cloned().ok_or(RepoError::NotFound)
    }

    async fn set_status(&self, id: &str, status: WorkerStatus) -> Result<Worker, RepoError> {
        let mut state = self.state();
        let worker = state.workers.get_mut(id).ok_or(RepoError::NotFound)?;
        worker.status = status;
        Ok(worker.clone())
    }

    async fn heartbeat_history(&self, id: &str, limit: u64) -> Result<Vec<HeartbeatRecord>, RepoError> {
        let state = self.state();
        let mut rows: Vec<HeartbeatRecord> = state.history.iter().filter(|r| r.worker_id == id).cloned().collect();
        // Newest first; pushes are in arrival order, so a stable sort keeps later arrivals first
        // among equal times once reversed.
        rows.reverse();
        rows.sort_by_key(|r| std::cmp::Reverse(r.received_at));
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        Ok(rows)
    }

    async fn mark_offline(&self, stale_before: DateTime<Utc>) -> Result<Vec<String>, RepoError> {
        let mut state = self.state();
        let mut marked = Vec::new();
        for worker in state.workers.values_mut() {
            if worker.status == WorkerStatus::Healthy && worker.last_heartbeat_at < stale_before {
                worker.status = WorkerStatus::Offline;
                marked.push(worker.id.clone());
            }
        }
        Ok(marked)
    }

    async fn prune_history(&self, before: DateTime<Utc>) -> Result<u64, RepoError> {
        let mut state = self.state();
        let len = state.history.len();
        state.history.retain(|r| r.received_at >= before);
        Ok((len - state.history.len()) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn in_memory_worker_registry_passes_the_conformance_suite() {
        crate::testing::conformance::worker_registry(&InMemoryWorkerRegistry::default()).await;
    }
}
