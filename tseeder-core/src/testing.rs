//! Test helpers shared by every adapter: a controllable clock, fakes, and the conformance suites
//! that pin down each port's contract. Enabled by the `test-util` feature.
//!
//! Every port has a fake named `InMemory*` that passes the same conformance suite as the real
//! adapters; [`in_memory_ports`] builds a whole [`Ports`](crate::services::Ports) of them, so
//! services and the dispatcher can be tested with no database.

mod broadcast;
pub mod conformance;
mod engine;
mod file_store;
mod in_memory;
mod mailer;
mod metadata;
mod worker;

use std::sync::Mutex;

use chrono::{DateTime, Duration, TimeZone, Utc};

use crate::ports::Clock;
pub use broadcast::InMemoryBroadcast;
pub use engine::{ScriptedEngine, ScriptedRun};
pub use file_store::InMemoryFileStore;
pub use in_memory::{
    InMemoryAccountRepository, InMemoryAdminSearch, InMemoryAuditLog, InMemoryBandwidthMeter,
    InMemoryBillingRepository, InMemoryBlocklistRepository, InMemoryConfigRepository, InMemoryDb,
    InMemoryFileRepository, InMemoryJobQueue, InMemoryJobRepository, InMemoryLabelRepository,
    InMemoryMaintenanceRepository, InMemoryMetricsRepository, InMemoryOrgRepository, InMemoryPlanRepository,
    InMemoryStatusRepository, in_memory_ports,
};
pub use mailer::RecordingMailer;
pub use metadata::InMemoryMetadataSource;
pub use worker::InMemoryWorkerRegistry;

/// A clock that only moves when told to.
#[derive(Debug)]
pub struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    /// A clock at `now`.
    pub fn new(now: DateTime<Utc>) -> Self {
        Self(Mutex::new(now))
    }

    /// A clock at a fixed, arbitrary instant (2026-01-01T00:00:00Z).
    pub fn fixed() -> Self {
        Self::new(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap_or_default())
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A clock that follows tokio's clock from a fixed start: under paused time (`start_paused`)
/// it moves exactly as far as tokio's timers do, so timestamps and sleeps agree.
#[derive(Debug)]
pub struct TokioClock {
    start: DateTime<Utc>,
    origin: tokio::time::Instant,
}

impl TokioClock {
    /// A clock reading `start` now.
    pub fn new(start: DateTime<Utc>) -> Self {
        Self { start, origin: tokio::time::Instant::now() }
    }
}

impl Clock for TokioClock {
    fn now(&self) -> DateTime<Utc> {
        let elapsed = tokio::time::Instant::now() - self.origin;
        self.start + Duration::from_std(elapsed).unwrap_or(Duration::MAX)
    }
}
