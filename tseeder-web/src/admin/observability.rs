//! Admin › Observability: request latency, error rates, the queue, the dead-letter queue's
//! growth and the fleet over the last hour, day or week, from the same overview as `GET
//! /api/v1/admin/observability`. The charts are SVG drawn here; the page refreshes its figures
//! every 30 seconds while open.

use askama::Template;
use chrono::{DateTime, Utc};
use poem::http::StatusCode;
use poem::{Request, Response, handler};
use tseeder_core::domain::{SystemSnapshot, WorkerStatus};
use tseeder_core::ports::PolicyImplementation;
use tseeder_core::services::observability::{Overview, RequestStats, Window};
use tseeder_http::console::{Console, PublicError};

use super::{AdminChrome, guard};
use crate::chart::{Chart, Kind, Series};
use crate::page::{Chrome, ago, human_size, query_param, render, service_error};

/// A window as a link of the selector.
#[derive(Debug, Clone)]
struct WindowLink {
    label: &'static str,
    href: String,
    current: bool,
}

/// A chart with its legend, both HTML.
#[derive(Debug, Clone)]
struct ChartView {
    svg: String,
    legend: String,
    has_data: bool,
}

impl From<Chart> for ChartView {
    fn from(chart: Chart) -> Self {
        Self { svg: chart.render(), legend: chart.legend(), has_data: chart.has_data() }
    }
}

/// A route as a row.
#[derive(Debug, Clone)]
struct RouteRow {
    route: String,
    method: String,
    requests: u64,
    client_errors: String,
    server_errors: String,
    bad: bool,
    p50: String,
    p95: String,
    p99: String,
}

/// An agent as a card of the fleet grid.
#[derive(Debug, Clone)]
struct AgentCard {
    id: String,
    region: String,
    status: &'static str,
    status_class: &'static str,
    stale: bool,
    active: u32,
    max: u32,
    /// 0 to 100.
    load_pct: u32,
    cpu: String,
    bandwidth: String,
    heartbeat: String,
}

#[derive(Template)]
#[template(path = "admin/observability.html")]
struct ObservabilityPage {
    chrome: Chrome,
    admin: AdminChrome,
    window: &'static str,
    windows: Vec<WindowLink>,
    step: String,
    requests: u64,
    error_rate: String,
    error_bad: bool,
    p95: String,
    queued: String,
    queue_note: String,
    dead_now: u64,
    dead_change: String,
    dead_trend: String,
    dead_growing: bool,
    latency: ChartView,
    errors: ChartView,
    queue: ChartView,
    dead: ChartView,
    routes: Vec<RouteRow>,
    fleet: Vec<AgentCard>,
    hosts: String,
    policies: Vec<(String, String, u64, u64)>,
}

/// Milliseconds for people: `0.42 ms`, `12 ms`, `1.3 s`.
fn millis(micros: Option<u64>) -> String {
    match micros {
        None => "—".into(),
        Some(us) if us < 1_000 => format!("{:.2} ms", us as f64 / 1000.0),
        Some(us) if us < 10_000 => format!("{:.1} ms", us as f64 / 1000.0),
        Some(us) if us < 1_000_000 => format!("{} ms", us / 1000),
        Some(us) => format!("{:.1} s", us as f64 / 1e6),
    }
}

fn percent(rate: f64) -> String {
    match rate {
        0.0 => "0 %".into(),
        r if r < 0.001 => "< 0.1 %".into(),
        r => format!("{:.1} %", r * 100.0),
    }
}

fn axis_ms(v: f64) -> String {
    if v >= 1000.0 { format!("{:.1} s", v / 1000.0) } else { format!("{v} ms") }
}

fn axis_pct(v: f64) -> String {
    format!("{v} %")
}

fn axis_count(v: f64) -> String {
    format!("{v}")
}

/// The first, middle and last times of a series as the x labels.
fn x_labels(times: &[DateTime<Utc>], window: Window) -> [String; 3] {
    let format = |t: &DateTime<Utc>| match window {
        Window::Week => t.format("%a %H:%M").to_string(),
        _ => t.format("%H:%M").to_string(),
    };
    match times {
        [] => [String::new(), String::new(), String::new()],
        [only] => [String::new(), format(only), String::new()],
        [first, .., last] => [format(first), format(&times[times.len() / 2]), format(last)],
    }
}

