//! Operator views: blocklist, dead-letter queue, audit log, security events.

use chrono::{DateTime, Utc};
use poem_openapi::{Enum, Object};
use tseeder_core::domain::queue::DeliveryError;
use tseeder_core::domain::{QueueMessage, QueueState, SecurityEvent, Severity};
use tseeder_core::ports::{AuditRecord, BlocklistEntry, QueueStats};
use uuid::Uuid;

use crate::dto::text::Text;

/// A reason for an admin action, 10 to 1000 characters, kept in the audit log.
#[derive(Debug, Clone, Object)]
pub(crate) struct ReasonRequest {
    /// Why, 10 to 1000 characters once surrounding blanks are trimmed.
    #[oai(validator(
        min_length = 10,
        max_length = 1000,
        pattern = r#"^[\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]|[\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]){8,}[^\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"#
    ))]
    pub(crate) reason: Text,
    /// A support ticket id, up to 64 printable characters, kept in the audit log beside the
    /// reason.
    #[oai(rename = "ticketId", nullable, validator(max_length = 64, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$"))]
    pub(crate) ticket_id: Option<Text>,
}

/// Block an infohash.
#[derive(Debug, Clone, Object)]
pub(crate) struct BlockRequest {
    /// 40 hex or 32 base32 characters.
    #[oai(validator(pattern = r#"^(?:[0-9a-fA-F]{40}|[2-7A-Za-z]{32})$"#))]
    pub(crate) infohash: Text,
    /// Why, 10 to 1000 characters once surrounding blanks are trimmed.
    #[oai(validator(
        min_length = 10,
        max_length = 1000,
        pattern = r#"^[\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]|[\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]){8,}[^\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"#
    ))]
    pub(crate) reason: Text,
}

/// The result of blocking an infohash.
#[derive(Debug, Clone, Object)]
#[oai(rename_all = "camelCase")]
pub(crate) struct BlockResponse {
    /// How many live jobs for the infohash were cancelled.
    pub(crate) cancelled_jobs: u64,
}

/// A blocked infohash.
#[derive(Debug, Clone, Object)]
#[oai(rename = "BlocklistEntry", rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct BlocklistEntryView {
    /// 40 lowercase hex characters.
    pub(crate) infohash: String,
    /// Why.
    pub(crate) reason: String,
    /// Who added it.
    pub(crate) added_by: Option<Uuid>,
    /// When.
    pub(crate) created_at: DateTime<Utc>,
}

impl From<BlocklistEntry> for BlocklistEntryView {
    fn from(entry: BlocklistEntry) -> Self {
        Self {
            infohash: entry.infohash.to_hex(),
            reason: entry.reason,
            added_by: entry.added_by.map(|u| u.0),
            created_at: entry.created_at,
        }
    }
}

/// Whether a queue message can still be delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "QueueState", rename_all = "snake_case")]
pub(crate) enum QueueStateDto {
    /// Deliverable (now or after its delay).
    Ready,
    /// Dead-lettered.
    Dead,
}

impl From<QueueState> for QueueStateDto {
    fn from(state: QueueState) -> Self {
        match state {
            QueueState::Ready => Self::Ready,
            QueueState::Dead => Self::Dead,
        }
    }
}

/// One failed delivery.
#[derive(Debug, Clone, Object)]
#[oai(rename = "DeliveryError")]
pub(crate) struct DeliveryErrorView {
    /// Which attempt, from 1.
    pub(crate) attempt: u32,
    /// When it failed.
    pub(crate) at: DateTime<Utc>,
    /// Why.
    pub(crate) error: String,
}

impl From<DeliveryError> for DeliveryErrorView {
    fn from(e: DeliveryError) -> Self {
        Self { attempt: e.attempt, at: e.at, error: e.error }
    }
}

/// A message of the durable queue.
#[derive(Debug, Clone, Object)]
#[oai(rename = "QueueMessage", rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct QueueMessageView {
    /// The id.
    pub(crate) id: Uuid,
    /// Queue name.
    pub(crate) queue: String,
    /// The job it is about.
    pub(crate) job_id: Option<Uuid>,
    /// Delivery state.
    pub(crate) state: QueueStateDto,
    /// Deliveries so far.
    pub(crate) attempts: u32,
    /// Deliveries allowed before dead-lettering.
    pub(crate) max_attempts: u32,
    /// Next possible delivery.
    pub(crate) visible_at: DateTime<Utc>,
    /// The latest error.
    pub(crate) last_error: Option<String>,
    /// Every failed delivery, oldest first.
    pub(crate) errors: Vec<DeliveryErrorView>,
    /// Creation time.
    pub(crate) created_at: DateTime<Utc>,
    /// When it was dead-lettered.
    pub(crate) dead_at: Option<DateTime<Utc>>,
}

