//! Plans and usage.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use tseeder_core::domain::{Bandwidth, Plan, Usage};

/// A subscription plan. Limits are absent when unlimited.
#[derive(Debug, Clone, Object)]
#[oai(rename = "Plan", rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct PlanView {
    /// Plan id: `free`, `pro`, `business`, `enterprise`...
    pub(crate) id: String,
    /// Display name (the id: plans are named by it).
    pub(crate) name: String,
    /// Concurrent active jobs.
    pub(crate) max_jobs: Option<u64>,
    /// Total stored bytes.
    pub(crate) max_storage_bytes: Option<u64>,
    /// Largest single file.
    pub(crate) max_file_size_bytes: Option<u64>,
    /// Monthly transfer.
    pub(crate) bandwidth_bytes: Option<u64>,
    /// Days files are kept after completion.
    pub(crate) retention_days: Option<u64>,
    /// Monthly price in cents.
    pub(crate) price_cents: u64,
}

impl From<Plan> for PlanView {
    fn from(plan: Plan) -> Self {
        Self {
            name: plan.id.clone(),
            id: plan.id,
            max_jobs: plan.max_jobs.as_option(),
            max_storage_bytes: plan.max_storage_bytes.as_option(),
            max_file_size_bytes: plan.max_file_size_bytes.as_option(),
            bandwidth_bytes: plan.bandwidth_bytes.as_option(),
            retention_days: plan.retention_days.as_option(),
            price_cents: plan.price_cents,
        }
    }
}

/// `{plans}`.
#[derive(Debug, Clone, Object)]
pub(crate) struct PlanList {
    /// Every plan, cheapest first.
    pub(crate) plans: Vec<PlanView>,
}

/// An organization's plan and consumption.
#[derive(Debug, Clone, Object)]
#[oai(rename = "Usage", rename_all = "camelCase")]
pub(crate) struct UsageView {
    /// The plan in force.
    pub(crate) plan: PlanView,
    /// Bytes of stored files.
    pub(crate) storage_used_bytes: u64,
    /// Jobs that count towards the plan's job limit (queued, running or paused).
    pub(crate) active_jobs: u64,
    /// Every job kept.
    pub(crate) total_jobs: u64,
    /// This month's transfer against the plan's `bandwidthBytes`.
    pub(crate) bandwidth: BandwidthView,
}

impl From<(Plan, Usage)> for UsageView {
    fn from((plan, usage): (Plan, Usage)) -> Self {
        Self {
            bandwidth: BandwidthView::new(Some(&plan), &usage.bandwidth),
            plan: plan.into(),
            storage_used_bytes: usage.storage_bytes,
            active_jobs: usage.active_jobs,
            total_jobs: usage.total_jobs,
        }
    }
}

/// An organization's metered transfer this calendar month (UTC): bytes its jobs downloaded (a
/// job counts its size once, when it completes) and bytes served from its files (downloads,
/// streams, zip archives, signed links). Once `usedBytes` reaches `limitBytes`, new jobs and
/// downloads get 429 `quota_bandwidth` until `resetsAt`.
#[derive(Debug, Clone, Object)]
#[oai(rename = "Bandwidth", rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct BandwidthView {
    /// The month counted, `YYYY-MM`.
    pub(crate) month: String,
    /// Downloaded plus served: what the limit applies to.
    pub(crate) used_bytes: u64,
    /// Downloaded by jobs.
    pub(crate) downloaded_bytes: u64,
    /// Served from stored files.
    pub(crate) served_bytes: u64,
    /// The plan's monthly limit; absent when unlimited (or when there is no plan).
    pub(crate) limit_bytes: Option<u64>,
    /// When the count starts again from zero: the first instant of the next month.
    pub(crate) resets_at: DateTime<Utc>,
}

impl BandwidthView {
    /// The transfer `used` under `plan`'s limit.
    pub(crate) fn new(plan: Option<&Plan>, used: &Bandwidth) -> Self {
        Self {
            month: used.month.to_string(),
            used_bytes: used.used(),
            downloaded_bytes: used.downloaded_bytes,
            served_bytes: used.served_bytes,
            limit_bytes: plan.and_then(|p| p.bandwidth_bytes.as_option()),
            resets_at: used.month.resets_at(),
        }
    }
}
