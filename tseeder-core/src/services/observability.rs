//! The observability dashboard's data: the request metrics every API host flushes (see
//! [`ObservabilityService::store_requests`]), a snapshot of the queue and the fleet each minute
//! (once per cluster, through the [`Scheduler`](super::Scheduler)), and the
//! [`overview`](ObservabilityService::overview) the dashboard and its API read, merged over
//! hosts and minutes.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, DurationRound, Utc};
use serde::Deserialize;

use super::scheduler::{Schedule, ScheduledTask};
use super::{FleetService, Ports};
use crate::auth::Principal;
use crate::domain::{ApiMetrics, LatencyBuckets, Role, SystemSnapshot, WorkerStatus};
use crate::error::{ErrorCode, ServiceError};
use crate::ports::PolicyStatus;
use crate::services::PolicyService;
use crate::services::fleet::FleetWorker;

/// The name of the snapshot's scheduled task.
pub const SNAPSHOT_TASK: &str = "observability.snapshot";

/// Settings of request metrics and the dashboard's series (`[observability]`).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct ObservabilityConfig {
    /// Whether the API hosts record request metrics (for `/metrics` and the dashboard). Off,
    /// requests are not timed at all.
    pub request_metrics: bool,
    /// How often each API host writes its request metrics to the database, in seconds (default
    /// 60).
    pub flush_secs: u64,
    /// Whether the scheduler takes the queue and fleet snapshot.
    pub snapshots: bool,
    /// When it does: a cron expression in UTC (default `* * * * *`, every minute).
    pub snapshot_schedule: String,
    /// Days of request metrics and snapshots kept (default 8: the longest window is 7 days).
    pub retention_days: u32,
}

impl Default for ObservabilityConfig {
    fn default() -> Self {
        Self {
            request_metrics: true,
            flush_secs: 60,
            snapshots: true,
            snapshot_schedule: "* * * * *".into(),
            retention_days: 8,
        }
    }
}

/// The period the dashboard shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Window {
    /// The last hour, by minute.
    Hour,
    /// The last 24 hours, by 15 minutes.
    #[default]
    Day,
    /// The last 7 days, by 2 hours.
    Week,
}

impl Window {
    /// Every window, shortest first.
    pub const ALL: [Window; 3] = [Window::Hour, Window::Day, Window::Week];

    /// Its name in URLs: `1h`, `24h`, `7d`.
    pub fn as_str(self) -> &'static str {
        match self {
            Window::Hour => "1h",
            Window::Day => "24h",
            Window::Week => "7d",
        }
    }

    /// The window named `name` (see [`as_str`](Self::as_str)).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.as_str() == name)
    }

    /// How far back it reaches.
    pub fn span(self) -> Duration {
        match self {
            Window::Hour => Duration::hours(1),
            Window::Day => Duration::hours(24),
            Window::Week => Duration::days(7),
        }
    }

    /// The width of one point of its series.
    pub fn step(self) -> Duration {
        match self {
            Window::Hour => Duration::minutes(1),
            Window::Day => Duration::minutes(15),
            Window::Week => Duration::hours(2),
        }
    }
}

/// Requests over some period, merged over hosts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestStats {
    /// Requests answered.
    pub requests: u64,
    /// Answered 4xx.
    pub client_errors: u64,
    /// Answered 5xx.
    pub server_errors: u64,
    /// Median latency in microseconds, from the merged buckets (`None`: no request).
    pub p50_us: Option<u64>,
    /// 95th percentile latency in microseconds.
    pub p95_us: Option<u64>,
    /// 99th percentile latency in microseconds.
    pub p99_us: Option<u64>,
}

impl RequestStats {
    fn from_parts(requests: u64, client_errors: u64, server_errors: u64, latency: &LatencyBuckets) -> Self {
        Self {
            requests,
            client_errors,
            server_errors,
            p50_us: latency.quantile(0.50),
            p95_us: latency.quantile(0.95),
            p99_us: latency.quantile(0.99),
        }
    }

