//! The suite of the [`MetricsRepository`]: request metrics appended and listed in order, minute
//! snapshots stored (the last one of a minute wins) and listed, and both pruned together.

use chrono::{DateTime, Duration, TimeZone, Utc};

use crate::domain::{ApiMetrics, LatencyBuckets, SystemSnapshot};
use crate::ports::MetricsRepository;

/// What one run of the suite writes: request rows of hosts named `<prefix>-…` and snapshots of
/// the minutes [`WRITTEN_MINUTES`] from `base`, a random minute of 2001, long before anything
/// but this suite writes.
struct Run {
    prefix: String,
    base: DateTime<Utc>,
}

/// The minutes from `base` the suite writes rows and snapshots at.
const WRITTEN_MINUTES: i64 = 3;

impl Run {
    fn new() -> Self {
        // Any minute of the first 300 days of 2001, so that runs sharing a database (and the
        // rows a failed run left behind) almost never meet.
        let offset = i64::try_from(uuid::Uuid::new_v4().as_u128() % (300 * 24 * 60)).unwrap();
        let base = Utc.with_ymd_and_hms(2001, 1, 1, 0, 0, 0).single().unwrap() + Duration::minutes(offset);
        Self { prefix: format!("mx{}", &uuid::Uuid::new_v4().simple().to_string()[..12]), base }
    }

    /// The `n`-th minute of the run.
    fn minute(&self, n: i64) -> DateTime<Utc> {
        self.base + Duration::minutes(n)
    }

    /// A host of this run (hosts sort by `name`: the prefix is the same).
    fn host(&self, name: &str) -> String {
        format!("{}-{name}", self.prefix)
    }

    /// This run's request rows that `api_metrics(from)` lists, in the order it lists them.
    async fn rows(&self, metrics: &dyn MetricsRepository, from: DateTime<Utc>) -> Vec<ApiMetrics> {
        let all = metrics.api_metrics(from).await.unwrap();
        all.into_iter().filter(|r| r.host.starts_with(&self.prefix)).collect()
    }

    /// This run's snapshots that `snapshots(from)` lists, in the order it lists them.
    async fn snapshots(&self, metrics: &dyn MetricsRepository, from: DateTime<Utc>) -> Vec<SystemSnapshot> {
        let mine: Vec<DateTime<Utc>> = (0..WRITTEN_MINUTES).map(|n| self.minute(n)).collect();
        let all = metrics.snapshots(from).await.unwrap();
        all.into_iter().filter(|s| mine.contains(&s.at)).collect()
    }
}

fn buckets(latencies: &[(u64, u64)]) -> LatencyBuckets {
    let mut buckets = LatencyBuckets::default();
    for &(micros, n) in latencies {
        buckets.record_n(micros, n);
    }
    buckets
}

/// A row of `requests` requests, half of them fast.
fn row(minute: DateTime<Utc>, host: &str, route: &str, method: &str, requests: u64) -> ApiMetrics {
    let fast = requests / 2;
    ApiMetrics {
        minute,
        host: host.to_owned(),
        route: route.to_owned(),
        method: method.to_owned(),
        requests,
        client_errors: requests / 10,
        server_errors: requests / 20,
        p50_us: 1_000,
        p95_us: 20_000,
        p99_us: 21_000,
        total_us: fast * 1_000 + (requests - fast) * 20_000,
        latency: buckets(&[(1_000, fast), (20_000, requests - fast)]),
    }
}

/// The listing order of the contract.
fn key(r: &ApiMetrics) -> (DateTime<Utc>, String, String, String) {
    (r.minute, r.route.clone(), r.method.clone(), r.host.clone())
}

/// Asserts that `got` is `expected` in the contract's order; rows of the same minute, route,
/// method and host may come in any order among themselves.
fn assert_listed(got: &[ApiMetrics], expected: &[ApiMetrics], what: &str) {
    let keys = |rows: &[ApiMetrics]| rows.iter().map(key).collect::<Vec<_>>();
    assert_eq!(keys(got), keys(expected), "{what}: ordered by minute, then route, method and host");
    let sorted = |rows: &[ApiMetrics]| {
        let mut rows = rows.to_vec();
        rows.sort_by_key(|r| (key(r), r.requests));
        rows
    };
    assert_eq!(sorted(got), sorted(expected), "{what}: every row as it was appended");
}

