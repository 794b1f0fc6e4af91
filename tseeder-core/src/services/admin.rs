//! Operator actions: blocklist, dead-letter queue, audit log.

use serde_json::json;

use super::account::{check_ticket, justified, require_reason};
use super::{JobService, Ports, RequestMeta, audit_entry};
use crate::auth::Principal;
use crate::domain::{
    Infohash, JobEventKind, JobStatus, JobTransition, Page, PageRequest, QueueMessage, QueueMessageId, Role,
    SecurityEvent,
};
use crate::error::{ErrorCode, Missing, QueueError, RepoError, ServiceError};
use crate::ports::{
    AuditFilter, AuditRecord, BlocklistEntry, DeadLetterFilter, JobChange, QueueOp, QueueStats, SearchResults,
    SecurityEventFilter,
};

/// The most dead letters one bulk replay call brings back.
pub const BULK_REPLAY_BATCH: u64 = 100;

/// What a bulk replay did (or, in a dry run, would do).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BulkReplay {
    /// Dead letters matching the filter before the call.
    pub matched: u64,
    /// Replayed by this call.
    pub replayed: u64,
    /// Skipped because their job changed (not failed, or deleted).
    pub skipped: u64,
    /// Still matching after the call (replay again to continue).
    pub remaining: u64,
}

/// Operator actions. Every mutation needs the admin role and a reason, and is audited.
#[derive(Debug, Clone)]
pub struct AdminService {
    ports: Ports,
    jobs: JobService,
}

impl AdminService {
    /// Longest text [`Self::search`] takes.
    pub const SEARCH_MAX_CHARS: usize = 200;

    /// Builds the service.
    pub fn new(ports: Ports, jobs: JobService) -> Self {
        Self { ports, jobs }
    }

    /// Blocks an infohash and cancels every live job for it. Returns how many were cancelled.
    pub async fn block(
        &self,
        principal: &Principal,
        infohash: Infohash,
        reason: &str,
        meta: &RequestMeta,
    ) -> Result<u64, ServiceError> {
        principal.require_staff(Role::Admin)?;
        let reason = require_reason(reason)?;
        let entry = BlocklistEntry {
            infohash,
            reason: reason.to_owned(),
            added_by: Some(principal.user_id),
            created_at: self.ports.clock.now(),
        };
        match self.ports.blocklist.add(&entry).await {
            Err(RepoError::Conflict(_)) => {
                return Err(ServiceError::conflict(ErrorCode::AlreadyBlocked, "this infohash is already blocked"));
            }
            other => other?,
        }
        let mut cancelled = 0;
        for job in self.ports.jobs.list_live_jobs_by_infohash(infohash).await? {
            if job.status.apply(JobTransition::Cancel).is_ok() {
                // A job that changed meanwhile is skipped rather than failing the whole block.
                if self.jobs.transition(principal, &job, JobTransition::Cancel, "job.terminated", meta).await.is_ok() {
                    cancelled += 1;
                }
            }
        }
        self.ports
            .audit
            .record(&audit_entry(
                &self.ports,
                Some(principal.user_id),
                "blocklist.added",
                "infohash",
                Some(infohash.to_hex()),
                json!({ "reason": reason, "cancelledJobs": cancelled }),
                meta,
            ))
            .await?;
        Ok(cancelled)
    }

    /// Removes an infohash from the blocklist.
    pub async fn unblock(
        &self,
        principal: &Principal,
        infohash: Infohash,
        reason: &str,
        meta: &RequestMeta,
    ) -> Result<(), ServiceError> {
        principal.require_staff(Role::Admin)?;
        let reason = require_reason(reason)?;
        match self.ports.blocklist.remove(infohash).await {
            Err(RepoError::NotFound) => return Err(ServiceError::NotFound { what: Missing::BlocklistEntry }),
            other => other?,
        }
        self.ports
            .audit
            .record(&audit_entry(
                &self.ports,
                Some(principal.user_id),
                "blocklist.removed",
                "infohash",
                Some(infohash.to_hex()),
                json!({ "reason": reason }),
                meta,
            ))
            .await?;
        Ok(())
    }

