//! The alerts bell of the admin layout: the alerts the core computes from the live system, each
//! with its severity, since when, and the page to look at.

use chrono::Utc;
use tseeder_core::services::{AlertSection, AlertSeverity};
use tseeder_http::console::Console;

use crate::page::{Viewer, ago, exact};

/// An alert as the bell lists it.
#[derive(Debug, Clone)]
pub(crate) struct AlertItem {
    /// `critical` or `warning`.
    pub(crate) severity: &'static str,
    pub(crate) message: String,
    /// `5 min ago`.
    pub(crate) since: String,
    pub(crate) exact: String,
    /// The admin section about it (with the base path), or empty.
    pub(crate) link: String,
}

/// The alerts `viewer` (staff) sees now; none when they cannot be computed (the bell is not
/// worth failing a page for).
pub(crate) async fn current(console: &Console, viewer: &Viewer) -> Vec<AlertItem> {
    let base = console.config().base_path();
    let alerts = match console.core().alerts.alerts(&viewer.principal).await {
        Ok(alerts) => alerts,
        Err(e) => {
            tracing::warn!(error = %e, "the alerts could not be computed");
            return Vec::new();
        }
    };
    let now = Utc::now();
    alerts
        .into_iter()
        .map(|a| AlertItem {
            severity: match a.severity {
                AlertSeverity::Critical => "critical",
                AlertSeverity::Warning => "warning",
            },
            link: format!(
                "{base}/admin/{}",
                match a.section {
                    AlertSection::Plugins => "plugins",
                    AlertSection::Workers => "workers",
                    AlertSection::Queue => "jobs?status=queued",
                    AlertSection::DeadLetters => "dlq",
                    AlertSection::Storage | AlertSection::Scheduler => "storage",
                }
            ),
            since: ago(a.since, now),
            exact: exact(a.since),
            message: a.message,
        })
        .collect()
}
