//! The observability dashboard's document.

use chrono::{DateTime, Utc};
use poem_openapi::{Enum, Object};
use tseeder_core::domain::SystemSnapshot;
use tseeder_core::services::observability::{Overview, RequestStats, Window};

use super::policy::PolicyView;
use super::worker::WorkerView;

/// The period shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "ObservabilityWindow")]
pub(crate) enum WindowDto {
    /// The last hour, one point per minute.
    #[oai(rename = "1h")]
    Hour,
    /// The last 24 hours, one point per 15 minutes.
    #[oai(rename = "24h")]
    Day,
    /// The last 7 days, one point per 2 hours.
    #[oai(rename = "7d")]
    Week,
}

impl From<WindowDto> for Window {
    fn from(w: WindowDto) -> Self {
        match w {
            WindowDto::Hour => Window::Hour,
            WindowDto::Day => Window::Day,
            WindowDto::Week => Window::Week,
        }
    }
}

impl From<Window> for WindowDto {
    fn from(w: Window) -> Self {
        match w {
            Window::Hour => WindowDto::Hour,
            Window::Day => WindowDto::Day,
            Window::Week => WindowDto::Week,
        }
    }
}

/// Requests answered, merged over every API host.
#[derive(Debug, Clone, Object)]
#[oai(rename = "RequestStats", rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct RequestStatsView {
    /// Requests answered.
    pub(crate) requests: u64,
    /// Answered with a 4xx status.
    pub(crate) client_errors: u64,
    /// Answered with a 5xx status.
    pub(crate) server_errors: u64,
    /// `serverErrors / requests`, 0 to 1 (0 without requests).
    pub(crate) error_rate: f64,
    /// Median latency in milliseconds; absent without requests. Read off latency buckets 9 %
    /// wide, merged over hosts and minutes.
    pub(crate) p50_ms: Option<f64>,
    /// 95th percentile latency in milliseconds; absent without requests.
    pub(crate) p95_ms: Option<f64>,
    /// 99th percentile latency in milliseconds; absent without requests.
    pub(crate) p99_ms: Option<f64>,
}

fn ms(micros: Option<u64>) -> Option<f64> {
    micros.map(|us| us as f64 / 1000.0)
}

impl From<&RequestStats> for RequestStatsView {
    fn from(s: &RequestStats) -> Self {
        Self {
            requests: s.requests,
            client_errors: s.client_errors,
            server_errors: s.server_errors,
            error_rate: s.server_error_rate(),
            p50_ms: ms(s.p50_us),
            p95_ms: ms(s.p95_us),
            p99_ms: ms(s.p99_us),
        }
    }
}

/// One route's requests over the window.
#[derive(Debug, Clone, Object)]
#[oai(rename = "RouteStats", rename_all = "camelCase")]
pub(crate) struct RouteStatsView {
    /// The route template from this document (`/api/v1/jobs/:id`), `/metrics`, or `console` for
    /// the web pages.
    pub(crate) route: String,
    /// The HTTP method.
    pub(crate) method: String,
    /// Its figures.
    pub(crate) stats: RequestStatsView,
}

/// One step of the request series.
#[derive(Debug, Clone, Object)]
#[oai(rename = "RequestPoint", rename_all = "camelCase")]
pub(crate) struct RequestPointView {
    /// The step's start.
    pub(crate) at: DateTime<Utc>,
    /// Its figures.
    pub(crate) stats: RequestStatsView,
}

