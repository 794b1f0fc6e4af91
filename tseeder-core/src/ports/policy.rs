//! Policies an operator may replace without rebuilding: which worker runs a job, and which stored
//! files have outlived their retention. The native defaults are
//! [`NativeRoutingPolicy`](crate::services::routing::NativeRoutingPolicy) and
//! [`NativeRetentionPolicy`](crate::services::retention::NativeRetentionPolicy); the plugins
//! crate implements the same traits on WebAssembly.

use std::collections::HashSet;
use std::fmt::Debug;

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
/// - An error (timeout, crash, unusable answer) makes the dispatcher fall back to the native
///   policy.
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
