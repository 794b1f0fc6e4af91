//! Job submission and control: validation, blocklist, quotas, idempotency and the state machine.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::config::{flag_on, require_flag};
use super::events::{EventBus, JobNotice};
use super::{Ports, RequestMeta, audit_entry};
use crate::auth::Principal;
use crate::config::JobConfig;
use crate::domain::{
    FeatureFlag, Infohash, Job, JobEvent, JobEventKind, JobId, JobSource, JobStatus, JobTransition, MagnetLink, Month,
    NewJob, NewQueueMessage, OrgId, OrgRole, Page, PageRequest, Plan, QueueMessageId, QuotaRequest, RegionCode, Role,
    Scope, SecurityEvent, Severity, TorrentMeta, TransferKind, Usage, UserId,
};
use crate::error::{ErrorCode, Missing, QuotaKind, RepoError, ServiceError};
use crate::ports::{JobChange, JobFilter, JobSort, LabelFilter, NewJobEvent, QueueOp, UsageOf};

/// What the client sent to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitSource {
    /// A magnet link, as text.
    Magnet(String),
    /// The bytes of an uploaded `.torrent` file.
    Torrent(Vec<u8>),
}

/// A job submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmitJob {
    /// What to download.
    pub source: SubmitSource,
    /// A display name overriding the torrent's.
    pub name: Option<String>,
    /// The client's `Idempotency-Key`: resubmitting with the same key returns the same job.
    pub idempotency_key: Option<String>,
    /// Download only these files (indexes in the torrent's order); `None` for all. Checked at
    /// once for `.torrent` uploads, and when the metadata arrives for magnets.
    pub files: Option<Vec<u32>>,
    /// The region the job should preferably run in (a [`RegionCode`]; routing falls back to other
    /// regions when it is full). `None` uses the submitting user's default region, if they set
    /// one (see [`effective_region_hint`]).
    pub region_hint: Option<String>,
}

/// The result of a submission.
#[derive(Debug, Clone)]
pub struct SubmitOutcome {
    /// The job (new, or the existing one).
    pub job: Job,
    /// Whether a new job was created (false: idempotency key or a live job for the same
    /// infohash already existed for this user).
    pub created: bool,
}

/// A list query from a client.
#[derive(Debug, Clone, Default)]
pub struct ListJobs {
    /// Only this status.
    pub status: Option<JobStatus>,
    /// Sort key.
    pub sort: JobSort,
    /// Descending order.
    pub descending: bool,
    /// Every user's jobs (support and above only).
    pub all_users: bool,
    /// Staff filters, refused for other callers: only this user's jobs (with `all_users`)...
    pub user_id: Option<UserId>,
    /// ...only jobs run by this worker...
    pub worker_id: Option<String>,
    /// ...only jobs run by a worker of this region (as the fleet registry has it)...
    pub region: Option<RegionCode>,
    /// ...only jobs created at or before this time...
    pub created_before: Option<DateTime<Utc>>,
    /// ...or at or after this time.
    pub created_after: Option<DateTime<Utc>>,
    /// Only jobs carrying this category or tag of the caller's.
    pub label: Option<(crate::domain::LabelKind, String)>,
}

impl ListJobs {
    fn has_staff_filters(&self) -> bool {
        self.user_id.is_some()
            || self.worker_id.is_some()
            || self.region.is_some()
            || self.created_before.is_some()
            || self.created_after.is_some()
    }
}

/// What a submission would download and what it would cost, computed without creating a job
/// ([`JobService::preview`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobPreview {
    /// The torrent's name.
    pub name: String,
    /// The torrent's infohash.
    pub infohash: Infohash,
    /// `magnet` or `torrent`.
    pub source_kind: &'static str,
    /// The sum of the file sizes.
    pub total_bytes: u64,
    /// Every file, in the torrent's order (the index is what `files` of a submission names).
    pub files: Vec<crate::domain::TorrentFile>,
    /// The cost against the caller's plan.
    pub cost: PreviewCost,
}

