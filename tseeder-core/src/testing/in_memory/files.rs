//! [`InMemoryFileRepository`].

use std::collections::BTreeSet;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{State, handle, micros};
use crate::domain::{FileId, Infohash, JobId, JobStatus, NewStoredFile, StoredFile};
use crate::error::RepoError;
use crate::ports::FileRepository;

handle!(
    /// A [`FileRepository`] over an [`InMemoryDb`](crate::testing::InMemoryDb): the file rows
    /// that job deletes, usage and the maintenance repository see too.
    InMemoryFileRepository
);

/// Files in path order (byte order).
fn by_path<'a>(files: impl Iterator<Item = &'a StoredFile>) -> Vec<StoredFile> {
    let mut files: Vec<StoredFile> = files.cloned().collect();
    files.sort_by(|a, b| a.path.as_str().cmp(b.path.as_str()));
    files
}

impl State {
    /// The keys among `keys` that no file row names any more.
    fn unreferenced(&self, keys: BTreeSet<String>) -> Vec<String> {
        keys.into_iter().filter(|k| !self.files.iter().any(|f| &f.blob_key == k)).collect()
    }
}

#[async_trait]
impl FileRepository for InMemoryFileRepository {
    async fn add_file(&self, file: &NewStoredFile) -> Result<StoredFile, RepoError> {
        let mut state = self.state();
        if state.files.iter().any(|f| f.id == file.id) {
            return Err(RepoError::Conflict("files.id".into()));
        }
        if state.files.iter().any(|f| f.job_id == file.job_id && f.path == file.path) {
            return Err(RepoError::Conflict("files.job_id, files.path".into()));
        }
        let stored = StoredFile {
            id: file.id,
            job_id: file.job_id,
            path: file.path.clone(),
            size: file.size,
            blob_key: file.blob_key.clone(),
            mime_type: file.mime_type.clone(),
            created_at: micros(file.created_at),
        };
        state.files.push(stored.clone());
        Ok(stored)
    }

    async fn list_files(&self, job: JobId) -> Result<Vec<StoredFile>, RepoError> {
        Ok(by_path(self.state().files.iter().filter(|f| f.job_id == job)))
    }

    async fn get_file(&self, id: FileId) -> Result<StoredFile, RepoError> {
        self.state().files.iter().find(|f| f.id == id).cloned().ok_or(RepoError::NotFound)
    }

    async fn delete_file(&self, id: FileId) -> Result<Option<String>, RepoError> {
        let mut state = self.state();
        let index = state.files.iter().position(|f| f.id == id).ok_or(RepoError::NotFound)?;
        let removed = state.files.remove(index);
        Ok(state.unreferenced(BTreeSet::from([removed.blob_key])).pop())
    }

    async fn delete_job_files(&self, job: JobId) -> Result<Vec<String>, RepoError> {
        let mut state = self.state();
        let keys: BTreeSet<String> =
            state.files.iter().filter(|f| f.job_id == job).map(|f| f.blob_key.clone()).collect();
        state.files.retain(|f| f.job_id != job);
        Ok(state.unreferenced(keys))
    }

    async fn find_completed_source(
        &self,
        infohash: Infohash,
        since: Option<DateTime<Utc>>,
    ) -> Result<Option<Vec<StoredFile>>, RepoError> {
        let state = self.state();
        let since = since.map(micros);
        let source = state
            .jobs
            .iter()
            .filter(|j| j.infohash == infohash && j.status == JobStatus::Completed)
            .filter(|j| since.is_none_or(|since| j.completed_at.is_some_and(|at| at >= since)))
            .filter(|j| state.files.iter().any(|f| f.job_id == j.id))
            .max_by_key(|j| (j.completed_at, j.id));
        Ok(source.map(|job| by_path(state.files.iter().filter(|f| f.job_id == job.id))))
    }
}