    /// The share of requests answered 5xx, 0 to 1 (0 without requests).
    pub fn server_error_rate(&self) -> f64 {
        if self.requests == 0 { 0.0 } else { self.server_errors as f64 / self.requests as f64 }
    }

    /// The share of requests answered 4xx, 0 to 1.
    pub fn client_error_rate(&self) -> f64 {
        if self.requests == 0 { 0.0 } else { self.client_errors as f64 / self.requests as f64 }
    }
}

/// One route's requests over the window.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteStats {
    /// The route template, or `console` for web pages.
    pub route: String,
    /// The HTTP method.
    pub method: String,
    /// Its figures.
    pub stats: RequestStats,
}

/// One point of the request series.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestPoint {
    /// The start of the step.
    pub at: DateTime<Utc>,
    /// Its figures (zero requests when none were answered).
    pub stats: RequestStats,
}

/// The dead-letter queue's growth.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadLetterGrowth {
    /// Messages in it now.
    pub now: u64,
    /// The change since the oldest snapshot of the last 24 hours (`None`: no snapshot then).
    pub change_24h: Option<i64>,
    /// The least-squares trend over the window's snapshots, messages per hour (`None`: fewer
    /// than two snapshots).
    pub per_hour: Option<f64>,
    /// That trend's line at the first and the last point of the queue series, for drawing it
    /// (`None` with `per_hour`).
    pub line: Option<(f64, f64)>,
}

/// Everything the observability dashboard shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Overview {
    /// The window shown.
    pub window: Window,
    /// Its start (aligned to a step).
    pub from: DateTime<Utc>,
    /// When this was computed.
    pub to: DateTime<Utc>,
    /// Requests over the whole window.
    pub totals: RequestStats,
    /// Per route and method, the busiest first.
    pub routes: Vec<RouteStats>,
    /// One point per step, oldest first, every step present.
    pub requests: Vec<RequestPoint>,
    /// The latest snapshot of each step that has one, oldest first.
    pub queue: Vec<SystemSnapshot>,
    /// The dead-letter queue's growth.
    pub dead_letters: DeadLetterGrowth,
    /// The agents now.
    pub fleet: Vec<FleetWorker>,
    /// The policies and their decision counters.
    pub policies: Vec<PolicyStatus>,
    /// The API hosts that flushed metrics in the window.
    pub hosts: Vec<String>,
}

/// The observability service.
#[derive(Debug, Clone)]
pub struct ObservabilityService {
    ports: Ports,
    fleet: FleetService,
    policies: PolicyService,
    /// The job queue's name.
    queue: String,
    config: Arc<ObservabilityConfig>,
}

impl ObservabilityService {
    /// Builds the service.
    pub fn new(
        ports: Ports,
        fleet: FleetService,
        policies: PolicyService,
        queue: String,
        config: ObservabilityConfig,
    ) -> Self {
        Self { ports, fleet, policies, queue, config: Arc::new(config) }
    }

    /// The settings in force.
    pub fn config(&self) -> &ObservabilityConfig {
        &self.config
    }

    /// Stores one flush of an API host's request metrics.
    pub async fn store_requests(&self, rows: &[ApiMetrics]) -> Result<(), ServiceError> {
        if rows.is_empty() {
            return Ok(());
        }
        Ok(self.ports.metrics.append_api_metrics(rows).await?)
    }

    /// The snapshot as a scheduled task, when snapshots are on. A bad schedule is an error at
    /// start.
    pub fn scheduled_task(&self) -> Result<Option<ScheduledTask>, ServiceError> {
        if !self.config.snapshots {
            return Ok(None);
        }
        let schedule = Schedule::parse(&self.config.snapshot_schedule).map_err(|message| {
            ServiceError::invalid(ErrorCode::InvalidSchedule, format!("observability.snapshot_schedule: {message}"))
        })?;
        let service = self.clone();
        Ok(Some(ScheduledTask {
            name: SNAPSHOT_TASK.into(),
            schedule,
            run: Arc::new(move |slot| {
                let service = service.clone();
                Box::pin(async move {
                    let pruned = service.snapshot(slot).await.map_err(|e| e.to_string())?;
                    Ok(format!("snapshot taken, {pruned} old rows pruned"))
                })
            }),
        }))
    }