/// A preview's cost against the caller's plan, for the whole torrent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewCost {
    /// The plan's id (`free`, `pro`...).
    pub plan: String,
    /// Bytes the caller stores now.
    pub storage_used_bytes: u64,
    /// The plan's storage limit; `None` for unlimited.
    pub storage_limit_bytes: Option<u64>,
    /// Bytes left before the limit; `None` for unlimited.
    pub storage_left_bytes: Option<u64>,
    /// Jobs of the caller in an active status now.
    pub active_jobs: u64,
    /// The plan's limit on active jobs; `None` for unlimited.
    pub max_active_jobs: Option<u64>,
    /// The plan's limit on a single file; `None` for unlimited.
    pub max_file_size_bytes: Option<u64>,
    /// Whether submitting every file now would pass the plan's checks.
    pub fits: bool,
    /// Why not, when it does not (the message a submission would get).
    pub refusal: Option<String>,
}

/// How long a magnet preview waits for a peer to send the metadata.
pub const PREVIEW_METADATA_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// Job operations.
#[derive(Debug, Clone)]
pub struct JobService {
    ports: Ports,
    config: Arc<JobConfig>,
    events: EventBus,
    metadata: Option<Arc<dyn crate::ports::MetadataSource>>,
}

struct Parsed {
    infohash: Infohash,
    name: String,
    total_bytes: Option<u64>,
    largest_file: Option<u64>,
    source: JobSource,
}

/// Checks a file selection: non-empty, no duplicates, at most [`TorrentMeta::MAX_FILES`]
/// entries, and (when the file count is known) every index in range. Returns it sorted.
pub fn check_selection(files: &[u32], file_count: Option<usize>) -> Result<Vec<u32>, ServiceError> {
    let mut sorted = files.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    if sorted.is_empty() || sorted.len() != files.len() || sorted.len() > TorrentMeta::MAX_FILES {
        return Err(ServiceError::invalid(ErrorCode::InvalidSelection, "select at least one file, each index once"));
    }
    if let Some(count) = file_count
        && sorted.last().is_some_and(|&last| last as usize >= count)
    {
        return Err(ServiceError::invalid(
            ErrorCode::InvalidSelection,
            format!("the torrent has {count} files; file indexes start at 0"),
        ));
    }
    Ok(sorted)
}

fn parse_source(source: SubmitSource, selection: Option<&[u32]>) -> Result<(Parsed, Option<Vec<u32>>), ServiceError> {
    let parsed = parse_source_only(source)?;
    let selection = match (selection, &parsed.source) {
        (None, _) => None,
        (Some(files), JobSource::Magnet(_)) => Some(check_selection(files, None)?),
        (Some(files), JobSource::Torrent(bytes)) => {
            let meta = TorrentMeta::parse(bytes)
                .map_err(|e| ServiceError::invalid(ErrorCode::InvalidTorrent, e.to_string()))?;
            let sorted = check_selection(files, Some(meta.files.len()))?;
            let chosen: Vec<u64> = sorted.iter().map(|&i| meta.files[i as usize].size).collect();
            return Ok((
                Parsed { total_bytes: Some(chosen.iter().sum()), largest_file: chosen.iter().copied().max(), ..parsed },
                Some(sorted),
            ));
        }
    };
    Ok((parsed, selection))
}

fn parse_source_only(source: SubmitSource) -> Result<Parsed, ServiceError> {
    match source {
        SubmitSource::Magnet(text) => {
            let magnet =
                MagnetLink::parse(&text).map_err(|e| ServiceError::invalid(ErrorCode::InvalidMagnet, e.to_string()))?;
            Ok(Parsed {
                infohash: magnet.infohash(),
                name: magnet.display_name().map_or_else(|| magnet.infohash().to_hex(), str::to_owned),
                total_bytes: None,
                largest_file: None,
                source: JobSource::Magnet(magnet),
            })
        }
        SubmitSource::Torrent(bytes) => {
            let meta = TorrentMeta::parse(&bytes)
                .map_err(|e| ServiceError::invalid(ErrorCode::InvalidTorrent, e.to_string()))?;
            Ok(Parsed {
                infohash: meta.infohash,
                largest_file: meta.files.iter().map(|f| f.size).max(),
                total_bytes: Some(meta.total_size),
                name: meta.name,
                source: JobSource::Torrent(bytes.into()),
            })
        }
    }
}

