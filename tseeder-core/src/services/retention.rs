//! [`RetentionService`]: the retention sweep (the plan's Feature 5) and the operators' view of
//! it.
//!
//! A sweep pages through every stored file in id order, `retention.batch_size` at a time, and
//! asks the active [`RetentionPolicy`] (native, or a plugin) which of each batch have expired.
//! The chosen rows are deleted one by one; a blob goes from the object store only with the last
//! row that references it (shared blobs are reference-counted by the file repository). A policy
//! that fails on a batch deletes nothing from it. After the policy's deletions, the orphan
//! cleanup removes objects under `blobs/` that no row references (older than
//! `retention.orphan_grace_secs`, so uploads in flight are safe) and rows whose object is gone.
//! Each sweep writes a `retention_sweeps` record, a `retention.sweep` audit entry (files,
//! bytes) and a storage snapshot.
//!
//! A dry run asks the same questions and deletes nothing.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use futures::TryStreamExt;
use serde_json::json;

use super::scheduler::{Schedule, ScheduledTask};
use super::{PolicyService, Ports, RequestMeta, audit_entry};
use crate::auth::Principal;
use crate::config::RetentionConfig;
use crate::domain::{FileId, JobId, OrgId, Plan, Role, SecurityEvent, Severity, UserId};
use crate::error::{ErrorCode, RepoError, ServiceError};
use crate::ports::{
    FileStoreError, PolicyImplementation, PolicyKind, RetentionCandidate, RetentionPolicy, RetentionRow,
    StorageSnapshot, StorageTotals, SweepRecord, SweepTotals, TaskState, check_selection,
};

/// The scheduler's name for the sweep.
pub const SWEEP_TASK: &str = "retention.sweep";

/// Object keys the orphan cleanup may delete: blobs are written under this prefix only.
const BLOB_PREFIX: &str = "blobs/";

/// Keys read per query by the orphan cleanup.
const KEY_PAGE: u64 = 1000;

/// Who started a sweep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SweepTrigger {
    /// The scheduler.
    Schedule,
    /// An admin, through the API or the CLI.
    Admin,
}

impl SweepTrigger {
    fn as_str(self) -> &'static str {
        match self {
            Self::Schedule => "schedule",
            Self::Admin => "admin",
        }
    }
}

/// One file the policy chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpiredFile {
    /// The file.
    pub file_id: FileId,
    /// Its job.
    pub job_id: JobId,
    /// Its owner.
    pub user_id: UserId,
    /// Its size.
    pub size: u64,
    /// The plan of its organization.
    pub plan: String,
    /// When its job completed.
    pub completed_at: Option<DateTime<Utc>>,
}

/// What the policy would delete now (a dry run), or chose in a sweep.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// The files chosen.
    pub files: Vec<ExpiredFile>,
    /// Their bytes.
    pub bytes: u64,
    /// Files the policy was asked about.
    pub examined: u64,
    /// Files kept because the policy failed on their batch.
    pub kept_on_error: u64,
    /// The first policy failure.
    pub error: Option<String>,
}

/// The admin who started a sweep, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SweepActor {
    /// Who.
    pub user: UserId,
    /// Why (kept in the audit entry).
    pub reason: String,
    /// The support ticket, if any (kept in the audit entry).
    pub ticket: Option<String>,
}

/// One plan's retention window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanWindow {
    /// The plan.
    pub plan: String,
    /// Days files are kept after their job completes; `None` for forever.
    pub retention_days: Option<u32>,
}

/// The operators' view of retention.
#[derive(Debug, Clone, PartialEq)]
pub struct RetentionOverview {
    /// The sweep's cron expression, and whether it is on.
    pub schedule: String,
    /// Whether scheduled sweeps run.
    pub enabled: bool,
    /// The next scheduled sweep.
    pub next_run: Option<DateTime<Utc>>,
    /// The scheduler's row for the sweep (lease, last outcome).
    pub task: Option<TaskState>,
    /// The newest sweeps, newest first.
    pub recent: Vec<SweepRecord>,
    /// Totals over every sweep.
    pub totals: SweepTotals,
    /// Each plan's window.
    pub plans: Vec<PlanWindow>,
    /// The newest storage snapshot.
    pub snapshot: Option<StorageSnapshot>,
    /// What is stored now: file rows and their bytes.
    pub stored: StorageTotals,
    /// What decides: `native` or `plugin <sha256>`.
    pub policy: String,
}

/// The retention sweep and its admin view.
#[derive(Debug, Clone)]
pub struct RetentionService {
    ports: Ports,
    policies: PolicyService,
    config: RetentionConfig,
}