    /// Records the queue and the fleet as they are, as the snapshot of `at`'s minute, and
    /// deletes the rows older than the retention. Returns how many rows were deleted.
    pub async fn snapshot(&self, at: DateTime<Utc>) -> Result<u64, ServiceError> {
        let now = self.ports.clock.now();
        let stats = self.ports.queue.stats(&self.queue, now).await?;
        let oldest = super::job::oldest_queued(&*self.ports.jobs).await?;
        let oldest_queued_secs = oldest.map_or(0, |j| u64::try_from((now - j.created_at).num_seconds()).unwrap_or(0));
        let workers = self.ports.workers.list_workers().await?;
        let stale_after = self.fleet.stale_after();
        let up: Vec<_> =
            workers.iter().filter(|w| w.effective_status(now, stale_after) == WorkerStatus::Healthy).collect();
        let snapshot = SystemSnapshot {
            at: minute_of(at),
            queue_ready: stats.ready,
            queue_delayed: stats.delayed,
            dead_letters: stats.dead,
            oldest_queued_secs,
            active_jobs: up.iter().map(|w| u64::from(w.active_jobs)).sum(),
            throughput_bps: up.iter().map(|w| w.bandwidth_bps).sum(),
            agents_up: u32::try_from(up.len()).unwrap_or(u32::MAX),
            agents: u32::try_from(workers.len()).unwrap_or(u32::MAX),
        };
        self.ports.metrics.record_snapshot(&snapshot).await?;
        let cutoff = now - self.retention();
        Ok(self.ports.metrics.prune_metrics(cutoff).await?)
    }

    /// How long request metrics and snapshots are kept: the one rule the snapshot task prunes
    /// by.
    pub fn retention(&self) -> Duration {
        Duration::days(i64::from(self.config.retention_days.max(1)))
    }

    /// The dashboard over `window` (support and above): request figures merged over every host
    /// and flush, per route and per step; the queue per step; the dead-letter growth; the fleet
    /// and the policies as they are now.
    pub async fn overview(&self, principal: &Principal, window: Window) -> Result<Overview, ServiceError> {
        principal.require_staff(Role::Support)?;
        let now = self.ports.clock.now();
        let step = window.step();
        let from = align(now - window.span(), step) + step;
        let rows = self.ports.metrics.api_metrics(from).await?;
        let snapshots = self.ports.metrics.snapshots(from.min(now - Duration::hours(24))).await?;
        let live = self.ports.queue.stats(&self.queue, now).await?;

        // Per route and method, and per step.
        let mut routes: BTreeMap<(String, String), Accumulator> = BTreeMap::new();
        let steps = usize::try_from((now - from).num_seconds() / step.num_seconds() + 1).unwrap_or(1);
        let mut series = vec![Accumulator::default(); steps];
        let mut total = Accumulator::default();
        let mut hosts: Vec<String> = Vec::new();
        for row in &rows {
            routes.entry((row.route.clone(), row.method.clone())).or_default().add(row);
            if let Some(slot) = slot_of(row.minute, from, step).and_then(|i| series.get_mut(i)) {
                slot.add(row);
            }
            total.add(row);
            if !hosts.contains(&row.host) {
                hosts.push(row.host.clone());
            }
        }
        hosts.sort();
        let mut routes: Vec<RouteStats> =
            routes.into_iter().map(|((route, method), acc)| RouteStats { route, method, stats: acc.stats() }).collect();
        routes.sort_by(|a, b| b.stats.requests.cmp(&a.stats.requests).then_with(|| a.route.cmp(&b.route)));
        let requests = series
            .iter()
            .enumerate()
            .map(|(i, acc)| RequestPoint { at: from + step * i32::try_from(i).unwrap_or(i32::MAX), stats: acc.stats() })
            .collect();

        // The latest snapshot of each step.
        let mut queue: Vec<SystemSnapshot> = Vec::new();
        for s in snapshots.iter().filter(|s| s.at >= from) {
            match queue.last_mut() {
                Some(last) if slot_of(last.at, from, step) == slot_of(s.at, from, step) => *last = s.clone(),
                _ => queue.push(s.clone()),
            }
        }
        let day_ago = snapshots.iter().find(|s| s.at >= now - Duration::hours(24));
        let trend = Trend::fit(snapshots.iter().filter(|s| s.at >= from));
        let dead_letters = DeadLetterGrowth {
            now: live.dead,
            change_24h: day_ago.map(|s| {
                i64::try_from(live.dead).unwrap_or(i64::MAX) - i64::try_from(s.dead_letters).unwrap_or(i64::MAX)
            }),
            per_hour: trend.as_ref().map(|t| t.per_hour),
            line: trend.as_ref().zip(queue.first().zip(queue.last())).map(|(t, (a, b))| (t.at(a.at), t.at(b.at))),
        };
        Ok(Overview {
            window,
            from,
            to: now,
            totals: total.stats(),
            routes,
            requests,
            queue,
            dead_letters,
            fleet: self.fleet.list_workers(principal).await?,
            policies: self.policies.status(principal)?,
            hosts,
        })
    }
}

