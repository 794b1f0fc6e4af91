//! Request metrics without a write per request: the outermost layer records every answered
//! request in memory, per route template (`/api/v1/jobs/:id`, never the raw path), method and
//! status class (a count and an HDR latency histogram), and `GET /metrics` renders them, with the
//! queue, the fleet and the policies, in Prometheus' text exposition format.
//!
//! `/metrics` answers a bearer token when `http.metrics_token` is set, and otherwise only
//! clients on the loopback interface (404 to others), so a server listening on a public address
//! does not publish its internals by default.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use hdrhistogram::Histogram;
use poem::http::{Method, StatusCode, header};
use poem::web::Data;
use poem::{Request, Response, handler};
use subtle::ConstantTimeEq;
use tseeder_core::domain::{PageRequest, WorkerStatus};
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

impl Series {
    fn new() -> Self {
        // Constant, valid bounds (1 <= low, high >= 2 * low, 3 significant figures).
        let latency = Histogram::new_with_bounds(1, 600_000_000, 3)
            .unwrap_or_else(|e| unreachable!("the latency histogram's bounds are valid: {e}"));
        Self { count: 0, sum: Duration::ZERO, latency }
    }
}

/// The in-memory request metrics of this host.
#[derive(Debug)]
pub(crate) struct RequestMetrics {
    base_path: String,
    routes: MethodTable,
    series: Mutex<BTreeMap<Key, Series>>,
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
        match self.routes.template(path) {
            // `:id` rather than the spec's `{id}`: braces inside label values trip up some
            // exposition-format readers.
            Some(template) => template.replace('{', ":").replace('}', ""),
            None if path.starts_with("/api/") => "/api/unknown".to_owned(),
            None => CONSOLE.to_owned(),
        }
    }

    /// Records one answered request.
    pub(crate) fn record(&self, path: &str, method: &Method, status: StatusCode, elapsed: Duration) {
        let key = Key { route: self.route_of(path), method: method.as_str().to_owned(), class: class_of(status) };
        let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX).max(1);
        let mut series = self.series.lock().unwrap_or_else(PoisonError::into_inner);
        let s = series.entry(key).or_insert_with(Series::new);
        s.count += 1;
        s.sum += elapsed;
        s.latency.saturating_record(micros);
    }

    /// The request series in the text exposition format.
    fn render(&self, out: &mut String) {
        let series = self.series.lock().unwrap_or_else(PoisonError::into_inner);
        out.push_str(
            "# HELP tseeder_http_requests_total Requests answered, by route template, method and status class.\n",
        );
        out.push_str("# TYPE tseeder_http_requests_total counter\n");
        for (k, s) in series.iter() {
            let _ = writeln!(out, "tseeder_http_requests_total{{{}}} {}", labels(k), s.count);
        }
        out.push_str("# HELP tseeder_http_request_duration_seconds Time to answer, by route template, method and status class.\n");
        out.push_str("# TYPE tseeder_http_request_duration_seconds summary\n");
        for (k, s) in series.iter() {
            for q in [0.5, 0.95, 0.99] {
                let secs = s.latency.value_at_quantile(q) as f64 / 1e6;
                let _ = writeln!(out, "tseeder_http_request_duration_seconds{{{},quantile=\"{q}\"}} {secs}", labels(k));
            }
            let _ = writeln!(out, "tseeder_http_request_duration_seconds_sum{{{}}} {}", labels(k), s.sum.as_secs_f64());
            let _ = writeln!(out, "tseeder_http_request_duration_seconds_count{{{}}} {}", labels(k), s.count);
        }
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
    let filter = tseeder_core::ports::JobFilter {
        status: Some(tseeder_core::domain::JobStatus::Queued),
        ..tseeder_core::ports::JobFilter::default()
    };
    if let Ok(page) = core.ports.jobs.list_jobs(&filter, PageRequest { page: 1, limit: 1 }).await {
        let age = page.items.first().map_or(0.0, |j| (now - j.created_at).num_milliseconds().max(0) as f64 / 1000.0);
        out.push_str("# HELP tseeder_queue_oldest_job_age_seconds How long the oldest queued job has waited.\n");
        out.push_str("# TYPE tseeder_queue_oldest_job_age_seconds gauge\n");
        let _ = writeln!(out, "tseeder_queue_oldest_job_age_seconds {age}");
    }
    if let Ok(workers) = core.ports.workers.list_workers().await {
        let stale_after = chrono::Duration::from_std(core.fleet.stale_after()).unwrap_or(chrono::Duration::seconds(30));
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
                let up = w.status == WorkerStatus::Healthy && now - w.last_heartbeat_at <= stale_after;
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
        let spec = r#"{"paths": {"/api/v1/jobs": {"get": {}}, "/api/v1/jobs/{id}": {"get": {}, "delete": {}}}}"#;
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

    #[test]
    fn labels_escape_what_the_format_reserves() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