/// A plan's [retention window](Plan::retention_window) in the whole days a policy receives
/// (`None` keeps files forever).
fn window_days(plan: &Plan) -> Option<u32> {
    plan.retention_window().map(|window| u32::try_from(window.num_days()).unwrap_or(u32::MAX))
}

impl RetentionService {
    /// Builds the service; the policy comes from `policies`' host at each sweep, so a swapped
    /// plugin decides the next batch.
    pub fn new(ports: Ports, policies: PolicyService, config: RetentionConfig) -> Self {
        Self { ports, policies, config }
    }

    fn policy(&self) -> Arc<dyn RetentionPolicy> {
        self.policies.host().retention_policy()
    }

    /// `native`, or `plugin <sha256>` for the active retention plugin.
    fn policy_label(&self) -> String {
        let status = self.policies.host().status().into_iter().find(|s| s.kind == PolicyKind::Retention);
        match status {
            Some(s) if s.implementation == PolicyImplementation::Wasm => {
                format!("plugin {}", s.sha256.unwrap_or_default())
            }
            _ => "native".into(),
        }
    }

    /// The scheduled task that runs the sweep on `retention.schedule`; `None` when scheduled
    /// sweeps are off. A bad cron expression is an error (at start, not at 3 AM).
    pub fn scheduled_task(&self) -> Result<Option<ScheduledTask>, ServiceError> {
        if !self.config.enabled {
            return Ok(None);
        }
        let schedule = Schedule::parse(&self.config.schedule).map_err(|message| {
            ServiceError::invalid(ErrorCode::InvalidSchedule, format!("retention.schedule: {message}"))
        })?;
        let service = self.clone();
        Ok(Some(ScheduledTask {
            name: SWEEP_TASK.into(),
            schedule,
            run: Arc::new(move |_slot| {
                let service = service.clone();
                Box::pin(async move {
                    match service.run(SweepTrigger::Schedule, None, &RequestMeta::default()).await {
                        Ok(sweep) => {
                            Ok(format!("{} files, {} bytes deleted", sweep.files_deleted, sweep.bytes_deleted))
                        }
                        Err(e) => Err(e.to_string()),
                    }
                })
            }),
        }))
    }

    /// The schedule, recent sweeps, totals, per-plan windows and the latest storage snapshot.
    /// Support role and above.
    pub async fn overview(&self, principal: &Principal) -> Result<RetentionOverview, ServiceError> {
        principal.require_staff(Role::Support)?;
        let m = &self.ports.maintenance;
        let task = m.task_states().await?.into_iter().find(|t| t.name == SWEEP_TASK);
        let next_run = Schedule::parse(&self.config.schedule)
            .ok()
            .filter(|_| self.config.enabled)
            .and_then(|s| s.next_after(self.ports.clock.now()));
        let plans = self
            .ports
            .plans
            .list_plans()
            .await?
            .into_iter()
            .map(|p| PlanWindow { retention_days: window_days(&p), plan: p.id })
            .collect();
        Ok(RetentionOverview {
            schedule: self.config.schedule.clone(),
            enabled: self.config.enabled,
            next_run,
            task,
            recent: m.recent_sweeps(10).await?,
            totals: m.sweep_totals().await?,
            plans,
            snapshot: m.latest_snapshot().await?,
            stored: m.storage_totals().await?,
            policy: self.policy_label(),
        })
    }

    /// What the active policy would delete now, deleting nothing. Admin role and above.
    pub async fn dry_run(&self, principal: &Principal) -> Result<Selection, ServiceError> {
        principal.require_staff(Role::Admin)?;
        self.select(self.policy().as_ref(), self.ports.clock.now()).await
    }

    /// What `policy` (for instance a plugin not yet installed) would delete now, deleting
    /// nothing. For the operator CLI, which has database access and no principal.
    pub async fn dry_run_with(&self, policy: &dyn RetentionPolicy) -> Result<Selection, ServiceError> {
        self.select(policy, self.ports.clock.now()).await
    }

    /// Runs a sweep now. Admin role and above, with a reason and an optional support ticket
    /// id; audited like a scheduled sweep, with both.
    pub async fn sweep_now(
        &self,
        principal: &Principal,
        reason: &str,
        ticket: Option<&str>,
        meta: &RequestMeta,
    ) -> Result<SweepRecord, ServiceError> {
        principal.require_staff(Role::Admin)?;
        let reason = super::account::require_reason(reason)?;
        let ticket = super::account::check_ticket(ticket)?;
        let actor =
            SweepActor { user: principal.user_id, reason: reason.to_owned(), ticket: ticket.map(str::to_owned) };
        self.run(SweepTrigger::Admin, Some(actor), meta).await
    }

