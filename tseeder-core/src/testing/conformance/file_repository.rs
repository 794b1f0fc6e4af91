//! The suite of the [`FileRepository`]: rows, conflicts, blobs shared between jobs, and finding a
//! completed job to share them with.

use std::collections::BTreeSet;

use super::{audit, message, new_job, new_user, secs, t0};
use crate::domain::file::guess_mime;
use crate::domain::{FileId, Infohash, JobId, JobStatus, NewStoredFile, RelPath, StoredFile, UserId, blob_key};
use crate::error::RepoError;
use crate::ports::{AccountRepository, FileRepository, JobChange, JobRepository};

fn new_file(job: JobId, infohash: Infohash, path: &str, size: u64) -> NewStoredFile {
    let path = RelPath::parse(path).unwrap();
    NewStoredFile {
        id: FileId::new(),
        job_id: job,
        blob_key: blob_key(infohash, &path),
        mime_type: guess_mime(&path).map(str::to_owned),
        path,
        size,
        created_at: t0(),
    }
}

fn stored(f: &NewStoredFile) -> StoredFile {
    StoredFile {
        id: f.id,
        job_id: f.job_id,
        path: f.path.clone(),
        size: f.size,
        blob_key: f.blob_key.clone(),
        mime_type: f.mime_type.clone(),
        created_at: f.created_at,
    }
}

fn ids(files: &[StoredFile]) -> Vec<FileId> {
    files.iter().map(|f| f.id).collect()
}

fn set(keys: Vec<String>) -> BTreeSet<String> {
    let n = keys.len();
    let set: BTreeSet<String> = keys.into_iter().collect();
    assert_eq!(set.len(), n, "keys are returned once each");
    set
}

