//! [`InMemoryBandwidthMeter`].

use async_trait::async_trait;

use super::handle;
use crate::domain::{Bandwidth, Month, OrgId, TransferKind};
use crate::error::RepoError;
use crate::ports::BandwidthMeter;

handle!(
    /// A [`BandwidthMeter`] over an [`InMemoryDb`](crate::testing::InMemoryDb): one pair of
    /// counters per organization and month, saturating at `i64::MAX` as the databases' columns do.
    InMemoryBandwidthMeter
);

/// The largest count a database column holds.
const MAX: u64 = i64::MAX as u64;

#[async_trait]
impl BandwidthMeter for InMemoryBandwidthMeter {
    async fn record(&self, org: OrgId, month: Month, kind: TransferKind, bytes: u64) -> Result<(), RepoError> {
        if bytes == 0 {
            return Ok(());
        }
        let mut state = self.state();
        let counters = state.bandwidth.entry((org, month)).or_insert(Bandwidth { month, ..Bandwidth::default() });
        let counter = match kind {
            TransferKind::Downloaded => &mut counters.downloaded_bytes,
            TransferKind::Served => &mut counters.served_bytes,
        };
        *counter = counter.saturating_add(bytes).min(MAX);
        Ok(())
    }

    async fn bandwidth(&self, org: OrgId, month: Month) -> Result<Bandwidth, RepoError> {
        Ok(self.state().bandwidth.get(&(org, month)).copied().unwrap_or(Bandwidth { month, ..Bandwidth::default() }))
    }
}