/// Checks a display name: trimmed, 1 to 255 characters, no control characters.
pub fn check_name(name: &str) -> Result<String, ServiceError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 255 || name.chars().any(char::is_control) {
        return Err(ServiceError::invalid(ErrorCode::InvalidName, "the name must be 1 to 255 printable characters"));
    }
    Ok(name.to_owned())
}

fn check_idempotency_key(key: &str) -> Result<String, ServiceError> {
    let ok = !key.is_empty() && key.len() <= 255 && key.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        Ok(key.to_owned())
    } else {
        Err(ServiceError::invalid(
            ErrorCode::InvalidIdempotencyKey,
            "Idempotency-Key must be 1 to 255 visible ASCII characters",
        ))
    }
}

fn check_region_hint(region: &str) -> Result<RegionCode, ServiceError> {
    RegionCode::parse(region).map_err(|e| ServiceError::invalid(ErrorCode::InvalidRegion, format!("regionHint: {e}")))
}

/// The region a new job prefers: the submission's own hint wins over the user's default region;
/// with neither, any region.
pub fn effective_region_hint(explicit: Option<RegionCode>, user_default: Option<RegionCode>) -> Option<RegionCode> {
    explicit.or(user_default)
}

fn not_found(e: RepoError) -> ServiceError {
    match e {
        RepoError::NotFound => ServiceError::NotFound { what: Missing::Job },
        other => other.into(),
    }
}

/// The plan an organization runs on: the plan its subscription pays for while that grants it
/// ([`Subscription::grants_plan`](crate::domain::Subscription::grants_plan)), else its plan
/// holder's current plan (for a personal organization, its user's). The one rule behind every
/// quota decision, at submission and when a download's files arrive, and every retention window.
pub async fn org_plan(ports: &Ports, org: OrgId) -> Result<Plan, RepoError> {
    let now = ports.clock.now();
    if let Some(subscription) = ports.billing.subscription(org).await?
        && subscription.grants_plan(now)
    {
        return ports.plans.get_plan(&subscription.plan_id).await;
    }
    let holder = ports.orgs.plan_holder(org).await?;
    ports.plans.current_plan(holder, now).await
}

/// An organization's consumption now: its jobs and storage
/// ([`JobRepository::usage`](crate::ports::JobRepository::usage)) and this calendar month's
/// bandwidth from the meter. The one reading behind quota decisions and `/usage`.
pub async fn org_usage(ports: &Ports, org: OrgId) -> Result<Usage, RepoError> {
    let usage = ports.jobs.usage(UsageOf::org(org)).await?;
    let bandwidth = ports.meter.bandwidth(org, Month::of(ports.clock.now())).await?;
    Ok(Usage { bandwidth, ..usage })
}

/// Adds bytes an organization moved to this month's meter. The bytes have already moved, so a
/// failure to count them is logged and does not fail the caller.
pub async fn record_transfer(ports: &Ports, org: OrgId, kind: TransferKind, bytes: u64) {
    let month = Month::of(ports.clock.now());
    if let Err(e) = ports.meter.record(org, month, kind, bytes).await {
        tracing::warn!(%org, ?kind, bytes, error = %e, "could not meter a transfer");
    }
}

/// A job found again by a repeated submission, if it belongs to the organization the caller
/// acts in now; a job of another organization is not theirs to see from here.
fn same_org(principal: &Principal, job: Job) -> Result<SubmitOutcome, ServiceError> {
    if job.org_id == principal.org.id {
        Ok(SubmitOutcome { job, created: false })
    } else {
        Err(ServiceError::conflict(
            ErrorCode::DuplicateJob,
            "this idempotency key was used for a job in another organization",
        ))
    }
}

