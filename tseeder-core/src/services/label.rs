//! Categories and tags on jobs ([`crate::domain::label`]): each user's own, on the jobs they may
//! change.

use std::collections::HashMap;

use super::{JobService, Ports};
use crate::auth::Principal;
use crate::domain::{JobId, JobLabels, LabelKind, Scope, check_label};
use crate::error::{ErrorCode, Missing, RepoError, ServiceError};

/// Label operations. Reading needs `jobs:read`; changing needs `jobs:write`, and a job the
/// caller may change ([`Principal::can_change_job`]); other jobs look missing.
#[derive(Debug, Clone)]
pub struct LabelService {
    ports: Ports,
    jobs: JobService,
}

/// A name checked for its kind ([`check_label`]), refused as 400 `invalid_label`.
pub fn checked(kind: LabelKind, name: &str) -> Result<String, ServiceError> {
    check_label(kind, name).map_err(|e| ServiceError::invalid(ErrorCode::InvalidLabel, e.to_string()))
}

/// Every name checked, without duplicates, in the order given.
fn all_checked(kind: LabelKind, names: &[String]) -> Result<Vec<String>, ServiceError> {
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        let name = checked(kind, name)?;
        if !out.contains(&name) {
            out.push(name);
        }
    }
    Ok(out)
}

impl LabelService {
    /// The service over these ports; jobs are loaded through `jobs`, with its visibility rules.
    pub fn new(ports: Ports, jobs: JobService) -> Self {
        Self { ports, jobs }
    }

    /// The caller's categories or tags, sorted.
    pub async fn list(&self, principal: &Principal, kind: LabelKind) -> Result<Vec<String>, ServiceError> {
        principal.require_scope(Scope::JobsRead)?;
        Ok(self.ports.labels.list_labels(principal.user_id, kind).await?)
    }

    /// Adds a category or tag to the caller's catalogue; `false` when they had it already.
    pub async fn create(&self, principal: &Principal, kind: LabelKind, name: &str) -> Result<bool, ServiceError> {
        principal.require_scope(Scope::JobsWrite)?;
        let name = checked(kind, name)?;
        Ok(self.ports.labels.create_label(principal.user_id, kind, &name, self.ports.clock.now()).await?)
    }

    /// Removes categories or tags from the caller's catalogue and jobs. Names that cannot be
    /// labels name none and are skipped.
    pub async fn delete(&self, principal: &Principal, kind: LabelKind, names: &[String]) -> Result<(), ServiceError> {
        principal.require_scope(Scope::JobsWrite)?;
        let names: Vec<String> = names.iter().filter_map(|n| check_label(kind, n).ok()).collect();
        if names.is_empty() {
            return Ok(());
        }
        Ok(self.ports.labels.delete_labels(principal.user_id, kind, &names).await?)
    }

    /// Puts a job in one of the caller's categories (`None`: in none). An unknown category is
    /// 404 `category_not_found`.
    pub async fn set_category(
        &self,
        principal: &Principal,
        job: JobId,
        category: Option<&str>,
    ) -> Result<(), ServiceError> {
        let job = self.jobs.get_owned(principal, job).await?;
        let category = category.map(|c| checked(LabelKind::Category, c)).transpose()?;
        let now = self.ports.clock.now();
        match self.ports.labels.set_job_category(principal.user_id, job.id, category.as_deref(), now).await {
            Err(RepoError::NotFound) => Err(ServiceError::NotFound { what: Missing::Category }),
            other => Ok(other?),
        }
    }

    /// Adds tags to a job, and to the caller's catalogue when they are new.
    pub async fn add_tags(&self, principal: &Principal, job: JobId, tags: &[String]) -> Result<(), ServiceError> {
        let job = self.jobs.get_owned(principal, job).await?;
        let tags = all_checked(LabelKind::Tag, tags)?;
        if tags.is_empty() {
            return Ok(());
        }
        Ok(self.ports.labels.add_job_tags(principal.user_id, job.id, &tags, self.ports.clock.now()).await?)
    }

    /// Removes tags from a job; no tags removes them all.
    pub async fn remove_tags(&self, principal: &Principal, job: JobId, tags: &[String]) -> Result<(), ServiceError> {
        let job = self.jobs.get_owned(principal, job).await?;
        let named: Vec<String> = tags.iter().filter_map(|t| check_label(LabelKind::Tag, t).ok()).collect();
        if named.is_empty() && !tags.is_empty() {
            return Ok(());
        }
        Ok(self.ports.labels.remove_job_tags(principal.user_id, job.id, &named).await?)
    }

    /// The caller's labels on these jobs (jobs without any are absent). The caller is expected to
    /// have loaded the jobs through [`JobService`], which decided they may see them; labels are
    /// the caller's own, so no other user's are ever returned.
    pub async fn of_jobs(
        &self,
        principal: &Principal,
        jobs: &[JobId],
    ) -> Result<HashMap<JobId, JobLabels>, ServiceError> {
        principal.require_scope(Scope::JobsRead)?;
        if jobs.is_empty() {
            return Ok(HashMap::new());
        }
        Ok(self.ports.labels.job_labels(principal.user_id, jobs).await?)
    }
}
