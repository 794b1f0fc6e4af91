//! The fleet of remote compute agents: their signed heartbeats, and the operator's view and
//! controls (list, inspect, cordon, drain, uncordon).
//!
//! Agents authenticate every request with the shared secret of [`AgentConfig`] (see
//! [`agent_auth`](super::agent_auth) for the scheme). The HTTP host calls
//! [`FleetService::verify_agent_request`] on the raw request before it parses the body, and
//! [`FleetService::record_heartbeat`] only once that succeeded. Every refusal is written as an
//! `agent.auth_failed` security event.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::account::{check_ticket, justified, require_reason};
use super::agent_auth::{ReplayGuard, parse_timestamp, verify};
use super::{Ports, RequestMeta, audit_entry};
use crate::auth::Principal;
use crate::config::AgentConfig;
use crate::domain::worker::is_valid_worker_id;
use crate::domain::{Heartbeat, HeartbeatRecord, Role, SecurityEvent, Severity, Worker, WorkerStatus};
use crate::error::{AgentAuthError, ErrorCode, Missing, RepoError, ServiceError};

/// Kind of the security event written for every refused agent request.
pub const AUTH_FAILED_EVENT: &str = "agent.auth_failed";

/// How many heartbeats [`FleetService::get_worker`] returns.
pub const HISTORY_LIMIT: u64 = 50;

/// Longest request path kept in a security event.
const MAX_EVENT_PATH_CHARS: usize = 256;

/// A worker as operators see it: its stored state plus what is computed at read time.
#[derive(Debug, Clone, PartialEq)]
pub struct FleetWorker {
    /// The stored worker.
    pub worker: Worker,
    /// Whether its latest heartbeat is older than [`AgentConfig::stale_after_secs`].
    pub stale: bool,
    /// `active_jobs / max_jobs` ([`Worker::load_factor`]).
    pub load_factor: f64,
}

/// One worker with its recent heartbeats.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerDetail {
    /// The worker.
    pub worker: FleetWorker,
    /// Its latest heartbeats, newest first (at most [`HISTORY_LIMIT`]), with an `offline` record
    /// after each silence longer than the staleness threshold ([`HeartbeatRecord::with_silences`]).
    pub history: Vec<HeartbeatRecord>,
}

/// Heartbeats from agents and the operator's controls over them.
///
/// Cheap to clone; clones share one replay guard, so a request accepted through one clone is a
/// replay for every other.
#[derive(Clone)]
pub struct FleetService {
    ports: Ports,
    config: AgentConfig,
    replay: Arc<ReplayGuard>,
}

impl fmt::Debug for FleetService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The guard's contents (thousands of signatures) say nothing useful in a log.
        f.debug_struct("FleetService")
            .field("config", &self.config)
            .field("remembered_signatures", &self.replay.len())
            .finish_non_exhaustive()
    }
}

impl FleetService {
    /// Builds the service.
    pub fn new(ports: Ports, config: AgentConfig) -> Self {
        let replay = Arc::new(ReplayGuard::new(config.signature_window(), ReplayGuard::DEFAULT_CAPACITY));
        Self { ports, config, replay }
    }

    /// The settings the service was built with.
    pub fn config(&self) -> &AgentConfig {
        &self.config
    }

    /// The current time on this host's clock (for responses to agents).
    pub fn now(&self) -> DateTime<Utc> {
        self.ports.clock.now()
    }

    /// `worker` with its staleness (at this host's current time) and load factor.
    ///
    /// A healthy worker past the staleness threshold is shown as offline
    /// ([`Worker::effective_status`]).
    pub fn describe(&self, mut worker: Worker) -> FleetWorker {
        let stale = worker.is_stale(self.now(), self.config.stale_after());
        worker.status = worker.effective_status(self.now(), self.config.stale_after());
        let load_factor = worker.load_factor();
        FleetWorker { worker, stale, load_factor }
    }

