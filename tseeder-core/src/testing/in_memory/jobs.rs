//! [`InMemoryJobRepository`].

use async_trait::async_trait;
use serde_json::json;

use super::{Message, State, handle, micros, millis, page};
use crate::domain::{
    AuditEntry, Infohash, Job, JobEvent, JobEventKind, JobId, JobStatus, NewJob, NewQueueMessage, OrgId, Page,
    PageRequest, QueueMessage, QueueState, Usage, UserId,
};
use crate::error::RepoError;
use crate::ports::{JobChange, JobFilter, JobRepository, JobSort, QueueOp, UsageOf};

handle!(
    /// A [`JobRepository`] over an [`InMemoryDb`](crate::testing::InMemoryDb). The queue messages
    /// and audit entries it commits with job changes land in the same database, where
    /// [`InMemoryJobQueue`](crate::testing::InMemoryJobQueue) and
    /// [`InMemoryAuditLog`](crate::testing::InMemoryAuditLog) see them.
    InMemoryJobRepository
);

/// Failed and cancelled jobs release their infohash: any other status is live.
pub(super) fn is_live(status: JobStatus) -> bool {
    !matches!(status, JobStatus::Failed | JobStatus::Cancelled)
}

/// A queue message as the queue stores it.
pub(super) fn new_message(m: &NewQueueMessage) -> Message {
    Message {
        message: QueueMessage {
            id: m.id,
            queue: m.queue.clone(),
            job_id: m.job_id,
            payload: m.payload.clone(),
            state: QueueState::Ready,
            attempts: 0,
            max_attempts: m.max_attempts,
            visible_at: millis(m.visible_at),
            lease_owner: None,
            last_error: None,
            errors: Vec::new(),
            created_at: millis(m.created_at),
            dead_at: None,
        },
        token: None,
    }
}

impl State {
    /// Whether a live job other than `except` has `user`'s `infohash` in `org`.
    fn live_duplicate(&self, org: OrgId, user: UserId, infohash: Infohash, except: JobId) -> bool {
        self.jobs.iter().any(|j| {
            j.id != except && j.org_id == org && j.user_id == user && j.infohash == infohash && is_live(j.status)
        })
    }

    fn check_enqueue(&self, message: &NewQueueMessage) -> Result<(), RepoError> {
        if self.messages.iter().any(|m| m.message.id == message.id) {
            return Err(RepoError::Conflict("queue_messages.id".into()));
        }
        Ok(())
    }

    fn next_seq(&self, job: JobId) -> u64 {
        self.events.iter().filter(|e| e.job_id == job).map(|e| e.seq).max().unwrap_or(0) + 1
    }
}

#[async_trait]
impl JobRepository for InMemoryJobRepository {
    async fn create_job(&self, job: &NewJob, message: &NewQueueMessage, audit: &AuditEntry) -> Result<Job, RepoError> {
        let mut state = self.state();
        if state.jobs.iter().any(|j| j.id == job.id) {
            return Err(RepoError::Conflict("jobs.id".into()));
        }
        if state.live_duplicate(job.org_id, job.user_id, job.infohash, job.id) {
            return Err(RepoError::Conflict("one live job per organization, user and infohash".into()));
        }
        if let Some(key) = &job.idempotency_key
            && state.jobs.iter().any(|j| j.user_id == job.user_id && j.idempotency_key.as_ref() == Some(key))
        {
            return Err(RepoError::Conflict("jobs.idempotency_key".into()));
        }
        state.check_enqueue(message)?;

        let mut stored = job.clone().into_job();
        stored.created_at = micros(stored.created_at);
        stored.updated_at = stored.created_at;
        state.jobs.push(stored.clone());
        state.events.push(JobEvent {
            job_id: job.id,
            seq: 1,
            kind: JobEventKind::JobCreated,
            payload: json!({ "source": job.source.kind() }),
            created_at: stored.created_at,
        });
        state.messages.push(new_message(message));
        state.push_audit(audit);
        Ok(stored)
    }

    async fn get_job(&self, id: JobId) -> Result<Job, RepoError> {
        self.state().jobs.iter().find(|j| j.id == id).cloned().ok_or(RepoError::NotFound)
    }

    async fn find_job_by_idempotency_key(&self, user: UserId, key: &str) -> Result<Option<Job>, RepoError> {
        let state = self.state();
        Ok(state.jobs.iter().find(|j| j.user_id == user && j.idempotency_key.as_deref() == Some(key)).cloned())
    }

    async fn find_live_job_by_infohash(
        &self,
        org: OrgId,
        user: UserId,
        infohash: Infohash,
    ) -> Result<Option<Job>, RepoError> {
        let state = self.state();
        let live = state
            .jobs
            .iter()
            .find(|j| j.org_id == org && j.user_id == user && j.infohash == infohash && is_live(j.status));
        Ok(live.cloned())
    }

    async fn list_live_jobs_by_infohash(&self, infohash: Infohash) -> Result<Vec<Job>, RepoError> {
        let state = self.state();
        let mut jobs: Vec<Job> =
            state.jobs.iter().filter(|j| j.infohash == infohash && is_live(j.status)).cloned().collect();
        jobs.sort_by_key(|j| (j.created_at, j.id));
        Ok(jobs)
    }