/// The job that has waited longest in the queue, if any: the one reading behind the queue's
/// alert, its status-page state, its dashboard series and its Prometheus gauge.
pub async fn oldest_queued(jobs: &dyn crate::ports::JobRepository) -> Result<Option<Job>, RepoError> {
    let filter = crate::ports::JobFilter {
        status: Some(JobStatus::Queued),
        sort: crate::ports::JobSort::CreatedAt,
        descending: false,
        ..crate::ports::JobFilter::default()
    };
    Ok(jobs.list_jobs(&filter, crate::domain::PageRequest { page: 1, limit: 1 }).await?.items.into_iter().next())
}

impl JobService {
    /// Builds the service.
    pub fn new(ports: Ports, config: JobConfig, events: EventBus) -> Self {
        Self { ports, config: Arc::new(config), events, metadata: None }
    }

    /// The same service, looking up magnets' metadata for [`preview`](Self::preview) with
    /// `source`.
    pub fn with_metadata_source(mut self, source: Arc<dyn crate::ports::MetadataSource>) -> Self {
        self.metadata = Some(source);
        self
    }

    /// What submitting `source` would download, and its cost against the caller's plan, without
    /// creating anything: the `.torrent` is parsed (or, for a magnet, its metadata fetched from
    /// peers within `timeout` and parsed) with the same checks as a submission, the blocklist is
    /// asked, and the plan's quotas are checked against the whole torrent.
    ///
    /// # Errors
    /// `invalid_magnet`/`invalid_torrent` for bad input (also for metadata from peers that fails
    /// the checks), `blocked`, `preview_unavailable` when magnets cannot be looked up here (no
    /// metadata source: remote-agent dispatch, or no engine), `metadata_timeout` when no peer
    /// answered in time, `missing_scope` without `jobs:write`.
    pub async fn preview(
        &self,
        principal: &Principal,
        source: SubmitSource,
        timeout: std::time::Duration,
    ) -> Result<JobPreview, ServiceError> {
        principal.require_scope(Scope::JobsWrite)?;
        let (bytes, source_kind) = match source {
            SubmitSource::Torrent(bytes) => (bytes, "torrent"),
            SubmitSource::Magnet(text) => {
                let magnet = MagnetLink::parse(&text)
                    .map_err(|e| ServiceError::invalid(ErrorCode::InvalidMagnet, e.to_string()))?;
                let Some(metadata) = &self.metadata else {
                    return Err(ServiceError::Unavailable {
                        code: ErrorCode::PreviewUnavailable,
                        message: "magnet links cannot be previewed on this server (its downloads run on remote \
                                  agents); submit the magnet, or preview its .torrent file"
                            .into(),
                    });
                };
                let bytes = metadata.fetch_metadata(&magnet, timeout).await.map_err(|e| match e {
                    crate::ports::ComputeError::Busy(message) => {
                        ServiceError::Unavailable { code: ErrorCode::MetadataTimeout, message }
                    }
                    crate::ports::ComputeError::Invalid(message) => {
                        ServiceError::Unavailable { code: ErrorCode::PreviewUnavailable, message }
                    }
                    crate::ports::ComputeError::Backend(e) => ServiceError::Internal(e),
                })?;
                let meta = TorrentMeta::parse(&bytes).map_err(|e| {
                    ServiceError::invalid(ErrorCode::InvalidTorrent, format!("the peers' metadata is unusable: {e}"))
                })?;
                if meta.infohash != magnet.infohash() {
                    return Err(ServiceError::invalid(
                        ErrorCode::InvalidTorrent,
                        "the peers sent metadata of another torrent",
                    ));
                }
                (bytes, "magnet")
            }
        };
        let meta =
            TorrentMeta::parse(&bytes).map_err(|e| ServiceError::invalid(ErrorCode::InvalidTorrent, e.to_string()))?;
        if self.ports.blocklist.is_blocked(meta.infohash).await? {
            return Err(ServiceError::Blocked);
        }
        let (plan, usage) = self.plan_and_usage(principal).await?;
        let largest = meta.files.iter().map(|f| f.size).max();
        let refusal = plan.check(&usage, &QuotaRequest::submission(Some(meta.total_size), largest)).err();
        let storage_limit_bytes = plan.max_storage_bytes.as_option();
        let cost = PreviewCost {
            plan: plan.id.clone(),
            storage_used_bytes: usage.storage_bytes,
            storage_limit_bytes,
            storage_left_bytes: storage_limit_bytes.map(|limit| limit.saturating_sub(usage.storage_bytes)),
            active_jobs: usage.active_jobs,
            max_active_jobs: plan.max_jobs.as_option(),
            max_file_size_bytes: plan.max_file_size_bytes.as_option(),
            fits: refusal.is_none(),
            refusal: refusal.map(|e| e.message),
        };
        Ok(JobPreview {
            name: meta.name,
            infohash: meta.infohash,
            source_kind,
            total_bytes: meta.total_size,
            files: meta.files,
            cost,
        })
    }