    /// Checks a signed agent request as received: the method, the path and query exactly as sent,
    /// the values of the [`TIMESTAMP_HEADER`](super::agent_auth::TIMESTAMP_HEADER) and
    /// [`SIGNATURE_HEADER`](super::agent_auth::SIGNATURE_HEADER) headers (None when absent) and
    /// the raw body bytes.
    ///
    /// Refuses with 403 `agents_disabled` when no secret is configured, and otherwise with
    /// [`ServiceError::AgentAuth`]: a missing or malformed header, a signature that does not
    /// match, a timestamp outside the window (expired or future-dated), or a replay of a request
    /// already accepted. Every refusal is written as an [`AUTH_FAILED_EVENT`] security event with
    /// the reason and the client address.
    pub async fn verify_agent_request(
        &self,
        method: &str,
        path_and_query: &str,
        timestamp_header: Option<&str>,
        signature_header: Option<&str>,
        body: &[u8],
        meta: &RequestMeta,
    ) -> Result<(), ServiceError> {
        // On refusal: the reason recorded in the security event, and the error returned.
        let outcome: Result<(), (&str, ServiceError)> = if self.config.enabled() {
            self.check_signature(method, path_and_query, timestamp_header, signature_header, body).map_err(|e| {
                let reason = match (e, timestamp_header.is_none() || signature_header.is_none()) {
                    (AgentAuthError::Malformed, true) => "missing_headers",
                    (AgentAuthError::Malformed, false) => "malformed",
                    (AgentAuthError::Expired, _) => "expired",
                    (AgentAuthError::FutureDated, _) => "future_dated",
                    (AgentAuthError::BadSignature, _) => "bad_signature",
                    (AgentAuthError::Replayed, _) => "replayed",
                    (AgentAuthError::ReplayGuardFull, _) => "replay_guard_full",
                };
                (reason, e.into())
            })
        } else {
            Err((
                "agents_disabled",
                ServiceError::forbidden(ErrorCode::AgentsDisabled, "remote agents are not enabled on this server"),
            ))
        };
        let Err((reason, error)) = outcome else {
            return Ok(());
        };
        tracing::warn!(reason, ip = meta.ip.as_deref(), "agent request refused");
        let path: String = path_and_query.chars().take(MAX_EVENT_PATH_CHARS).collect();
        let event = SecurityEvent {
            kind: AUTH_FAILED_EVENT.into(),
            severity: Severity::Warn,
            actor_id: None,
            ip: meta.ip.clone(),
            payload: json!({ "reason": reason, "method": method, "path": path }),
            created_at: self.now(),
        };
        // The refusal stands whether or not it could be recorded.
        if let Err(e) = self.ports.audit.record_security_event(&event).await {
            tracing::error!(error = %e, reason, "cannot record a refused agent request");
        }
        Err(error)
    }

    fn check_signature(
        &self,
        method: &str,
        path_and_query: &str,
        timestamp_header: Option<&str>,
        signature_header: Option<&str>,
        body: &[u8],
    ) -> Result<(), AgentAuthError> {
        let (Some(timestamp), Some(signature)) = (timestamp_header, signature_header) else {
            return Err(AgentAuthError::Malformed);
        };
        let timestamp = parse_timestamp(timestamp)?;
        let now = self.now();
        let secret = self.config.secret.as_bytes();
        verify(secret, method, path_and_query, timestamp, body, signature, now, self.config.signature_window())?;
        self.replay.check(signature, timestamp, now)
    }

    /// Records a heartbeat, stamped with this host's clock: registers a new worker as healthy,
    /// or updates a known one (an offline worker becomes healthy; a cordoned or draining one
    /// stays so). Call it only after [`FleetService::verify_agent_request`] accepted the request
    /// that carried it. Fails with 400 `invalid_heartbeat` when [`Heartbeat::validate`] does.
    pub async fn record_heartbeat(&self, heartbeat: Heartbeat) -> Result<Worker, ServiceError> {
        heartbeat.validate().map_err(|e| ServiceError::invalid(ErrorCode::InvalidHeartbeat, e.to_string()))?;
        Ok(self.ports.workers.record_heartbeat(&heartbeat, self.now()).await?)
    }

    async fn find(&self, id: &str) -> Result<Worker, ServiceError> {
        if !is_valid_worker_id(id) {
            return Err(ServiceError::NotFound { what: Missing::Worker });
        }
        match self.ports.workers.get_worker(id).await {
            Err(RepoError::NotFound) => Err(ServiceError::NotFound { what: Missing::Worker }),
            other => Ok(other?),
        }
    }

    /// Every worker, by id, with its staleness and load (support and above).
    pub async fn list_workers(&self, principal: &Principal) -> Result<Vec<FleetWorker>, ServiceError> {
        principal.require_staff(Role::Support)?;
        let workers = self.ports.workers.list_workers().await?;
        Ok(workers.into_iter().map(|w| self.describe(w)).collect())
    }

