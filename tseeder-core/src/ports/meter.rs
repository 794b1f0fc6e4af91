//! The bandwidth meter: bytes each organization moved per calendar month.

use std::fmt::Debug;

use async_trait::async_trait;

use crate::domain::{Bandwidth, Month, OrgId, TransferKind};
use crate::error::RepoError;

/// Persistent per-month counters of the bytes each organization's jobs downloaded and its files
/// served, read against the plan's `bandwidth_bytes`.
///
/// # Contract
/// - `record(org, month, kind, bytes)` adds `bytes` to that organization's `kind` counter for
///   `month`, creating the month's counters at zero first. Concurrent calls all count (the
///   addition happens in the store, never as read-then-write), and a counter saturates at
///   `i64::MAX` instead of wrapping. Recording 0 bytes changes nothing.
/// - `bandwidth(org, month)` reads both counters of that month; a month with nothing recorded
///   (or an organization never seen) reads as zeros. Months are independent: a new month starts
///   at zero, and older months keep their counts.
#[async_trait]
pub trait BandwidthMeter: Send + Sync + Debug {
    /// Adds transferred bytes to a month's counter.
    async fn record(&self, org: OrgId, month: Month, kind: TransferKind, bytes: u64) -> Result<(), RepoError>;
    /// A month's counters.
    async fn bandwidth(&self, org: OrgId, month: Month) -> Result<Bandwidth, RepoError>;
}