fn snapshot(at: DateTime<Utc>, n: u64) -> SystemSnapshot {
    SystemSnapshot {
        at,
        queue_ready: n,
        queue_delayed: n + 1,
        dead_letters: n + 2,
        oldest_queued_secs: n * 60,
        active_jobs: n + 3,
        throughput_bps: n * 1_000_000,
        agents_up: 2,
        agents: 3,
    }
}

/// Runs every [`MetricsRepository`] behaviour test: appended request rows come back as they were
/// written (latency buckets and counts up to `i64::MAX` included), duplicates of a minute, host,
/// route and method are all kept, rows are ordered by minute, route, method and host and listed
/// from `from` inclusive; a snapshot replaces the one of its minute and keeps the others, and
/// snapshots are listed oldest first from `from` inclusive; pruning deletes the request rows
/// and snapshots before its time (not at it) and counts them.
///
/// The suite's hosts carry a random prefix and its rows are dated at a random minute of 2001,
/// so it may share the database with the other suites. Pruning deletes every row before a time,
/// so the suite first prunes everything before its own rows, counts what it expects a prune to
/// delete from what is listed, and prunes its own rows at the end; it must not run concurrently
/// with itself on one database.
pub async fn metrics_repository(metrics: &dyn MetricsRepository) {
    let run = Run::new();
    // Rows older than this run's (left by a run that failed, say) would be counted below.
    metrics.prune_metrics(run.minute(0)).await.unwrap();
    let rows = request_metrics(metrics, &run).await;
    let snapshots = system_snapshots(metrics, &run).await;
    pruning(metrics, &run, &rows, &snapshots).await;
}

/// Appends and lists request rows; returns this run's rows in listing order.
async fn request_metrics(metrics: &dyn MetricsRepository, run: &Run) -> Vec<ApiMetrics> {
    let (a, b) = (run.host("a"), run.host("b"));
    let (m0, m1, m2) = (run.minute(0), run.minute(1), run.minute(2));
    // Routes and methods that sort the same in every collation. Each pair below is ordered by
    // one column while the next column would order it the other way round.
    let files_post_b = row(m0, &b, "/api/v1/files", "POST", 50);
    let jobs_get_a = row(m0, &a, "/api/v1/jobs", "GET", 10);
    // A second flush of the same minute, host, route and method.
    let jobs_get_a_again = row(m0, &a, "/api/v1/jobs", "GET", 30);
    let jobs_get_b = row(m0, &b, "/api/v1/jobs", "GET", 20);
    let jobs_post_a = row(m0, &a, "/api/v1/jobs", "POST", 40);
    // The largest values a BIGINT keeps, and buckets at both ends of the scale.
    let large = ApiMetrics {
        requests: i64::MAX as u64,
        client_errors: i64::MAX as u64 - 1,
        server_errors: i64::MAX as u64 - 2,
        p50_us: 1,
        p95_us: 1 << 40,
        p99_us: i64::MAX as u64,
        total_us: i64::MAX as u64,
        latency: buckets(&[(0, 1), (1_000, u64::MAX), (u64::MAX, 7)]),
        ..row(m1, &a, "/api/v1/files", "GET", 1)
    };
    // No requests: empty buckets.
    let idle = row(m2, &b, "console", "GET", 0);
    assert!(idle.latency.is_empty() && !large.latency.is_empty());

    metrics.append_api_metrics(&[idle.clone(), jobs_post_a.clone(), jobs_get_a.clone(), large.clone()]).await.unwrap();
    metrics.append_api_metrics(&[jobs_get_b.clone(), files_post_b.clone(), jobs_get_a_again.clone()]).await.unwrap();
    metrics.append_api_metrics(&[]).await.unwrap();

    let all = vec![files_post_b, jobs_get_a.clone(), jobs_get_a_again, jobs_get_b, jobs_post_a, large, idle];
    let listed = run.rows(metrics, m0).await;
    assert_listed(&listed, &all, "from the first minute");
    let same = listed.iter().filter(|r| key(r) == key(&jobs_get_a)).count();
    assert_eq!(same, 2, "two flushes of one minute, host, route and method are both kept");
    assert_listed(&run.rows(metrics, m0 - Duration::minutes(1)).await, &all, "from before the first minute");

    // From `from` on, inclusive.
    let from = |n: usize| all[n..].to_vec();
    assert_listed(&run.rows(metrics, m0 + Duration::microseconds(1)).await, &from(5), "from just after a minute");
    assert_listed(&run.rows(metrics, m1).await, &from(5), "a minute at `from` is listed");
    assert_listed(&run.rows(metrics, m2).await, &from(6), "from the last minute");
    assert_listed(&run.rows(metrics, run.minute(3)).await, &[], "from after the last minute");
    all
}