impl From<QueueMessage> for QueueMessageView {
    fn from(m: QueueMessage) -> Self {
        Self {
            id: m.id.0,
            queue: m.queue,
            job_id: m.job_id.map(|j| j.0),
            state: m.state.into(),
            attempts: m.attempts,
            max_attempts: m.max_attempts,
            visible_at: m.visible_at,
            last_error: m.last_error,
            errors: m.errors.into_iter().map(DeliveryErrorView::from).collect(),
            created_at: m.created_at,
            dead_at: m.dead_at,
        }
    }
}

/// Message counts of the job queue.
#[derive(Debug, Clone, Object)]
#[oai(rename = "QueueStats")]
pub(crate) struct QueueStatsView {
    /// Deliverable now.
    pub(crate) ready: u64,
    /// Leased, or waiting for a retry.
    pub(crate) delayed: u64,
    /// Dead-lettered.
    pub(crate) dead: u64,
}

impl From<QueueStats> for QueueStatsView {
    fn from(s: QueueStats) -> Self {
        Self { ready: s.ready, delayed: s.delayed, dead: s.dead }
    }
}

/// An audit log entry.
#[derive(Debug, Clone, Object)]
#[oai(rename = "AuditEntry", rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct AuditEntryView {
    /// Row id.
    pub(crate) id: String,
    /// Who acted (absent for the system).
    pub(crate) actor_id: Option<Uuid>,
    /// Dotted action, e.g. `job.created`.
    pub(crate) action: String,
    /// Kind of object, e.g. `job`.
    pub(crate) target_type: String,
    /// The object's id.
    pub(crate) target_id: Option<String>,
    /// Details (reasons, old and new values).
    pub(crate) metadata: serde_json::Value,
    /// Client address.
    pub(crate) ip: Option<String>,
    /// When.
    pub(crate) created_at: DateTime<Utc>,
}

impl From<AuditRecord> for AuditEntryView {
    fn from(record: AuditRecord) -> Self {
        let entry = record.entry;
        Self {
            id: record.id,
            actor_id: entry.actor_id.map(|u| u.0),
            action: entry.action,
            target_type: entry.target_type,
            target_id: entry.target_id,
            metadata: entry.metadata,
            ip: entry.ip,
            created_at: entry.created_at,
        }
    }
}

/// How bad a security event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "Severity", rename_all = "snake_case")]
pub(crate) enum SeverityDto {
    /// Noteworthy.
    Info,
    /// Needs a look.
    Warn,
    /// Needs action.
    Critical,
}

impl From<SeverityDto> for Severity {
    fn from(s: SeverityDto) -> Self {
        match s {
            SeverityDto::Info => Self::Info,
            SeverityDto::Warn => Self::Warn,
            SeverityDto::Critical => Self::Critical,
        }
    }
}

impl From<Severity> for SeverityDto {
    fn from(s: Severity) -> Self {
        match s {
            Severity::Info => Self::Info,
            Severity::Warn => Self::Warn,
            Severity::Critical => Self::Critical,
        }
    }
}

/// A security-relevant event.
#[derive(Debug, Clone, Object)]
#[oai(rename = "SecurityEvent", rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct SecurityEventView {
    /// Dotted kind, e.g. `auth.login_failed`.
    pub(crate) kind: String,
    /// Severity.
    pub(crate) severity: SeverityDto,
    /// The user involved.
    pub(crate) actor_id: Option<Uuid>,
    /// Client address.
    pub(crate) ip: Option<String>,
    /// Details.
    pub(crate) payload: serde_json::Value,
    /// When.
    pub(crate) created_at: DateTime<Utc>,
}

impl From<SecurityEvent> for SecurityEventView {
    fn from(e: SecurityEvent) -> Self {
        Self {
            kind: e.kind,
            severity: e.severity.into(),
            actor_id: e.actor_id.map(|u| u.0),
            ip: e.ip,
            payload: e.payload,
            created_at: e.created_at,
        }
    }
}
