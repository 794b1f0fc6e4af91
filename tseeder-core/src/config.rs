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
    /// The address people reach the site at, with its path prefix (`https://tseeder.example.com`),
    /// for the links in emails. Links never come from a request's `Host` header, which a client
    /// chooses. The binaries fill it in from `http.listen` and `http.base_path` when empty;
    /// embedders set it (empty: `http://localhost`).
    pub public_url: String,
    /// How long a password reset link works, in minutes (default 60).
    pub password_reset_minutes: u32,
    /// How long an email verification link works, in hours (default 48).
    pub email_verification_hours: u32,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            session_days: 30,
            registration_open: true,
            max_api_keys: 10,
            public_url: String::new(),
            password_reset_minutes: 60,
            email_verification_hours: 48,
        }
    }
}

/// Billing rules that do not depend on the payment provider (`[billing]`).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct BillingConfig {
    /// Days a subscription keeps its plan after a failed payment (default 7).
    pub grace_days: u32,
}

impl Default for BillingConfig {
    fn default() -> Self {
        Self { grace_days: 7 }
    }
}

/// Organizations and their invitations.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct OrgConfig {
    /// How long an invite link works, in days (default 7).
    pub invite_days: u32,
    /// Most invites (new or resent) one organization sends in an hour (default 20).
    pub invites_per_hour: u32,
    /// Most organizations a user may belong to, the personal one included (default 20).
    pub max_orgs_per_user: u32,
}

impl Default for OrgConfig {
    fn default() -> Self {
        Self { invite_days: 7, invites_per_hour: 20, max_orgs_per_user: 20 }
    }
}

/// Stored files and download links.
#[derive(Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct FileConfig {
    /// Secret key for signed download links (any long random string). Empty: a random one per
    /// process (the binaries persist one in the data directory instead).
    pub link_secret: String,
    /// The completed-files location: a local directory where finished jobs are placed for apps
    /// that import from a path (the qBittorrent-compatible API's `content_path`), one folder per
    /// user and category under it. Empty: none (the binaries use `<data_dir>/completed`).
    pub completed_dir: String,
}

impl std::fmt::Debug for FileConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileConfig").field("link_secret", &"***").field("completed_dir", &self.completed_dir).finish()
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
    /// Where downloads run: `local` (the in-process engine, the default) or `agents` (remote
    /// agents from the fleet registry, chosen by the routing policy, with failover).
    pub engine: DispatchEngine,
}

/// Where the dispatcher runs downloads (`dispatch.engine`).
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum DispatchEngine {
    /// The in-process librqbit engine.
    #[default]
    Local,
    /// Remote agents (`agents.secret` must be set).
    Agents,
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
            engine: DispatchEngine::Local,
        }
    }
}

/// Remote compute agents: the secret their requests are signed with, how fresh a heartbeat must
/// be, and how far a signed request's timestamp may be from this host's clock.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct AgentConfig {
    /// The secret shared with every agent (HMAC-SHA256 key of signed requests, both ways); at
    /// least 32 characters, the same on every API host and agent. It never travels in a request.
    /// Empty (the default) disables the agent endpoints: they answer 403 `agents_disabled`.
    pub secret: String,
    /// An agent whose latest heartbeat is older than this many seconds is stale: shown as such to
    /// operators, and given no work.
    pub stale_after_secs: u64,
    /// How many seconds a signed request's timestamp may be from this host's clock, either way.
    /// Accepted signatures are remembered this long to refuse replays.
    pub signature_window_secs: u64,
}

impl AgentConfig {
    /// Shortest accepted secret, in bytes.
    pub const MIN_SECRET_LEN: usize = 32;
    /// Largest accepted signature window, in seconds.
    pub const MAX_SIGNATURE_WINDOW_SECS: u64 = 3600;

    /// Whether agents may talk to this host (a secret is set).
    pub fn enabled(&self) -> bool {
        !self.secret.is_empty()
    }

    /// [`AgentConfig::stale_after_secs`] as a duration.
    pub fn stale_after(&self) -> Duration {
        Duration::from_secs(self.stale_after_secs)
    }

