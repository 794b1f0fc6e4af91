//! The native routing policy: the plan's rule for choosing the worker that runs a job.
//!
//! A worker is **eligible** when its status is `healthy`, its last heartbeat is no older than
//! `stale_after`, and it has spare capacity (`active_jobs < max_jobs`). Eligible workers are
//! ranked:
//! 1. those in the job's region hint first, then every other region (the fallback when the
//!    hinted region is full, down or unknown); without a hint, all together;
//! 2. within each group, by load factor `active_jobs / max_jobs`, lowest first, compared exactly
//!    by cross-multiplying (no float rounding);
//! 3. then by the freshest heartbeat;
//! 4. then by id, so the ranking is total and deterministic.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::domain::{Worker, WorkerStatus};
use crate::error::PolicyError;
use crate::ports::{RoutingPolicy, RoutingRequest};

/// The default [`RoutingPolicy`]; see the [module docs](self) for the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NativeRoutingPolicy {
    /// A worker whose last heartbeat is older than this is stale and gets no work.
    pub stale_after: Duration,
}

impl NativeRoutingPolicy {
    /// The default staleness threshold: agents heartbeat every few seconds, so 30 s is several
    /// missed heartbeats.
    pub const DEFAULT_STALE_AFTER: Duration = Duration::from_secs(30);

    /// A policy that treats heartbeats older than `stale_after` as stale.
    pub fn new(stale_after: Duration) -> Self {
        Self { stale_after }
    }

    /// Whether `worker` may be given a job at `now`: healthy, fresh, with spare capacity.
    pub fn is_eligible(&self, worker: &Worker, now: DateTime<Utc>) -> bool {
        worker.status == WorkerStatus::Healthy && !worker.is_stale(now, self.stale_after) && worker.has_capacity()
    }
}

impl Default for NativeRoutingPolicy {
    fn default() -> Self {
        Self::new(Self::DEFAULT_STALE_AFTER)
    }
}

/// Compares `a.active / a.max` with `b.active / b.max` exactly. A worker without capacity
/// (`max == 0`) has an infinite load (it is never eligible anyway).
fn cmp_load(a: &Worker, b: &Worker) -> Ordering {
    match (a.max_jobs, b.max_jobs) {
        (0, 0) => Ordering::Equal,
        (0, _) => Ordering::Greater,
        (_, 0) => Ordering::Less,
        (a_max, b_max) => {
            (u64::from(a.active_jobs) * u64::from(b_max)).cmp(&(u64::from(b.active_jobs) * u64::from(a_max)))
        }
    }
}

