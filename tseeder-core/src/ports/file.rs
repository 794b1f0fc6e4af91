//! Files rows: which blobs make up a job.

use std::fmt::Debug;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::{FileId, Infohash, JobId, NewStoredFile, StoredFile};
use crate::error::RepoError;

/// Persistent store of a job's files.
///
/// # Contract
/// - `add_file` inserts a row; the same path twice in one job is a `Conflict`.
/// - `list_files` orders by path.
/// - `delete_file` and `delete_job_files` remove rows and return the blob keys that no remaining
///   row references any more (the caller deletes those objects from the store).
/// - `find_completed_source` returns the files of the most recently completed job for
///   `infohash` (any user) completed at or after `since` (at any time for `None`), provided
///   that job still has files, so a new job can share its blobs.
#[async_trait]
pub trait FileRepository: Send + Sync + Debug {
    /// Records a stored file.
    async fn add_file(&self, file: &NewStoredFile) -> Result<StoredFile, RepoError>;
    /// A job's files.
    async fn list_files(&self, job: JobId) -> Result<Vec<StoredFile>, RepoError>;
    /// One file.
    async fn get_file(&self, id: FileId) -> Result<StoredFile, RepoError>;
    /// Deletes one file row; returns its blob key if no other row uses it.
    async fn delete_file(&self, id: FileId) -> Result<Option<String>, RepoError>;
    /// Deletes every file row of a job; returns the blob keys no other row uses.
    async fn delete_job_files(&self, job: JobId) -> Result<Vec<String>, RepoError>;
    /// Files of a completed job for `infohash` to share blobs with; `since: None` sets no
    /// cutoff on when it completed.
    async fn find_completed_source(
        &self,
        infohash: Infohash,
        since: Option<DateTime<Utc>>,
    ) -> Result<Option<Vec<StoredFile>>, RepoError>;
}
