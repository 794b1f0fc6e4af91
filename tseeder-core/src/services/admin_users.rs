//! Operator actions on users and their jobs: the user's full picture, suspension, forced
//! logout, plan changes and job termination. Support and above read; admin and above act,
//! each action with a reason and an optional ticket, audited.

use serde_json::json;

use super::account::{check_ticket, justified, require_reason};
use super::{JobService, Ports, RequestMeta, audit_entry};
use crate::auth::Principal;
use crate::domain::{
    ApiKey, Job, JobEventKind, JobId, JobStatus, JobTransition, Page, PageRequest, Plan, Role, Session, Usage, User,
    UserId,
};
use crate::error::{ErrorCode, Missing, RepoError, ServiceError};
use crate::ports::{AuditFilter, AuditRecord, JobChange, JobFilter, JobSort};

/// Why and under which ticket an operator acts.
#[derive(Debug, Clone, Copy)]
pub struct Justification<'a> {
    /// Why (10 to 1000 characters).
    pub reason: &'a str,
    /// The ticket, if any (up to 64 printable characters; blank is none).
    pub ticket: Option<&'a str>,
}

impl Justification<'_> {
    fn check(&self) -> Result<(String, Option<String>), ServiceError> {
        Ok((require_reason(self.reason)?.to_owned(), check_ticket(self.ticket)?.map(str::to_owned)))
    }
}

/// Everything an operator sees of one user.
#[derive(Debug, Clone)]
pub struct UserDetail {
    /// The account.
    pub user: User,
    /// The plan in force (None: no plan in force).
    pub plan: Option<Plan>,
    /// Consumption.
    pub usage: Usage,
    /// API keys that are not revoked.
    pub api_keys: Vec<ApiKey>,
    /// Live sessions, newest first.
    pub sessions: Vec<Session>,
    /// The latest 20 jobs, newest first, with the total.
    pub jobs: Page<Job>,
    /// The latest 50 audit entries about the user, newest first, with the total.
    pub audit: Page<AuditRecord>,
}

/// What a suspension did.
#[derive(Debug, Clone, PartialEq)]
pub struct Suspension {
    /// The account after the change.
    pub user: User,
    /// Sessions revoked.
    pub sessions_revoked: u64,
    /// Jobs paused (suspension only).
    pub jobs_paused: u64,
}

/// Operator actions on users and jobs.
#[derive(Debug, Clone)]
pub struct UserAdminService {
    ports: Ports,
    jobs: JobService,
}

impl UserAdminService {
    /// Builds the service.
    pub fn new(ports: Ports, jobs: JobService) -> Self {
        Self { ports, jobs }
    }

    async fn user(&self, id: UserId) -> Result<User, ServiceError> {
        match self.ports.accounts.get_user(id).await {
            Err(RepoError::NotFound) => Err(ServiceError::NotFound { what: Missing::User }),
            other => Ok(other?),
        }
    }

    /// Refuses actions on oneself and, for admins, on superadmins.
    fn check_target(principal: &Principal, user: &User) -> Result<(), ServiceError> {
        if user.id == principal.user_id {
            return Err(ServiceError::forbidden(ErrorCode::OwnAccount, "you cannot do this to your own account"));
        }
        if user.role == Role::Superadmin && principal.role < Role::Superadmin {
            return Err(ServiceError::forbidden(
                ErrorCode::InsufficientRole,
                "only a superadmin can act on a superadmin",
            ));
        }
        Ok(())
    }

    /// The user's account, plan, usage, keys, sessions, latest jobs and audit trail (support
    /// and above).
    pub async fn detail(&self, principal: &Principal, id: UserId) -> Result<UserDetail, ServiceError> {
        principal.require_staff(Role::Support)?;
        let user = self.user(id).await?;
        let now = self.ports.clock.now();
        let plan = match self.ports.plans.current_plan(id, now).await {
            Err(RepoError::NotFound) => None,
            other => Some(other?),
        };
        let filter =
            JobFilter { user_id: Some(id), sort: JobSort::CreatedAt, descending: true, ..JobFilter::default() };
        let audit =
            AuditFilter { target_type: Some("user".into()), target_id: Some(id.to_string()), ..AuditFilter::default() };
        Ok(UserDetail {
            plan,
            usage: self.ports.jobs.usage(crate::ports::UsageOf::user(id)).await?,
            api_keys: self.ports.accounts.list_api_keys(id).await?,
            sessions: self.ports.accounts.list_sessions(id, now).await?,
            jobs: self.ports.jobs.list_jobs(&filter, PageRequest::new(1, 20)).await?,
            audit: self.ports.audit.list_audit(&audit, PageRequest::new(1, 50)).await?,
            user,
        })
    }