    /// The bus live listeners subscribe to.
    pub fn events_bus(&self) -> &EventBus {
        &self.events
    }

    /// The job configuration (queue name, retry schedule).
    pub fn config(&self) -> &JobConfig {
        &self.config
    }

    /// A queue message for a job, visible now.
    pub fn queue_message(&self, job: JobId) -> NewQueueMessage {
        let now = self.ports.clock.now();
        NewQueueMessage {
            id: QueueMessageId::new(),
            queue: self.config.queue.clone(),
            job_id: Some(job),
            payload: json!({ "jobId": job }),
            max_attempts: self.config.retry.max_attempts,
            visible_at: now,
            created_at: now,
        }
    }

    /// Validates and queues a download; without an explicit region hint the job takes the
    /// user's default region. The job row, its first history entry, its queue message
    /// and the audit entry are written in one transaction.
    pub async fn submit(
        &self,
        principal: &Principal,
        request: SubmitJob,
        meta: &RequestMeta,
    ) -> Result<SubmitOutcome, ServiceError> {
        principal.require_scope(Scope::JobsWrite)?;
        let user = principal.user_id;
        let idempotency_key = request.idempotency_key.as_deref().map(check_idempotency_key).transpose()?;
        let region_hint = request.region_hint.as_deref().map(check_region_hint).transpose()?;
        if let Some(key) = &idempotency_key
            && let Some(job) = self.ports.jobs.find_job_by_idempotency_key(user, key).await?
        {
            return same_org(principal, job);
        }
        self.check_flags(&request.source).await?;
        let (parsed, selected_files) = parse_source(request.source, request.files.as_deref())?;
        let name = match request.name.as_deref() {
            Some(name) => check_name(name)?,
            None => check_name(&parsed.name).unwrap_or_else(|_| parsed.infohash.to_hex()),
        };
        if self.ports.blocklist.is_blocked(parsed.infohash).await? {
            let event = SecurityEvent {
                kind: "job.blocked_submission".into(),
                severity: Severity::Warn,
                actor_id: Some(user),
                ip: meta.ip.clone(),
                payload: json!({ "infohash": parsed.infohash }),
                created_at: self.ports.clock.now(),
            };
            self.ports.audit.record_security_event(&event).await?;
            return Err(ServiceError::Blocked);
        }
        if let Some(job) = self.ports.jobs.find_live_job_by_infohash(principal.org.id, user, parsed.infohash).await? {
            return Ok(SubmitOutcome { job, created: false });
        }
        self.check_quota(principal, &QuotaRequest::submission(parsed.total_bytes, parsed.largest_file)).await?;
        // The user's default is only looked up when it can matter.
        let user_default =
            if region_hint.is_none() { self.ports.accounts.get_user(user).await?.default_region } else { None };
        let region_hint = effective_region_hint(region_hint, user_default);

        let now = self.ports.clock.now();
        let new = NewJob {
            id: JobId::new(),
            user_id: user,
            org_id: principal.org.id,
            name,
            infohash: parsed.infohash,
            source: parsed.source,
            idempotency_key: idempotency_key.clone(),
            selected_files,
            region_hint,
            total_bytes: parsed.total_bytes,
            created_at: now,
        };
        let message = self.queue_message(new.id);
        let audit = audit_entry(
            &self.ports,
            Some(user),
            "job.created",
            "job",
            Some(new.id.to_string()),
            json!({ "infohash": new.infohash, "source": new.source.kind() }),
            meta,
        );
        match self.ports.jobs.create_job(&new, &message, &audit).await {
            Ok(job) => {
                self.events.publish(job.id, JobNotice::Changed);
                self.events.job_enqueued();
                Ok(SubmitOutcome { job, created: true })
            }
            // Lost a race with an identical submission: return the winner.
            Err(RepoError::Conflict(_)) => {
                let existing = match &idempotency_key {
                    Some(key) => self.ports.jobs.find_job_by_idempotency_key(user, key).await?,
                    None => None,
                };
                let existing = match existing {
                    Some(job) => Some(job),
                    None => self.ports.jobs.find_live_job_by_infohash(new.org_id, user, new.infohash).await?,
                };
                match existing {
                    Some(job) => same_org(principal, job),
                    None => Err(ServiceError::conflict(
                        ErrorCode::DuplicateJob,
                        "an identical job was submitted at the same time",
                    )),
                }
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The flags a submission depends on: maintenance mode, and the switch of its kind.
    async fn check_flags(&self, source: &SubmitSource) -> Result<(), ServiceError> {
        if flag_on(&self.ports, FeatureFlag::MaintenanceMode).await? {
            return Err(ServiceError::forbidden(
                ErrorCode::MaintenanceMode,
                "the service is in maintenance and accepts no new jobs; try again later",
            ));
        }
        match source {
            SubmitSource::Magnet(_) => {
                require_flag(
                    &self.ports,
                    FeatureFlag::MagnetLinks,
                    ErrorCode::MagnetLinksDisabled,
                    "magnet links are switched off on this server",
                )
                .await
            }
            SubmitSource::Torrent(_) => {
                require_flag(
                    &self.ports,
                    FeatureFlag::TorrentUpload,
                    ErrorCode::TorrentUploadDisabled,
                    ".torrent uploads are switched off on this server",
                )
                .await
            }
        }
    }

    async fn check_quota(&self, principal: &Principal, request: &QuotaRequest) -> Result<(), ServiceError> {
        let (plan, usage) = self.plan_and_usage(principal).await?;
        Ok(plan.check(&usage, request)?)
    }

    async fn plan_and_usage(&self, principal: &Principal) -> Result<(Plan, Usage), ServiceError> {
        let plan = match org_plan(&self.ports, principal.org.id).await {
            Err(RepoError::NotFound) => {
                return Err(ServiceError::QuotaExceeded {
                    kind: QuotaKind::Jobs,
                    message: "this organization has no active plan".into(),
                    resets_at: None,
                });
            }
            other => other?,
        };
        let usage = org_usage(&self.ports, principal.org.id).await?;
        Ok((plan, usage))
    }

    /// Loads a job the caller may see ([`Principal::can_see_job`]). Jobs they may not see look
    /// exactly like missing ones.
    pub async fn get(&self, principal: &Principal, id: JobId) -> Result<Job, ServiceError> {
        principal.require_scope(Scope::JobsRead)?;
        let job = self.ports.jobs.get_job(id).await.map_err(not_found)?;
        if !principal.can_see_job(&job) {
            return Err(ServiceError::NotFound { what: Missing::Job });
        }
        Ok(job)
    }

    /// Loads a job the caller may change ([`Principal::can_change_job`]; staff use admin actions
    /// on others' jobs).
    pub(crate) async fn get_owned(&self, principal: &Principal, id: JobId) -> Result<Job, ServiceError> {
        principal.require_scope(Scope::JobsWrite)?;
        let job = self.ports.jobs.get_job(id).await.map_err(not_found)?;
        if !principal.can_change_job(&job) {
            return Err(ServiceError::NotFound { what: Missing::Job });
        }
        Ok(job)
    }

    /// Lists the caller's jobs (or everyone's, for staff asking for it).
    pub async fn list(
        &self,
        principal: &Principal,
        query: ListJobs,
        page: PageRequest,
    ) -> Result<Page<Job>, ServiceError> {
        principal.require_scope(Scope::JobsRead)?;
        if query.all_users || query.has_staff_filters() {
            principal.require_staff(Role::Support)?;
        }
        // A worker or a region narrows to a set of workers; both narrow to their intersection.
        let mut worker_ids = query.worker_id.clone().map(|w| vec![w]);
        if let Some(region) = &query.region {
            let in_region: Vec<String> = self
                .ports
                .workers
                .list_workers()
                .await?
                .into_iter()
                .filter(|w| &w.region == region)
                .map(|w| w.id)
                .collect();
            worker_ids = Some(match worker_ids {
                Some(ids) => ids.into_iter().filter(|id| in_region.contains(id)).collect(),
                None => in_region,
            });
        }
        // Staff asking for everyone's jobs see every organization; everyone else sees the
        // organization they act in: all of it as an owner or admin, their own jobs as a member.
        let (org_id, user_id) = if query.all_users {
            (None, query.user_id)
        } else if principal.org.role >= OrgRole::Admin {
            (Some(principal.org.id), None)
        } else {
            (Some(principal.org.id), Some(principal.user_id))
        };
        // A label names a category or tag of the caller's, checked like one.
        let label = match query.label {
            Some((kind, name)) => {
                Some(LabelFilter { user_id: principal.user_id, kind, name: super::label::checked(kind, &name)? })
            }
            None => None,
        };
        let filter = JobFilter {
            org_id,
            user_id,
            status: query.status,
            worker_ids,
            created_before: query.created_before,
            created_after: query.created_after,
            label,
            sort: query.sort,
            descending: query.descending,
        };
        Ok(self.ports.jobs.list_jobs(&filter, page).await?)
    }

    /// The job's history after `after_seq`.
    pub async fn events(
        &self,
        principal: &Principal,
        id: JobId,
        after_seq: u64,
        limit: u64,
    ) -> Result<Vec<JobEvent>, ServiceError> {
        self.get(principal, id).await?;
        Ok(self.ports.jobs.list_job_events(id, after_seq, limit.clamp(1, 1000)).await?)
    }

    /// Renames a job.
    pub async fn rename(
        &self,
        principal: &Principal,
        id: JobId,
        name: &str,
        meta: &RequestMeta,
    ) -> Result<Job, ServiceError> {
        let job = self.get_owned(principal, id).await?;
        let name = check_name(name)?;
        let now = self.ports.clock.now();
        let mut change = JobChange::edit(&job, now);
        change.event =
            Some(NewJobEvent { kind: JobEventKind::JobRenamed, payload: json!({ "from": job.name, "to": name }) });
        change.audit = Some(audit_entry(
            &self.ports,
            Some(principal.user_id),
            "job.renamed",
            "job",
            Some(id.to_string()),
            json!({ "to": name }),
            meta,
        ));
        change.name = Some(name);
        self.apply(id, change).await
    }

    /// Pauses a job.
    pub async fn pause(&self, principal: &Principal, id: JobId, meta: &RequestMeta) -> Result<Job, ServiceError> {
        let job = self.get_owned(principal, id).await?;
        self.transition(principal, &job, JobTransition::Pause, "job.paused", meta).await
    }

    /// Resumes a paused job: it goes back to the queue with its full source.
    pub async fn resume(&self, principal: &Principal, id: JobId, meta: &RequestMeta) -> Result<Job, ServiceError> {
        let job = self.get_owned(principal, id).await?;
        self.transition(principal, &job, JobTransition::Resume, "job.resumed", meta).await
    }

    /// Cancels a job.
    pub async fn cancel(&self, principal: &Principal, id: JobId, meta: &RequestMeta) -> Result<Job, ServiceError> {
        let job = self.get_owned(principal, id).await?;
        self.transition(principal, &job, JobTransition::Cancel, "job.cancelled", meta).await
    }

    /// Moves a job through the state machine on behalf of `principal`, with history and audit.
    pub(crate) async fn transition(
        &self,
        principal: &Principal,
        job: &Job,
        transition: JobTransition,
        action: &str,
        meta: &RequestMeta,
    ) -> Result<Job, ServiceError> {
        let now = self.ports.clock.now();
        let mut change = JobChange::transition(job, transition, now)?
            .noted(JobEventKind::StatusChanged, json!({ "actor": principal.user_id }));
        let next = change.status();
        if transition == JobTransition::Resume {
            change.queue = Some(QueueOp::Enqueue(self.queue_message(job.id)));
        }
        change.audit = Some(audit_entry(
            &self.ports,
            Some(principal.user_id),
            action,
            "job",
            Some(job.id.to_string()),
            json!({ "from": job.status, "to": next }),
            meta,
        ));
        self.apply(job.id, change).await
    }

    /// A compare-and-set job write that also notifies live listeners (every status change,
    /// from users, admins or the dispatcher, goes through here).
    pub(crate) async fn ports_update(&self, id: JobId, change: &JobChange) -> Result<Job, RepoError> {
        let job = self.ports.jobs.update_job(id, change).await?;
        self.events.publish(id, JobNotice::Changed);
        if matches!(change.queue, Some(QueueOp::Enqueue(_) | QueueOp::Replay(_))) {
            self.events.job_enqueued();
        }
        Ok(job)
    }

    pub(crate) async fn apply(&self, id: JobId, change: JobChange) -> Result<Job, ServiceError> {
        match self.ports_update(id, &change).await {
            Err(RepoError::Conflict(_)) => {
                Err(ServiceError::conflict(ErrorCode::JobChanged, "the job changed meanwhile; reload and try again"))
            }
            other => other.map_err(not_found),
        }
    }

    /// Deletes a finished (completed, failed or cancelled) job.
    pub async fn delete(&self, principal: &Principal, id: JobId, meta: &RequestMeta) -> Result<(), ServiceError> {
        let job = self.get_owned(principal, id).await?;
        if !job.status.is_terminal() {
            return Err(ServiceError::conflict(ErrorCode::JobNotTerminal, "cancel the job before deleting it"));
        }
        let audit = audit_entry(
            &self.ports,
            Some(principal.user_id),
            "job.deleted",
            "job",
            Some(id.to_string()),
            json!({ "name": job.name }),
            meta,
        );
        // Rows first, then the blobs nobody else uses: a crash in between leaves only orphan
        // objects (swept later), never rows pointing at deleted objects.
        for orphan in self.ports.files.delete_job_files(id).await? {
            if let Err(e) = self.ports.store.delete(&orphan).await {
                tracing::warn!(key = %orphan, error = %e, "could not delete a blob; it will be swept as an orphan");
            }
        }
        self.ports.jobs.delete_job(id, &audit).await.map_err(not_found)?;
        self.events.publish(id, JobNotice::Changed);
        Ok(())
    }

    /// The plan and consumption of the organization the caller acts in.
    pub async fn usage(&self, principal: &Principal) -> Result<(Plan, Usage), ServiceError> {
        principal.require_scope(Scope::JobsRead)?;
        self.plan_and_usage(principal).await
    }

    /// Every plan (public).
    pub async fn plans(&self) -> Result<Vec<Plan>, ServiceError> {
        Ok(self.ports.plans.list_plans().await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(r: &str) -> RegionCode {
        RegionCode::parse(r).unwrap()
    }

    #[test]
    fn an_explicit_hint_wins_over_the_users_default_region() {
        assert_eq!(effective_region_hint(Some(region("eu")), Some(region("us"))), Some(region("eu")));
        assert_eq!(effective_region_hint(Some(region("eu")), None), Some(region("eu")));
        assert_eq!(effective_region_hint(None, Some(region("us"))), Some(region("us")), "the default fills in");
        assert_eq!(effective_region_hint(None, None), None, "neither: any region");
    }

    #[test]
    fn malformed_region_hints_are_invalid_region() {
        assert_eq!(check_region_hint("eu-west").unwrap(), region("eu-west"));
        for bad in ["", "EU", "eu west", &"a".repeat(33)] {
            assert_eq!(check_region_hint(bad).unwrap_err().code().as_str(), "invalid_region", "{bad:?}");
        }
    }
}