/// The queue and the fleet at one minute.
#[derive(Debug, Clone, Object)]
#[oai(rename = "SystemSnapshot", rename_all = "camelCase")]
pub(crate) struct SnapshotView {
    /// The minute.
    pub(crate) at: DateTime<Utc>,
    /// Job messages ready to run.
    pub(crate) queue_ready: u64,
    /// Job messages running or waiting to retry.
    pub(crate) queue_delayed: u64,
    /// Messages in the dead-letter queue.
    pub(crate) dead_letters: u64,
    /// How long the oldest queued job had waited, in seconds.
    pub(crate) oldest_queued_secs: u64,
    /// Jobs the healthy agents ran.
    pub(crate) active_jobs: u64,
    /// The healthy agents' summed transfer rate, bytes per second.
    pub(crate) throughput_bps: u64,
    /// Agents healthy with a fresh heartbeat.
    pub(crate) agents_up: u32,
    /// Agents known.
    pub(crate) agents: u32,
}

impl From<&SystemSnapshot> for SnapshotView {
    fn from(s: &SystemSnapshot) -> Self {
        Self {
            at: s.at,
            queue_ready: s.queue_ready,
            queue_delayed: s.queue_delayed,
            dead_letters: s.dead_letters,
            oldest_queued_secs: s.oldest_queued_secs,
            active_jobs: s.active_jobs,
            throughput_bps: s.throughput_bps,
            agents_up: s.agents_up,
            agents: s.agents,
        }
    }
}

/// The dead-letter queue's growth.
#[derive(Debug, Clone, Object)]
#[oai(rename = "DeadLetterGrowth", rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct DeadLetterGrowthView {
    /// Messages in it now.
    pub(crate) now: u64,
    /// The change since the oldest snapshot of the last 24 hours; absent without one.
    pub(crate) change24h: Option<i64>,
    /// The least-squares trend over the window's snapshots, messages per hour; absent with
    /// fewer than two snapshots.
    pub(crate) per_hour: Option<f64>,
}

/// The observability dashboard over one window.
#[derive(Debug, Clone, Object)]
#[oai(rename = "Observability", rename_all = "camelCase")]
pub(crate) struct ObservabilityView {
    /// The window shown.
    pub(crate) window: WindowDto,
    /// Its start, aligned to a step.
    pub(crate) from: DateTime<Utc>,
    /// When this was computed.
    pub(crate) to: DateTime<Utc>,
    /// The width of one step of the series, in seconds.
    pub(crate) step_secs: u64,
    /// Requests over the whole window.
    pub(crate) totals: RequestStatsView,
    /// Per route and method, the busiest first.
    pub(crate) routes: Vec<RouteStatsView>,
    /// One point per step, oldest first, every step present.
    pub(crate) requests: Vec<RequestPointView>,
    /// The latest snapshot of each step that has one, oldest first.
    pub(crate) queue: Vec<SnapshotView>,
    /// The dead-letter queue's growth.
    pub(crate) dead_letters: DeadLetterGrowthView,
    /// The agents now.
    pub(crate) fleet: Vec<WorkerView>,
    /// The routing and retention policies with their decision counters.
    pub(crate) policies: Vec<PolicyView>,
    /// The API hosts that flushed request metrics in the window.
    pub(crate) hosts: Vec<String>,
}

impl From<Overview> for ObservabilityView {
    fn from(o: Overview) -> Self {
        Self {
            window: o.window.into(),
            from: o.from,
            to: o.to,
            step_secs: u64::try_from(o.window.step().num_seconds()).unwrap_or(0),
            totals: (&o.totals).into(),
            routes: o
                .routes
                .iter()
                .map(|r| RouteStatsView { route: r.route.clone(), method: r.method.clone(), stats: (&r.stats).into() })
                .collect(),
            requests: o.requests.iter().map(|p| RequestPointView { at: p.at, stats: (&p.stats).into() }).collect(),
            queue: o.queue.iter().map(SnapshotView::from).collect(),
            dead_letters: DeadLetterGrowthView {
                now: o.dead_letters.now,
                change24h: o.dead_letters.change_24h,
                per_hour: o.dead_letters.per_hour,
            },
            fleet: o.fleet.into_iter().map(WorkerView::from).collect(),
            policies: o.policies.into_iter().map(PolicyView::from).collect(),
            hosts: o.hosts,
        }
    }
}
