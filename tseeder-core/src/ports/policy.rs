//! Policies an operator may replace without rebuilding: which worker runs a job, and which stored
//! files have outlived their retention. The native defaults are
//! [`NativeRoutingPolicy`](crate::services::routing::NativeRoutingPolicy) and
//! [`NativeRetentionPolicy`](crate::services::native_retention::NativeRetentionPolicy); the plugins
//! crate implements the same traits on WebAssembly.

use std::collections::HashSet;
use std::fmt::{self, Debug};
use std::str::FromStr;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::{FileId, JobId, RegionCode, Worker};
use crate::error::PolicyError;

/// What a routing policy knows about the job to place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutingRequest {
    /// The job.
    pub job_id: JobId,
    /// The region the job should run in if it can (from the request, or the user's default
    /// region); `None` for no preference.
    pub region_hint: Option<RegionCode>,
    /// The bytes to download, when known before the metadata is (a `.torrent` upload).
    pub size_estimate: Option<u64>,
}

/// Chooses the workers a job may run on.
///
/// # Contract
/// - `rank` returns the ids of the workers the job may be dispatched to, best first; the
///   dispatcher tries them in order and moves to the next when a dispatch fails. An empty list
///   means no worker can take the job now (the message goes back to the queue with backoff).
/// - Every id returned is the id of one of `workers`, and appears once ([`check_ranking`]).
/// - `rank` is a pure function of its arguments (no I/O, no clock but `now`), so it can be
///   dry-run on live data and compared between implementations.
/// - An implementation that runs untrusted code (a plugin) answers its own failures (timeout,
///   crash, unusable answer) with the native policy's ranking, so an error reaching the
///   dispatcher is rare; it fails the dispatch attempt, which is retried with backoff.
pub trait RoutingPolicy: Send + Sync + Debug {
    /// The eligible workers for `job`, best first.
    fn rank(&self, job: &RoutingRequest, workers: &[Worker], now: DateTime<Utc>) -> Result<Vec<String>, PolicyError>;
}

/// Checks that `ranking` obeys the contract for `workers`: every id names one of them and none
/// repeats. Callers use it on answers from policies they do not trust (plugins).
pub fn check_ranking(ranking: &[String], workers: &[Worker]) -> Result<(), PolicyError> {
    let known: HashSet<&str> = workers.iter().map(|w| w.id.as_str()).collect();
    let mut seen = HashSet::with_capacity(ranking.len());
    for id in ranking {
        if !known.contains(id.as_str()) {
            return Err(PolicyError::InvalidOutput(format!("unknown worker {id:?}")));
        }
        if !seen.insert(id.as_str()) {
            return Err(PolicyError::InvalidOutput(format!("worker {id:?} ranked twice")));
        }
    }
    Ok(())
}

/// What a retention policy knows about one stored file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionCandidate {
    /// The file.
    pub file_id: FileId,
    /// Its size in bytes.
    pub size: u64,
    /// When its job completed; `None` when the job has not completed.
    pub completed_at: Option<DateTime<Utc>>,
    /// Days the owner's plan keeps files after completion; `None` keeps them forever (an
    /// unlimited plan, or a limit of 0 days, which the plans table uses for "forever").
    pub retention_days: Option<u32>,
    /// The owner's plan id.
    pub plan: String,
}

/// Chooses the stored files to delete.
///
/// # Contract
/// - `select_expired` returns ids of files in `files` to delete now; every id is one of
///   `files` and appears once ([`check_selection`]).
/// - It is a pure function of its arguments (no I/O, no clock but `now`), so it can be dry-run
///   on live data.
/// - An error (timeout, crash, unusable answer) means **delete nothing**: the sweeper keeps
///   every file of that batch. A retention policy fails safe.
pub trait RetentionPolicy: Send + Sync + Debug {
    /// The files among `files` that should be deleted at `now`.
    fn select_expired(&self, files: &[RetentionCandidate], now: DateTime<Utc>) -> Result<Vec<FileId>, PolicyError>;
}

/// Checks that `selection` obeys the contract for `files`: every id names one of them and none
/// repeats. Callers use it on answers from policies they do not trust (plugins).
pub fn check_selection(selection: &[FileId], files: &[RetentionCandidate]) -> Result<(), PolicyError> {
    let known: HashSet<FileId> = files.iter().map(|f| f.file_id).collect();
    let mut seen = HashSet::with_capacity(selection.len());
    for id in selection {
        if !known.contains(id) {
            return Err(PolicyError::InvalidOutput(format!("unknown file {id}")));
        }
        if !seen.insert(*id) {
            return Err(PolicyError::InvalidOutput(format!("file {id} selected twice")));
        }
    }
    Ok(())
}

