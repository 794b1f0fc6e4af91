//! The completed-files location: a local directory where finished jobs are placed as ordinary
//! files, for apps that import downloads from a path (Sonarr, Radarr and the like, through the
//! qBittorrent-compatible API's `content_path`).
//!
//! The layout is `<dir>/<user id>/<category>/<the job's files>` (no category: `<dir>/<user
//! id>/<files>`), so users never share a folder and a category is a folder, as in qBittorrent.
//! A job is placed when a client first asks about it after it completed: each file is hard-linked
//! out of a local object store, or copied out of any other store (S3), under a temporary name
//! and renamed into place, then a marker under `<dir>/.state/` records where. Until the marker
//! exists the job reads as [`Placement::Moving`]; a crash midway leaves no marker, so the next
//! question places the job again. Changing a placed job's category moves its files.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use futures::StreamExt as _;
use tokio::io::AsyncWriteExt as _;

use super::Ports;
use crate::domain::{Job, JobId, JobStatus, StoredFile, UserId};
use crate::error::ServiceError;

/// Where a job's files stand in the completed-files location.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// No completed-files location is configured.
    Off,
    /// The job has not completed: there is nothing to place yet.
    NotFinished,
    /// The files are being placed (or moved to their new category's folder).
    Moving,
    /// Every file is in place.
    Ready,
}

/// The completed-files location ([`crate::config::FileConfig::completed_dir`]).
#[derive(Debug, Clone)]
pub struct CompletedFiles {
    root: Option<Arc<PathBuf>>,
    ports: Ports,
    /// Jobs being placed by a task of this process.
    moving: Arc<Mutex<HashSet<JobId>>>,
}

/// The suffix of a file being placed.
const PART_SUFFIX: &str = ".tseeder-part";

impl CompletedFiles {
    /// The location at `dir` (empty: none), reading files through `ports`. A relative `dir` is
    /// taken from the working directory and kept absolute: the apps read the paths it gives
    /// from elsewhere.
    pub fn new(ports: Ports, dir: &str) -> Self {
        let root = (!dir.is_empty()).then(|| {
            let dir = PathBuf::from(dir);
            Arc::new(std::path::absolute(&dir).unwrap_or(dir))
        });
        Self { root, ports, moving: Arc::default() }
    }

