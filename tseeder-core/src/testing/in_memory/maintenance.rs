//! [`InMemoryMaintenanceRepository`].

use std::collections::BTreeSet;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{handle, limit, micros};
use crate::domain::{FileId, JobStatus};
use crate::error::RepoError;
use crate::ports::{
    MaintenanceRepository, RetentionRow, StorageSnapshot, StorageTotals, SweepRecord, SweepTotals, TaskState,
};

handle!(
    /// A [`MaintenanceRepository`] over an [`InMemoryDb`](crate::testing::InMemoryDb): it reads
    /// the file rows and jobs of the other handles, and keeps sweeps, snapshots and task leases.
    InMemoryMaintenanceRepository
);

#[async_trait]
impl MaintenanceRepository for InMemoryMaintenanceRepository {
    async fn retention_page(&self, after: Option<FileId>, max: u64) -> Result<Vec<RetentionRow>, RepoError> {
        let state = self.state();
        // Ids are ordered as the databases order them: by their text.
        let after = after.map(|id| id.to_string());
        let mut rows: Vec<(String, RetentionRow)> = state
            .files
            .iter()
            .filter_map(|f| {
                let id = f.id.to_string();
                if after.as_ref().is_some_and(|after| &id <= after) {
                    return None;
                }
                let job = state.jobs.iter().find(|j| j.id == f.job_id)?;
                let completed_at = if job.status == JobStatus::Completed { job.completed_at } else { None };
                let row = RetentionRow {
                    file_id: f.id,
                    job_id: f.job_id,
                    user_id: job.user_id,
                    org_id: job.org_id,
                    size: f.size,
                    completed_at,
                };
                Some((id, row))
            })
            .collect();
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(rows.into_iter().take(limit(max)).map(|(_, row)| row).collect())
    }

    async fn blob_keys_page(&self, after: Option<&str>, max: u64) -> Result<Vec<String>, RepoError> {
        let state = self.state();
        let keys: BTreeSet<&str> =
            state.files.iter().map(|f| f.blob_key.as_str()).filter(|k| after.is_none_or(|a| *k > a)).collect();
        Ok(keys.into_iter().take(limit(max)).map(str::to_owned).collect())
    }

    async fn delete_rows_for_blob(&self, key: &str) -> Result<u64, RepoError> {
        let mut state = self.state();
        let before = state.files.len();
        state.files.retain(|f| f.blob_key != key);
        Ok((before - state.files.len()) as u64)
    }

    async fn storage_totals(&self) -> Result<StorageTotals, RepoError> {
        let state = self.state();
        let bytes = state.files.iter().fold(0u64, |sum, f| sum.saturating_add(f.size));
        Ok(StorageTotals { files: state.files.len() as u64, bytes })
    }

    async fn add_snapshot(&self, snapshot: &StorageSnapshot) -> Result<(), RepoError> {
        let snapshot = StorageSnapshot { captured_at: micros(snapshot.captured_at), ..snapshot.clone() };
        self.state().snapshots.push(snapshot);
        Ok(())
    }

    async fn latest_snapshot(&self) -> Result<Option<StorageSnapshot>, RepoError> {
        let state = self.state();
        // The latest capture; among equal times, the later snapshot.
        Ok(state.snapshots.iter().max_by_key(|s| s.captured_at).cloned())
    }

    async fn record_sweep(&self, sweep: &SweepRecord) -> Result<(), RepoError> {
        let sweep = SweepRecord {
            started_at: micros(sweep.started_at),
            finished_at: micros(sweep.finished_at),
            ..sweep.clone()
        };
        self.state().sweeps.push(sweep);
        Ok(())
    }

    async fn recent_sweeps(&self, max: u64) -> Result<Vec<SweepRecord>, RepoError> {
        let state = self.state();
        let mut sweeps: Vec<SweepRecord> = state.sweeps.iter().rev().cloned().collect();
        sweeps.sort_by_key(|s| std::cmp::Reverse(s.started_at));
        sweeps.truncate(limit(max));
        Ok(sweeps)
    }

    async fn sweep_totals(&self) -> Result<SweepTotals, RepoError> {
        let state = self.state();
        Ok(state.sweeps.iter().fold(SweepTotals::default(), |totals, s| SweepTotals {
            sweeps: totals.sweeps + 1,
            files_deleted: totals.files_deleted.saturating_add(s.files_deleted),
            bytes_deleted: totals.bytes_deleted.saturating_add(s.bytes_deleted),
        }))
    }

    async fn try_lease(
        &self,
        task: &str,
        slot: DateTime<Utc>,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool, RepoError> {
        let (slot, now, until) = (micros(slot), micros(now), micros(until));
        let mut state = self.state();
        let row = state.tasks.entry(task.to_owned()).or_insert_with(|| TaskState {
            name: task.to_owned(),
            last_slot: None,
            last_started_at: None,
            last_finished_at: None,
            last_outcome: None,
            lease_owner: None,
            lease_until: None,
        });
        let slot_open = row.last_slot.is_none_or(|last| last < slot);
        let lease_free = row.lease_until.is_none_or(|until| until < now);
        if !(slot_open && lease_free) {
            return Ok(false);
        }
        row.lease_owner = Some(owner.to_owned());
        row.lease_until = Some(until);
        row.last_started_at = Some(now);
        Ok(true)
    }

    async fn finish_task(
        &self,
        task: &str,
        slot: DateTime<Utc>,
        owner: &str,
        finished_at: DateTime<Utc>,
        outcome: &str,
    ) -> Result<(), RepoError> {
        let mut state = self.state();
        if let Some(row) = state.tasks.get_mut(task).filter(|row| row.lease_owner.as_deref() == Some(owner)) {
            row.last_slot = Some(micros(slot));
            row.lease_owner = None;
            row.lease_until = None;
            row.last_finished_at = Some(micros(finished_at));
            row.last_outcome = Some(outcome.to_owned());
        }
        Ok(())
    }

    async fn task_states(&self) -> Result<Vec<TaskState>, RepoError> {
        Ok(self.state().tasks.values().cloned().collect())
    }
}
