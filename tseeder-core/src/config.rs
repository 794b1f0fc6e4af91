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