    /// Suspends a user (admin and above; not oneself, and a superadmin only by a superadmin).
    /// Their sessions are revoked and their API keys refused from the next request; their
    /// running and queued jobs are paused. Audited as `user.suspended`. 409
    /// `already_suspended` when it is.
    pub async fn suspend(
        &self,
        principal: &Principal,
        id: UserId,
        why: Justification<'_>,
        meta: &RequestMeta,
    ) -> Result<Suspension, ServiceError> {
        principal.require_staff(Role::Admin)?;
        let (reason, ticket) = why.check()?;
        let user = self.user(id).await?;
        Self::check_target(principal, &user)?;
        if user.suspended {
            return Err(ServiceError::conflict(ErrorCode::AlreadySuspended, "the account is already suspended"));
        }
        let sessions_revoked = self.ports.accounts.set_user_suspended(id, true).await?;
        let mut jobs_paused = 0;
        for status in [JobStatus::Queued, JobStatus::FetchingMetadata, JobStatus::Downloading, JobStatus::Uploading] {
            let filter =
                JobFilter { user_id: Some(id), status: Some(status), sort: JobSort::CreatedAt, ..JobFilter::default() };
            loop {
                let page = self.ports.jobs.list_jobs(&filter, PageRequest::new(1, 100)).await?;
                let mut progressed = false;
                for job in &page.items {
                    // A job that moved meanwhile is left as it is.
                    if self
                        .transition(principal, job, JobTransition::Pause, "job.paused", &reason, &ticket, meta)
                        .await
                        .is_ok()
                    {
                        jobs_paused += 1;
                        progressed = true;
                    }
                }
                if !progressed || page.total <= page.items.len() as u64 {
                    break;
                }
            }
        }
        self.record(
            principal,
            "user.suspended",
            "user",
            id.to_string(),
            &reason,
            &ticket,
            json!({ "sessionsRevoked": sessions_revoked, "jobsPaused": jobs_paused }),
            meta,
        )
        .await?;
        Ok(Suspension { user: self.user(id).await?, sessions_revoked, jobs_paused })
    }

    /// Lifts a suspension (admin and above). Paused jobs stay paused for the user to resume.
    /// Audited as `user.unsuspended`; 409 `not_suspended` when it is not.
    pub async fn unsuspend(
        &self,
        principal: &Principal,
        id: UserId,
        why: Justification<'_>,
        meta: &RequestMeta,
    ) -> Result<User, ServiceError> {
        principal.require_staff(Role::Admin)?;
        let (reason, ticket) = why.check()?;
        let user = self.user(id).await?;
        Self::check_target(principal, &user)?;
        if !user.suspended {
            return Err(ServiceError::conflict(ErrorCode::NotSuspended, "the account is not suspended"));
        }
        self.ports.accounts.set_user_suspended(id, false).await?;
        self.record(principal, "user.unsuspended", "user", id.to_string(), &reason, &ticket, json!({}), meta).await?;
        self.user(id).await
    }

    /// Revokes every session of the user (admin and above); their API keys keep working.
    /// Audited as `user.force_logout`. Returns how many sessions were revoked.
    pub async fn force_logout(
        &self,
        principal: &Principal,
        id: UserId,
        why: Justification<'_>,
        meta: &RequestMeta,
    ) -> Result<u64, ServiceError> {
        principal.require_staff(Role::Admin)?;
        let (reason, ticket) = why.check()?;
        let user = self.user(id).await?;
        Self::check_target(principal, &user)?;
        let revoked = self.ports.accounts.delete_user_sessions(id).await?;
        self.record(
            principal,
            "user.force_logout",
            "user",
            id.to_string(),
            &reason,
            &ticket,
            json!({ "sessionsRevoked": revoked }),
            meta,
        )
        .await?;
        Ok(revoked)
    }

