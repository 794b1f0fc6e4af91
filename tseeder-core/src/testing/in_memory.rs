//! The storage ports as fakes: one [`InMemoryDb`] holds every row, and cheap handles on it
//! (`InMemoryJobRepository`, `InMemoryJobQueue`, ...) implement one port each. Ports that the
//! real adapters change in one transaction (a job change with its queue message and audit entry,
//! a job delete with its files) share the one database, so the fakes are atomic in the same way:
//! each call takes the database's lock once, checks everything, then writes.
//!
//! The fakes pass the same conformance suites as the database adapters, and normalise what those
//! store the same way: timestamps are truncated to microseconds, queue times to milliseconds.
//! Unlike a database they check no foreign keys the suites do not ask for (a job may name a user
//! that does not exist).

mod accounts;
mod audit;
mod billing;
mod config;
mod files;
mod jobs;
mod labels;
mod maintenance;
mod meter;
mod metrics;
mod orgs;
mod queue;
mod search;
mod status;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, SubsecRound, Utc};

pub use self::accounts::{InMemoryAccountRepository, InMemoryPlanRepository};
pub use self::audit::{InMemoryAuditLog, InMemoryBlocklistRepository};
pub use self::billing::InMemoryBillingRepository;
pub use self::config::InMemoryConfigRepository;
pub use self::files::InMemoryFileRepository;
pub use self::jobs::InMemoryJobRepository;
pub use self::labels::InMemoryLabelRepository;
pub use self::maintenance::InMemoryMaintenanceRepository;
pub use self::meter::InMemoryBandwidthMeter;
pub use self::metrics::InMemoryMetricsRepository;
pub use self::orgs::InMemoryOrgRepository;
pub use self::queue::InMemoryJobQueue;
pub use self::search::InMemoryAdminSearch;
pub use self::status::InMemoryStatusRepository;
use super::{InMemoryFileStore, InMemoryWorkerRegistry};
use crate::domain::{
    ApiKey, ApiMetrics, AuditEntry, ComponentStatus, ConfigChange, EmailVerification, FeatureFlag, FlagState, Incident,
    Invite, Job, JobEvent, JobId, LabelKind, Maintenance, OrgId, OrgRole, Organization, Page, PageRequest,
    PasswordReset, Plan, PlanLimit, QueueMessage, SecurityEvent, Session, StoredFile, Subscription, SystemSnapshot,
    UptimeSnapshot, User, UserId,
};
use crate::ports::{AuditRecord, BlocklistEntry, Clock, StorageSnapshot, SweepRecord, TaskState};
use crate::services::Ports;

/// Every port of [`Ports`] as a fake over one fresh [`InMemoryDb`], an [`InMemoryFileStore`]
/// and an [`InMemoryWorkerRegistry`], with `clock` as the time. Services and the dispatcher built
/// on it need no database.
pub fn in_memory_ports(clock: Arc<dyn Clock>) -> Ports {
    InMemoryDb::new().ports(clock)
}

/// An in-memory database behind the storage fakes. Cloning it gives another handle on the same
/// rows. A new one holds the plans every installation starts with (`free`, `pro`, `business`,
/// `enterprise`) and nothing else.
#[derive(Debug, Clone)]
pub struct InMemoryDb {
    state: Arc<Mutex<State>>,
}

impl Default for InMemoryDb {
    fn default() -> Self {
        Self::new()
    }
}

impl InMemoryDb {
    /// A database with the built-in plans and no other rows.
    pub fn new() -> Self {
        Self::with_plans(builtin_plans())
    }

    /// A database whose plans are exactly `plans`, with no other rows.
    pub fn with_plans(plans: impl IntoIterator<Item = Plan>) -> Self {
        let mut state = State::default();
        for plan in plans {
            state.plans.insert(plan.id.clone(), plan);
        }
        Self { state: Arc::new(Mutex::new(state)) }
    }

    /// [`Ports`] over this database, a new [`InMemoryFileStore`] (whose objects are dated by
    /// `clock`) and a new [`InMemoryWorkerRegistry`].
    pub fn ports(&self, clock: Arc<dyn Clock>) -> Ports {
        Ports {
            accounts: Arc::new(self.accounts()),
            orgs: Arc::new(self.orgs()),
            billing: Arc::new(self.billing()),
            payments: Arc::new(crate::ports::NoBilling),
            plans: Arc::new(self.plans()),
            meter: Arc::new(self.meter()),
            jobs: Arc::new(self.jobs()),
            labels: Arc::new(self.labels()),
            queue: Arc::new(self.queue()),
            audit: Arc::new(self.audit()),
            blocklist: Arc::new(self.blocklist()),
            files: Arc::new(self.files()),
            store: Arc::new(InMemoryFileStore::with_clock(Arc::clone(&clock))),
            config: Arc::new(self.config()),
            maintenance: Arc::new(self.maintenance()),
            workers: Arc::new(InMemoryWorkerRegistry::default()),
            search: Arc::new(self.search()),
            status: Arc::new(self.status()),
            metrics: Arc::new(self.metrics()),
            mailer: Arc::new(crate::ports::LogMailer),
            broadcast: None,
            clock,
        }
    }