    /// Lists the blocklist (support and above).
    pub async fn blocklist(
        &self,
        principal: &Principal,
        page: PageRequest,
    ) -> Result<Page<BlocklistEntry>, ServiceError> {
        principal.require_staff(Role::Support)?;
        Ok(self.ports.blocklist.list(page).await?)
    }

    /// Dead-lettered job messages matching `filter`, newest first, each with its error history
    /// (support and above).
    pub async fn dead_letters(
        &self,
        principal: &Principal,
        filter: &DeadLetterFilter,
        page: PageRequest,
    ) -> Result<Page<QueueMessage>, ServiceError> {
        principal.require_staff(Role::Support)?;
        Ok(self.ports.queue.list_dead_matching(&self.jobs.config().queue, filter, page).await?)
    }

    /// Replays every dead letter matching `filter` (admin and above), at most
    /// [`BULK_REPLAY_BATCH`] per call so a large backlog does not flood the queue at once: the
    /// caller repeats while `remaining` is not 0. With `dry_run`, nothing changes and only the
    /// count is returned (no reason is needed to count). One `dlq.bulk_replayed` audit entry records the filter, the reason,
    /// the ticket and the counts. Messages whose job is not failed any more are skipped.
    pub async fn replay_matching(
        &self,
        principal: &Principal,
        filter: &DeadLetterFilter,
        dry_run: bool,
        reason: &str,
        ticket: Option<&str>,
        meta: &RequestMeta,
    ) -> Result<BulkReplay, ServiceError> {
        principal.require_staff(Role::Admin)?;
        let queue = &self.jobs.config().queue;
        let batch = self.ports.queue.list_dead_matching(queue, filter, PageRequest::new(1, BULK_REPLAY_BATCH)).await?;
        let matched = batch.total;
        if dry_run {
            return Ok(BulkReplay { matched, replayed: 0, skipped: 0, remaining: matched });
        }
        let reason = require_reason(reason)?;
        let ticket = check_ticket(ticket)?;
        let (mut replayed, mut skipped) = (0, 0);
        for message in batch.items {
            match self.replay_message(principal, message, None).await {
                Ok(_) => replayed += 1,
                Err(ServiceError::Conflict { .. }) => skipped += 1,
                Err(e) => return Err(e),
            }
        }
        let remaining = self.ports.queue.list_dead_matching(queue, filter, PageRequest::new(1, 1)).await?.total;
        let filter_json = json!({
            "errorContains": filter.error_contains,
            "userId": filter.user_id,
            "deadBefore": filter.dead_before,
            "deadAfter": filter.dead_after,
        });
        self.ports
            .audit
            .record(&audit_entry(
                &self.ports,
                Some(principal.user_id),
                "dlq.bulk_replayed",
                "queue",
                Some(queue.clone()),
                justified(
                    json!({ "filter": filter_json, "matched": matched, "replayed": replayed, "skipped": skipped }),
                    reason,
                    ticket,
                ),
                meta,
            ))
            .await?;
        Ok(BulkReplay { matched, replayed, skipped, remaining })
    }

    /// Queue counts (support and above).
    pub async fn queue_stats(&self, principal: &Principal) -> Result<QueueStats, ServiceError> {
        principal.require_staff(Role::Support)?;
        Ok(self.ports.queue.stats(&self.jobs.config().queue, self.ports.clock.now()).await?)
    }