    /// The location's directory, when there is one.
    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref().map(PathBuf::as_path)
    }

    /// The folder a user's jobs in `category` (checked by [`crate::domain::check_label`]) are
    /// placed in: qBittorrent's `save_path`.
    pub fn save_path(&self, user: UserId, category: Option<&str>) -> Option<PathBuf> {
        let mut path = self.root()?.join(user.to_string());
        if let Some(category) = category {
            path.extend(category.split('/'));
        }
        Some(path)
    }

    /// The path of the job's content under `save_path`: its top folder for a torrent with
    /// several files, its only file otherwise (qBittorrent's `content_path`). Before the files
    /// are known, the job's name stands for them.
    pub fn content_path(save_path: &Path, job: &Job, files: &[StoredFile]) -> PathBuf {
        match files {
            [] => save_path.join(job.name.replace('/', "_")),
            [only] => save_path.join(only.path.as_str()),
            [first, ..] => {
                let top = first.path.as_str().split('/').next().unwrap_or_default();
                let shared = files.iter().all(|f| f.path.as_str().split('/').next() == Some(top));
                if shared && first.path.as_str().contains('/') { save_path.join(top) } else { save_path.to_path_buf() }
            }
        }
    }

    fn marker(&self, job: JobId) -> Option<PathBuf> {
        Some(self.root()?.join(".state").join(job.to_string()))
    }

    /// Where the job was placed, as its marker records.
    async fn placed_at(&self, job: JobId) -> Option<PathBuf> {
        let marker = self.marker(job)?;
        tokio::fs::read_to_string(marker).await.ok().map(PathBuf::from)
    }

    /// Where `job` (in `category`) stands. A completed job that is not in place yet starts
    /// being placed in the background and reads as [`Placement::Moving`]; ask again later.
    ///
    /// # Errors
    /// Fails only when its files cannot be listed.
    pub async fn place(&self, job: &Job, category: Option<&str>) -> Result<Placement, ServiceError> {
        let Some(save_path) = self.save_path(job.user_id, category) else { return Ok(Placement::Off) };
        if job.status != JobStatus::Completed {
            return Ok(Placement::NotFinished);
        }
        if self.moving.lock().unwrap_or_else(PoisonError::into_inner).contains(&job.id) {
            return Ok(Placement::Moving);
        }
        let placed_at = self.placed_at(job.id).await;
        if placed_at.as_deref() == Some(save_path.as_path()) {
            return Ok(Placement::Ready);
        }
        let files = self.ports.files.list_files(job.id).await?;
        if !self.moving.lock().unwrap_or_else(PoisonError::into_inner).insert(job.id) {
            return Ok(Placement::Moving);
        }
        let this = self.clone();
        let id = job.id;
        tokio::spawn(async move {
            if let Err(e) = this.place_files(id, &files, placed_at.as_deref(), &save_path).await {
                tracing::warn!(job = %id, error = %e, "could not place a finished job's files; the next request tries again");
            }
            this.moving.lock().unwrap_or_else(PoisonError::into_inner).remove(&id);
        });
        Ok(Placement::Moving)
    }

    /// Puts every file under `save_path` (moving it from `from` when it was placed there
    /// before), then writes the marker.
    async fn place_files(
        &self,
        job: JobId,
        files: &[StoredFile],
        from: Option<&Path>,
        save_path: &Path,
    ) -> std::io::Result<()> {
        for file in files {
            let target = save_path.join(file.path.as_str());
            if let Some(parent) = target.parent() {
                tokio::fs::create_dir_all(parent).await?;
            }
            if let Some(from) = from {
                let old = from.join(file.path.as_str());
                if tokio::fs::rename(&old, &target).await.is_ok() {
                    continue;
                }
            }
            if tokio::fs::metadata(&target).await.is_ok_and(|m| m.is_file() && m.len() == file.size) {
                continue;
            }
            let mut part = target.clone().into_os_string();
            part.push(PART_SUFFIX);
            let part = PathBuf::from(part);
            let _ = tokio::fs::remove_file(&part).await;
            let linked = self.ports.store.link_out(&file.blob_key, &part).await.map_err(std::io::Error::other)?;
            if !linked {
                let mut out = tokio::fs::File::create(&part).await?;
                let mut body = self.ports.store.get(&file.blob_key, None).await.map_err(std::io::Error::other)?;
                while let Some(chunk) = body.next().await {
                    out.write_all(&chunk.map_err(std::io::Error::other)?).await?;
                }
                out.sync_all().await?;
            }
            tokio::fs::rename(&part, &target).await?;
        }
        if let Some(from) = from {
            prune_empty(from, files).await;
        }
        if let Some(marker) = self.marker(job) {
            if let Some(parent) = marker.parent() {
                tokio::fs::create_dir_all(parent).await?;
            }
            tokio::fs::write(&marker, save_path.to_string_lossy().as_bytes()).await?;
        }
        Ok(())
    }

    /// Removes the job's placed files (its content under the folder it was placed in), and
    /// folders they leave empty, then its marker. A job never placed has nothing to remove.
    ///
    /// # Errors
    /// Fails when its files cannot be listed or a placed file cannot be removed.
    pub async fn remove(&self, job: &Job) -> Result<(), ServiceError> {
        let Some(placed_at) = self.placed_at(job.id).await else { return Ok(()) };
        let files = self.ports.files.list_files(job.id).await?;
        for file in &files {
            match tokio::fs::remove_file(placed_at.join(file.path.as_str())).await {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(ServiceError::Internal(Box::new(e))),
            }
        }
        prune_empty(&placed_at, &files).await;
        if let Some(marker) = self.marker(job.id) {
            let _ = tokio::fs::remove_file(marker).await;
        }
        Ok(())
    }
}

impl CompletedFiles {
    /// Forgets where the job was placed and leaves its files where they are (a job deleted
    /// without its files: they now belong to whoever imported them).
    pub async fn forget(&self, job: JobId) {
        if let Some(marker) = self.marker(job) {
            let _ = tokio::fs::remove_file(marker).await;
        }
    }
}

/// Removes the folders under `dir` that held `files` and are now empty (deepest first); `dir`
/// itself stays.
async fn prune_empty(dir: &Path, files: &[StoredFile]) {
    let mut folders: Vec<PathBuf> = Vec::new();
    for file in files {
        let mut folder = Path::new(file.path.as_str()).parent();
        while let Some(f) = folder.filter(|f| !f.as_os_str().is_empty()) {
            let path = dir.join(f);
            if !folders.contains(&path) {
                folders.push(path);
            }
            folder = f.parent();
        }
    }
    folders.sort_by_key(|f| std::cmp::Reverse(f.components().count()));
    for folder in folders {
        // Fails (and is left) when not empty.
        let _ = tokio::fs::remove_dir(folder).await;
    }
}
