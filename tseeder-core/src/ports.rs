//! Ports: the traits core needs from the outside world. Adapters in other crates implement them
//! (`SeaOrm*` in tseeder-storage); services hold them as `Arc<dyn Port>`.

pub mod account;
pub mod audit;
pub mod billing;
pub mod blocklist;
pub mod broadcast;
pub mod clock;
pub mod compute;
pub mod config;
pub mod file;
pub mod file_store;
pub mod job;
pub mod label;
pub mod mailer;
pub mod maintenance;
pub mod metadata;
pub mod meter;
pub mod metrics;
pub mod org;
pub mod plan;
pub mod policy;
pub mod queue;
pub mod search;
pub mod status;
pub mod worker;

pub use account::AccountRepository;
pub use audit::{AuditFilter, AuditLog, AuditRecord, SecurityEventFilter};
pub use billing::{BillingError, BillingProvider, BillingRepository, CheckoutRequest, NoBilling, WebhookError};
pub use blocklist::{BlocklistEntry, BlocklistRepository};
pub use broadcast::{Broadcast, BroadcastError, BroadcastStream, Broadcasted, MAX_BROADCAST_BYTES};
pub use clock::{Clock, SystemClock};
pub use compute::{ComputeEngine, ComputeError, EngineEvent, EngineProgress, EngineRun, EngineTask};
pub use config::ConfigRepository;
pub use file::FileRepository;
pub use file_store::{ByteStream, FileStore, FileStoreError, ObjectStream, StoredObject, UploadReader};
pub use job::{JobChange, JobFilter, JobRepository, JobSort, LabelFilter, NewJobEvent, QueueOp, UsageOf};
pub use label::LabelRepository;
pub use mailer::{Email, LogMailer, MailError, Mailer};
pub use maintenance::{
    MaintenanceRepository, RetentionRow, StorageSnapshot, StorageTotals, SweepRecord, SweepTotals, TaskState,
};
pub use metadata::MetadataSource;
pub use meter::BandwidthMeter;
pub use metrics::MetricsRepository;
pub use org::OrgRepository;
pub use plan::PlanRepository;
pub use policy::{
    PolicyCounters, PolicyFailure, PolicyHost, PolicyImplementation, PolicyKind, PolicyStatus, RetentionCandidate,
    RetentionPolicy, RoutingPolicy, RoutingRequest, check_ranking, check_selection,
};
pub use queue::{DeadLetterFilter, JobQueue, QueueStats};
pub use search::{AdminSearch, SearchHits, SearchResults};
pub use status::StatusRepository;
pub use worker::WorkerRegistry;
