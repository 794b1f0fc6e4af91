//! Policies (native or plugins) and operator alerts.

use crate::dto::text::Text;
use chrono::{DateTime, Utc};
use poem_openapi::{Enum, Object};
use tseeder_core::ports::{PolicyFailure, PolicyImplementation, PolicyKind, PolicyStatus};
use tseeder_core::services::{Alert, AlertSection, AlertSeverity};

/// Which decision a policy makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "PolicyKind", rename_all = "snake_case")]
pub(crate) enum PolicyKindDto {
    /// Which worker runs a job.
    Router,
    /// Which stored files are deleted.
    Retention,
}

impl From<PolicyKind> for PolicyKindDto {
    fn from(kind: PolicyKind) -> Self {
        match kind {
            PolicyKind::Router => Self::Router,
            PolicyKind::Retention => Self::Retention,
        }
    }
}

impl From<PolicyKindDto> for PolicyKind {
    fn from(kind: PolicyKindDto) -> Self {
        match kind {
            PolicyKindDto::Router => Self::Router,
            PolicyKindDto::Retention => Self::Retention,
        }
    }
}

/// What decides a policy now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "PolicyImplementation", rename_all = "snake_case")]
pub(crate) enum PolicyImplementationDto {
    /// The built-in rule.
    Native,
    /// A WebAssembly plugin.
    Wasm,
}

/// A failed decision or a refused plugin version.
#[derive(Debug, Clone, Object)]
#[oai(rename = "PolicyFailure", rename_all = "camelCase")]
pub(crate) struct PolicyFailureView {
    /// When.
    pub(crate) at: DateTime<Utc>,
    /// What went wrong.
    pub(crate) reason: String,
}

impl From<PolicyFailure> for PolicyFailureView {
    fn from(f: PolicyFailure) -> Self {
        Self { at: f.at, reason: f.reason }
    }
}

/// One policy: native or plugin, the plugin's file and hash, and its counters since start.
#[derive(Debug, Clone, Object)]
#[oai(rename = "Policy", rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct PolicyView {
    /// Which policy.
    pub(crate) kind: PolicyKindDto,
    /// Native, or a plugin.
    pub(crate) implementation: PolicyImplementationDto,
    /// The plugin file (the configured one while none is active).
    pub(crate) path: Option<String>,
    /// SHA-256 of the active plugin.
    pub(crate) sha256: Option<String>,
    /// When the active plugin was loaded.
    pub(crate) loaded_at: Option<DateTime<Utc>>,
    /// Plugin versions swapped in since start.
    pub(crate) swaps: u64,
    /// Decisions asked of the plugin.
    pub(crate) decisions: u64,
    /// Decisions that failed and took the fallback (native routing; retention deletes nothing).
    pub(crate) failures: u64,
    /// Failures by deadline.
    pub(crate) timeouts: u64,
    /// Failures by memory limit.
    pub(crate) memory_exceeded: u64,
    /// Failures by other traps.
    pub(crate) traps: u64,
    /// Failures by unusable answers.
    pub(crate) invalid_outputs: u64,
    /// The latest failed decision.
    pub(crate) last_failure: Option<PolicyFailureView>,
    /// The latest refused version (the active one stayed).
    pub(crate) last_refusal: Option<PolicyFailureView>,
}

impl From<PolicyStatus> for PolicyView {
    fn from(s: PolicyStatus) -> Self {
        Self {
            kind: s.kind.into(),
            implementation: match s.implementation {
                PolicyImplementation::Native => PolicyImplementationDto::Native,
                PolicyImplementation::Wasm => PolicyImplementationDto::Wasm,
            },
            path: s.path,
            sha256: s.sha256,
            loaded_at: s.loaded_at,
            swaps: s.swaps,
            decisions: s.counters.decisions,
            failures: s.counters.failures,
            timeouts: s.counters.timeouts,
            memory_exceeded: s.counters.memory_exceeded,
            traps: s.counters.traps,
            invalid_outputs: s.counters.invalid_outputs,
            last_failure: s.last_failure.map(Into::into),
            last_refusal: s.last_refusal.map(Into::into),
        }
    }
}