/// Stores, replaces and lists snapshots; returns this run's snapshots, oldest first.
async fn system_snapshots(metrics: &dyn MetricsRepository, run: &Run) -> Vec<SystemSnapshot> {
    let (m0, m1, m2) = (run.minute(0), run.minute(1), run.minute(2));
    let (s0, s1, s2) = (snapshot(m0, 1), snapshot(m1, 2), snapshot(m2, 3));
    // Stored out of order: they are listed oldest first.
    for s in [&s2, &s0, &s1] {
        metrics.record_snapshot(s).await.unwrap();
    }
    assert_eq!(run.snapshots(metrics, m0).await, vec![s0.clone(), s1, s2.clone()]);

    // Another host's snapshot of the same minute replaces it, every column of it.
    let s1_again = SystemSnapshot {
        queue_ready: i64::MAX as u64,
        queue_delayed: 0,
        dead_letters: 9,
        oldest_queued_secs: 3_600,
        active_jobs: 12,
        throughput_bps: i64::MAX as u64,
        agents_up: 0,
        agents: 7,
        at: m1,
    };
    metrics.record_snapshot(&s1_again).await.unwrap();
    let all = vec![s0, s1_again, s2];
    assert_eq!(run.snapshots(metrics, m0).await, all, "the last snapshot of a minute wins, the others are kept");
    let of_m1 = metrics.snapshots(m1).await.unwrap().into_iter().filter(|s| s.at == m1).count();
    assert_eq!(of_m1, 1, "one snapshot per minute");

    // From `from` on, inclusive.
    assert_eq!(run.snapshots(metrics, m0 - Duration::minutes(1)).await, all);
    assert_eq!(run.snapshots(metrics, m0 + Duration::microseconds(1)).await, all[1..].to_vec());
    assert_eq!(run.snapshots(metrics, m1).await, all[1..].to_vec(), "a snapshot at `from` is listed");
    assert_eq!(run.snapshots(metrics, m2).await, all[2..].to_vec());
    assert_eq!(run.snapshots(metrics, run.minute(3)).await, Vec::<SystemSnapshot>::new());
    all
}

/// Prunes the first minute, then the rest; `rows` and `snapshots` are this run's.
async fn pruning(metrics: &dyn MetricsRepository, run: &Run, rows: &[ApiMetrics], snapshots: &[SystemSnapshot]) {
    let (m0, m1, end) = (run.minute(0), run.minute(1), run.minute(WRITTEN_MINUTES));
    let mine_before = |at: DateTime<Utc>| {
        let rows = rows.iter().filter(|r| r.minute < at).count();
        rows + snapshots.iter().filter(|s| s.at < at).count()
    };
    // Everything listed from m0 on and before `at`: this run's rows, and whatever else is dated
    // there (nothing is older: the suite pruned before m0 at its start).
    let listed_before = |at: DateTime<Utc>| async move {
        let rows = metrics.api_metrics(m0).await.unwrap().into_iter().filter(|r| r.minute < at).count();
        rows + metrics.snapshots(m0).await.unwrap().into_iter().filter(|s| s.at < at).count()
    };

    let expected = listed_before(m1).await;
    assert_eq!(mine_before(m1), 6, "the suite's rows of the first minute");
    assert!(expected >= 6, "the suite's rows are listed");
    assert_eq!(metrics.prune_metrics(m1).await.unwrap(), expected as u64, "request rows and snapshots are counted");
    let kept: Vec<ApiMetrics> = rows.iter().filter(|r| r.minute >= m1).cloned().collect();
    assert_eq!(kept.len(), 2);
    assert_listed(&run.rows(metrics, m0).await, &kept, "rows of `before` are kept");
    assert_eq!(run.snapshots(metrics, m0).await, snapshots[1..].to_vec(), "the snapshot of `before` is kept");
    assert_eq!(metrics.prune_metrics(m1).await.unwrap(), 0, "nothing is left before m1");

    // The rest: the suite leaves nothing behind.
    let expected = listed_before(end).await;
    assert!(expected >= mine_before(end) - mine_before(m1), "the suite's remaining rows are listed");
    assert_eq!(metrics.prune_metrics(end).await.unwrap(), expected as u64);
    assert_listed(&run.rows(metrics, m0).await, &[], "every row is pruned");
    assert_eq!(run.snapshots(metrics, m0).await, Vec::<SystemSnapshot>::new(), "every snapshot is pruned");
}
