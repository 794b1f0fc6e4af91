//! Operators' view and control of the active policies (native or plugins), and the alerts
//! computed from system health that the admin console shows.
//!
//! The plugins themselves live in the `tseeder-plugins` crate behind the
//! [`PolicyHost`] port; without it, [`NativePolicyHost`] reports both policies as native.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::json;

use super::account::{check_ticket, justified, require_reason};
use super::alerts::{Alert, AlertSection, AlertSeverity};
use super::{Ports, RequestMeta, audit_entry};
use crate::auth::Principal;
use crate::domain::Role;
use crate::error::{ErrorCode, PolicyError, ServiceError};
use crate::ports::{PolicyHost, PolicyImplementation, PolicyKind, PolicyStatus, RetentionPolicy, RoutingPolicy};
use crate::services::{NativeRetentionPolicy, NativeRoutingPolicy};

/// The [`PolicyHost`] of a service with no plugins: both policies are native and cannot be
/// swapped.
#[derive(Debug, Clone, Copy)]
pub struct NativePolicyHost {
    stale_after: Duration,
}

impl NativePolicyHost {
    /// Native policies; the router treats workers silent for longer than `stale_after` as
    /// stale.
    pub fn new(stale_after: Duration) -> Self {
        Self { stale_after }
    }
}

#[async_trait]
impl PolicyHost for NativePolicyHost {
    fn status(&self) -> Vec<PolicyStatus> {
        PolicyKind::ALL.into_iter().map(PolicyStatus::native).collect()
    }

    fn routing_policy(&self) -> Arc<dyn RoutingPolicy> {
        Arc::new(NativeRoutingPolicy::new(self.stale_after))
    }

    fn retention_policy(&self) -> Arc<dyn RetentionPolicy> {
        Arc::new(NativeRetentionPolicy)
    }

    async fn swap(&self, _kind: PolicyKind, _path: Option<&str>, _sha256: &str) -> Result<PolicyStatus, PolicyError> {
        Err(PolicyError::NotConfigured)
    }
}

/// Policies for operators. Reading needs the support role; swapping a plugin needs admin, a
/// reason, and is audited.
#[derive(Debug, Clone)]
pub struct PolicyService {
    ports: Ports,
    host: Arc<dyn PolicyHost>,
}

impl PolicyService {
    /// How long a plugin failure or refusal keeps its alert up.
    pub const ALERT_WINDOW: TimeDelta = TimeDelta::hours(24);

    /// Builds the service over `host`.
    pub fn new(ports: Ports, host: Arc<dyn PolicyHost>) -> Self {
        Self { ports, host }
    }

    /// The host, for the parts of the service that make decisions with it.
    pub fn host(&self) -> &Arc<dyn PolicyHost> {
        &self.host
    }

    /// Both policies: native or plugin, hash, counters, last failure and refusal.
    pub fn status(&self, principal: &Principal) -> Result<Vec<PolicyStatus>, ServiceError> {
        principal.require_staff(Role::Support)?;
        Ok(self.host.status())
    }

    /// Swaps in a new version of the plugin of `kind` (see [`PolicyHost::swap`]). A refused
    /// version leaves the old one active, is audited as `plugin.swap_refused` and answers
    /// `plugin_refused`. Either audit entry keeps the reason and the optional support ticket id.
    #[expect(
        clippy::too_many_arguments,
        reason = "the plugin's kind, file and hash, and who, why and under which ticket"
    )]
    pub async fn swap(
        &self,
        principal: &Principal,
        kind: PolicyKind,
        path: Option<&str>,
        sha256: &str,
        reason: &str,
        ticket: Option<&str>,
        meta: &RequestMeta,
    ) -> Result<PolicyStatus, ServiceError> {
        principal.require_staff(Role::Admin)?;
        let reason = require_reason(reason)?;
        let ticket = check_ticket(ticket)?;
        let sha256 = sha256.trim().to_ascii_lowercase();
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ServiceError::invalid(ErrorCode::InvalidSha256, "sha256 is 64 hexadecimal characters"));
        }
        let outcome = self.host.swap(kind, path, &sha256).await;
        let (action, detail) = match &outcome {
            Ok(_) => ("plugin.swapped", None),
            Err(e) => ("plugin.swap_refused", Some(e.to_string())),
        };
        self.ports
            .audit
            .record(&audit_entry(
                &self.ports,
                Some(principal.user_id),
                action,
                "plugin",
                Some(kind.as_str().to_owned()),
                justified(json!({ "sha256": sha256, "path": path, "error": detail }), reason, ticket),
                meta,
            ))
            .await?;
        match outcome {
            Ok(status) => Ok(status),
            Err(PolicyError::NotConfigured) => Err(ServiceError::conflict(
                ErrorCode::PluginNotConfigured,
                format!("no {kind} plugin is configured (plugins.{kind} in the configuration)"),
            )),
            Err(PolicyError::Refused(message)) => Err(ServiceError::invalid(ErrorCode::PluginRefused, message)),
            Err(other) => Err(ServiceError::invalid(ErrorCode::PluginRefused, other.to_string())),
        }
    }
}

