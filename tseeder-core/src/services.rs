//! Services: the business rules. Each is a concrete struct built from ports; all are cheap to
//! clone (they hold `Arc`s). [`Tseeder`] bundles them for embedders and the HTTP host.

pub mod account;
pub mod admin;
pub mod admin_users;
pub mod agent_auth;
pub mod alerts;
pub mod billing;
pub mod completed;
pub mod config;
pub mod dispatcher;
pub mod events;
pub mod file;
pub mod fleet;
pub mod job;
pub mod label;
pub mod mail;
pub mod native_retention;
pub mod observability;
pub mod org;
pub mod policy;
pub mod relay;
pub mod retention;
pub mod retry;
pub mod routing;
pub mod scheduler;
pub mod status;
pub mod storing;

use std::sync::Arc;

pub use account::AccountService;
pub use admin::AdminService;
pub use admin_users::{Justification, Suspension, UserAdminService, UserDetail};
pub use alerts::{Alert, AlertConfig, AlertSection, AlertService, AlertSeverity};
pub use billing::BillingService;
pub use completed::{CompletedFiles, Placement};
pub use config::{ConfigService, Setting, SettingUpdate, flag_on};
pub use dispatcher::Dispatcher;
pub use events::EventBus;
pub use file::FileService;
pub use fleet::FleetService;
pub use job::JobService;
pub use label::LabelService;
pub use native_retention::NativeRetentionPolicy;
pub use observability::{ObservabilityConfig, ObservabilityService};
pub use org::OrgService;
pub use policy::{NativePolicyHost, PolicyService};
pub use retention::{RetentionService, SweepActor, SweepTrigger};
pub use routing::NativeRoutingPolicy;
pub use scheduler::{Schedule, ScheduledTask, Scheduler};
pub use status::{StatusConfig, StatusService};
pub use storing::StoringEngine;

use crate::config::{
    AgentConfig, AuthConfig, BillingConfig, CacheConfig, DispatchConfig, FileConfig, JobConfig, OrgConfig,
    RetentionConfig, SchedulerConfig,
};
use crate::domain::{AuditEntry, UserId};
use crate::ports::{
    AccountRepository, AdminSearch, AuditLog, BandwidthMeter, BillingProvider, BillingRepository, BlocklistRepository,
    Clock, ConfigRepository, FileRepository, FileStore, JobQueue, JobRepository, LabelRepository, Mailer,
    MaintenanceRepository, MetricsRepository, OrgRepository, PlanRepository, StatusRepository, WorkerRegistry,
};
use crate::read_cache::ReadCache;

/// The ports the services need, as trait objects.
#[derive(Debug, Clone)]
pub struct Ports {
    /// Users, sessions, API keys.
    pub accounts: Arc<dyn AccountRepository>,
    /// Organizations, members and invites.
    pub orgs: Arc<dyn OrgRepository>,
    /// Billing customers, subscriptions and processed provider events.
    pub billing: Arc<dyn BillingRepository>,
    /// The payment provider ([`NoBilling`](crate::ports::NoBilling) when payments are off).
    pub payments: Arc<dyn BillingProvider>,
    /// Plans.
    pub plans: Arc<dyn PlanRepository>,
    /// Bytes each organization downloaded and served, per month.
    pub meter: Arc<dyn BandwidthMeter>,
    /// Jobs.
    pub jobs: Arc<dyn JobRepository>,
    /// Each user's categories and tags, and their jobs'.
    pub labels: Arc<dyn LabelRepository>,
    /// The durable queue.
    pub queue: Arc<dyn JobQueue>,
    /// Audit log and security events.
    pub audit: Arc<dyn AuditLog>,
    /// Infohash blocklist.
    pub blocklist: Arc<dyn BlocklistRepository>,
    /// Files rows.
    pub files: Arc<dyn FileRepository>,
    /// Object storage for file blobs.
    pub store: Arc<dyn FileStore>,
    /// Runtime settings (feature flags, plan limits) and their history.
    pub config: Arc<dyn ConfigRepository>,
    /// Maintenance state: the sweeper's queries and records, the scheduler's leases.
    pub maintenance: Arc<dyn MaintenanceRepository>,
    /// Remote compute agents: their heartbeats and statuses.
    pub workers: Arc<dyn WorkerRegistry>,
    /// The operators' search over users, jobs and the audit log.
    pub search: Arc<dyn AdminSearch>,
    /// The status page's samples, roll-ups, incidents and maintenance windows.
    pub status: Arc<dyn StatusRepository>,
    /// Request metrics and the queue and fleet snapshots, for the observability dashboard.
    pub metrics: Arc<dyn MetricsRepository>,
    /// Email out ([`LogMailer`](crate::ports::LogMailer) when no mail server is configured).
    pub mailer: Arc<dyn Mailer>,
    /// Messages between the processes sharing the database (PostgreSQL `LISTEN/NOTIFY`), which
    /// [`Tseeder::relay_events`] connects to the [`EventBus`] and the [`ReadCache`]. `None` for a
    /// single process (the embedded SQLite default): other processes' jobs are then found by
    /// polling, and their writes show in cached reads after `cache.max_age_ms`.
    pub broadcast: Option<Arc<dyn crate::ports::Broadcast>>,
    /// Time.
    pub clock: Arc<dyn Clock>,
}