    /// [`AgentConfig::signature_window_secs`] as a duration.
    pub fn signature_window(&self) -> Duration {
        Duration::from_secs(self.signature_window_secs)
    }

    /// Checks the settings, naming the offending key: a secret that is set must be at least
    /// [`AgentConfig::MIN_SECRET_LEN`] bytes; the staleness threshold at least 1 s; the signature
    /// window 1 s to [`AgentConfig::MAX_SIGNATURE_WINDOW_SECS`].
    pub fn validate(&self) -> Result<(), String> {
        if self.enabled() && self.secret.len() < Self::MIN_SECRET_LEN {
            return Err(format!(
                "agents.secret: at least {} characters (or empty to disable agents)",
                Self::MIN_SECRET_LEN
            ));
        }
        if self.stale_after_secs == 0 {
            return Err("agents.stale_after_secs: at least 1".into());
        }
        if !(1..=Self::MAX_SIGNATURE_WINDOW_SECS).contains(&self.signature_window_secs) {
            return Err(format!("agents.signature_window_secs: 1 to {}", Self::MAX_SIGNATURE_WINDOW_SECS));
        }
        Ok(())
    }
}

impl Default for AgentConfig {
    fn default() -> Self {
        Self { secret: String::new(), stale_after_secs: 30, signature_window_secs: 60 }
    }
}

impl std::fmt::Debug for AgentConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AgentConfig")
            .field("secret", &"***")
            .field("stale_after_secs", &self.stale_after_secs)
            .field("signature_window_secs", &self.signature_window_secs)
            .finish()
    }
}

/// Policy plugins: WebAssembly components that replace the native routing and retention
/// policies (see the `tseeder-plugins` crate). With neither set, the native policies decide.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct PluginsConfig {
    /// The region-routing plugin (a `tseeder:policy/router` component); `None` for the native
    /// routing policy.
    pub router: Option<PluginConfig>,
    /// The retention plugin (a `tseeder:policy/retention` component); `None` for the native
    /// retention policy.
    pub retention: Option<PluginConfig>,
    /// Where compiled copies of plugins are cached, keyed by content hash, so a restart does not
    /// compile again. Empty: `<data_dir>/plugin-cache` in the binaries, no cache in libraries.
    pub cache_dir: String,
    /// How often, in milliseconds, plugin files are checked for replacement; 0 turns watching
    /// off (swaps then happen only through the admin API).
    pub watch_interval_ms: u64,
}

impl Default for PluginsConfig {
    fn default() -> Self {
        Self { router: None, retention: None, cache_dir: String::new(), watch_interval_ms: 2000 }
    }
}

/// One policy plugin: where its component is, the SHA-256 it is pinned to, its sandbox limits
/// and the host functions it may import.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct PluginConfig {
    /// The component file (`.wasm`).
    pub path: String,
    /// Lowercase hex SHA-256 of the file. A file with any other hash is refused, at start and
    /// when the file is replaced; an admin swap names the new hash explicitly.
    pub sha256: String,
    /// Most bytes each of the plugin's linear memories may grow to; growing past it traps.
    pub max_memory_bytes: u64,
    /// Longest a single decision may run, in milliseconds; past it the call is interrupted.
    pub timeout_ms: u64,
    /// Host functions the plugin may import: only `log` exists. A plugin importing anything
    /// not granted (WASI included, which is never offered) is refused at load.
    pub grants: Vec<String>,
}

impl PluginConfig {
    /// The default memory limit: 16 MiB, room for C, Rust, WAT and QuickJS guests.
    pub const DEFAULT_MAX_MEMORY_BYTES: u64 = 16 * 1024 * 1024;
    /// The default deadline per decision.
    pub const DEFAULT_TIMEOUT_MS: u64 = 50;

    /// [`PluginConfig::timeout_ms`] as a duration.
    pub fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms)
    }
}

