//! [`InMemoryLabelRepository`].

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{State, handle};
use crate::domain::{JobId, JobLabels, LabelKind, UserId};
use crate::error::RepoError;
use crate::ports::LabelRepository;

handle!(
    /// A [`LabelRepository`] over an [`InMemoryDb`](crate::testing::InMemoryDb). The labels live
    /// with the jobs, so deleting a job through
    /// [`InMemoryJobRepository`](crate::testing::InMemoryJobRepository) removes them and its job
    /// lists filter by them. Like the databases, a job must exist to get labels.
    InMemoryLabelRepository
);

impl State {
    /// [`RepoError::NotFound`] unless the job exists.
    fn check_job(&self, id: JobId) -> Result<(), RepoError> {
        if self.jobs.iter().any(|j| j.id == id) { Ok(()) } else { Err(RepoError::NotFound) }
    }
}

#[async_trait]
impl LabelRepository for InMemoryLabelRepository {
    async fn create_label(
        &self,
        user: UserId,
        kind: LabelKind,
        name: &str,
        _now: DateTime<Utc>,
    ) -> Result<bool, RepoError> {
        Ok(self.state().labels.insert((user, kind, name.to_owned())))
    }

    async fn list_labels(&self, user: UserId, kind: LabelKind) -> Result<Vec<String>, RepoError> {
        // The set is ordered by user, kind, then name: one user's names of a kind come sorted.
        let state = self.state();
        Ok(state.labels.iter().filter(|(u, k, _)| *u == user && *k == kind).map(|(_, _, name)| name.clone()).collect())
    }

    async fn delete_labels(&self, user: UserId, kind: LabelKind, names: &[String]) -> Result<(), RepoError> {
        let mut state = self.state();
        state.labels.retain(|(u, k, name)| !(*u == user && *k == kind && names.contains(name)));
        state.job_labels.retain(|(_, u, k, name)| !(*u == user && *k == kind && names.contains(name)));
        Ok(())
    }

    async fn set_job_category(
        &self,
        user: UserId,
        job: JobId,
        category: Option<&str>,
        _now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        let mut state = self.state();
        // Check everything first: a refused call changes nothing.
        if let Some(name) = category
            && !state.labels.contains(&(user, LabelKind::Category, name.to_owned()))
        {
            return Err(RepoError::NotFound);
        }
        state.check_job(job)?;
        state.job_labels.retain(|(j, u, k, _)| !(*j == job && *u == user && *k == LabelKind::Category));
        if let Some(name) = category {
            state.job_labels.insert((job, user, LabelKind::Category, name.to_owned()));
        }
        Ok(())
    }

    async fn add_job_tags(
        &self,
        user: UserId,
        job: JobId,
        tags: &[String],
        _now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        if tags.is_empty() {
            return Ok(());
        }
        let mut state = self.state();
        state.check_job(job)?;
        for tag in tags {
            state.labels.insert((user, LabelKind::Tag, tag.clone()));
            state.job_labels.insert((job, user, LabelKind::Tag, tag.clone()));
        }
        Ok(())
    }

    async fn remove_job_tags(&self, user: UserId, job: JobId, tags: &[String]) -> Result<(), RepoError> {
        let mut state = self.state();
        state.job_labels.retain(|(j, u, k, name)| {
            !(*j == job && *u == user && *k == LabelKind::Tag && (tags.is_empty() || tags.contains(name)))
        });
        Ok(())
    }

    async fn job_labels(&self, user: UserId, jobs: &[JobId]) -> Result<HashMap<JobId, JobLabels>, RepoError> {
        let state = self.state();
        let mut found: HashMap<JobId, JobLabels> = HashMap::new();
        // Ordered by job, user, kind, then name: each job's tags arrive sorted.
        for (job, _, kind, name) in state.job_labels.iter().filter(|(j, u, _, _)| *u == user && jobs.contains(j)) {
            let entry = found.entry(*job).or_default();
            match kind {
                LabelKind::Category => entry.category = Some(name.clone()),
                LabelKind::Tag => entry.tags.push(name.clone()),
            }
        }
        Ok(found)
    }
}
