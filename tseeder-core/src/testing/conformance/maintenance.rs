//! The suite of the [`MaintenanceRepository`]: the sweeper's pages over file rows, its records and
//! snapshots, and the scheduler's task leases.

use super::{audit, message, new_job, new_user, secs, t0};
use crate::domain::{FileId, JobStatus, NewStoredFile, RelPath, blob_key};
use crate::ports::{
    AccountRepository, FileRepository, JobChange, JobRepository, MaintenanceRepository, StorageSnapshot, StorageTotals,
    SweepRecord, SweepTotals,
};

fn sweep(started_secs: i64, files_deleted: u64, bytes_deleted: u64) -> SweepRecord {
    SweepRecord {
        started_at: t0() + secs(started_secs),
        finished_at: t0() + secs(started_secs + 1),
        trigger: "schedule".into(),
        policy: "native".into(),
        files_deleted,
        bytes_deleted,
        blobs_deleted: files_deleted,
        orphan_blobs: 0,
        orphan_rows: 0,
        kept_on_error: 0,
        error: None,
    }
}

/// Runs every [`MaintenanceRepository`] behaviour test. The database must be freshly migrated:
/// the suite counts every file row.
pub async fn maintenance(
    accounts: &dyn AccountRepository,
    jobs: &dyn JobRepository,
    files: &dyn FileRepository,
    m: &dyn MaintenanceRepository,
) {
    // Nothing stored yet.
    assert_eq!(m.storage_totals().await.unwrap(), StorageTotals::default());
    assert!(m.retention_page(None, 10).await.unwrap().is_empty());
    assert!(m.blob_keys_page(None, 10).await.unwrap().is_empty());
    assert_eq!(m.latest_snapshot().await.unwrap(), None);
    assert!(m.recent_sweeps(10).await.unwrap().is_empty());
    assert_eq!(m.sweep_totals().await.unwrap(), SweepTotals::default());
    assert!(m.task_states().await.unwrap().is_empty());

    // Two jobs for one torrent share a blob; only the completed one has a completion time.
    let user = accounts.insert_user(&new_user("maintenance@example.com")).await.unwrap().id;
    let other = accounts.insert_user(&new_user("maintenance-2@example.com")).await.unwrap().id;
    let hash = "e".repeat(40);
    let done = jobs.create_job(&new_job(user, &hash), &message("q-m", None, 5, t0()), &audit("x")).await.unwrap();
    let running = jobs.create_job(&new_job(other, &hash), &message("q-m", None, 5, t0()), &audit("x")).await.unwrap();
    let mut complete = JobChange::unchecked(JobStatus::Queued, JobStatus::Completed, t0() + secs(5));
    complete.completed_at = Some(t0() + secs(5));
    jobs.update_job(done.id, &complete).await.unwrap();
    let mut rows = Vec::new();
    for (job, path, size) in [(done.id, "a.bin", 10), (done.id, "b.bin", 20), (running.id, "a.bin", 10)] {
        let path = RelPath::parse(path).unwrap();
        let file = NewStoredFile {
            id: FileId::new(),
            job_id: job,
            blob_key: blob_key(done.infohash, &path),
            path,
            size,
            mime_type: None,
            created_at: t0(),
        };
        files.add_file(&file).await.unwrap();
        rows.push(file);
    }
    assert_eq!(m.storage_totals().await.unwrap(), StorageTotals { files: 3, bytes: 40 }, "shared blobs count per row");

    // Rows come in id order (as text), a page at a time, with their owners.
    let mut by_id = rows.clone();
    by_id.sort_by_key(|f| f.id.to_string());
    let first = m.retention_page(None, 2).await.unwrap();
    let rest = m.retention_page(first.last().map(|r| r.file_id), 2).await.unwrap();
    let got: Vec<FileId> = first.iter().chain(&rest).map(|r| r.file_id).collect();
    assert_eq!(got, by_id.iter().map(|f| f.id).collect::<Vec<_>>());
    for row in first.iter().chain(&rest) {
        let (owner, completed) = if row.job_id == done.id { (user, Some(t0() + secs(5))) } else { (other, None) };
        assert_eq!((row.user_id, row.completed_at), (owner, completed), "{row:?}");
    }

    // Keys are distinct, in order; deleting a key's rows deletes every row naming it.
    let keys = m.blob_keys_page(None, 10).await.unwrap();
    assert_eq!(keys, [rows[0].blob_key.clone(), rows[1].blob_key.clone()]);
    assert_eq!(m.blob_keys_page(Some(&keys[0]), 10).await.unwrap(), [keys[1].clone()]);
    assert_eq!(m.blob_keys_page(None, 1).await.unwrap(), [keys[0].clone()]);
    assert_eq!(m.delete_rows_for_blob(&keys[0]).await.unwrap(), 2);
    assert_eq!(m.delete_rows_for_blob(&keys[0]).await.unwrap(), 0);
    assert_eq!(m.storage_totals().await.unwrap(), StorageTotals { files: 1, bytes: 20 });

    // Snapshots: the newest is the latest captured.
    for (at, files) in [(10, 1), (30, 3), (20, 2)] {
        let snapshot =
            StorageSnapshot { captured_at: t0() + secs(at), total_files: files, total_bytes: files, orphan_files: 0 };
        m.add_snapshot(&snapshot).await.unwrap();
    }
    assert_eq!(m.latest_snapshot().await.unwrap().map(|s| s.total_files), Some(3));

    // Sweeps: newest first, limited; totals over all of them.
    for (at, files, bytes) in [(100, 1, 10), (300, 3, 30), (200, 2, 20)] {
        m.record_sweep(&sweep(at, files, bytes)).await.unwrap();
    }
    let recent = m.recent_sweeps(2).await.unwrap();
    assert_eq!(recent, [sweep(300, 3, 30), sweep(200, 2, 20)]);
    assert_eq!(m.sweep_totals().await.unwrap(), SweepTotals { sweeps: 3, files_deleted: 6, bytes_deleted: 60 });

    // Task leases: one holder per slot while the lease lasts; a finished slot never runs again.
    let (slot, later) = (t0() + secs(1000), t0() + secs(2000));
    let (now, until) = (t0() + secs(1001), t0() + secs(1061));
    assert!(m.try_lease("sweep", slot, "a", now, until).await.unwrap(), "the first caller takes it");
    assert!(!m.try_lease("sweep", slot, "b", now + secs(1), until).await.unwrap(), "the lease holds");
    assert!(!m.try_lease("sweep", slot, "b", until, until + secs(60)).await.unwrap(), "up to its end");
    m.finish_task("sweep", slot, "b", now + secs(2), "ok: stolen").await.unwrap();
    let state = m.task_states().await.unwrap().pop().unwrap();
    assert_eq!((state.lease_owner.as_deref(), state.last_slot), (Some("a"), None), "only the holder finishes");
    assert!(m.try_lease("sweep", slot, "b", until + secs(1), until + secs(61)).await.unwrap(), "an expired lease");
    m.finish_task("sweep", slot, "b", until + secs(2), "ok: 1 file").await.unwrap();
    let state = m.task_states().await.unwrap().pop().unwrap();
    assert_eq!(state.name, "sweep");
    assert_eq!(state.last_slot, Some(slot));
    assert_eq!(state.last_started_at, Some(until + secs(1)));
    assert_eq!(state.last_finished_at, Some(until + secs(2)));
    assert_eq!(state.last_outcome.as_deref(), Some("ok: 1 file"));
    assert_eq!((state.lease_owner, state.lease_until), (None, None), "finishing frees the lease");
    assert!(!m.try_lease("sweep", slot, "c", until + secs(3), until + secs(60)).await.unwrap(), "slot done");
    assert!(!m.try_lease("sweep", slot - secs(1), "c", until + secs(3), until + secs(60)).await.unwrap());
    assert!(m.try_lease("sweep", later, "c", later, later + secs(60)).await.unwrap(), "the next slot");
    assert!(m.try_lease("another", slot, "c", now, until).await.unwrap(), "tasks are independent");
    let names: Vec<String> = m.task_states().await.unwrap().into_iter().map(|t| t.name).collect();
    assert_eq!(names, ["another", "sweep"], "by name");
}
