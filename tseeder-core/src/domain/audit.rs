//! The append-only audit log and security events.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::UserId;

/// One audit log entry: who did what to which object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// The acting user (None for the system itself).
    pub actor_id: Option<UserId>,
    /// Dotted action name, e.g. `job.created`, `user.role_changed`.
    pub action: String,
    /// The kind of object, e.g. `job`, `user`.
    pub target_type: String,
    /// The object's id.
    pub target_id: Option<String>,
    /// Details (reasons, ticket ids, old and new values).
    pub metadata: serde_json::Value,
    /// The client IP, when the action came over HTTP.
    pub ip: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// How bad a security event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Noteworthy.
    Info,
    /// Needs a look.
    Warn,
    /// Needs action.
    Critical,
}

impl Severity {
    /// Every severity.
    pub const ALL: [Severity; 3] = [Self::Info, Self::Warn, Self::Critical];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warn => "warn",
            Self::Critical => "critical",
        }
    }
}

/// A security-relevant event (failed logins, refused agent signatures, missing workers...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecurityEvent {
    /// Dotted kind, e.g. `auth.login_failed`.
    pub kind: String,
    /// Severity.
    pub severity: Severity,
    /// The user involved, if known.
    pub actor_id: Option<UserId>,
    /// Client IP.
    pub ip: Option<String>,
    /// Details.
    pub payload: serde_json::Value,
    /// When.
    pub created_at: DateTime<Utc>,
}