/// Runs every [`FileRepository`] behaviour test: rows, conflicts, blob sharing between jobs
/// (a blob is orphaned only when its last row goes) and finding a completed job to share
/// with. Also checks that `NewJob::selected_files` and `NewJob::region_hint` round-trip. The database must be migrated;
/// the suite uses its own users and infohashes, so it may share it with other suites.
pub async fn file_repository(accounts: &dyn AccountRepository, jobs: &dyn JobRepository, files: &dyn FileRepository) {
    let hash = "c".repeat(40);
    let h: Infohash = hash.parse().unwrap();
    let mut users: Vec<UserId> = Vec::new();
    for name in ["files-a", "files-b", "files-c"] {
        users.push(accounts.insert_user(&new_user(&format!("{name}@example.com"))).await.unwrap().id);
    }
    let mut created = Vec::new();
    for (i, user) in users.iter().enumerate() {
        let mut job = new_job(*user, &hash);
        job.selected_files = (i == 1).then(|| vec![2, 0, 4_000_000_000]);
        job.region_hint = (i == 1).then(|| crate::domain::RegionCode::parse("us-east").unwrap());
        created.push(
            jobs.create_job(&job, &message("q-files", Some(job.id), 5, t0()), &audit("job.created")).await.unwrap(),
        );
    }
    let (a, b, c) = (created[0].id, created[1].id, created[2].id);
    assert_eq!(jobs.get_job(a).await.unwrap().selected_files, None, "no selection");
    assert_eq!(jobs.get_job(b).await.unwrap().selected_files, Some(vec![2, 0, 4_000_000_000]), "a selection");
    assert_eq!(jobs.get_job(a).await.unwrap().region_hint, None, "no region hint");
    assert_eq!(jobs.get_job(b).await.unwrap().region_hint.as_ref().map(|r| r.as_str()), Some("us-east"), "a hint");

    // Rows round-trip and are listed by path (byte order: upper case first).
    let mut a_e2 = new_file(a, h, "show/e2.mkv", 5_000_000_000);
    a_e2.created_at = t0() + secs(1);
    let a_e1 = new_file(a, h, "show/e1.mkv", 10);
    let mut a_txt = new_file(a, h, "show/B.txt", 0);
    a_txt.mime_type = None;
    for f in [&a_e2, &a_e1, &a_txt] {
        assert_eq!(files.add_file(f).await.unwrap(), stored(f));
    }
    let dup = NewStoredFile { id: FileId::new(), ..a_e1.clone() };
    assert!(matches!(files.add_file(&dup).await, Err(RepoError::Conflict(_))), "same path twice in a job");
    let listed = files.list_files(a).await.unwrap();
    assert_eq!(listed, vec![stored(&a_txt), stored(&a_e1), stored(&a_e2)]);
    assert_eq!(files.get_file(a_e2.id).await.unwrap(), stored(&a_e2));
    assert!(matches!(files.get_file(FileId::new()).await, Err(RepoError::NotFound)));
    assert!(files.list_files(JobId::new()).await.unwrap().is_empty());

    // B shares A's blob for e1; C (which will fail) has a blob of its own.
    let b_e1 = new_file(b, h, "show/e1.mkv", 10);
    assert_eq!(b_e1.blob_key, a_e1.blob_key);
    files.add_file(&b_e1).await.unwrap();
    let c_other = new_file(c, h, "other.bin", 1);
    files.add_file(&c_other).await.unwrap();

    // Only completed jobs completed at or after `since` are sources, the latest first.
    assert!(files.find_completed_source(h, Some(t0())).await.unwrap().is_none(), "nothing completed yet");
    assert!(files.find_completed_source(h, None).await.unwrap().is_none(), "nothing completed yet, ever");
    let finish = |id: JobId, status: JobStatus, at_secs: i64| async move {
        let mut change = JobChange::unchecked(JobStatus::Queued, status, t0() + secs(at_secs));
        change.completed_at = Some(t0() + secs(at_secs));
        jobs.update_job(id, &change).await.unwrap();
    };
    finish(a, JobStatus::Completed, 10).await;
    let source = |since_secs: i64| async move {
        files.find_completed_source(h, Some(t0() + secs(since_secs))).await.unwrap().map(|f| ids(&f))
    };
    assert_eq!(source(0).await, Some(ids(&listed)), "A's files, by path");
    assert_eq!(source(10).await, Some(ids(&listed)), "`since` is inclusive");
    assert_eq!(source(11).await, None, "completed before `since`");
    let any_time = files.find_completed_source(h, None).await.unwrap().map(|f| ids(&f));
    assert_eq!(any_time, Some(ids(&listed)), "no cutoff: completed at any time");
    let other: Infohash = "d".repeat(40).parse().unwrap();
    assert!(files.find_completed_source(other, Some(t0())).await.unwrap().is_none(), "another torrent");
    assert!(files.find_completed_source(other, None).await.unwrap().is_none(), "another torrent, no cutoff");
    finish(c, JobStatus::Failed, 20).await;
    assert_eq!(source(0).await, Some(ids(&listed)), "a failed job is no source");
    finish(b, JobStatus::Completed, 30).await;
    assert_eq!(source(0).await, Some(vec![b_e1.id]), "the most recently completed job");

    // A blob is orphaned only when its last row goes.
    assert_eq!(files.delete_job_files(b).await.unwrap(), Vec::<String>::new(), "A still uses e1's blob");
    assert!(files.list_files(b).await.unwrap().is_empty());
    assert_eq!(source(0).await, Some(ids(&listed)), "B has no files left: A is the source again");
    let b_again = new_file(b, h, "show/e1.mkv", 10);
    files.add_file(&b_again).await.unwrap();
    assert_eq!(files.delete_file(b_again.id).await.unwrap(), None, "A still uses e1's blob");
    assert_eq!(files.delete_file(a_e2.id).await.unwrap(), Some(a_e2.blob_key.clone()), "the only user");
    assert!(matches!(files.delete_file(a_e2.id).await, Err(RepoError::NotFound)), "already deleted");
    assert_eq!(
        set(files.delete_job_files(a).await.unwrap()),
        BTreeSet::from([a_e1.blob_key.clone(), a_txt.blob_key.clone()]),
        "the last users of their blobs"
    );
    assert!(files.list_files(a).await.unwrap().is_empty());
    assert_eq!(source(0).await, None, "no completed job has files left");
    assert!(files.delete_job_files(a).await.unwrap().is_empty(), "nothing left to delete");
    assert!(files.delete_job_files(JobId::new()).await.unwrap().is_empty(), "unknown job");
    assert_eq!(files.delete_job_files(c).await.unwrap(), vec![c_other.blob_key.clone()]);
}
