//! [`InMemoryMetricsRepository`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{handle, micros};
use crate::domain::{ApiMetrics, SystemSnapshot};
use crate::error::RepoError;
use crate::ports::MetricsRepository;

handle!(
    /// A [`MetricsRepository`] over an [`InMemoryDb`](crate::testing::InMemoryDb): request
    /// metrics in the order they were appended, snapshots keyed by their minute.
    InMemoryMetricsRepository
);

#[async_trait]
impl MetricsRepository for InMemoryMetricsRepository {
    async fn append_api_metrics(&self, rows: &[ApiMetrics]) -> Result<(), RepoError> {
        let stored = rows.iter().map(|r| ApiMetrics { minute: micros(r.minute), ..r.clone() });
        self.state().api_metrics.extend(stored);
        Ok(())
    }

    async fn api_metrics(&self, from: DateTime<Utc>) -> Result<Vec<ApiMetrics>, RepoError> {
        let from = micros(from);
        let mut rows: Vec<ApiMetrics> = self.state().api_metrics.iter().filter(|r| r.minute >= from).cloned().collect();
        // Stable: rows with the same key stay in the order they were appended.
        rows.sort_by(|a, b| (a.minute, &a.route, &a.method, &a.host).cmp(&(b.minute, &b.route, &b.method, &b.host)));
        Ok(rows)
    }

    async fn record_snapshot(&self, snapshot: &SystemSnapshot) -> Result<(), RepoError> {
        let at = micros(snapshot.at);
        self.state().system_snapshots.insert(at, SystemSnapshot { at, ..snapshot.clone() });
        Ok(())
    }

    async fn snapshots(&self, from: DateTime<Utc>) -> Result<Vec<SystemSnapshot>, RepoError> {
        let from = micros(from);
        Ok(self.state().system_snapshots.range(from..).map(|(_, s)| s.clone()).collect())
    }

    async fn prune_metrics(&self, before: DateTime<Utc>) -> Result<u64, RepoError> {
        let before = micros(before);
        let mut db = self.state();
        let count = db.api_metrics.len() + db.system_snapshots.len();
        db.api_metrics.retain(|r| r.minute >= before);
        db.system_snapshots.retain(|at, _| *at >= before);
        Ok((count - db.api_metrics.len() - db.system_snapshots.len()) as u64)
    }
}