/// Configuration of the core services.
#[derive(Debug, Clone, Default, serde::Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct CoreConfig {
    /// Accounts and sessions.
    pub auth: AuthConfig,
    /// Organizations and invites.
    pub orgs: OrgConfig,
    /// Billing: the grace period after a failed payment.
    pub billing: BillingConfig,
    /// Jobs and their queue.
    pub jobs: JobConfig,
    /// Stored files and download links.
    pub files: FileConfig,
    /// Running queued jobs on the compute engine.
    pub dispatch: DispatchConfig,
    /// Remote compute agents: the shared secret and the heartbeat and signature time limits.
    pub agents: AgentConfig,
    /// The retention sweep.
    pub retention: RetentionConfig,
    /// Periodic tasks.
    pub scheduler: SchedulerConfig,
    /// Alert thresholds.
    pub alerts: AlertConfig,
    /// The status page: sampling, the uptime formula's weight.
    pub status: StatusConfig,
    /// Request metrics and the observability dashboard's series.
    pub observability: ObservabilityConfig,
    /// The read cache of credentials and job lists.
    pub cache: CacheConfig,
}

/// Every core service, built over one set of ports. This is what an embedder constructs.
#[derive(Debug, Clone)]
pub struct Tseeder {
    /// Accounts, sessions, API keys.
    pub accounts: AccountService,
    /// Organizations, members and invites.
    pub orgs: OrgService,
    /// Plans bought through the payment provider, and its webhook events.
    pub billing: BillingService,
    /// Job submission and control.
    pub jobs: JobService,
    /// Each user's categories and tags on their jobs.
    pub labels: LabelService,
    /// The completed-files location, where finished jobs are placed for apps that import from a
    /// path.
    pub completed: CompletedFiles,
    /// Operator actions.
    pub admin: AdminService,
    /// Operator actions on users and their jobs.
    pub users: UserAdminService,
    /// Runtime settings: feature flags and plan limits, with their history.
    pub settings: ConfigService,
    /// Stored files and downloads.
    pub files: FileService,
    /// Live job updates.
    pub events: EventBus,
    /// Remote compute agents: heartbeats, and the operator's view and controls.
    pub fleet: FleetService,
    /// The active routing and retention policies (native or plugins), and operator alerts.
    pub policies: PolicyService,
    /// The retention sweep, its dry run and its admin view.
    pub retention: RetentionService,
    /// Alerts for operators, computed from the live system.
    pub alerts: AlertService,
    /// The public status page: component sampling, uptime, incidents, maintenance.
    pub status: StatusService,
    /// Request metrics, queue and fleet snapshots, and the observability dashboard.
    pub observability: ObservabilityService,
    /// The read cache the ports below read through.
    pub read_cache: ReadCache,
    /// The ports, for callers that need lower-level access (dispatchers, tests): the ones given
    /// to [`Tseeder::new`], with accounts, organizations, jobs and labels read through
    /// [`Tseeder::read_cache`].
    pub ports: Ports,
    /// The configuration the services were built with.
    pub config: CoreConfig,
}

impl Tseeder {
    /// Builds the services.
    ///
    /// When `config.files.link_secret` is empty a random secret is used, so signed links stop
    /// working when the process restarts; the binaries persist one instead.
    pub fn new(ports: Ports, config: CoreConfig) -> Self {
        let read_cache = ReadCache::new(config.cache.max_age());
        let ports = read_cache.wrap(ports);
        let events = EventBus::default();
        let jobs = JobService::new(ports.clone(), config.jobs.clone(), events.clone());
        let secret = if config.files.link_secret.is_empty() {
            hex::encode(rand::random::<[u8; 32]>())
        } else {
            config.files.link_secret.clone()
        };
        let fleet = FleetService::new(ports.clone(), config.agents.clone());
        let native = NativePolicyHost::new(std::time::Duration::from_secs(config.agents.stale_after_secs));
        let policies = PolicyService::new(ports.clone(), Arc::new(native));
        let retention = RetentionService::new(ports.clone(), policies.clone(), config.retention.clone());
        let alerts = alert_service(&ports, &config, &policies, &fleet, &retention);
        Self {
            accounts: AccountService::new(ports.clone(), config.auth.clone()),
            orgs: OrgService::new(ports.clone(), config.orgs.clone(), config.auth.public_url.clone()),
            billing: BillingService::new(ports.clone(), config.billing.clone(), config.auth.public_url.clone()),
            admin: AdminService::new(ports.clone(), jobs.clone()),
            users: UserAdminService::new(ports.clone(), jobs.clone()),
            settings: ConfigService::new(ports.clone()),
            files: FileService::new(ports.clone(), jobs.clone(), secret.as_bytes()),
            labels: LabelService::new(ports.clone(), jobs.clone()),
            completed: CompletedFiles::new(ports.clone(), &config.files.completed_dir),
            policies: policies.clone(),
            retention,
            alerts,
            status: StatusService::new(ports.clone(), fleet.clone(), config.status.clone()),
            observability: observability_service(&ports, &config, &fleet, &policies),
            fleet,
            jobs,
            events,
            read_cache,
            ports,
            config,
        }
    }