    /// One sweep: the policy's deletions, the orphan cleanup, the record, the audit entry and
    /// the snapshot.
    pub async fn run(
        &self,
        trigger: SweepTrigger,
        actor: Option<SweepActor>,
        meta: &RequestMeta,
    ) -> Result<SweepRecord, ServiceError> {
        let started_at = self.ports.clock.now();
        let policy_label = self.policy_label();
        let mut errors: Vec<String> = Vec::new();
        let selection = self.select(self.policy().as_ref(), started_at).await?;
        if let Some(e) = &selection.error {
            errors.push(e.clone());
            self.policy_failed(selection.kept_on_error, e).await;
        }
        let (mut files_deleted, mut bytes_deleted, mut blobs_deleted) = (0u64, 0u64, 0u64);
        for file in &selection.files {
            match self.ports.files.delete_file(file.file_id).await {
                Ok(orphan) => {
                    files_deleted += 1;
                    bytes_deleted += file.size;
                    if let Some(key) = orphan {
                        // A failure leaves an orphan object, which the cleanup below retries.
                        match self.ports.store.delete(&key).await {
                            Ok(()) => blobs_deleted += 1,
                            Err(e) => errors.push(format!("deleting object {key}: {e}")),
                        }
                    }
                }
                // Deleted by its owner since it was selected.
                Err(RepoError::NotFound) => {}
                Err(e) => errors.push(format!("deleting file {}: {e}", file.file_id)),
            }
        }
        let (orphan_blobs, orphan_rows) = match self.clean_orphans(started_at).await {
            Ok(counts) => counts,
            Err(e) => {
                errors.push(format!("orphan cleanup: {e}"));
                (0, 0)
            }
        };
        let finished_at = self.ports.clock.now();
        let record = SweepRecord {
            started_at,
            finished_at,
            trigger: trigger.as_str().into(),
            policy: policy_label,
            files_deleted,
            bytes_deleted,
            blobs_deleted,
            orphan_blobs,
            orphan_rows,
            kept_on_error: selection.kept_on_error,
            error: errors.first().cloned(),
        };
        self.ports.maintenance.record_sweep(&record).await?;
        let (actor_id, reason, ticket) = match actor {
            Some(a) => (Some(a.user), Some(a.reason), a.ticket),
            None => (None, None, None),
        };
        self.ports
            .audit
            .record(&audit_entry(
                &self.ports,
                actor_id,
                "retention.sweep",
                "storage",
                Some(trigger.as_str().into()),
                json!({
                    "deletedFiles": record.files_deleted,
                    "bytesReclaimed": record.bytes_deleted,
                    "blobsDeleted": record.blobs_deleted,
                    "orphanBlobs": record.orphan_blobs,
                    "orphanRows": record.orphan_rows,
                    "keptOnError": record.kept_on_error,
                    "policy": record.policy,
                    "reason": reason,
                    "ticketId": ticket,
                    "error": record.error,
                }),
                meta,
            ))
            .await?;
        let totals = self.ports.maintenance.storage_totals().await?;
        self.ports
            .maintenance
            .add_snapshot(&StorageSnapshot {
                captured_at: finished_at,
                total_files: totals.files,
                total_bytes: totals.bytes,
                orphan_files: orphan_blobs,
            })
            .await?;
        tracing::info!(
            files = record.files_deleted,
            bytes = record.bytes_deleted,
            orphan_blobs,
            orphan_rows,
            kept = record.kept_on_error,
            "retention sweep finished"
        );
        Ok(record)
    }

    /// Pages through every file and asks `policy` about each batch. Read-only.
    async fn select(&self, policy: &dyn RetentionPolicy, now: DateTime<Utc>) -> Result<Selection, ServiceError> {
        let batch = u64::from(self.config.batch_size.max(1));
        let mut plans: HashMap<OrgId, (String, Option<u32>)> = HashMap::new();
        let mut selection = Selection::default();
        let mut after: Option<FileId> = None;
        loop {
            let rows = self.ports.maintenance.retention_page(after, batch).await?;
            let Some(last) = rows.last() else { break };
            after = Some(last.file_id);
            let mut candidates = Vec::with_capacity(rows.len());
            for row in &rows {
                let (plan, days) = self.plan_of(&mut plans, row.org_id).await?;
                candidates.push(RetentionCandidate {
                    file_id: row.file_id,
                    size: row.size,
                    completed_at: row.completed_at,
                    retention_days: days,
                    plan,
                });
            }
            selection.examined += rows.len() as u64;
            let chosen = policy.select_expired(&candidates, now).and_then(|ids| {
                check_selection(&ids, &candidates)?;
                Ok(ids)
            });
            match chosen {
                Ok(ids) => {
                    let ids: HashSet<FileId> = ids.into_iter().collect();
                    for (row, candidate) in rows.iter().zip(&candidates) {
                        // Whatever a policy says, a file whose job has not completed stays.
                        if ids.contains(&row.file_id) && row.completed_at.is_some() {
                            selection.bytes += row.size;
                            selection.files.push(expired(row, candidate));
                        }
                    }
                }
                Err(e) => {
                    selection.kept_on_error += rows.len() as u64;
                    selection.error.get_or_insert_with(|| format!("retention policy failed: {e}"));
                }
            }
            if (rows.len() as u64) < batch {
                break;
            }
        }
        Ok(selection)
    }

