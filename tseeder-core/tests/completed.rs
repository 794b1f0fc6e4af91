//! The completed-files location: a finished job's files placed under the user's folder, moved
//! with its category, removed with it, and placed again after an interrupted attempt.

#![allow(clippy::unwrap_used, reason = "tests: a panic is a test failure")]

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tseeder_core::domain::{
    FileId, Job, JobId, JobSource, JobStatus, MagnetLink, NewJob, NewStoredFile, OrgId, RelPath, Role, StoredFile,
    blob_key,
};
use tseeder_core::services::{CompletedFiles, CoreConfig, Placement, Tseeder};
use tseeder_core::testing::{InMemoryDb, ManualClock};

struct World {
    core: Tseeder,
    db: InMemoryDb,
    dir: tempfile::TempDir,
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let db = InMemoryDb::new();
    let mut config = CoreConfig::default();
    config.files.completed_dir = dir.path().join("completed").display().to_string();
    let core = Tseeder::new(db.ports(Arc::new(ManualClock::new(Utc::now()))), config);
    World { core, db, dir }
}

impl World {
    /// A job of a new user in `status`, with these files stored.
    async fn job(&self, status: JobStatus, files: &[(&str, &[u8])]) -> (Job, Vec<StoredFile>) {
        let email = format!("{}@example.com", JobId::new());
        let user = self.core.accounts.create_user(&email, "a long password 1", Role::User).await.unwrap();
        let magnet = MagnetLink::parse(&format!("magnet:?xt=urn:btih:{}", "cd".repeat(20))).unwrap();
        let mut job = NewJob {
            id: JobId::new(),
            user_id: user.id,
            org_id: OrgId(user.id.0),
            name: "Show.S01".into(),
            infohash: magnet.infohash(),
            source: JobSource::Magnet(magnet),
            idempotency_key: None,
            selected_files: None,
            region_hint: None,
            total_bytes: Some(files.iter().map(|(_, b)| b.len() as u64).sum()),
            created_at: Utc::now(),
        }
        .into_job();
        job.status = status;
        self.db.insert_job(job.clone());
        let mut stored = Vec::new();
        for (path, bytes) in files {
            let path = RelPath::parse(path).unwrap();
            let key = blob_key(job.infohash, &path);
            self.core.ports.store.put(&key, Box::new(std::io::Cursor::new(bytes.to_vec()))).await.unwrap();
            let file = NewStoredFile {
                id: FileId::new(),
                job_id: job.id,
                path,
                size: bytes.len() as u64,
                blob_key: key,
                mime_type: None,
                created_at: Utc::now(),
            };
            stored.push(self.core.ports.files.add_file(&file).await.unwrap());
        }
        (job, stored)
    }

    /// Asks until the job is placed; returns what the first answer was.
    async fn placed(&self, job: &Job, category: Option<&str>) -> Placement {
        let first = self.core.completed.place(job, category).await.unwrap();
        for _ in 0..200 {
            match self.core.completed.place(job, category).await.unwrap() {
                Placement::Moving => tokio::time::sleep(Duration::from_millis(10)).await,
                Placement::Ready => return first,
                other => panic!("{other:?} while placing"),
            }
        }
        panic!("the job was not placed in 2 s");
    }
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[tokio::test]
async fn a_finished_job_is_placed_in_its_users_category_folder() {
    let w = world().await;
    let (job, files) =
        w.job(JobStatus::Completed, &[("Show.S01/e01.mkv", b"first"), ("Show.S01/sub/e02.mkv", b"second")]).await;
    let save_path = w.core.completed.save_path(job.user_id, Some("tv/hd")).unwrap();
    assert_eq!(save_path, w.dir.path().join("completed").join(job.user_id.to_string()).join("tv").join("hd"));
    assert_eq!(CompletedFiles::content_path(&save_path, &job, &files), save_path.join("Show.S01"));

    assert_eq!(w.placed(&job, Some("tv/hd")).await, Placement::Moving, "placing starts at the first question");
    assert_eq!(read(&save_path.join("Show.S01/e01.mkv")), b"first");
    assert_eq!(read(&save_path.join("Show.S01/sub/e02.mkv")), b"second");

    // Another category: the files move, and the old folders go.
    assert_eq!(w.placed(&job, None).await, Placement::Moving);
    let root = w.core.completed.save_path(job.user_id, None).unwrap();
    assert_eq!(read(&root.join("Show.S01/sub/e02.mkv")), b"second");
    assert!(!save_path.join("Show.S01").exists(), "the old content is gone");

    // Removing takes the content and its folders, and leaves the user's folder.
    w.core.completed.remove(&job).await.unwrap();
    assert!(!root.join("Show.S01").exists());
    assert!(root.exists());
    // Forgotten: asked again, it is placed again.
    assert_eq!(w.placed(&job, None).await, Placement::Moving);
    assert!(root.join("Show.S01/e01.mkv").exists());
}

#[tokio::test]
async fn an_interrupted_placement_is_redone_and_single_files_are_their_content() {
    let w = world().await;
    let (job, files) = w.job(JobStatus::Completed, &[("film.mkv", b"the whole film")]).await;
    let save_path = w.core.completed.save_path(job.user_id, None).unwrap();
    assert_eq!(CompletedFiles::content_path(&save_path, &job, &files), save_path.join("film.mkv"));
    // What a crash leaves: half a file under its temporary name, and a short file in place.
    std::fs::create_dir_all(&save_path).unwrap();
    std::fs::write(save_path.join("film.mkv.tseeder-part"), b"the wh").unwrap();
    std::fs::write(save_path.join("film.mkv"), b"the wh").unwrap();
    w.placed(&job, None).await;
    assert_eq!(read(&save_path.join("film.mkv")), b"the whole film");
    assert!(!save_path.join("film.mkv.tseeder-part").exists());
}

#[tokio::test]
async fn unfinished_jobs_and_servers_without_a_location_place_nothing() {
    let w = world().await;
    let (job, _) = w.job(JobStatus::Downloading, &[]).await;
    assert_eq!(w.core.completed.place(&job, None).await.unwrap(), Placement::NotFinished);
    assert!(!w.dir.path().join("completed").join(job.user_id.to_string()).exists());

    let off = CompletedFiles::new(w.core.ports.clone(), "");
    let (done, _) = w.job(JobStatus::Completed, &[("a", b"a")]).await;
    assert_eq!(off.place(&done, None).await.unwrap(), Placement::Off);
    assert_eq!(off.save_path(done.user_id, None), None);
    off.remove(&done).await.unwrap();
}