    /// The same services with the policies (and their operator controls) coming from `host`,
    /// such as the WebAssembly plugin host.
    pub fn with_policy_host(mut self, host: Arc<dyn crate::ports::PolicyHost>) -> Self {
        self.policies = PolicyService::new(self.ports.clone(), host);
        self.retention =
            RetentionService::new(self.ports.clone(), self.policies.clone(), self.config.retention.clone());
        self.alerts = alert_service(&self.ports, &self.config, &self.policies, &self.fleet, &self.retention);
        self.observability = observability_service(&self.ports, &self.config, &self.fleet, &self.policies);
        self
    }

    /// The same services, previewing magnet links with `source` (the in-process engine): see
    /// [`JobService::preview`]. Without one, magnet previews are refused as unavailable.
    pub fn with_metadata_source(mut self, source: Arc<dyn crate::ports::MetadataSource>) -> Self {
        self.jobs = self.jobs.with_metadata_source(source);
        self
    }

    /// The scheduler with this instance's periodic tasks (the retention sweep, when
    /// `retention.enabled`). Start it with [`Scheduler::spawn`]; every process may run one.
    pub fn scheduler(&self) -> Result<Scheduler, crate::error::ServiceError> {
        let mut scheduler = Scheduler::new(self.ports.clone(), self.config.scheduler.clone());
        if let Some(task) = self.retention.scheduled_task()? {
            scheduler.add(task);
        }
        if let Some(task) = self.status.scheduled_task()? {
            scheduler.add(task);
        }
        if let Some(task) = self.observability.scheduled_task()? {
            scheduler.add(task);
        }
        Ok(scheduler)
    }

    /// Connects this instance's [`EventBus`] and [`ReadCache`] to the other processes of the
    /// installation over [`Ports::broadcast`] (see [`relay::relay`]); `None` when there is none
    /// to connect to. The task runs until `cancel` fires.
    ///
    /// # Errors
    /// When a subscription cannot be made (the database is unreachable).
    pub async fn relay_events(
        &self,
        cancel: tokio_util::sync::CancellationToken,
    ) -> Result<Option<tokio::task::JoinHandle<()>>, crate::ports::BroadcastError> {
        let Some(channel) = &self.ports.broadcast else { return Ok(None) };
        relay::relay(&self.events, &self.read_cache, Arc::clone(channel), cancel).await.map(Some)
    }

    /// A dispatcher that runs this instance's queued jobs on `engine`.
    pub fn dispatcher(&self, engine: std::sync::Arc<dyn crate::ports::ComputeEngine>) -> Dispatcher {
        Dispatcher::new(self.ports.clone(), self.jobs.clone(), engine, self.config.dispatch.clone())
    }
}

/// The alerts over these services, watching the retention sweep when it is scheduled (a bad
/// schedule is reported when the scheduler is built, so it is not watched here).
fn alert_service(
    ports: &Ports,
    config: &CoreConfig,
    policies: &PolicyService,
    fleet: &FleetService,
    retention: &RetentionService,
) -> AlertService {
    let tasks = retention.scheduled_task().ok().flatten().map(|t| (t.name, t.schedule)).into_iter().collect();
    AlertService::new(
        ports.clone(),
        policies.clone(),
        fleet.clone(),
        tasks,
        config.jobs.queue.clone(),
        config.alerts.clone(),
    )
}

/// The observability service over these services.
fn observability_service(
    ports: &Ports,
    config: &CoreConfig,
    fleet: &FleetService,
    policies: &PolicyService,
) -> ObservabilityService {
    ObservabilityService::new(
        ports.clone(),
        fleet.clone(),
        policies.clone(),
        config.jobs.queue.clone(),
        config.observability.clone(),
    )
}

/// Whether a search text can match anything stored: no stored text holds a NUL character (names
/// and emails refuse control characters), and PostgreSQL refuses one in a query, so a search for
/// it finds nothing without asking the database.
pub(crate) fn can_match(text: &str) -> bool {
    !text.contains('\0')
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