    /// The plan id and window of the organization `org` (its plan holder's plan), cached for one
    /// sweep.
    async fn plan_of(
        &self,
        cache: &mut HashMap<OrgId, (String, Option<u32>)>,
        org: OrgId,
    ) -> Result<(String, Option<u32>), ServiceError> {
        if let Some(known) = cache.get(&org) {
            return Ok(known.clone());
        }
        let plan = match super::job::org_plan(&self.ports, org).await {
            Ok(plan) => {
                let days = window_days(&plan);
                (plan.id, days)
            }
            // No plan in force: nothing says the files may go.
            Err(RepoError::NotFound) => ("none".into(), None),
            Err(e) => return Err(e.into()),
        };
        cache.insert(org, plan.clone());
        Ok(plan)
    }

    /// Deletes objects under `blobs/` that no row references (older than the grace period) and
    /// rows whose object is gone; returns how many of each.
    async fn clean_orphans(&self, now: DateTime<Utc>) -> Result<(u64, u64), ServiceError> {
        let grace = TimeDelta::seconds(i64::try_from(self.config.orphan_grace_secs).unwrap_or(i64::MAX / 1000));
        let cutoff = now - grace;
        // The listing comes first: a row written after it names an object that exists, which
        // the check below confirms before any row is deleted.
        let mut stored: HashMap<String, DateTime<Utc>> = HashMap::new();
        let mut objects = self.ports.store.list();
        while let Some(object) = objects.try_next().await.map_err(|e| ServiceError::Internal(Box::new(e)))? {
            if object.key.starts_with(BLOB_PREFIX) {
                stored.insert(object.key, object.last_modified);
            }
        }
        let mut referenced: HashSet<String> = HashSet::new();
        let mut after: Option<String> = None;
        loop {
            let keys = self.ports.maintenance.blob_keys_page(after.as_deref(), KEY_PAGE).await?;
            let done = (keys.len() as u64) < KEY_PAGE;
            after = keys.last().cloned();
            referenced.extend(keys);
            if done {
                break;
            }
        }
        let mut orphan_blobs = 0;
        for (key, modified) in &stored {
            if referenced.contains(key) || *modified > cutoff {
                continue;
            }
            match self.ports.store.delete(key).await {
                Ok(()) => orphan_blobs += 1,
                Err(e) => tracing::warn!(key, error = %e, "cannot delete an orphan object"),
            }
        }
        let mut orphan_rows = 0;
        for key in referenced.iter().filter(|k| !stored.contains_key(*k)) {
            match self.ports.store.size(key).await {
                Err(FileStoreError::NotFound) => {
                    let rows = self.ports.maintenance.delete_rows_for_blob(key).await?;
                    tracing::warn!(key, rows, "deleted file rows whose object is missing");
                    orphan_rows += rows;
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(key, error = %e, "cannot check an object"),
            }
        }
        Ok((orphan_blobs, orphan_rows))
    }

    /// Records that the policy failed (its batches were kept) as a security event.
    async fn policy_failed(&self, kept: u64, error: &str) {
        tracing::error!(kept, error, "retention policy failed; its batches were kept");
        let event = SecurityEvent {
            kind: "retention.policy_failed".into(),
            severity: Severity::Warn,
            actor_id: None,
            ip: None,
            payload: json!({ "kept": kept, "error": error, "policy": self.policy_label() }),
            created_at: self.ports.clock.now(),
        };
        if let Err(e) = self.ports.audit.record_security_event(&event).await {
            tracing::error!(error = %e, "cannot record a retention policy failure");
        }
    }
}

fn expired(row: &RetentionRow, candidate: &RetentionCandidate) -> ExpiredFile {
    ExpiredFile {
        file_id: row.file_id,
        job_id: row.job_id,
        user_id: row.user_id,
        size: row.size,
        plan: candidate.plan.clone(),
        completed_at: row.completed_at,
    }
}
