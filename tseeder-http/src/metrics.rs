//! Request metrics without a write per request: the outermost layer records every answered
//! request in memory, per route template (`/api/v1/jobs/:id`, never the raw path), method and
//! status class (a count and an HDR latency histogram), and `GET /metrics` renders them, with the
//! queue, the fleet and the policies, in Prometheus' text exposition format.
//!
//! Every `observability.flush_secs` (a minute by default) a [`Flusher`] also writes what the
//! host answered since the last flush to the database, one row per route and method with its
//! percentiles and mergeable latency buckets, so the dashboard combines every API host; it
//! flushes once more when the app stops.
//!
//! `/metrics` answers a bearer token when `http.metrics_token` is set, and otherwise only
//! clients on the loopback interface (404 to others), so a server listening on a public address
//! does not publish its internals by default.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use hdrhistogram::Histogram;
use poem::http::{Method, StatusCode, header};
use poem::web::Data;
use poem::{Request, Response, handler};
use subtle::ConstantTimeEq;
use tseeder_core::Tseeder;
use tseeder_core::domain::{ApiMetrics, LatencyBuckets, WorkerStatus};
use tseeder_core::ports::PolicyImplementation;

use crate::envelope::MethodTable;
use crate::request::RequestContext;
use crate::state::Shared;

/// The label of a request that is not an API route: a console page.
const CONSOLE: &str = "console";

/// One series: requests of one route, method and status class.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    route: String,
    method: String,
    /// `2xx`, `3xx`, `4xx` or `5xx`.
    class: &'static str,
}

/// A series' figures.
#[derive(Debug)]
struct Series {
    count: u64,
    sum: Duration,
    /// Microseconds, from 1 us to 10 minutes, 3 significant figures.
    latency: Histogram<u64>,
}

/// Microseconds, from 1 us to 10 minutes, 3 significant figures.
fn latency_histogram() -> Histogram<u64> {
    // Constant, valid bounds (1 <= low, high >= 2 * low, 3 significant figures).
    Histogram::new_with_bounds(1, 600_000_000, 3)
        .unwrap_or_else(|e| unreachable!("the latency histogram's bounds are valid: {e}"))
}

impl Series {
    fn new() -> Self {
        Self { count: 0, sum: Duration::ZERO, latency: latency_histogram() }
    }
}

/// One series' requests since the last flush.
#[derive(Debug)]
struct Interval {
    requests: u64,
    total_us: u64,
    /// For the row's own percentiles.
    latency: Histogram<u64>,
    /// For merging with other rows.
    buckets: LatencyBuckets,
}

impl Interval {
    fn new() -> Self {
        Self { requests: 0, total_us: 0, latency: latency_histogram(), buckets: LatencyBuckets::default() }
    }
}

/// A series: cumulative for `/metrics`, and since the last flush for the database.
#[derive(Debug)]
struct Entry {
    total: Series,
    interval: Interval,
}

/// The in-memory request metrics of this host.
#[derive(Debug)]
pub(crate) struct RequestMetrics {
    base_path: String,
    routes: MethodTable,
    series: Mutex<BTreeMap<Key, Entry>>,
}