impl Default for PluginConfig {
    fn default() -> Self {
        Self {
            path: String::new(),
            sha256: String::new(),
            max_memory_bytes: Self::DEFAULT_MAX_MEMORY_BYTES,
            timeout_ms: Self::DEFAULT_TIMEOUT_MS,
            grants: Vec::new(),
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

    #[test]
    fn agent_config_defaults_are_disabled_with_30s_staleness_and_a_60s_window() {
        let config = AgentConfig::default();
        assert!(!config.enabled());
        assert_eq!(config.stale_after(), Duration::from_secs(30));
        assert_eq!(config.signature_window(), Duration::from_secs(60));
        config.validate().unwrap();
        let parsed: AgentConfig = serde_json::from_str(r#"{"secret": "s"}"#).unwrap();
        assert_eq!(parsed, AgentConfig { secret: "s".into(), ..AgentConfig::default() });
        assert!(serde_json::from_str::<AgentConfig>(r#"{"secrets": "s"}"#).is_err());
    }

    #[test]
    fn agent_config_debug_hides_the_secret() {
        let config = AgentConfig { secret: "hunter2-hunter2-hunter2-hunter2-hunter2".into(), ..AgentConfig::default() };
        let text = format!("{config:?}");
        assert!(!text.contains("hunter2") && text.contains("***"), "{text}");
    }

    #[test]
    fn agent_config_validation_names_the_key() {
        let short = AgentConfig { secret: "short".into(), ..AgentConfig::default() };
        assert!(short.validate().unwrap_err().starts_with("agents.secret"));
        let ok = AgentConfig { secret: "x".repeat(32), ..AgentConfig::default() };
        ok.validate().unwrap();
        let stale = AgentConfig { stale_after_secs: 0, ..AgentConfig::default() };
        assert!(stale.validate().unwrap_err().starts_with("agents.stale_after_secs"));
        let window = AgentConfig { signature_window_secs: 0, ..AgentConfig::default() };
        assert!(window.validate().unwrap_err().starts_with("agents.signature_window_secs"));
    }
}

/// The retention sweeper: when it runs, how much it reads at a time, and the orphan cleanup.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct RetentionConfig {
    /// Whether the scheduler runs the sweep.
    pub enabled: bool,
    /// When the sweep runs: a cron expression in UTC (five fields, or six with seconds
    /// first). Default `0 3 * * *`, daily at 03:00.
    pub schedule: String,
    /// Files handed to the retention policy per decision.
    pub batch_size: u32,
    /// Objects in the store younger than this many seconds are never taken for orphans: they
    /// may belong to an upload whose row is not written yet.
    pub orphan_grace_secs: u64,
}

impl Default for RetentionConfig {
    fn default() -> Self {
        Self { enabled: true, schedule: "0 3 * * *".into(), batch_size: 500, orphan_grace_secs: 3600 }
    }
}

/// The scheduler that runs periodic tasks once per cluster.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct SchedulerConfig {
    /// Whether this process runs scheduled tasks at all (every process may: a lease row makes
    /// sure each run happens once).
    pub enabled: bool,
    /// How often due tasks are looked for, in milliseconds.
    pub poll_interval_ms: u64,
    /// How long a process holds a task's lease, in seconds; a run that crashes frees the task
    /// after this long.
    pub lease_secs: u64,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        Self { enabled: true, poll_interval_ms: 5000, lease_secs: 3600 }
    }
}

/// The read cache of credentials and job lists (`[cache]`; see [`crate::read_cache`]).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct CacheConfig {
    /// The longest a cached read is used, in milliseconds (default 1000; 0 turns the cache off).
    /// Writes in this process, and in the others once they relay, make it stale at once; this
    /// bounds how far behind the others a process is when it cannot hear them.
    pub max_age_ms: u64,
}

impl Default for CacheConfig {
    fn default() -> Self {
        Self { max_age_ms: 1_000 }
    }
}

impl CacheConfig {
    /// [`CacheConfig::max_age_ms`] as a duration.
    pub fn max_age(&self) -> Duration {
        Duration::from_millis(self.max_age_ms)
    }
}