    /// One worker and its latest [`HISTORY_LIMIT`] heartbeats, newest first, with its silences
    /// shown as `offline` records (support and above).
    pub async fn get_worker(&self, principal: &Principal, id: &str) -> Result<WorkerDetail, ServiceError> {
        principal.require_staff(Role::Support)?;
        let worker = self.find(id).await?;
        let history = self.ports.workers.heartbeat_history(id, HISTORY_LIMIT).await?;
        let history = HeartbeatRecord::with_silences(history, self.now(), self.config.stale_after());
        Ok(WorkerDetail { worker: self.describe(worker), history })
    }

    /// Cordons a worker: it gets no new work, and its heartbeats no longer change its status,
    /// until it is uncordoned (admin and above, with a reason; audited as `worker.cordoned`).
    pub async fn cordon(
        &self,
        principal: &Principal,
        id: &str,
        reason: &str,
        meta: &RequestMeta,
    ) -> Result<FleetWorker, ServiceError> {
        self.set_status(principal, id, WorkerStatus::Cordoned, reason, None, meta).await
    }

    /// Drains a worker: it finishes what it runs but gets no new work, until it is uncordoned
    /// (admin and above, with a reason; audited as `worker.draining`).
    pub async fn drain(
        &self,
        principal: &Principal,
        id: &str,
        reason: &str,
        meta: &RequestMeta,
    ) -> Result<FleetWorker, ServiceError> {
        self.set_status(principal, id, WorkerStatus::Draining, reason, None, meta).await
    }

    /// Returns a cordoned or draining worker to `healthy` (admin and above, with a reason;
    /// audited as `worker.uncordoned`). A worker that is neither is refused with 409
    /// `worker_not_cordoned`.
    pub async fn uncordon(
        &self,
        principal: &Principal,
        id: &str,
        reason: &str,
        meta: &RequestMeta,
    ) -> Result<FleetWorker, ServiceError> {
        self.set_status(principal, id, WorkerStatus::Healthy, reason, None, meta).await
    }

    /// Cordons (`Cordoned`), drains (`Draining`) or uncordons (`Healthy`) a worker, as
    /// [`cordon`](Self::cordon), [`drain`](Self::drain) and [`uncordon`](Self::uncordon) do, with
    /// an optional support ticket id (up to 64 printable characters) kept in the audit entry
    /// beside the reason. `Offline` is not an operator's status: 400 `invalid_request`.
    pub async fn set_operator_status(
        &self,
        principal: &Principal,
        id: &str,
        status: WorkerStatus,
        reason: &str,
        ticket: Option<&str>,
        meta: &RequestMeta,
    ) -> Result<FleetWorker, ServiceError> {
        let ticket = check_ticket(ticket)?;
        if status == WorkerStatus::Offline {
            return Err(ServiceError::invalid(ErrorCode::InvalidRequest, "offline is not a status an operator sets"));
        }
        self.set_status(principal, id, status, reason, ticket, meta).await
    }

    async fn set_status(
        &self,
        principal: &Principal,
        id: &str,
        status: WorkerStatus,
        reason: &str,
        ticket: Option<&str>,
        meta: &RequestMeta,
    ) -> Result<FleetWorker, ServiceError> {
        principal.require_staff(Role::Admin)?;
        let reason = require_reason(reason)?;
        let action = match status {
            WorkerStatus::Cordoned => "worker.cordoned",
            WorkerStatus::Draining => "worker.draining",
            WorkerStatus::Healthy | WorkerStatus::Offline => "worker.uncordoned",
        };
        let current = self.find(id).await?;
        if status == WorkerStatus::Healthy && !current.status.is_operator_set() {
            return Err(ServiceError::conflict(
                ErrorCode::WorkerNotCordoned,
                format!("the worker is {}; only a cordoned or draining worker can be uncordoned", current.status),
            ));
        }
        let worker = match self.ports.workers.set_status(id, status).await {
            Err(RepoError::NotFound) => return Err(ServiceError::NotFound { what: Missing::Worker }),
            other => other?,
        };
        self.ports
            .audit
            .record(&audit_entry(
                &self.ports,
                Some(principal.user_id),
                action,
                "worker",
                Some(id.to_owned()),
                justified(json!({ "from": current.status, "to": status }), reason, ticket),
                meta,
            ))
            .await?;
        Ok(self.describe(worker))
    }

    /// The staleness threshold, as a duration.
    pub fn stale_after(&self) -> Duration {
        self.config.stale_after()
    }
}