impl RoutingPolicy for NativeRoutingPolicy {
    fn rank(&self, job: &RoutingRequest, workers: &[Worker], now: DateTime<Utc>) -> Result<Vec<String>, PolicyError> {
        // `false` sorts first: workers in the hinted region.
        let elsewhere = |w: &Worker| job.region_hint.as_ref().is_some_and(|hint| &w.region != hint);
        let mut eligible: Vec<&Worker> = workers.iter().filter(|w| self.is_eligible(w, now)).collect();
        eligible.sort_by(|a, b| {
            elsewhere(a)
                .cmp(&elsewhere(b))
                .then_with(|| cmp_load(a, b))
                .then_with(|| b.last_heartbeat_at.cmp(&a.last_heartbeat_at))
                .then_with(|| a.id.cmp(&b.id))
        });
        // A registry never lists a worker twice, but the contract promises unique ids anyway.
        let mut seen = HashSet::with_capacity(eligible.len());
        Ok(eligible.into_iter().filter(|w| seen.insert(w.id.as_str())).map(|w| w.id.clone()).collect())
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, TimeZone};
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    use super::*;
    use crate::domain::{JobId, RegionCode};
    use crate::ports::check_ranking;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap()
    }

    fn region(r: &str) -> RegionCode {
        RegionCode::parse(r).unwrap()
    }

    /// A healthy worker in `region` with `active/max` jobs whose last heartbeat is `age_secs` old
    /// at `t0()`.
    fn worker(id: &str, region_name: &str, active: u32, max: u32, age_secs: i64) -> Worker {
        Worker {
            id: id.into(),
            region: region(region_name),
            base_url: url::Url::parse(&format!("http://{id}.example:8787/")).unwrap(),
            version: "1".into(),
            status: WorkerStatus::Healthy,
            active_jobs: active,
            max_jobs: max,
            disk_free_bytes: 0,
            disk_total_bytes: 0,
            cpu_pct: 0.0,
            bandwidth_bps: 0,
            last_heartbeat_at: t0() - TimeDelta::seconds(age_secs),
            registered_at: t0() - TimeDelta::days(1),
        }
    }

    fn with_status(mut w: Worker, status: WorkerStatus) -> Worker {
        w.status = status;
        w
    }

    fn job(hint: Option<&str>) -> RoutingRequest {
        RoutingRequest { job_id: JobId::new(), region_hint: hint.map(region), size_estimate: None }
    }

    fn rank(workers: &[Worker], hint: Option<&str>) -> Vec<String> {
        NativeRoutingPolicy::default().rank(&job(hint), workers, t0()).unwrap()
    }

    #[test]
    fn rank_excludes_workers_with_a_stale_heartbeat() {
        let workers = [worker("fresh", "eu", 0, 1, 30), worker("stale", "eu", 0, 1, 31)];
        assert_eq!(rank(&workers, None), ["fresh"]);
        let lenient = NativeRoutingPolicy::new(Duration::from_secs(60));
        assert_eq!(lenient.rank(&job(None), &workers, t0()).unwrap(), ["fresh", "stale"]);
    }

    #[test]
    fn rank_excludes_cordoned_draining_and_offline_workers() {
        let workers = [
            with_status(worker("cordoned", "eu", 0, 4, 0), WorkerStatus::Cordoned),
            with_status(worker("draining", "eu", 0, 4, 0), WorkerStatus::Draining),
            with_status(worker("offline", "eu", 0, 4, 0), WorkerStatus::Offline),
            worker("healthy", "eu", 3, 4, 0),
        ];
        assert_eq!(rank(&workers, None), ["healthy"]);
        assert_eq!(rank(&workers, Some("eu")), ["healthy"]);
    }

    #[test]
    fn rank_excludes_full_workers_and_workers_without_capacity() {
        let workers = [
            worker("full", "eu", 4, 4, 0),
            worker("over", "eu", 5, 4, 0),
            worker("none", "eu", 0, 0, 0),
            worker("spare", "eu", 3, 4, 0),
        ];
        assert_eq!(rank(&workers, None), ["spare"]);
        assert!(rank(&workers[..3], None).is_empty(), "no eligible worker: empty ranking");
        assert!(rank(&[], Some("eu")).is_empty());
    }

    #[test]
    fn rank_orders_by_load_factor_compared_exactly() {
        // 1/3 and 2/6 are equal loads (the heartbeat decides), 1/2 is higher, 0/9 lowest.
        let workers = [
            worker("half", "eu", 1, 2, 0),
            worker("third-old", "eu", 1, 3, 5),
            worker("third-new", "eu", 2, 6, 1),
            worker("idle", "eu", 0, 9, 20),
        ];
        assert_eq!(rank(&workers, None), ["idle", "third-new", "third-old", "half"]);
    }

    #[test]
    fn rank_breaks_load_ties_by_freshest_heartbeat_then_id() {
        let workers = [
            worker("b", "eu", 1, 4, 3),
            worker("a", "eu", 1, 4, 3),
            worker("c", "eu", 2, 8, 1),
            worker("d", "eu", 1, 4, 10),
        ];
        assert_eq!(rank(&workers, None), ["c", "a", "b", "d"]);
    }

    #[test]
    fn rank_prefers_the_hinted_region_even_when_it_is_busier() {
        let workers = [
            worker("us-idle", "us", 0, 4, 0),
            worker("eu-busy", "eu", 3, 4, 0),
            worker("eu-half", "eu", 2, 4, 0),
            worker("ap-idle", "ap", 0, 8, 5),
        ];
        assert_eq!(rank(&workers, Some("eu")), ["eu-half", "eu-busy", "us-idle", "ap-idle"]);
        assert_eq!(rank(&workers, None), ["us-idle", "ap-idle", "eu-half", "eu-busy"], "no hint: by load only");
    }

    #[test]
    fn rank_falls_back_to_other_regions_when_the_hinted_region_is_full_or_unknown() {
        let workers = [
            worker("eu-full", "eu", 4, 4, 0),
            with_status(worker("eu-cordoned", "eu", 0, 4, 0), WorkerStatus::Cordoned),
            worker("eu-stale", "eu", 0, 4, 3_600),
            worker("us-1", "us", 1, 4, 0),
            worker("ap-1", "ap", 0, 4, 0),
        ];
        assert_eq!(rank(&workers, Some("eu")), ["ap-1", "us-1"]);
        assert_eq!(rank(&workers, Some("sa")), ["ap-1", "us-1"], "a region without workers");
    }

    #[test]
    fn rank_lists_each_worker_once_even_if_given_twice() {
        let workers = [worker("a", "eu", 0, 4, 0), worker("a", "eu", 0, 4, 0), worker("b", "eu", 1, 4, 0)];
        let ranking = rank(&workers, None);
        assert_eq!(ranking, ["a", "b"]);
        check_ranking(&ranking, &workers).unwrap();
    }

    #[test]
    fn check_ranking_rejects_unknown_and_repeated_ids() {
        let workers = [worker("a", "eu", 0, 4, 0), worker("b", "eu", 0, 4, 0)];
        check_ranking(&["b".into(), "a".into()], &workers).unwrap();
        check_ranking(&[], &workers).unwrap();
        assert!(matches!(check_ranking(&["x".into()], &workers), Err(PolicyError::InvalidOutput(_))));
        assert!(matches!(check_ranking(&["a".into(), "a".into()], &workers), Err(PolicyError::InvalidOutput(_))));
    }

    /// The ranking of random fleets is exactly the eligible set, in the stated order. The oracle
    /// is written differently from the policy: loads as floats (exact for these small counts,
    /// since IEEE division is correctly rounded, equal fractions give equal floats) and the order
    /// checked pair by pair.
    #[test]
    fn rank_is_the_eligible_set_in_order_for_random_fleets() {
        const REGIONS: [&str; 3] = ["eu", "us", "ap"];
        let threshold = 30;
        let policy = NativeRoutingPolicy::new(Duration::from_secs(threshold));
        let mut rng = StdRng::seed_from_u64(0x7ee0_2026);
        // How many adjacent pairs each rule decided: region, load, heartbeat, id.
        let mut decided_by = [0u32; 4];
        for round in 0..4_000 {
            let n = rng.random_range(0..16);
            let workers: Vec<Worker> = (0..n)
                .map(|i| {
                    let region = REGIONS[rng.random_range(0..REGIONS.len())];
                    // Small counts, so equal loads (1/2 and 3/6) and full workers are common.
                    let max = rng.random_range(0..=6);
                    let active = rng.random_range(0..=max + 1);
                    // Few distinct ages, so heartbeat ties happen; some beyond the threshold.
                    let age = [0, 1, 1, 5, 29, 30, 31, 120][rng.random_range(0..8)];
                    // Mostly healthy, so rankings are long enough to test their order.
                    let status = if rng.random_bool(0.7) {
                        WorkerStatus::Healthy
                    } else {
                        WorkerStatus::ALL[rng.random_range(0..4)]
                    };
                    // Ids in random order relative to the index, so the id tie-break matters.
                    let id = format!("w{:02}-{i}", rng.random_range(0..100));
                    with_status(worker(&id, region, active, max, age), status)
                })
                .collect();
            let hint = match rng.random_range(0..5) {
                0 => None,
                4 => Some("sa"),
                i => Some(REGIONS[i - 1]),
            };
            let request = job(hint);
            let ranking = policy.rank(&request, &workers, t0()).unwrap();
            check_ranking(&ranking, &workers).unwrap();

            let eligible = |w: &Worker| {
                w.status == WorkerStatus::Healthy
                    && (t0() - w.last_heartbeat_at).num_seconds() <= threshold as i64
                    && w.active_jobs < w.max_jobs
            };
            let mut expected: Vec<&str> = workers.iter().filter(|w| eligible(w)).map(|w| w.id.as_str()).collect();
            let mut got: Vec<&str> = ranking.iter().map(String::as_str).collect();
            expected.sort_unstable();
            got.sort_unstable();
            assert_eq!(got, expected, "round {round}: a permutation of the eligible workers");

            let by_id = |id: &str| workers.iter().find(|w| w.id == id).unwrap();
            for pair in ranking.windows(2) {
                let (a, b) = (by_id(&pair[0]), by_id(&pair[1]));
                let away = |w: &Worker| hint.is_some_and(|h| w.region.as_str() != h);
                let (rule, in_order) = match (away(a), away(b)) {
                    (false, true) => (0, true),
                    (true, false) => (0, false),
                    _ if a.load_factor() != b.load_factor() => (1, a.load_factor() < b.load_factor()),
                    _ if a.last_heartbeat_at != b.last_heartbeat_at => (2, a.last_heartbeat_at > b.last_heartbeat_at),
                    _ => (3, a.id < b.id),
                };
                assert!(in_order, "round {round}: {} ranked before {} (hint {hint:?})", a.id, b.id);
                decided_by[rule] += 1;
            }
        }
        assert!(decided_by.iter().all(|&n| n >= 100), "every rule decides some pairs: {decided_by:?}");
    }
}