/// Both policies.
#[derive(Debug, Clone, Object)]
#[oai(rename = "PolicyList")]
pub(crate) struct PolicyList {
    /// The router, then retention.
    pub(crate) policies: Vec<PolicyView>,
}

/// Swap in a new plugin version.
#[derive(Debug, Clone, Object)]
#[oai(rename = "PluginSwapRequest", rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct PluginSwapRequest {
    /// The component file on the API host; default: the configured path.
    #[oai(nullable, validator(min_length = 1, max_length = 4096))]
    pub(crate) path: Option<Text>,
    /// The file's SHA-256 (64 hex characters): the new pin.
    pub(crate) sha256: Text,
    /// Why (10 to 1000 characters once surrounding blanks are trimmed), kept in the audit log.
    #[oai(validator(
        min_length = 10,
        max_length = 1000,
        pattern = r#"^[\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]|[\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]){8,}[^\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"#
    ))]
    pub(crate) reason: Text,
    /// A support ticket id, up to 64 printable characters, kept in the audit log beside the
    /// reason.
    #[oai(nullable, validator(max_length = 64, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$"))]
    pub(crate) ticket_id: Option<Text>,
}

/// The swapped-in plugin.
#[derive(Debug, Clone, Object)]
#[oai(rename = "PolicyEnvelope")]
pub(crate) struct PolicyEnvelope {
    /// The policy after the swap.
    pub(crate) policy: PolicyView,
}

/// How urgent an alert is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "AlertSeverity", rename_all = "snake_case")]
pub(crate) enum AlertSeverityDto {
    /// Worth a look.
    Warning,
    /// Broken or degraded now.
    Critical,
}

/// Something an operator should look at, computed from the system's state.
#[derive(Debug, Clone, Object)]
#[oai(rename = "Alert", rename_all = "camelCase")]
pub(crate) struct AlertView {
    /// How urgent.
    pub(crate) severity: AlertSeverityDto,
    /// Stable identifier of the condition: `plugin.<kind>.failing`, `plugin.<kind>.refused`,
    /// `workers.stale`, `region.<region>.no_healthy_agent`, `queue.oldest_job`,
    /// `dead_letters.growing`, `storage.capacity`, `scheduler.<task>.missed`.
    pub(crate) code: String,
    /// The part of the system it is about (and the admin page that explains it).
    pub(crate) section: AlertSectionDto,
    /// What is wrong.
    pub(crate) message: String,
    /// Since when the condition holds (for a plugin, its latest failure or refusal).
    pub(crate) since: DateTime<Utc>,
}

/// The part of the system an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "AlertSection", rename_all = "snake_case")]
pub(crate) enum AlertSectionDto {
    /// Policy plugins.
    Plugins,
    /// Remote agents and regions.
    Workers,
    /// The job queue.
    Queue,
    /// The dead-letter queue.
    DeadLetters,
    /// Object storage.
    Storage,
    /// Scheduled tasks.
    Scheduler,
}

impl From<AlertSection> for AlertSectionDto {
    fn from(s: AlertSection) -> Self {
        match s {
            AlertSection::Plugins => Self::Plugins,
            AlertSection::Workers => Self::Workers,
            AlertSection::Queue => Self::Queue,
            AlertSection::DeadLetters => Self::DeadLetters,
            AlertSection::Storage => Self::Storage,
            AlertSection::Scheduler => Self::Scheduler,
        }
    }
}

impl From<Alert> for AlertView {
    fn from(a: Alert) -> Self {
        Self {
            severity: match a.severity {
                AlertSeverity::Warning => AlertSeverityDto::Warning,
                AlertSeverity::Critical => AlertSeverityDto::Critical,
            },
            code: a.code,
            section: a.section.into(),
            message: a.message,
            since: a.since,
        }
    }
}

/// The alerts of the moment, most urgent first.
#[derive(Debug, Clone, Object)]
#[oai(rename = "AlertList")]
pub(crate) struct AlertList {
    /// Alerts; empty when all is well.
    pub(crate) alerts: Vec<AlertView>,
}
