//! Categories and tags: each user's catalogue of them, and which of their jobs carry which.

use std::collections::HashMap;
use std::fmt::Debug;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::{JobId, JobLabels, LabelKind, UserId};
use crate::error::RepoError;

/// Persistent categories and tags, per user ([`crate::domain::label`]).
///
/// Names reach the repository already checked ([`crate::domain::check_label`]); it compares them
/// exactly (case-sensitive). Every method is scoped by `user`: one user's labels never name,
/// list or touch another's, even on a job both can see.
///
/// # Contract
/// - `create_label(user, kind, name, now)` adds `name` to the user's catalogue of `kind` and
///   returns `true`; it returns `false` and changes nothing when the name is already there.
/// - `list_labels(user, kind)` returns the catalogue, sorted by name.
/// - `delete_labels(user, kind, names)` removes those names from the catalogue and from every job
///   of the user's that carries them; unknown names are ignored.
/// - `set_job_category(user, job, category, now)` replaces the job's category (`None` clears it).
///   A job has at most one category at any time, concurrent callers included. A category not in
///   the catalogue fails with [`RepoError::NotFound`] and changes nothing.
/// - `add_job_tags(user, job, tags, now)` adds the tags to the job, adding any missing ones to
///   the catalogue first; tags the job already has are kept once.
/// - `remove_job_tags(user, job, tags)` removes those tags from the job (the catalogue keeps
///   them); an empty list removes every tag of the job's.
/// - `job_labels(user, jobs)` returns the labels of each listed job that has any (a job with none
///   is absent from the map); tags sorted.
/// - Deleting a job (`JobRepository::delete_job`) removes its labels.
#[async_trait]
pub trait LabelRepository: Send + Sync + Debug {
    /// Adds a name to the user's catalogue; `false` when it was there already.
    async fn create_label(
        &self,
        user: UserId,
        kind: LabelKind,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, RepoError>;
    /// The user's names of `kind`, sorted.
    async fn list_labels(&self, user: UserId, kind: LabelKind) -> Result<Vec<String>, RepoError>;
    /// Removes names from the catalogue and from the user's jobs.
    async fn delete_labels(&self, user: UserId, kind: LabelKind, names: &[String]) -> Result<(), RepoError>;
    /// Replaces (or clears) a job's category.
    async fn set_job_category(
        &self,
        user: UserId,
        job: JobId,
        category: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError>;
    /// Adds tags to a job (and to the catalogue).
    async fn add_job_tags(
        &self,
        user: UserId,
        job: JobId,
        tags: &[String],
        now: DateTime<Utc>,
    ) -> Result<(), RepoError>;
    /// Removes tags from a job (every tag when `tags` is empty).
    async fn remove_job_tags(&self, user: UserId, job: JobId, tags: &[String]) -> Result<(), RepoError>;
    /// The labels of these jobs that have any.
    async fn job_labels(&self, user: UserId, jobs: &[JobId]) -> Result<HashMap<JobId, JobLabels>, RepoError>;
}
