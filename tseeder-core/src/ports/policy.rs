//! Policies an operator may replace without rebuilding: which worker runs a job. The native
//! default is [`NativeRoutingPolicy`](crate::services::routing::NativeRoutingPolicy); the
//! plugins crate implements the same trait on WebAssembly.

use std::collections::HashSet;
use std::fmt::Debug;

use chrono::{DateTime, Utc};

use crate::domain::{JobId, RegionCode, Worker};
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
