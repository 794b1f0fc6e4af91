//! Typed configuration for the services. Libraries receive these structs; only the binaries read
//! files and environment variables.

use std::time::Duration;

use serde::Deserialize;

/// Retry schedule of the durable queue: exponential backoff `base * 2^(attempt-1)`, capped.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct RetryConfig {
    /// Delay before the second attempt, in seconds.
    pub base_secs: u64,
    /// Longest delay between attempts, in seconds.
    pub cap_secs: u64,
    /// Deliveries before a message is dead-lettered.
    pub max_attempts: u32,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self { base_secs: 15, cap_secs: 600, max_attempts: 5 }
    }
}

impl RetryConfig {
    /// Delay after failed attempt number `attempt` (from 1).
    pub fn delay_after(&self, attempt: u32) -> Duration {
        let exp = attempt.saturating_sub(1).min(32);
        let secs = self.base_secs.saturating_mul(1u64 << exp).min(self.cap_secs);
        Duration::from_secs(secs)
    }
}

/// Job submission settings.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct JobConfig {
    /// Name of the queue job messages go to.
    pub queue: String,
    /// Retry schedule for job messages.
    pub retry: RetryConfig,
}

impl Default for JobConfig {
    fn default() -> Self {
        Self { queue: "jobs".into(), retry: RetryConfig::default() }
    }
}

/// Account and session settings.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct AuthConfig {
    /// Session lifetime in days.
    pub session_days: u32,
    /// Whether anyone may register (the first admin is made with the CLI either way).
    pub registration_open: bool,
    /// Most active (not revoked) API keys per user.
    pub max_api_keys: u32,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self { session_days: 30, registration_open: true, max_api_keys: 10 }
    }
}

/// Stored files and download links.
#[derive(Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct FileConfig {
    /// Secret key for signed download links (any long random string). Empty: a random one per
    /// process (the binaries persist one in the data directory instead).
    pub link_secret: String,
}

impl std::fmt::Debug for FileConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileConfig").field("link_secret", &"***").finish()
    }
}

/// How queued jobs are run on the compute engine.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct DispatchConfig {
    /// Run a dispatcher in this process.
    pub enabled: bool,
    /// This process's name in leases and `worker_id` (default: `local`).
    pub worker_id: String,
    /// Jobs run at once.
    pub concurrency: usize,
    /// Lease length; the lease is renewed while the job runs, and a crashed process's jobs are
    /// delivered again this long after its last renewal.
    pub lease_secs: u64,
    /// How often an idle dispatcher looks for work.
    pub poll_interval_ms: u64,
    /// A download that makes no progress for this long fails the attempt (and is retried).
    pub stall_timeout_secs: u64,
    /// How often progress is written to the database (live listeners get every update).
    pub progress_write_interval_ms: u64,
}

impl Default for DispatchConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            worker_id: "local".into(),
            concurrency: 2,
            lease_secs: 60,
            poll_interval_ms: 500,
            stall_timeout_secs: 300,
            progress_write_interval_ms: 1000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_15s_and_caps_at_10_minutes() {
        let r = RetryConfig::default();
        let delays: Vec<u64> = (1..=8).map(|a| r.delay_after(a).as_secs()).collect();
        assert_eq!(delays, [15, 30, 60, 120, 240, 480, 600, 600]);
        assert_eq!(r.delay_after(1000).as_secs(), 600);
    }
}