    async fn list_jobs(&self, filter: &JobFilter, request: PageRequest) -> Result<Page<Job>, RepoError> {
        let state = self.state();
        let mut jobs: Vec<Job> = state
            .jobs
            .iter()
            .filter(|j| filter.org_id.is_none_or(|o| j.org_id == o))
            .filter(|j| filter.user_id.is_none_or(|u| j.user_id == u))
            .filter(|j| filter.status.is_none_or(|s| j.status == s))
            .filter(|j| {
                filter.worker_ids.as_ref().is_none_or(|ids| j.worker_id.as_ref().is_some_and(|w| ids.contains(w)))
            })
            .filter(|j| filter.created_before.is_none_or(|t| j.created_at <= micros(t)))
            .filter(|j| filter.created_after.is_none_or(|t| j.created_at >= micros(t)))
            .filter(|j| {
                filter.label.as_ref().is_none_or(|l| {
                    state.job_labels.iter().any(|(job, user, kind, name)| {
                        *job == j.id && *user == l.user_id && *kind == l.kind && *name == l.name
                    })
                })
            })
            .cloned()
            .collect();
        jobs.sort_by(|a, b| {
            let by_key = match filter.sort {
                JobSort::CreatedAt => a.created_at.cmp(&b.created_at),
                JobSort::UpdatedAt => a.updated_at.cmp(&b.updated_at),
                JobSort::Name => a.name.cmp(&b.name),
            };
            by_key.then(a.id.cmp(&b.id))
        });
        if filter.descending {
            jobs.reverse();
        }
        Ok(page(jobs, request))
    }

    async fn update_job(&self, id: JobId, change: &JobChange) -> Result<Job, RepoError> {
        let mut state = self.state();
        // Check everything first: a refused change writes nothing.
        let index = state.jobs.iter().position(|j| j.id == id).ok_or(RepoError::NotFound)?;
        let current = &state.jobs[index];
        if current.status != change.expected() {
            return Err(RepoError::Conflict(format!("job is {}, not {}", current.status, change.expected())));
        }
        if is_live(change.status()) && state.live_duplicate(current.org_id, current.user_id, current.infohash, id) {
            return Err(RepoError::Conflict("one live job per organization, user and infohash".into()));
        }
        let replay = match &change.queue {
            Some(QueueOp::Enqueue(message)) => {
                state.check_enqueue(message)?;
                None
            }
            Some(QueueOp::Replay(message)) => Some(
                state
                    .messages
                    .iter()
                    .position(|m| m.message.id == *message && m.message.state == QueueState::Dead)
                    .ok_or_else(|| RepoError::Conflict(format!("queue message {message} is not dead-lettered")))?,
            ),
            None => None,
        };

        let at = micros(change.at);
        let job = &mut state.jobs[index];
        job.status = change.status();
        job.updated_at = at;
        if let Some(name) = &change.name {
            job.name.clone_from(name);
        }
        if let Some(error) = &change.error {
            job.error.clone_from(error);
        }
        if let Some(worker) = &change.worker_id {
            job.worker_id.clone_from(worker);
        }
        if let Some(total) = change.total_bytes {
            job.total_bytes = Some(total);
        }
        if let Some(done) = change.done_bytes {
            job.done_bytes = done;
        }
        if let Some(completed) = change.completed_at {
            job.completed_at = Some(micros(completed));
        }
        let updated = job.clone();

        if let Some(event) = &change.event {
            let seq = state.next_seq(id);
            state.events.push(JobEvent {
                job_id: id,
                seq,
                kind: event.kind,
                payload: event.payload.clone(),
                created_at: at,
            });
        }
        if let Some(QueueOp::Enqueue(message)) = &change.queue {
            state.messages.push(new_message(message));
        }
        if let Some(index) = replay {
            super::queue::revive(&mut state.messages[index].message, change.at);
            state.messages[index].token = None;
        }
        if let Some(audit) = &change.audit {
            state.push_audit(audit);
        }
        Ok(updated)
    }

    async fn delete_job(&self, id: JobId, audit: &AuditEntry) -> Result<(), RepoError> {
        let mut state = self.state();
        let index = state.jobs.iter().position(|j| j.id == id).ok_or(RepoError::NotFound)?;
        state.jobs.remove(index);
        state.files.retain(|f| f.job_id != id);
        state.events.retain(|e| e.job_id != id);
        state.messages.retain(|m| m.message.job_id != Some(id));
        state.job_labels.retain(|(job, ..)| *job != id);
        state.push_audit(audit);
        Ok(())
    }

    async fn list_job_events(&self, id: JobId, after_seq: u64, limit: u64) -> Result<Vec<JobEvent>, RepoError> {
        let state = self.state();
        let mut events: Vec<JobEvent> =
            state.events.iter().filter(|e| e.job_id == id && e.seq > after_seq).cloned().collect();
        events.sort_by_key(|e| e.seq);
        events.truncate(super::limit(limit));
        Ok(events)
    }

    async fn usage(&self, of: UsageOf) -> Result<Usage, RepoError> {
        let state = self.state();
        let mine: Vec<&Job> = state
            .jobs
            .iter()
            .filter(|j| of.org_id.is_none_or(|o| j.org_id == o) && of.user_id.is_none_or(|u| j.user_id == u))
            .collect();
        let active_jobs = mine.iter().filter(|j| JobStatus::ACTIVE.contains(&j.status)).count() as u64;
        // Every file row is complete: rows are added once their blob is stored.
        let storage_bytes = state
            .files
            .iter()
            .filter(|f| mine.iter().any(|j| j.id == f.job_id))
            .fold(0u64, |sum, f| sum.saturating_add(f.size));
        Ok(Usage { active_jobs, total_jobs: mine.len() as u64, storage_bytes, ..Usage::default() })
    }
}
