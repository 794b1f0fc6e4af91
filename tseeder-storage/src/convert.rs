//! Every conversion between entity models and core domain types, in one place.
//!
//! Reading is parsing: a row is turned into a domain value through the same parsers the core uses
//! at its edges (`JobStatus::from_str`, `Infohash::from_str`, `MagnetLink::parse`, id `parse`),
//! so a corrupt or out-of-date row surfaces as an [`InvalidRow`] error instead of a wrong value.
//!
//! Writing normalises: timestamps are truncated to whole microseconds ([`db_time`]) because
//! PostgreSQL keeps microseconds while SQLite stores whatever text it is given; truncating on the
//! way in makes both backends hand back identical values. Queue times are unix milliseconds.

use std::fmt::Display;
use std::str::FromStr;

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use tseeder_core::domain::queue::DeliveryError;
use tseeder_core::domain::{
    ApiKey, AuditEntry, Job, JobEvent, JobId, JobSource, JobStatus, MagnetLink, NewJob, NewQueueMessage, NewStoredFile,
    NewUser, PasswordReset, Plan, PlanLimit, QueueMessage, QueueState, RelPath, Role, Scope, SecurityEvent, Session,
    Severity, StoredFile, User, UserId,
};
use tseeder_core::domain::{ApiMetrics, LatencyBuckets, SystemSnapshot};
use tseeder_core::domain::{
    ComponentState, ComponentStatus, Incident, IncidentUpdate, Maintenance, RollupPeriod, StateMinutes, UptimeSnapshot,
};
use tseeder_core::domain::{ConfigChange, Heartbeat, HeartbeatRecord, Worker, WorkerStatus};
use tseeder_core::domain::{
    EmailVerification, Invite, Member, Membership, NewOrganization, OrgId, OrgRole, OrgSlug, Organization,
    PERSONAL_ORG_NAME,
};
use tseeder_core::domain::{Subscription, SubscriptionStatus};
use tseeder_core::ports::{AuditRecord, BlocklistEntry, NewJobEvent};

use crate::entity::{
    api_keys, api_metrics, audit_logs, billing_customers, billing_events, blocklist, config_changes,
    email_verifications, files, incident_updates, incidents, job_events, jobs, maintenances, org_invites, org_members,
    organizations, password_resets, plan_assignments, plans, queue_messages, security_events, sessions,
    status_components, subscriptions, system_snapshots, uptime_snapshots, users, worker_heartbeats, workers,
};
use crate::error::InvalidRow;

/// `jobs.source_kind` of a magnet job.
const SOURCE_MAGNET: &str = "magnet";
/// `jobs.source_kind` of a `.torrent` job.
const SOURCE_TORRENT: &str = "torrent";