    /// Replays a dead-lettered message: the failed job goes back to `queued` and the message,
    /// with its error history and attempts reset, becomes deliverable, in one transaction. The
    /// reason and the optional support ticket id go into the `dlq.replayed` audit entry.
    pub async fn replay(
        &self,
        principal: &Principal,
        id: QueueMessageId,
        reason: &str,
        ticket: Option<&str>,
        meta: &RequestMeta,
    ) -> Result<QueueMessage, ServiceError> {
        principal.require_staff(Role::Admin)?;
        let reason = require_reason(reason)?;
        let ticket = check_ticket(ticket)?;
        let message = match self.ports.queue.get(id).await {
            Err(QueueError::NotFound) => return Err(ServiceError::NotFound { what: Missing::QueueMessage }),
            other => other?,
        };
        let audit = audit_entry(
            &self.ports,
            Some(principal.user_id),
            "dlq.replayed",
            "queue_message",
            Some(id.to_string()),
            justified(json!({ "jobId": message.job_id }), reason, ticket),
            meta,
        );
        self.replay_message(principal, message, Some(audit)).await
    }

    /// Replays one dead message (and its failed job), with `audit` committed alongside.
    async fn replay_message(
        &self,
        principal: &Principal,
        message: QueueMessage,
        audit: Option<crate::domain::AuditEntry>,
    ) -> Result<QueueMessage, ServiceError> {
        let id = message.id;
        if message.state != crate::domain::QueueState::Dead {
            return Err(ServiceError::conflict(
                ErrorCode::NotDeadLettered,
                "only dead-lettered messages can be replayed",
            ));
        }
        match message.job_id {
            Some(job_id) => {
                let job = self.ports.jobs.get_job(job_id).await.map_err(|e| match e {
                    RepoError::NotFound => ServiceError::conflict(ErrorCode::JobGone, "the message's job was deleted"),
                    other => other.into(),
                })?;
                if job.status != JobStatus::Failed {
                    return Err(ServiceError::conflict(
                        ErrorCode::JobNotFailed,
                        format!("the job is {}, not failed", job.status),
                    ));
                }
                let mut change = JobChange::transition(&job, JobTransition::Replay, self.ports.clock.now())?
                    .noted(JobEventKind::StatusChanged, json!({ "actor": principal.user_id }));
                change.error = Some(None);
                change.queue = Some(QueueOp::Replay(id));
                change.audit = audit;
                self.jobs.apply(job_id, change).await?;
            }
            None => {
                self.ports.queue.replay(id, self.ports.clock.now()).await?;
                if let Some(audit) = audit {
                    self.ports.audit.record(&audit).await?;
                }
            }
        }
        Ok(self.ports.queue.get(id).await?)
    }

    /// The operators' global search over users, jobs and the audit log: `text` (trimmed, 1 to
    /// [`Self::SEARCH_MAX_CHARS`] characters, else `invalid_query`) in every group, each with its
    /// true total and its newest `limit` matches (1 to 50). Support and above.
    pub async fn search(&self, principal: &Principal, text: &str, limit: u64) -> Result<SearchResults, ServiceError> {
        principal.require_staff(Role::Support)?;
        let text = text.trim();
        if text.is_empty() || text.chars().count() > Self::SEARCH_MAX_CHARS {
            return Err(ServiceError::invalid(
                ErrorCode::InvalidQuery,
                format!("the search text is 1 to {} characters", Self::SEARCH_MAX_CHARS),
            ));
        }
        if !super::can_match(text) {
            return Ok(SearchResults::default());
        }
        Ok(self.ports.search.search(text, limit.clamp(1, 50)).await?)
    }

    /// The audit log (support and above).
    pub async fn audit_log(
        &self,
        principal: &Principal,
        filter: &AuditFilter,
        page: PageRequest,
    ) -> Result<Page<AuditRecord>, ServiceError> {
        principal.require_staff(Role::Support)?;
        Ok(self.ports.audit.list_audit(filter, page).await?)
    }

    /// Security events, newest first, optionally of one kind and severity (admin and above).
    pub async fn security_events(
        &self,
        principal: &Principal,
        filter: &SecurityEventFilter,
        page: PageRequest,
    ) -> Result<Page<SecurityEvent>, ServiceError> {
        principal.require_staff(Role::Admin)?;
        Ok(self.ports.audit.list_security_events(filter, page).await?)
    }
}