fn latency_ms(stats: &RequestStats, quantile: fn(&RequestStats) -> Option<u64>) -> Option<f64> {
    quantile(stats).map(|us| us as f64 / 1000.0)
}

fn charts(o: &Overview) -> (ChartView, ChartView, ChartView, ChartView) {
    let times: Vec<DateTime<Utc>> = o.requests.iter().map(|p| p.at).collect();
    let labels = x_labels(&times, o.window);
    let latency = Chart {
        id: "latency-chart",
        label: format!("Latency p50 and p95 over the last {}", o.window.as_str()),
        kind: Kind::Line,
        x_labels: labels.clone(),
        series: vec![
            Series {
                name: "p50",
                class: "p50",
                values: o.requests.iter().map(|p| latency_ms(&p.stats, |s| s.p50_us)).collect(),
            },
            Series {
                name: "p95",
                class: "p95",
                values: o.requests.iter().map(|p| latency_ms(&p.stats, |s| s.p95_us)).collect(),
            },
        ],
        trend: None,
        format: axis_ms,
    };
    let rate = |errors: fn(&RequestStats) -> u64| -> Vec<Option<f64>> {
        o.requests
            .iter()
            .map(|p| (p.stats.requests > 0).then(|| errors(&p.stats) as f64 * 100.0 / p.stats.requests as f64))
            .collect()
    };
    let errors = Chart {
        id: "errors-chart",
        label: format!("Share of requests answered with errors over the last {}", o.window.as_str()),
        kind: Kind::Bars,
        x_labels: labels,
        series: vec![
            Series { name: "5xx", class: "bad", values: rate(|s| s.server_errors) },
            Series { name: "4xx", class: "warn", values: rate(|s| s.client_errors) },
        ],
        trend: None,
        format: axis_pct,
    };
    let snaps: Vec<&SystemSnapshot> = o.queue.iter().collect();
    let snap_times: Vec<DateTime<Utc>> = snaps.iter().map(|s| s.at).collect();
    let snap_labels = x_labels(&snap_times, o.window);
    let queue = Chart {
        id: "queue-chart",
        label: format!("Jobs waiting in the queue over the last {}", o.window.as_str()),
        // One snapshot is a point, not an area.
        kind: if snaps.len() < 2 { Kind::Line } else { Kind::Area },
        x_labels: snap_labels.clone(),
        series: vec![
            Series { name: "ready", class: "p50", values: snaps.iter().map(|s| Some(s.queue_ready as f64)).collect() },
            Series {
                name: "running or retrying",
                class: "p95",
                values: snaps.iter().map(|s| Some(s.queue_delayed as f64)).collect(),
            },
        ],
        trend: None,
        format: axis_count,
    };
    let trend = o.dead_letters.line.filter(|_| snaps.len() >= 2);
    let dead = Chart {
        id: "dlq-chart",
        label: format!("Messages in the dead-letter queue over the last {}", o.window.as_str()),
        kind: Kind::Line,
        x_labels: snap_labels,
        series: vec![Series {
            name: "dead letters",
            class: "bad",
            values: snaps.iter().map(|s| Some(s.dead_letters as f64)).collect(),
        }],
        trend,
        format: axis_count,
    };
    (latency.into(), errors.into(), queue.into(), dead.into())
}

fn fleet(o: &Overview, now: DateTime<Utc>) -> Vec<AgentCard> {
    o.fleet
        .iter()
        .map(|f| {
            let w = &f.worker;
            let (status, status_class) = match (w.status, f.stale) {
                (_, true) => ("stale", "worker-offline"),
                (WorkerStatus::Healthy, false) => ("healthy", "worker-healthy"),
                (WorkerStatus::Draining, false) => ("draining", "worker-draining"),
                (WorkerStatus::Cordoned, false) => ("cordoned", "worker-cordoned"),
                (WorkerStatus::Offline, false) => ("offline", "worker-offline"),
            };
            AgentCard {
                id: w.id.clone(),
                region: w.region.to_string(),
                status,
                status_class,
                stale: f.stale,
                active: w.active_jobs,
                max: w.max_jobs,
                load_pct: (f.load_factor.clamp(0.0, 1.0) * 100.0).round() as u32,
                cpu: format!("{:.0} %", w.cpu_pct),
                bandwidth: format!("{}/s", human_size(w.bandwidth_bps)),
                heartbeat: ago(w.last_heartbeat_at, now),
            }
        })
        .collect()
}