/// Which decision a policy (and a plugin) makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    /// Which worker runs a job ([`RoutingPolicy`], the WIT world `router`).
    Router,
    /// Which stored files to delete ([`RetentionPolicy`], the WIT world `retention`).
    Retention,
}

impl PolicyKind {
    /// Both kinds.
    pub const ALL: [PolicyKind; 2] = [Self::Router, Self::Retention];

    /// The stable name used in configuration, the API and events.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Router => "router",
            Self::Retention => "retention",
        }
    }
}

impl fmt::Display for PolicyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PolicyKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| format!("unknown policy {s:?}"))
    }
}

/// What decides a policy now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyImplementation {
    /// The built-in rule.
    Native,
    /// A WebAssembly plugin.
    Wasm,
}

/// One recorded failure or refusal: when, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyFailure {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What went wrong (safe to show to operators).
    pub reason: String,
}

/// Counters of a policy's decisions since it was loaded in this process.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PolicyCounters {
    /// Decisions asked of the plugin.
    pub decisions: u64,
    /// Decisions that failed (and took the fallback): the sum of the four below.
    pub failures: u64,
    /// Failures by running past the deadline.
    pub timeouts: u64,
    /// Failures by growing memory past the limit.
    pub memory_exceeded: u64,
    /// Failures by any other trap (including stack overflow).
    pub traps: u64,
    /// Failures by an unusable answer (an unknown or repeated id).
    pub invalid_outputs: u64,
}

/// What an operator sees of one policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyStatus {
    /// Which policy.
    pub kind: PolicyKind,
    /// Native or a plugin.
    pub implementation: PolicyImplementation,
    /// The plugin's file, when a plugin decides.
    pub path: Option<String>,
    /// The plugin's SHA-256 (lowercase hex), when a plugin decides.
    pub sha256: Option<String>,
    /// When the active plugin was loaded.
    pub loaded_at: Option<DateTime<Utc>>,
    /// How many times a plugin was swapped in since start.
    pub swaps: u64,
    /// Decision counters of the plugin (none are kept for the native policy).
    pub counters: PolicyCounters,
    /// The most recent failed decision.
    pub last_failure: Option<PolicyFailure>,
    /// The most recent refused load (a bad new version: the old one stayed).
    pub last_refusal: Option<PolicyFailure>,
}

impl PolicyStatus {
    /// The status of a policy decided natively, with nothing recorded.
    pub fn native(kind: PolicyKind) -> Self {
        Self {
            kind,
            implementation: PolicyImplementation::Native,
            path: None,
            sha256: None,
            loaded_at: None,
            swaps: 0,
            counters: PolicyCounters::default(),
            last_failure: None,
            last_refusal: None,
        }
    }
}

/// Where the active policies come from, as operators see and control them.
///
/// # Contract
/// - `status` lists both kinds ([`PolicyKind::ALL`]), whichever decides them.
/// - `routing_policy` and `retention_policy` are the policies to decide with; a plugin swapped
///   in later takes effect on the same handles.
/// - `swap` loads the plugin file at `path` (or the configured one), checks that its SHA-256 is
///   `sha256`, validates it (the WIT world, its imports against its grants, a smoke decision)
///   and only then replaces the active plugin, atomically: decisions in flight finish on the
///   old one. On any refusal ([`PolicyError::Refused`]) the old plugin stays active and the
///   refusal is recorded in `last_refusal`. [`PolicyError::NotConfigured`] when that policy has
///   no plugin configuration.
#[async_trait]
pub trait PolicyHost: Send + Sync + Debug {
    /// The active policies.
    fn status(&self) -> Vec<PolicyStatus>;
    /// The routing policy the dispatcher ranks workers with.
    fn routing_policy(&self) -> std::sync::Arc<dyn RoutingPolicy>;
    /// The retention policy the sweeper selects expired files with.
    fn retention_policy(&self) -> std::sync::Arc<dyn RetentionPolicy>;
    /// Replaces the plugin of `kind` with the file at `path` (default: the configured path),
    /// pinned to `sha256`.
    async fn swap(&self, kind: PolicyKind, path: Option<&str>, sha256: &str) -> Result<PolicyStatus, PolicyError>;
}