/// Requests added up over rows.
#[derive(Debug, Clone, Default)]
struct Accumulator {
    requests: u64,
    client_errors: u64,
    server_errors: u64,
    latency: LatencyBuckets,
}

impl Accumulator {
    fn add(&mut self, row: &ApiMetrics) {
        self.requests += row.requests;
        self.client_errors += row.client_errors;
        self.server_errors += row.server_errors;
        self.latency.merge(&row.latency);
    }

    fn stats(&self) -> RequestStats {
        RequestStats::from_parts(self.requests, self.client_errors, self.server_errors, &self.latency)
    }
}

/// The start of `at`'s minute.
pub fn minute_of(at: DateTime<Utc>) -> DateTime<Utc> {
    align(at, Duration::minutes(1))
}

/// `at` rounded down to a multiple of `step` since the epoch.
fn align(at: DateTime<Utc>, step: Duration) -> DateTime<Utc> {
    at.duration_trunc(step).unwrap_or(at)
}

/// The index of the step holding `at`, counting from `from`.
fn slot_of(at: DateTime<Utc>, from: DateTime<Utc>, step: Duration) -> Option<usize> {
    if at < from {
        return None;
    }
    usize::try_from((at - from).num_seconds() / step.num_seconds()).ok()
}

/// The least-squares line of the dead-letter count over time.
struct Trend {
    /// The slope, messages per hour.
    per_hour: f64,
    /// The mean time (hours since the epoch) and count the line passes through.
    mean_hours: f64,
    mean: f64,
}

impl Trend {
    /// The line through `snapshots`; `None` for fewer than two distinct times.
    fn fit<'a>(snapshots: impl Iterator<Item = &'a SystemSnapshot>) -> Option<Self> {
        let points: Vec<(f64, f64)> = snapshots.map(|s| (hours(s.at), s.dead_letters as f64)).collect();
        if points.len() < 2 {
            return None;
        }
        let n = points.len() as f64;
        let (mx, my) = (points.iter().map(|p| p.0).sum::<f64>() / n, points.iter().map(|p| p.1).sum::<f64>() / n);
        let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
        let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
        (sxx > 0.0).then(|| Self { per_hour: sxy / sxx, mean_hours: mx, mean: my })
    }

    /// The line's count at `at`, never below zero.
    fn at(&self, at: DateTime<Utc>) -> f64 {
        (self.mean + self.per_hour * (hours(at) - self.mean_hours)).max(0.0)
    }
}

/// `at` in hours since the epoch.
fn hours(at: DateTime<Utc>) -> f64 {
    at.timestamp() as f64 / 3600.0
}