    /// Adds a plan, or replaces the plan with its id (as an operator editing the plans table
    /// would).
    pub fn put_plan(&self, plan: Plan) {
        self.state().plans.insert(plan.id.clone(), plan);
    }

    /// Puts `job` in the jobs table as it is, like a row inserted by hand to arrange a test: no
    /// history entry, queue message or audit entry goes with it, and no uniqueness is checked.
    /// Everything else goes through the ports.
    pub fn insert_job(&self, mut job: Job) {
        job.created_at = micros(job.created_at);
        job.updated_at = micros(job.updated_at);
        job.completed_at = job.completed_at.map(micros);
        self.state().jobs.push(job);
    }

    /// The account repository over this database.
    pub fn accounts(&self) -> InMemoryAccountRepository {
        InMemoryAccountRepository::new(self)
    }

    /// The organization repository over this database (personal organizations are created
    /// with their users by [`accounts()`](Self::accounts)).
    pub fn orgs(&self) -> InMemoryOrgRepository {
        InMemoryOrgRepository::new(self)
    }

    /// The billing repository over this database (customers, subscriptions and processed
    /// provider events).
    pub fn billing(&self) -> InMemoryBillingRepository {
        InMemoryBillingRepository::new(self)
    }

    /// The bandwidth meter over this database.
    pub fn meter(&self) -> InMemoryBandwidthMeter {
        InMemoryBandwidthMeter::new(self)
    }

    /// The plan repository over this database.
    pub fn plans(&self) -> InMemoryPlanRepository {
        InMemoryPlanRepository::new(self)
    }

    /// The job repository over this database.
    pub fn jobs(&self) -> InMemoryJobRepository {
        InMemoryJobRepository::new(self)
    }

    /// The categories and tags over this database (deleting a job through `jobs()` removes its
    /// labels, and `jobs()` lists jobs by label).
    pub fn labels(&self) -> InMemoryLabelRepository {
        InMemoryLabelRepository::new(self)
    }

    /// The queue over this database (it holds the messages `jobs()` commits with job changes).
    pub fn queue(&self) -> InMemoryJobQueue {
        InMemoryJobQueue::new(self)
    }

    /// The audit log over this database.
    pub fn audit(&self) -> InMemoryAuditLog {
        InMemoryAuditLog::new(self)
    }

    /// The admin search over this database.
    pub fn search(&self) -> InMemoryAdminSearch {
        InMemoryAdminSearch::new(self)
    }

    /// The blocklist over this database.
    pub fn blocklist(&self) -> InMemoryBlocklistRepository {
        InMemoryBlocklistRepository::new(self)
    }

    /// The file rows over this database.
    pub fn files(&self) -> InMemoryFileRepository {
        InMemoryFileRepository::new(self)
    }

    /// The settings repository over this database.
    pub fn config(&self) -> InMemoryConfigRepository {
        InMemoryConfigRepository::new(self)
    }

    /// The maintenance repository over this database.
    pub fn maintenance(&self) -> InMemoryMaintenanceRepository {
        InMemoryMaintenanceRepository::new(self)
    }

    /// The status page's repository over this database.
    pub fn status(&self) -> InMemoryStatusRepository {
        InMemoryStatusRepository::new(self)
    }

    /// The observability series (request metrics and system snapshots) over this database.
    pub fn metrics(&self) -> InMemoryMetricsRepository {
        InMemoryMetricsRepository::new(self)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Declares a handle type: one port over a shared [`InMemoryDb`].
macro_rules! handle {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default)]
        pub struct $name {
            db: $crate::testing::InMemoryDb,
        }

        impl $name {
            /// A handle on `db`: it sees and changes the same rows as every other handle on it.
            /// (`Default` gives a handle on a database of its own.)
            pub fn new(db: &$crate::testing::InMemoryDb) -> Self {
                Self { db: db.clone() }
            }

            fn state(&self) -> std::sync::MutexGuard<'_, super::State> {
                self.db.state()
            }
        }
    };
}
use handle;