    /// Puts the user on `plan_id` from now on (admin and above); the next submission is checked
    /// against it. Audited as `user.plan_changed` with the old and new plan; 404
    /// `plan_not_found` for an unknown plan.
    pub async fn assign_plan(
        &self,
        principal: &Principal,
        id: UserId,
        plan_id: &str,
        why: Justification<'_>,
        meta: &RequestMeta,
    ) -> Result<Plan, ServiceError> {
        principal.require_staff(Role::Admin)?;
        let (reason, ticket) = why.check()?;
        let user = self.user(id).await?;
        if user.role == Role::Superadmin && principal.role < Role::Superadmin {
            return Err(ServiceError::forbidden(
                ErrorCode::InsufficientRole,
                "only a superadmin can act on a superadmin",
            ));
        }
        let plan = match self.ports.plans.get_plan(plan_id).await {
            Err(RepoError::NotFound) => return Err(ServiceError::NotFound { what: Missing::Plan }),
            other => other?,
        };
        let now = self.ports.clock.now();
        let old = match self.ports.plans.current_plan(id, now).await {
            Err(RepoError::NotFound) => None,
            other => Some(other?.id),
        };
        self.ports.plans.assign_plan(id, &plan.id, now, None).await?;
        self.record(
            principal,
            "user.plan_changed",
            "user",
            id.to_string(),
            &reason,
            &ticket,
            json!({ "from": old, "to": plan.id }),
            meta,
        )
        .await?;
        Ok(plan)
    }

    /// Terminates a job (admin and above): it ends as cancelled, the engine stops it, and its
    /// history says an admin did it and why. Audited as `job.terminated`; 409
    /// `invalid_transition` for a finished job.
    pub async fn terminate_job(
        &self,
        principal: &Principal,
        id: JobId,
        why: Justification<'_>,
        meta: &RequestMeta,
    ) -> Result<Job, ServiceError> {
        principal.require_staff(Role::Admin)?;
        let (reason, ticket) = why.check()?;
        let job = match self.ports.jobs.get_job(id).await {
            Err(RepoError::NotFound) => return Err(ServiceError::NotFound { what: Missing::Job }),
            other => other?,
        };
        self.transition(principal, &job, JobTransition::Cancel, "job.terminated", &reason, &ticket, meta).await
    }

    /// A status change made by an operator: the history says so, with the reason.
    #[expect(clippy::too_many_arguments, reason = "the change, its actor and its justification")]
    async fn transition(
        &self,
        principal: &Principal,
        job: &Job,
        transition: JobTransition,
        action: &str,
        reason: &str,
        ticket: &Option<String>,
        meta: &RequestMeta,
    ) -> Result<Job, ServiceError> {
        let mut change = JobChange::transition(job, transition, self.ports.clock.now())?.noted(
            JobEventKind::StatusChanged,
            justified(json!({ "actor": principal.user_id, "byAdmin": true }), reason, ticket.as_deref()),
        );
        let next = change.status();
        change.audit = Some(audit_entry(
            &self.ports,
            Some(principal.user_id),
            action,
            "job",
            Some(job.id.to_string()),
            justified(json!({ "from": job.status, "to": next, "owner": job.user_id }), reason, ticket.as_deref()),
            meta,
        ));
        self.jobs.apply(job.id, change).await
    }

    #[expect(clippy::too_many_arguments, reason = "one audit entry's fields")]
    async fn record(
        &self,
        principal: &Principal,
        action: &str,
        target_type: &str,
        target_id: String,
        reason: &str,
        ticket: &Option<String>,
        details: serde_json::Value,
        meta: &RequestMeta,
    ) -> Result<(), ServiceError> {
        let metadata = justified(details, reason, ticket.as_deref());
        let entry =
            audit_entry(&self.ports, Some(principal.user_id), action, target_type, Some(target_id), metadata, meta);
        Ok(self.ports.audit.record(&entry).await?)
    }
}
