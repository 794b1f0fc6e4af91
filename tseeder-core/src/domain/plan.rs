//! Plans and their limits.

use serde::{Deserialize, Serialize};

/// A numeric limit that may be unlimited (stored as -1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlanLimit {
    /// No limit.
    Unlimited,
    /// At most this many.
    Max(u64),
}

impl PlanLimit {
    /// Decodes the stored form (-1 or any negative = unlimited).
    pub fn from_stored(v: i64) -> Self {
        u64::try_from(v).map_or(Self::Unlimited, Self::Max)
    }

    /// Encodes to the stored form.
    pub fn to_stored(self) -> i64 {
        match self {
            Self::Unlimited => -1,
            Self::Max(v) => i64::try_from(v).unwrap_or(i64::MAX),
        }
    }

    /// Whether `used + extra` would go over the limit.
    pub fn exceeded_by(self, used: u64, extra: u64) -> bool {
        match self {
            Self::Unlimited => false,
            Self::Max(max) => used.saturating_add(extra) > max,
        }
    }

    /// The limit as an option (None = unlimited).
    pub fn as_option(self) -> Option<u64> {
        match self {
            Self::Unlimited => None,
            Self::Max(v) => Some(v),
        }
    }
}

/// A subscription plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Plan id, which is also its name: `free`, `pro`, `business`, `enterprise`.
    pub id: String,
    /// Concurrent active jobs.
    pub max_jobs: PlanLimit,
    /// Total stored bytes.
    pub max_storage_bytes: PlanLimit,
    /// Largest single file.
    pub max_file_size_bytes: PlanLimit,
    /// Monthly transfer.
    pub bandwidth_bytes: PlanLimit,
    /// Days files are kept after completion (`Unlimited` = forever).
    pub retention_days: PlanLimit,
    /// Monthly price in cents.
    pub price_cents: u64,
}

/// A user's consumption, for quota checks and `/usage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    /// Jobs in an active status.
    pub active_jobs: u64,
    /// All jobs ever kept.
    pub total_jobs: u64,
    /// Bytes of stored files.
    pub storage_bytes: u64,
}
