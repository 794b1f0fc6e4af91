//! Services: the business rules. Each is a concrete struct built from ports; all are cheap to
//! clone (they hold `Arc`s). [`Tseeder`] bundles them for embedders and the HTTP host.

pub mod account;
pub mod admin;
pub mod job;
pub mod queue;

use std::sync::Arc;

pub use account::AccountService;
pub use admin::AdminService;
pub use job::JobService;

use crate::config::{AuthConfig, JobConfig};
use crate::domain::{AuditEntry, UserId};
use crate::ports::{AccountRepository, AuditLog, BlocklistRepository, Clock, JobQueue, JobRepository, PlanRepository};

/// The ports the services need, as trait objects.
#[derive(Debug, Clone)]
pub struct Ports {
    /// Users, sessions, API keys.
    pub accounts: Arc<dyn AccountRepository>,
    /// Plans.
    pub plans: Arc<dyn PlanRepository>,
    /// Jobs.
    pub jobs: Arc<dyn JobRepository>,
    /// The durable queue.
    pub queue: Arc<dyn JobQueue>,
    /// Audit log and security events.
    pub audit: Arc<dyn AuditLog>,
    /// Infohash blocklist.
    pub blocklist: Arc<dyn BlocklistRepository>,
    /// Time.
    pub clock: Arc<dyn Clock>,
}

/// Configuration of the core services.
#[derive(Debug, Clone, Default, serde::Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct CoreConfig {
    /// Accounts and sessions.
    pub auth: AuthConfig,
    /// Jobs and their queue.
    pub jobs: JobConfig,
}

/// Every core service, built over one set of ports. This is what an embedder constructs.
#[derive(Debug, Clone)]
pub struct Tseeder {
    /// Accounts, sessions, API keys.
    pub accounts: AccountService,
    /// Job submission and control.
    pub jobs: JobService,
    /// Operator actions.
    pub admin: AdminService,
    /// The ports, for callers that need lower-level access (dispatchers, tests).
    pub ports: Ports,
}

impl Tseeder {
    /// Builds the services.
    pub fn new(ports: Ports, config: CoreConfig) -> Self {
        let jobs = JobService::new(ports.clone(), config.jobs.clone());
        Self {
            accounts: AccountService::new(ports.clone(), config.auth),
            admin: AdminService::new(ports.clone(), jobs.clone()),
            jobs,
            ports,
        }
    }
}

/// Where a request came from, for audit entries and security events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestMeta {
    /// Client IP.
    pub ip: Option<String>,
    /// Client user agent.
    pub user_agent: Option<String>,
}

pub(crate) fn audit_entry(
    ports: &Ports,
    actor: Option<UserId>,
    action: &str,
    target_type: &str,
    target_id: Option<String>,
    metadata: serde_json::Value,
    meta: &RequestMeta,
) -> AuditEntry {
    AuditEntry {
        actor_id: actor,
        action: action.to_owned(),
        target_type: target_type.to_owned(),
        target_id,
        metadata,
        ip: meta.ip.clone(),
        created_at: ports.clock.now(),
    }
}
