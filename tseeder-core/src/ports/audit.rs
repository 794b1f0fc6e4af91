//! The audit log and security events: append-only.

use std::fmt::Debug;

use async_trait::async_trait;

use crate::domain::{AuditEntry, Page, PageRequest, SecurityEvent, Severity, UserId};
use crate::error::RepoError;

/// Filters for listing audit entries (all optional, combined with AND).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only this actor's entries.
    pub actor_id: Option<UserId>,
    /// Only this action.
    pub action: Option<String>,
    /// Only this target type.
    pub target_type: Option<String>,
    /// Only this target id.
    pub target_id: Option<String>,
}

/// Filters for listing security events (all optional, combined with AND).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecurityEventFilter {
    /// Only this kind, e.g. `auth.login_failed`.
    pub kind: Option<String>,
    /// Only this severity.
    pub severity: Option<Severity>,
}

/// A stored audit entry with its id.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRecord {
    /// Row id.
    pub id: String,
    /// The entry.
    pub entry: AuditEntry,
}

/// Append-only log of audit entries and security events.
///
/// # Contract
/// - There is no update or delete: entries are permanent.
/// - Lists are newest first.
#[async_trait]
pub trait AuditLog: Send + Sync + Debug {
    /// Appends an audit entry.
    async fn record(&self, entry: &AuditEntry) -> Result<(), RepoError>;
    /// Lists audit entries.
    async fn list_audit(&self, filter: &AuditFilter, page: PageRequest) -> Result<Page<AuditRecord>, RepoError>;
    /// Appends a security event.
    async fn record_security_event(&self, event: &SecurityEvent) -> Result<(), RepoError>;
    /// Lists the security events that match `filter`.
    async fn list_security_events(
        &self,
        filter: &SecurityEventFilter,
        page: PageRequest,
    ) -> Result<Page<SecurityEvent>, RepoError>;
}
