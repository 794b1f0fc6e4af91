//! Domain types. Values are parsed once at the edge ("parse, don't validate"): an [`Infohash`] or
//! a [`RelPath`] that exists is valid by construction.

pub mod account;
pub mod audit;
pub mod bencode;
pub mod billing;
pub mod file;
pub mod id;
pub mod infohash;
pub mod job;
pub mod job_status;
pub mod label;
pub mod magnet;
pub mod observability;
pub mod org;
pub mod page;
pub mod plan;
pub mod queue;
pub mod rel_path;
pub mod setting;
pub mod status;
pub mod torrent;
pub mod worker;

pub use account::{ApiKey, NewUser, PasswordReset, Role, Scope, Session, User};
pub use audit::{AuditEntry, SecurityEvent, Severity};
pub use billing::{BillingEvent, BillingEventKind, Subscription, SubscriptionStatus};
pub use file::{NewStoredFile, StoredFile, blob_key};
pub use id::{ApiKeyId, FileId, InviteId, JobId, OrgId, QueueMessageId, SessionId, UserId};
pub use infohash::Infohash;
pub use job::{Job, JobEvent, JobEventKind, JobSource, NewJob};
pub use job_status::{InvalidTransition, JobStatus, JobTransition};
pub use label::{InvalidLabel, JobLabels, LabelKind, MAX_LABEL_CHARS, check_label};
pub use magnet::MagnetLink;
pub use observability::{ApiMetrics, InvalidBuckets, LatencyBuckets, SystemSnapshot};
pub use org::{
    EmailVerification, InvalidSlug, Invite, Member, Membership, NewOrganization, OrgRole, OrgSlug, OrgSummary,
    Organization, PERSONAL_ORG_NAME,
};
pub use page::{Page, PageRequest};
pub use plan::{Bandwidth, Month, Plan, PlanLimit, QuotaError, QuotaRequest, TransferKind, Usage};
pub use queue::{Lease, NewQueueMessage, QueueMessage, QueueState};
pub use rel_path::RelPath;
pub use setting::{
    ConfigChange, ConfigWrite, FeatureFlag, FlagState, InvalidSettingValue, PlanField, SettingKey, SettingValue,
};
pub use status::{
    ComponentState, ComponentStatus, Incident, IncidentImpact, IncidentStatus, IncidentUpdate, Maintenance,
    RollupPeriod, StateMinutes, StatusIndicator, UptimeSnapshot, uptime_pct,
};
pub use torrent::{TorrentFile, TorrentMeta};
pub use worker::{Heartbeat, HeartbeatRecord, InvalidHeartbeat, InvalidRegionCode, RegionCode, Worker, WorkerStatus};