fn class_of(status: StatusCode) -> &'static str {
    match status.as_u16() {
        100..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

impl RequestMetrics {
    /// Metrics labelled by the templates of `routes`; `base_path` is taken off paths first.
    pub(crate) fn new(base_path: String, routes: MethodTable) -> Self {
        Self { base_path, routes, series: Mutex::new(BTreeMap::new()) }
    }

    /// The label of `path`: its API route template (`/api/v1/jobs/:id`), `/metrics`, or
    /// `console`.
    pub(crate) fn route_of(&self, path: &str) -> String {
        let path = path.strip_prefix(self.base_path.as_str()).filter(|_| !self.base_path.is_empty()).unwrap_or(path);
        if path == "/metrics" || path == "/api/v1/openapi.json" {
            return path.to_owned();
        }
        match self.routes.label(path) {
            Some(label) => label.to_owned(),
            None if path.starts_with("/api/") => "/api/unknown".to_owned(),
            None => CONSOLE.to_owned(),
        }
    }

    /// Records one answered request.
    pub(crate) fn record(&self, path: &str, method: &Method, status: StatusCode, elapsed: Duration) {
        let key = Key { route: self.route_of(path), method: method.as_str().to_owned(), class: class_of(status) };
        let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX).max(1);
        let mut series = self.series.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = series.entry(key).or_insert_with(|| Entry { total: Series::new(), interval: Interval::new() });
        entry.total.count += 1;
        entry.total.sum += elapsed;
        entry.total.latency.saturating_record(micros);
        entry.interval.requests += 1;
        entry.interval.total_us = entry.interval.total_us.saturating_add(micros);
        entry.interval.latency.saturating_record(micros);
        entry.interval.buckets.record(micros);
    }

    /// Takes the requests recorded since the last call, as rows of `minute` from `host`, and
    /// starts a new interval.
    pub(crate) fn drain(&self, minute: DateTime<Utc>, host: &str) -> Vec<ApiMetrics> {
        // The keys are ordered by route, method, then class: each route and method's classes
        // merge into one row.
        let mut rows: Vec<(ApiMetrics, Histogram<u64>)> = Vec::new();
        let mut series = self.series.lock().unwrap_or_else(PoisonError::into_inner);
        for (key, entry) in series.iter_mut().filter(|(_, e)| e.interval.requests > 0) {
            let same = rows.last().is_some_and(|(r, _)| r.route == key.route && r.method == key.method);
            if !same {
                let row = ApiMetrics {
                    minute,
                    host: host.to_owned(),
                    route: key.route.clone(),
                    method: key.method.clone(),
                    requests: 0,
                    client_errors: 0,
                    server_errors: 0,
                    p50_us: 0,
                    p95_us: 0,
                    p99_us: 0,
                    total_us: 0,
                    latency: LatencyBuckets::default(),
                };
                rows.push((row, latency_histogram()));
            }
            let Some((row, latency)) = rows.last_mut() else { continue };
            let interval = &mut entry.interval;
            row.requests += interval.requests;
            match key.class {
                "4xx" => row.client_errors += interval.requests,
                "5xx" => row.server_errors += interval.requests,
                _ => {}
            }
            row.total_us = row.total_us.saturating_add(interval.total_us);
            row.latency.merge(&interval.buckets);
            // Same bounds on both sides, so adding cannot fail.
            let _ = latency.add(&interval.latency);
            interval.requests = 0;
            interval.total_us = 0;
            interval.latency.reset();
            interval.buckets = LatencyBuckets::default();
        }
        drop(series);
        rows.into_iter()
            .map(|(mut row, latency)| {
                row.p50_us = latency.value_at_quantile(0.50);
                row.p95_us = latency.value_at_quantile(0.95);
                row.p99_us = latency.value_at_quantile(0.99);
                row
            })
            .collect()
    }

    /// The request series in the text exposition format.
    fn render(&self, out: &mut String) {
        let series = self.series.lock().unwrap_or_else(PoisonError::into_inner);
        out.push_str(
            "# HELP tseeder_http_requests_total Requests answered, by route template, method and status class.\n",
        );
        out.push_str("# TYPE tseeder_http_requests_total counter\n");
        for (k, e) in series.iter() {
            let _ = writeln!(out, "tseeder_http_requests_total{{{}}} {}", labels(k), e.total.count);
        }
        out.push_str("# HELP tseeder_http_request_duration_seconds Time to answer, by route template, method and status class.\n");
        out.push_str("# TYPE tseeder_http_request_duration_seconds summary\n");
        for (k, e) in series.iter() {
            let s = &e.total;
            for q in [0.5, 0.95, 0.99] {
                let secs = s.latency.value_at_quantile(q) as f64 / 1e6;
                let _ = writeln!(out, "tseeder_http_request_duration_seconds{{{},quantile=\"{q}\"}} {secs}", labels(k));
            }
            let _ = writeln!(out, "tseeder_http_request_duration_seconds_sum{{{}}} {}", labels(k), s.sum.as_secs_f64());
            let _ = writeln!(out, "tseeder_http_request_duration_seconds_count{{{}}} {}", labels(k), s.count);
        }
    }
}

/// The most rows kept for a later flush while the database refuses them (about a week of a
/// busy host's minutes would be far more; this bounds memory during a long outage).
const MAX_PENDING_ROWS: usize = 50_000;