/// The alerts a set of policy statuses raises at `now`: a plugin whose last failure or refusal
/// is within [`PolicyService::ALERT_WINDOW`].
pub fn plugin_alerts(statuses: &[PolicyStatus], now: DateTime<Utc>) -> Vec<Alert> {
    let recent = |at: DateTime<Utc>| now - at <= PolicyService::ALERT_WINDOW;
    let mut alerts = Vec::new();
    for status in statuses {
        if status.implementation == PolicyImplementation::Wasm
            && let Some(failure) = status.last_failure.as_ref().filter(|f| recent(f.at))
        {
            let fallback = match status.kind {
                PolicyKind::Router => "jobs were routed by the native policy",
                PolicyKind::Retention => "nothing was deleted",
            };
            alerts.push(Alert {
                severity: AlertSeverity::Critical,
                code: format!("plugin.{}.failing", status.kind),
                section: AlertSection::Plugins,
                message: format!(
                    "the {} plugin failed {} of {} decisions ({fallback}); last: {}",
                    status.kind, status.counters.failures, status.counters.decisions, failure.reason
                ),
                since: failure.at,
            });
        }
        if let Some(refusal) = status.last_refusal.as_ref().filter(|f| recent(f.at)) {
            alerts.push(Alert {
                severity: AlertSeverity::Warning,
                code: format!("plugin.{}.refused", status.kind),
                section: AlertSection::Plugins,
                message: format!(
                    "a new {} plugin version was refused (the old one stays): {}",
                    status.kind, refusal.reason
                ),
                since: refusal.at,
            });
        }
    }
    alerts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::{PolicyCounters, PolicyFailure};

    #[test]
    fn recent_plugin_failures_and_refusals_raise_alerts_old_ones_do_not() {
        let now = Utc::now();
        let mut router = PolicyStatus::native(PolicyKind::Router);
        router.implementation = PolicyImplementation::Wasm;
        router.counters = PolicyCounters { decisions: 10, failures: 2, timeouts: 2, ..Default::default() };
        router.last_failure = Some(PolicyFailure { at: now - TimeDelta::minutes(5), reason: "timed out".into() });
        let mut retention = PolicyStatus::native(PolicyKind::Retention);
        retention.last_refusal = Some(PolicyFailure { at: now - TimeDelta::hours(25), reason: "bad hash".into() });
        let alerts = plugin_alerts(&[router.clone(), retention.clone()], now);
        assert_eq!(alerts.len(), 1, "{alerts:?}");
        assert_eq!(alerts[0].code, "plugin.router.failing");
        assert_eq!(alerts[0].severity, AlertSeverity::Critical);
        assert!(alerts[0].message.contains("2 of 10") && alerts[0].message.contains("native"), "{}", alerts[0].message);

        retention.last_refusal = Some(PolicyFailure { at: now, reason: "bad hash".into() });
        router.last_failure = None;
        let alerts = plugin_alerts(&[router, retention], now);
        assert_eq!(alerts.iter().map(|a| a.code.as_str()).collect::<Vec<_>>(), ["plugin.retention.refused"]);
    }

    #[tokio::test]
    async fn the_native_host_reports_both_policies_and_refuses_swaps() {
        let host = NativePolicyHost::new(Duration::from_secs(30));
        let kinds: Vec<PolicyKind> = host.status().iter().map(|s| s.kind).collect();
        assert_eq!(kinds, PolicyKind::ALL);
        assert!(matches!(host.swap(PolicyKind::Router, None, &"a".repeat(64)).await, Err(PolicyError::NotConfigured)));
    }
}