/// `GET /admin/observability?window=1h|24h|7d` (24h by default; an unknown window shows the
/// default).
#[handler]
pub(crate) async fn page(console: Console, req: &Request) -> Response {
    let (viewer, chrome, admin) = match guard(&console, req, "observability").await {
        Ok(ok) => ok,
        Err(resp) => return resp,
    };
    let window = query_param(req, "window").and_then(|w| Window::parse(&w)).unwrap_or_default();
    let o = match console.core().observability.overview(&viewer.principal, window).await {
        Ok(o) => o,
        Err(e) => return service_error(chrome, PublicError::from(e)),
    };
    let now = o.to;
    let (latency, errors, queue, dead) = charts(&o);
    let routes = o
        .routes
        .iter()
        .map(|r| RouteRow {
            route: r.route.clone(),
            method: r.method.clone(),
            requests: r.stats.requests,
            client_errors: percent(r.stats.client_error_rate()),
            server_errors: percent(r.stats.server_error_rate()),
            bad: r.stats.server_errors > 0,
            p50: millis(r.stats.p50_us),
            p95: millis(r.stats.p95_us),
            p99: millis(r.stats.p99_us),
        })
        .collect();
    let latest = o.queue.last();
    let (queued, queue_note) = match latest {
        Some(s) => (
            (s.queue_ready + s.queue_delayed).to_string(),
            format!("oldest waited {} · {}", wait(s.oldest_queued_secs), ago(s.at, now)),
        ),
        None => ("—".into(), "no snapshot yet: one is taken each minute".into()),
    };
    let d = &o.dead_letters;
    let dead_change = match d.change_24h {
        Some(c) if c > 0 => format!("+{c} in 24 h"),
        Some(c) => format!("{c} in 24 h"),
        None => "no snapshot 24 h back".into(),
    };
    let dead_trend = match d.per_hour {
        Some(p) if p.abs() < 0.05 => "flat".into(),
        Some(p) => format!("{:+.1} per hour", p),
        None => String::new(),
    };
    let step = match window {
        Window::Hour => "one point per minute",
        Window::Day => "one point per 15 minutes",
        Window::Week => "one point per 2 hours",
    };
    let policies = o
        .policies
        .iter()
        .map(|p| {
            let by = match p.implementation {
                PolicyImplementation::Native => "built-in rule",
                PolicyImplementation::Wasm => "plugin",
            };
            (p.kind.to_string(), by.to_owned(), p.counters.decisions, p.counters.failures)
        })
        .collect();
    let base = chrome.base.clone();
    let page = ObservabilityPage {
        window: window.as_str(),
        windows: Window::ALL
            .iter()
            .map(|w| WindowLink {
                label: w.as_str(),
                href: format!("{base}/admin/observability?window={}", w.as_str()),
                current: *w == window,
            })
            .collect(),
        step: step.into(),
        requests: o.totals.requests,
        error_rate: percent(o.totals.server_error_rate()),
        error_bad: o.totals.server_error_rate() >= 0.01,
        p95: millis(o.totals.p95_us),
        queued,
        queue_note,
        dead_now: d.now,
        dead_change,
        dead_trend,
        dead_growing: d.per_hour.is_some_and(|p| p >= 0.05),
        latency,
        errors,
        queue,
        dead,
        routes,
        fleet: fleet(&o, now),
        hosts: if o.hosts.is_empty() { String::new() } else { o.hosts.join(", ") },
        policies,
        chrome,
        admin,
    };
    render(StatusCode::OK, &page)
}

/// A wait for people: `12 s`, `4 min`, `2 h`.
fn wait(secs: u64) -> String {
    match secs {
        ..60 => format!("{secs} s"),
        60..3600 => format!("{} min", secs / 60),
        _ => format!("{} h", secs / 3600),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_like_people_write_them() {
        assert_eq!(millis(Some(420)), "0.42 ms");
        assert_eq!(millis(Some(4_200)), "4.2 ms");
        assert_eq!(millis(Some(42_000)), "42 ms");
        assert_eq!(millis(Some(4_200_000)), "4.2 s");
        assert_eq!(millis(None), "—");
        assert_eq!(percent(0.0), "0 %");
        assert_eq!(percent(0.0004), "< 0.1 %");
        assert_eq!(percent(0.125), "12.5 %");
        assert_eq!(wait(90), "1 min");
    }
}