/// Writes a host's request metrics to the database every `observability.flush_secs`.
pub(crate) struct Flusher {
    metrics: std::sync::Arc<RequestMetrics>,
    core: Tseeder,
    host: String,
    /// When the interval being recorded began.
    since: DateTime<Utc>,
    /// Rows a failed flush kept for the next one.
    pending: Vec<ApiMetrics>,
}

impl Flusher {
    /// A flusher of `metrics` through `core`, naming this host by its name and process id.
    pub(crate) fn new(metrics: std::sync::Arc<RequestMetrics>, core: Tseeder) -> Self {
        let name = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .ok()
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "localhost".to_owned());
        let since = core.ports.clock.now();
        Self { metrics, core, host: format!("{name}:{}", std::process::id()), since, pending: Vec::new() }
    }

    /// Writes what was recorded since the last flush (and what a failed flush kept): request
    /// metrics, and the API keys' last uses kept in memory.
    pub(crate) async fn flush(&mut self) {
        self.core.accounts.flush_key_uses().await;
        let now = self.core.ports.clock.now();
        let minute = tseeder_core::services::observability::minute_of(self.since);
        self.since = now;
        self.pending.extend(self.metrics.drain(minute, &self.host));
        if self.pending.is_empty() {
            return;
        }
        match self.core.observability.store_requests(&self.pending).await {
            Ok(()) => self.pending.clear(),
            Err(error) => {
                let excess = self.pending.len().saturating_sub(MAX_PENDING_ROWS);
                self.pending.drain(..excess);
                tracing::warn!(%error, kept = self.pending.len(), dropped = excess, "request metrics not flushed");
            }
        }
    }

    /// Flushes every `interval` until `stop` completes or its sender is dropped, then once more.
    pub(crate) async fn run(mut self, interval: Duration, mut stop: tokio::sync::oneshot::Receiver<()>) {
        loop {
            tokio::select! {
                () = tokio::time::sleep(interval) => self.flush().await,
                _ = &mut stop => break,
            }
        }
        self.flush().await;
    }
}

/// A label value with `\`, `"` and newlines escaped.
fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

fn labels(k: &Key) -> String {
    format!("route=\"{}\",method=\"{}\",status=\"{}\"", escape(&k.route), escape(&k.method), k.class)
}

/// Whether `req` may read the metrics: the configured bearer token, else a loopback client.
fn allowed(req: &Request, token: &str) -> Result<(), StatusCode> {
    if !token.is_empty() {
        let presented = req.header(header::AUTHORIZATION).and_then(|v| v.strip_prefix("Bearer ")).unwrap_or_default();
        return if bool::from(presented.as_bytes().ct_eq(token.as_bytes())) {
            Ok(())
        } else {
            Err(StatusCode::UNAUTHORIZED)
        };
    }
    let ip = req.extensions().get::<RequestContext>().and_then(|c| c.meta.ip.clone());
    let loopback = ip.and_then(|ip| ip.parse::<std::net::IpAddr>().ok()).is_some_and(|ip| ip.is_loopback());
    if loopback { Ok(()) } else { Err(StatusCode::NOT_FOUND) }
}

