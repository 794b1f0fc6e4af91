//! The remote agent process (feature `agent-server`): its configuration, the signed heartbeat
//! loop that registers it with the API ([`spawn_heartbeats`]), and its own small HTTP API
//! ([`serve`]: `GET /v1/health`, and the signed `GET /v1/status`).
//!
//! Both directions are signed with the shared secret as
//! [`agent_auth`](tseeder_core::services::agent_auth) describes: the agent signs its heartbeats,
//! and checks the API's signature (and refuses replays) on everything but `/v1/health`.
//!
//! Remote dispatch: the agent runs jobs the API starts (`POST /v1/jobs`, [`AgentJobs`]) and
//! uploads every finished file to its own object store (the one the API reads, given at
//! construction); the API side is [`RemoteAgentEngine`], a
//! [`ComputeEngine`](tseeder_core::ports::ComputeEngine) over the fleet registry.

mod dispatch;
mod heartbeat;
mod jobs;
mod server;
mod stats;
pub mod wire;

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;

use serde::Deserialize;
use tseeder_core::domain::RegionCode;
use tseeder_core::domain::worker::is_valid_worker_id;
use url::Url;

use crate::{EngineConfig, LibrqbitEngine};

pub use dispatch::{NO_WORKER_EVENT, RemoteAgentEngine};
pub use heartbeat::{HEARTBEAT_PATH, SignedRequest, build_heartbeat, disk_usage, signed_heartbeat, spawn_heartbeats};
pub use jobs::{AgentJobs, MAX_EVENTS_PER_JOB, StartError};
pub use server::{AgentState, LONG_POLL, app, serve};
pub use stats::{AgentStats, parse_proc_stat};

/// The agent's software version, as reported in heartbeats and `/v1/health`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Shortest accepted secret, in bytes (the API requires the same).
pub const MIN_SECRET_LEN: usize = 32;

/// A secret string whose `Debug` prints `***`.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret's bytes (the HMAC key).
    pub fn expose(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// Whether no secret is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Configuration of one agent process. In `agent.toml` these are top-level keys (the engine is
/// the `[engine]` section); environment variables are `TSEEDER_AGENT__<KEY>` (the example binary
/// maps them).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AgentConfig {
    /// The agent's id, unique in the fleet: 1 to 64 characters of ASCII letters, digits, `.`,
    /// `_` and `-`. Default `agent-1`.
    pub worker_id: String,
    /// Where the agent runs: 1 to 32 characters of lowercase letters, digits and `-`. Default
    /// `local`.
    pub region: RegionCode,
    /// The base URL the API reaches this agent at (reported in every heartbeat). `http` or
    /// `https`, with a host, no credentials, query or fragment. Default `http://127.0.0.1:8090/`.
    pub public_url: Url,
    /// The API's base URL; heartbeats go to `{api_url}/api/v1/agent/heartbeat`. Default
    /// `http://127.0.0.1:8080/`.
    pub api_url: Url,
    /// The secret shared with the API (`agents.secret` there), at least 32 characters. It signs
    /// requests and never travels in one. No default.
    pub secret: Secret,
    /// Jobs the agent runs at most (its capacity, reported in heartbeats). Default 2.
    pub max_jobs: u32,
    /// Seconds between heartbeats. Default 5; keep it well under the API's
    /// `agents.stale_after_secs` (30 by default).
    pub heartbeat_interval_secs: u64,
    /// Where the agent's own HTTP API listens. Default `127.0.0.1:8090`.
    pub listen: SocketAddr,
    /// The torrent engine (`[engine]`).
    pub engine: EngineConfig,
    /// The object store finished files are uploaded to (`[store]`, the same store as the API's:
    /// `url` is a directory or `s3://bucket/prefix`, with `endpoint`, `region`,
    /// `access_key_id`, `secret_access_key`, `allow_http`). This crate does not read it: the
    /// agent binary builds the store with `tseeder_storage::file_store` and hands it to
    /// [`AgentJobs`].
    pub store: Option<serde::de::IgnoredAny>,
}

impl Default for AgentConfig {
    fn default() -> Self {
        Self {
            worker_id: "agent-1".into(),
            region: RegionCode::parse("local").expect("a valid region"),
            public_url: Url::parse("http://127.0.0.1:8090/").expect("a valid URL"),
            api_url: Url::parse("http://127.0.0.1:8080/").expect("a valid URL"),
            secret: Secret::default(),
            max_jobs: 2,
            heartbeat_interval_secs: 5,
            listen: SocketAddr::from(([127, 0, 0, 1], 8090)),
            engine: EngineConfig::default(),
            store: None,
        }
    }
}

impl AgentConfig {
    /// Checks what the types cannot, naming the offending key.
    ///
    /// # Errors
    /// A message naming the key: an invalid `worker_id`, a `secret` shorter than
    /// [`MIN_SECRET_LEN`], a zero `heartbeat_interval_secs`, an `api_url` that is not `http` or
    /// `https`, a `public_url` a heartbeat could not carry, or an invalid engine configuration.
    pub fn validate(&self) -> Result<(), String> {
        if !is_valid_worker_id(&self.worker_id) {
            return Err("worker_id: 1 to 64 characters of ASCII letters, digits, `.`, `_` and `-`".into());
        }
        if self.secret.expose().len() < MIN_SECRET_LEN {
            return Err(format!("secret: at least {MIN_SECRET_LEN} characters, the API's agents.secret"));
        }
        if self.heartbeat_interval_secs == 0 {
            return Err("heartbeat_interval_secs: at least 1".into());
        }
        if !matches!(self.api_url.scheme(), "http" | "https") || self.api_url.cannot_be_a_base() {
            return Err("api_url: an http or https URL".into());
        }
        if let Err(e) = build_heartbeat(self, &Stats::default()).validate() {
            return Err(format!("public_url: {e}"));
        }
        self.engine.validate().map_err(|e| format!("engine: {e}"))
    }

    /// The heartbeat interval as a duration.
    pub fn heartbeat_interval(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.heartbeat_interval_secs)
    }
}

/// What the agent reports about its work, sampled for each heartbeat and status request.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Stats {
    /// Jobs it runs now.
    pub active_jobs: u32,
    /// Transfer rate, download and upload together, bytes per second.
    pub bandwidth_bps: u64,
    /// CPU use of the machine, 0 to 100. Not measured yet: always 0.
    pub cpu_pct: f64,
}

/// Where an agent's [`Stats`] come from: the engine in the agent binary, a fixed value in tests.
pub trait StatsSource: Send + Sync + fmt::Debug {
    /// The current figures.
    fn stats(&self) -> Stats;
}

impl StatsSource for LibrqbitEngine {
    fn stats(&self) -> Stats {
        Stats {
            active_jobs: u32::try_from(self.active_runs()).unwrap_or(u32::MAX),
            bandwidth_bps: self.transfer_rate_bps(),
            cpu_pct: 0.0,
        }
    }
}

impl StatsSource for Stats {
    fn stats(&self) -> Stats {
        *self
    }
}

impl<T: StatsSource + ?Sized> StatsSource for Arc<T> {
    fn stats(&self) -> Stats {
        (**self).stats()
    }
}