/// Every row of the database. Rows are kept in insertion order, which breaks ties where a
/// database would order by a random id.
#[derive(Debug, Default)]
struct State {
    users: Vec<UserRow>,
    plans: BTreeMap<String, Plan>,
    assignments: Vec<Assignment>,
    sessions: Vec<Session>,
    password_resets: Vec<ResetRow>,
    email_verifications: Vec<VerificationRow>,
    orgs: Vec<Organization>,
    members: Vec<MemberRow>,
    invites: Vec<Invite>,
    /// Each organization's customer at the payment provider.
    billing_customers: BTreeMap<OrgId, String>,
    /// Each organization's subscription.
    subscriptions: BTreeMap<OrgId, Subscription>,
    /// Processed provider events by id: their kind and when they were recorded.
    billing_events: BTreeMap<String, (String, DateTime<Utc>)>,
    /// Each organization's transfer counters by month.
    bandwidth: BTreeMap<(OrgId, crate::domain::Month), crate::domain::Bandwidth>,
    api_keys: Vec<ApiKey>,
    jobs: Vec<Job>,
    /// Each user's catalogue of categories and tags.
    labels: BTreeSet<(UserId, LabelKind, String)>,
    /// The labels on jobs: job, whose label, its kind and name.
    job_labels: BTreeSet<(JobId, UserId, LabelKind, String)>,
    events: Vec<JobEvent>,
    messages: Vec<Message>,
    audit: Vec<AuditRecord>,
    security_events: Vec<SecurityEvent>,
    blocklist: Vec<BlocklistEntry>,
    files: Vec<StoredFile>,
    snapshots: Vec<StorageSnapshot>,
    sweeps: Vec<SweepRecord>,
    tasks: BTreeMap<String, TaskState>,
    flags: BTreeMap<FeatureFlag, FlagState>,
    config_changes: Vec<ConfigChange>,
    components: BTreeMap<String, ComponentStatus>,
    uptime: Vec<UptimeSnapshot>,
    incidents: Vec<Incident>,
    maintenances: Vec<Maintenance>,
    api_metrics: Vec<ApiMetrics>,
    system_snapshots: BTreeMap<DateTime<Utc>, SystemSnapshot>,
}

impl State {
    fn user(&self, id: UserId) -> Option<&User> {
        self.users.iter().find(|row| row.user.id == id).map(|row| &row.user)
    }

    fn push_audit(&mut self, entry: &AuditEntry) {
        let mut entry = entry.clone();
        entry.created_at = micros(entry.created_at);
        self.audit.push(AuditRecord { id: uuid::Uuid::new_v4().to_string(), entry });
    }
}

#[derive(Debug, Clone)]
struct UserRow {
    user: User,
    password_hash: String,
}

/// A password reset with the time it was used (or spent with another reset of its user).
#[derive(Debug, Clone)]
struct ResetRow {
    reset: PasswordReset,
    used_at: Option<DateTime<Utc>>,
}

/// An email verification with the time it was used (or spent with another of its user's).
#[derive(Debug, Clone)]
struct VerificationRow {
    verification: EmailVerification,
    used_at: Option<DateTime<Utc>>,
}

/// A user's membership of an organization.
#[derive(Debug, Clone)]
struct MemberRow {
    org_id: OrgId,
    user_id: UserId,
    role: OrgRole,
    joined_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
struct Assignment {
    user_id: UserId,
    plan_id: String,
    started_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
}

/// A queue message with its lease token (not part of [`QueueMessage`]: only the holder knows it).
#[derive(Debug, Clone)]
struct Message {
    message: QueueMessage,
    token: Option<String>,
}

/// A timestamp as the databases keep it: whole microseconds.
fn micros(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

/// A queue timestamp as the queue keeps it: whole milliseconds.
fn millis(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(at.timestamp_millis()).unwrap_or(at)
}

/// One page of `items`, which are in list order.
fn page<T>(items: Vec<T>, request: PageRequest) -> Page<T> {
    let total = items.len() as u64;
    let skip = usize::try_from(request.offset()).unwrap_or(usize::MAX);
    let take = usize::try_from(request.limit).unwrap_or(usize::MAX);
    Page { items: items.into_iter().skip(skip).take(take).collect(), page: request.page, limit: request.limit, total }
}

/// `limit` as a count of items to take.
fn limit(limit: u64) -> usize {
    usize::try_from(limit).unwrap_or(usize::MAX)
}

/// The plans every installation starts with (as the first migration seeds them).
fn builtin_plans() -> [Plan; 4] {
    let plan = |id: &str, jobs: i64, storage: i64, file: i64, bandwidth: i64, days: i64, price: u64| Plan {
        id: id.to_owned(),
        max_jobs: PlanLimit::from_stored(jobs),
        max_storage_bytes: PlanLimit::from_stored(storage),
        max_file_size_bytes: PlanLimit::from_stored(file),
        bandwidth_bytes: PlanLimit::from_stored(bandwidth),
        retention_days: PlanLimit::from_stored(days),
        price_cents: price,
    };
    [
        plan("free", 2, 5_000_000_000, 500_000_000, 50_000_000_000, 7, 0),
        plan("pro", 10, 50_000_000_000, 5_120_000_000, 500_000_000_000, 30, 900),
        plan("business", 50, 500_000_000_000, 25_600_000_000, 5_000_000_000_000, 90, 2900),
        plan("enterprise", -1, -1, -1, -1, -1, 0),
    ]
}