/// `GET /metrics`.
#[handler]
pub(crate) async fn endpoint(req: &Request, app: Data<&std::sync::Arc<Shared>>) -> Response {
    if let Err(status) = allowed(req, &app.config.metrics_token) {
        return Response::builder().status(status).finish();
    }
    let mut out = String::with_capacity(8 * 1024);
    app.metrics.render(&mut out);
    let core = &app.core;
    let now = core.ports.clock.now();
    if let Ok(stats) = core.ports.queue.stats(&core.config.jobs.queue, now).await {
        out.push_str("# HELP tseeder_queue_messages Job messages in the durable queue, by state.\n");
        out.push_str("# TYPE tseeder_queue_messages gauge\n");
        for (state, n) in [("ready", stats.ready), ("delayed", stats.delayed), ("dead", stats.dead)] {
            let _ = writeln!(out, "tseeder_queue_messages{{state=\"{state}\"}} {n}");
        }
    }
    if let Ok(oldest) = tseeder_core::services::job::oldest_queued(&*core.ports.jobs).await {
        let age = oldest.map_or(0.0, |j| (now - j.created_at).num_milliseconds().max(0) as f64 / 1000.0);
        out.push_str("# HELP tseeder_queue_oldest_job_age_seconds How long the oldest queued job has waited.\n");
        out.push_str("# TYPE tseeder_queue_oldest_job_age_seconds gauge\n");
        let _ = writeln!(out, "tseeder_queue_oldest_job_age_seconds {age}");
    }
    if let Ok(workers) = core.ports.workers.list_workers().await {
        let stale_after = core.fleet.stale_after();
        let gauges: [(&str, &str); 5] = [
            ("tseeder_agent_up", "1 when the agent is healthy and its heartbeat fresh."),
            ("tseeder_agent_active_jobs", "Jobs the agent runs."),
            ("tseeder_agent_max_jobs", "Jobs the agent takes at most."),
            ("tseeder_agent_cpu_percent", "The agent's CPU use at its last heartbeat."),
            ("tseeder_agent_bandwidth_bytes_per_second", "The agent's transfer rate at its last heartbeat."),
        ];
        for (i, (name, help)) in gauges.iter().enumerate() {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
            for w in &workers {
                let up = w.effective_status(now, stale_after) == WorkerStatus::Healthy;
                let value = match i {
                    0 => f64::from(u8::from(up)),
                    1 => f64::from(w.active_jobs),
                    2 => f64::from(w.max_jobs),
                    3 => w.cpu_pct,
                    _ => w.bandwidth_bps as f64,
                };
                let _ = writeln!(out, "{name}{{worker=\"{}\",region=\"{}\"}} {value}", escape(&w.id), w.region);
            }
        }
    }
    let policies = core.policies.host().status();
    out.push_str("# HELP tseeder_policy_decisions_total Decisions made by each policy.\n# TYPE tseeder_policy_decisions_total counter\n");
    for p in &policies {
        let implementation = if p.implementation == PolicyImplementation::Wasm { "plugin" } else { "native" };
        let _ = writeln!(
            out,
            "tseeder_policy_decisions_total{{policy=\"{}\",implementation=\"{implementation}\"}} {}",
            p.kind, p.counters.decisions
        );
    }
    out.push_str("# HELP tseeder_policy_failures_total Decisions a policy plugin failed (the native policy decided instead).\n# TYPE tseeder_policy_failures_total counter\n");
    for p in &policies {
        let _ = writeln!(out, "tseeder_policy_failures_total{{policy=\"{}\"}} {}", p.kind, p.counters.failures);
    }
    Response::builder().content_type("text/plain; version=0.0.4; charset=utf-8").body(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics() -> RequestMetrics {
        let spec =
            r#"{"paths": {"/api/v1/jobs": {"get": {}, "post": {}}, "/api/v1/jobs/{id}": {"get": {}, "delete": {}}}}"#;
        RequestMetrics::new(String::new(), MethodTable::from_spec(spec))
    }

    #[test]
    fn two_ids_are_one_series_and_pages_are_one_label() {
        let m = metrics();
        let ok = StatusCode::OK;
        m.record("/api/v1/jobs/5d1c6c9e-0000-4000-8000-000000000001", &Method::GET, ok, Duration::from_millis(2));
        m.record("/api/v1/jobs/5d1c6c9e-0000-4000-8000-000000000002", &Method::GET, ok, Duration::from_millis(4));
        m.record("/api/v1/jobs/x", &Method::DELETE, StatusCode::NOT_FOUND, Duration::from_millis(1));
        m.record("/jobs/5d1c6c9e-0000-4000-8000-000000000002", &Method::GET, ok, Duration::from_millis(3));
        m.record("/api/v1/nope/1", &Method::GET, StatusCode::NOT_FOUND, Duration::from_millis(1));
        let mut out = String::new();
        m.render(&mut out);
        assert!(
            out.contains("tseeder_http_requests_total{route=\"/api/v1/jobs/:id\",method=\"GET\",status=\"2xx\"} 2"),
            "{out}"
        );
        assert!(out.contains("route=\"/api/v1/jobs/:id\",method=\"DELETE\",status=\"4xx\"} 1"), "{out}");
        assert!(out.contains("route=\"console\",method=\"GET\",status=\"2xx\"} 1"), "{out}");
        assert!(out.contains("route=\"/api/unknown\""), "{out}");
        assert!(!out.contains("5d1c6c9e"), "no raw path becomes a label: {out}");
        // The median of 2 ms and 4 ms is 2 ms (HDR: 3 significant figures); the sum is exact.
        assert!(out.contains("status=\"2xx\",quantile=\"0.5\"} 0.002"), "{out}");
        assert!(out.contains("tseeder_http_request_duration_seconds_sum{route=\"/api/v1/jobs/:id\",method=\"GET\",status=\"2xx\"} 0.006"), "{out}");
    }

    /// 100 requests of one route taking 10, 20, … 1000 µs (values HDR keeps exactly: below
    /// 2048 µs every microsecond is its own bucket), every tenth one a 4xx and the 50th a 5xx.
    fn hundred_requests(m: &RequestMetrics) {
        for i in 1..=100u64 {
            let status = match i {
                50 => StatusCode::INTERNAL_SERVER_ERROR,
                _ if i % 10 == 0 => StatusCode::NOT_FOUND,
                _ => StatusCode::OK,
            };
            m.record("/api/v1/jobs/some-id", &Method::GET, status, Duration::from_micros(i * 10));
        }
    }

    #[test]
    fn a_flush_row_holds_the_interval_hand_computed() {
        let m = metrics();
        hundred_requests(&m);
        m.record("/api/v1/jobs", &Method::GET, StatusCode::OK, Duration::from_micros(700));
        let minute: DateTime<Utc> = "2026-12-06T12:00:00Z".parse().unwrap();
        let rows = m.drain(minute, "api-1:42");
        assert_eq!(rows.len(), 2, "one row per route and method: {rows:?}");
        let row = rows.iter().find(|r| r.route == "/api/v1/jobs/:id").unwrap();
        assert_eq!((row.minute, row.host.as_str(), row.method.as_str()), (minute, "api-1:42", "GET"));
        // 9 of the tenth requests are 4xx (the 50th is the 5xx).
        assert_eq!((row.requests, row.client_errors, row.server_errors), (100, 9, 1));
        // The sorted latencies are 10, 20, … 1000: the nearest-rank p50 is the 50th (500 µs),
        // p95 the 95th, p99 the 99th; the sum is 10 × (1 + … + 100).
        assert_eq!((row.p50_us, row.p95_us, row.p99_us), (500, 950, 990));
        assert_eq!(row.total_us, 10 * 5050);
        assert_eq!(row.latency.count(), 100);
        let p50 = row.latency.quantile(0.5).unwrap() as f64;
        assert!((p50 / 500.0 - 1.0).abs() < 0.09, "the buckets agree within their width: {p50}");
        // The interval starts afresh; the cumulative series keep counting.
        assert!(m.drain(minute, "api-1:42").is_empty());
        hundred_requests(&m);
        assert_eq!(m.drain(minute, "api-1:42")[0].requests, 100);
        let mut out = String::new();
        m.render(&mut out);
        assert!(out.contains("route=\"/api/v1/jobs/:id\",method=\"GET\",status=\"2xx\"} 180"), "{out}");
    }

    #[tokio::test]
    async fn the_flusher_writes_each_interval_and_a_last_one_when_stopped() {
        use std::sync::Arc;
        use tseeder_core::ports::SystemClock;
        let ports = tseeder_core::testing::in_memory_ports(Arc::new(SystemClock));
        let core = Tseeder::new(ports, tseeder_core::services::CoreConfig::default());
        let m = Arc::new(metrics());
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let task = tokio::spawn(Flusher::new(Arc::clone(&m), core.clone()).run(Duration::from_millis(50), stopped));
        hundred_requests(&m);
        let since = Utc::now() - chrono::Duration::minutes(1);
        let mut flushed = Vec::new();
        for _ in 0..100 {
            flushed = core.ports.metrics.api_metrics(since).await.unwrap();
            if !flushed.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(flushed.iter().map(|r| r.requests).sum::<u64>(), 100, "{flushed:?}");
        // Recorded after the last tick, written when the app stops.
        m.record("/api/v1/jobs", &Method::POST, StatusCode::CREATED, Duration::from_micros(300));
        drop(stop);
        task.await.unwrap();
        let rows = core.ports.metrics.api_metrics(since).await.unwrap();
        assert!(rows.iter().any(|r| r.route == "/api/v1/jobs" && r.method == "POST" && r.requests == 1), "{rows:?}");
        assert!(rows.iter().all(|r| r.host.ends_with(&format!(":{}", std::process::id()))));
    }

    #[test]
    fn labels_escape_what_the_format_reserves() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