/// A timestamp as it is written: truncated to whole microseconds.
pub(crate) fn db_time(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

/// A queue timestamp as it is written: unix milliseconds.
pub(crate) fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

/// A duration in milliseconds for queue arithmetic, saturating at `i64::MAX`.
pub(crate) fn duration_millis(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// A byte count or limit as stored (`BIGINT`), saturating at `i64::MAX` (8 EiB).
pub(crate) fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

pub(crate) fn to_u64(table: &'static str, column: &'static str, v: i64) -> Result<u64, InvalidRow> {
    u64::try_from(v).map_err(|_| InvalidRow::new(table, column, format!("negative value {v}")))
}

fn to_u32(table: &'static str, column: &'static str, v: i32) -> Result<u32, InvalidRow> {
    u32::try_from(v).map_err(|_| InvalidRow::new(table, column, format!("negative value {v}")))
}

pub(crate) fn parse<T>(table: &'static str, column: &'static str, s: &str) -> Result<T, InvalidRow>
where
    T: FromStr,
    T::Err: Display,
{
    s.parse().map_err(|e| InvalidRow::new(table, column, e))
}

fn parse_opt<T>(table: &'static str, column: &'static str, s: Option<&str>) -> Result<Option<T>, InvalidRow>
where
    T: FromStr,
    T::Err: Display,
{
    s.map(|s| parse(table, column, s)).transpose()
}

fn from_millis(table: &'static str, column: &'static str, ms: i64) -> Result<DateTime<Utc>, InvalidRow> {
    DateTime::from_timestamp_millis(ms).ok_or_else(|| InvalidRow::new(table, column, format!("{ms} is out of range")))
}

/// A column that is nullable only because SQLite cannot add a `NOT NULL` one to existing rows
/// (`jobs.org_id`, `api_keys.org_id`): every row has it, so a `NULL` is a corrupt row.
fn parse_required<T>(table: &'static str, column: &'static str, s: Option<&str>) -> Result<T, InvalidRow>
where
    T: FromStr,
    T::Err: Display,
{
    parse(table, column, s.ok_or_else(|| InvalidRow::new(table, column, "missing"))?)
}

fn json(table: &'static str, column: &'static str, text: &str) -> Result<serde_json::Value, InvalidRow> {
    serde_json::from_str(text).map_err(|e| InvalidRow::new(table, column, e))
}

/// A new random row id (hyphenated UUID text, like every id column).
pub(crate) fn new_row_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

// ---------------------------------------------------------------------------------------------
// Accounts

impl TryFrom<users::Model> for User {
    type Error = InvalidRow;

    fn try_from(m: users::Model) -> Result<Self, Self::Error> {
        Ok(User {
            id: parse("users", "id", &m.id)?,
            email: m.email,
            role: parse::<Role>("users", "role", &m.role)?,
            suspended: m.suspended,
            default_region: parse_opt("users", "default_region", m.default_region.as_deref())?,
            email_verified_at: m.email_verified_at,
            created_at: m.created_at,
        })
    }
}

/// A user row as the user and their password hash.
pub(crate) fn user_with_hash(m: users::Model) -> Result<(User, String), InvalidRow> {
    let hash = m.password_hash.clone();
    Ok((User::try_from(m)?, hash))
}

pub(crate) fn new_user_model(user: &NewUser) -> users::ActiveModel {
    let at = db_time(user.created_at);
    users::ActiveModel {
        id: Set(user.id.to_string()),
        email: Set(user.email.clone()),
        password_hash: Set(user.password_hash.clone()),
        role: Set(user.role.as_str().to_owned()),
        suspended: Set(false),
        default_region: Set(None),
        email_verified_at: Set(user.email_verified.then_some(at)),
        created_at: Set(at),
        updated_at: Set(at),
    }
}

impl TryFrom<sessions::Model> for Session {
    type Error = InvalidRow;

    fn try_from(m: sessions::Model) -> Result<Self, Self::Error> {
        Ok(Session {
            id: parse("sessions", "id", &m.id)?,
            user_id: parse("sessions", "user_id", &m.user_id)?,
            token_hash: m.token_hash,
            ip: m.ip,
            user_agent: m.user_agent,
            created_at: m.created_at,
            expires_at: m.expires_at,
        })
    }
}

pub(crate) fn session_model(s: &Session) -> sessions::ActiveModel {
    sessions::ActiveModel {
        id: Set(s.id.to_string()),
        user_id: Set(s.user_id.to_string()),
        token_hash: Set(s.token_hash.clone()),
        ip: Set(s.ip.clone()),
        user_agent: Set(s.user_agent.clone()),
        created_at: Set(db_time(s.created_at)),
        expires_at: Set(db_time(s.expires_at)),
        last_seen_at: Set(db_time(s.created_at)),
    }
}

/// Scopes as stored: space-separated names.
pub(crate) fn scopes_text(scopes: &[Scope]) -> String {
    scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ")
}

impl TryFrom<api_keys::Model> for ApiKey {
    type Error = InvalidRow;

    fn try_from(m: api_keys::Model) -> Result<Self, Self::Error> {
        Ok(ApiKey {
            id: parse("api_keys", "id", &m.id)?,
            user_id: parse("api_keys", "user_id", &m.user_id)?,
            org_id: parse_required("api_keys", "org_id", m.org_id.as_deref())?,
            name: m.name,
            prefix: m.prefix,
            key_hash: m.key_hash,
            scopes: m.scopes.split_whitespace().map(|s| parse("api_keys", "scopes", s)).collect::<Result<_, _>>()?,
            created_at: m.created_at,
            last_used_at: m.last_used_at,
            expires_at: m.expires_at,
            revoked_at: m.revoked_at,
        })
    }
}

pub(crate) fn api_key_model(k: &ApiKey) -> api_keys::ActiveModel {
    api_keys::ActiveModel {
        id: Set(k.id.to_string()),
        user_id: Set(k.user_id.to_string()),
        org_id: Set(Some(k.org_id.to_string())),
        name: Set(k.name.clone()),
        prefix: Set(k.prefix.clone()),
        key_hash: Set(k.key_hash.clone()),
        scopes: Set(scopes_text(&k.scopes)),
        created_at: Set(db_time(k.created_at)),
        last_used_at: Set(k.last_used_at.map(db_time)),
        expires_at: Set(k.expires_at.map(db_time)),
        revoked_at: Set(k.revoked_at.map(db_time)),
    }
}

impl TryFrom<password_resets::Model> for PasswordReset {
    type Error = InvalidRow;

    fn try_from(m: password_resets::Model) -> Result<Self, Self::Error> {
        Ok(PasswordReset {
            token_hash: m.token_hash,
            user_id: parse("password_resets", "user_id", &m.user_id)?,
            created_at: m.created_at,
            expires_at: m.expires_at,
        })
    }
}

/// A new, unused reset.
pub(crate) fn password_reset_model(r: &PasswordReset) -> password_resets::ActiveModel {
    password_resets::ActiveModel {
        token_hash: Set(r.token_hash.clone()),
        user_id: Set(r.user_id.to_string()),
        created_at: Set(db_time(r.created_at)),
        expires_at: Set(db_time(r.expires_at)),
        used_at: Set(None),
    }
}

impl TryFrom<email_verifications::Model> for EmailVerification {
    type Error = InvalidRow;

    fn try_from(m: email_verifications::Model) -> Result<Self, Self::Error> {
        Ok(EmailVerification {
            token_hash: m.token_hash,
            user_id: parse("email_verifications", "user_id", &m.user_id)?,
            email: m.email,
            created_at: m.created_at,
            expires_at: m.expires_at,
        })
    }
}

/// A new, unused verification.
pub(crate) fn email_verification_model(v: &EmailVerification) -> email_verifications::ActiveModel {
    email_verifications::ActiveModel {
        token_hash: Set(v.token_hash.clone()),
        user_id: Set(v.user_id.to_string()),
        email: Set(v.email.clone()),
        created_at: Set(db_time(v.created_at)),
        expires_at: Set(db_time(v.expires_at)),
        used_at: Set(None),
    }
}

// ---------------------------------------------------------------------------------------------
// Organizations

impl TryFrom<organizations::Model> for Organization {
    type Error = InvalidRow;

    fn try_from(m: organizations::Model) -> Result<Self, Self::Error> {
        Ok(Organization {
            id: parse("organizations", "id", &m.id)?,
            slug: OrgSlug::parse(&m.slug).map_err(|e| InvalidRow::new("organizations", "slug", e))?,
            name: m.name,
            personal: m.personal,
            created_at: m.created_at,
        })
    }
}

/// The row of a new organization (never a personal one: see [`personal_org_model`]).
pub(crate) fn new_org_model(org: &NewOrganization) -> organizations::ActiveModel {
    organizations::ActiveModel {
        id: Set(org.id.to_string()),
        name: Set(org.name.clone()),
        slug: Set(org.slug.as_str().to_owned()),
        personal: Set(false),
        created_at: Set(db_time(org.created_at)),
    }
}

/// The row of `user`'s personal organization, created with the account at `created_at`.
pub(crate) fn personal_org_model(user: UserId, created_at: DateTime<Utc>) -> organizations::ActiveModel {
    organizations::ActiveModel {
        id: Set(Organization::personal_id(user).to_string()),
        name: Set(PERSONAL_ORG_NAME.to_owned()),
        slug: Set(OrgSlug::personal(user).as_str().to_owned()),
        personal: Set(true),
        created_at: Set(db_time(created_at)),
    }
}

pub(crate) fn org_member_model(
    org: OrgId,
    user: UserId,
    role: OrgRole,
    joined_at: DateTime<Utc>,
) -> org_members::ActiveModel {
    org_members::ActiveModel {
        org_id: Set(org.to_string()),
        user_id: Set(user.to_string()),
        role: Set(role.as_str().to_owned()),
        joined_at: Set(db_time(joined_at)),
    }
}

/// A membership row with its organization's row, as the member sees it.
pub(crate) fn membership_from(
    m: org_members::Model,
    org: Option<organizations::Model>,
) -> Result<Membership, InvalidRow> {
    let org = org.ok_or_else(|| InvalidRow::new("org_members", "org_id", "the organization does not exist"))?;
    Ok(Membership {
        org: Organization::try_from(org)?,
        role: parse("org_members", "role", &m.role)?,
        joined_at: m.joined_at,
    })
}

/// A membership row with its user's row, as the organization lists it.
pub(crate) fn member_from(m: org_members::Model, user: Option<users::Model>) -> Result<Member, InvalidRow> {
    let user = user.ok_or_else(|| InvalidRow::new("org_members", "user_id", "the user does not exist"))?;
    Ok(Member {
        user_id: parse("org_members", "user_id", &m.user_id)?,
        email: user.email,
        role: parse("org_members", "role", &m.role)?,
        joined_at: m.joined_at,
    })
}

impl TryFrom<org_invites::Model> for Invite {
    type Error = InvalidRow;

    fn try_from(m: org_invites::Model) -> Result<Self, Self::Error> {
        const T: &str = "org_invites";
        Ok(Invite {
            id: parse(T, "id", &m.id)?,
            org_id: parse(T, "org_id", &m.org_id)?,
            email: m.email,
            role: parse(T, "role", &m.role)?,
            token_hash: m.token_hash,
            invited_by: parse(T, "invited_by", &m.invited_by)?,
            created_at: m.created_at,
            sent_at: m.sent_at,
            expires_at: m.expires_at,
            accepted_at: m.accepted_at,
            revoked_at: m.revoked_at,
        })
    }
}

/// An invite's row (accepted by nobody yet, whatever `accepted_at` says).
pub(crate) fn invite_model(i: &Invite) -> org_invites::ActiveModel {
    org_invites::ActiveModel {
        id: Set(i.id.to_string()),
        org_id: Set(i.org_id.to_string()),
        email: Set(i.email.clone()),
        role: Set(i.role.as_str().to_owned()),
        token_hash: Set(i.token_hash.clone()),
        invited_by: Set(i.invited_by.to_string()),
        created_at: Set(db_time(i.created_at)),
        sent_at: Set(db_time(i.sent_at)),
        expires_at: Set(db_time(i.expires_at)),
        accepted_at: Set(i.accepted_at.map(db_time)),
        accepted_by: Set(None),
        revoked_at: Set(i.revoked_at.map(db_time)),
    }
}

// ---------------------------------------------------------------------------------------------
// Billing

/// The row of an organization's customer at the payment provider, first stored at `created_at`.
pub(crate) fn billing_customer_model(
    org: OrgId,
    customer_id: &str,
    created_at: DateTime<Utc>,
) -> billing_customers::ActiveModel {
    billing_customers::ActiveModel {
        org_id: Set(org.to_string()),
        customer_id: Set(customer_id.to_owned()),
        created_at: Set(db_time(created_at)),
    }
}

impl TryFrom<subscriptions::Model> for Subscription {
    type Error = InvalidRow;

    fn try_from(m: subscriptions::Model) -> Result<Self, Self::Error> {
        const T: &str = "subscriptions";
        let status: SubscriptionStatus = parse(T, "status", &m.status)?;
        Ok(Subscription {
            org_id: parse(T, "org_id", &m.org_id)?,
            customer_id: m.customer_id,
            subscription_id: m.subscription_id,
            plan_id: m.plan_id,
            status,
            current_period_end: m.current_period_end,
            grace_until: m.grace_until,
            event_at: m.event_at,
        })
    }
}

/// The row of an organization's subscription, written at `updated_at`.
pub(crate) fn subscription_model(s: &Subscription, updated_at: DateTime<Utc>) -> subscriptions::ActiveModel {
    subscriptions::ActiveModel {
        org_id: Set(s.org_id.to_string()),
        customer_id: Set(s.customer_id.clone()),
        subscription_id: Set(s.subscription_id.clone()),
        plan_id: Set(s.plan_id.clone()),
        status: Set(s.status.as_str().to_owned()),
        current_period_end: Set(s.current_period_end.map(db_time)),
        grace_until: Set(s.grace_until.map(db_time)),
        event_at: Set(db_time(s.event_at)),
        updated_at: Set(db_time(updated_at)),
    }
}

/// The row of a processed provider event.
pub(crate) fn billing_event_model(id: &str, kind: &str, received_at: DateTime<Utc>) -> billing_events::ActiveModel {
    billing_events::ActiveModel {
        id: Set(id.to_owned()),
        kind: Set(kind.to_owned()),
        received_at: Set(db_time(received_at)),
    }
}

// ---------------------------------------------------------------------------------------------
// Plans

impl TryFrom<plans::Model> for Plan {
    type Error = InvalidRow;

    fn try_from(m: plans::Model) -> Result<Self, Self::Error> {
        Ok(Plan {
            max_jobs: PlanLimit::from_stored(m.max_jobs.into()),
            max_storage_bytes: PlanLimit::from_stored(m.max_storage_bytes),
            max_file_size_bytes: PlanLimit::from_stored(m.max_file_size_bytes),
            bandwidth_bytes: PlanLimit::from_stored(m.bandwidth_bytes),
            retention_days: PlanLimit::from_stored(m.retention_days.into()),
            price_cents: to_u64("plans", "price_cents", m.price_cents.into())?,
            id: m.id,
        })
    }
}

pub(crate) fn plan_assignment_model(
    user: UserId,
    plan_id: &str,
    started_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
) -> plan_assignments::ActiveModel {
    plan_assignments::ActiveModel {
        id: Set(new_row_id()),
        user_id: Set(user.to_string()),
        plan_id: Set(plan_id.to_owned()),
        started_at: Set(db_time(started_at)),
        expires_at: Set(expires_at.map(db_time)),
    }
}

// ---------------------------------------------------------------------------------------------
// Jobs

impl TryFrom<jobs::Model> for Job {
    type Error = InvalidRow;

    fn try_from(m: jobs::Model) -> Result<Self, Self::Error> {
        let source = match m.source_kind.as_str() {
            SOURCE_MAGNET => {
                let uri = m.magnet_uri.ok_or_else(|| InvalidRow::new("jobs", "magnet_uri", "missing"))?;
                JobSource::Magnet(MagnetLink::parse(&uri).map_err(|e| InvalidRow::new("jobs", "magnet_uri", e))?)
            }
            SOURCE_TORRENT => JobSource::Torrent(
                m.torrent_bytes.ok_or_else(|| InvalidRow::new("jobs", "torrent_bytes", "missing"))?.into(),
            ),
            other => return Err(InvalidRow::new("jobs", "source_kind", format!("unknown kind {other:?}"))),
        };
        Ok(Job {
            id: parse("jobs", "id", &m.id)?,
            user_id: parse("jobs", "user_id", &m.user_id)?,
            org_id: parse_required("jobs", "org_id", m.org_id.as_deref())?,
            name: m.name,
            status: parse("jobs", "status", &m.status)?,
            infohash: parse("jobs", "infohash", &m.infohash)?,
            source,
            idempotency_key: m.idempotency_key,
            selected_files: m.selected_files.as_deref().map(selection).transpose()?,
            region_hint: parse_opt("jobs", "region_hint", m.region_hint.as_deref())?,
            total_bytes: m.total_bytes.map(|v| to_u64("jobs", "total_bytes", v)).transpose()?,
            done_bytes: to_u64("jobs", "done_bytes", m.done_bytes)?,
            error: m.error,
            worker_id: m.worker_id,
            created_at: m.created_at,
            updated_at: m.updated_at,
            completed_at: m.completed_at,
        })
    }
}

/// The row of a job right after submission: status `queued`, nothing downloaded.
pub(crate) fn new_job_model(job: &NewJob) -> jobs::ActiveModel {
    let (kind, magnet_uri, torrent_bytes) = match &job.source {
        JobSource::Magnet(magnet) => (SOURCE_MAGNET, Some(magnet.as_str().to_owned()), None),
        JobSource::Torrent(bytes) => (SOURCE_TORRENT, None, Some(bytes.to_vec())),
    };
    let at = db_time(job.created_at);
    jobs::ActiveModel {
        id: Set(job.id.to_string()),
        user_id: Set(job.user_id.to_string()),
        org_id: Set(Some(job.org_id.to_string())),
        name: Set(job.name.clone()),
        status: Set(JobStatus::Queued.as_str().to_owned()),
        source_kind: Set(kind.to_owned()),
        magnet_uri: Set(magnet_uri),
        torrent_bytes: Set(torrent_bytes),
        infohash: Set(job.infohash.to_hex()),
        idempotency_key: Set(job.idempotency_key.clone()),
        selected_files: Set(job.selected_files.as_deref().map(selection_text)),
        region_hint: Set(job.region_hint.as_ref().map(|r| r.as_str().to_owned())),
        total_bytes: Set(job.total_bytes.map(to_i64)),
        done_bytes: Set(0),
        error: Set(None),
        worker_id: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        completed_at: Set(None),
    }
}

/// A file selection as stored in `jobs.selected_files`: a JSON array of indexes.
pub(crate) fn selection_text(indexes: &[u32]) -> String {
    serde_json::Value::from(indexes.to_vec()).to_string()
}

/// Parses `jobs.selected_files`.
fn selection(text: &str) -> Result<Vec<u32>, InvalidRow> {
    serde_json::from_str(text).map_err(|e| InvalidRow::new("jobs", "selected_files", e))
}

impl TryFrom<job_events::Model> for JobEvent {
    type Error = InvalidRow;

    fn try_from(m: job_events::Model) -> Result<Self, Self::Error> {
        Ok(JobEvent {
            job_id: parse("job_events", "job_id", &m.job_id)?,
            seq: to_u64("job_events", "seq", m.seq)?,
            kind: parse("job_events", "kind", &m.kind)?,
            payload: json("job_events", "payload", &m.payload)?,
            created_at: m.created_at,
        })
    }
}

pub(crate) fn job_event_model(job: JobId, seq: i64, event: &NewJobEvent, at: DateTime<Utc>) -> job_events::ActiveModel {
    job_events::ActiveModel {
        id: Set(new_row_id()),
        job_id: Set(job.to_string()),
        seq: Set(seq),
        kind: Set(event.kind.as_str().to_owned()),
        payload: Set(event.payload.to_string()),
        created_at: Set(db_time(at)),
    }
}

// ---------------------------------------------------------------------------------------------
// Files

impl TryFrom<files::Model> for StoredFile {
    type Error = InvalidRow;

    fn try_from(m: files::Model) -> Result<Self, Self::Error> {
        Ok(StoredFile {
            id: parse("files", "id", &m.id)?,
            job_id: parse("files", "job_id", &m.job_id)?,
            path: RelPath::parse(&m.path).map_err(|e| InvalidRow::new("files", "path", e))?,
            size: to_u64("files", "size_bytes", m.size_bytes)?,
            blob_key: m.storage_key,
            mime_type: m.mime_type,
            created_at: m.created_at,
        })
    }
}

/// A stored file's row. Every row written through the port is a complete file: partial files
/// never get a row.
pub(crate) fn new_file_model(f: &NewStoredFile) -> files::ActiveModel {
    files::ActiveModel {
        id: Set(f.id.to_string()),
        job_id: Set(f.job_id.to_string()),
        path: Set(f.path.as_str().to_owned()),
        size_bytes: Set(to_i64(f.size)),
        mime_type: Set(f.mime_type.clone()),
        storage_key: Set(f.blob_key.clone()),
        is_complete: Set(true),
        created_at: Set(db_time(f.created_at)),
    }
}

// ---------------------------------------------------------------------------------------------
// Audit log, security events, blocklist

impl TryFrom<audit_logs::Model> for AuditRecord {
    type Error = InvalidRow;

    fn try_from(m: audit_logs::Model) -> Result<Self, Self::Error> {
        Ok(AuditRecord {
            entry: AuditEntry {
                actor_id: parse_opt("audit_logs", "actor_id", m.actor_id.as_deref())?,
                action: m.action,
                target_type: m.target_type,
                target_id: m.target_id,
                metadata: json("audit_logs", "metadata", &m.metadata)?,
                ip: m.ip,
                created_at: m.created_at,
            },
            id: m.id,
        })
    }
}

pub(crate) fn audit_model(entry: &AuditEntry) -> audit_logs::ActiveModel {
    audit_logs::ActiveModel {
        id: Set(new_row_id()),
        actor_id: Set(entry.actor_id.map(|id| id.to_string())),
        action: Set(entry.action.clone()),
        target_type: Set(entry.target_type.clone()),
        target_id: Set(entry.target_id.clone()),
        metadata: Set(entry.metadata.to_string()),
        ip: Set(entry.ip.clone()),
        created_at: Set(db_time(entry.created_at)),
    }
}

impl TryFrom<security_events::Model> for SecurityEvent {
    type Error = InvalidRow;

    fn try_from(m: security_events::Model) -> Result<Self, Self::Error> {
        let severity = Severity::ALL
            .into_iter()
            .find(|s| s.as_str() == m.severity)
            .ok_or_else(|| InvalidRow::new("security_events", "severity", format!("unknown {:?}", m.severity)))?;
        Ok(SecurityEvent {
            kind: m.kind,
            severity,
            actor_id: parse_opt("security_events", "actor_id", m.actor_id.as_deref())?,
            ip: m.ip,
            payload: json("security_events", "payload", &m.payload)?,
            created_at: m.created_at,
        })
    }
}

pub(crate) fn security_event_model(event: &SecurityEvent) -> security_events::ActiveModel {
    security_events::ActiveModel {
        id: Set(new_row_id()),
        kind: Set(event.kind.clone()),
        severity: Set(event.severity.as_str().to_owned()),
        actor_id: Set(event.actor_id.map(|id| id.to_string())),
        ip: Set(event.ip.clone()),
        payload: Set(event.payload.to_string()),
        created_at: Set(db_time(event.created_at)),
    }
}

impl TryFrom<blocklist::Model> for BlocklistEntry {
    type Error = InvalidRow;

    fn try_from(m: blocklist::Model) -> Result<Self, Self::Error> {
        Ok(BlocklistEntry {
            infohash: parse("blocklist", "infohash", &m.infohash)?,
            reason: m.reason,
            added_by: parse_opt("blocklist", "added_by", m.added_by.as_deref())?,
            created_at: m.created_at,
        })
    }
}

pub(crate) fn blocklist_model(entry: &BlocklistEntry) -> blocklist::ActiveModel {
    blocklist::ActiveModel {
        infohash: Set(entry.infohash.to_hex()),
        reason: Set(entry.reason.clone()),
        added_by: Set(entry.added_by.map(|id| id.to_string())),
        created_at: Set(db_time(entry.created_at)),
    }
}

// ---------------------------------------------------------------------------------------------
// Queue

/// Parses `queue_messages.errors` (a JSON array of [`DeliveryError`]).
pub(crate) fn delivery_errors(text: &str) -> Result<Vec<DeliveryError>, InvalidRow> {
    serde_json::from_str(text).map_err(|e| InvalidRow::new("queue_messages", "errors", e))
}

/// `errors` with one more failed delivery appended, as stored.
pub(crate) fn append_delivery_error(
    errors: &str,
    attempt: i32,
    at: DateTime<Utc>,
    error: &str,
) -> Result<String, InvalidRow> {
    let mut list = delivery_errors(errors)?;
    list.push(DeliveryError { attempt: to_u32("queue_messages", "attempts", attempt)?, at, error: error.to_owned() });
    serde_json::to_string(&list).map_err(|e| InvalidRow::new("queue_messages", "errors", e))
}

impl TryFrom<queue_messages::Model> for QueueMessage {
    type Error = InvalidRow;

    fn try_from(m: queue_messages::Model) -> Result<Self, Self::Error> {
        const T: &str = "queue_messages";
        let state = QueueState::ALL
            .into_iter()
            .find(|s| s.as_str() == m.state)
            .ok_or_else(|| InvalidRow::new(T, "state", format!("unknown {:?}", m.state)))?;
        Ok(QueueMessage {
            id: parse(T, "id", &m.id)?,
            queue: m.queue,
            job_id: parse_opt(T, "job_id", m.job_id.as_deref())?,
            payload: json(T, "payload", &m.payload)?,
            state,
            attempts: to_u32(T, "attempts", m.attempts)?,
            max_attempts: to_u32(T, "max_attempts", m.max_attempts)?,
            visible_at: from_millis(T, "visible_at", m.visible_at)?,
            lease_owner: m.lease_owner,
            last_error: m.last_error,
            errors: delivery_errors(&m.errors)?,
            created_at: from_millis(T, "created_at", m.created_at)?,
            dead_at: m.dead_at.map(|ms| from_millis(T, "dead_at", ms)).transpose()?,
        })
    }
}

/// A fresh message: ready, never delivered, no errors.
pub(crate) fn new_queue_message_model(m: &NewQueueMessage) -> queue_messages::ActiveModel {
    queue_messages::ActiveModel {
        id: Set(m.id.to_string()),
        queue: Set(m.queue.clone()),
        job_id: Set(m.job_id.map(|id| id.to_string())),
        payload: Set(m.payload.to_string()),
        state: Set(QueueState::Ready.as_str().to_owned()),
        attempts: Set(0),
        max_attempts: Set(i32::try_from(m.max_attempts).unwrap_or(i32::MAX)),
        visible_at: Set(millis(m.visible_at)),
        lease_token: Set(None),
        lease_owner: Set(None),
        leased_at: Set(None),
        last_error: Set(None),
        errors: Set("[]".to_owned()),
        created_at: Set(millis(m.created_at)),
        dead_at: Set(None),
    }
}

// ---------------------------------------------------------------------------------------------
// Workers

/// A job count as stored (`INTEGER`), saturating at `i32::MAX` (heartbeats are validated to far
/// less).
fn to_i32(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

impl TryFrom<workers::Model> for Worker {
    type Error = InvalidRow;

    fn try_from(m: workers::Model) -> Result<Self, Self::Error> {
        const T: &str = "workers";
        Ok(Worker {
            region: parse(T, "region", &m.region)?,
            base_url: parse(T, "base_url", &m.base_url)?,
            status: parse::<WorkerStatus>(T, "status", &m.status)?,
            active_jobs: to_u32(T, "active_jobs", m.active_jobs)?,
            max_jobs: to_u32(T, "max_jobs", m.max_jobs)?,
            disk_free_bytes: to_u64(T, "disk_free_bytes", m.disk_free_bytes)?,
            disk_total_bytes: to_u64(T, "disk_total_bytes", m.disk_total_bytes)?,
            cpu_pct: m.cpu_pct,
            bandwidth_bps: to_u64(T, "bandwidth_bps", m.bandwidth_bps)?,
            last_heartbeat_at: m.last_heartbeat_at,
            registered_at: m.registered_at,
            version: m.version,
            id: m.id,
        })
    }
}

/// The row a heartbeat inserts for a new worker (`healthy`, registered now). On an existing
/// worker the upsert keeps `status` and `registered_at` (see `repo/worker.rs`).
pub(crate) fn worker_model(hb: &Heartbeat, now: DateTime<Utc>) -> workers::ActiveModel {
    let now = db_time(now);
    workers::ActiveModel {
        id: Set(hb.worker_id.clone()),
        region: Set(hb.region.as_str().to_owned()),
        base_url: Set(hb.base_url.as_str().to_owned()),
        version: Set(hb.version.clone()),
        status: Set(WorkerStatus::Healthy.as_str().to_owned()),
        active_jobs: Set(to_i32(hb.active_jobs)),
        max_jobs: Set(to_i32(hb.max_jobs)),
        disk_free_bytes: Set(to_i64(hb.disk_free_bytes)),
        disk_total_bytes: Set(to_i64(hb.disk_total_bytes)),
        cpu_pct: Set(hb.cpu_pct),
        bandwidth_bps: Set(to_i64(hb.bandwidth_bps)),
        last_heartbeat_at: Set(now),
        registered_at: Set(now),
    }
}

impl TryFrom<worker_heartbeats::Model> for HeartbeatRecord {
    type Error = InvalidRow;

    fn try_from(m: worker_heartbeats::Model) -> Result<Self, Self::Error> {
        const T: &str = "worker_heartbeats";
        Ok(HeartbeatRecord {
            status: parse::<WorkerStatus>(T, "status", &m.status)?,
            active_jobs: to_u32(T, "active_jobs", m.active_jobs)?,
            max_jobs: to_u32(T, "max_jobs", m.max_jobs)?,
            disk_free_bytes: to_u64(T, "disk_free_bytes", m.disk_free_bytes)?,
            disk_total_bytes: to_u64(T, "disk_total_bytes", m.disk_total_bytes)?,
            cpu_pct: m.cpu_pct,
            bandwidth_bps: to_u64(T, "bandwidth_bps", m.bandwidth_bps)?,
            received_at: m.created_at,
            worker_id: m.worker_id,
        })
    }
}

/// The history row of a heartbeat, copied from the worker row it produced (so it carries the
/// status after the heartbeat and the same stored values).
pub(crate) fn heartbeat_model(worker: &workers::Model) -> worker_heartbeats::ActiveModel {
    worker_heartbeats::ActiveModel {
        id: Set(new_row_id()),
        worker_id: Set(worker.id.clone()),
        status: Set(worker.status.clone()),
        active_jobs: Set(worker.active_jobs),
        max_jobs: Set(worker.max_jobs),
        disk_free_bytes: Set(worker.disk_free_bytes),
        disk_total_bytes: Set(worker.disk_total_bytes),
        cpu_pct: Set(worker.cpu_pct),
        bandwidth_bps: Set(worker.bandwidth_bps),
        created_at: Set(worker.last_heartbeat_at),
    }
}

impl TryFrom<config_changes::Model> for ConfigChange {
    type Error = InvalidRow;

    fn try_from(m: config_changes::Model) -> Result<Self, Self::Error> {
        Ok(ConfigChange {
            id: parse("config_changes", "id", &m.id)?,
            old_value: m
                .old_value
                .as_deref()
                .map_or(Ok(serde_json::Value::Null), |v| json("config_changes", "old_value", v))?,
            new_value: json("config_changes", "new_value", &m.new_value)?,
            changed_by: parse_opt("config_changes", "changed_by", m.changed_by.as_deref())?,
            key: m.key,
            reason: m.reason,
            ticket: m.ticket,
            created_at: m.created_at,
        })
    }
}

pub(crate) fn config_change_model(c: &ConfigChange) -> config_changes::ActiveModel {
    config_changes::ActiveModel {
        id: Set(c.id.to_string()),
        key: Set(c.key.clone()),
        old_value: Set(Some(c.old_value.to_string())),
        new_value: Set(c.new_value.to_string()),
        changed_by: Set(c.changed_by.map(|id| id.to_string())),
        reason: Set(c.reason.clone()),
        ticket: Set(c.ticket.clone()),
        created_at: Set(db_time(c.created_at)),
    }
}

// ---------------------------------------------------------------------------------------------
// Status page

/// Component ids as stored in `incidents.components` and `maintenances.components`: a JSON array
/// of strings.
pub(crate) fn components_text(components: &[String]) -> String {
    serde_json::Value::from(components.to_vec()).to_string()
}

/// Parses a `components` column.
fn components(table: &'static str, text: &str) -> Result<Vec<String>, InvalidRow> {
    serde_json::from_str(text).map_err(|e| InvalidRow::new(table, "components", e))
}

impl TryFrom<status_components::Model> for ComponentStatus {
    type Error = InvalidRow;

    fn try_from(m: status_components::Model) -> Result<Self, Self::Error> {
        Ok(ComponentStatus {
            state: parse::<ComponentState>("status_components", "state", &m.state)?,
            component: m.component,
            reason: m.reason,
            since: m.since,
            checked_at: m.checked_at,
        })
    }
}

/// The row of a component's first sample: in `state` since `at`, checked at `at`. On an existing
/// component the upsert keeps `since` while the state is unchanged (see `repo/status.rs`).
pub(crate) fn status_component_model(
    component: &str,
    state: ComponentState,
    reason: &str,
    at: DateTime<Utc>,
) -> status_components::ActiveModel {
    let at = db_time(at);
    status_components::ActiveModel {
        component: Set(component.to_owned()),
        state: Set(state.as_str().to_owned()),
        reason: Set(reason.to_owned()),
        since: Set(at),
        checked_at: Set(at),
    }
}

impl TryFrom<uptime_snapshots::Model> for UptimeSnapshot {
    type Error = InvalidRow;

    fn try_from(m: uptime_snapshots::Model) -> Result<Self, Self::Error> {
        const T: &str = "uptime_snapshots";
        Ok(UptimeSnapshot {
            period: parse::<RollupPeriod>(T, "period", &m.period)?,
            start: m.start,
            minutes: StateMinutes {
                operational: to_u32(T, "operational", m.operational)?,
                degraded: to_u32(T, "degraded", m.degraded)?,
                partial_outage: to_u32(T, "partial_outage", m.partial_outage)?,
                major_outage: to_u32(T, "major_outage", m.major_outage)?,
                maintenance: to_u32(T, "maintenance", m.maintenance)?,
            },
            component: m.component,
        })
    }
}

/// The row of a roll-up's first sample: one minute in `state`. `start` is the period's start.
pub(crate) fn uptime_snapshot_model(
    component: &str,
    period: RollupPeriod,
    start: DateTime<Utc>,
    state: ComponentState,
) -> uptime_snapshots::ActiveModel {
    let minutes = StateMinutes::one(state);
    uptime_snapshots::ActiveModel {
        component: Set(component.to_owned()),
        period: Set(period.as_str().to_owned()),
        start: Set(db_time(start)),
        operational: Set(to_i32(minutes.operational)),
        degraded: Set(to_i32(minutes.degraded)),
        partial_outage: Set(to_i32(minutes.partial_outage)),
        major_outage: Set(to_i32(minutes.major_outage)),
        maintenance: Set(to_i32(minutes.maintenance)),
    }
}

impl TryFrom<incident_updates::Model> for IncidentUpdate {
    type Error = InvalidRow;

    fn try_from(m: incident_updates::Model) -> Result<Self, Self::Error> {
        Ok(IncidentUpdate {
            id: parse("incident_updates", "id", &m.id)?,
            status: parse("incident_updates", "status", &m.status)?,
            body: m.body,
            created_at: m.created_at,
        })
    }
}

/// An incident from its row and its update rows (already oldest first).
pub(crate) fn incident_from(
    m: incidents::Model,
    updates: Vec<incident_updates::Model>,
) -> Result<Incident, InvalidRow> {
    const T: &str = "incidents";
    Ok(Incident {
        id: parse(T, "id", &m.id)?,
        impact: parse(T, "impact", &m.impact)?,
        status: parse(T, "status", &m.status)?,
        components: components(T, &m.components)?,
        title: m.title,
        created_at: m.created_at,
        resolved_at: m.resolved_at,
        updates: updates.into_iter().map(IncidentUpdate::try_from).collect::<Result<_, _>>()?,
    })
}

/// An incident's row (its updates are rows of their own, see [`incident_update_model`]).
pub(crate) fn incident_model(i: &Incident) -> incidents::ActiveModel {
    incidents::ActiveModel {
        id: Set(i.id.to_string()),
        title: Set(i.title.clone()),
        impact: Set(i.impact.as_str().to_owned()),
        status: Set(i.status.as_str().to_owned()),
        components: Set(components_text(&i.components)),
        created_at: Set(db_time(i.created_at)),
        resolved_at: Set(i.resolved_at.map(db_time)),
    }
}

pub(crate) fn incident_update_model(incident: uuid::Uuid, u: &IncidentUpdate) -> incident_updates::ActiveModel {
    incident_updates::ActiveModel {
        id: Set(u.id.to_string()),
        incident_id: Set(incident.to_string()),
        status: Set(u.status.as_str().to_owned()),
        body: Set(u.body.clone()),
        created_at: Set(db_time(u.created_at)),
    }
}

impl TryFrom<maintenances::Model> for Maintenance {
    type Error = InvalidRow;

    fn try_from(m: maintenances::Model) -> Result<Self, Self::Error> {
        const T: &str = "maintenances";
        Ok(Maintenance {
            id: parse(T, "id", &m.id)?,
            components: components(T, &m.components)?,
            title: m.title,
            body: m.body,
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            created_at: m.created_at,
        })
    }
}

pub(crate) fn maintenance_model(m: &Maintenance) -> maintenances::ActiveModel {
    maintenances::ActiveModel {
        id: Set(m.id.to_string()),
        title: Set(m.title.clone()),
        body: Set(m.body.clone()),
        components: Set(components_text(&m.components)),
        starts_at: Set(db_time(m.starts_at)),
        ends_at: Set(db_time(m.ends_at)),
        created_at: Set(db_time(m.created_at)),
    }
}

// ---------------------------------------------------------------------------------------------
// Observability

impl TryFrom<api_metrics::Model> for ApiMetrics {
    type Error = InvalidRow;

    fn try_from(m: api_metrics::Model) -> Result<Self, Self::Error> {
        const T: &str = "api_metrics";
        Ok(ApiMetrics {
            requests: to_u64(T, "requests", m.requests)?,
            client_errors: to_u64(T, "client_errors", m.client_errors)?,
            server_errors: to_u64(T, "server_errors", m.server_errors)?,
            p50_us: to_u64(T, "p50_us", m.p50_us)?,
            p95_us: to_u64(T, "p95_us", m.p95_us)?,
            p99_us: to_u64(T, "p99_us", m.p99_us)?,
            total_us: to_u64(T, "total_us", m.total_us)?,
            latency: LatencyBuckets::decode(&m.latency).map_err(|e| InvalidRow::new(T, "latency", e))?,
            minute: m.minute,
            host: m.host,
            route: m.route,
            method: m.method,
        })
    }
}

/// The row of one flush's metrics of a route and method (the database numbers it). Counts
/// saturate at `i64::MAX`; the latency buckets are stored encoded.
pub(crate) fn api_metrics_model(r: &ApiMetrics) -> api_metrics::ActiveModel {
    api_metrics::ActiveModel {
        id: NotSet,
        minute: Set(db_time(r.minute)),
        host: Set(r.host.clone()),
        route: Set(r.route.clone()),
        method: Set(r.method.clone()),
        requests: Set(to_i64(r.requests)),
        client_errors: Set(to_i64(r.client_errors)),
        server_errors: Set(to_i64(r.server_errors)),
        p50_us: Set(to_i64(r.p50_us)),
        p95_us: Set(to_i64(r.p95_us)),
        p99_us: Set(to_i64(r.p99_us)),
        total_us: Set(to_i64(r.total_us)),
        latency: Set(r.latency.encode()),
    }
}

impl TryFrom<system_snapshots::Model> for SystemSnapshot {
    type Error = InvalidRow;

    fn try_from(m: system_snapshots::Model) -> Result<Self, Self::Error> {
        const T: &str = "system_snapshots";
        Ok(SystemSnapshot {
            at: m.at,
            queue_ready: to_u64(T, "queue_ready", m.queue_ready)?,
            queue_delayed: to_u64(T, "queue_delayed", m.queue_delayed)?,
            dead_letters: to_u64(T, "dead_letters", m.dead_letters)?,
            oldest_queued_secs: to_u64(T, "oldest_queued_secs", m.oldest_queued_secs)?,
            active_jobs: to_u64(T, "active_jobs", m.active_jobs)?,
            throughput_bps: to_u64(T, "throughput_bps", m.throughput_bps)?,
            agents_up: to_u32(T, "agents_up", m.agents_up)?,
            agents: to_u32(T, "agents", m.agents)?,
        })
    }
}

/// The row of one minute's snapshot. Counts saturate at `i64::MAX`, agent counts at `i32::MAX`.
pub(crate) fn system_snapshot_model(s: &SystemSnapshot) -> system_snapshots::ActiveModel {
    system_snapshots::ActiveModel {
        at: Set(db_time(s.at)),
        queue_ready: Set(to_i64(s.queue_ready)),
        queue_delayed: Set(to_i64(s.queue_delayed)),
        dead_letters: Set(to_i64(s.dead_letters)),
        oldest_queued_secs: Set(to_i64(s.oldest_queued_secs)),
        active_jobs: Set(to_i64(s.active_jobs)),
        throughput_bps: Set(to_i64(s.throughput_bps)),
        agents_up: Set(to_i32(s.agents_up)),
        agents: Set(to_i32(s.agents)),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn db_time_truncates_to_microseconds() {
        let at = Utc.timestamp_opt(1_800_000_000, 123_456_789).single().unwrap();
        assert_eq!(db_time(at).timestamp_subsec_nanos(), 123_456_000);
    }

    #[test]
    fn scopes_round_trip_through_their_stored_text() {
        let scopes = vec![Scope::JobsRead, Scope::Admin];
        let text = scopes_text(&scopes);
        assert_eq!(text, "jobs:read admin");
        let parsed: Vec<Scope> = text.split_whitespace().map(|s| s.parse().unwrap()).collect();
        assert_eq!(parsed, scopes);
    }

    #[test]
    fn delivery_errors_append_in_the_core_serde_shape() {
        let at = Utc.timestamp_opt(1_800_000_000, 0).single().unwrap();
        let text = append_delivery_error("[]", 1, at, "boom").unwrap();
        let text = append_delivery_error(&text, 2, at, "bang").unwrap();
        let list = delivery_errors(&text).unwrap();
        assert_eq!(list.iter().map(|e| (e.attempt, e.error.as_str())).collect::<Vec<_>>(), [(1, "boom"), (2, "bang")]);
        assert!(text.contains(r#""attempt":1"#), "{text}");
    }

    #[test]
    fn file_selections_round_trip_through_their_stored_text() {
        let text = selection_text(&[0, 3, 4_000_000_000]);
        assert_eq!(text, "[0,3,4000000000]");
        assert_eq!(selection(&text).unwrap(), [0, 3, 4_000_000_000]);
        assert_eq!(selection("[]").unwrap(), Vec::<u32>::new());
        let err = selection("[-1]").unwrap_err();
        assert_eq!((err.table, err.column), ("jobs", "selected_files"));
    }

    #[test]
    fn unknown_status_or_missing_organization_in_a_row_is_an_invalid_row() {
        let at = Utc.timestamp_opt(1_800_000_000, 0).single().unwrap();
        let model = jobs::Model {
            id: JobId::new().to_string(),
            user_id: UserId::new().to_string(),
            org_id: Some(UserId::new().to_string()),
            name: "x".into(),
            status: "scanning".into(),
            source_kind: SOURCE_TORRENT.into(),
            magnet_uri: None,
            torrent_bytes: Some(vec![1]),
            infohash: "a".repeat(40),
            idempotency_key: None,
            selected_files: None,
            region_hint: None,
            total_bytes: None,
            done_bytes: 0,
            error: None,
            worker_id: None,
            created_at: at,
            updated_at: at,
            completed_at: None,
        };
        let err = Job::try_from(model.clone()).unwrap_err();
        assert_eq!((err.table, err.column), ("jobs", "status"));

        // Rows made before organizations are backfilled: a missing organization is corrupt.
        let unowned = jobs::Model { status: "queued".into(), org_id: None, ..model };
        let err = Job::try_from(unowned).unwrap_err();
        assert_eq!((err.table, err.column), ("jobs", "org_id"));
    }

    #[test]
    fn subscription_rows_round_trip_and_unknown_statuses_are_invalid_rows() {
        let at = Utc.timestamp_opt(1_800_000_000, 123_456_000).single().unwrap();
        let subscription = Subscription {
            org_id: OrgId::new(),
            customer_id: "cus_1".into(),
            subscription_id: "sub_1".into(),
            plan_id: "pro".into(),
            status: SubscriptionStatus::Active,
            current_period_end: Some(at),
            grace_until: None,
            event_at: at,
        };
        let active = subscription_model(&subscription, at);
        let model = subscriptions::Model {
            org_id: active.org_id.unwrap(),
            customer_id: active.customer_id.unwrap(),
            subscription_id: active.subscription_id.unwrap(),
            plan_id: active.plan_id.unwrap(),
            status: active.status.unwrap(),
            current_period_end: active.current_period_end.unwrap(),
            grace_until: active.grace_until.unwrap(),
            event_at: active.event_at.unwrap(),
            updated_at: active.updated_at.unwrap(),
        };
        for status in SubscriptionStatus::ALL {
            let row = subscriptions::Model { status: status.as_str().into(), ..model.clone() };
            assert_eq!(Subscription::try_from(row).unwrap(), Subscription { status, ..subscription.clone() });
        }
        let err = Subscription::try_from(subscriptions::Model { status: "expired".into(), ..model }).unwrap_err();
        assert_eq!((err.table, err.column), ("subscriptions", "status"));
    }

    #[test]
    fn worker_rows_round_trip_and_unknown_statuses_are_invalid_rows() {
        let at = Utc.timestamp_opt(1_800_000_000, 123_456_000).single().unwrap();
        let hb = Heartbeat {
            worker_id: "agent-1".into(),
            region: "eu-west".parse().unwrap(),
            base_url: url::Url::parse("https://agent-1.example.com/").unwrap(),
            version: "1.0".into(),
            active_jobs: 2,
            max_jobs: 5,
            disk_free_bytes: u64::MAX,
            disk_total_bytes: 100,
            cpu_pct: 3.5,
            bandwidth_bps: 7,
        };
        let active = worker_model(&hb, at);
        let model = workers::Model {
            id: active.id.unwrap(),
            region: active.region.unwrap(),
            base_url: active.base_url.unwrap(),
            version: active.version.unwrap(),
            status: active.status.unwrap(),
            active_jobs: active.active_jobs.unwrap(),
            max_jobs: active.max_jobs.unwrap(),
            disk_free_bytes: active.disk_free_bytes.unwrap(),
            disk_total_bytes: active.disk_total_bytes.unwrap(),
            cpu_pct: active.cpu_pct.unwrap(),
            bandwidth_bps: active.bandwidth_bps.unwrap(),
            last_heartbeat_at: active.last_heartbeat_at.unwrap(),
            registered_at: active.registered_at.unwrap(),
        };
        let worker = Worker::try_from(model.clone()).unwrap();
        assert_eq!(worker.status, WorkerStatus::Healthy);
        assert_eq!(worker.disk_free_bytes, i64::MAX as u64, "byte counts saturate at BIGINT");
        assert_eq!((worker.last_heartbeat_at, worker.registered_at), (at, at));
        let history = heartbeat_model(&model);
        assert_eq!(history.created_at.unwrap(), at);
        for status in WorkerStatus::ALL {
            let row = workers::Model { status: status.as_str().into(), ..model.clone() };
            assert_eq!(Worker::try_from(row).unwrap().status, status);
        }
        let err = Worker::try_from(workers::Model { status: "busy".into(), ..model.clone() }).unwrap_err();
        assert_eq!((err.table, err.column), ("workers", "status"));
        let err = Worker::try_from(workers::Model { region: "EU".into(), ..model }).unwrap_err();
        assert_eq!((err.table, err.column), ("workers", "region"));
    }

    #[test]
    fn status_rows_round_trip_and_unknown_names_are_invalid_rows() {
        let at = Utc.timestamp_opt(1_800_000_000, 123_456_789).single().unwrap();
        let active = status_component_model("api", ComponentState::Degraded, "slow", at);
        let row = status_components::Model {
            component: active.component.unwrap(),
            state: active.state.unwrap(),
            reason: active.reason.unwrap(),
            since: active.since.unwrap(),
            checked_at: active.checked_at.unwrap(),
        };
        let status = ComponentStatus::try_from(row.clone()).unwrap();
        assert_eq!(
            (status.state, status.since, status.checked_at),
            (ComponentState::Degraded, db_time(at), db_time(at))
        );
        let err = ComponentStatus::try_from(status_components::Model { state: "down".into(), ..row }).unwrap_err();
        assert_eq!((err.table, err.column), ("status_components", "state"));

        let active = uptime_snapshot_model("api", RollupPeriod::Day, at, ComponentState::PartialOutage);
        let row = uptime_snapshots::Model {
            component: active.component.unwrap(),
            period: active.period.unwrap(),
            start: active.start.unwrap(),
            operational: active.operational.unwrap(),
            degraded: active.degraded.unwrap(),
            partial_outage: active.partial_outage.unwrap(),
            major_outage: active.major_outage.unwrap(),
            maintenance: active.maintenance.unwrap(),
        };
        let snapshot = UptimeSnapshot::try_from(row.clone()).unwrap();
        assert_eq!(snapshot.period, RollupPeriod::Day);
        assert_eq!(snapshot.minutes, StateMinutes::one(ComponentState::PartialOutage));
        let week = uptime_snapshots::Model { period: "week".into(), ..row.clone() };
        let err = UptimeSnapshot::try_from(week).unwrap_err();
        assert_eq!((err.table, err.column), ("uptime_snapshots", "period"));
        let err = UptimeSnapshot::try_from(uptime_snapshots::Model { degraded: -1, ..row }).unwrap_err();
        assert_eq!((err.table, err.column), ("uptime_snapshots", "degraded"));

        let row = incidents::Model {
            id: uuid::Uuid::new_v4().to_string(),
            title: "x".into(),
            impact: "minor".into(),
            status: "investigating".into(),
            components: r#"["api","database"]"#.into(),
            created_at: at,
            resolved_at: None,
        };
        let incident = incident_from(row.clone(), Vec::new()).unwrap();
        assert_eq!(incident.components, ["api", "database"]);
        assert_eq!(components_text(&incident.components), row.components);
        let err = incident_from(incidents::Model { impact: "huge".into(), ..row.clone() }, Vec::new()).unwrap_err();
        assert_eq!((err.table, err.column), ("incidents", "impact"));
        let err = incident_from(incidents::Model { status: "done".into(), ..row.clone() }, Vec::new()).unwrap_err();
        assert_eq!((err.table, err.column), ("incidents", "status"));
        let err = incident_from(incidents::Model { components: "api".into(), ..row.clone() }, Vec::new()).unwrap_err();
        assert_eq!((err.table, err.column), ("incidents", "components"));
        let update = incident_updates::Model {
            id: uuid::Uuid::new_v4().to_string(),
            incident_id: row.id.clone(),
            status: "fixed".into(),
            body: "x".into(),
            created_at: at,
        };
        let err = incident_from(row, vec![update]).unwrap_err();
        assert_eq!((err.table, err.column), ("incident_updates", "status"));
    }

    #[test]
    fn observability_rows_round_trip_and_bad_values_are_invalid_rows() {
        let at = Utc.timestamp_opt(1_800_000_000, 123_456_789).single().unwrap();
        let mut latency = LatencyBuckets::default();
        latency.record_n(1_000, 3);
        latency.record(250_000);
        let metrics = ApiMetrics {
            minute: at,
            host: "api-1/42".into(),
            route: "/api/v1/jobs/:id".into(),
            method: "GET".into(),
            requests: u64::MAX,
            client_errors: 2,
            server_errors: 1,
            p50_us: 1_000,
            p95_us: 250_000,
            p99_us: 250_000,
            total_us: 253_000,
            latency,
        };
        let active = api_metrics_model(&metrics);
        assert!(active.id.is_not_set(), "the database numbers the rows");
        let row = api_metrics::Model {
            id: 1,
            minute: active.minute.unwrap(),
            host: active.host.unwrap(),
            route: active.route.unwrap(),
            method: active.method.unwrap(),
            requests: active.requests.unwrap(),
            client_errors: active.client_errors.unwrap(),
            server_errors: active.server_errors.unwrap(),
            p50_us: active.p50_us.unwrap(),
            p95_us: active.p95_us.unwrap(),
            p99_us: active.p99_us.unwrap(),
            total_us: active.total_us.unwrap(),
            latency: active.latency.unwrap(),
        };
        let read = ApiMetrics::try_from(row.clone()).unwrap();
        let expected = ApiMetrics { minute: db_time(at), requests: i64::MAX as u64, ..metrics };
        assert_eq!(read, expected, "counts saturate at BIGINT");
        let err = ApiMetrics::try_from(api_metrics::Model { latency: "80:x".into(), ..row.clone() }).unwrap_err();
        assert_eq!((err.table, err.column), ("api_metrics", "latency"));
        let err = ApiMetrics::try_from(api_metrics::Model { p99_us: -1, ..row }).unwrap_err();
        assert_eq!((err.table, err.column), ("api_metrics", "p99_us"));

        let snapshot = SystemSnapshot {
            at,
            queue_ready: 3,
            queue_delayed: 2,
            dead_letters: 1,
            oldest_queued_secs: 90,
            active_jobs: 7,
            throughput_bps: u64::MAX,
            agents_up: 2,
            agents: u32::MAX,
        };
        let active = system_snapshot_model(&snapshot);
        let row = system_snapshots::Model {
            at: active.at.unwrap(),
            queue_ready: active.queue_ready.unwrap(),
            queue_delayed: active.queue_delayed.unwrap(),
            dead_letters: active.dead_letters.unwrap(),
            oldest_queued_secs: active.oldest_queued_secs.unwrap(),
            active_jobs: active.active_jobs.unwrap(),
            throughput_bps: active.throughput_bps.unwrap(),
            agents_up: active.agents_up.unwrap(),
            agents: active.agents.unwrap(),
        };
        let read = SystemSnapshot::try_from(row.clone()).unwrap();
        let expected =
            SystemSnapshot { at: db_time(at), throughput_bps: i64::MAX as u64, agents: i32::MAX as u32, ..snapshot };
        assert_eq!(read, expected, "counts saturate at BIGINT and INTEGER");
        let err = SystemSnapshot::try_from(system_snapshots::Model { agents_up: -1, ..row }).unwrap_err();
        assert_eq!((err.table, err.column), ("system_snapshots", "agents_up"));
    }
}
